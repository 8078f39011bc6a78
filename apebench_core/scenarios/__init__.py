"""Seed-API access to scenarios: ``scenario_dict`` and the family namespaces.

``apebench.scenarios.difficulty.Advection`` resolves through the registry: a
scenario spec's metadata names its ``family`` and ``class_name``. Nothing here
imports a plugin directly.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..experiment.scenario import BaseScenario
from ..plugin.registry import get_registry


class _ScenarioDict(Mapping[str, Any]):
    """Scenario key -> scenario class, read from the registry on access."""

    def __getitem__(self, key: str) -> Any:
        return get_registry().get("scenario", key).load_factory()

    def __iter__(self) -> Iterator[str]:
        return iter(spec.name for spec in get_registry().specs("scenario"))

    def __len__(self) -> int:
        return len(get_registry().specs("scenario"))

    def __repr__(self) -> str:
        return f"scenario_dict({', '.join(self)})"


class _Family:
    """A namespace of scenario classes of one family (difficulty, normalized, physical, or any
    family a plugin's scenario specs declare)."""

    def __init__(self, family: str) -> None:
        self._family = family

    def _specs(self) -> dict[str, Any]:
        return {
            spec.metadata["class_name"]: spec
            for spec in get_registry().specs("scenario")
            if spec.metadata.get("family") == self._family and "class_name" in spec.metadata
        }

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        specs = self._specs()
        if name not in specs:
            raise AttributeError(
                f"no {self._family} scenario class {name!r}; available: {', '.join(sorted(specs)) or 'none'}"
            )
        return specs[name].load_factory()

    def __dir__(self) -> list[str]:
        return sorted(self._specs())


scenario_dict = _ScenarioDict()
difficulty = _Family("difficulty")
normalized = _Family("normalized")
physical = _Family("physical")


def families() -> list[str]:
    """Every scenario family the registered specs name (``metadata["family"]``)."""
    return sorted({s.metadata["family"] for s in get_registry().specs("scenario") if "family" in s.metadata})


def __getattr__(name: str) -> _Family:
    """Any other family a plugin declares gets its namespace too (``scenarios.<family>.<Class>``)."""
    if not name.startswith("_") and name in families():
        return _Family(name)
    raise AttributeError(f"module 'apebench_core.scenarios' has no attribute {name!r}")


__all__ = ["BaseScenario", "difficulty", "families", "normalized", "physical", "scenario_dict"]
