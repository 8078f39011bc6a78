"""Spatial metrics against hand-computed values and plain numpy formulas."""

import numpy as np
import pytest

SPATIAL = [f"mean_{p}{e}" for p in ("", "n", "s") for e in ("MAE", "MSE", "RMSE")] + ["mean_VRMSE"]


def lp(v, p):
    """Discrete L^p norm on the unit domain, per sample and channel: (N^-D sum |v|^p)^(1/p)."""
    axes = tuple(range(2, v.ndim))
    return np.mean(np.abs(v) ** p, axis=axes) ** (1 / p)


def reference_formula(name, u, r):
    error, power = {"MAE": (1, 1), "MSE": (2, 2), "RMSE": (2, 1)}[name.removeprefix("mean_").lstrip("ns")]
    diff = lp(u - r, error) ** power
    if name.startswith("mean_n"):
        diff = diff / lp(r, error) ** power
    elif name.startswith("mean_s"):
        diff = 2 * diff / (lp(u, error) ** power + lp(r, error) ** power)
    return diff.sum(axis=1).mean()


def test_hand_computed_1d(metric):
    # one sample, one channel, N=4: u - r = (1, -1, 0, 2), r = (1, 1, 1, 1)
    r = np.ones((1, 1, 4))
    u = r + np.array([1.0, -1.0, 0.0, 2.0])
    assert metric("mean_MAE")(u, r) == pytest.approx(4 / 4)
    assert metric("mean_MSE")(u, r) == pytest.approx(6 / 4)
    assert metric("mean_RMSE")(u, r) == pytest.approx(np.sqrt(1.5))
    assert metric("mean_nRMSE")(u, r) == pytest.approx(np.sqrt(1.5) / 1.0)
    # |u|_1 = (2 + 0 + 1 + 3)/4 = 1.5, |r|_1 = 1
    assert metric("mean_sMAE")(u, r) == pytest.approx(2 * 1.0 / (1.5 + 1.0))


def test_channels_are_summed_and_samples_averaged(metric):
    # sample 0: channel errors 1 and 2; sample 1: 3 and 0 -> (3 + 3) / 2
    r = np.zeros((2, 2, 3))
    u = np.stack([np.full((2, 3), 0.0), np.full((2, 3), 0.0)])
    u[0, 0], u[0, 1], u[1, 0] = 1.0, -2.0, 3.0
    assert metric("mean_MAE")(u, r) == pytest.approx(3.0)
    assert metric("mean_RMSE")(u, r) == pytest.approx(3.0)
    assert metric("mean_MSE")(u, r) == pytest.approx((1 + 4 + 9) / 2)


@pytest.mark.parametrize("name", SPATIAL[:-1])
@pytest.mark.parametrize("shape", [(3, 1, 16), (2, 2, 8, 8), (2, 1, 4, 4, 4)])
def test_matches_numpy_formula(metric, rng, name, shape):
    u, r = rng.normal(size=shape), rng.normal(size=shape) + 0.5
    assert metric(name)(u, r) == pytest.approx(reference_formula(name, u, r), rel=1e-5)


@pytest.mark.parametrize("name", SPATIAL)
def test_zero_for_a_perfect_prediction(metric, rng, name):
    r = rng.normal(size=(2, 3, 8, 8))
    assert metric(name)(r, r) == 0.0


@pytest.mark.parametrize("name", ["mean_nMAE", "mean_nMSE", "mean_nRMSE"])
@pytest.mark.parametrize("channels", [1, 2, 3])
def test_zero_prediction_scores_the_number_of_channels(metric, rng, name, channels):
    r = rng.normal(size=(4, channels, 16))
    assert metric(name)(np.zeros_like(r), r) == pytest.approx(channels, rel=1e-6)


@pytest.mark.parametrize("name", ["mean_sMAE", "mean_sMSE", "mean_sRMSE"])
def test_symmetric_metrics_are_symmetric_and_bounded(metric, rng, name):
    u, r = rng.normal(size=(3, 2, 16)), rng.normal(size=(3, 2, 16))
    assert metric(name)(u, r) == pytest.approx(metric(name)(r, u), rel=1e-6)
    # a zero prediction is maximally wrong: 2 per channel
    assert metric(name)(np.zeros_like(r), r) == pytest.approx(4.0, rel=1e-6)


def test_absolute_metrics_scale_with_the_error(metric, rng):
    u, r = rng.normal(size=(2, 1, 32)), rng.normal(size=(2, 1, 32))
    scaled = r + 3 * (u - r)
    assert metric("mean_MAE")(scaled, r) == pytest.approx(3 * metric("mean_MAE")(u, r), rel=1e-5)
    assert metric("mean_MSE")(scaled, r) == pytest.approx(9 * metric("mean_MSE")(u, r), rel=1e-5)
    assert metric("mean_RMSE")(scaled, r) == pytest.approx(3 * metric("mean_RMSE")(u, r), rel=1e-5)


def test_vrmse_divides_rmse_by_the_reference_std(metric, rng):
    u, r = rng.normal(size=(3, 2, 8, 8)), 5.0 + 2.0 * rng.normal(size=(3, 2, 8, 8))
    per_channel = np.sqrt(np.mean((u - r) ** 2, axis=(2, 3))) / np.std(r, axis=(2, 3))
    assert metric("mean_VRMSE")(u, r) == pytest.approx(per_channel.sum(axis=1).mean(), rel=1e-5)
    # the mean of the reference scores 1 per channel, unlike nRMSE which rewards the offset
    mean_prediction = np.broadcast_to(r.mean(axis=(2, 3), keepdims=True), r.shape)
    assert metric("mean_VRMSE")(mean_prediction, r) == pytest.approx(2.0, rel=1e-5)
    assert metric("mean_nRMSE")(mean_prediction, r) < 1.0


def test_metrics_vmap_over_time_as_the_pipeline_does(rng):
    import jax

    import apebench_core as apebench

    fn = apebench.build("metric", "mean_nRMSE")
    u, r = rng.normal(size=(2, 5, 1, 8)), rng.normal(size=(2, 5, 1, 8))
    over_time = jax.jit(jax.vmap(fn, in_axes=(1, 1)))(u, r)
    expected = [float(fn(u[:, t], r[:, t])) for t in range(5)]
    np.testing.assert_allclose(over_time, expected, rtol=1e-6)
