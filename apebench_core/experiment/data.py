"""Initial conditions: single-channel generators stacked into states, drawn in reproducible sets."""

from __future__ import annotations

from collections.abc import Callable

import jax
from jaxtyping import Array, Float, PRNGKeyArray


def multichannel(single: Callable[..., Array], num_channels: int) -> Callable[..., Array]:
    """Independent draws of a single-channel generator stacked into ``(channels, *space)``."""

    def generate(*, key: PRNGKeyArray) -> Float[Array, " channels *space"]:
        return jax.vmap(lambda k: single(key=k))(jax.random.split(key, num_channels))

    return generate


def draw_ic_set(
    generator: Callable[..., Array], num_samples: int, *, key: PRNGKeyArray
) -> Float[Array, " samples channels *space"]:
    """A batch of initial states, one split key each; deterministic given ``key``."""
    return jax.vmap(lambda k: generator(key=k))(jax.random.split(key, num_samples))
