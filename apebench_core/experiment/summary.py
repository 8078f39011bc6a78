"""Short text summaries of result tables (median over seeds at a few time steps)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from . import defaults
from .melt import melt_metrics

DEFAULT_STEPS = (1, 2, 5, 10, 20, 50, 100, 200)


def median_table(
    wide: pd.DataFrame,
    metric_name: str = defaults.METRIC,
    *,
    steps=DEFAULT_STEPS,
    by: str | list[str] = "net",
) -> pd.DataFrame:
    """Median over seeds of ``metric_name`` at the given time steps, one column per ``by`` value."""
    long = melt_metrics(wide, metric_name)
    long = long[long["time_step"].isin(steps)]
    return (
        long.groupby([*([by] if isinstance(by, str) else by), "time_step"])[metric_name].median().unstack(0)
    )


def steps_until_below(metric_trajectory: ArrayLike, threshold: float) -> np.ndarray:
    """How many leading rollout steps keep the metric at or above ``threshold``.

    ``metric_trajectory[..., t]`` is the metric after step ``t + 1`` (the
    pipeline's layout), so the result is the number of steps before the metric
    first drops below the threshold, e.g. the correlation time for
    ``mean_correlation`` and 0.8; a trajectory that never drops scores its full
    length. NaN counts as below (a diverged rollout has lost the correlation).
    Leading axes (seeds, ...) are kept: the result has shape ``metric_trajectory.shape[:-1]``.
    """
    values = np.asarray(metric_trajectory)
    if values.ndim == 0:
        raise ValueError("metric_trajectory needs a time axis (the last one)")
    stays_above = np.cumprod(values >= threshold, axis=-1)
    return stays_above.sum(axis=-1)


def correlation_time(
    wide: pd.DataFrame, threshold: float = 0.8, metric_name: str = "mean_correlation"
) -> pd.Series:
    """Per row: steps until ``metric_name`` first drops below ``threshold``."""
    columns = sorted(
        c for c in wide.columns if c.startswith(f"{metric_name}_") and c[len(metric_name) + 1 :].isdigit()
    )
    if not columns:
        raise KeyError(
            f"no {metric_name}_<step> columns: add {metric_name!r} to the scenario's report_metrics"
        )
    return pd.Series(
        steps_until_below(wide[columns].to_numpy(), threshold), index=wide.index, name=metric_name
    )


def seed_spread_table(wide: pd.DataFrame, metric_name: str, *, steps=DEFAULT_STEPS) -> pd.DataFrame:
    """Median over seeds of ``metric_name`` at the given steps and, with several seeds, the spread
    (minimum and maximum over seeds)."""
    long = melt_metrics(wide, metric_name)
    long = long[long["time_step"].isin(steps)]
    grouped = long.groupby("time_step")[metric_name]
    table = grouped.median().to_frame("median")
    if long["seed"].nunique() > 1:
        table["min"] = grouped.min()
        table["max"] = grouped.max()
    return table
