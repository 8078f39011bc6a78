"""Exact periodic Poisson solve: the one 'stepper' that maps a right-hand side to a solution.

    sum_d d_d^order u = -f   (order 2: -lap u = f),   mean(u) = 0.

The mean of f has no periodic solution; it is dropped (the solvability condition).
"""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float

from .linear import gradient_inner_product
from .spectral import derivative_operator, irfft, rfft


class PoissonSolver(eqx.Module):
    """Call on a right-hand side ``(channels, *space)``; returns the mean-free solution."""

    inverse: Float[Array, " 1 *modes"]
    num_spatial_dims: int = eqx.field(static=True)
    domain_extent: float = eqx.field(static=True)
    num_points: int = eqx.field(static=True)
    order: int = eqx.field(static=True)

    def __init__(self, num_spatial_dims: int, domain_extent: float, num_points: int, *, order: int = 2):
        if order < 2 or order % 2:
            raise ValueError(f"the Poisson order must be even and at least 2, got {order}")
        operator = gradient_inner_product(
            derivative_operator(num_spatial_dims, domain_extent, num_points), 1.0, order=order
        ).real
        safe = np.where(operator == 0, 1.0, operator)
        self.inverse = jnp.asarray(np.where(operator == 0, 0.0, -1.0 / safe))
        self.num_spatial_dims = int(num_spatial_dims)
        self.domain_extent = float(domain_extent)
        self.num_points = int(num_points)
        self.order = int(order)

    def __call__(self, f: Float[Array, " channels *space"]) -> Float[Array, " channels *space"]:
        if f.shape[1:] != (self.num_points,) * self.num_spatial_dims:
            raise ValueError(
                f"right-hand side of shape {f.shape} does not fit a {self.num_points}-point grid"
            )
        u_hat = self.inverse * rfft(f, self.num_spatial_dims)
        return irfft(u_hat, self.num_spatial_dims, self.num_points).astype(f.dtype)
