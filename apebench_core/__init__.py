"""apebench-core: a plugin-based benchmark for autoregressive neural PDE emulators.

Importing this package is cheap: it never imports JAX. The experiment pipeline
(scenarios, training, studies) loads on first attribute access.
"""

from __future__ import annotations

import importlib
from typing import Any

from . import _compat
from .experiment.devices import request_cpu_devices as _request_cpu_devices
from .plugin.config import ParsedConfig
from .plugin.errors import (
    AmbiguousComponentError,
    ApebenchError,
    ConfigError,
    PlanError,
    PluginLoadError,
    UnknownComponentError,
)
from .plugin.hookspecs import hookimpl
from .plugin.lookup import (
    build,
    format_config,
    get_registry,
    get_spec,
    kinds,
    list_components,
    list_plugins,
    parse_config,
)
from .plugin.spec import REQUIRED, ComponentSpec, Field

__version__ = "0.1.0"

_compat.install(__name__)
_request_cpu_devices()  # before JAX starts: one CPU device per core, seeds trained side by side

# Seed-API names resolved lazily (they pull in pandas/JAX when used).
_LAZY = {
    "scenarios": ("apebench_core.scenarios", None),
    "BaseScenario": ("apebench_core.experiment.scenario", "BaseScenario"),
    "plan": ("apebench_core.experiment.plan", "plan"),
    "Experiment": ("apebench_core.experiment.plan", "Experiment"),
    "run": ("apebench_core.experiment.pipeline", "run"),
    "run_experiment": ("apebench_core.experiment.run", "run_experiment"),
    "get_experiment_name": ("apebench_core.experiment.run", "get_experiment_name"),
    "melt_data": ("apebench_core.experiment.melt", "melt_data"),
    "melt_loss": ("apebench_core.experiment.melt", "melt_loss"),
    "melt_metrics": ("apebench_core.experiment.melt", "melt_metrics"),
    "melt_sample_rollouts": ("apebench_core.experiment.melt", "melt_sample_rollouts"),
    "median_table": ("apebench_core.experiment.summary", "median_table"),
    "run_study": ("apebench_core.study.runner", "run_study"),
    "run_study_convenience": ("apebench_core.study.runner", "run_study_convenience"),
    "melt_concat_metrics_from_list": ("apebench_core.study.analysis", "melt_concat_metrics_from_list"),
    "melt_concat_loss_from_list": ("apebench_core.study.analysis", "melt_concat_loss_from_list"),
    "melt_concat_sample_rollouts_from_list": (
        "apebench_core.study.analysis",
        "melt_concat_sample_rollouts_from_list",
    ),
    "melt_concat_from_list": ("apebench_core.study.analysis", "melt_concat_from_list"),
    "read_in_kwargs": ("apebench_core.study.analysis", "read_in_kwargs"),
    "aggregate_gmean": ("apebench_core.study.analysis", "aggregate_gmean"),
    "relative_by_config": ("apebench_core.study.analysis", "relative_by_config"),
    "split_train": ("apebench_core.study.analysis", "split_train"),
    "pvalues_against_best": ("apebench_core.study.analysis", "pvalues_against_best"),
    "read_raw": ("apebench_core.study.store", "read_raw"),
    "steps_until_below": ("apebench_core.experiment.summary", "steps_until_below"),
    "correlation_time": ("apebench_core.experiment.summary", "correlation_time"),
    "export": ("apebench_core.experiment.external", "export"),
    "score_rollout": ("apebench_core.experiment.external", "score"),
    "read_trajectories": ("apebench_core.experiment.exchange", "read_trajectories"),
    "read_rollout": ("apebench_core.experiment.exchange", "read_rollout"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module_name, attribute = _LAZY[name]
        module = importlib.import_module(module_name)
        value = module if attribute is None else getattr(module, attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'apebench_core' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "REQUIRED",
    "AmbiguousComponentError",
    "ApebenchError",
    "ComponentSpec",
    "ConfigError",
    "Field",
    "ParsedConfig",
    "PlanError",
    "PluginLoadError",
    "UnknownComponentError",
    "__version__",
    "build",
    "format_config",
    "get_registry",
    "get_spec",
    "hookimpl",
    "kinds",
    "list_components",
    "list_plugins",
    "parse_config",
    *_LAZY,
]
