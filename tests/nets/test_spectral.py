"""The FNO layer's truncated DFT products equal the spectral convolution defined with FFTs."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from apebench_nets.layers import SpectralConv


def fft_definition(weight: np.ndarray, x: np.ndarray, num_modes: int) -> np.ndarray:
    """rfftn; keep modes 0..m-1 on the last axis and -m..m-1 on the others; mix channels per
    mode; zero the rest; irfftn (numpy, float64)."""
    space = x.shape[1:]
    axes = tuple(range(1, x.ndim))
    spectrum = np.fft.rfftn(x, axes=axes)
    kept = [np.r_[0:num_modes, n - num_modes : n] for n in space[:-1]] + [np.arange(num_modes)]
    block = spectrum[(slice(None),) + np.ix_(*kept)]
    mixed = np.einsum("i...,oi...->o...", block, weight)
    full = np.zeros((weight.shape[0],) + spectrum.shape[1:], complex)
    full[(slice(None),) + np.ix_(*kept)] = mixed
    return np.fft.irfftn(full, s=space, axes=axes)


@pytest.mark.parametrize(
    "num_spatial_dims, num_points, num_modes",
    [(1, 160, 8), (1, 16, 9), (1, 17, 9), (1, 12, 1), (2, 20, 4), (2, 16, 8), (3, 12, 3)],
    ids=["1d", "1d-nyquist", "1d-odd", "1d-mean-only", "2d", "2d-all-corners", "3d"],
)
def test_matches_the_fft_definition_in_float64(x64, num_spatial_dims, num_points, num_modes):
    layer = SpectralConv(num_spatial_dims, 3, 2, num_modes, key=jax.random.PRNGKey(1))
    layer = jax.tree.map(lambda a: jnp.asarray(a, jnp.float64), layer)
    x = np.random.default_rng(0).standard_normal((3,) + (num_points,) * num_spatial_dims)
    weight = np.asarray(layer.weight_real) + 1j * np.asarray(layer.weight_imag)
    out = layer(jnp.asarray(x))
    assert out.dtype == jnp.float64
    np.testing.assert_allclose(out, fft_definition(weight, x, num_modes), rtol=0, atol=1e-12)


def test_float32_output_and_gradient_are_finite_and_real():
    layer = SpectralConv(2, 4, 4, 5, key=jax.random.PRNGKey(0))
    x = jax.random.normal(jax.random.PRNGKey(1), (4, 24, 24))
    out, grad = jax.value_and_grad(lambda layer: jnp.sum(layer(x) ** 2))(layer)
    assert out.dtype == jnp.float32 and np.isfinite(float(out))
    assert np.isfinite(np.asarray(grad.weight_real)).all()
