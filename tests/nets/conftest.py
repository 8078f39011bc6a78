"""Shared helpers for the architecture tests: build through the registry with only this plugin."""

from __future__ import annotations

import jax
import pytest

import apebench_nets._plugin as nets_plugin
from apebench_core._registry import Registry


@pytest.fixture(scope="session")
def registry():
    """Only this plugin, registered in process: installed plugins cannot interfere."""
    reg = Registry(autoload=False)
    reg.register(nets_plugin, name="nets")
    return reg


@pytest.fixture(scope="session")
def build(registry):
    # Networks initialise from a typed "rbg" key: what these tests check (shapes, counts, reach,
    # equivariance) does not depend on the generator, and XLA compiles threefry's hash slowly on
    # CPU (about a second per weight shape): tests/nets took 125 s of CPU with an empty
    # compilation cache instead of 185 s. The pipeline's tests keep the default generator.
    def build_network(config, *, num_spatial_dims=1, num_channels=1, num_points=160, seed=0):
        return registry.build(
            "architecture",
            config,
            num_spatial_dims=num_spatial_dims,
            num_channels=num_channels,
            num_points=num_points,
            key=jax.random.key(seed, impl="rbg"),
        )

    return build_network
