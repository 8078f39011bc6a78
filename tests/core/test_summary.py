"""steps_until_below / correlation_time: leading steps at or above a threshold."""

import numpy as np
import pandas as pd
import pytest

from apebench_core.summary import correlation_time, steps_until_below


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


def test_correlation_time_of_a_result_table():
    table = pd.DataFrame(
        {"seed": [0, 1], "mean_correlation_0001": [0.95, 0.9], "mean_correlation_0002": [0.7, 0.85]}
    )
    assert list(correlation_time(table, 0.8)) == [1, 2]
    with pytest.raises(KeyError, match="report_metrics"):
        correlation_time(table.drop(columns=["mean_correlation_0001", "mean_correlation_0002"]))
