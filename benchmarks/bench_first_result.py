"""Time to first result: one short experiment end to end, ours vs APEBench 0.1.1, side by side.

    python benchmarks/bench_first_result.py [--repeats 3] [--steps 100] [--seeds 2]

The experiment: ``diff_adv`` defaults, ``Conv;26;10;relu``, ``one``, ``--steps`` update steps
(``adam;STEPS;warmup_cosine;0.0;1e-3;STEPS/5``), ``--seeds`` seeds, test metrics and sample
rollouts included. Each run is a new process (interpreter start, imports, data, compilation,
training, evaluation, table), timed from outside:

- ours: ``apebench run ...``; cold = a new, empty compilation cache folder
  (``APEBENCH_CACHE_DIR``), warm = the same command again on the now filled folder;
  ``cache off`` = ``APEBENCH_COMPILE_CACHE=0``;
- APEBench: ``apebench.run_experiment(...)`` in ``python -c`` from its venv
  (``benchmarks/.venvs/apebench``); it keeps no cache, so its second run is its warm run.

Rounds are interleaved (ours cold, APEBench, ours warm, ours off, APEBench) so that drift
of this shared machine hits both sides alike; medians are reported with the load average.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APEBENCH_PYTHON = ROOT / "benchmarks" / ".venvs" / "apebench" / "bin" / "python"


def ours_command(steps: int, seeds: int) -> list[str]:
    optim = f"adam;{steps};warmup_cosine;0.0;1e-3;{max(1, steps // 5)}"
    apebench = Path(sys.executable).with_name("apebench")
    return [str(apebench), "run", "diff_adv", "--net", "Conv;26;10;relu", "--train", "one",
            "--num-seeds", str(seeds), "--optim_config", optim]  # fmt: skip


def apebench_command(steps: int, seeds: int) -> list[str]:
    optim = f"adam;{steps};warmup_cosine;0.0;1e-3;{max(1, steps // 5)}"
    code = (
        "import apebench\n"
        "data, _ = apebench.run_experiment(scenario='diff_adv', task='predict', net='Conv;26;10;relu',"
        f" train='one', start_seed=0, num_seeds={seeds}, optim_config='{optim}')\n"
        "print(data.filter(like='mean_nRMSE').iloc[:, [0, 99]].median())\n"
    )
    return [str(APEBENCH_PYTHON), "-c", code]


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tempfile.gettempdir())
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{done.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--no-apebench", action="store_true", help="time ours only")
    args = parser.parse_args()
    if not args.no_apebench and not APEBENCH_PYTHON.exists():
        raise SystemExit(
            "no APEBench venv: python -m venv benchmarks/.venvs/apebench && "
            "benchmarks/.venvs/apebench/bin/pip install apebench==0.1.1 jax==0.10.2"
        )
    ours, theirs = ours_command(args.steps, args.seeds), apebench_command(args.steps, args.seeds)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("APEBENCH_", "JAX_", "XLA_"))}
    times: dict[str, list[float]] = {"ours cold": [], "ours warm": [], "ours cache off": [], "APEBench": []}
    loads = []
    for round_ in range(args.repeats):
        cache = Path(tempfile.mkdtemp(prefix="apebench-bench-cache-"))
        env = {**base_env, "APEBENCH_CACHE_DIR": str(cache)}
        try:
            loads.append(os.getloadavg()[0])
            times["ours cold"].append(timed(ours, env))
            if not args.no_apebench:
                times["APEBench"].append(timed(theirs, base_env))
            times["ours warm"].append(timed(ours, env))
            times["ours cache off"].append(timed(ours, {**env, "APEBENCH_COMPILE_CACHE": "0"}))
            if not args.no_apebench:
                times["APEBench"].append(timed(theirs, base_env))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        print(
            f"round {round_ + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items() if v),
            flush=True,
        )
    median = {k: statistics.median(v) for k, v in times.items() if v}
    print(f"\nload average at the rounds' starts: {', '.join(f'{x:.1f}' for x in loads)}")
    print("| run | median wall [s] | runs | share of APEBench's time |")
    print("|---|---|---|---|")
    for name, value in median.items():
        share = f"{value / median['APEBench']:.2f}" if "APEBench" in median else "-"
        print(f"| {name} | {value:.2f} | {len(times[name])} | {share} |")


if __name__ == "__main__":
    main()
