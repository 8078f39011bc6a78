"""Scenarios page: pick a scenario, set its declared fields, look at the data a network trains on."""

from __future__ import annotations

import json
import time as clock
from typing import Any

import numpy as np
import streamlit as st

from ..plugin.errors import ApebenchError
from . import figures, model


@st.cache_resource(max_entries=24, show_spinner=False)
def _scene(key: str, overrides_json: str) -> Any:
    """One planned scenario instance per (key, overrides): its data caches live on it."""
    return model.plan_scenario(key, json.loads(overrides_json))


@st.cache_data(max_entries=512, show_spinner=False)
def _png(view: str, key: str, overrides_json: str, split: str, stepper: str, selection: tuple) -> bytes:
    """One figure as PNG bytes, cached: switching back to a scenario redraws nothing."""
    index, channel, time = selection
    trajectory = model.trajectories(_scene(key, overrides_json), split, stepper)[index, :, channel]
    return figures.png(_FIGURES[view](trajectory, time))


_FIGURES = {
    "space-time": lambda trajectory, time: figures.spacetime_1d(trajectory, "space-time"),
    "line": figures.line_1d,
    "frame": lambda trajectory, time: figures.image_2d(
        trajectory[time], f"time step {time}", figures._limits(trajectory)
    ),
    "slices": lambda trajectory, time: figures.slices_3d(trajectory[time], figures._limits(trajectory[time])),
    "projection": lambda trajectory, time: figures.projection_3d(trajectory[time]),
    "spectrum": lambda trajectory, time: figures.spectrum(trajectory[time], time),
    "spectrum evolution": lambda trajectory, time: figures.spectrum_evolution(trajectory),
}


def _field_widgets(key: str, spec: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """One widget per declared field, default shown; returns the widget values by field name."""
    values: dict[str, Any] = {}
    dims = tuple(spec.metadata.get("dims") or (1, 2, 3))
    default_dims = fields["num_spatial_dims"].default if "num_spatial_dims" in fields else dims[0]
    if "num_spatial_dims" in fields:
        stable = spec.metadata.get("stable_dims") or dims  # where the default fields make sense
        initial = default_dims if default_dims in dims else stable[0]
        values["num_spatial_dims"] = st.sidebar.selectbox(
            "dimension", dims, index=dims.index(initial), key=f"{key}:num_spatial_dims"
        )
    with st.sidebar.expander("scenario fields (defaults shown)", expanded=False):
        for name, field in fields.items():
            if name == "num_spatial_dims":
                continue
            label = f"{name} ({field.type_label})"
            if field.type is bool and isinstance(field.default, bool):
                values[name] = st.checkbox(
                    label, value=field.default, help=field.help or None, key=f"{key}:{name}"
                )
            else:
                values[name] = st.text_input(
                    label, value=model.field_text(field.default), help=field.help or None, key=f"{key}:{name}"
                )
    return values


def _pick_scenario() -> tuple[str, Any] | None:
    families = model.scenario_families()
    if not families:
        st.warning("No scenario is registered: `apebench plugins` shows why.")
        return None
    names = list(families)
    wanted = st.query_params.get("scenario")
    initial_family = next(
        (f for f, specs in families.items() if any(s.name == wanted for s in specs)), names[0]
    )
    family = st.sidebar.selectbox("family", names, index=names.index(initial_family), key="family")
    specs = families[family]
    labels = [s.name for s in specs]
    initial = labels.index(wanted) if wanted in labels else 0
    chosen = st.sidebar.selectbox("scenario", labels, index=initial, key=f"scenario:{family}")
    spec = specs[labels.index(chosen)]
    return model.scenario_reference(spec), spec


def _catalogue() -> None:
    families = model.scenario_families()
    rows = [
        {
            "family": family,
            "scenario": spec.name,
            "description": spec.summary,
            "dimensions": ", ".join(f"{d}D" for d in spec.metadata.get("dims") or ()),
            "plugin": spec.plugin,
        }
        for family, specs in families.items()
        for spec in specs
    ]
    with st.expander(f"all {len(rows)} scenarios, by family"):
        st.table(rows)


def render() -> None:
    started = clock.perf_counter()
    picked = _pick_scenario()
    if picked is None:
        return
    key, spec = picked
    st.header(f"Scenario `{key}`")
    _catalogue()
    st.caption(f"{spec.summary or 'no description'} · plugin `{spec.plugin}`")
    dims = spec.metadata.get("dims")
    if dims:
        st.caption("defined in " + ", ".join(f"{d}D" for d in dims))

    try:
        fields = model.fields_of(key)
        widget_values = _field_widgets(key, spec, fields)
        overrides = json.dumps(model.overrides_from_text(fields, widget_values), sort_keys=True)
        split = st.sidebar.radio("data", model.SPLITS, horizontal=True, key="split")
        stepper = st.sidebar.radio("stepper", model.STEPPERS, horizontal=True, key="stepper")
        scene = _scene(key, overrides)
        if f"explore_{split}_{stepper}_numpy" in scene._cache:
            data = model.trajectories(scene, split, stepper)
        else:
            with st.status(f"Generating {split} data ({stepper} stepper) ...", expanded=False) as status:
                began = clock.perf_counter()
                data = model.trajectories(scene, split, stepper)
                status.update(
                    label=f"{split} data generated in {clock.perf_counter() - began:.1f} s", state="complete"
                )
    except (ApebenchError, ValueError, TypeError, NotImplementedError) as error:
        st.error(f"{type(error).__name__}: {error}")
        return

    _view(scene, data, (key, overrides, split, stepper))
    st.caption(f"{key}: drawn in {clock.perf_counter() - started:.2f} s")


def _view(scene: Any, data: np.ndarray, source: tuple[str, str, str, str]) -> None:
    num_samples, num_times, num_channels = data.shape[:3]
    space = data.shape[3:]
    controls = st.columns(3)
    with controls[0]:
        index = int(
            st.number_input(f"trajectory (0-{num_samples - 1})", 0, num_samples - 1, 0, key="trajectory")
        )
    with controls[1]:
        channel = int(st.selectbox("channel", range(num_channels), key="channel"))
    with controls[2]:
        time = (
            st.slider("time step", 0, num_times - 1, num_times - 1 if len(space) == 1 else 0, key="time")
            if num_times > 1
            else 0
        )

    def show(view: str, at: int | None = None) -> None:
        st.image(_png(view, *source, (index, channel, time if at is None else at)))

    split, stepper = source[2:]
    st.caption(
        f"{split} data, {stepper} stepper: {num_samples} trajectories x {num_times} states x {num_channels} "
        f"channels x {' x '.join(map(str, space))} points ({scene.get_scenario_name()})"
    )
    if not np.isfinite(data[index, :, channel]).all():
        st.warning("this trajectory contains NaN or Inf values")
    views, spectrum_tab, numbers_tab = st.tabs([f"{len(space)}D views", "spectrum", "numbers"])
    with views:
        if len(space) == 1:
            left, right = st.columns(2)
            with left:
                show("space-time", 0)
            with right:
                show("line")
        elif len(space) == 2:
            placeholder = st.empty()
            with placeholder:
                show("frame")
            if st.button("play", key="play"):
                for frame in range(0, num_times, max(1, num_times // 40)):
                    with placeholder:
                        show("frame", frame)
                    clock.sleep(0.05)
        else:
            st.subheader("mid-plane slices")
            show("slices")
            st.subheader("maximum-intensity projection")
            show("projection")
    with spectrum_tab:
        left, right = st.columns(2)
        with left:
            show("spectrum")
        with right:
            show("spectrum evolution", 0)
    with numbers_tab:
        text = model.pde_text(scene)
        if text:
            st.markdown(text)
        numbers = model.scenario_numbers(scene)
        st.table({"quantity": list(numbers), "value": [str(v) for v in numbers.values()]})
