"""Shared helpers for the architecture tests: build through the registry with only this plugin."""

from __future__ import annotations

import jax
import pytest

import apebench_nets._plugin as nets_plugin
from apebench_core._registry import ENV_DISABLE_AUTOLOAD, Registry


@pytest.fixture(scope="session")
def registry():
    """Only this plugin, registered in process: installed plugins cannot interfere."""
    patch = pytest.MonkeyPatch()
    patch.setenv(ENV_DISABLE_AUTOLOAD, "1")
    reg = Registry()
    reg.register(nets_plugin, name="nets")
    yield reg
    patch.undo()


@pytest.fixture(scope="session")
def build(registry):
    def build_network(config, *, num_spatial_dims=1, num_channels=1, num_points=160, seed=0):
        return registry.build(
            "architecture",
            config,
            num_spatial_dims=num_spatial_dims,
            num_channels=num_channels,
            num_points=num_points,
            key=jax.random.PRNGKey(seed),
        )

    return build_network
