"""Shared helpers: build metrics through the public registry, as the pipeline does."""

import numpy as np
import pytest

import apebench_core as apebench


@pytest.fixture
def metric():
    def build(config):
        fn = apebench.build("metric", config)
        return lambda u, r: float(fn(np.asarray(u, np.float32), np.asarray(r, np.float32)))

    return build


@pytest.fixture
def rng():
    return np.random.default_rng(0)
