"""Wall time of `apebench list` (and of importing the core), in fresh processes.

    python benchmarks/bench_cli.py [--repeats 10]

The listing path must not import JAX; the target is well under 0.5 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def wall(cmd: list[str], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    apebench = shutil.which("apebench") or "apebench"
    cases = {
        "python -c pass (interpreter floor)": [sys.executable, "-c", "pass"],
        "import apebench_core": [sys.executable, "-c", "import apebench_core"],
        "apebench list": [apebench, "list"],
        "apebench list architectures --json": [apebench, "list", "architectures", "--json"],
        "import jax (for comparison)": [sys.executable, "-c", "import jax"],
    }
    print(f"{'command':<40} {'median s':>9} {'min s':>8}")
    for name, cmd in cases.items():
        times = wall(cmd, args.repeats)
        print(f"{name:<40} {statistics.median(times):>9.3f} {min(times):>8.3f}")


if __name__ == "__main__":
    main()
