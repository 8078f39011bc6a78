"""Training speed of two revisions of this project, side by side on the same machine.

    python benchmarks/bench_revisions.py OLD_REV [NEW_REV] [--nets ...] [--trains ...]

Each revision is checked out into a temporary git worktree and timed with the same worker
as ``bench_training.py`` (seconds per update step by difference of two run lengths, 2 seeds,
diff_adv), the two revisions alternating run by run so that the machine's drifting load
falls on both alike. NEW_REV defaults to the working tree. Prints per configuration the
wall and CPU milliseconds of each side and their ratio (old / new: above 1 means faster).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _worker_code() -> str:
    spec = importlib.util.spec_from_file_location("bench_training", HERE / "bench_training.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.WORKER


def _time(tree: Path, worker: str, net: str, train: str, short: int, long: int) -> dict[str, float]:
    """One measurement of the tree's code: the tree and its plugins go first on the path."""
    env = {**os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{tree / 'plugins'}"}
    done = subprocess.run(
        [sys.executable, "-c", worker, "ours", net, train, str(short), str(long), "1"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new", nargs="?", default=None, help="a revision [default: the working tree]")
    parser.add_argument("--nets", nargs="*", default=["Conv;26;10;relu", "FNO;12;8;4;gelu"])
    parser.add_argument("--trains", nargs="*", default=["one", "sup;5"])
    parser.add_argument("--short", type=int, default=100)
    parser.add_argument("--long", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    worker = _worker_code()
    with tempfile.TemporaryDirectory() as scratch:
        trees = {}
        for label, rev in (("old", args.old), ("new", args.new)):
            if rev is None:
                trees[label] = ROOT
                continue
            trees[label] = Path(scratch) / label
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(trees[label]), rev],
                check=True,
                capture_output=True,
            )
        try:
            print(
                f"old = {args.old}, new = {args.new or 'working tree'}; ms per update step (2 seeds), "
                f"median of {args.repeats} alternating runs"
            )
            print(
                f"{'net':<18} {'train':<6} {'old wall/cpu':>16} {'new wall/cpu':>16} {'old/new wall/cpu':>18}"
            )
            for net in args.nets:
                for train in args.trains:
                    samples: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
                    for _ in range(args.repeats):
                        for label in ("old", "new"):
                            samples[label].append(
                                _time(trees[label], worker, net, train, args.short, args.long)
                            )
                    ms = {
                        label: {k: 1e3 * statistics.median(s[k] for s in runs) for k in ("wall", "cpu")}
                        for label, runs in samples.items()
                    }
                    ratio = {k: ms["old"][k] / ms["new"][k] for k in ("wall", "cpu")}
                    print(
                        f"{net:<18} {train:<6} {ms['old']['wall']:>8.2f}/{ms['old']['cpu']:<7.2f} "
                        f"{ms['new']['wall']:>8.2f}/{ms['new']['cpu']:<7.2f} "
                        f"{ratio['wall']:>8.2f}x/{ratio['cpu']:.2f}x",
                        flush=True,
                    )
        finally:
            for tree in trees.values():
                if tree != ROOT:
                    subprocess.run(
                        ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                        capture_output=True,
                    )


if __name__ == "__main__":
    main()
