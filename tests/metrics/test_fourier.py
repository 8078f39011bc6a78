"""Fourier and H1 metrics: sine waves by hand, a full-FFT numpy formula, anchor conventions."""

import numpy as np
import pytest

EXPONENTS = {"MAE": (1, 1), "MSE": (2, 1), "RMSE": (2, 0.5)}


def grid(n, dims):
    return np.meshgrid(*([np.arange(n) / n] * dims), indexing="ij")


def full_fft_formula(error, normalized, u, r, low, high, order):
    """Independent formula on the full (not real) FFT, where conjugate twins need no weights."""
    p, q = EXPONENTS[error]
    dims, n = u.ndim - 2, u.shape[-1]
    k = np.stack(np.meshgrid(*([np.fft.fftfreq(n, 1 / n)] * dims), indexing="ij"))
    band = (np.abs(k).max(axis=0) >= low) & (np.abs(k).max(axis=0) <= high)

    def norm(v):  # (samples, channels)
        v_hat = np.abs(np.fft.fftn(v, axes=tuple(range(2, v.ndim)))) * band
        return sum(
            (
                np.sum((v_hat * np.abs(2 * np.pi * k_d) ** order) ** p, axis=tuple(range(2, v.ndim)))
                / n ** (2 * dims)
            )
            ** q
            for k_d in k
        )

    value = norm(u - r) / norm(r) if normalized else norm(u - r)
    return value.sum(axis=1).mean()


@pytest.mark.parametrize("error", ["MAE", "MSE", "RMSE"])
@pytest.mark.parametrize("prefix", ["", "n"])
@pytest.mark.parametrize("shape", [(3, 2, 16), (2, 1, 8, 8), (2, 1, 7, 7), (1, 1, 4, 4, 4)])
@pytest.mark.parametrize("low,high,order", [(0, 100, 0.0), (1, 3, 1.0), (2, 2, 2.0), (0, 2, 0.5)])
def test_matches_full_fft_formula(metric, rng, error, prefix, shape, low, high, order):
    u, r = rng.normal(size=shape), rng.normal(size=shape) + 0.2
    got = metric(f"mean_fourier_{prefix}{error};{low};{high};{order}")(u, r)
    expected = full_fft_formula(error, prefix == "n", u, r, low, high, order)
    assert got == pytest.approx(expected, rel=1e-4)


def test_sine_wave_by_hand(metric):
    (x,) = grid(16, 1)
    u, zero = np.sin(2 * np.pi * 3 * x)[None, None], np.zeros((1, 1, 16))
    assert metric("mean_fourier_MSE;0;8;0")(u, zero) == pytest.approx(0.5, rel=1e-6)
    assert metric("mean_fourier_MSE;3;3;0")(u, zero) == pytest.approx(0.5, rel=1e-6)
    assert metric("mean_fourier_MSE;0;2;0")(u, zero) == 0.0
    assert metric("mean_fourier_MSE;4;8;0")(u, zero) == 0.0
    assert metric("mean_fourier_MSE;0;8;1")(u, zero) == pytest.approx((6 * np.pi) ** 2 / 2, rel=1e-5)
    # p = 1 sums coefficient magnitudes: 2 * (N/2) / N^2 = 1/N, not the L1 norm 2/pi
    assert metric("mean_fourier_MAE;0;8;0")(u, zero) == pytest.approx(1 / 16, rel=1e-6)
    assert metric("mean_H1_MSE")(u, zero) == pytest.approx(0.5 + (6 * np.pi) ** 2 / 2, rel=1e-5)


def test_full_band_mse_equals_spatial_mse_in_1d(metric, rng):
    u, r = rng.normal(size=(3, 2, 32)), rng.normal(size=(3, 2, 32))
    assert metric("mean_fourier_MSE;0;16;0")(u, r) == pytest.approx(metric("mean_MSE")(u, r), rel=1e-5)
    assert metric("mean_fourier_nRMSE;0;16;0")(u, r) == pytest.approx(metric("mean_nRMSE")(u, r), rel=1e-5)


def test_2d_derivative_components_are_normed_then_summed(metric):
    """Anchor convention: order 0 counts the field D times; RMSE sums |d_x u| + |d_y u|, not |grad u|."""
    x, y = grid(8, 2)
    u = (np.sin(2 * np.pi * x) + np.sin(2 * np.pi * 2 * y))[None, None]
    zero = np.zeros_like(u)
    assert metric("mean_fourier_MSE;0;4;0")(u, zero) == pytest.approx(
        2 * metric("mean_MSE")(u, zero), rel=1e-5
    )
    assert metric("mean_fourier_RMSE;0;4;1")(u, zero) == pytest.approx(
        (2 * np.pi + 4 * np.pi) / np.sqrt(2), rel=1e-5
    )
    # normalized variants are unaffected by the D-fold count
    r = np.cos(2 * np.pi * x)[None, None]
    assert metric("mean_fourier_nRMSE;0;4;0")(u, r) == pytest.approx(metric("mean_nRMSE")(u, r), rel=1e-5)


def test_band_is_a_square_in_2d(metric):
    x, y = grid(8, 2)
    u, zero = np.sin(2 * np.pi * (3 * x + y))[None, None], np.zeros((1, 1, 8, 8))
    assert metric("mean_fourier_MSE;3;3;0")(u, zero) == pytest.approx(2 * 0.5, rel=1e-6)
    assert metric("mean_fourier_MSE;0;2;0")(u, zero) == 0.0
    assert metric("mean_fourier_MSE;4;4;0")(u, zero) == 0.0


def test_tiny_coefficients_are_floored_to_zero(metric):
    (x,) = grid(16, 1)
    u, zero = 1e-8 * np.sin(2 * np.pi * x)[None, None], np.zeros((1, 1, 16))
    assert metric("mean_fourier_MSE;0;8;0")(u, zero) == 0.0
    assert metric("mean_MSE")(u, zero) > 0.0


@pytest.mark.parametrize("error", ["MAE", "MSE", "RMSE"])
@pytest.mark.parametrize("prefix", ["", "n"])
def test_h1_is_value_plus_first_derivative(metric, rng, error, prefix):
    u, r = rng.normal(size=(2, 2, 16)), rng.normal(size=(2, 2, 16))
    value = metric(f"mean_fourier_{prefix}{error};0;8;0")(u, r)
    derivative = metric(f"mean_fourier_{prefix}{error};0;8;1")(u, r)
    assert metric(f"mean_H1_{prefix}{error}")(u, r) == pytest.approx(value + derivative, rel=1e-5)


def test_h1_value_part_is_not_counted_per_direction(metric, rng):
    u, r = rng.normal(size=(2, 1, 8, 8)), rng.normal(size=(2, 1, 8, 8))
    expected = metric("mean_MSE")(u, r) + metric("mean_fourier_MSE;0;4;1")(u, r)
    assert metric("mean_H1_MSE")(u, r) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("config", ["mean_fourier_nRMSE;0;5;0", "mean_fourier_MAE;1;3;1", "mean_H1_nMSE"])
def test_zero_for_a_perfect_prediction(metric, rng, config):
    r = rng.normal(size=(2, 2, 8, 8))
    assert metric(config)(r, r) == 0.0


@pytest.mark.parametrize("channels", [1, 2])
def test_normalized_zero_prediction_scores_the_number_of_channels(metric, rng, channels):
    r = rng.normal(size=(3, channels, 8, 8))
    assert metric("mean_fourier_nRMSE;0;5;1")(np.zeros_like(r), r) == pytest.approx(channels, rel=1e-5)
    assert metric("mean_H1_nRMSE")(np.zeros_like(r), r) == pytest.approx(2 * channels, rel=1e-5)
