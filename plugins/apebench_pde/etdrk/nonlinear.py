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
import numpy as np
from jaxtyping import Array, Bool, Complex, Float

from .spectral import dealiasing_mask, derivative_operator, full_grid_operator, irfft, rfft, spatial_axes


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
    ``single_channel``: b 1/2 (1 . grad)(u^2) or b u (1 . grad) u on any channel count.

    A 2D velocity can also be evaluated packed (:meth:`packed`, see :mod:`.spectral`)."""

    full_derivative: Complex[Array, " dims *space"] | None
    full_mask: Float[Array, " 1 *space"] | None
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
        self.full_derivative = self.full_mask = None
        if self.packable:
            grid = (num_spatial_dims, num_points)
            self.full_derivative = jnp.asarray(full_grid_operator(np.asarray(self.derivative), *grid))
            self.full_mask = jnp.asarray(full_grid_operator(np.asarray(self.mask, dtype=float), *grid))

    @property
    def packable(self) -> bool:
        """A 2D velocity packs into one complex field w = u_0 + i u_1, and so does the result."""
        return self.num_spatial_dims == 2 and not self.single_channel

    def packed(self, w_hat: Complex[Array, " 1 *space"]) -> Complex[Array, " 1 *space"]:
        """This term on the packed form: the full spectrum of w = u_0 + i u_1 in, that of
        N_0 + i N_1 out. sum_d d_d(u_d w) and sum_d u_d d_d w are the divergence and the
        advective form of both components at once, so no transform separates the channels."""
        axes = spatial_axes(2)
        w = jnp.fft.ifftn(self.full_mask * w_hat, axes=axes)
        if self.conservative:
            fluxes = [jnp.fft.fftn(u_d * w, axes=axes) for u_d in (w.real, w.imag)]
            return (
                self.scale * 0.5 * sum(d * flux for d, flux in zip(self.full_derivative, fluxes, strict=True))
            )
        gradients = [jnp.fft.ifftn(self.full_mask * d * w_hat, axes=axes) for d in self.full_derivative]
        return self.scale * jnp.fft.fftn(w.real * gradients[0] + w.imag * gradients[1], axes=axes)

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
            return self.scale * 0.5 * self.divergence_of_outer_product(u)
        gradients = self.to_space(self.derivative[None] * u_hat[:, None])  # (C, D, *space): d_d u_c
        return self.scale * self.to_fourier(jnp.sum(u[None] * gradients, axis=1))

    def divergence_of_outer_product(self, u: Float[Array, " dims *space"]) -> Complex[Array, " dims *modes"]:
        """div(u (x) u) from the D (D + 1) / 2 distinct products u_c u_d (c <= d): u (x) u is
        symmetric, so 3 transforms instead of 4 in 2D, 6 instead of 9 in 3D."""
        dims = range(self.num_spatial_dims)
        pairs = [(c, d) for c in dims for d in dims if c <= d]
        products = self.to_fourier(jnp.stack([u[c] * u[d] for c, d in pairs]))
        product = {pair: products[i] for i, pair in enumerate(pairs)}
        return jnp.stack(
            [sum(self.derivative[d] * product[min(c, d), max(c, d)] for d in dims) for c in dims]
        )


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
