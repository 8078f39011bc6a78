"""Random fields defined by their spectrum: truncated Fourier series, diffused noise, GRF."""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
import jax.random as jr
import numpy as np
from jaxtyping import Array, Float, PRNGKeyArray

from ._spectral import (
    cosine_series_to_field,
    distinct_mode_mask,
    integer_wavenumbers,
    normalise,
    rfft_shape,
    scaled_wavenumber_norm,
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
        return rfft_shape(self.num_spatial_dims, self.num_points)


class TruncatedFourierSeries(_GridGenerator):
    """u = o + Σ A_m cos(2π m·x + φ_m) over distinct modes with every |m_d| ≤ cutoff.

    A ~ U(-1, 1) and φ ~ U(0, 2π) per mode, offset o ~ U(-0.5, 0.5) unless
    ``zero_mean`` (then o = 0). The cutoff is inclusive, as in Exponax 0.1.0
    (``fourier;5`` has modes 1..5 per axis); on grids too coarse for it, all
    modes below Nyquist are used. Each ±m pair is one wave, so every
    mode's real-space amplitude is uniform in (0, 1) in every dimension.
    """

    cutoff: int = eqx.field(static=True)
    zero_mean: bool = eqx.field(static=True)
    max_one: bool = eqx.field(static=True)

    def __check_init__(self):
        if self.cutoff < 1:
            raise ValueError(f"cutoff must be at least 1, got {self.cutoff}")

    def __call__(self, *, key: PRNGKeyArray) -> Float[Array, "*space"]:
        amplitude_key, angle_key, offset_key = jr.split(key, 3)
        m = integer_wavenumbers(self.num_spatial_dims, self.num_points)
        active = distinct_mode_mask(self.num_spatial_dims, self.num_points)
        active &= np.all(np.abs(m) <= self.cutoff, axis=0)
        amplitude = jr.uniform(amplitude_key, self._half_shape, minval=-1.0, maxval=1.0)
        angle = jr.uniform(angle_key, self._half_shape, minval=0.0, maxval=2.0 * jnp.pi)
        coefficients = jnp.where(active, amplitude * jnp.exp(1j * angle), 0.0)
        if not self.zero_mean:
            offset = jr.uniform(offset_key, (), minval=-0.5, maxval=0.5)
            coefficients = coefficients.at[(0,) * self.num_spatial_dims].set(offset)
        field = cosine_series_to_field(coefficients, self.num_spatial_dims, self.num_points)
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
        space = (self.num_points,) * self.num_spatial_dims
        noise = jr.normal(key, space)
        k = scaled_wavenumber_norm(self.num_spatial_dims, self.num_points)
        damping = np.exp(-self.intensity * k**2)
        field = jnp.fft.irfftn(jnp.fft.rfftn(noise) * damping, s=space)
        return normalise(field, zero_mean=self.zero_mean, max_one=self.max_one)


class GaussianRandomField(_GridGenerator):
    """Gaussian field whose power spectrum follows |k|^(-powerlaw_exponent), k = 2π m.

    Each distinct mode gets a complex normal coefficient times |k|^(-p/2). The
    mean is a standard normal draw unless ``zero_mean`` (then exactly zero).
    """

    powerlaw_exponent: float = eqx.field(static=True)
    zero_mean: bool = eqx.field(static=True)
    max_one: bool = eqx.field(static=True)

    def __call__(self, *, key: PRNGKeyArray) -> Float[Array, "*space"]:
        real_key, imag_key = jr.split(key)
        norm = scaled_wavenumber_norm(self.num_spatial_dims, self.num_points)
        active = distinct_mode_mask(self.num_spatial_dims, self.num_points)
        envelope = np.where(active, np.power(np.where(active, norm, 1.0), -self.powerlaw_exponent / 2), 0.0)
        if not self.zero_mean:
            envelope[(0,) * self.num_spatial_dims] = 1.0
        noise = jr.normal(real_key, self._half_shape) + 1j * jr.normal(imag_key, self._half_shape)
        field = cosine_series_to_field(noise * envelope, self.num_spatial_dims, self.num_points)
        return normalise(field, zero_mean=False, max_one=self.max_one)
