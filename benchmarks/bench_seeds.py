"""Seed scaling: seconds per update step and peak memory for 1 to 20 seeds, ours vs APEBench 0.1.1.

    python benchmarks/bench_seeds.py [--seeds 1 2 5 10 20] [--short 100 --long 300] [--vmapped]

Both sides train ``diff_adv`` (1D advection, defaults) with methodology ``one`` in a fresh
process per configuration. Seconds per update step are the difference of a ``--long`` and a
``--short`` run after a warm-up run (as in bench_training.py: compilation, data generation and
evaluation cancel; keep both multiples of the loss-record period, 100, so that both runs compile
the same training chunks). Peak memory is the process's peak resident set (``ru_maxrss``) minus its
resident set after importing the package and starting JAX, divided by the seed count: what each
seed costs, with data, compilation and evaluation shared among the seeds. ``--vmapped`` adds our
former layout (``APEBENCH_SEED_BATCH=all``: a device's seeds vmapped) as a third column. The plot
goes to benchmarks/seed_scaling.png.
"""

from __future__ import annotations

import argparse
import textwrap

from bench_training import HERE, SIDES, ensure_apebench_venv, run

NETS = ["Conv;26;10;relu", "FNO;12;8;4;gelu"]
PLOT = HERE / "seed_scaling.png"

WORKER = textwrap.dedent(
    """
    import json, resource, sys, time
    side, net, seeds, short, long = sys.argv[1:6]
    seeds, short, long = int(seeds), int(short), int(long)
    if side == "ours":
        import apebench_core as apebench
        kwargs = dict(progress=False)
    else:
        import apebench
        kwargs = {}
    import jax.numpy as jnp

    def resident():  # peak resident set so far, bytes (Linux reports KiB)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    jnp.zeros(1).block_until_ready()
    baseline = resident()

    def seconds(steps):
        scene = apebench.scenarios.difficulty.Advection(optim_config=f"adam;{steps};constant;1e-3")
        start = time.perf_counter()
        scene(task_config="predict", network_config=net, train_config="one", num_seeds=seeds, **kwargs)
        return time.perf_counter() - start

    seconds(short)  # warm-up: imports, caches
    step = (seconds(long) - seconds(short)) / (long - short)
    print(json.dumps({"step": step, "memory": resident() - baseline}))
    """
)


def measure(args) -> dict:
    """``{(net, column, seeds): {"step": s, "memory": bytes}}`` for every configuration."""
    columns = {side: (side, {}) for side in SIDES}
    if args.vmapped:
        columns["ours, vmapped"] = ("ours", {"APEBENCH_SEED_BATCH": "all"})
    results = {}
    for net in args.nets:
        for seeds in args.seeds:
            for column, (side, env) in columns.items():
                results[net, column, seeds] = run(side, WORKER, net, seeds, args.short, args.long, **env)
                cell = results[net, column, seeds]
                print(
                    f"{net:<16} {seeds:>3} seeds {column:<14} {1e3 * cell['step']:9.2f} ms/step"
                    f" {1e3 * cell['step'] / seeds:8.2f} ms/step/seed"
                    f" {cell['memory'] / 2**20 / seeds:8.1f} MiB/seed",
                    flush=True,
                )
    return results


def table(results: dict, args) -> str:
    """Markdown: per net and seed count, per-seed seconds and memory of each column, and the speed-up."""
    columns = sorted({c for _, c, _ in results}, key=lambda c: (c != "apebench", c))
    head = " | ".join(f"{c} ms/step (per seed)" for c in columns)
    mem = " | ".join(f"{c} MiB/seed" for c in columns)
    lines = [f"| net | seeds | {head} | speed-up | {mem} |", "|---" * (3 + 2 * len(columns)) + "|"]
    for net in args.nets:
        for seeds in args.seeds:
            cells = [results[net, c, seeds] for c in columns]
            times = " | ".join(f"{1e3 * c['step']:.1f} ({1e3 * c['step'] / seeds:.2f})" for c in cells)
            memory = " | ".join(f"{c['memory'] / 2**20 / seeds:.0f}" for c in cells)
            speedup = results[net, "apebench", seeds]["step"] / results[net, "ours", seeds]["step"]
            lines.append(f"| {net} | {seeds} | {times} | {speedup:.1f}x | {memory} |")
    return "\n".join(lines)


def plot(results: dict, args) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(11, 4.2))
    for net in args.nets:
        for column in sorted({c for _, c, _ in results}):
            cells = [(results[net, column, s], s) for s in args.seeds]
            style = dict(
                linestyle="--" if column == "apebench" else "-", marker="o", label=f"{net}, {column}"
            )
            time_axis.plot(args.seeds, [1e3 * c["step"] / s for c, s in cells], **style)
            memory_axis.plot(args.seeds, [c["memory"] / 2**20 / s for c, s in cells], **style)
    time_axis.set(xscale="log", yscale="log", xlabel="seeds", ylabel="ms per update step and seed")
    memory_axis.set(xscale="log", yscale="log", xlabel="seeds", ylabel="peak memory per seed (MiB)")
    for axis in (time_axis, memory_axis):
        axis.set_xticks(args.seeds, [str(s) for s in args.seeds])
        axis.grid(True, which="both", alpha=0.3)
    time_axis.legend(fontsize=7)
    figure.suptitle("diff_adv 1D, methodology one: cost per seed against the seed count")
    figure.tight_layout()
    figure.savefig(PLOT, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", nargs="*", type=int, default=[1, 2, 5, 10, 20])
    parser.add_argument("--short", type=int, default=100)
    parser.add_argument("--long", type=int, default=300)
    parser.add_argument("--nets", nargs="*", default=NETS)
    parser.add_argument("--vmapped", action="store_true", help="also ours with APEBENCH_SEED_BATCH=all")
    args = parser.parse_args()
    ensure_apebench_venv()
    print(f"seconds per update step: difference of {args.long} and {args.short} steps, one process per cell")
    results = measure(args)
    print(table(results, args))
    plot(results, args)
    print(f"plot: {PLOT}")


if __name__ == "__main__":
    main()
