"""Named suites (lists of scenarios, registered by plugins) run under a protocol.

A *protocol* is the training and testing budget every scenario of a suite runs with:
``full`` keeps each scenario's own defaults (the paper's budget), ``quick`` shrinks the
data, the update steps and the test set so that the whole 46-scenario paper suite runs
in minutes. Its numbers are for catching changes, not for reporting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..experiment import defaults
from ..plugin.errors import ConfigError
from ..plugin.registry import get_registry


@attrs.frozen
class Protocol:
    """A budget: scenario fields set on every entry of a suite, the grid, seeds and network."""

    name: str
    summary: str
    overrides: Mapping[str, Any]
    #: grid points per axis by spatial dimension, where the protocol coarsens the suite's grid
    num_points: Mapping[int, int]
    num_seeds: int
    #: the architecture when none is given (3D convolutions run at ~5 GFLOP/s on a CPU core)
    net: str
    #: the test steps whose median nRMSE is summarised and pinned
    horizons: tuple[int, ...]


PROTOCOLS: dict[str, Protocol] = {
    "full": Protocol(
        name="full",
        summary="each scenario's own defaults (the paper's data, update steps and test set)",
        overrides={},
        num_points={},
        num_seeds=1,
        net=defaults.NET,
        horizons=(1, 10, 100, 200),
    ),
    "quick": Protocol(
        name="quick",
        summary="a regression budget, minutes for the paper's suite: 4 training trajectories of 10 steps, "
        "100 update steps of batch 2, 2 seeds, 2 test trajectories of 20 steps; 2D on 32^2, 3D on 16^3; "
        "Conv;8;4;relu unless a net is given",
        overrides={
            "num_train_samples": 4,
            "train_temporal_horizon": 10,
            "num_test_samples": 2,
            "test_temporal_horizon": 20,
            "optim_config": defaults.QUICK_OPTIMIZER,
            "batch_size": 2,
            "record_loss_every": 20,
        },
        num_points={2: 32, 3: 16},
        num_seeds=2,
        net=defaults.QUICK_NET,
        horizons=(1, 5, 20),
    ),
}


def get_protocol(name: str) -> Protocol:
    """The protocol called ``name``; a :class:`ConfigError` lists the known ones otherwise."""
    try:
        return PROTOCOLS[name]
    except KeyError:
        raise ConfigError(f"protocol {name!r} is unknown; expected one of {', '.join(PROTOCOLS)}") from None


def suite_configs(
    name: str,
    *,
    net: str | None = None,
    train: str = defaults.TRAIN,
    protocol: str = "full",
    task: str = defaults.TASK,
    num_seeds: int | None = None,
    start_seed: int = 0,
) -> list[dict[str, Any]]:
    """One experiment configuration per scenario of suite ``name`` under ``protocol``.

    The suite's entry sets the scenario and its physics; the protocol's budget comes on
    top of it (a quick run shrinks the 3D test sets too). ``net`` and ``num_seeds`` default
    to the protocol's.
    """
    budget = get_protocol(protocol)
    seeds = budget.num_seeds if num_seeds is None else num_seeds
    configs = []
    for entry in get_registry().build("suite", name):
        config = {"scenario": entry["scenario"], "task": task, "net": net or budget.net, "train": train}
        config.update(start_seed=start_seed, num_seeds=seeds)
        config.update((key, value) for key, value in entry.items() if key != "scenario")
        config.update(budget.overrides)
        coarse = budget.num_points.get(entry.get("num_spatial_dims", 1))
        if coarse is not None:
            config["num_points"] = coarse
        configs.append(config)
    return configs
