"""Hook specifications: one hook per component kind, each returning specs.

Every hook takes no arguments and returns an iterable of
:class:`~apebench_core.ComponentSpec` whose ``kind`` matches the hook. The
context each kind's factory is called with is part of the contract and is
listed in :data:`KINDS`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pluggy

from .spec import ComponentSpec

PROJECT = "apebench"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: kind -> (hook name, what the factory receives besides the parsed fields, what it returns)
KINDS: dict[str, tuple[str, str, str]] = {
    "scenario": ("apebench_scenarios", "scenario attribute overrides as keywords", "a scenario instance"),
    "suite": ("apebench_suites", "nothing", "a list of experiment config dicts"),
    "architecture": (
        "apebench_architectures",
        "num_spatial_dims, num_channels, num_points, key (keyword-only)",
        "an Equinox module mapping (channels, *space) to (channels, *space)",
    ),
    "activation": ("apebench_activations", "nothing", "a function array -> array"),
    "initial_condition": (
        "apebench_initial_conditions",
        "num_spatial_dims, num_points",
        "a callable (*, key) -> Float[Array, '*space'] drawing one single-channel field",
    ),
    "trainer": ("apebench_trainers", "nothing", "a learning methodology (see apebench_core.training)"),
    "task": ("apebench_tasks", "network, coarse_stepper", "the neural stepper (an Equinox module)"),
    "optimizer": ("apebench_optimizers", "nothing", "an optax GradientTransformation"),
    "schedule": ("apebench_schedules", "num_steps", "an optax schedule (step -> learning rate)"),
    "metric": (
        "apebench_metrics",
        "nothing",
        "a function (prediction, reference) -> scalar, both (samples, channels, *space)",
    ),
    "callback": (
        "apebench_callbacks",
        "evaluation (an apebench_core.experiment.evaluation.Evaluation: test data, metric functions, "
        "horizon) and scenario, each only if the factory's signature names it",
        "a callback with name, every and __call__(networks, make_stepper) -> list (one record per "
        "seed), run before the first update and after every `every` updates",
    ),
}


def hook_name(kind: str) -> str:
    return KINDS[kind][0]


class ApebenchSpecs:
    """The hook specifications of apebench_core."""

    @hookspec
    def apebench_scenarios(self) -> Iterable[ComponentSpec]:
        """Scenarios: a PDE, its reference and coarse steppers, and the data protocol."""

    @hookspec
    def apebench_suites(self) -> Iterable[ComponentSpec]:
        """Named collections of experiment configurations (e.g. the paper's 46 PDEs)."""

    @hookspec
    def apebench_architectures(self) -> Iterable[ComponentSpec]:
        """Emulator architectures (networks)."""

    @hookspec
    def apebench_activations(self) -> Iterable[ComponentSpec]:
        """Activation functions used inside architectures."""

    @hookspec
    def apebench_initial_conditions(self) -> Iterable[ComponentSpec]:
        """Initial-condition distributions."""

    @hookspec
    def apebench_trainers(self) -> Iterable[ComponentSpec]:
        """Learning methodologies (one-step, supervised rollout, diverted chain, ...)."""

    @hookspec
    def apebench_tasks(self) -> Iterable[ComponentSpec]:
        """Tasks: how the network is embedded into a stepper (predict, correct)."""

    @hookspec
    def apebench_optimizers(self) -> Iterable[ComponentSpec]:
        """Optimizers (the ``optim_config`` strings)."""

    @hookspec
    def apebench_schedules(self) -> Iterable[ComponentSpec]:
        """Learning-rate schedules used inside optimizer configs."""

    @hookspec
    def apebench_metrics(self) -> Iterable[ComponentSpec]:
        """Rollout metrics reported after training."""

    @hookspec
    def apebench_callbacks(self) -> Iterable[ComponentSpec]:
        """Callbacks run during training."""
