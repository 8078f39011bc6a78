"""The on-disk result store of a study: every experiment is complete on disk or absent.

Layout under ``base_path``::

    study.json                        manifest: experiment name -> full configuration
    raw/<name>.parquet | .csv         the wide result table (array columns removed)
    raw/<name>.arrays.npz             its array columns (sample rollouts), stacked per column
    raw/<name>.json                   sidecar: configuration, dtypes, checksums; written last
    network_weights/<name>.eqx        seed-stacked networks (``results.save_networks``)

Names are a readable prefix plus a hash of the canonical configuration: short,
filesystem-safe (``[A-Za-z0-9_-]`` only) and the same in every process. Every file
is written to a temporary file in its folder, fsynced and renamed into place; the
sidecar, holding the checksums of the others, is written last, so an experiment
counts as done only when all its files are complete and unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..plugin.errors import ApebenchError, CorruptResultError

if TYPE_CHECKING:
    import pandas as pd

FORMAT_VERSION = 1
RAW_DIR = "raw"
WEIGHTS_DIR = "network_weights"
MANIFEST_FILE = "study.json"
_PREFIX_LENGTH = 80
_HASH_LENGTH = 16
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


# -- names -----------------------------------------------------------------------
def canonical_json(value: Any) -> str:
    """Key-sorted, compact JSON: the same text for equal configurations in every process."""
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"configuration values must be plain str/int/float/bool/lists: {error}") from None


def config_hash(config: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of the full configuration (never Python's salted ``hash``)."""
    return hashlib.sha256(canonical_json(dict(config)).encode()).hexdigest()


def experiment_name(config: Mapping[str, Any]) -> str:
    """``<scenario>_<net>_<train>_<task>_s<seeds>__<hash>``, at most ~100 safe characters."""
    first = int(config["start_seed"])
    last = first + int(config["num_seeds"]) - 1
    readable = (
        "_".join(str(config[key]) for key in ("scenario", "net", "train", "task")) + f"_s{first}-{last}"
    )
    prefix = _UNSAFE.sub("-", readable).strip("-_")[:_PREFIX_LENGTH]
    return f"{prefix}__{config_hash(config)[:_HASH_LENGTH]}"


# -- atomic files ----------------------------------------------------------------
def _fsync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """``write(temporary_path)``, fsync, then rename onto ``path``: readers see all or nothing."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        write(temporary)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    def write(temporary: Path) -> None:
        temporary.write_bytes(data)

    atomic_write(path, write)


def file_checksum(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"sha256": digest.hexdigest(), "bytes": path.stat().st_size}


def verify_files(folder: Path, checksums: Mapping[str, Mapping[str, Any]]) -> None:
    """Raise :class:`CorruptResultError` unless every file matches its recorded checksum."""
    for relative, expected in checksums.items():
        path = folder / relative
        if not path.is_file():
            raise CorruptResultError(f"{relative} is missing")
        if path.stat().st_size != expected["bytes"] or file_checksum(path) != dict(expected):
            raise CorruptResultError(f"{relative} does not match its recorded checksum")


def read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CorruptResultError(f"{Path(path).name} is unreadable: {error}") from None


def write_json(path: Path, value: Any) -> None:
    atomic_write_bytes(path, (json.dumps(value, indent=1, sort_keys=True) + "\n").encode())


# -- tables ----------------------------------------------------------------------
def table_format() -> str:
    """Parquet where pyarrow is installed, CSV otherwise."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return "csv"
    return "parquet"


def _array_columns(table: pd.DataFrame) -> list[str]:
    import numpy as np

    return [
        c
        for c in table.columns
        if table[c].dtype == object and len(table) and isinstance(table[c].iloc[0], (np.ndarray, dict))
    ]


def _encode_arrays(table: pd.DataFrame, columns: list[str]) -> dict[str, Any]:
    """npz entries: a column of equal-shaped arrays stacks into one array, anything else per cell."""
    import numpy as np

    entries: dict[str, Any] = {}
    for column in columns:
        cells = list(table[column])
        if all(isinstance(c, np.ndarray) for c in cells) and len({(c.shape, c.dtype) for c in cells}) == 1:
            entries[column] = np.stack(cells)
            continue
        for row, cell in enumerate(cells):
            if isinstance(cell, dict):
                for key, value in cell.items():
                    entries[f"{column}/{row}/{key}"] = np.asarray(value)
            elif isinstance(cell, np.ndarray):
                entries[f"{column}/{row}"] = cell
            else:
                raise ValueError(f"column {column!r} mixes arrays with {type(cell).__name__} values")
    return entries


def _decode_arrays(arrays: Mapping[str, Any], columns: list[str], num_rows: int) -> dict[str, list]:
    decoded: dict[str, list] = {}
    for column in columns:
        if column in arrays:
            decoded[column] = list(arrays[column])
            continue
        cells: list[Any] = [None] * num_rows
        for key in arrays:
            parts = key.split("/")
            if parts[0] != column:
                continue
            row = int(parts[1])
            if len(parts) == 2:
                cells[row] = arrays[key]
            else:
                cells[row] = {**(cells[row] or {}), parts[2]: arrays[key]}
        decoded[column] = [{} if cell is None else cell for cell in cells]
    return decoded


def write_table(table: pd.DataFrame, stem: Path) -> dict[str, Any]:
    """Write ``stem.parquet`` (or ``.csv``) and ``stem.arrays.npz``; returns the metadata to read it back."""
    import numpy as np

    stem = Path(stem)
    fmt = table_format()
    arrays = _array_columns(table)
    scalars = table.drop(columns=arrays)
    files: dict[str, Any] = {}
    table_path = stem.with_name(f"{stem.name}.{fmt}")
    if fmt == "parquet":
        atomic_write(table_path, lambda temporary: scalars.to_parquet(temporary, index=False))
    else:
        atomic_write_bytes(table_path, scalars.to_csv(index=False, na_rep="NaN").encode())
    files[table_path.name] = file_checksum(table_path)
    if arrays:
        npz_path = stem.with_name(f"{stem.name}.arrays.npz")

        def save(temporary: Path) -> None:
            with open(temporary, "wb") as handle:
                np.savez(handle, **_encode_arrays(table, arrays))

        atomic_write(npz_path, save)
        files[npz_path.name] = file_checksum(npz_path)
    return {
        "format": fmt,
        "file": table_path.name,
        "columns": [str(c) for c in table.columns],
        "dtypes": {str(c): str(table[c].dtype) for c in scalars.columns},
        "array_columns": arrays,
        "files": files,
    }


def _round_trip_floats() -> dict[str, str]:
    """pandas 3 parses floats exactly by default (and deprecates the option); pandas 2 needs it."""
    import pandas as pd

    return {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}


def read_table(folder: Path, meta: Mapping[str, Any], *, verify: bool = True) -> pd.DataFrame:
    """Read a table written by :func:`write_table`, with its dtypes and array columns restored."""
    import numpy as np
    import pandas as pd

    folder = Path(folder)
    if verify:
        verify_files(folder, meta["files"])
    dtypes: dict[str, str] = dict(meta["dtypes"])
    path = folder / meta["file"]
    if meta["format"] == "parquet":
        scalars = pd.read_parquet(path)
    else:
        floats = [c for c, d in dtypes.items() if d.startswith("float")]
        scalars = pd.read_csv(
            path,
            dtype={c: d for c, d in dtypes.items() if not d.startswith(("float", "bool"))},
            keep_default_na=False,
            na_values={c: ["NaN"] for c in floats},
            **_round_trip_floats(),
        )
    scalars = scalars.astype(dtypes)
    columns = {c: scalars[c] for c in scalars.columns}
    if meta["array_columns"]:
        npz = folder / f"{Path(meta['file']).stem}.arrays.npz"
        with np.load(npz, allow_pickle=False) as arrays:
            loaded = {key: arrays[key] for key in arrays.files}
        for column, cells in _decode_arrays(loaded, meta["array_columns"], len(scalars)).items():
            columns[column] = pd.Series(cells, dtype=object, index=scalars.index)
    return pd.DataFrame({c: columns[c] for c in meta["columns"]})


# -- experiments -----------------------------------------------------------------
@attrs.frozen
class Status:
    """Whether an experiment's files are complete (``done``) and, if not, why."""

    done: bool
    reason: str = ""

    @property
    def corrupt(self) -> bool:
        return not self.done and self.reason != "missing"


@attrs.frozen
class ResultStore:
    """Experiments of a study under one base folder (see the module docstring for the layout)."""

    base_path: Path = attrs.field(converter=Path)

    @property
    def raw_dir(self) -> Path:
        return self.base_path / RAW_DIR

    @property
    def weights_dir(self) -> Path:
        return self.base_path / WEIGHTS_DIR

    def sidecar_path(self, name: str) -> Path:
        return self.raw_dir / f"{name}.json"

    def weights_path(self, name: str) -> Path:
        return self.weights_dir / f"{name}.eqx"

    def table_path(self, name: str) -> Path:
        """The stored table's path (its format is the one it was written in, else today's default)."""
        sidecar = self.sidecar_path(name)
        if sidecar.is_file():
            try:
                return self.raw_dir / read_json(sidecar)["table"]["file"]
            except (CorruptResultError, KeyError, TypeError):
                pass
        return self.raw_dir / f"{name}.{table_format()}"

    def prepare(self) -> None:
        """Create the folders and prove they are writable, failing with one clear message."""
        try:
            for folder in (self.raw_dir, self.weights_dir):
                folder.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(folder / ".write-probe", b"")
                (folder / ".write-probe").unlink()
        except OSError as error:
            reason = error.strerror or str(error)
            raise ApebenchError(f"cannot write results under {self.base_path}: {reason}") from error

    def _own_files(self, name: str) -> list[Path]:
        """Every file (finished or temporary) that belongs to experiment ``name``."""
        found = []
        for folder in (self.raw_dir, self.weights_dir):
            if folder.is_dir():
                found += [p for p in folder.iterdir() if p.name.lstrip(".").split(".")[0] == name]
        return found

    def status(self, name: str) -> Status:
        sidecar = self.sidecar_path(name)
        if not sidecar.is_file():
            leftovers = self._own_files(name)
            return Status(False, "incomplete: no completion record" if leftovers else "missing")
        try:
            record = read_json(sidecar)
            if record.get("format") != FORMAT_VERSION or record.get("name") != name:
                raise CorruptResultError("sidecar of another format or experiment")
            verify_files(self.base_path, record["files"])
        except (CorruptResultError, KeyError, TypeError, AttributeError) as error:
            return Status(False, f"corrupt: {error}")
        return Status(True)

    def clear(self, name: str) -> None:
        """Remove an experiment's sidecar first (so it no longer counts as done), then its other files."""
        self.sidecar_path(name).unlink(missing_ok=True)
        for path in self._own_files(name):
            path.unlink(missing_ok=True)

    def write_experiment(
        self, name: str, config: Mapping[str, Any], table: pd.DataFrame, networks: Any
    ) -> Path:
        """Write table, arrays and weights, then the sidecar that makes the experiment count as done."""
        from ..experiment.results import save_networks

        self.prepare()
        self.clear(name)
        meta = write_table(table, self.raw_dir / name)
        weights = self.weights_path(name)
        atomic_write(weights, lambda temporary: save_networks(str(temporary), networks))
        files = {f"{RAW_DIR}/{file}": checksum for file, checksum in meta["files"].items()}
        files[f"{WEIGHTS_DIR}/{weights.name}"] = file_checksum(weights)
        record = {
            "format": FORMAT_VERSION,
            "name": name,
            "config": dict(config),
            "config_sha256": config_hash(config),
            "table": meta,
            "files": files,
            "diverged_seeds": [int(s) for s in table.loc[table["diverged"], "seed"]]
            if "diverged" in table
            else [],
        }
        write_json(self.sidecar_path(name), record)
        return self.raw_dir / meta["file"]

    def record(self, name: str) -> dict[str, Any]:
        return read_json(self.sidecar_path(name))

    def write_manifest(self, configs: Mapping[str, Mapping[str, Any]]) -> None:
        """Add ``{name: config}`` to ``study.json`` (earlier experiments stay listed)."""
        self.prepare()
        path = self.base_path / MANIFEST_FILE
        experiments = read_json(path).get("experiments", {}) if path.is_file() else {}
        experiments.update({name: dict(config) for name, config in configs.items()})
        write_json(path, {"format": FORMAT_VERSION, "experiments": experiments})

    def manifest(self) -> dict[str, dict[str, Any]]:
        path = self.base_path / MANIFEST_FILE
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found: not a study results folder")
        return read_json(path)["experiments"]


def read_raw(path: str | os.PathLike, *, verify: bool = True) -> pd.DataFrame:
    """The wide table of one stored experiment, given any of its raw files (or its sidecar).

    Checksums are verified first: a corrupt or partial experiment raises
    :class:`CorruptResultError` instead of being read as a result.
    """
    path = Path(path)
    name = path.name.split(".")[0]
    sidecar = path.with_name(f"{name}.json")
    if not sidecar.is_file():
        raise CorruptResultError(f"{name} has no completion record ({sidecar.name}): rerun the study")
    record = read_json(sidecar)
    store_root = sidecar.parent.parent
    if verify:
        verify_files(store_root, record["files"])
    return read_table(sidecar.parent, record["table"], verify=False)
