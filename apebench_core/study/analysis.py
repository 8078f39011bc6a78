"""Study-level tables: melting many stored experiments, the paper's aggregates, seed statistics, figures."""

from __future__ import annotations

import ast
import math
import os
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..experiment import defaults
from ..experiment.melt import BASE_NAMES, melt_loss, melt_metrics, melt_sample_rollouts
from .store import ResultStore, read_json, read_raw, read_table, write_json, write_table

BASE_NAMES_NO_TRAIN = [c for c in BASE_NAMES if c != "train"]
CONFIG_COLUMNS = ["scenario", "task", "train", "net", "scenario_kwargs"]
MELTED_MANIFEST = "melted.json"

PathLike = str | os.PathLike


# -- reading and melting ---------------------------------------------------------
def read_study(base_path: PathLike) -> list[pd.DataFrame]:
    """The wide tables of every complete experiment of a results folder. Damaged files are named in
    a warning and never read; experiments not finished yet are skipped."""
    store = ResultStore(base_path)
    names, problems = store.scan_index()
    tables = []
    for name in names:
        status = store.status(name)
        if status.done:
            tables.append(read_raw(store.sidecar_path(name)))
        elif status.corrupt:
            problems[name] = status.reason
    for name, problem in problems.items():
        warnings.warn(f"{name}: {problem} (rerunning the study repairs it)", stacklevel=2)
    return tables


def _concat(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(list(frames), ignore_index=True)


def melt_concat_metrics_from_list(
    files: Sequence[PathLike], *, metric_name: str | list[str] = defaults.METRIC
) -> pd.DataFrame:
    return _concat(melt_metrics(read_raw(f), metric_name) for f in files)


def melt_concat_loss_from_list(files: Sequence[PathLike]) -> pd.DataFrame:
    return _concat(melt_loss(read_raw(f)) for f in files)


def melt_concat_sample_rollouts_from_list(files: Sequence[PathLike]) -> pd.DataFrame:
    return _concat(melt_sample_rollouts(read_raw(f)) for f in files)


def melt_study(
    files: Sequence[PathLike],
    *,
    metric_name: str | list[str] = defaults.METRIC,
    do_metrics: bool = True,
    do_loss: bool = False,
    do_sample_rollouts: bool = False,
) -> dict[str, pd.DataFrame]:
    """Long tables ``metrics``, ``loss``, ``sample_rollouts`` (as requested), reading each file once."""
    wanted = {
        "metrics": (do_metrics, lambda wide: melt_metrics(wide, metric_name)),
        "loss": (do_loss, melt_loss),
        "sample_rollouts": (do_sample_rollouts, melt_sample_rollouts),
    }
    parts: dict[str, list[pd.DataFrame]] = {key: [] for key, (do, _) in wanted.items() if do}
    for file in files:
        wide = read_raw(file)
        for key in parts:
            parts[key].append(wanted[key][1](wide))
    return {key: _concat(frames) for key, frames in parts.items()}


def write_melted(frames: dict[str, pd.DataFrame], folder: PathLike, file_names: dict[str, str]) -> list[str]:
    """Write long tables (Parquet or CSV; rollouts as arrays in ``.arrays.npz``) plus ``melted.json``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    metas = {key: write_table(frame, folder / file_names[key]) for key, frame in frames.items()}
    write_json(folder / MELTED_MANIFEST, metas)
    return [str(folder / meta["file"]) for meta in metas.values()]


def read_melted(folder: PathLike) -> dict[str, pd.DataFrame]:
    """The long tables written by :func:`write_melted`, with their dtypes and arrays."""
    folder = Path(folder)
    metas = read_json(folder / MELTED_MANIFEST)
    return {key: read_table(folder, meta) for key, meta in metas.items()}


def melt_concat_from_list(
    files: Sequence[PathLike],
    base_path: PathLike,
    *,
    metric_name: str | list[str] = defaults.METRIC,
    metric_file_name: str = "metrics",
    loss_file_name: str = "train_loss",
    sample_rollout_file_name: str = "sample_rollout",
    do_metrics: bool = True,
    do_loss: bool = False,
    do_sample_rollouts: bool = False,
) -> dict[str, pd.DataFrame]:
    """Melt, concatenate and write the study's long tables into ``base_path``; returns the tables."""
    frames = melt_study(
        files,
        metric_name=metric_name,
        do_metrics=do_metrics,
        do_loss=do_loss,
        do_sample_rollouts=do_sample_rollouts,
    )
    names = {"metrics": metric_file_name, "loss": loss_file_name, "sample_rollouts": sample_rollout_file_name}
    write_melted(frames, base_path, names)
    return frames


def read_in_kwargs(df: pd.DataFrame) -> pd.DataFrame:
    """One column per scenario keyword override, parsed with ``ast.literal_eval`` (never ``eval``).

    Rows without a key get NA in its column.
    """
    parsed = {text: ast.literal_eval(text) for text in df["scenario_kwargs"].unique()}
    for text, value in parsed.items():
        if not isinstance(value, dict):
            raise ValueError(f"scenario_kwargs {text!r} is not a dict literal")
    keys = list(dict.fromkeys(k for value in parsed.values() for k in value))
    clashes = [k for k in keys if k in df.columns]
    if clashes:
        raise ValueError(f"scenario_kwargs keys {clashes} clash with existing columns")
    out = df.copy()
    for key in keys:
        out[key] = [parsed[text].get(key, pd.NA) for text in df["scenario_kwargs"]]
    return out


# -- aggregates ------------------------------------------------------------------
def aggregate_gmean(
    df: pd.DataFrame,
    *,
    up_to: int = 100,
    grouping_cols: Sequence[str] = BASE_NAMES,
    metric_name: str = defaults.METRIC,
) -> pd.DataFrame:
    """Geometric mean of ``metric_name`` over time steps ``<= up_to`` (APEBench's aggregate), per group."""
    selected = df[df["time_step"] <= up_to]
    logs = np.log(selected[metric_name].to_numpy(dtype=np.float64))
    grouped = selected.assign(_log=logs).groupby(list(grouping_cols), sort=True, dropna=False)["_log"]
    return np.exp(grouped.mean()).rename(f"gmean_{metric_name}").reset_index()


def relative_by_config(
    df: pd.DataFrame,
    *,
    grouping_cols: Sequence[str] = BASE_NAMES_NO_TRAIN,
    norm_query: str = "train == 'one'",
    value_col: str = defaults.METRIC,
    suffix: str = "_rel",
) -> pd.DataFrame:
    """``value_col`` divided by the value of the row matching ``norm_query`` in the same group."""
    keys = list(grouping_cols)
    reference = df.query(norm_query)[keys + [value_col]]
    if reference.duplicated(keys).any():
        raise ValueError(
            f"{norm_query!r} matches several rows per group of {keys}: add the distinguishing column "
            "(e.g. time_step) to grouping_cols"
        )
    merged = df.merge(reference.rename(columns={value_col: "_reference"}), on=keys, how="left")
    merged[f"{value_col}{suffix}"] = merged[value_col] / merged.pop("_reference")
    return merged


def split_train(df: pd.DataFrame, column: str = "train") -> pd.DataFrame:
    """Decode the train config into ``train_method`` and one ``train_<field>`` column per field.

    Uses the trainer specs of the registry, so any plugin's methodology decodes.
    """
    from ..plugin.registry import get_registry

    registry = get_registry()
    parsed = {text: registry.parse("trainer", text) for text in df[column].unique()}
    out = df.copy()
    out["train_method"] = [parsed[text].name for text in df[column]]
    fields = list(dict.fromkeys(f for p in parsed.values() for f in p.values))
    for field in fields:
        out[f"train_{field}"] = [parsed[text].values.get(field, pd.NA) for text in df[column]]
    return out


# -- seed-to-seed statistics -----------------------------------------------------
def _continued_fraction(a: float, b: float, x: float) -> float:
    """Lentz evaluation of the continued fraction of the incomplete beta function."""
    tiny, f = 1e-300, 1.0
    c, d = 1.0, 0.0
    for j in range(1, 500):
        m = j // 2
        if j % 2:
            term = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        else:
            term = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1.0 + term * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + term / c
        c = c if abs(c) > tiny else tiny
        f *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return 1.0 / f


def regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b); uses the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges slowly."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _continued_fraction(b, a, 1.0 - x) / b


def student_t_sf(t: float, dof: float) -> float:
    """P(T > t) for Student's t with ``dof`` (not necessarily integer) degrees of freedom."""
    if math.isnan(t) or math.isnan(dof):
        return math.nan
    tail = 0.5 * regularized_incomplete_beta(dof / 2.0, 0.5, dof / (dof + t * t))
    return tail if t > 0 else 1.0 - tail


def t_test(
    x: Sequence[float], y: Sequence[float], *, alternative: str = "greater", equal_var: bool = False
) -> tuple[float, float]:
    """(t statistic, p-value) of mean(x) vs mean(y): Welch's test, or Student's with ``equal_var``."""
    xs, ys = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    nx, ny = len(xs), len(ys)
    if nx < 2 or ny < 2:
        return math.nan, math.nan
    vx, vy = xs.var(ddof=1), ys.var(ddof=1)
    if equal_var:
        dof = nx + ny - 2.0
        pooled = ((nx - 1) * vx + (ny - 1) * vy) / dof
        scale = math.sqrt(pooled * (1.0 / nx + 1.0 / ny))
    else:
        ax, ay = vx / nx, vy / ny
        scale = math.sqrt(ax + ay)
        dof = (ax + ay) ** 2 / (ax**2 / (nx - 1) + ay**2 / (ny - 1)) if ax + ay > 0 else math.nan
    t = (xs.mean() - ys.mean()) / scale if scale > 0 else math.nan
    if alternative == "greater":
        p = student_t_sf(t, dof)
    elif alternative == "less":
        p = student_t_sf(-t, dof)
    elif alternative == "two-sided":
        p = min(1.0, 2.0 * student_t_sf(abs(t), dof))
    else:
        raise ValueError(f"alternative must be 'greater', 'less' or 'two-sided', got {alternative!r}")
    return float(t), float(p)


def pvalues_against_best(
    df: pd.DataFrame,
    *,
    value_col: str = f"gmean_{defaults.METRIC}",
    group_cols: Sequence[str] = ("scenario",),
    config_cols: Sequence[str] = ("task", "train", "net", "scenario_kwargs"),
    alternative: str = "greater",
    equal_var: bool = False,
) -> pd.DataFrame:
    """Per group, test every configuration's seeds against those of the best (lowest mean) one.

    One row per configuration with ``n, mean, std, t, p_value, is_best``; with the
    default ``alternative="greater"`` a small p-value means "worse than the best".
    """
    rows = []
    for group_key, group in df.groupby(list(group_cols), sort=True, dropna=False):
        samples = {
            key: part[value_col].to_numpy() for key, part in group.groupby(list(config_cols), sort=True)
        }
        best = min(samples, key=lambda key: float(np.mean(samples[key])))
        for key, values in samples.items():
            t, p = t_test(values, samples[best], alternative=alternative, equal_var=equal_var)
            rows.append(
                {
                    **dict(zip(group_cols, group_key, strict=True)),
                    **dict(zip(config_cols, key, strict=True)),
                    "n": len(values),
                    "mean": float(np.mean(values)),
                    "std": float(np.std(values, ddof=1)) if len(values) > 1 else math.nan,
                    "t": t,
                    "p_value": p,
                    "is_best": key == best,
                }
            )
    return pd.DataFrame(rows)


# -- figures ---------------------------------------------------------------------
def label_configs(wide: pd.DataFrame) -> pd.Series:
    """A short legend label per row: the configuration columns that differ across the study."""
    varying = [c for c in CONFIG_COLUMNS if wide[c].nunique() > 1] or ["net"]
    return wide[varying].astype(str).agg(" | ".join, axis=1)


def plot_study(tables: Sequence[pd.DataFrame], metric_name: str = defaults.METRIC) -> Any:
    """``plotting.plot_run`` over a whole study: one line (median, range over seeds) per configuration.

    ``plot_run`` groups by the ``net`` column, so it receives a table whose ``net``
    holds the label of the configuration columns that vary.
    """
    from ..experiment.plotting import plot_run

    if not tables:
        raise ValueError("no complete experiments to plot")
    wide = _concat(tables)
    labelled = wide.assign(net=label_configs(wide))
    first = ast.literal_eval(str(wide["scenario_kwargs"].iloc[0]))
    vlim = tuple(first.get("vlim", (-1.0, 1.0)))
    figure = plot_run(labelled, metric_name, vlim=vlim)
    figure.axes[2].set_title(f"Sample rollout ({labelled['net'].iloc[0]}, seed {wide['seed'].iloc[0]})")
    return figure
