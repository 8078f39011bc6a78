"""Fixtures for the PDE tests."""

import jax
import pytest


@pytest.fixture
def x64():
    """Float64 for one test; restored afterwards so it does not leak into other tests."""
    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    yield
    jax.config.update("jax_enable_x64", previous)
