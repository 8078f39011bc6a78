"""Rules between an architecture's fields and the grid, checked when an experiment is planned.
No JAX here: the registry imports this module lazily."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def levels_divide_grid(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    """U-Nets halve the grid once per level."""
    num_points, levels = facts.get("num_points"), values["num_levels"]
    if num_points is not None and num_points % 2**levels:
        raise ValueError(
            f"field 'num_levels' ({levels}) halves the grid {levels} times, so num_points must be "
            f"divisible by {2**levels}; got num_points={num_points}"
        )


def modes_resolvable(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    """The FNO keeps at most the modes a grid of N points resolves (N // 2 + 1)."""
    num_points, modes = facts.get("num_points"), values["num_modes"]
    if num_points is not None and modes > num_points // 2 + 1:
        raise ValueError(
            f"field 'num_modes' ({modes}) exceeds the {num_points // 2 + 1} modes a grid of "
            f"num_points={num_points} resolves"
        )


def kernel_fits_grid(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    num_points, kernel = facts.get("num_points"), values["kernel_size"]
    if num_points is not None and kernel > num_points:
        raise ValueError(f"field 'kernel_size' ({kernel}) exceeds num_points ({num_points})")
