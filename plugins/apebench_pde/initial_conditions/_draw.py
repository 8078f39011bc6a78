"""Drawing several channels and samples from a single-channel generator."""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.random as jr
from jaxtyping import Array, Float, PRNGKeyArray

Generator = Callable[..., Float[Array, "*space"]]


def draw_multichannel(
    generator: Generator, num_channels: int, *, key: PRNGKeyArray
) -> Float[Array, " channels *space"]:
    """Independent draws per channel, one split key each."""
    return jax.vmap(lambda k: generator(key=k))(jr.split(key, num_channels))


def draw_initial_conditions(
    generator: Generator, num_samples: int, num_channels: int, *, key: PRNGKeyArray
) -> Float[Array, "samples channels *space"]:
    """A batch of multi-channel initial states; deterministic given ``key``."""
    return jax.vmap(lambda k: draw_multichannel(generator, num_channels, key=k))(jr.split(key, num_samples))
