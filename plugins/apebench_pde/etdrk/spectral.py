"""Fourier-space building blocks on the periodic grid x_i = i L / N in every direction.

Real FFTs over the last D axes: the last spatial axis keeps N//2 + 1 modes.
"""

from __future__ import annotations

from collections.abc import Sequence

import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Bool, Complex, Float


def spatial_axes(num_spatial_dims: int) -> tuple[int, ...]:
    return tuple(range(-num_spatial_dims, 0))


def rfft(u: Float[Array, " channels *space"], num_spatial_dims: int) -> Complex[Array, " channels *modes"]:
    return jnp.fft.rfftn(u, axes=spatial_axes(num_spatial_dims))


def irfft(
    u_hat: Complex[Array, " channels *modes"], num_spatial_dims: int, num_points: int
) -> Float[Array, " channels *space"]:
    return jnp.fft.irfftn(u_hat, s=(num_points,) * num_spatial_dims, axes=spatial_axes(num_spatial_dims))


def wavenumbers(num_spatial_dims: int, num_points: int) -> np.ndarray:
    """Integer mode numbers, shape ``(D, N, ..., N, N//2 + 1)`` (numpy, built once)."""
    full = np.fft.fftfreq(num_points, 1.0 / num_points)
    half = np.fft.rfftfreq(num_points, 1.0 / num_points)
    axes = [full] * (num_spatial_dims - 1) + [half]
    return np.stack(np.meshgrid(*axes, indexing="ij"))


def derivative_operator(num_spatial_dims: int, domain_extent: float, num_points: int) -> np.ndarray:
    """i k_d for every direction d, shape ``(D, *modes)``, complex."""
    return 1j * (2 * np.pi / domain_extent) * wavenumbers(num_spatial_dims, num_points)


def dealiasing_mask(num_spatial_dims: int, num_points: int, fraction: float) -> Bool[Array, " 1 *modes"]:
    """Keep modes with |m_d| < fraction * (N // 2) in every direction (2/3 rule for quadratic terms)."""
    limit = fraction * (num_points // 2)
    return jnp.asarray(np.all(np.abs(wavenumbers(num_spatial_dims, num_points)) < limit, axis=0)[None])


def linear_operator(derivative: np.ndarray, coefficients: Sequence[float | Sequence[float]]) -> np.ndarray:
    """Sum over orders j of c_j applied to the j-th derivatives, shape ``(1, *modes)``.

    A scalar c_j acts equally in every direction, ``c_j sum_d (i k_d)^j`` (order 2 is the
    Laplacian, odd orders move along the diagonal); a sequence gives one coefficient per
    direction. Order 0 is ``c_0`` itself, not multiplied by the number of dimensions.
    """
    num_spatial_dims = derivative.shape[0]
    operator = np.zeros(derivative.shape[1:], dtype=complex)
    for order, coefficient in enumerate(coefficients):
        if order == 0:
            operator = operator + np.sum(coefficient)
            continue
        per_direction = np.broadcast_to(np.asarray(coefficient, dtype=float), (num_spatial_dims,))
        operator = operator + sum(c * derivative[d] ** order for d, c in enumerate(per_direction))
    return operator[None]
