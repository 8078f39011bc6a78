"""Progress bars for long work (tqdm), silenced with APEBENCH_NO_PROGRESS=1."""

from __future__ import annotations

import os
from typing import Any


def progress_bar(*, total: int, desc: str, disable: bool = False) -> Any:
    from tqdm.auto import tqdm

    disable = disable or os.environ.get("APEBENCH_NO_PROGRESS", "").lower() in {"1", "true", "yes"}
    return tqdm(total=total, desc=desc, disable=disable, leave=False, dynamic_ncols=True)
