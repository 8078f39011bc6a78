"""Wall time of a small study through `apebench study`: sequential vs a local Dask cluster, or vs
several `apebench study` processes on one results folder at once.

    python benchmarks/bench_study.py [--workers 2] [--steps 600] [--repeats 1] [--thread-probe]
    python benchmarks/bench_study.py --concurrent 2 [--steps 600] [--repeats 1]
    python benchmarks/bench_study.py --store-only 4 [--experiments 40]

The study is 2 nets x 2 methodologies of ``diff_adv`` (1D, N=64), 2 seeds each, run from a
TOML file into a fresh results folder per run; each timing is the whole command (interpreter
start, JAX import, cluster start-up and every worker's compilation included), so the ratio is
what a user sees. Runs alternate between the two modes to spread drifts of the machine's load.
``--thread-probe`` also counts the threads that burn CPU in one XLA process under each way of
limiting them (``PJRT_NPROC``, ``OMP_NUM_THREADS``, ``--xla_cpu_multi_thread_eigen``).

``--concurrent N`` starts N ``apebench study`` processes on the same study and results folder
at once (``PJRT_NPROC=cores//N`` each), as several SLURM jobs would, and reports how many
experiments each trained (claims make it one in total per experiment). ``--store-only N``
measures the store alone (claim, write, release; no training) for one process against N
processes sharing the experiments.
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


def timed_study(
    study: Path, base: Path, workers: int | None, processes: int = 1
) -> tuple[float, float, list[int]]:
    """(wall seconds, CPU seconds of the commands and their reaped descendants, experiments trained
    by each command); ``processes`` commands run on the same folder at once."""
    command = [sys.executable, "-m", "apebench_core", "study", str(study), "--base-path", str(base)]
    if workers:
        command += ["--workers", str(workers)]
    env = {**os.environ, "APEBENCH_NO_PROGRESS": "1"}
    if processes > 1:
        env.update(xla_thread_env(max(1, cores() // processes)))
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    running = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    outputs = [process.communicate() for process in running]
    wall = time.perf_counter() - start
    for process, (_, err) in zip(running, outputs, strict=True):
        if process.returncode:
            raise SystemExit(f"apebench study failed: {err}")
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return wall, cpu, [out.count("trained in") for out, _ in outputs]


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def xla_thread_env(threads: int) -> dict[str, str]:
    from apebench_core.study.runner import xla_thread_env as env

    return env(threads)


def store_worker(base: str, count: int, seconds: list[float]) -> None:
    """Claim, write and release every not-yet-stored experiment of ``count`` (what a study worker does
    around training), in the same order as every other worker."""
    import numpy as np
    import pandas as pd

    from apebench_core.study.store import Claim, ResultStore, experiment_name

    store = ResultStore(base)
    table = pd.DataFrame({"seed": [0, 1], "m_0001": np.ones(2, np.float32), "diverged": [False, False]})
    start = time.perf_counter()
    for index in range(count):
        config = {"scenario": "s", "task": "predict", "net": f"n{index}", "train": "one"}
        config.update(start_seed=0, num_seeds=2)
        name = experiment_name(config)
        if store.status(name).done:
            continue
        claim = store.claim(name)
        if isinstance(claim, Claim):
            with claim:
                if not store.status(name).done:
                    store.write_experiment(name, config, table, {"w": np.ones(3, np.float32)})
    seconds.append(time.perf_counter() - start)


def store_only(processes: int, count: int) -> None:
    import multiprocessing

    from apebench_core.study.store import CLAIM_SETTLE_SECONDS, ResultStore

    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as folder, context.Manager() as manager:
        for n in (1, processes):
            base = Path(folder) / f"store_{n}"
            ResultStore(base).prepare()
            seconds = manager.list()
            start = time.perf_counter()
            workers = [
                context.Process(target=store_worker, args=(str(base), count, seconds)) for _ in range(n)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            wall = time.perf_counter() - start
            stored = len(list((base / "raw").glob("*.json")))
            print(
                f"{n} process(es), {count} experiments: {wall:.2f} s wall (with start-up), slowest worker "
                f"{max(seconds):.2f} s = {1000 * max(seconds) / count:.0f} ms per experiment "
                f"(claim settle {1000 * CLAIM_SETTLE_SECONDS:.0f} ms); {stored} stored"
            )


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
    parser.add_argument("--concurrent", type=int, help="N `apebench study` processes on one folder at once")
    parser.add_argument("--store-only", type=int, metavar="N", help="the store alone: 1 vs N processes")
    parser.add_argument("--experiments", type=int, default=40, help="experiments for --store-only")
    args = parser.parse_args()
    if args.thread_probe:
        thread_probe()
    if args.store_only:
        store_only(args.store_only, args.experiments)
        return
    if args.concurrent:
        concurrent(args.concurrent, args.steps, args.repeats)
        return
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    times: dict[str, list[float]] = {"sequential": [], f"{args.workers} workers": []}
    with tempfile.TemporaryDirectory() as folder:
        study = Path(folder) / "study.toml"
        study.write_text(study_toml(args.steps))
        for repeat in range(args.repeats):
            modes = [None, args.workers] if repeat % 2 == 0 else [args.workers, None]
            for workers in modes:
                label = f"{workers} workers" if workers else "sequential"
                seconds, cpu, _ = timed_study(study, Path(folder) / f"results_{label}_{repeat}", workers)
                times[label].append(seconds)
                print(f"{label}: {seconds:.1f} s wall, {cpu:.1f} s CPU, load {os.getloadavg()[0]:.2f}")
    sequential = statistics.median(times["sequential"])
    parallel = statistics.median(times[f"{args.workers} workers"])
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(
        f"study of {len(NETS) * len(TRAINS)} experiments x 2 seeds: sequential {sequential:.1f} s, "
        f"{args.workers} workers {parallel:.1f} s, speed-up x{sequential / parallel:.2f}"
    )


def concurrent(processes: int, steps: int, repeats: int) -> None:
    """One `apebench study` against ``processes`` of them on the same study and folder at once."""
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    times: dict[int, list[float]] = {1: [], processes: []}
    with tempfile.TemporaryDirectory() as folder:
        study = Path(folder) / "study.toml"
        study.write_text(study_toml(steps))
        for repeat in range(repeats):
            for n in (1, processes) if repeat % 2 == 0 else (processes, 1):
                seconds, cpu, trained = timed_study(study, Path(folder) / f"results_{n}_{repeat}", None, n)
                times[n].append(seconds)
                print(
                    f"{n} process(es): {seconds:.1f} s wall, {cpu:.1f} s CPU, trained per process {trained}, "
                    f"load {os.getloadavg()[0]:.2f}"
                )
    one, many = statistics.median(times[1]), statistics.median(times[processes])
    print(f"one process {one:.1f} s, {processes} processes on one folder {many:.1f} s: x{one / many:.2f}")


if __name__ == "__main__":
    main()
