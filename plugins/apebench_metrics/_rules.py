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


def _corner(facts: Mapping[str, Any]) -> float | None:
    """The largest radial wavenumber ``sqrt(D) * N/2`` of the experiment's grid, if known."""
    dims, points = facts.get("num_spatial_dims"), facts.get("num_points")
    if dims is None or points is None:
        return None
    return (dims**0.5) * (points // 2)


def cut_bands_resolvable(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    """PDEBench-style cuts: ``low_cut < high_cut``, and the chosen band holds modes of the grid."""
    low, high, band = values["low_cut"], values["high_cut"], values["band"]
    if low >= high:
        raise ValueError(f"field 'low_cut' ({low}) must be below field 'high_cut' ({high})")
    corner = _corner(facts)
    if corner is None:
        return
    edge = {"mid": low, "high": high}.get(band)
    if edge is not None and edge > corner:
        raise ValueError(
            f"field 'band' = {band!r}: no mode of the grid (num_points={facts['num_points']}, "
            f"{facts['num_spatial_dims']}D, largest |k| {corner:g}) reaches |k| >= {edge:g}; "
            f"lower the cut or use more points"
        )


def log_bands_resolvable(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    """Three log-spaced bands between |k| = 1 and the grid's corner need at least 4 points."""
    points = facts.get("num_points")
    if points is not None and points < 4:
        raise ValueError(f"field 'band': the log-spaced bands need num_points >= 4, got {points}")
