"""Real fields from one-sided spectra on the periodic unit grid x_i = i/N.

Two conventions live here. :func:`cosine_series_to_field` is the exact one (an entry is one
real wave of the stated amplitude). :func:`apebench_coefficients_to_field` is APEBench's
(Exponax 0.1.0): every axis halves the entry of a non-zero, non-Nyquist wavenumber, and the
entries at m and -m of the rfft's ``m_last = 0`` plane are both used, as independent halves of
one wave. The random generators use APEBench's, so that their draws are APEBench's to
float32 round-off; the resulting amplitude per mode is stated in each generator.

Convention used by every spectral generator here: an entry ``c`` of the
rfft-shaped array at integer wavenumber vector ``m`` stands for the real wave
``|c| cos(2π m·x + arg c)``. :func:`cosine_series_to_field` turns that into the
rfft scaling, so no generator repeats it. The rfft keeps the last axis halved:
an entry with ``m_last > 0`` carries a ±m pair (scale N^D/2), while one in the
``m_last = 0`` (or Nyquist) plane stands alone (scale N^D). Getting this wrong
is Exponax issue #34 (a factor 2 in 2D and 3D).
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Complex, Float


def rfft_shape(num_spatial_dims: int, num_points: int) -> tuple[int, ...]:
    return (num_points,) * (num_spatial_dims - 1) + (num_points // 2 + 1,)


def integer_wavenumbers(num_spatial_dims: int, num_points: int) -> np.ndarray:
    """Integer wavenumbers ``m`` on the rfft grid, shape (D, N, ..., N//2+1)."""
    full = np.fft.fftfreq(num_points, 1.0 / num_points).round().astype(int)
    half = np.fft.rfftfreq(num_points, 1.0 / num_points).round().astype(int)
    axes = [full] * (num_spatial_dims - 1) + [half]
    return np.stack(np.meshgrid(*axes, indexing="ij"))


def distinct_mode_mask(num_spatial_dims: int, num_points: int) -> np.ndarray:
    """True once per real wave ±m, m ≠ 0, no Nyquist component (it has no phase).

    In the ``m_last = 0`` plane both m and -m are stored; keep the one whose
    first non-zero component is positive.
    """
    m = integer_wavenumbers(num_spatial_dims, num_points)
    no_nyquist = np.all(2 * np.abs(m) != num_points, axis=0)
    first_nonzero_positive = np.zeros(m.shape[1:], dtype=bool)
    decided = np.zeros(m.shape[1:], dtype=bool)
    for component in m[::-1]:  # the halved last axis decides first
        first_nonzero_positive |= ~decided & (component > 0)
        decided |= component != 0
    return no_nyquist & first_nonzero_positive


def scaled_wavenumber_norm(num_spatial_dims: int, num_points: int) -> np.ndarray:
    """|k| with k = 2π m: the angular wavenumber on the unit domain."""
    m = integer_wavenumbers(num_spatial_dims, num_points)
    return 2.0 * np.pi * np.sqrt(np.sum(m.astype(float) ** 2, axis=0))


def cosine_series_to_field(
    coefficients: Complex[Array, "*half_space"], num_spatial_dims: int, num_points: int
) -> Float[Array, "*space"]:
    """Sum of waves |c| cos(2π m·x + arg c) over the given entries; ``c`` at m = 0 is the mean."""
    m = integer_wavenumbers(num_spatial_dims, num_points)
    standalone = (m[-1] == 0) | (2 * m[-1] == num_points)
    scale = np.where(standalone, 1.0, 0.5) * float(num_points) ** num_spatial_dims
    return jnp.fft.irfftn(coefficients * scale, s=(num_points,) * num_spatial_dims)


def apebench_scaling(num_spatial_dims: int, num_points: int) -> np.ndarray:
    """prod_d s_d with s_d = N at m_d = 0 or the Nyquist wavenumber, N / 2 elsewhere."""
    m = integer_wavenumbers(num_spatial_dims, num_points)
    per_axis = np.where((m == 0) | (2 * np.abs(m) == num_points), float(num_points), num_points / 2)
    return np.prod(per_axis, axis=0)


def apebench_coefficients_to_field(
    coefficients: Complex[Array, "*half_space"], num_spatial_dims: int, num_points: int
) -> Float[Array, "*space"]:
    """irfftn of the coefficients times :func:`apebench_scaling` (APEBench's convention).

    An entry c at m with m_last > 0 gives the wave 2^(1-n) |c| cos(2π m·x + arg c), n the number
    of non-zero components of m; in the ``m_last = 0`` plane the entries at m and -m give
    2^(-n) Re(c_m e^(2πi m·x) + c_-m e^(-2πi m·x)); Nyquist entries contribute their real part.
    """
    scale = apebench_scaling(num_spatial_dims, num_points)
    return jnp.fft.irfftn(coefficients * scale, s=(num_points,) * num_spatial_dims)


def normalise(field: Float[Array, "*space"], *, zero_mean: bool, max_one: bool) -> Float[Array, "*space"]:
    """The post-processing options shared by the random generators."""
    if zero_mean:
        field = field - jnp.mean(field)
    if max_one:
        field = field / jnp.max(jnp.abs(field))
    return field
