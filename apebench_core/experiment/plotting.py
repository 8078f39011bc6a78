"""The seed README's three figures: training loss, metric rollout over seeds, sample rollout."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import defaults
from .melt import melt_loss, melt_metrics


def plot_run(
    table: pd.DataFrame, metric_name: str = defaults.METRIC, *, vlim: tuple[float, float] = (-1.0, 1.0)
) -> Any:
    """A figure with loss (median and range over seeds), metric rollout, and the first sample rollout."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 1, figsize=(6, 11))
    for ax, long, x, y in (
        (axes[0], melt_loss(table), "update_step", "train_loss"),
        (axes[1], melt_metrics(table, metric_name), "time_step", metric_name),
    ):
        for net, group in long.groupby("net"):
            stats = group.groupby(x)[y].agg(["median", "min", "max"])
            ax.plot(stats.index, stats["median"], label=net)
            ax.fill_between(stats.index, stats["min"], stats["max"], alpha=0.25)
        ax.set_xlabel(x.replace("_", " "))
        ax.set_ylabel(y)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    axes[0].set_yscale("log")
    axes[0].set_title("Training loss (median and range over seeds)")
    axes[1].set_title("Metric rollout")
    sample = np.asarray(table["sample_rollout_000"].iloc[0])  # (time, channels, *space)
    image = sample[:, 0] if sample.ndim == 3 else sample[:, 0].reshape(sample.shape[0], -1)
    axes[2].imshow(image.T, origin="lower", aspect="auto", vmin=vlim[0], vmax=vlim[1], cmap="RdBu_r")
    axes[2].set_xlabel("time")
    axes[2].set_ylabel("space" if sample.ndim == 3 else "space (flattened)")
    axes[2].set_title("Sample rollout (seed 0, channel 0)")
    fig.tight_layout()
    return fig
