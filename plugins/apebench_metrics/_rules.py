"""Rules between a metric's fields and the grid, checked when an experiment is planned. No JAX."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def band_resolvable(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    """A Fourier band ``low..high`` (inclusive) of modes a grid of N points resolves (0..N//2)."""
    low, high = values["low"], values["high"]
    if low > high:
        raise ValueError(f"field 'low' ({low}) is above field 'high' ({high}): the band is empty")
    num_points = facts.get("num_points")
    if num_points is not None and high > num_points // 2:
        raise ValueError(
            f"field 'high' ({high}) exceeds the highest mode {num_points // 2} that "
            f"num_points={num_points} resolves"
        )
