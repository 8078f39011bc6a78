"""Everything a plugin may use, in one public module: ``from apebench_core.plugin import ...``.

The kernel itself (spec types, hook specifications, config strings, the registry, errors,
testing helpers) imports neither JAX nor pandas, so a plugin's entry module that imports
from here keeps ``apebench list`` fast. The helpers plugin code uses at run time
(rollouts, the vmap-inside-grad promise, the methodology, callback and evaluation protocols,
``BaseScenario`` and field declarations, the trajectory file readers) are re-exported
lazily: they load on first use.
Bundled plugins import from this module only, as a third party would.
"""

from __future__ import annotations

import importlib
from typing import Any

from .batching import vmap_inside_grad, vmap_inside_grad_promised
from .config import ParsedConfig
from .errors import (
    AmbiguousComponentError,
    ApebenchError,
    ComponentBuildError,
    ConfigError,
    CorruptResultError,
    PlanError,
    PluginLoadError,
    StudyError,
    UnknownComponentError,
)
from .hookspecs import KINDS, KindContract, hookimpl, hookspec
from .registry import API_VERSION, Registry, get_registry
from .spec import REQUIRED, ComponentSpec, Field
from .testing import registered_plugin

#: Names re-exported on first use (they import JAX or the experiment layer).
_LAZY = {
    "BaseScenario": "apebench_core.experiment.scenario",
    "doc": "apebench_core.experiment.fields",
    "FieldDoc": "apebench_core.experiment.fields",
    "Stepper": "apebench_core.experiment.rollout",
    "rollout": "apebench_core.experiment.rollout",
    "repeat": "apebench_core.experiment.rollout",
    "generate_trajectories": "apebench_core.experiment.rollout",
    "MAX_UNROLLED_STEPS": "apebench_core.experiment.rollout",
    "Methodology": "apebench_core.experiment.training",
    "Callback": "apebench_core.experiment.training",
    "Evaluation": "apebench_core.experiment.evaluation",
    "extract_seed": "apebench_core.experiment.networks",
    "ExchangeError": "apebench_core.experiment.exchange",
    "FileHeader": "apebench_core.experiment.exchange",
    "peek": "apebench_core.experiment.exchange",
    "read_trajectories": "apebench_core.experiment.exchange",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'apebench_core.plugin' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "API_VERSION",
    "KINDS",
    "REQUIRED",
    "AmbiguousComponentError",
    "ApebenchError",
    "ComponentBuildError",
    "ComponentSpec",
    "ConfigError",
    "CorruptResultError",
    "Field",
    "KindContract",
    "ParsedConfig",
    "PlanError",
    "PluginLoadError",
    "Registry",
    "StudyError",
    "UnknownComponentError",
    "get_registry",
    "hookimpl",
    "hookspec",
    "registered_plugin",
    "vmap_inside_grad",
    "vmap_inside_grad_promised",
    *_LAZY,
]
