"""Pseudo-spectral nonlinear terms u_hat -> N(u)_hat with right-hand-side signs (u_t = ... + N(u)).

Every term de-aliases its input by mode masking before going to physical space.
Sign convention: N = +b (...). Burgers u_t + u u_x = 0 is ``Convection(-1)``. Exponax's
``ConvectionNonlinearFun`` and ``GradientNormNonlinearFun`` use the opposite sign
(N = -b (...)), its ``GeneralNonlinearFun`` the same sign as here.
"""

from __future__ import annotations

from collections.abc import Sequence

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Bool, Complex, Float

from .spectral import dealiasing_mask, derivative_operator, irfft, rfft


class NonlinearTerm(eqx.Module):
    """Grid, derivative operator and de-aliasing shared by all terms."""

    derivative: Complex[Array, " dims *modes"]
    mask: Bool[Array, " 1 *modes"]
    num_spatial_dims: int = eqx.field(static=True)
    domain_extent: float = eqx.field(static=True)
    num_points: int = eqx.field(static=True)

    def __init__(
        self, num_spatial_dims: int, domain_extent: float, num_points: int, dealiasing_fraction: float
    ):
        self.derivative = jnp.asarray(derivative_operator(num_spatial_dims, domain_extent, num_points))
        self.mask = dealiasing_mask(num_spatial_dims, num_points, dealiasing_fraction)
        self.num_spatial_dims = int(num_spatial_dims)
        self.domain_extent = float(domain_extent)
        self.num_points = int(num_points)

    def to_space(self, u_hat: Complex[Array, " ... *modes"]) -> Float[Array, " ... *space"]:
        """De-aliased inverse transform."""
        return irfft(self.mask * u_hat, self.num_spatial_dims, self.num_points)

    def to_fourier(self, u: Float[Array, " ... *space"]) -> Complex[Array, " ... *modes"]:
        return rfft(u, self.num_spatial_dims)

    def half_diagonal_derivative_of_square(
        self, u: Float[Array, " channels *space"]
    ) -> Complex[Array, " channels *modes"]:
        """1/2 (1 . grad)(u^2) per channel."""
        return 0.5 * jnp.sum(self.derivative, axis=0) * self.to_fourier(u**2)

    def half_gradient_norm(
        self, u_hat: Complex[Array, " channels *modes"]
    ) -> Complex[Array, " channels *modes"]:
        """1/2 |grad u|^2 per channel, mean removed: the derivative form of KS (u_x)^2 adds a
        constant the integrated form would not have (the reference's zero-mode fix)."""
        gradients = self.to_space(self.derivative[:, None] * u_hat[None])  # (D, C, *space)
        result = self.to_fourier(0.5 * jnp.sum(gradients**2, axis=0))
        return result.at[(slice(None),) + (0,) * self.num_spatial_dims].set(0.0)


class Polynomial(NonlinearTerm):
    """sum_i c_i u^i (reaction terms); de-alias with 1/2 for cubic terms."""

    coefficients: tuple[float, ...] = eqx.field(static=True)

    def __init__(
        self,
        coefficients: Sequence[float],
        *,
        num_spatial_dims,
        domain_extent,
        num_points,
        dealiasing_fraction=2 / 3,
    ):
        super().__init__(num_spatial_dims, domain_extent, num_points, dealiasing_fraction)
        self.coefficients = tuple(float(c) for c in coefficients)

    def __call__(self, u_hat: Complex[Array, " channels *modes"]) -> Complex[Array, " channels *modes"]:
        u = self.to_space(u_hat)
        value = jnp.zeros_like(u)
        for power, c in enumerate(self.coefficients):
            if c != 0.0:
                value = value + c * u**power
        return self.to_fourier(value)


class Convection(NonlinearTerm):
    """b 1/2 div(u (x) u) (conservative) or b (u . grad) u, for a velocity with D channels;
    ``single_channel``: b 1/2 (1 . grad)(u^2) or b u (1 . grad) u on any channel count."""

    scale: float = eqx.field(static=True)
    conservative: bool = eqx.field(static=True)
    single_channel: bool = eqx.field(static=True)

    def __init__(
        self,
        scale: float,
        *,
        num_spatial_dims,
        domain_extent,
        num_points,
        conservative: bool = True,
        single_channel: bool = False,
        dealiasing_fraction: float = 2 / 3,
    ):
        super().__init__(num_spatial_dims, domain_extent, num_points, dealiasing_fraction)
        self.scale = float(scale)
        self.conservative = conservative
        self.single_channel = single_channel

    def __call__(self, u_hat: Complex[Array, " channels *modes"]) -> Complex[Array, " channels *modes"]:
        u = self.to_space(u_hat)
        if self.single_channel and self.conservative:
            return self.scale * self.half_diagonal_derivative_of_square(u)
        if self.single_channel:
            diagonal_derivative = self.to_space(jnp.sum(self.derivative, axis=0) * u_hat)
            return self.scale * self.to_fourier(u * diagonal_derivative)
        if u_hat.shape[0] != self.num_spatial_dims:
            raise ValueError(
                f"multi-channel convection needs {self.num_spatial_dims} channels, got {u_hat.shape[0]}"
            )
        if self.conservative:
            products = self.to_fourier(u[:, None] * u[None, :])  # (C, D, *modes): u_c u_d
            return self.scale * 0.5 * jnp.sum(self.derivative[None] * products, axis=1)
        gradients = self.to_space(self.derivative[None] * u_hat[:, None])  # (C, D, *space): d_d u_c
        return self.scale * self.to_fourier(jnp.sum(u[None] * gradients, axis=1))


class GradientNorm(NonlinearTerm):
    """b 1/2 |grad u|^2, mean-free (Kuramoto-Sivashinsky for b = -1)."""

    scale: float = eqx.field(static=True)

    def __init__(
        self, scale: float, *, num_spatial_dims, domain_extent, num_points, dealiasing_fraction=2 / 3
    ):
        super().__init__(num_spatial_dims, domain_extent, num_points, dealiasing_fraction)
        self.scale = float(scale)

    def __call__(self, u_hat: Complex[Array, " channels *modes"]) -> Complex[Array, " channels *modes"]:
        return self.scale * self.half_gradient_norm(u_hat)


class GeneralNonlinear(NonlinearTerm):
    """b0 u^2 + b1 1/2 (1 . grad)(u^2) + b2 1/2 |grad u|^2, the reference's generic combination."""

    scales: tuple[float, float, float] = eqx.field(static=True)

    def __init__(
        self,
        scales: Sequence[float],
        *,
        num_spatial_dims,
        domain_extent,
        num_points,
        dealiasing_fraction=2 / 3,
    ):
        super().__init__(num_spatial_dims, domain_extent, num_points, dealiasing_fraction)
        if len(scales) != 3:
            raise ValueError(f"need three scales (quadratic, convection, gradient norm), got {scales}")
        self.scales = tuple(float(s) for s in scales)

    def __call__(self, u_hat: Complex[Array, " channels *modes"]) -> Complex[Array, " channels *modes"]:
        b0, b1, b2 = self.scales
        result = jnp.zeros_like(u_hat)
        if b0 or b1:
            u = self.to_space(u_hat)
            if b0:
                result = result + b0 * self.to_fourier(u**2)
            if b1:
                result = result + b1 * self.half_diagonal_derivative_of_square(u)
        if b2:
            result = result + b2 * self.half_gradient_norm(u_hat)
        return result
