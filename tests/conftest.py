"""Test-suite defaults: bundled plugins must load cleanly (strict), no progress bars, and
one compilation cache for the whole suite.

``apebench_core`` is imported before anything imports JAX, so the suite runs with one
CPU device per core, as users do, and seed spreading is exercised.

The compilation cache (``.cache/tests`` in the checkout, shared by the suite's processes and
the subprocesses they start) is on from the first test: many tests build the same programs
from new Python objects, which JAX's in-memory caches do not recognise but the persistent
cache does, and a second run of the suite compiles almost nothing. Results are bit-identical
with and without it (tests/core/test_compile_cache.py); ``APEBENCH_COMPILE_CACHE=0`` turns
it off here too.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("APEBENCH_STRICT_PLUGINS", "1")
os.environ.setdefault("APEBENCH_NO_PROGRESS", "1")
os.environ.setdefault("APEBENCH_CACHE_DIR", str(Path(__file__).resolve().parent.parent / ".cache" / "tests"))

import apebench_core  # noqa: E402, F401  (asks JAX for one CPU device per core)
from apebench_core.experiment.compile_cache import activate  # noqa: E402

activate()


@pytest.fixture
def x64():
    """Float64 for one test; restored afterwards so it does not leak into other tests."""
    import jax

    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    yield
    jax.config.update("jax_enable_x64", previous)
