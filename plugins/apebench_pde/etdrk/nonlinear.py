"""Pseudo-spectral nonlinear terms N(u_hat) -> N_hat, with right-hand-side signs.

Each de-aliases its input by mode masking before going to physical space.
"""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Complex

from .spectral import dealiasing_mask, derivative_operator, irfft, rfft


class _Term(eqx.Module):
    derivative: Array
    mask: Array
    num_spatial_dims: int = eqx.field(static=True)
    num_points: int = eqx.field(static=True)

    def __init__(
        self, num_spatial_dims: int, domain_extent: float, num_points: int, dealiasing_fraction: float
    ):
        self.derivative = jnp.asarray(derivative_operator(num_spatial_dims, domain_extent, num_points))
        self.mask = dealiasing_mask(num_spatial_dims, num_points, dealiasing_fraction)
        self.num_spatial_dims = num_spatial_dims
        self.num_points = num_points

    def to_space(self, u_hat):
        return irfft(self.mask * u_hat, self.num_spatial_dims, self.num_points)

    def to_fourier(self, u):
        return rfft(u, self.num_spatial_dims)

    def divergence_of_half_square(self, u):
        """1/2 sum_d d/dx_d (u^2) per channel, in Fourier space."""
        return 0.5 * jnp.sum(self.derivative, axis=0, keepdims=True) * self.to_fourier(u**2)

    def half_gradient_norm(self, u_hat):
        """1/2 |grad u|^2 per channel with its mean removed (KS in derivative form keeps the mean)."""
        gradients = self.to_space(self.derivative[:, None] * u_hat[None])  # (D, C, *space)
        result = self.to_fourier(0.5 * jnp.sum(gradients**2, axis=0))
        return result.at[(slice(None),) + (0,) * self.num_spatial_dims].set(0.0)


class Polynomial(_Term):
    """sum_i c_i u^i (reaction terms)."""

    coefficients: tuple[float, ...] = eqx.field(static=True)

    def __init__(self, coefficients, *, num_spatial_dims, domain_extent, num_points, dealiasing_fraction=0.5):
        super().__init__(num_spatial_dims, domain_extent, num_points, dealiasing_fraction)
        self.coefficients = tuple(float(c) for c in coefficients)

    def __call__(self, u_hat: Complex[Array, " channels *modes"]) -> Complex[Array, " channels *modes"]:
        u = self.to_space(u_hat)
        return self.to_fourier(sum(c * u**i for i, c in enumerate(self.coefficients) if c != 0.0) + 0 * u)


class Convection(_Term):
    """b * 1/2 div(u (x) u) for a D-channel velocity (conservative) or b * (u . grad) u;
    ``single_channel``: b * 1/2 sum_d d/dx_d (u^2). Burgers steepening for b < 0."""

    scale: float = eqx.field(static=True)
    conservative: bool = eqx.field(static=True)
    single_channel: bool = eqx.field(static=True)

    def __init__(
        self,
        scale,
        *,
        num_spatial_dims,
        domain_extent,
        num_points,
        conservative=True,
        single_channel=False,
        dealiasing_fraction=2 / 3,
    ):
        super().__init__(num_spatial_dims, domain_extent, num_points, dealiasing_fraction)
        self.scale = float(scale)
        self.conservative = conservative
        self.single_channel = single_channel

    def __call__(self, u_hat: Complex[Array, " channels *modes"]) -> Complex[Array, " channels *modes"]:
        u = self.to_space(u_hat)
        if self.single_channel:
            if self.conservative:
                return self.scale * self.divergence_of_half_square(u)
            gradient_sum = self.to_space(jnp.sum(self.derivative, axis=0, keepdims=True) * u_hat)
            return self.scale * self.to_fourier(u * gradient_sum)
        if self.conservative:
            products = self.to_fourier(u[:, None] * u[None, :])  # (C, D, *modes): u_c u_d
            return self.scale * 0.5 * jnp.sum(self.derivative[None] * products, axis=1)
        gradients = self.to_space(self.derivative[None] * u_hat[:, None])  # (C, D, *space): d_d u_c
        return self.scale * self.to_fourier(jnp.sum(u[None] * gradients, axis=1))


class GradientNorm(_Term):
    """b * 1/2 |grad u|^2 (Kuramoto-Sivashinsky), mean-free."""

    scale: float = eqx.field(static=True)

    def __init__(self, scale, *, num_spatial_dims, domain_extent, num_points, dealiasing_fraction=2 / 3):
        super().__init__(num_spatial_dims, domain_extent, num_points, dealiasing_fraction)
        self.scale = float(scale)

    def __call__(self, u_hat: Complex[Array, " channels *modes"]) -> Complex[Array, " channels *modes"]:
        return self.scale * self.half_gradient_norm(u_hat)


class GeneralNonlinear(_Term):
    """b0 u^2 + b1 * 1/2 sum_d d/dx_d (u^2) + b2 * 1/2 |grad u|^2 (single channel)."""

    scales: tuple[float, float, float] = eqx.field(static=True)

    def __init__(self, scales, *, num_spatial_dims, domain_extent, num_points, dealiasing_fraction=2 / 3):
        super().__init__(num_spatial_dims, domain_extent, num_points, dealiasing_fraction)
        self.scales = tuple(float(s) for s in scales)

    def __call__(self, u_hat: Complex[Array, " channels *modes"]) -> Complex[Array, " channels *modes"]:
        b0, b1, b2 = self.scales
        u = self.to_space(u_hat)
        result = self.to_fourier(b0 * u**2) if b0 else 0.0
        if b1:
            result = result + b1 * self.divergence_of_half_square(u)
        if b2:
            result = result + b2 * self.half_gradient_norm(u_hat)
        return result + jnp.zeros_like(u_hat)
