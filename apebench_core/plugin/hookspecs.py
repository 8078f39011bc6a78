"""Hook specifications: one hook per component kind, each returning specs.

Every hook takes no arguments and returns an iterable of
:class:`~apebench_core.ComponentSpec` whose ``kind`` matches the hook. The
context each kind's factory is called with is part of the contract and is
listed in :data:`KINDS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

import pluggy

from .spec import ComponentSpec

PROJECT = "apebench"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


class KindContract(NamedTuple):
    """The contract of one component kind: the hook that declares it, what its factory receives
    besides the parsed fields, and what it must return (checked right after building, see
    :mod:`apebench_core.plugin.contracts`). Unpacks as ``(hook, context, returns)``."""

    hook: str
    context: str
    returns: str

    @property
    def context_keys(self) -> tuple[str, ...]:
        """The keyword arguments the core passes to the factory (optional ones only if named)."""
        return CONTEXT_KEYS[self.hook]

    @property
    def metadata_keys(self) -> Mapping[str, str]:
        """The ``ComponentSpec.metadata`` keys the core reads for this kind, and their meaning."""
        return {**COMMON_METADATA, **METADATA_KEYS.get(self.hook, {})}


#: kind -> its contract
KINDS: dict[str, KindContract] = {
    "scenario": KindContract(
        "apebench_scenarios",
        "the scenario field overrides as keywords",
        "a scenario instance (a BaseScenario: fields, get_ref_stepper, get_coarse_stepper, "
        "get_scenario_name; a stepper maps (channels, *space) to (channels, *space), one dt)",
    ),
    "suite": KindContract("apebench_suites", "nothing", "a list of experiment config dicts"),
    "architecture": KindContract(
        "apebench_architectures",
        "num_spatial_dims, num_channels, num_points, key (keyword-only)",
        "an Equinox module mapping one state (channels, *space) to the same shape",
    ),
    "activation": KindContract("apebench_activations", "nothing", "a function array -> array"),
    "initial_condition": KindContract(
        "apebench_initial_conditions",
        "num_spatial_dims, num_points",
        "a callable (*, key) -> Float[Array, '*space'] drawing one single-channel field",
    ),
    "trainer": KindContract(
        "apebench_trainers",
        "nothing",
        "a learning methodology: window_length (int >= 1) and loss(stepper, window, *, ref_stepper, key) "
        "-> scalar (apebench_core.plugin.Methodology)",
    ),
    "task": KindContract(
        "apebench_tasks",
        "network, coarse_stepper (None unless metadata needs_coarse_stepper)",
        "the neural stepper, a callable (channels, *space) -> (channels, *space)",
    ),
    "optimizer": KindContract("apebench_optimizers", "nothing", "an optax GradientTransformation"),
    "schedule": KindContract("apebench_schedules", "num_steps", "an optax schedule (step -> learning rate)"),
    "metric": KindContract(
        "apebench_metrics",
        "nothing",
        "a function (prediction, reference) -> scalar, both (samples, channels, *space)",
    ),
    "callback": KindContract(
        "apebench_callbacks",
        "evaluation (an apebench_core.plugin.Evaluation: test data, metric functions, horizon) and "
        "scenario, each only if the factory's signature names it",
        "a callback with name, every and __call__(networks, make_stepper) -> list (one record per "
        "seed), run before the first update and after every `every` updates",
    ),
}

CONTEXT_KEYS: dict[str, tuple[str, ...]] = {
    "apebench_scenarios": (),
    "apebench_suites": (),
    "apebench_architectures": ("num_spatial_dims", "num_channels", "num_points", "key"),
    "apebench_activations": (),
    "apebench_initial_conditions": ("num_spatial_dims", "num_points"),
    "apebench_trainers": (),
    "apebench_tasks": ("network", "coarse_stepper"),
    "apebench_optimizers": (),
    "apebench_schedules": ("num_steps",),
    "apebench_metrics": (),
    "apebench_callbacks": ("evaluation", "scenario"),
}

#: Metadata keys the core reads on a spec of any kind.
COMMON_METADATA = {
    "example": "a config string meaningful at tiny sizes, used by `apebench plugins check` and listings",
}
#: Per hook: the metadata keys the core reads, and what they mean.
METADATA_KEYS: dict[str, dict[str, str]] = {
    "apebench_scenarios": {
        "family": "namespace of the seed API: apebench_core.scenarios.<family>.<class_name>",
        "class_name": "the class name under that namespace",
        "dims": "spatial dimensions the scenario is defined in; others are refused when planned",
        "stable_dims": "dimensions whose default data are known to be free of NaN/Inf",
    },
    "apebench_tasks": {
        "needs_coarse_stepper": "true: the factory receives the scenario's coarse stepper",
    },
    "apebench_architectures": {
        "seed_batch": "seeds a device trains at once: 1 (default: one after another, best for "
        "convolutions on CPU), N, or 'all' (vmapped: best for small FFT networks); "
        "APEBENCH_SEED_BATCH overrides it",
    },
}


def hook_name(kind: str) -> str:
    return KINDS[kind].hook


def render_contract() -> str:
    """The contract of every kind as Markdown (docs/plugin-contract.md is this text)."""
    lines = [
        "# The plugin contract",
        "",
        "Generated from `apebench_core.plugin.KINDS`: `apebench plugins contract > docs/plugin-contract.md`.",
        "Each hook takes no arguments and returns a list of `ComponentSpec` of its kind. A factory",
        "is called with the parsed fields as keywords plus the context below; what it returns is",
        "checked against the kind's contract right after building.",
        "",
    ]
    for kind, contract in KINDS.items():
        lines += [
            f"## {kind}",
            "",
            f"- hook: `{contract.hook}`",
            f"- the factory receives: {contract.context}",
            f"- it returns: {contract.returns}",
        ]
        if contract.metadata_keys:
            lines.append("- metadata keys the core reads:")
            lines += [f"  - `{key}`: {meaning}" for key, meaning in contract.metadata_keys.items()]
        lines.append("")
    return "\n".join(lines)


class ApebenchSpecs:
    """The hook specifications of apebench_core."""

    @hookspec
    def apebench_scenarios(self) -> Iterable[ComponentSpec]:
        """Scenarios: a PDE, its reference and coarse steppers, and the data protocol."""
        return []

    @hookspec
    def apebench_suites(self) -> Iterable[ComponentSpec]:
        """Named collections of experiment configurations (e.g. the paper's 46 PDEs)."""
        return []

    @hookspec
    def apebench_architectures(self) -> Iterable[ComponentSpec]:
        """Emulator architectures (networks)."""
        return []

    @hookspec
    def apebench_activations(self) -> Iterable[ComponentSpec]:
        """Activation functions used inside architectures."""
        return []

    @hookspec
    def apebench_initial_conditions(self) -> Iterable[ComponentSpec]:
        """Initial-condition distributions."""
        return []

    @hookspec
    def apebench_trainers(self) -> Iterable[ComponentSpec]:
        """Learning methodologies (one-step, supervised rollout, diverted chain, ...)."""
        return []

    @hookspec
    def apebench_tasks(self) -> Iterable[ComponentSpec]:
        """Tasks: how the network is embedded into a stepper (predict, correct)."""
        return []

    @hookspec
    def apebench_optimizers(self) -> Iterable[ComponentSpec]:
        """Optimizers (the ``optim_config`` strings)."""
        return []

    @hookspec
    def apebench_schedules(self) -> Iterable[ComponentSpec]:
        """Learning-rate schedules used inside optimizer configs."""
        return []

    @hookspec
    def apebench_metrics(self) -> Iterable[ComponentSpec]:
        """Rollout metrics reported after training."""
        return []

    @hookspec
    def apebench_callbacks(self) -> Iterable[ComponentSpec]:
        """Callbacks run during training."""
        return []
