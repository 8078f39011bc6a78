"""``APEBENCH_TRACE_PLUGINS=1``: every hook call and every component build, logged to stderr."""

from __future__ import annotations

import os
import sys

ENV_TRACE = "APEBENCH_TRACE_PLUGINS"


def tracing() -> bool:
    return os.environ.get(ENV_TRACE, "").strip().lower() in {"1", "true", "yes", "on"}


def trace(message: str) -> None:
    if tracing():
        print(f"[apebench trace] {message}", file=sys.stderr, flush=True)
