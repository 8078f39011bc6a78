"""The on-disk result store of a study: every experiment is complete on disk or absent.

Layout under ``base_path``::

    index/<name>.json                 index entry: the experiment's full configuration (one file each)
    raw/<name>.parquet | .csv         the wide result table (array columns removed)
    raw/<name>.arrays.npz             its array columns (sample rollouts), stacked per column
    raw/<name>.json                   sidecar: configuration, dtypes, checksums; written last
    network_weights/<name>.eqx        seed-stacked networks (``results.save_networks``)
    claims/<name>.json                lease of the process training the experiment right now

Names are a readable prefix plus a hash of the canonical configuration: short,
filesystem-safe (``[A-Za-z0-9_-]`` only) and the same in every process. Every file
is written to a temporary file in its folder (named after its writer, see
:mod:`.owner`), fsynced and renamed into place; the sidecar, holding the checksums
of the others and its own, is written last, so an experiment counts as done only
when all its files are complete and unchanged.

Many processes, on one host or on several sharing the folder, may write at once.
Nothing relies on ``flock`` or ``O_EXCL``, only on rename being atomic: the index
is one file per experiment (no shared read-modify-write file can lose entries) and
is merged with the sidecars on read; a claim is a lease renewed by a heartbeat and
taken over once its owner is dead or the lease has expired.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..plugin.errors import ApebenchError, CorruptResultError
from .owner import Owner

if TYPE_CHECKING:
    import pandas as pd

FORMAT_VERSION = 2
RAW_DIR = "raw"
WEIGHTS_DIR = "network_weights"
INDEX_DIR = "index"
CLAIMS_DIR = "claims"
#: The index of format 1 (one shared file); still read, never written.
MANIFEST_FILE = "study.json"
#: Seconds a claim stays valid without a heartbeat (renewed every quarter of it).
LEASE_SECONDS = 120.0
#: Seconds a claimer waits after renaming its lease into place before reading it back, so that
#: of several processes claiming at once all but the last renamer see they lost.
CLAIM_SETTLE_SECONDS = 0.2
_TEMPORARY_SUFFIX = ".tmp"
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


def temporary_path(path: Path) -> Path:
    """``.<file>.<owner tag>~<random>.tmp`` next to ``path``: the writer can be told from the name."""
    return path.with_name(f".{path.name}.{Owner.current().tag}~{secrets.token_hex(3)}{_TEMPORARY_SUFFIX}")


def temporary_owner(path: Path) -> Owner | None:
    """The writer of a temporary file (None for an unknown naming, e.g. of format 1)."""
    tag = path.name[: -len(_TEMPORARY_SUFFIX)].rsplit(".", 1)[-1]
    return Owner.from_tag(tag.rsplit("~", 1)[0])


def _write_temporary(path: Path, write: Callable[[Path], None]) -> tuple[Path, dict[str, Any]]:
    """``write`` a fsynced temporary file next to ``path``; returns it and the checksum of its content."""
    temporary = temporary_path(path)
    try:
        write(temporary)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        return temporary, file_checksum(temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _commit(temporary: Path, path: Path) -> None:
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def atomic_write(path: Path, write: Callable[[Path], None]) -> dict[str, Any]:
    """``write(temporary_path)``, fsync, then rename onto ``path``: readers see all or nothing.

    Returns the checksum of what *this* call wrote (not of whatever another writer may
    have renamed onto ``path`` since), so a record never vouches for someone else's file.
    """
    path = Path(path)
    temporary, checksum = _write_temporary(path, write)
    _commit(temporary, path)
    return checksum


def atomic_write_bytes(path: Path, data: bytes) -> dict[str, Any]:
    def write(temporary: Path) -> None:
        temporary.write_bytes(data)

    return atomic_write(path, write)


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


def _json_text(value: Any) -> str:
    return json.dumps(value, indent=1, sort_keys=True) + "\n"


def write_json(path: Path, value: Any) -> dict[str, Any]:
    return atomic_write_bytes(path, _json_text(value).encode())


# -- sealed records: JSON files that carry their own checksum ---------------------
SEAL_KEY = "record_sha256"


def seal(record: Mapping[str, Any]) -> bytes:
    """The bytes of ``record`` plus the sha256 of its canonical JSON under :data:`SEAL_KEY`."""
    body = {key: value for key, value in record.items() if key != SEAL_KEY}
    body[SEAL_KEY] = hashlib.sha256(canonical_json(body).encode()).hexdigest()
    return _json_text(body).encode()


def unseal(path: Path, name: str) -> dict[str, Any]:
    """A sealed record of experiment ``name``, verified: its bytes are exactly what :func:`seal`
    writes (so any changed byte, even whitespace, is caught), its checksum matches, and its
    configuration hashes to ``name``. Raises :class:`CorruptResultError` naming the file."""
    label = f"{path.parent.name}/{path.name}"
    try:
        data = path.read_bytes()
        record = json.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise CorruptResultError(f"{label} is missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CorruptResultError(f"{label} is unreadable: {error}") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT_VERSION:
        raise CorruptResultError(f"{label} is of another format (rerun to rewrite it)")
    try:
        intact = seal(record) == data
        config = record["config"]
        named = record["name"] == name and experiment_name(config) == name
        hashed = record["config_sha256"] == config_hash(config)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise CorruptResultError(f"{label} is malformed: {type(error).__name__}: {error}") from None
    if not intact:
        raise CorruptResultError(f"{label} does not match its own checksum")
    if not named:
        raise CorruptResultError(f"{label} holds the configuration of another experiment")
    if not hashed:
        raise CorruptResultError(f"{label}: config_sha256 does not match its configuration")
    return record


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
        files[table_path.name] = atomic_write(
            table_path, lambda temporary: scalars.to_parquet(temporary, index=False)
        )
    else:
        files[table_path.name] = atomic_write_bytes(
            table_path, scalars.to_csv(index=False, na_rep="NaN").encode()
        )
    if arrays:
        npz_path = stem.with_name(f"{stem.name}.arrays.npz")

        def save(temporary: Path) -> None:
            with open(temporary, "wb") as handle:
                np.savez(handle, **_encode_arrays(table, arrays))

        files[npz_path.name] = atomic_write(npz_path, save)
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


# -- claims ----------------------------------------------------------------------
@attrs.frozen
class Lease:
    """Who trains an experiment, since when, and until when without a heartbeat."""

    owner: Owner
    acquired: float
    renewed: float
    lease_seconds: float

    def age(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.acquired

    def stale(self, now: float | None = None) -> bool:
        """Expired, or its owner's process is gone (known only on the owner's host)."""
        now = time.time() if now is None else now
        return now > self.renewed + self.lease_seconds or self.owner.is_dead_here()

    def to_bytes(self) -> bytes:
        value = {**attrs.asdict(self, recurse=False), "owner": self.owner.to_dict()}
        return _json_text(value).encode()

    @classmethod
    def read(cls, path: Path) -> Lease | None:
        """The lease at ``path``; None if there is none or it is unreadable (then it binds nobody)."""
        try:
            value = json.loads(path.read_text())
            owner = Owner.from_dict(value["owner"])
            if owner is None:
                return None
            return cls(
                owner, float(value["acquired"]), float(value["renewed"]), float(value["lease_seconds"])
            )
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError):
            return None


class Claim:
    """This process's claim on one experiment: renewed by a heartbeat thread while held (``with``)."""

    def __init__(self, path: Path, lease: Lease, taken_from: Lease | None) -> None:
        self.path, self.lease, self.taken_from = path, lease, taken_from
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def held(self) -> bool:
        """Whether the lease on disk is still ours (another process may have judged it stale)."""
        current = Lease.read(self.path)
        return current is not None and current.owner == self.lease.owner

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.lease.lease_seconds / 4):
            if not self.held():
                return  # taken over: never overwrite the new owner's lease
            self.lease = attrs.evolve(self.lease, renewed=time.time())
            try:
                atomic_write_bytes(self.path, self.lease.to_bytes())
            except OSError:
                pass  # a missed beat; the lease outlives several

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.held():
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> Claim:
        self._thread = threading.Thread(target=self._heartbeat, name=f"lease {self.path.stem}", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


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
class ExperimentState:
    """``done``, ``running`` (a live claim), ``missing`` or ``corrupt``, for ``apebench study --status``."""

    name: str
    state: str
    reason: str = ""
    owner: Owner | None = None
    claim_age: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "state": self.state,
            "reason": self.reason,
            "owner": None if self.owner is None else self.owner.to_dict(),
            "claim_age_seconds": None if self.claim_age is None else round(self.claim_age, 1),
        }


@attrs.frozen
class ResultStore:
    """Experiments of a study under one base folder (see the module docstring for the layout)."""

    base_path: Path = attrs.field(converter=Path)
    lease_seconds: float = LEASE_SECONDS

    @property
    def raw_dir(self) -> Path:
        return self.base_path / RAW_DIR

    @property
    def weights_dir(self) -> Path:
        return self.base_path / WEIGHTS_DIR

    @property
    def index_dir(self) -> Path:
        return self.base_path / INDEX_DIR

    @property
    def claims_dir(self) -> Path:
        return self.base_path / CLAIMS_DIR

    @property
    def _folders(self) -> tuple[Path, ...]:
        return (self.raw_dir, self.weights_dir, self.index_dir, self.claims_dir)

    def sidecar_path(self, name: str) -> Path:
        return self.raw_dir / f"{name}.json"

    def weights_path(self, name: str) -> Path:
        return self.weights_dir / f"{name}.eqx"

    def index_path(self, name: str) -> Path:
        return self.index_dir / f"{name}.json"

    def lease_path(self, name: str) -> Path:
        return self.claims_dir / f"{name}.json"

    def table_path(self, name: str) -> Path:
        """The stored table's path (its format is the one it was written in, else today's default)."""
        sidecar = self.sidecar_path(name)
        if sidecar.is_file():
            try:
                return self.raw_dir / read_json(sidecar)["table"]["file"]
            except (CorruptResultError, KeyError, TypeError):
                pass
        return self.raw_dir / f"{name}.{table_format()}"

    def prepare(self) -> list[Path]:
        """Create the folders, prove they are writable (one clear message if not), and remove
        stale temporary files of dead writers; returns the files removed."""
        try:
            for folder in self._folders:
                folder.mkdir(parents=True, exist_ok=True)
            probe = temporary_path(self.raw_dir / ".write-probe")  # unique: concurrent probes never race
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            reason = error.strerror or str(error)
            raise ApebenchError(f"cannot write results under {self.base_path}: {reason}") from error
        return self.clean_temporaries()

    def _temporaries(self) -> Iterator[Path]:
        for folder in (self.base_path, *self._folders):
            if folder.is_dir():
                yield from folder.glob(f".*{_TEMPORARY_SUFFIX}")

    def clean_temporaries(self) -> list[Path]:
        """Delete temporary files whose writer is dead, and stale claims. A temporary file's writer is
        dead if, on this host, its process is gone; on another host, if it holds no live claim and
        the file is older than a lease. A live writer's files are never touched; files of an
        unknown writer (another naming) only once older than a lease."""
        me = Owner.current()
        now = time.time()
        leases = {path: Lease.read(path) for path in self.lease_files()}
        live = {lease.owner.token for lease in leases.values() if lease is not None and not lease.stale(now)}
        removed = [path for path, lease in leases.items() if lease is not None and lease.stale(now)]
        for path in self._temporaries():
            owner = temporary_owner(path)
            try:
                old = now - path.stat().st_mtime > self.lease_seconds
            except FileNotFoundError:
                continue  # committed or cleaned meanwhile
            if owner == me:
                continue
            if owner is None or not owner.on_this_host:
                stale = old and (owner is None or owner.token not in live)
            else:
                stale = owner.is_dead_here()
            if stale:
                removed.append(path)
        for path in removed:
            path.unlink(missing_ok=True)
        return removed

    def _own_files(self, name: str) -> list[Path]:
        """Every finished (non-temporary) file of experiment ``name`` in raw/ and network_weights/."""
        found = []
        for folder in (self.raw_dir, self.weights_dir):
            if folder.is_dir():
                found += [p for p in folder.iterdir() if p.name.split(".")[0] == name]
        return found

    def verified_record(self, name: str) -> dict[str, Any]:
        """The sidecar of ``name`` once it, its configuration and every file it lists check out."""
        record = unseal(self.sidecar_path(name), name)
        try:
            verify_files(self.base_path, record["files"])
        except (KeyError, TypeError, AttributeError) as error:
            raise CorruptResultError(f"{RAW_DIR}/{name}.json lists malformed files: {error}") from None
        return record

    def status(self, name: str) -> Status:
        if not self.sidecar_path(name).is_file():
            return Status(False, "incomplete: no completion record" if self._own_files(name) else "missing")
        try:
            self.verified_record(name)
        except CorruptResultError as error:
            return Status(False, f"corrupt: {error}")
        return Status(True)

    def clear(self, name: str) -> None:
        """Remove an experiment's sidecar first (so it no longer counts as done), then its other files.
        Temporary files are left to :meth:`clean_temporaries` (they may be a live writer's)."""
        self.sidecar_path(name).unlink(missing_ok=True)
        for path in self._own_files(name):
            path.unlink(missing_ok=True)

    def write_experiment(
        self, name: str, config: Mapping[str, Any], table: pd.DataFrame, networks: Any
    ) -> Path:
        """Write table, arrays and weights, then the sidecar that makes the experiment count as done;
        then remove files of an earlier write that the new sidecar does not list (exactly one copy)."""
        from ..experiment.results import save_networks

        for folder in (self.raw_dir, self.weights_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.sidecar_path(name).unlink(missing_ok=True)
        meta = write_table(table, self.raw_dir / name)
        weights = self.weights_path(name)
        files = {f"{RAW_DIR}/{file}": checksum for file, checksum in meta["files"].items()}
        files[f"{WEIGHTS_DIR}/{weights.name}"] = atomic_write(
            weights, lambda temporary: save_networks(str(temporary), networks)
        )
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
        sidecar = self.sidecar_path(name)
        atomic_write_bytes(sidecar, seal(record))
        listed = {self.base_path / relative for relative in files} | {sidecar}
        for path in self._own_files(name):
            if path not in listed:
                path.unlink(missing_ok=True)
        return self.raw_dir / meta["file"]

    def record(self, name: str) -> dict[str, Any]:
        return read_json(self.sidecar_path(name))

    # -- the index: one file per experiment, merged with the sidecars on read -------
    def write_manifest(self, configs: Mapping[str, Mapping[str, Any]]) -> list[str]:
        """Index ``{name: config}``: one sealed file per experiment, written only where it is missing
        or differs; returns the names whose entry was damaged and has been rewritten."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        repaired = []
        for name, config in configs.items():
            record = {
                "format": FORMAT_VERSION,
                "name": name,
                "config": dict(config),
                "config_sha256": config_hash(config),
            }
            data, path = seal(record), self.index_path(name)
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                current = None
            if current != data:
                if current is not None:
                    repaired.append(name)
                atomic_write_bytes(path, data)
        return repaired

    def scan_index(self) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
        """``({name: config}, {name: problem})`` of every experiment the folder knows: index entries,
        sidecars (so a lost entry loses nothing) and a format-1 ``study.json``, each verified."""
        legacy = self.base_path / MANIFEST_FILE
        if not any(p.exists() for p in (self.index_dir, self.raw_dir, legacy)):
            raise FileNotFoundError(f"{self.base_path} not found: not a study results folder")
        entries: dict[str, dict[str, Any]] = {}
        problems: dict[str, str] = {}
        if legacy.is_file():
            try:
                for name, config in read_json(legacy)["experiments"].items():
                    if experiment_name(config) == name:
                        entries[name] = config
            except (CorruptResultError, KeyError, TypeError, AttributeError, ValueError):
                problems[MANIFEST_FILE] = f"{MANIFEST_FILE} is unreadable"
        for folder in (self.raw_dir, self.index_dir):
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.json")):
                name = path.stem
                try:
                    entries[name] = unseal(path, name)["config"]
                except CorruptResultError as error:
                    problems.setdefault(name, str(error))
        return dict(sorted(entries.items())), problems

    def manifest(self) -> dict[str, dict[str, Any]]:
        """``{name: config}`` of every experiment ever planned or stored here."""
        return self.scan_index()[0]

    # -- claims ----------------------------------------------------------------------
    def lease_files(self) -> list[Path]:
        return sorted(self.claims_dir.glob("*.json")) if self.claims_dir.is_dir() else []

    def lease(self, name: str) -> Lease | None:
        return Lease.read(self.lease_path(name))

    def claim(self, name: str) -> Claim | Lease | None:
        """Try to become the one process training ``name``: returns our :class:`Claim`, or the
        live :class:`Lease` of the process that holds it, or None if a claimer that won the
        race has already released it (check the experiment again).

        Rename is the only atomic step relied on: the lease is written to a temporary file
        first, renamed into place only if no live lease is there, and read back after
        :data:`CLAIM_SETTLE_SECONDS`: of several simultaneous claimers only the last renamer
        finds its own lease."""
        path = self.lease_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        now = time.time()
        lease = Lease(Owner.current(), now, now, self.lease_seconds)

        def write(temporary: Path) -> None:
            temporary.write_bytes(lease.to_bytes())

        temporary, _ = _write_temporary(path, write)
        current = Lease.read(path)
        if current is not None and current.owner != lease.owner and not current.stale():
            temporary.unlink(missing_ok=True)
            return current
        _commit(temporary, path)
        time.sleep(CLAIM_SETTLE_SECONDS)
        back = Lease.read(path)
        if back is not None and back.owner == lease.owner:
            return Claim(
                path, lease, current if current is not None and current.owner != lease.owner else None
            )
        return back

    def state(self, name: str) -> ExperimentState:
        """Done, running (a live claim, reported even while an overwrite retrains a done one),
        missing or corrupt (with the reason naming the damaged file)."""
        lease = self.lease(name)
        if lease is not None and not lease.stale():
            return ExperimentState(name, "running", owner=lease.owner, claim_age=lease.age())
        status = self.status(name)
        if status.done:
            return ExperimentState(name, "done")
        return ExperimentState(name, "missing" if status.reason == "missing" else "corrupt", status.reason)


def read_raw(path: str | os.PathLike, *, verify: bool = True) -> pd.DataFrame:
    """The wide table of one stored experiment, given any of its raw files (or its sidecar).

    The sidecar (its own checksum, its configuration against the name) and the checksums
    of every file are verified first: a corrupt or partial experiment raises
    :class:`CorruptResultError` instead of being read as a result.
    """
    path = Path(path)
    name = path.name.split(".")[0]
    sidecar = path.with_name(f"{name}.json")
    if not sidecar.is_file():
        raise CorruptResultError(f"{name} has no completion record ({sidecar.name}): rerun the study")
    store = ResultStore(sidecar.parent.parent)
    record = store.verified_record(name) if verify else read_json(sidecar)
    return read_table(sidecar.parent, record["table"], verify=False)
