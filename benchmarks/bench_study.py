"""Wall time of a small study through `apebench study`: sequential vs a local Dask cluster.

    python benchmarks/bench_study.py [--workers 2] [--steps 600] [--repeats 1] [--thread-probe]

The study is 2 nets x 2 methodologies of ``diff_adv`` (1D, N=64), 2 seeds each, run from a
TOML file into a fresh results folder per run; each timing is the whole command (interpreter
start, JAX import, cluster start-up and every worker's compilation included), so the ratio is
what a user sees. Runs alternate between the two modes to spread drifts of the machine's load.
``--thread-probe`` also counts the threads that burn CPU in one XLA process under each way of
limiting them (``PJRT_NPROC``, ``OMP_NUM_THREADS``, ``--xla_cpu_multi_thread_eigen``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

NETS = ["Conv;16;6;relu", "FNO;8;8;3;gelu"]
TRAINS = ["one", "sup;3"]

PROBE = textwrap.dedent(
    """
    import os, time
    import jax, jax.numpy as jnp

    def ticks():
        out = {}
        for tid in os.listdir("/proc/self/task"):
            try:
                fields = open(f"/proc/self/task/{tid}/stat").read().rsplit(")", 1)[1].split()
                out[tid] = int(fields[11]) + int(fields[12])
            except FileNotFoundError:
                pass
        return out

    x = jnp.ones((2000, 2000), jnp.float32)
    k = jnp.ones((64, 64, 9), jnp.float32)
    u = jnp.ones((32, 64, 4096), jnp.float32)
    f = jax.jit(lambda a: (a @ a).sum())
    g = jax.jit(lambda u: jax.lax.conv_general_dilated(u, k, (1,), "SAME").sum())
    f(x).block_until_ready(); g(u).block_until_ready()
    before, start = ticks(), time.perf_counter()
    for _ in range(5):
        f(x).block_until_ready(); g(u).block_until_ready()
    wall, after = time.perf_counter() - start, ticks()
    busy = [after[t] - before.get(t, 0) for t in after]
    print(sum(b > 0.05 * wall * os.sysconf("SC_CLK_TCK") for b in busy))
    """
)


def study_toml(steps: int) -> str:
    tables = []
    for net in NETS:
        for train in TRAINS:
            tables.append(
                textwrap.dedent(
                    f"""\
                    [[configs]]
                    scenario = "diff_adv"
                    task = "predict"
                    net = "{net}"
                    train = "{train}"
                    start_seed = 0
                    num_seeds = 2
                    num_points = 64
                    num_train_samples = 10
                    num_test_samples = 10
                    test_temporal_horizon = 50
                    optim_config = "adam;{steps};constant;1e-3"
                    record_loss_every = 50
                    batch_size = 10
                    """
                )
            )
    return "\n".join(tables)


def timed_study(study: Path, base: Path, workers: int | None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its reaped descendants, i.e. the workers)."""
    command = [sys.executable, "-m", "apebench_core", "study", str(study), "--base-path", str(base)]
    if workers:
        command += ["--workers", str(workers)]
    env = {**os.environ, "APEBENCH_NO_PROGRESS": "1"}
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return wall, cpu


def thread_probe() -> None:
    settings = {
        "default": {},
        "OMP_NUM_THREADS=1": {"OMP_NUM_THREADS": "1"},
        "XLA_FLAGS=--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1": {
            "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
        },
        "PJRT_NPROC=1": {"PJRT_NPROC": "1"},
    }
    for label, extra in settings.items():
        out = subprocess.run(
            [sys.executable, "-c", PROBE],
            env={**os.environ, **extra},
            capture_output=True,
            text=True,
            check=True,
        )
        print(f"busy XLA threads with {label}: {out.stdout.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--steps", type=int, default=600, help="training steps per experiment")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--thread-probe", action="store_true")
    args = parser.parse_args()
    if args.thread_probe:
        thread_probe()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    times: dict[str, list[float]] = {"sequential": [], f"{args.workers} workers": []}
    with tempfile.TemporaryDirectory() as folder:
        study = Path(folder) / "study.toml"
        study.write_text(study_toml(args.steps))
        for repeat in range(args.repeats):
            modes = [None, args.workers] if repeat % 2 == 0 else [args.workers, None]
            for workers in modes:
                label = f"{workers} workers" if workers else "sequential"
                seconds, cpu = timed_study(study, Path(folder) / f"results_{label}_{repeat}", workers)
                times[label].append(seconds)
                print(f"{label}: {seconds:.1f} s wall, {cpu:.1f} s CPU, load {os.getloadavg()[0]:.2f}")
    sequential = statistics.median(times["sequential"])
    parallel = statistics.median(times[f"{args.workers} workers"])
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(
        f"study of {len(NETS) * len(TRAINS)} experiments x 2 seeds: sequential {sequential:.1f} s, "
        f"{args.workers} workers {parallel:.1f} s, speed-up x{sequential / parallel:.2f}"
    )


if __name__ == "__main__":
    main()
