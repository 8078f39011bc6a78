"""``clamp``: another generator's draw mapped affinely onto [low, high] (APEBench's meaning)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Float, PRNGKeyArray


class Clamped(eqx.Module):
    """``inner``'s draw rescaled so its minimum is ``low`` and its maximum ``high``.

    The name is APEBench's: it does not clip, it shifts and scales the whole draw (min-max
    normalisation), so every draw spans exactly [low, high]. Kept so that a ``clamp`` config
    means the same experiment here and in APEBench 0.1.1.
    """

    inner: Callable[..., Float[Array, "*space"]]
    low: float = eqx.field(static=True)
    high: float = eqx.field(static=True)

    def __check_init__(self):
        if not self.low <= self.high:
            raise ValueError(f"clamp needs low <= high, got {self.low} > {self.high}")

    def __call__(self, *, key: PRNGKeyArray) -> Float[Array, "*space"]:
        field = self.inner(key=key)
        shifted = field - jnp.min(field)
        return shifted / jnp.max(shifted) * (self.high - self.low) + self.low


def clamp(low: float, high: float, inner: Any, *, num_spatial_dims: int, num_points: int) -> Clamped:
    """Factory of ``clamp;LOW;HIGH;<inner config>``: builds the inner config at the same grid."""
    generator = inner.build(num_spatial_dims=num_spatial_dims, num_points=num_points)
    return Clamped(generator, low, high)
