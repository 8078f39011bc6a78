"""Initial conditions: single-channel generators stacked into states, drawn in reproducible sets."""

from __future__ import annotations

import functools
from collections.abc import Callable

import jax
import numpy as np
from jaxtyping import Array, Float, PRNGKeyArray


def multichannel(single: Callable[..., Array], num_channels: int) -> Callable[..., Array]:
    """Independent draws of a single-channel generator stacked into ``(channels, *space)``."""

    def generate(*, key: PRNGKeyArray) -> Float[Array, " channels *space"]:
        return jax.vmap(lambda k: single(key=k))(jax.random.split(key, num_channels))

    return generate


def draw_ic_set(
    generator: Callable[..., Array], num_samples: int, *, key: PRNGKeyArray
) -> Float[Array, " samples channels *space"]:
    """A batch of initial states, deterministic given ``key``.

    The keys form a chain, as in APEBench/Exponax: sample i uses the second half of the i-th
    split of the running key (``key, sub = split(key)``), so the first samples of a larger set
    equal a smaller set drawn from the same key.

    One compiled draw per generator serves every sample of every set (train and test share
    it), where a loop over the samples would be compiled once per size; the states are
    stacked on the host, which compiles nothing.
    """
    draw = _compiled_draw(generator)
    states = []
    for _ in range(num_samples):
        key, state = draw(key)
        states.append(np.asarray(state))
    return jax.device_put(np.stack(states))  # jnp.asarray would compile a copy program


def _compiled_draw(generator: Callable[..., Array]) -> Callable[[PRNGKeyArray], tuple[PRNGKeyArray, Array]]:
    """The shared compiled draw; a plugin's generator that cannot be hashed (a module holding
    arrays) gets one of its own for this set instead of a TypeError."""
    try:
        hash(generator)
    except TypeError:
        return jax.jit(functools.partial(_split_and_draw, generator))
    return functools.partial(_shared_draw, generator)


def _split_and_draw(generator: Callable[..., Array], running: PRNGKeyArray) -> tuple[PRNGKeyArray, Array]:
    running, sub = jax.random.split(running)
    return running, generator(key=sub)


_shared_draw = jax.jit(_split_and_draw, static_argnums=0)
