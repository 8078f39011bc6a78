"""A persistent XLA compilation cache, on by default, that never serves a damaged entry.

Every ``apebench run``, study experiment and rerun compiles the same programs again; JAX can
keep compiled executables on disk, keyed by a hash of the program, the compile options, the
XLA flags, the devices and the jaxlib/backend versions. :func:`activate` plugs into that
mechanism a store of our own, because JAX's file store trusts what it reads (a truncated or
overwritten file is deserialized as it is) and needs an extra package to cap its size:

- each entry carries a SHA-256 of its key and bytes; an entry that does not match (damaged,
  truncated, or another key's bytes) is deleted and the program compiled afresh;
- entries live under a folder named after the jax and jaxlib versions, so an upgrade starts
  a new folder (and :func:`prune` removes the old ones) on top of JAX's own key;
- the folder is capped (least recently used entries go first); writes are atomic, so any
  number of processes may share it.

Location ``$APEBENCH_CACHE_DIR/xla`` (default ``~/.cache/apebench/xla``, or under
``$XDG_CACHE_HOME``); ``APEBENCH_COMPILE_CACHE=0`` turns it off; the cap is
``APEBENCH_COMPILE_CACHE_MAX_MB`` (default 2048). A cached executable is the very binary a
fresh compilation would produce, so results are bit-identical with and without the cache.
A user who configured JAX's own cache (``jax_compilation_cache_dir``) keeps theirs.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
import uuid
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

ENV_SWITCH = "APEBENCH_COMPILE_CACHE"
ENV_DIR = "APEBENCH_CACHE_DIR"
ENV_MAX_MB = "APEBENCH_COMPILE_CACHE_MAX_MB"
DEFAULT_MAX_MB = 2048
#: Programs that compile faster than this are not worth a file (reading one costs ~1 ms).
MIN_COMPILE_SECONDS = 0.02

_MAGIC = b"apebench-xla-1\n"
_DIGEST = 32
_SUFFIX = ".xla"
_OFF = {"0", "false", "no", "off"}


def cache_root() -> Path:
    """``$APEBENCH_CACHE_DIR`` or the user's cache folder (``$XDG_CACHE_HOME/apebench``)."""
    chosen = os.environ.get(ENV_DIR, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or "~/.cache"
    return Path(base).expanduser() / "apebench"


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in _OFF


def max_bytes() -> int:
    raw = os.environ.get(ENV_MAX_MB, "").strip()
    try:
        megabytes = float(raw) if raw else DEFAULT_MAX_MB
    except ValueError:
        megabytes = -1
    if megabytes <= 0:
        logger.warning("%s=%r is not a positive number of MB; using %d", ENV_MAX_MB, raw, DEFAULT_MAX_MB)
        megabytes = DEFAULT_MAX_MB
    return int(megabytes * 2**20)


def versioned_folder(root: Path | None = None) -> Path:
    """The folder of this jax/jaxlib pair: an upgrade never reads the old entries.
    (Versions from the installed metadata, so that listing the cache imports no JAX.)"""
    from importlib.metadata import version

    return (root or cache_root()) / "xla" / f"jax-{version('jax')}-jaxlib-{version('jaxlib')}"


def usage(root: Path | None = None) -> dict[str, Any]:
    """Location, switch, cap, and entries/bytes per version folder (no JAX import)."""
    folder = versioned_folder(root)
    folders = {}
    if folder.parent.is_dir():
        for sub in sorted(folder.parent.iterdir()):
            files = list(sub.glob(f"*{_SUFFIX}")) if sub.is_dir() else []
            folders[sub.name] = {"entries": len(files), "bytes": sum(f.stat().st_size for f in files)}
    return {"enabled": enabled(), "folder": str(folder), "max_bytes": max_bytes(), "folders": folders}


def clear(root: Path | None = None) -> int:
    """Remove every entry of every version; the number removed."""
    parent = versioned_folder(root).parent
    removed = 0
    if parent.is_dir():
        for file in parent.glob(f"*/*{_SUFFIX}"):
            file.unlink(missing_ok=True)
            removed += 1
    return removed


def _seal(key: str, payload: bytes) -> bytes:
    return _MAGIC + hashlib.sha256(key.encode() + b"\0" + payload).digest() + payload


def _unseal(key: str, blob: bytes) -> bytes | None:
    """The payload, or None when the entry is not exactly what was written under ``key``."""
    head = len(_MAGIC) + _DIGEST
    if len(blob) < head or not blob.startswith(_MAGIC):
        return None
    payload = blob[head:]
    if hashlib.sha256(key.encode() + b"\0" + payload).digest() != blob[len(_MAGIC) : head]:
        return None
    return payload


class VerifiedStore:
    """JAX's cache interface (``get``/``put`` of bytes by key) over sealed, capped files."""

    def __init__(self, path: Path, *, limit: int) -> None:
        self._path = path  # JAX logs this attribute
        self.path = path
        self.limit = limit
        self.counts = {"hits": 0, "misses": 0, "rejected": 0, "written": 0, "evicted": 0}
        self._lock = threading.Lock()
        path.mkdir(parents=True, exist_ok=True)

    def _file(self, key: str) -> Path:
        return self.path / (hashlib.sha256(key.encode()).hexdigest()[:40] + _SUFFIX)

    def get(self, key: str) -> bytes | None:
        file = self._file(key)
        try:
            blob = file.read_bytes()
        except OSError:
            self._count("misses")
            return None
        payload = _unseal(key, blob)
        if payload is None:
            logger.warning("compile cache: discarding a damaged entry %s (it will be recompiled)", file.name)
            file.unlink(missing_ok=True)
            self._count("rejected")
            return None
        try:
            os.utime(file)  # recency for eviction
        except OSError:
            pass
        self._count("hits")
        return payload

    def put(self, key: str, value: bytes) -> None:
        blob = _seal(key, value)
        if len(blob) > self.limit:
            return
        file = self._file(key)
        temporary = file.with_name(f".{file.name}.{uuid.uuid4().hex}.tmp")
        try:
            temporary.write_bytes(blob)
            os.replace(temporary, file)
        except OSError as error:  # a full or read-only disk must not fail the experiment
            temporary.unlink(missing_ok=True)
            logger.warning("compile cache: could not write %s: %s", file.name, error)
            return
        self._count("written")
        self._evict()

    def clear(self) -> None:
        for file in self.path.glob(f"*{_SUFFIX}"):
            file.unlink(missing_ok=True)

    def _evict(self) -> None:
        entries = []
        for entry in os.scandir(self.path):
            if entry.name.endswith(_SUFFIX):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                entries.append((stat.st_mtime, stat.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.limit:
                break
            Path(path).unlink(missing_ok=True)
            total -= size
            self._count("evicted")

    def _count(self, what: str) -> None:
        with self._lock:
            self.counts[what] += 1


_store: VerifiedStore | None = None


def activate() -> VerifiedStore | None:
    """Turn the cache on for this process (idempotent); the store, or None when it stays off.

    Must run before the first compilation to cover it; programs compiled earlier simply
    are not cached.
    """
    global _store
    if _store is not None or not enabled():
        return _store
    import jax

    if getattr(jax.config, "jax_compilation_cache_dir", None):  # the user's own JAX cache wins
        return None
    try:
        from jax._src import compilation_cache as jax_cache

        with jax_cache._cache_initialized_mutex:
            if jax_cache._cache_initialized:  # something set up a cache already
                return None
            store = VerifiedStore(versioned_folder(), limit=max_bytes())
            jax_cache._cache = store  # type: ignore[assignment]  # same get/put interface
            jax_cache._cache_initialized = True
    except (ImportError, AttributeError, OSError) as error:
        logger.warning("compile cache off: %s", error)
        return None
    jax.config.update("jax_compilation_cache_dir", str(store.path))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", MIN_COMPILE_SECONDS)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    _store = store
    return store


def stats() -> dict[str, Any]:
    """Hits, misses, rejected (damaged) entries, writes and evictions of this process."""
    if _store is None:
        return {"active": False}
    return {"active": True, "path": str(_store.path), **_store.counts}


def prune(root: Path | None = None) -> list[Path]:
    """Remove the folders of other jax/jaxlib versions; the removed folders."""
    keep = versioned_folder(root)
    removed = []
    if keep.parent.is_dir():
        for folder in keep.parent.iterdir():
            if folder.is_dir() and folder != keep:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed
