"""steps_until_below: leading steps at or above a threshold."""

import subprocess
import sys

import numpy as np
import pytest

from apebench_metrics import steps_until_below


def test_counts_leading_steps_only():
    assert steps_until_below([0.99, 0.9, 0.85, 0.7, 0.95], 0.8) == 3


def test_never_below_and_immediately_below():
    assert steps_until_below([0.9, 0.9], 0.8) == 2
    assert steps_until_below([0.5, 0.9], 0.8) == 0


def test_threshold_is_inclusive_and_nan_counts_as_below():
    assert steps_until_below([0.8, 0.8, 0.79], 0.8) == 2
    assert steps_until_below([0.9, np.nan, 0.9], 0.8) == 1


def test_keeps_leading_axes():
    trajectories = np.array([[[1.0, 0.1, 1.0], [1.0, 1.0, 1.0]], [[0.0, 1.0, 1.0], [1.0, 1.0, 0.5]]])
    np.testing.assert_array_equal(steps_until_below(trajectories, 0.8), [[1, 3], [0, 2]])


def test_rejects_a_scalar():
    with pytest.raises(ValueError, match="time axis"):
        steps_until_below(0.9, 0.8)


def test_lazy_public_api_does_not_import_jax():
    code = (
        "import sys, apebench_metrics\n"
        "assert apebench_metrics.steps_until_below([1.0, 0.0], 0.5) == 1\n"
        "assert 'jax' not in sys.modules\n"
        "assert callable(apebench_metrics.spatial_metric)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
