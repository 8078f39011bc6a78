"""Short text summaries of result tables (median over seeds at a few time steps)."""

from __future__ import annotations

import pandas as pd

from .melt import melt_metrics

DEFAULT_STEPS = (1, 2, 5, 10, 20, 50, 100, 200)


def median_table(
    wide: pd.DataFrame, metric_name: str = "mean_nRMSE", *, steps=DEFAULT_STEPS, by: str | list[str] = "net"
) -> pd.DataFrame:
    """Median over seeds of ``metric_name`` at the given time steps, one column per ``by`` value."""
    long = melt_metrics(wide, metric_name)
    long = long[long["time_step"].isin(steps)]
    return (
        long.groupby([*([by] if isinstance(by, str) else by), "time_step"])[metric_name].median().unstack(0)
    )
