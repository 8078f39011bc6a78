"""Wide-to-long conversions of result tables, for plotting with seaborn/pandas."""

from __future__ import annotations

import pandas as pd

from . import defaults

#: The configuration columns that identify an experiment row of the wide table.
BASE_NAMES = ["scenario", "task", "train", "net", "seed", "scenario_kwargs"]


def melt_data(
    wide: pd.DataFrame, quantity_name: str, uniquifier_name: str, *, base_columns: list[str] | None = None
) -> pd.DataFrame:
    """Columns ``{quantity_name}_{number}`` become rows with ``uniquifier_name`` = number."""
    base_columns = list(BASE_NAMES if base_columns is None else base_columns)
    prefix = f"{quantity_name}_"
    value_columns = [c for c in wide.columns if c.startswith(prefix) and c[len(prefix) :].isdigit()]
    if not value_columns:
        raise KeyError(f"no columns named {prefix}<number> in the table (have: {list(wide.columns)[:8]}...)")
    long = wide[base_columns + value_columns].melt(
        id_vars=base_columns, value_vars=value_columns, var_name=uniquifier_name, value_name=quantity_name
    )
    long[uniquifier_name] = long[uniquifier_name].str[len(prefix) :].astype(int)
    return long.sort_values(base_columns[:5] + [uniquifier_name], kind="stable").reset_index(drop=True)


def melt_metrics(wide: pd.DataFrame, metric_name: str | list[str] = defaults.METRIC) -> pd.DataFrame:
    """Long table with ``time_step`` and one column per metric."""
    names = [metric_name] if isinstance(metric_name, str) else list(metric_name)
    merged = None
    for name in names:
        long = melt_data(wide, name, "time_step")
        merged = long if merged is None else merged.merge(long, on=BASE_NAMES + ["time_step"])
    assert merged is not None
    return merged


def melt_loss(wide: pd.DataFrame, loss_name: str = "train_loss") -> pd.DataFrame:
    """Long table with ``update_step`` and ``train_loss``."""
    return melt_data(wide, loss_name, "update_step")


def melt_sample_rollouts(wide: pd.DataFrame, sample_rollout_name: str = "sample_rollout") -> pd.DataFrame:
    """Long table with ``sample_index`` and the rollout array in ``sample_rollout``."""
    return melt_data(wide, sample_rollout_name, "sample_index")
