"""Random Gaussian blobs (the Gray-Scott initial states)."""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
import jax.random as jr
from jaxtyping import Array, Float, PRNGKeyArray

from ._spectral_fields import _GridGenerator


class GaussianBlobs(_GridGenerator):
    """Mean of ``num_blobs`` blobs exp(-½ Σ_d (x_d - p_d)² / v_d) on the unit domain.

    Centres p_d ~ U(position_range), per-axis variances v_d ~ U(variance_range), drawn blob
    by blob from a key chain as in APEBench/Exponax. Distances are not periodic (as there):
    with the default ranges the jump across the boundary is below 4e-4.
    ``one_complement`` returns 1 - blobs.
    """

    num_blobs: int = eqx.field(static=True)
    one_complement: bool = eqx.field(static=True)
    position_range: tuple[float, float] = eqx.field(static=True, default=(0.4, 0.6))
    variance_range: tuple[float, float] = eqx.field(static=True, default=(0.005, 0.01))

    def __check_init__(self):
        if self.num_blobs < 1:
            raise ValueError(f"num_blobs must be at least 1, got {self.num_blobs}")
        for name in ("position_range", "variance_range"):
            low, high = getattr(self, name)
            if not 0 <= low <= high or (name == "variance_range" and low <= 0):
                raise ValueError(f"{name} must be an ordered pair of positive numbers, got {(low, high)}")

    def __call__(self, *, key: PRNGKeyArray) -> Float[Array, "*space"]:
        axis = jnp.linspace(0.0, 1.0, self.num_points, endpoint=False)
        grid = jnp.stack(jnp.meshgrid(*[axis] * self.num_spatial_dims, indexing="ij"))
        expand = (slice(None),) + (None,) * self.num_spatial_dims
        total = 0.0
        for _ in range(self.num_blobs):
            key, blob_key = jr.split(key)
            position_key, variance_key = jr.split(blob_key)
            shape = (self.num_spatial_dims,)
            centre = jr.uniform(
                position_key, shape, minval=self.position_range[0], maxval=self.position_range[1]
            )
            variance = jr.uniform(
                variance_key, shape, minval=self.variance_range[0], maxval=self.variance_range[1]
            )
            offset = grid - centre[expand]
            blob = jnp.exp(-0.5 * jnp.sum(offset**2 / variance[expand], axis=0))
            total = total + (1.0 - blob if self.one_complement else blob)
        return total / self.num_blobs
