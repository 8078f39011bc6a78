"""The run path of a planned :class:`~apebench_core.experiment.plan.Experiment`, top to bottom.

components (built before any data exists, so a broken one fails fast) -> train data ->
networks for all seeds -> neural stepper for the task -> training -> evaluation -> table.
Every arrow is a small function; the scenario is only asked for its data and steppers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import equinox as eqx
import numpy as np

from ..plugin.config import ParsedConfig
from .compile_cache import activate as activate_compile_cache
from .data import draw_ic_set, multichannel  # noqa: F401  (import path of the first wave)
from .devices import declared_seed_batch
from .evaluation import Evaluation, metric_rollouts, metrics_of_rollout, sample_rollouts  # noqa: F401
from .networks import count_parameters, extract_seed, init_networks, seed_keys  # noqa: F401
from .plan import num_training_steps
from .training import sub_trajectories, train_ensemble

if TYPE_CHECKING:
    import pandas as pd

    from .plan import Experiment


# -- components ------------------------------------------------------------------
def grid_of(scene: Any) -> dict[str, int]:
    """The sizes an architecture is built for."""
    return {
        "num_spatial_dims": scene.num_spatial_dims,
        "num_channels": scene.num_channels,
        "num_points": scene.num_points,
    }


def make_task(task: ParsedConfig, scene: Any) -> Callable[[Any], Callable]:
    """A function ``network -> neural stepper``; the coarse stepper is built once, if the task needs it."""
    coarse = scene.get_coarse_stepper() if task.spec.metadata.get("needs_coarse_stepper") else None
    return lambda network: task.build(network=network, coarse_stepper=coarse)


def seed_steppers(make_stepper: Callable[[Any], Callable], networks: Any) -> Any:
    """The neural steppers of seed-stacked networks, in one compiled call (eagerly, every
    array leaf was a small program lowered on every run)."""
    return eqx.filter_jit(eqx.filter_vmap(make_stepper))(networks)


def build_metrics(metrics: Sequence[ParsedConfig]) -> dict[str, Callable]:
    """Metric functions by their label (the canonical config string, the column prefix)."""
    return {parsed.format(): parsed.build() for parsed in metrics}


def build_callbacks(callbacks: Sequence[ParsedConfig], evaluation: Evaluation, scene: Any) -> list[Any]:
    """Callbacks get the evaluation context; ``scenario`` too, for factories written against the
    first wave's contract (each receives only what its signature asks for)."""
    return [
        parsed.build(optional_context={"evaluation": evaluation, "scenario": scene}) for parsed in callbacks
    ]


def make_trainer(
    scene: Any,
    *,
    methodology: Any,
    optimizer: Any,
    num_steps: int,
    make_stepper: Callable[[Any], Callable],
    callbacks: Sequence[Any] = (),
    progress: bool = True,
    seed_batch: int | None = 1,
) -> Callable[..., tuple[Any, np.ndarray, list]]:
    """``(networks, *, shuffle_keys) -> (networks, loss history, callback records)`` on the
    scenario's train data (generated here, on first use); ``seed_batch`` seeds a device trains
    at once (None: all, vmapped)."""
    return functools.partial(
        train_ensemble,
        make_stepper=make_stepper,
        methodology=methodology,
        windows=sub_trajectories(scene.get_train_data(), methodology.window_length),
        optimizer=optimizer,
        num_steps=num_steps,
        batch_size=scene.batch_size,
        record_loss_every=scene.record_loss_every,
        ref_stepper=scene.get_ref_stepper() if getattr(scene, "has_reference_stepper", True) else None,
        callbacks=tuple(callbacks),
        progress=progress,
        seed_batch=seed_batch,
    )


# -- one experiment ------------------------------------------------------------
@attrs.frozen
class RawResult:
    """Everything one experiment produces, arrays with a leading seed axis."""

    steppers: Any
    networks: Any
    loss_history: np.ndarray  # (seeds, records)
    callback_records: list
    metrics: dict[str, np.ndarray]  # name -> (seeds, test_temporal_horizon)
    sample_rollouts: np.ndarray  # (seeds, n, T + 1, channels, *space)
    seeds: np.ndarray

    def __iter__(self):  # seed API: (nets, loss, aux, metrics, sample rollouts, seeds)
        return iter(
            (
                self.steppers,
                self.loss_history,
                self.callback_records,
                self.metrics,
                self.sample_rollouts,
                self.seeds,
            )
        )

    def without_seed_axis(self) -> RawResult:
        """Steppers and networks of a one-seed run without their seed axis."""
        if len(self.seeds) != 1:
            return self
        return attrs.evolve(
            self, steppers=extract_seed(self.steppers, 0), networks=extract_seed(self.networks, 0)
        )


@attrs.frozen
class ExperimentResult:
    """A finished experiment: what was planned, the raw arrays and the wide table."""

    experiment: Experiment
    raw: RawResult
    table: pd.DataFrame = attrs.field(repr=False)


def run_raw(experiment: Experiment, *, progress: bool = True) -> RawResult:
    """Train ``experiment.num_seeds`` networks at once (one compiled step for all) and evaluate them."""
    activate_compile_cache()
    scene, configs = experiment.scene, experiment.configs
    num_steps = num_training_steps(configs["optimizer"])
    metric_fns = build_metrics(configs["metrics"])
    evaluation = Evaluation.of_scenario(scene, metric_fns)
    callbacks = build_callbacks(configs["callbacks"], evaluation, scene)
    methodology = configs["train"].build()
    optimizer = configs["optimizer"].build()
    make_stepper = make_task(configs["task"], scene)
    seeds, init_keys, shuffle_keys = seed_keys(experiment.start_seed, experiment.num_seeds)
    networks = init_networks(configs["net"], init_keys, **grid_of(scene))
    trainer = make_trainer(
        scene,
        methodology=methodology,
        optimizer=optimizer,
        num_steps=num_steps,
        make_stepper=make_stepper,
        callbacks=callbacks,
        progress=progress,
        seed_batch=declared_seed_batch(configs["net"].spec),
    )
    networks, losses, records = trainer(networks, shuffle_keys=shuffle_keys)
    steppers = seed_steppers(make_stepper, networks)
    metrics, samples = evaluation.metrics_and_samples(steppers)
    return RawResult(steppers, networks, losses, records, metrics, samples, seeds)


def run(experiment: Experiment, *, progress: bool = True) -> ExperimentResult:
    """The one run path of every entry point: train, evaluate, tabulate a planned experiment."""
    from .results import wide_table

    raw = run_raw(experiment, progress=progress)
    return ExperimentResult(experiment, raw, wide_table(experiment, raw))


def load_networks(
    scene: Any,
    path: str,
    *,
    num_seeds: int,
    task: ParsedConfig,
    net: ParsedConfig,
    remove_singleton_axis: bool = True,
) -> Any:
    """Deserialise seed-stacked networks into a freshly built skeleton; returns the steppers."""
    _, init_keys, _ = seed_keys(0, num_seeds)
    skeleton = init_networks(net, init_keys, **grid_of(scene))
    networks = eqx.tree_deserialise_leaves(path, skeleton)
    steppers = seed_steppers(make_task(task, scene), networks)
    if remove_singleton_axis and num_seeds == 1:
        return extract_seed(steppers, 0)
    return steppers
