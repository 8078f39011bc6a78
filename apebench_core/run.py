"""Running experiments by scenario key, as in the seed API."""

from __future__ import annotations

from typing import Any

from ._registry import get_registry


def get_experiment_name(
    *, scenario: str, task: str, net: str, train: str, start_seed: int, num_seeds: int, **scenario_kwargs: Any
) -> str:
    """The seed API's human-readable experiment name (not filesystem-safe; see results storage)."""
    kwargs = ",".join(f"{k}={v}" for k, v in scenario_kwargs.items())
    return f"{scenario}__{kwargs}__{task}__{net}__{train}__{start_seed}-{start_seed + num_seeds - 1}"


def run_experiment(
    *,
    scenario: str,
    task: str,
    net: str,
    train: str,
    start_seed: int,
    num_seeds: int,
    progress: bool = True,
    **scenario_kwargs: Any,
) -> tuple[Any, Any]:
    """Build the scenario ``scenario`` with ``scenario_kwargs`` and run it; returns (table, steppers)."""
    scene = get_registry().build("scenario", scenario, **scenario_kwargs)
    table, steppers = scene(
        task_config=task,
        network_config=net,
        train_config=train,
        start_seed=start_seed,
        num_seeds=num_seeds,
        progress=progress,
    )
    table["scenario_kwargs"] = str(scenario_kwargs)
    return table, steppers
