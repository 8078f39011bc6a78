"""Pinned suite numbers: the median error per scenario at a few horizons, stored with the
versions that produced them, so that a change of the benchmark's numbers cannot land unnoticed.
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..plugin.errors import ConfigError
from .store import atomic_write_bytes

#: the packages whose versions decide the numbers
VERSIONED = ("apebench-core", "jax", "jaxlib", "equinox", "optax", "numpy")
#: how far a rerun may drift from its pin: float32 round-off grown over the training run
RELATIVE_TOLERANCE = 1e-3


def suite_table(tables: Iterable[pd.DataFrame], metric: str, horizons: Iterable[int]) -> pd.DataFrame:
    """Median over seeds of ``metric`` at ``horizons``: one row per experiment, one column per step.

    Rows are named by scenario name; a name two experiments share gets their scenario
    overrides appended, so every row stays one experiment.
    """
    steps = list(horizons)
    columns = [f"{metric}_{t:04d}" for t in steps]
    rows = []
    for wide in tables:
        missing = [c for c in columns if c not in wide.columns]
        if missing:
            raise ConfigError(f"metric {metric!r} at horizons {steps}: the results lack {', '.join(missing)}")
        kwargs = wide["scenario_kwargs"] if "scenario_kwargs" in wide else pd.Series("", index=wide.index)
        for (name, overrides), group in wide.groupby([wide["scenario"], kwargs], sort=False):
            rows.append((name, overrides, group[columns].median().to_numpy()))
    names = [name for name, _, _ in rows]
    index = [name if names.count(name) == 1 else f"{name} {overrides}" for name, overrides, _ in rows]
    table = pd.DataFrame([values for _, _, values in rows], index=index, columns=steps)
    return table.rename_axis(index="scenario")


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def pin_document(table: pd.DataFrame, *, metric: str, about: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON document of a suite table: ``about`` (suite, protocol, net, ...), versions, numbers."""
    return {
        **about,
        "metric": metric,
        "horizons": [int(t) for t in table.columns],
        "versions": _versions(),
        "machine": platform.machine(),
        "pins": {
            scenario: {str(t): float(value) for t, value in row.items()} for scenario, row in table.iterrows()
        },
    }


def write_pins(path: str | os.PathLike, document: Mapping[str, Any]) -> Path:
    """Write the pin document atomically (a crash never leaves half a file)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, (json.dumps(document, indent=1) + "\n").encode())
    return target


def read_pins(path: str | os.PathLike) -> dict[str, Any]:
    """A stored pin document, checked to have the fields :func:`compare_pins` needs."""
    try:
        document = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ConfigError(f"pins file {path}: cannot be read ({error})") from None
    missing = [key for key in ("metric", "horizons", "pins") if key not in document]
    if missing:
        raise ConfigError(f"pins file {path}: lacks {', '.join(missing)}")
    return document


def compare_pins(
    table: pd.DataFrame, document: Mapping[str, Any], *, rtol: float = RELATIVE_TOLERANCE
) -> list[str]:
    """One line per number of ``table`` that differs from its pin by more than ``rtol``
    (relative), or whose scenario has no pin; empty when everything matches."""
    problems = []
    for scenario, row in table.iterrows():
        pinned = document["pins"].get(scenario)
        if pinned is None:
            problems.append(f"{scenario}: no pinned numbers")
            continue
        for step, value in row.items():
            expected = pinned.get(str(step))
            if expected is None:
                problems.append(f"{scenario} step {step}: {value:.6g}, no pin at this step")
            elif not np.isclose(value, expected, rtol=rtol, atol=0.0, equal_nan=True):
                problems.append(f"{scenario} step {step}: {value:.6g}, pinned {expected:.6g}")
    return problems


def format_table(table: pd.DataFrame, metric: str) -> str:
    """The suite table as text, for the terminal."""
    shown = table.rename(columns=lambda step: f"{metric}@{step}")
    return shown.to_string(float_format=lambda value: f"{value:.4g}")
