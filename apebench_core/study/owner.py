"""Who writes into a shared results folder: one identity per process, and whether it is still alive.

Claims and temporary files carry their writer's identity, so a later run can tell a
dead writer's leftovers (safe to take over or delete) from a live writer's (never
touched). On the writer's own host a gone pid, or a pid now used by a process that
started at another time, is dead; across hosts only the lease's age can tell.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
from typing import Any

import attrs

_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")
_HOST_LENGTH = 40
_SEPARATOR = "~"


def _process_stat(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name ([] where /proc is absent)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _process_start(pid: int) -> str:
    """The kernel's start time of ``pid`` (clock ticks since boot), '' where /proc is absent."""
    stat = _process_stat(pid)
    return stat[19] if len(stat) > 19 else ""


def _host() -> str:
    return _UNSAFE.sub("-", socket.gethostname())[:_HOST_LENGTH] or "host"


@attrs.frozen
class Owner:
    """A writing process: host, pid, start time and a random token (unique even across pid reuse)."""

    host: str
    pid: int
    start: str
    token: str

    @classmethod
    def current(cls) -> Owner:
        """This process's identity (made anew in a forked child, whose pid differs)."""
        global _CURRENT
        if _CURRENT is None or _CURRENT.pid != os.getpid():
            pid = os.getpid()
            _CURRENT = cls(_host(), pid, _process_start(pid), secrets.token_hex(6))
        return _CURRENT

    @property
    def tag(self) -> str:
        """File-name-safe form, embedded in temporary file names."""
        return _SEPARATOR.join((self.host, str(self.pid), self.start or "0", self.token))

    @classmethod
    def from_tag(cls, tag: str) -> Owner | None:
        parts = tag.split(_SEPARATOR)
        if len(parts) != 4 or not parts[1].isdigit():
            return None
        return cls(parts[0], int(parts[1]), "" if parts[2] == "0" else parts[2], parts[3])

    def to_dict(self) -> dict[str, object]:
        return attrs.asdict(self)

    @classmethod
    def from_dict(cls, value: Any) -> Owner | None:
        try:
            return cls(str(value["host"]), int(value["pid"]), str(value["start"]), str(value["token"]))
        except (KeyError, TypeError, ValueError):
            return None

    @property
    def on_this_host(self) -> bool:
        return self.host == _host()

    def is_dead_here(self) -> bool:
        """True if this owner ran on this host and its process is gone (or its pid was reused)."""
        if not self.on_this_host:
            return False
        if self == Owner.current():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass  # exists, owned by another user
        stat = _process_stat(self.pid)
        if stat and stat[0] in ("Z", "X"):
            return True  # exited, not yet reaped by its parent
        return bool(self.start) and len(stat) > 19 and stat[19] != self.start

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


_CURRENT: Owner | None = None
