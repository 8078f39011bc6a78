"""Fourier-space building blocks on the periodic grid x_i = i L / N in every direction.

Real FFTs over the last D axes: the last spatial axis keeps N//2 + 1 modes. Operators are
built once in NumPy (complex128) and stored as arrays; nothing here depends on a state.

Packed form: an even number of real channels as half as many complex fields, u_c + i u_(c+C/2),
transformed with complex FFTs over the full grid (no halved axis). On CPU, XLA's complex
transform of one packed field costs about what its real transforms of the two channels do
forward and half of it backward (benchmarks/RESULTS.md); operators act on the packed form
unchanged once extended to the full grid by :func:`full_grid_operator`.
"""

from __future__ import annotations

import jax
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


def pack(u: Float[Array, " channels *space"], num_spatial_dims: int) -> Complex[Array, " pairs *space"]:
    """Full-grid spectrum of u_c + i u_(c+C/2) for an even number C of channels."""
    half = u.shape[0] // 2
    return jnp.fft.fftn(jax.lax.complex(u[:half], u[half:]), axes=spatial_axes(num_spatial_dims))


def unpack(z_hat: Complex[Array, " pairs *space"], num_spatial_dims: int) -> Float[Array, " channels *space"]:
    """The inverse of :func:`pack`."""
    z = jnp.fft.ifftn(z_hat, axes=spatial_axes(num_spatial_dims))
    return jnp.concatenate([z.real, z.imag])


def full_grid_operator(operator: np.ndarray, num_spatial_dims: int, num_points: int) -> np.ndarray:
    """A diagonal operator (real or complex numbers) on the rfft grid (last axis N//2 + 1)
    extended to the full grid so that it maps real fields to real fields, ``A(-m) = conj(A(m))``,
    and acts on the packed form as it acts, through ``irfftn``, on each channel.

    The mirrored half is the conjugate at the opposite mode. On the planes stored in both
    halves (last mode 0 and, for even N, N/2) ``irfftn`` keeps only the Hermitian part, so
    the extension takes (A(m) + conj A(-m)) / 2 there: a derivative's Nyquist mode, i k with
    k = -N/2 at m and at -m, becomes 0. This matches ``irfftn`` exactly as long as each
    product of operators has at most one factor that is not already Hermitian (true when
    the linear operator is real; odd derivatives in it are not packed).
    """
    operator = np.asarray(operator)
    opposite = operator
    for axis in range(operator.ndim - num_spatial_dims, operator.ndim - 1):
        opposite = np.roll(np.flip(opposite, axis), 1, axis)
    half = num_points // 2 + 1
    stored_twice = 2 * np.arange(half) % num_points == 0
    stored = np.where(stored_twice, (operator + np.conj(opposite)) / 2, operator)
    mirrored = np.flip(np.conj(opposite[..., 1 : num_points - half + 1]), -1)
    return np.concatenate([stored, mirrored], axis=-1)


def wavenumbers(num_spatial_dims: int, num_points: int) -> np.ndarray:
    """Integer mode numbers m_d, shape ``(D, N, ..., N, N//2 + 1)``."""
    full = np.fft.fftfreq(num_points, 1.0 / num_points)
    half = np.fft.rfftfreq(num_points, 1.0 / num_points)
    axes = [full] * (num_spatial_dims - 1) + [half]
    return np.stack(np.meshgrid(*axes, indexing="ij"))


def derivative_operator(num_spatial_dims: int, domain_extent: float, num_points: int) -> np.ndarray:
    """i k_d = i 2 pi m_d / L for every direction d, shape ``(D, *modes)``, complex."""
    return 1j * (2 * np.pi / domain_extent) * wavenumbers(num_spatial_dims, num_points)


def dealiasing_mask(num_spatial_dims: int, num_points: int, fraction: float) -> Bool[Array, " 1 *modes"]:
    """Keep modes with |m_d| <= fraction (N//2) - 1 in every direction.

    This is the reference's rule (Exponax 0.1.0): for N = 160 and fraction 2/3 it keeps
    |m| <= 52. Pass fraction = 1/2 for cubic terms.
    """
    cutoff = fraction * (num_points // 2) - 1
    keep = np.all(np.abs(wavenumbers(num_spatial_dims, num_points)) <= cutoff, axis=0)
    return jnp.asarray(keep[None])
