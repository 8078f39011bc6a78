"""Running experiments by scenario key, as in the seed API."""

from __future__ import annotations

from typing import Any

from . import defaults


def get_experiment_name(
    *, scenario: str, task: str, net: str, train: str, start_seed: int, num_seeds: int, **scenario_kwargs: Any
) -> str:
    """The seed API's human-readable experiment name (not filesystem-safe; see results storage)."""
    kwargs = ",".join(f"{k}={v}" for k, v in scenario_kwargs.items())
    return f"{scenario}__{kwargs}__{task}__{net}__{train}__{start_seed}-{start_seed + num_seeds - 1}"


def run_experiment(
    *,
    scenario: str,
    task: str = defaults.TASK,
    net: str = defaults.NET,
    train: str = defaults.TRAIN,
    start_seed: int = 0,
    num_seeds: int = 1,
    progress: bool = True,
    **scenario_kwargs: Any,
) -> tuple[Any, Any]:
    """Plan the experiment (every field checked before any data exists), run it; returns
    (wide table, seed-stacked steppers)."""
    from .pipeline import run
    from .plan import plan

    experiment = plan(
        scenario,
        task=task,
        net=net,
        train=train,
        start_seed=start_seed,
        num_seeds=num_seeds,
        **scenario_kwargs,
    )
    result = run(experiment, progress=progress)
    return result.table, result.raw.steppers
