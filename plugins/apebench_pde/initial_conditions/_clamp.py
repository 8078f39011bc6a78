"""Clamp another generator's output, e.g. to keep Fisher-KPP states in [0, 1]."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Float, PRNGKeyArray


class Clamped(eqx.Module):
    """``inner``'s draw clipped to [low, high]."""

    inner: Callable[..., Float[Array, "*space"]]
    low: float = eqx.field(static=True)
    high: float = eqx.field(static=True)

    def __check_init__(self):
        if not self.low <= self.high:
            raise ValueError(f"clamp needs low <= high, got {self.low} > {self.high}")

    def __call__(self, *, key: PRNGKeyArray) -> Float[Array, "*space"]:
        return jnp.clip(self.inner(key=key), self.low, self.high)


def clamp(low: float, high: float, inner: Any, *, num_spatial_dims: int, num_points: int) -> Clamped:
    """Factory of ``clamp;LOW;HIGH;<inner config>``: builds the inner config at the same grid."""
    generator = inner.build(num_spatial_dims=num_spatial_dims, num_points=num_points)
    return Clamped(generator, low, high)
