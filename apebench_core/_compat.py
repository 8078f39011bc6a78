"""Import paths of the first wave, kept working after the core moved into folders.

``import apebench_core.store`` (or ``pipeline``, ``hookspecs``, ...) gives the very module that
now lives at its new path, so plugins and scripts written against the old layout keep
working unchanged. Nothing is imported until an old path is used.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

#: old module path (below ``apebench_core.``) -> new module path
MOVED = {
    "_spec": "plugin.spec",
    "_config": "plugin.config",
    "_registry": "plugin.registry",
    "registry": "plugin.lookup",
    "hookspecs": "plugin.hookspecs",
    "errors": "plugin.errors",
    "testing": "plugin.testing",
    "batching": "plugin.batching",
    "scenario": "experiment.scenario",
    "pipeline": "experiment.pipeline",
    "training": "experiment.training",
    "devices": "experiment.devices",
    "rollout": "experiment.rollout",
    "results": "experiment.results",
    "melt": "experiment.melt",
    "summary": "experiment.summary",
    "plotting": "experiment.plotting",
    "progress": "experiment.progress",
    "run": "experiment.run",
    "store": "study.store",
    "analysis": "study.analysis",
    "cli_study": "cli.study",
}


class _MovedModuleFinder:
    """Resolves an old path by importing the new module and putting it in its place (a meta
    path finder and its loader; importlib.abc is not imported, it costs listing time)."""

    def __init__(self, package: str) -> None:
        self._prefix = f"{package}."
        self._package = package

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - importlib protocol
        if fullname.startswith(self._prefix) and fullname[len(self._prefix) :] in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):  # noqa: ANN001
        return None  # a placeholder; exec_module swaps in the real module

    def exec_module(self, module: ModuleType) -> None:
        new = MOVED[module.__name__[len(self._prefix) :]]
        sys.modules[module.__name__] = importlib.import_module(f"{self._package}.{new}")


def install(package: str) -> None:
    if not any(isinstance(finder, _MovedModuleFinder) for finder in sys.meta_path):
        sys.meta_path.append(_MovedModuleFinder(package))
