"""Matplotlib figures of the explorer (Agg backend, rendered to PNG by Streamlit; no remote renderer)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .model import power_spectrum


def _figure(width: float = 6.0, height: float = 3.2, ncols: int = 1) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, ncols, figsize=(width, height), squeeze=False, layout="constrained")
    return fig, axes[0]


def _limits(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return -1.0, 1.0
    bound = float(np.max(np.abs(finite))) or 1.0
    return -bound, bound


def spacetime_1d(trajectory: np.ndarray, title: str = "") -> Any:
    """``(time, x)`` as an image, time upwards."""
    fig, (ax,) = _figure()
    low, high = _limits(trajectory)
    image = ax.imshow(trajectory, origin="lower", aspect="auto", cmap="RdBu_r", vmin=low, vmax=high)
    ax.set(xlabel="x (grid index)", ylabel="time step", title=title)
    fig.colorbar(image, ax=ax)
    return fig


def line_1d(trajectory: np.ndarray, time: int) -> Any:
    fig, (ax,) = _figure(height=2.6)
    ax.plot(trajectory[time], color="C0")
    ax.set(xlabel="x (grid index)", ylabel="u", title=f"time step {time}", ylim=_limits(trajectory))
    ax.grid(alpha=0.3)
    return fig


def image_2d(state: np.ndarray, title: str = "", limits: tuple[float, float] | None = None) -> Any:
    fig, (ax,) = _figure(width=4.2, height=3.6)
    low, high = limits or _limits(state)
    image = ax.imshow(state.T, origin="lower", cmap="RdBu_r", vmin=low, vmax=high)
    ax.set(xlabel="x", ylabel="y", title=title)
    fig.colorbar(image, ax=ax)
    return fig


def panels(
    states: list[np.ndarray],
    titles: list[str],
    limits: list[tuple[float, float] | None],
    axis_labels: tuple[str, str] = ("", ""),
) -> Any:
    """Images side by side (mid-plane slices, projections, prediction/reference/error)."""
    fig, axes = _figure(width=3.4 * len(states), height=3.2, ncols=len(states))
    for ax, state, title, lim in zip(axes, states, titles, limits, strict=True):
        low, high = lim or _limits(state)
        cmap = "magma" if low >= 0 else "RdBu_r"
        image = ax.imshow(state.T, origin="lower", cmap=cmap, vmin=low, vmax=high, aspect="auto")
        ax.set(title=title, xlabel=axis_labels[0], ylabel=axis_labels[1])
        fig.colorbar(image, ax=ax, shrink=0.8)
    return fig


def slices_3d(state: np.ndarray, limits: tuple[float, float]) -> Any:
    """Orthogonal mid-plane slices of ``(x, y, z)``."""
    mid = [n // 2 for n in state.shape]
    return panels(
        [state[mid[0]], state[:, mid[1]], state[:, :, mid[2]]],
        [f"x = {mid[0]} (y-z)", f"y = {mid[1]} (x-z)", f"z = {mid[2]} (x-y)"],
        [limits] * 3,
    )


def projection_3d(state: np.ndarray) -> Any:
    """Maximum-intensity projection of ``|u|`` along each axis."""
    magnitude = np.abs(state)
    top = float(np.nanmax(magnitude)) if np.isfinite(magnitude).any() else 1.0
    return panels(
        [magnitude.max(axis=axis) for axis in range(3)],
        ["max |u| along x", "max |u| along y", "max |u| along z"],
        [(0.0, top or 1.0)] * 3,
    )


def spectrum(state: np.ndarray, time: int) -> Any:
    """Shell-averaged power spectrum of one state, log-log."""
    k, power = power_spectrum(state)
    fig, (ax,) = _figure(width=4.2, height=3.2)
    ax.loglog(k, np.maximum(power, 1e-300), marker=".", color="C1")
    ax.set(xlabel="wavenumber |k|", ylabel="power", title=f"spectrum at time step {time}")
    ax.grid(alpha=0.3, which="both")
    return fig


def spectrum_evolution(trajectory: np.ndarray, num_curves: int = 8) -> Any:
    """Spectra at evenly spaced times, coloured by time."""
    import matplotlib

    fig, (ax,) = _figure(width=4.2, height=3.2)
    times = np.unique(np.linspace(0, len(trajectory) - 1, num_curves).astype(int))
    cmap = matplotlib.colormaps["viridis"]
    for index, time in enumerate(times):
        k, power = power_spectrum(trajectory[time])
        colour = cmap(index / max(len(times) - 1, 1))
        ax.loglog(k, np.maximum(power, 1e-300), color=colour, label=f"t={time}")
    ax.set(xlabel="wavenumber |k|", ylabel="power", title="spectrum over time")
    ax.legend(fontsize=7, ncols=2)
    ax.grid(alpha=0.3, which="both")
    return fig


def bands(frame: Any, *, ylabel: str, xlabel: str, log: bool = True) -> Any:
    """Median line and min/max band over seeds, one colour per configuration."""
    fig, (ax,) = _figure(width=6.0, height=3.4)
    for index, (config, part) in enumerate(frame.groupby("config", sort=True)):
        colour = f"C{index % 10}"
        ax.plot(part["x"], part["median"], color=colour, label=config)
        ax.fill_between(part["x"], part["low"], part["high"], color=colour, alpha=0.25)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return fig


def close(fig: Any) -> None:
    import matplotlib.pyplot as plt

    plt.close(fig)


def png(fig: Any, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (and closed)."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    close(fig)
    return buffer.getvalue()
