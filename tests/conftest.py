"""Test-suite defaults: bundled plugins must load cleanly (strict), no progress bars.

``apebench_core`` is imported before anything imports JAX, so the suite runs with one
CPU device per core, as users do, and seed spreading is exercised.
"""

import os

import pytest

os.environ.setdefault("APEBENCH_STRICT_PLUGINS", "1")
os.environ.setdefault("APEBENCH_NO_PROGRESS", "1")

import apebench_core  # noqa: E402, F401  (asks JAX for one CPU device per core)


@pytest.fixture
def x64():
    """Float64 for one test; restored afterwards so it does not leak into other tests."""
    import jax

    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    yield
    jax.config.update("jax_enable_x64", previous)
