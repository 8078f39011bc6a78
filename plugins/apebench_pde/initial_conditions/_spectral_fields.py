"""Random fields defined by their spectrum: truncated Fourier series, diffused noise, GRF.

Each draw consumes its key exactly as APEBench 0.1.1 (Exponax 0.1.0) does and builds the
field in its convention (see :func:`apebench_coefficients_to_field`), so that a scenario's data
equal APEBench's for the same seeds to float32 round-off.
"""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
import jax.random as jr
import numpy as np
from jaxtyping import Array, Float, PRNGKeyArray

from ._spectral import (
    apebench_coefficients_to_field,
    integer_wavenumbers,
    normalise,
    rfft_shape,
)


class _GridGenerator(eqx.Module):
    num_spatial_dims: int = eqx.field(static=True, kw_only=True)
    num_points: int = eqx.field(static=True, kw_only=True)

    def __check_init__(self):
        if self.num_spatial_dims not in (1, 2, 3):
            raise ValueError(f"num_spatial_dims must be 1, 2 or 3, got {self.num_spatial_dims}")
        if self.num_points < 2:
            raise ValueError(f"num_points must be at least 2, got {self.num_points}")

    @property
    def _half_shape(self) -> tuple[int, ...]:
        return (1,) + rfft_shape(self.num_spatial_dims, self.num_points)

    @property
    def _space(self) -> tuple[int, ...]:
        return (self.num_points,) * self.num_spatial_dims


def _angular_wavenumber_norm(num_spatial_dims: int, num_points: int) -> np.ndarray:
    """|k| with k = 2π m: the angular wavenumber on the unit domain."""
    m = integer_wavenumbers(num_spatial_dims, num_points).astype(float)
    return np.sqrt(np.sum((2.0 * np.pi * m) ** 2, axis=0))


class TruncatedFourierSeries(_GridGenerator):
    """u = o + sum over rfft entries m with every |m_d| <= cutoff of c_m = A_m exp(i phi_m).

    A ~ U(-1, 1) and phi ~ U(0, 2π) per stored entry (Nyquist included when the cutoff reaches
    it), offset o ~ U(-0.5, 0.5) unless ``zero_mean`` (then o = 0); the cutoff is inclusive.
    Entries become waves in APEBench's convention: in 1D each mode is a wave of amplitude |A|;
    in 2D and 3D a wave with n non-zero wavenumber components has E[amplitude²] =
    4^(1-n) / 3 off the ``m_last = 0`` plane and 4^(1-n) / 6 in it.
    """

    cutoff: int = eqx.field(static=True)
    zero_mean: bool = eqx.field(static=True)
    max_one: bool = eqx.field(static=True)

    def __check_init__(self):
        if self.cutoff < 1:
            raise ValueError(f"cutoff must be at least 1, got {self.cutoff}")

    def __call__(self, *, key: PRNGKeyArray) -> Float[Array, "*space"]:
        amplitude_key, angle_key, offset_key = jr.split(key, 3)
        amplitude = jr.uniform(amplitude_key, self._half_shape, minval=-1.0, maxval=1.0)
        angle = jr.uniform(angle_key, self._half_shape, minval=0.0, maxval=2.0 * jnp.pi)
        inside = np.all(np.abs(integer_wavenumbers(self.num_spatial_dims, self.num_points)) <= self.cutoff, 0)
        coefficients = amplitude * jnp.exp(1j * angle) * inside
        low, high = (0.0, 0.0) if self.zero_mean else (-0.5, 0.5)
        offset = jr.uniform(offset_key, (1,), minval=low, maxval=high)[0]
        coefficients = coefficients[0].at[(0,) * self.num_spatial_dims].set(offset)
        field = apebench_coefficients_to_field(coefficients, self.num_spatial_dims, self.num_points)
        return normalise(field, zero_mean=False, max_one=self.max_one)


class DiffusedNoise(_GridGenerator):
    """Unit white noise diffused for unit time: spectrum times exp(-intensity·|k|²).

    k = 2π m is the angular wavenumber of the unit domain (Exponax's convention
    with L = 1), so the power spectrum decays like exp(-2·intensity·4π²|m|²).
    """

    intensity: float = eqx.field(static=True)
    zero_mean: bool = eqx.field(static=True)
    max_one: bool = eqx.field(static=True)

    def __check_init__(self):
        if self.intensity < 0:
            raise ValueError(f"intensity must be non-negative, got {self.intensity}")

    def __call__(self, *, key: PRNGKeyArray) -> Float[Array, "*space"]:
        noise = jr.normal(key, (1,) + self._space)[0]
        k = _angular_wavenumber_norm(self.num_spatial_dims, self.num_points)
        damping = jnp.exp(jnp.asarray(-self.intensity * k**2, dtype=jnp.float32))
        field = jnp.fft.irfftn(jnp.fft.rfftn(noise) * damping, s=self._space)
        return normalise(field, zero_mean=self.zero_mean, max_one=self.max_one)


class GaussianRandomField(_GridGenerator):
    """Gaussian field whose power spectrum follows |k|^(-powerlaw_exponent), k = 2π m.

    Every stored rfft entry gets a complex normal coefficient (real and imaginary parts standard
    normal) times |k|^(-p/2); the mean entry gets weight 1 (a real standard normal mean).
    Entries become waves in APEBench's convention (see :class:`TruncatedFourierSeries`). With
    ``zero_mean`` the mean is subtracted afterwards.
    """

    powerlaw_exponent: float = eqx.field(static=True)
    zero_mean: bool = eqx.field(static=True)
    max_one: bool = eqx.field(static=True)

    def __call__(self, *, key: PRNGKeyArray) -> Float[Array, "*space"]:
        real_key, imag_key = jr.split(key)
        norm = _angular_wavenumber_norm(self.num_spatial_dims, self.num_points)
        with np.errstate(divide="ignore"):
            envelope = np.power(np.where(norm == 0, 1.0, norm), -self.powerlaw_exponent / 2.0)
        envelope.flat[0] = 1.0
        noise = jr.normal(real_key, self._half_shape) + 1j * jr.normal(imag_key, self._half_shape)
        coefficients = noise[0] * jnp.asarray(envelope, dtype=jnp.float32)
        field = apebench_coefficients_to_field(coefficients, self.num_spatial_dims, self.num_points)
        return normalise(field, zero_mean=self.zero_mean, max_one=self.max_one)
