"""Tiny sizes shared by the exchange tests."""

import pytest

#: A small protocol: 16 points, 2-3 trajectories of a few steps.
TINY = {
    "num_points": 16,
    "num_train_samples": 3,
    "train_temporal_horizon": 3,
    "num_test_samples": 2,
    "test_temporal_horizon": 4,
}


@pytest.fixture
def tiny():
    return dict(TINY)
