"""Metrics of the peer benchmarks, written from their published definitions.

* ``mean_binned_spectral_MSE;BAND`` / ``mean_binned_spectral_nMSE;BAND`` (The Well): the error's
  power in one of three log-spaced bands of the radial wavenumber, absolute or over the
  reference's power in the same band.
* ``mean_fRMSE;BAND;LOW_CUT;HIGH_CUT`` (PDEBench): the RMS error carried by the low, mid or
  high radial wavenumbers.
* ``mean_cRMSE`` (PDEBench): the RMS error of the spatial mean (the conserved quantity).
* ``mean_Linf``: the largest pointwise error.

Conventions: ``e_hat = fftn(u - r) / N^D``, so ``sum_k |e_hat_k|^2`` is the spatial mean of
``e^2`` (Parseval), and a cosine of amplitude ``a`` puts ``a^2 / 2`` into its band. Integer
wavenumbers ``k_d``; the radial wavenumber is ``|k| = sqrt(sum_d k_d^2)``. As for every bundled
metric, values are computed per channel and summed over channels, then averaged over samples
(except the RMS metrics, which take the root of the sample mean, as PDEBench does).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float

from ._aggregation import Metric, sample_mean

BANDS = ("low", "mid", "high")


def radial_wavenumbers(num_spatial_dims: int, num_points: int) -> np.ndarray:
    """``|k|`` on the full FFT grid ``(N,) * D`` (integer wavenumbers, negative ones included)."""
    k = np.fft.fftfreq(num_points, 1 / num_points)
    grids = np.meshgrid(*([k] * num_spatial_dims), indexing="ij")
    return np.sqrt(sum(g**2 for g in grids))


def largest_radial_wavenumber(num_spatial_dims: int, num_points: int) -> float:
    """``sqrt(D) * N / 2``: the corner of the grid's spectrum."""
    return math.sqrt(num_spatial_dims) * (num_points // 2)


def log_band_edges(num_spatial_dims: int, num_points: int) -> np.ndarray:
    """Four edges, log-spaced from the fundamental ``|k| = 1`` to the spectrum's corner."""
    top = largest_radial_wavenumber(num_spatial_dims, num_points)
    return np.array([top ** (i / 3) for i in range(4)])


def log_band_mask(band: str, num_spatial_dims: int, num_points: int) -> np.ndarray:
    """Modes of a log-spaced band: ``[e0, e1)``, ``[e1, e2)`` or ``[e2, e3]``; the mean is in none."""
    radius = radial_wavenumbers(num_spatial_dims, num_points)
    edges = log_band_edges(num_spatial_dims, num_points)
    i = BANDS.index(band)
    upper = radius <= edges[3] + 1e-9 if i == 2 else radius < edges[i + 1]
    return (radius >= edges[i]) & upper


def cut_band_mask(
    band: str, low_cut: float, high_cut: float, num_spatial_dims: int, num_points: int
) -> np.ndarray:
    """PDEBench's bands: low ``|k| < low_cut`` (mean included), mid ``low_cut <= |k| < high_cut``,
    high ``|k| >= high_cut``."""
    radius = radial_wavenumbers(num_spatial_dims, num_points)
    return {
        "low": radius < low_cut,
        "mid": (radius >= low_cut) & (radius < high_cut),
        "high": radius >= high_cut,
    }[band]


def band_power(
    field: Float[Array, " channels *space"], mask_of: Callable[[int, int], np.ndarray]
) -> Float[Array, " channels"]:
    """``sum_{k in band} |fftn(field)_k / N^D|^2`` per channel."""
    num_spatial_dims, num_points = field.ndim - 1, field.shape[-1]
    axes = tuple(range(1, field.ndim))
    spectrum = jnp.fft.fftn(field, axes=axes) / num_points**num_spatial_dims
    mask = mask_of(num_spatial_dims, num_points).astype(field.dtype)
    return jnp.sum(jnp.abs(spectrum) ** 2 * mask, axis=axes)


def binned_spectral_metric(band: str, normalized: bool) -> Metric:
    """The Well's binned spectral error in one log-spaced band."""

    def mask_of(d, n):
        return log_band_mask(band, d, n)

    def per_sample(prediction, reference):
        error = band_power(prediction - reference, mask_of)
        if normalized:
            error = error / band_power(reference, mask_of)
        return jnp.sum(error)

    return sample_mean(per_sample)


def root_of_sample_mean(per_sample_channel: Callable[[Array, Array], Array]) -> Metric:
    """Per channel ``sqrt(mean over samples)``, then summed over channels."""

    def metric(prediction, reference):
        squares = jax.vmap(per_sample_channel)(prediction, reference)  # (samples, channels)
        return jnp.sum(jnp.sqrt(jnp.mean(squares, axis=0)))

    return metric


def mean_binned_spectral_mse(band: str) -> Metric:
    """The error's power in the band (spatial-mean-square units); channels summed, samples averaged."""
    return binned_spectral_metric(band, normalized=False)


def mean_binned_spectral_nmse(band: str) -> Metric:
    """The error's power in the band over the reference's power in it."""
    return binned_spectral_metric(band, normalized=True)


def mean_frmse(band: str, low_cut: float = 4.0, high_cut: float = 12.0) -> Metric:
    """RMS error carried by the band's modes: ``sqrt(mean_samples sum_{k in band} |e_hat_k|^2)``."""

    def mask_of(d, n):
        return cut_band_mask(band, low_cut, high_cut, d, n)

    return root_of_sample_mean(lambda u, r: band_power(u - r, mask_of))


def mean_crmse() -> Metric:
    """RMS over samples of the error of the spatial mean, per channel; channels summed."""

    def squares(u, r):
        axes = tuple(range(1, u.ndim))
        return (jnp.mean(u, axis=axes) - jnp.mean(r, axis=axes)) ** 2

    return root_of_sample_mean(squares)


def mean_linf() -> Metric:
    """Largest pointwise error per channel, summed over channels, averaged over samples."""

    def per_sample(u, r):
        return jnp.sum(jnp.max(jnp.abs(u - r), axis=tuple(range(1, u.ndim))))

    return sample_mean(per_sample)
