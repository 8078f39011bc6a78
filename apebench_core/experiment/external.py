"""The doors that plan an experiment around a file: ``export`` (``apebench export``) and ``score``
(``apebench score``). File formats themselves live in :mod:`.exchange`, below the planner."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from .exchange import (
    FORMATS,
    SPLITS,
    ExchangeError,
    align_rollout,
    check_choice,
    existing_file,
    expected_shape,
    export_paths,
    format_of,
    metadata,
    read_rollout,
    require_h5py,
    write_hdf5,
    write_npz,
)
from .results import check_output_folder

__all__ = ["ExchangeError", "ScoreResult", "export", "score", "score_table"]


def export(
    scenario: Any,
    *,
    split: str = "both",
    format: str = "hdf5",  # noqa: A002 - the command-line option's name
    out: str | Path,
    **overrides: Any,
) -> list[Path]:
    """Write the train and/or test trajectories of ``scenario`` (key, class or instance, with
    field overrides) to ``out``; returns the written paths. Everything is checked first."""
    from .plan import plan

    split = check_choice("split", split, SPLITS)
    fmt = check_choice("format", format, FORMATS)
    if fmt == "hdf5":
        require_h5py()
    if not str(out).strip():
        raise ExchangeError("field 'out': got '', expected a file path (or a folder for --split both)")
    if split != "both" and Path(out).is_dir():
        raise ExchangeError(f"field 'out': {str(out)!r} is a folder, expected a file path for one split")
    experiment = plan(scenario, **overrides)
    scene = experiment.scene
    paths = export_paths(out, split, fmt, scene.get_scenario_name())
    for path in paths.values():  # writable before any data is generated
        check_output_folder(path.parent)
    written = []
    for one_split, path in paths.items():
        trajectories = np.asarray(
            scene.get_train_data() if one_split == "train" else scene.get_test_data(), dtype=np.float32
        )
        initial = np.asarray(
            scene.get_train_ic_set() if one_split == "train" else scene.get_test_ic_set(), dtype=np.float32
        )
        meta = metadata(experiment, one_split, trajectories)
        if fmt == "npz":
            write_npz(path, trajectories, initial, meta)
        else:
            write_hdf5(path, trajectories, initial, meta)
        written.append(path)
    return written


# -- scoring -----------------------------------------------------------------------------------
@attrs.frozen
class ScoreResult:
    """Metrics of an external rollout: the wide table (one row per seed) and what was detected."""

    experiment: Any
    table: Any = attrs.field(repr=False)
    note: str

    @property
    def metric_names(self) -> tuple[str, ...]:
        return self.experiment.metric_names


def score(
    scenario: Any,
    rollout: Any,
    *,
    metrics: str | None = None,
    label: str | None = None,
    **overrides: Any,
) -> ScoreResult:
    """Score a rollout (array or file) against the test trajectories of ``scenario``.

    The shape is checked against the scenario's fields before any test data is generated.
    The table has the experiment's columns (``train`` is ``external``, ``net`` the label).
    """
    from .plan import plan

    if metrics is not None:
        overrides["report_metrics"] = metrics
    if isinstance(rollout, str | Path):
        source, label = f"rollouts file {str(rollout)!r}", label or Path(rollout).stem
        existing_file("rollouts", rollout)
        format_of(rollout)
        experiment = plan(scenario, **overrides)
        array = read_rollout(rollout)
    else:
        source, label = "rollout", label or "external"
        experiment = plan(scenario, **overrides)
        array = rollout
    aligned = align_rollout(array, expected_shape(experiment.scene), source=source)
    values = experiment.scene.perform_tests_on_rollout(aligned.rollout)
    return ScoreResult(experiment, score_table(experiment, values, label), aligned.note)


def score_table(experiment: Any, values: Mapping[str, np.ndarray], label: str) -> Any:
    """The experiment's wide columns for metric rollouts ``{metric: (seeds, T)}`` of an external model."""
    import pandas as pd

    num_seeds = next(iter(values.values())).shape[0]
    columns: dict[str, Any] = {
        "scenario": [experiment.scene.get_scenario_name()] * num_seeds,
        "task": [experiment.task] * num_seeds,
        "train": ["external"] * num_seeds,
        "net": [label] * num_seeds,
        "seed": np.arange(num_seeds),
        "scenario_kwargs": [experiment.scenario_kwargs] * num_seeds,
    }
    finite = np.ones(num_seeds, dtype=bool)
    for name, per_step in values.items():
        for t in range(per_step.shape[1]):
            columns[f"{name}_{t + 1:04d}"] = per_step[:, t]
        finite &= np.isfinite(per_step).all(axis=1)
    columns["diverged"] = ~finite
    return pd.DataFrame(columns)
