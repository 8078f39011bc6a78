"""What the explorer shows, computed without Streamlit: scenario catalogue and field parsing,
trajectories from the scenario's own (cached) data functions, spectra, the scenario's
numbers, study results and the component catalogue."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..plugin.hookspecs import KINDS
from ..plugin.registry import get_registry
from ..plugin.spec import ComponentSpec

SPLITS = ("train", "test")
STEPPERS = ("reference", "coarse")


# -- scenarios -------------------------------------------------------------------
def scenario_families() -> dict[str, list[ComponentSpec]]:
    """Every registered scenario (third-party ones included), by family, families sorted."""
    grouped: dict[str, list[ComponentSpec]] = {}
    for spec in get_registry().specs("scenario"):
        grouped.setdefault(str(spec.metadata.get("family") or spec.plugin or "other"), []).append(spec)
    return dict(sorted(grouped.items()))


def scenario_reference(spec: ComponentSpec) -> str:
    """The name that selects ``spec`` unambiguously (qualified when names clash)."""
    clashing = [s for s in get_registry().specs("scenario") if s.name.lower() == spec.name.lower()]
    return spec.name if len(clashing) < 2 else f"{spec.plugin}/{spec.name}"


def field_text(value: Any) -> str:
    """A field value as the text ``ScenarioField.parse_text`` reads back."""
    if isinstance(value, tuple) and all(not isinstance(v, tuple) for v in value):
        return ", ".join(repr(v) for v in value)
    if isinstance(value, str):
        return value
    return repr(value)


def overrides_from_text(fields: Mapping[str, Any], texts: Mapping[str, Any]) -> dict[str, Any]:
    """Overrides from widget values: text parsed by each field's declared type (as on the
    command line), non-text values coerced; values equal to the default are dropped.
    Raises the field's ``PlanError`` on a bad value."""
    overrides = {}
    for name, given in texts.items():
        field = fields[name]
        value = field.parse_text(given) if isinstance(given, str) else field.coerce(given)
        try:
            default = field.coerce(field.default)
        except ValueError:
            default = field.default
        if value != default:
            overrides[name] = value
    return overrides


def fields_of(key: str) -> dict[str, Any]:
    """The scenario's declared fields (``ScenarioField`` by name)."""
    from ..experiment.plan import fields_of as declared

    return declared(key)


def plan_scenario(key: str, overrides: Mapping[str, Any]) -> Any:
    """The scenario instance exactly as an experiment with these overrides would use it."""
    from ..experiment.plan import plan

    return plan(key, **overrides).scene


def trajectories(scene: Any, split: str, stepper: str) -> np.ndarray:
    """``(samples, time, channels, *space)`` from the scenario's data functions, cached on the
    instance (the reference data are the very arrays training uses)."""
    if split not in SPLITS or stepper not in STEPPERS:
        raise ValueError(f"split must be one of {SPLITS} and stepper one of {STEPPERS}")
    if stepper == "reference":
        make = scene.get_train_data if split == "train" else scene.get_test_data
    else:
        make = scene.get_train_data_coarse if split == "train" else scene.get_test_data_coarse
    return scene._cached(f"explore_{split}_{stepper}_numpy", lambda: np.asarray(make()))


def power_spectrum(state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shell-averaged power spectrum of one channel ``(*space)``: wavenumbers 1.. and power."""
    num_points = state.shape[0]
    power = np.abs(np.fft.fftn(state) / state.size) ** 2
    k = np.fft.fftfreq(num_points, 1.0 / num_points)
    grids = np.meshgrid(*([k] * state.ndim), indexing="ij")
    shell = np.rint(np.sqrt(sum(g**2 for g in grids))).astype(int).ravel()
    num_shells = num_points // 2 + 1
    inside = shell < num_shells
    total = np.bincount(shell[inside], weights=power.ravel()[inside], minlength=num_shells)
    count = np.bincount(shell[inside], minlength=num_shells)
    mean = total / np.maximum(count, 1)
    return np.arange(1, num_shells), mean[1:]


def scenario_numbers(scene: Any) -> dict[str, Any]:
    """The numbers that define the scenario: name, grid, time step and its coefficients."""
    numbers: dict[str, Any] = {}
    for label, getter in (
        ("name", lambda: scene.get_scenario_name()),
        ("dimensions", lambda: scene.num_spatial_dims),
        ("N (points per axis)", lambda: scene.num_points),
        ("channels", lambda: scene.num_channels),
        ("dt", lambda: getattr(scene, "dt", 1.0)),
        ("domain extent", lambda: getattr(scene, "domain_extent", 1.0)),
        ("difficulties gamma", lambda: scene.gammas),
        ("difficulties delta", lambda: scene.deltas),
        ("linear coefficients", lambda: scene.linear_coefficients()),
        ("normalized alphas", lambda: scene.normalized_terms().alphas),
        ("normalized convection", lambda: scene.normalized_terms().convection),
        ("normalized nonlinear", lambda: scene.normalized_terms().nonlinear),
        ("coarse proportion", lambda: scene.coarse_proportion),
    ):
        try:
            value = getter()
        except Exception:  # noqa: BLE001 - a scenario need not define every number
            continue
        if value is not None:
            numbers[label] = _plain(value)
    return numbers


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, float):
        return round(value, 10)
    return value


def pde_text(scene: Any) -> str:
    """The PDE as the scenario's documentation states it (class docstring, first paragraph)."""
    for klass in type(scene).__mro__:
        text = (klass.__doc__ or "").strip()
        if text and not text.startswith(type(scene).__name__ + "("):
            return text.split("\n\n")[0]
    return ""


# -- results ---------------------------------------------------------------------
@dataclasses.dataclass
class Study:
    """A study folder read for display: complete tables, and the experiments that are not."""

    tables: list[Any]  # one wide table per complete experiment, with an ``experiment`` column
    problems: list[dict[str, str]]
    configs: dict[str, dict[str, Any]]  # experiment name -> stored configuration


def read_results(folder: str | Path) -> Study:
    """Complete experiments of a study, plus every incomplete or corrupt one with its reason;
    raises ``FileNotFoundError`` when ``folder`` is not a study results folder."""
    from ..study.store import ResultStore, read_raw

    path = Path(folder).expanduser()
    if not path.is_dir():
        raise FileNotFoundError(f"{path} is not a folder")
    store = ResultStore(path)
    tables, problems, configs = [], [], {}
    for name in store.manifest():
        status = store.status(name)
        if not status.done:
            problems.append({"experiment": name, "problem": status.reason})
            continue
        try:
            tables.append(read_raw(store.sidecar_path(name)).assign(experiment=name))
            configs[name] = store.record(name)["config"]
        except Exception as error:  # noqa: BLE001 - listed, never crashed on
            problems.append({"experiment": name, "problem": f"unreadable: {error}"})
    return Study(tables, problems, configs)


def labelled(tables: list[Any]) -> Any:
    """One wide table with a ``config`` label column (the configuration columns that differ)."""
    import pandas as pd

    from ..study.analysis import label_configs

    wide = pd.concat(tables, ignore_index=True)
    wide.insert(0, "config", label_configs(wide).to_numpy())
    return wide


def metric_names(wide: Any) -> list[str]:
    """Metrics with rollout columns ``<metric>_0001 ...`` in a wide table."""
    names = []
    for column in wide.columns:
        head, _, tail = column.rpartition("_")
        if head and tail.isdigit() and len(tail) == 4 and head not in names:
            names.append(head)
    return names


def series(wide: Any, prefix: str, digits: int) -> tuple[np.ndarray, Any]:
    """The x values and the (rows, x) block of columns ``<prefix>_<digits digits>``."""
    columns = [
        c
        for c in wide.columns
        if c.startswith(prefix + "_")
        and c[len(prefix) + 1 :].isdigit()
        and len(c) == len(prefix) + 1 + digits
    ]
    x = np.array([int(c[len(prefix) + 1 :]) for c in columns])
    return x, wide[columns].to_numpy(dtype=float)


def band(wide: Any, prefix: str, digits: int) -> Any:
    """Long table: config, x, median and the min/max band over seeds."""
    import pandas as pd

    x, values = series(wide, prefix, digits)
    rows = []
    for config, index in wide.groupby("config", sort=True).groups.items():
        block = values[wide.index.get_indexer(index)]
        for j, xj in enumerate(x):
            column = block[:, j]
            rows.append(
                {
                    "config": config,
                    "x": int(xj),
                    "median": float(np.nanmedian(column)),
                    "low": float(np.nanmin(column)),
                    "high": float(np.nanmax(column)),
                }
            )
    return pd.DataFrame(rows, columns=["config", "x", "median", "low", "high"])


def median_table(wide: Any, metric: str, horizons: list[int]) -> Any:
    """Median over seeds of ``metric`` at the chosen horizons, one row per configuration."""
    columns = {h: f"{metric}_{h:04d}" for h in horizons if f"{metric}_{h:04d}" in wide.columns}
    table = wide.groupby("config", sort=True)[list(columns.values())].median()
    return table.rename(columns={c: f"{metric} @ {h}" for h, c in columns.items()}).reset_index()


def pvalues(wide: Any, metric: str, up_to: int) -> Any:
    """p-values of every configuration's per-seed geometric mean against the best one."""
    import pandas as pd

    from ..study.analysis import pvalues_against_best

    x, values = series(wide, metric, 4)
    keep = x <= up_to
    with np.errstate(divide="ignore"):
        gmean = np.exp(np.mean(np.log(values[:, keep]), axis=1))
    frame = pd.DataFrame({"scenario": wide["scenario"], "config": wide["config"], "value": gmean})
    return pvalues_against_best(frame, value_col="value", config_cols=("config",))


def sample_rollout(wide: Any, row: int) -> np.ndarray | None:
    """The first sample rollout stored for a row, ``(time, channels, *space)``."""
    for column in wide.columns:
        if column.startswith("sample_rollout_"):
            value = wide[column].iloc[row]
            if isinstance(value, np.ndarray):
                return value
    return None


def reference_rollout(config: Mapping[str, Any], length: int) -> np.ndarray | None:
    """The reference of a stored sample rollout: the first test trajectory of the experiment's
    scenario, regenerated by planning its stored configuration (``None`` if that fails, e.g.
    when the scenario's plugin is not installed here)."""
    from ..experiment.plan import plan

    try:
        test = trajectories(plan(**config).scene, "test", "reference")
    except Exception:  # noqa: BLE001 - shown as "reference unavailable"
        return None
    return test[0, :length]


# -- components ------------------------------------------------------------------
def component_rows(query: str = "") -> list[dict[str, Any]]:
    """The catalogue of ``apebench list``, filtered by a case-insensitive search text."""
    registry = get_registry()
    needle = query.strip().lower()
    rows = []
    for kind in KINDS:
        for spec in registry.specs(kind):
            fields = "; ".join(
                f"{f.name}: {f.type_label}" + ("" if f.required else f" = {f.default!r}") for f in spec.fields
            )
            row = {
                "kind": kind,
                "name": spec.name,
                "usage": spec.usage,
                "summary": spec.summary,
                "fields": fields,
                "plugin": spec.plugin,
            }
            if not needle or any(needle in str(v).lower() for v in row.values()):
                rows.append(row)
    return rows


def plugin_rows() -> list[dict[str, Any]]:
    """Every plugin with its status; a failed one carries all of its errors."""
    return [
        {
            "plugin": info.name,
            "distribution": info.distribution or "",
            "version": info.version or "",
            "status": info.status,
            "hooks": ", ".join(info.hooks),
            "errors": "\n".join(info.errors or ([info.error] if info.error else [])),
        }
        for info in get_registry().plugins()
    ]


def to_csv(frame: Any) -> bytes:
    return frame.to_csv(index=False).encode()
