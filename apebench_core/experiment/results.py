"""The wide result table (one row per seed) and network weights on disk."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .melt import BASE_NAMES, melt_loss, melt_metrics  # noqa: F401  (BASE_NAMES: first-wave path)

if TYPE_CHECKING:
    from .pipeline import RawResult
    from .plan import Experiment


def wide_table(experiment: Experiment, raw: RawResult) -> pd.DataFrame:
    """Seed-API columns: configuration, ``{metric}_{t:04d}``, ``train_loss_{step:06d}``,
    ``sample_rollout_{k:03d}`` (a numpy array per cell), plus ``diverged``.

    No callback columns unless callbacks are set (the anchor wrote one empty
    ``aux_*`` column per update step).
    """
    num_seeds = len(raw.seeds)
    scene = experiment.scene
    columns: dict[str, Any] = {
        "scenario": [scene.get_scenario_name()] * num_seeds,
        "task": [experiment.task] * num_seeds,
        "train": [experiment.train] * num_seeds,
        "net": [experiment.net] * num_seeds,
        "seed": raw.seeds.astype(int),
        "scenario_kwargs": [experiment.scenario_kwargs] * num_seeds,
    }
    for name, values in raw.metrics.items():
        for t in range(values.shape[1]):
            columns[f"{name}_{t + 1:04d}"] = values[:, t]
    every = scene.record_loss_every
    for r in range(raw.loss_history.shape[1]):
        columns[f"train_loss_{r * every:06d}"] = raw.loss_history[:, r]
    for k in range(raw.sample_rollouts.shape[1]):
        columns[f"sample_rollout_{k:03d}"] = [raw.sample_rollouts[s, k] for s in range(num_seeds)]
    aux: dict[int, list[dict]] = {}
    for record in raw.callback_records:  # one dict per seed and step, keyed by callback name
        per_seed = aux.setdefault(record["step"], [{} for _ in range(num_seeds)])
        for seed_index in range(num_seeds):
            per_seed[seed_index][record["name"]] = record["values"][seed_index]
    for step, per_seed in sorted(aux.items()):
        columns[f"aux_{step:06d}"] = per_seed
    finite = np.isfinite(raw.loss_history).all(axis=1)
    for values in raw.metrics.values():
        finite &= np.isfinite(values).all(axis=1)
    columns["diverged"] = ~finite
    return pd.DataFrame(columns)


def metric_names(table: pd.DataFrame) -> list[str]:
    """The metrics of a wide table in column order (the order of ``report_metrics``)."""
    return list(dict.fromkeys(c[:-5] for c in table.columns if c[-5:-4] == "_" and c[-4:].isdigit()))


def check_output_folder(folder: str | os.PathLike) -> Path:
    """Create ``folder`` and prove it writable now, so results are never computed only to be lost."""
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-check-"):
            pass
    except OSError as error:
        raise OSError(f"output folder {str(path)!r} is not writable: {error.strerror or error}") from None
    return path


def save_networks(path: str, networks: Any) -> None:
    """Serialise seed-stacked networks with Equinox (read back with ``load_model``)."""
    import equinox as eqx

    eqx.tree_serialise_leaves(path, networks)


def write_run(table: pd.DataFrame, folder: str, *, plot: bool = False) -> list[str]:
    """Write one run's melted metrics and loss (CSV), sample rollouts (.npy) and optionally a figure."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    names = metric_names(table)
    written = []
    metrics = melt_metrics(table, names)
    metrics.to_csv(out / "metrics.csv", index=False)
    melt_loss(table).to_csv(out / "train_loss.csv", index=False)
    rollouts = np.stack(
        [np.stack(list(table[c])) for c in table.columns if c.startswith("sample_rollout_")], axis=1
    )
    np.save(out / "sample_rollouts.npy", rollouts)  # (seeds, samples, time, channels, *space)
    written += [str(out / "metrics.csv"), str(out / "train_loss.csv"), str(out / "sample_rollouts.npy")]
    if plot:
        from .plotting import plot_run

        figure_path = out / "run.png"
        plot_run(table, names[0]).savefig(figure_path, dpi=120, bbox_inches="tight")
        written.append(str(figure_path))
    return written
