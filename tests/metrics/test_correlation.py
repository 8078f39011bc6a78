"""mean_correlation: cosine similarity per channel, no mean subtraction."""

import numpy as np
import pytest


def test_hand_computed(metric):
    # u = (1, 0), r = (1, 1): cos = 1/sqrt(2); second channel identical: 1
    u = np.array([[[1.0, 0.0], [2.0, 3.0]]])
    r = np.array([[[1.0, 1.0], [2.0, 3.0]]])
    assert metric("mean_correlation")(u, r) == pytest.approx((1 / np.sqrt(2) + 1) / 2, rel=1e-6)


def test_scaling_and_sign(metric, rng):
    r = rng.normal(size=(3, 2, 8, 8))
    assert metric("mean_correlation")(2 * r, r) == pytest.approx(1.0, rel=1e-6)
    assert metric("mean_correlation")(-r, r) == pytest.approx(-1.0, rel=1e-6)


def test_no_mean_subtraction(metric):
    # orthogonal zero-mean patterns on a common offset: Pearson r would be 0
    x = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    u, r = (3 + np.sin(x))[None, None], (3 + np.cos(x))[None, None]
    assert metric("mean_correlation")(u, r) == pytest.approx(9 / 9.5, rel=1e-5)


def test_matches_numpy_formula(metric, rng):
    u, r = rng.normal(size=(4, 3, 16)), rng.normal(size=(4, 3, 16))
    per = np.sum(u * r, -1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(r, axis=-1))
    assert metric("mean_correlation")(u, r) == pytest.approx(per.mean(), rel=1e-5)
