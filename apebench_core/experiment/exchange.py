"""Files as the interface to other frameworks: export reference data, read rollouts made elsewhere.

Export writes the exact trajectories an experiment trains and tests on (the scenario's own
``get_train_data`` / ``get_test_data``), as ``.npz`` or as HDF5 in The Well's layout, with the
initial conditions and the metadata needed to rebuild them. Reading goes the other way:
trajectories and metadata from either format, and rollouts (``.npy``/``.npz``/HDF5) to score.

Every input mistake (split, format, path, shape) is an :class:`ExchangeError`, a ``ValueError``,
raised before any data is generated. h5py is optional and imported only where HDF5 is used.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from ..plugin.errors import ApebenchError

SPLITS = ("train", "test", "both")
FORMATS = ("npz", "hdf5")
#: File suffixes per format; reading also accepts ``.npy`` rollouts.
SUFFIXES = {"npz": ".npz", "hdf5": ".hdf5"}
HDF5_SUFFIXES = (".h5", ".hdf5", ".hdf")
HDF5_HINT = "pip install 'apebench-core[hdf5]'"
#: Names of the spatial axes (The Well's ``dimensions/spatial_dims``).
AXES = ("x", "y", "z")


class ExchangeError(ApebenchError, ValueError):
    """A file to export, import or score is not what was asked for (names value and expectation)."""


# -- checks that run before any data exists ------------------------------------------------
def check_choice(field: str, value: Any, choices: Sequence[str]) -> str:
    text = str(value).strip().lower()
    if text not in choices:
        raise ExchangeError(f"field {field!r}: got {value!r}, expected one of {', '.join(choices)}")
    return text


def require_h5py() -> Any:
    """The h5py module, or one clear error naming the extra to install."""
    if importlib.util.find_spec("h5py") is None:
        raise ExchangeError(f"HDF5 files need h5py, which is not installed: {HDF5_HINT}")
    import h5py

    return h5py


def format_of(path: str | Path) -> str:
    """``npy``, ``npz`` or ``hdf5`` from the file suffix."""
    suffix = Path(path).suffix.lower()
    if suffix in (".npy", ".npz"):
        return suffix[1:]
    if suffix in HDF5_SUFFIXES:
        return "hdf5"
    raise ExchangeError(
        f"file {str(path)!r}: unknown suffix {suffix or '(none)'!r}, expected .npy, .npz or "
        f"{', '.join(HDF5_SUFFIXES)}"
    )


def existing_file(field: str, path: str | Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise ExchangeError(f"field {field!r}: file {str(path)!r} does not exist")
    return path


# -- metadata ------------------------------------------------------------------------------
def channel_names(num_channels: int) -> list[str]:
    """One name per channel: ``u``; ``u, v``; ``u, v, w``; beyond that ``u0, u1, ...``."""
    if num_channels <= 3:
        return ["u", "v", "w"][:num_channels]
    return [f"u{c}" for c in range(num_channels)]


def _json_safe(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def field_values(scene: Any) -> dict[str, Any]:
    """Every declared field of the scenario instance, JSON-safe (tuples become lists)."""
    return {f.name: _json_safe(getattr(scene, f.name)) for f in dataclasses.fields(scene)}


def domain_extent(scene: Any) -> float:
    """The domain length per axis; scenarios without one live on the unit domain."""
    return float(getattr(scene, "domain_extent", 1.0))


def time_step(scene: Any) -> float:
    """The time between stored states; scenarios without a ``dt`` use unit time steps."""
    return float(getattr(scene, "dt", 1.0))


def checksum(trajectories: np.ndarray) -> str:
    """sha256 of the float32 trajectories in C order (shape and dtype included)."""
    array = np.ascontiguousarray(trajectories, dtype=np.float32)
    digest = hashlib.sha256(repr(array.shape).encode())
    digest.update(array.tobytes())
    return "sha256:" + digest.hexdigest()


def metadata(experiment: Any, split: str, trajectories: np.ndarray) -> dict[str, Any]:
    """What a file needs to rebuild its trajectories: key, every field, grid, time step, version."""
    from .. import __version__

    scene = experiment.scene
    return {
        "scenario": experiment.scenario,
        "scenario_name": scene.get_scenario_name(),
        "overrides": _json_safe(dict(experiment.overrides)),
        "fields": field_values(scene),
        "split": split,
        "seed": int(scene.train_seed if split == "train" else scene.test_seed),
        "num_spatial_dims": int(scene.num_spatial_dims),
        "num_points": int(scene.num_points),
        "num_channels": int(scene.num_channels),
        "channel_names": channel_names(scene.num_channels),
        "dt": time_step(scene),
        "domain_extent": domain_extent(scene),
        "boundary_conditions": "periodic",
        "shape": list(trajectories.shape),
        "layout": "(trajectories, steps, channels, *space)",
        "apebench_core_version": __version__,
        "checksum": checksum(trajectories),
    }


def coordinates(num_points: int, extent: float) -> np.ndarray:
    """Cell-left coordinates of a periodic grid on ``[0, extent)``."""
    return (extent * np.arange(num_points) / num_points).astype(np.float32)


# -- export ----------------------------------------------------------------------------------
def export_paths(out: str | Path, split: str, fmt: str, name: str) -> dict[str, Path]:
    """One file per split: ``out`` itself for one split; ``out/train/NAME`` and ``out/test/NAME``
    for both (The Well's folder-per-split layout)."""
    out = Path(out)
    if split != "both":
        return {split: out}
    return {s: out / s / f"{name}{SUFFIXES[fmt]}" for s in ("train", "test")}


def write_npz(path: Path, trajectories: np.ndarray, initial: np.ndarray, meta: Mapping[str, Any]) -> None:
    extent, n = meta["domain_extent"], meta["num_points"]
    arrays = {
        "trajectories": trajectories,
        "initial_conditions": initial,
        "time": (meta["dt"] * np.arange(trajectories.shape[1])).astype(np.float32),
        **{axis: coordinates(n, extent) for axis in AXES[: meta["num_spatial_dims"]]},
        "metadata": np.array(json.dumps(meta)),
    }
    with open(path, "wb") as handle:  # np.savez would append .npz to a path without it
        np.savez(handle, **arrays)


def _simulation_parameters(meta: Mapping[str, Any]) -> dict[str, float]:
    """Numeric scalar fields plus dt and the domain extent: The Well's ``simulation_parameters``."""
    params = {
        name: value
        for name, value in meta["fields"].items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }
    params.setdefault("dt", meta["dt"])
    params.setdefault("domain_extent", meta["domain_extent"])
    return dict(sorted(params.items()))


def write_hdf5(path: Path, trajectories: np.ndarray, initial: np.ndarray, meta: Mapping[str, Any]) -> None:
    """The Well's layout: root attributes, ``dimensions/``, ``boundary_conditions/``, ``scalars/``,
    ``t0_fields/`` (one dataset per channel, ``(trajectories, steps, *space)`` float32), empty
    ``t1_fields/`` and ``t2_fields/``; our extras live in attributes prefixed ``apebench_`` and in
    the ``apebench/`` group, which The Well's readers do not look at."""
    h5py = require_h5py()
    dims = meta["num_spatial_dims"]
    axes = list(AXES[:dims])
    params = _simulation_parameters(meta)
    with h5py.File(path, "w") as f:
        f.attrs["dataset_name"] = meta["scenario_name"]
        f.attrs["grid_type"] = "cartesian"
        f.attrs["n_spatial_dims"] = dims
        f.attrs["n_trajectories"] = trajectories.shape[0]
        f.attrs["simulation_parameters"] = list(params)
        for name, value in params.items():
            f.attrs[name] = value
        f.attrs["apebench_metadata"] = json.dumps(meta)
        f.attrs["apebench_split"] = meta["split"]
        f.attrs["apebench_checksum"] = meta["checksum"]

        dimensions = f.create_group("dimensions")
        dimensions.attrs["spatial_dims"] = axes
        time = dimensions.create_dataset(
            "time", data=(meta["dt"] * np.arange(trajectories.shape[1])).astype(np.float32)
        )
        time.attrs["sample_varying"] = False
        for axis in axes:
            coord = dimensions.create_dataset(
                axis, data=coordinates(meta["num_points"], meta["domain_extent"])
            )
            coord.attrs["sample_varying"] = False
            coord.attrs["time_varying"] = False

        bcs = f.create_group("boundary_conditions")
        for axis in axes:
            bc = bcs.create_group(f"{axis}_periodic")
            bc.attrs["associated_dims"] = [axis]
            bc.attrs["associated_fields"] = []
            bc.attrs["bc_type"] = "periodic"
            bc.attrs["sample_varying"] = False
            bc.attrs["time_varying"] = False
            mask = np.zeros(meta["num_points"], dtype=bool)
            mask[[0, -1]] = True
            bc.create_dataset("mask", data=mask)
            bc.create_dataset("values", data=np.zeros(int(mask.sum()), dtype=np.float32))

        scalars = f.create_group("scalars")
        scalars.attrs["field_names"] = list(params)
        for name, value in params.items():
            scalar = scalars.create_dataset(name, data=np.array([value], dtype=np.float32))
            scalar.attrs["sample_varying"] = False
            scalar.attrs["time_varying"] = False

        t0 = f.create_group("t0_fields")
        t0.attrs["field_names"] = meta["channel_names"]
        for c, name in enumerate(meta["channel_names"]):
            field = t0.create_dataset(name, data=np.ascontiguousarray(trajectories[:, :, c]))
            field.attrs["dim_varying"] = [True] * dims
            field.attrs["sample_varying"] = True
            field.attrs["time_varying"] = True
        for group in ("t1_fields", "t2_fields"):
            f.create_group(group).attrs["field_names"] = []

        extras = f.create_group("apebench")
        extras.create_dataset("initial_conditions", data=initial)


# -- reading trajectories back -----------------------------------------------------------------
@attrs.frozen
class Trajectories:
    """Trajectories ``(samples, steps, channels, *space)`` read from a file, with what it declares."""

    data: np.ndarray
    metadata: Mapping[str, Any]
    channel_names: tuple[str, ...]
    time: np.ndarray | None = None
    initial_conditions: np.ndarray | None = None

    def verify(self) -> None:
        """Compare with the checksum the file declares (files written by ``export``)."""
        declared = self.metadata.get("checksum")
        if declared and declared != checksum(self.data):
            raise ExchangeError(f"trajectories do not match their declared checksum {declared}")


def read_trajectories(path: str | Path) -> Trajectories:
    """Trajectories from an exported ``.npz`` or an HDF5 file in The Well's layout (ours or theirs)."""
    path = existing_file("path", path)
    fmt = format_of(path)
    if fmt == "npz":
        with np.load(path, allow_pickle=False) as archive:
            if "trajectories" not in archive:
                raise ExchangeError(
                    f"file {str(path)!r}: no 'trajectories' array (has {sorted(archive.files)})"
                )
            meta = json.loads(str(archive["metadata"])) if "metadata" in archive else {}
            names = tuple(meta.get("channel_names") or channel_names(archive["trajectories"].shape[2]))
            return Trajectories(
                archive["trajectories"],
                meta,
                names,
                archive["time"] if "time" in archive else None,
                archive["initial_conditions"] if "initial_conditions" in archive else None,
            )
    if fmt == "hdf5":
        return _read_well(path)
    raise ExchangeError(f"file {str(path)!r}: trajectories are read from .npz or HDF5, not .npy")


def _read_well(path: Path) -> Trajectories:
    h5py = require_h5py()
    with h5py.File(path, "r") as f:
        for group in ("t0_fields", "dimensions"):
            if group not in f:
                raise ExchangeError(f"file {str(path)!r}: no {group!r} group, expected The Well's layout")
        dims = int(f.attrs.get("n_spatial_dims", len(f["dimensions"].attrs.get("spatial_dims", []))))
        channels, names = [], []
        for group, rank in (("t0_fields", 0), ("t1_fields", 1)):
            if group not in f:
                continue
            for name in _names(f[group].attrs.get("field_names", list(f[group].keys()))):
                data = f[group][name]
                if not (data.attrs.get("sample_varying", True) and data.attrs.get("time_varying", True)):
                    continue  # constant coefficients are not part of the state
                array = np.asarray(data, dtype=np.float32)
                if rank == 0:
                    channels.append(array)
                    names.append(name)
                else:  # a vector field (..., D): one channel per component
                    for d in range(array.shape[-1]):
                        channels.append(array[..., d])
                        names.append(f"{name}_{AXES[d] if d < 3 else d}")
        if not channels:
            raise ExchangeError(
                f"file {str(path)!r}: no time- and sample-varying fields in t0_fields/t1_fields"
            )
        shapes = {c.shape for c in channels}
        if len(shapes) != 1 or len(next(iter(shapes))) != 2 + dims:
            raise ExchangeError(
                f"file {str(path)!r}: fields have shapes {sorted(shapes)}, expected one shape "
                f"(trajectories, steps, *space) with {dims} spatial axes"
            )
        meta = json.loads(_text(f.attrs["apebench_metadata"])) if "apebench_metadata" in f.attrs else {}
        if not meta:
            meta = {
                "scenario_name": _text(f.attrs.get("dataset_name", path.stem)),
                "num_spatial_dims": dims,
                "split": _split_from_path(path),
            }
        time = np.asarray(f["dimensions"]["time"]) if "time" in f["dimensions"] else None
        initial = np.asarray(f["apebench"]["initial_conditions"]) if "apebench" in f else None
    return Trajectories(np.stack(channels, axis=2), meta, tuple(names), time, initial)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _names(values: Any) -> list[str]:
    return [_text(v) for v in values]


def _split_from_path(path: Path) -> str | None:
    """The Well keeps splits in folders named train/valid/test."""
    for part in reversed(path.parts[:-1]):
        if part in ("train", "valid", "test"):
            return part
    return None


@attrs.frozen
class FileHeader:
    """What a trajectory file declares, read without loading its arrays."""

    path: Path
    shape: tuple[int, ...]  # (samples, steps, channels, *space)
    split: str | None
    metadata: Mapping[str, Any]


def peek(path: str | Path) -> FileHeader:
    """Shape, declared split and metadata of an exported ``.npz`` or a Well-layout HDF5 file."""
    path = existing_file("path", path)
    fmt = format_of(path)
    if fmt == "npz":
        import zipfile

        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "trajectories.npy" not in names:
                raise ExchangeError(f"file {str(path)!r}: no 'trajectories' array (has {sorted(names)})")
            with archive.open("trajectories.npy") as member:
                major, _ = np.lib.format.read_magic(member)
                read_header = (
                    np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
                )
                shape, _, _ = read_header(member)
            meta = {}
            if "metadata.npy" in names:
                with archive.open("metadata.npy") as member:
                    meta = json.loads(str(np.lib.format.read_array(member)))
        return FileHeader(path, tuple(shape), meta.get("split") or _split_from_path(path), meta)
    if fmt != "hdf5":
        raise ExchangeError(f"file {str(path)!r}: trajectories are read from .npz or HDF5, not .npy")
    h5py = require_h5py()
    with h5py.File(path, "r") as f:
        if "t0_fields" not in f:
            raise ExchangeError(f"file {str(path)!r}: no 't0_fields' group, expected The Well's layout")
        meta = json.loads(_text(f.attrs["apebench_metadata"])) if "apebench_metadata" in f.attrs else {}
        channels, space = 0, None
        for group, rank in (("t0_fields", 0), ("t1_fields", 1)):
            for name in _names(f[group].attrs.get("field_names", [])) if group in f else []:
                data = f[group][name]
                if not (data.attrs.get("sample_varying", True) and data.attrs.get("time_varying", True)):
                    continue
                shape = data.shape[:-1] if rank else data.shape
                channels += data.shape[-1] if rank else 1
                space = shape if space is None else space
        if space is None:
            raise ExchangeError(f"file {str(path)!r}: no time- and sample-varying fields")
        split = _text(f.attrs["apebench_split"]) if "apebench_split" in f.attrs else _split_from_path(path)
        if not meta:
            meta = {"scenario_name": _text(f.attrs.get("dataset_name", path.stem))}
    return FileHeader(path, (space[0], space[1], channels, *space[2:]), split, meta)


# -- rollouts made elsewhere -------------------------------------------------------------------
ROLLOUT_KEYS = ("rollout", "rollouts", "prediction", "predictions", "trajectories")


def read_rollout(path: str | Path) -> np.ndarray:
    """A rollout array from ``.npy``, ``.npz`` (its only array, or one named like ``rollout``) or HDF5
    (a ``rollout`` dataset, or The Well's ``t0_fields`` stacked as channels)."""
    path = existing_file("rollouts", path)
    fmt = format_of(path)
    if fmt == "npy":
        return np.load(path, allow_pickle=False)
    if fmt == "npz":
        with np.load(path, allow_pickle=False) as archive:
            for key in ROLLOUT_KEYS:
                if key in archive.files:
                    return archive[key]
            arrays = [k for k in archive.files if k not in ("metadata", "time", *AXES)]
            if len(arrays) == 1:
                return archive[arrays[0]]
            raise ExchangeError(
                f"file {str(path)!r}: expected one array or one named {' / '.join(ROLLOUT_KEYS)}, "
                f"found {sorted(archive.files)}"
            )
    h5py = require_h5py()
    with h5py.File(path, "r") as f:
        for key in ROLLOUT_KEYS:
            if key in f and isinstance(f[key], h5py.Dataset):
                return np.asarray(f[key])
    return read_trajectories(path).data


@attrs.frozen
class AlignedRollout:
    """A rollout as the metrics need it: ``(seeds, samples, T, channels, *space)``, no start state."""

    rollout: np.ndarray
    included_initial_state: bool
    had_seed_axis: bool

    @property
    def note(self) -> str:
        seeds = f"{self.rollout.shape[0]} seeds" if self.had_seed_axis else "no seed axis (one seed)"
        start = (
            "initial state included (dropped before scoring)"
            if self.included_initial_state
            else "initial state not included"
        )
        return f"rollout {tuple(self.rollout.shape[1:])}: {seeds}; {start}"


def expected_shape(scene: Any) -> tuple[int, ...]:
    """``(samples, T, channels, *space)`` of the test rollout a scenario scores (no start state)."""
    return (
        scene.num_test_samples,
        scene.test_temporal_horizon,
        scene.num_channels,
        *(scene.num_points,) * scene.num_spatial_dims,
    )


def align_rollout(rollout: Any, expected: Sequence[int], *, source: str = "rollout") -> AlignedRollout:
    """Check ``rollout`` against ``expected`` = ``(samples, T, channels, *space)``; add the seed axis
    and drop a start state (time length T + 1) if present. One clear error otherwise."""
    array = np.asarray(rollout)
    expected = tuple(int(n) for n in expected)
    samples, horizon, channels, *space = expected
    wanted = (
        f"expected (samples={samples}, T={horizon} or {horizon + 1} with the initial state, "
        f"channels={channels}, space={tuple(space)}), optionally with a leading seed axis"
    )
    if array.ndim not in (len(expected), len(expected) + 1):
        raise ExchangeError(f"{source}: got shape {array.shape} ({array.ndim} axes), {wanted}")
    had_seed_axis = array.ndim == len(expected) + 1
    per_seed = array if had_seed_axis else array[None]
    _, s, t, c, *x = per_seed.shape
    problems = []
    if s != samples:
        problems.append(f"samples {s} != {samples}")
    if t not in (horizon, horizon + 1):
        problems.append(f"time steps {t} not in ({horizon}, {horizon + 1})")
    if c != channels:
        problems.append(f"channels {c} != {channels}")
    if tuple(x) != tuple(space):
        problems.append(f"space {tuple(x)} != {tuple(space)}")
    if problems:
        raise ExchangeError(f"{source}: got shape {array.shape}, {wanted} ({'; '.join(problems)})")
    included = t == horizon + 1
    if not np.issubdtype(per_seed.dtype, np.floating):
        raise ExchangeError(f"{source}: got dtype {per_seed.dtype}, expected floating-point values")
    per_seed = per_seed[:, :, 1:] if included else per_seed
    return AlignedRollout(np.asarray(per_seed, dtype=np.float32), included, had_seed_axis)
