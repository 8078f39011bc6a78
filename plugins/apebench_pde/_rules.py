"""Rules between an initial condition's fields and the grid, checked when an experiment is
planned (before any data exists). No JAX here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def cutoff_resolvable(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    num_points = facts.get("num_points")
    if num_points is not None and values["cutoff"] > num_points // 2:
        raise ValueError(
            f"field 'cutoff' ({values['cutoff']}) exceeds the highest wavenumber {num_points // 2} "
            f"that num_points={num_points} resolves"
        )


def ordered_bounds(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    if values["low"] >= values["high"]:
        raise ValueError(f"field 'low' ({values['low']}) must be below field 'high' ({values['high']})")


def blob_ranges(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    for name in ("position_range", "variance_range"):
        bounds = values[name]
        if len(bounds) != 2 or bounds[0] > bounds[1]:
            raise ValueError(f"field {name!r} must be two numbers low,high with low <= high; got {bounds}")
    if values["variance_range"][0] <= 0:
        raise ValueError(f"field 'variance_range' must be positive; got {values['variance_range']}")
