"""Results page: a study folder's configurations compared (loss, metric rollouts, sample
rollouts, median table, p-values), with CSV downloads of what is shown."""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np
import streamlit as st

from . import RESULTS_ENV, figures, model


def _show(fig: Any) -> None:
    st.pyplot(fig, clear_figure=True)
    figures.close(fig)


@st.cache_data(show_spinner="Reading the study ...", max_entries=4)
def _read(folder: str, stamp: float) -> model.Study:
    """The study, re-read when its manifest changes (``stamp`` is the manifest's mtime)."""
    return model.read_results(folder)


@st.cache_data(show_spinner="Regenerating the reference trajectory ...", max_entries=32)
def _reference(config_json: str, length: int) -> Any:
    """The reference of a stored sample rollout (its scenario's first test trajectory)."""
    return model.reference_rollout(json.loads(config_json), length)


def _stamp(folder: str) -> float:
    try:
        return os.stat(os.path.join(os.path.expanduser(folder), "study.json")).st_mtime
    except OSError:
        return 0.0


def render() -> None:
    st.header("Results")
    folder = st.text_input(
        "study results folder", value=os.environ.get(RESULTS_ENV, ""), key="results_folder"
    ).strip()
    if not folder:
        st.info(
            "Give a study results folder (the `--base-path` of `apebench study`), or start the app with "
            "`apebench explore RESULTS_DIR`."
        )
        return
    try:
        study = _read(folder, _stamp(folder))
    except (OSError, ValueError, KeyError, TypeError) as error:
        st.error(f"cannot read {folder!r} as a study: {error}")
        return
    if study.problems:
        st.warning(f"{len(study.problems)} experiment(s) incomplete or corrupt, left out:")
        st.dataframe(study.problems, width="stretch", hide_index=True)
    if not study.tables:
        st.info("No complete experiment in this study yet.")
        return
    wide = model.labelled(study.tables)
    configs = sorted(wide["config"].unique())
    chosen = st.multiselect("configurations to compare", configs, default=configs, key="configs")
    if not chosen:
        st.info("Pick at least one configuration.")
        return
    wide = wide[wide["config"].isin(chosen)].reset_index(drop=True)

    loss_tab, metric_tab, rollout_tab, table_tab = st.tabs(
        ["training loss", "metric rollouts", "sample rollouts", "table and p-values"]
    )
    with loss_tab:
        loss = model.band(wide, "train_loss", 6)
        if loss.empty:
            st.info("no training loss recorded")
        else:
            _show(figures.bands(loss, ylabel="train loss", xlabel="update step"))
            st.download_button("loss as CSV", model.to_csv(loss), "train_loss.csv", key="csv_loss")
    metrics = model.metric_names(wide)
    with metric_tab:
        if not metrics:
            st.info("no metric rollouts recorded")
        else:
            metric = st.selectbox("metric", metrics, key="metric")
            rollout = model.band(wide, metric, 4)
            _show(figures.bands(rollout, ylabel=metric, xlabel="time step"))
            st.download_button(
                "metric rollouts as CSV", model.to_csv(rollout), f"{metric}.csv", key="csv_metric"
            )
    with rollout_tab:
        _sample_rollouts(wide, study.configs)
    with table_tab:
        if metrics:
            _tables(wide, metrics)


def _sample_rollouts(wide: Any, configs: dict[str, dict[str, Any]]) -> None:
    labels = [f"{row.config} | seed {row.seed}" for row in wide.itertuples()]
    row = labels.index(st.selectbox("experiment and seed", labels, key="rollout_row"))
    prediction = model.sample_rollout(wide, row)
    if prediction is None:
        st.info("no sample rollout stored for this experiment")
        return
    config = configs.get(str(wide["experiment"].iloc[row]), {})
    reference = _reference(json.dumps(config, sort_keys=True), len(prediction))
    channel = int(st.selectbox("channel", range(prediction.shape[1]), key="rollout_channel"))
    prediction = prediction[:, channel]
    if reference is None or reference.shape[0] != prediction.shape[0]:
        st.caption("reference unavailable (the scenario is not registered here): prediction only")
        states, titles = [prediction], ["prediction"]
    else:
        reference = reference[:, channel]
        states, titles = [prediction, reference, prediction - reference], ["prediction", "reference", "error"]
    bound = figures._limits(np.concatenate([s.ravel() for s in states[:2]]))
    limits = [bound, bound, None][: len(states)]
    space = prediction.ndim - 1
    if space == 1:
        _show(figures.panels([s.T for s in states], titles, limits, ("x", "time step")))  # time upwards
    else:
        time = st.slider("time step", 0, len(prediction) - 1, 0, key="rollout_time")
        frames = [s[time] if space == 2 else s[time][..., s.shape[-1] // 2] for s in states]
        axes = ("x", "y") if space == 2 else ("x", "y (z mid-plane)")
        _show(figures.panels(frames, [f"{t} at step {time}" for t in titles], limits, axes))


def _tables(wide: Any, metrics: list[str]) -> None:
    metric = st.selectbox("metric", metrics, key="table_metric")
    x, _ = model.series(wide, metric, 4)
    available = [int(v) for v in x]
    default = [h for h in (1, 5, 10, 50, 100, 200) if h in available] or available[:1]
    horizons = st.multiselect("horizons", available, default=default, key="horizons")
    table = model.median_table(wide, metric, sorted(horizons))
    st.subheader("median over seeds")
    st.dataframe(table, width="stretch", hide_index=True)
    st.download_button("median table as CSV", model.to_csv(table), "median_table.csv", key="csv_median")
    up_to = int(
        st.number_input("geometric mean up to step", 1, int(max(available)), int(max(available)), key="up_to")
    )
    p = model.pvalues(wide, metric, up_to)
    st.subheader("p-values against the best configuration (Welch t-test, one-sided)")
    st.dataframe(p, width="stretch", hide_index=True)
    st.download_button("p-values as CSV", model.to_csv(p), "pvalues.csv", key="csv_pvalues")
