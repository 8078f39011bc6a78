"""Training speed and quality, side by side with APEBench 0.1.1 on the same machine.

    python benchmarks/bench_training.py [--short 200 --long 600] [--quality-steps 2000]

Seconds per update step are measured by difference of two run lengths (``--short`` and
``--long`` update steps, run back to back in one process per side, after a warm-up run,
median over ``--repeats`` pairs), so compilation, data generation and evaluation cancel.
Both sides train 2 seeds of ``diff_adv`` (1D advection, defaults of the inventory) with the
same nets and methodologies. APEBench runs in its own virtual
environment (created on first use under benchmarks/.venvs/apebench with
``pip install apebench==0.1.1 jax==0.10.2``). With ``--quality-steps N`` both sides also train
N steps with the default warmup-cosine schedule (``--quality-seeds`` seeds, 2 by default) and
report the median nRMSE over seeds at steps 1, 10, 100 and 200 of the test rollout, with the
p-value of a two-sided Welch t-test on the seeds' log nRMSE (errors spread multiplicatively
across seeds; a small p says the two sides differ by more than seed noise).

Achieved FLOP/s: the floating-point work of one update step (XLA's cost analysis of our
loss and gradient, two seeds) over each side's seconds per step, next to the rate of a large
float32 matrix product on this machine. It is our count for both sides: APEBench's FNO does
the same linear map with FFTs, a little less arithmetic. XLA counts a loop body once, so the
count is taken with the network's blocks unrolled, and is right only for chains short enough
to be unrolled (``sup;T`` with T <= 16).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from apebench_core.analysis import t_test

HERE = Path(__file__).resolve().parent
APEBENCH_PYTHON = HERE / ".venvs" / "apebench" / "bin" / "python"
SIDES = ("apebench", "ours")
NETS = ["Conv;26;10;relu", "FNO;12;8;4;gelu", "Res;26;8;relu"]
TRAINS = ["one", "sup;5"]

WORKER = textwrap.dedent(
    """
    import json, statistics, sys, time
    side, net, train, short, long, repeats = sys.argv[1:7]
    short, long, repeats = int(short), int(long), int(repeats)
    if side == "ours":
        import apebench_core as apebench
        kwargs = dict(progress=False)
    else:
        import apebench
        kwargs = {}

    def seconds(steps):
        scene = apebench.scenarios.difficulty.Advection(optim_config=f"adam;{steps};constant;1e-3")
        wall, cpu = time.perf_counter(), time.process_time()
        scene(task_config="predict", network_config=net, train_config=train, num_seeds=2, **kwargs)
        return time.perf_counter() - wall, time.process_time() - cpu

    seconds(short)  # warm-up: imports, caches
    wall, cpu = [], []
    for _ in range(repeats):  # back to back, so slow drifts of the machine's load cancel
        a, b = seconds(short), seconds(long)
        wall.append((b[0] - a[0]) / (long - short))
        cpu.append((b[1] - a[1]) / (long - short))
    result = {"wall": statistics.median(wall), "cpu": statistics.median(cpu)}
    if side == "ours":  # floating-point work of one update step, from XLA's cost analysis
        import jax, jax.numpy as jnp, equinox as eqx
        from apebench_core.training import sub_trajectories
        scene = apebench.scenarios.difficulty.Advection()
        method = scene.get_methodology(train)
        batch = sub_trajectories(scene.get_train_data(), method.window_length)[: scene.batch_size]
        network = scene.get_network(net, jax.random.PRNGKey(0))
        if getattr(network, "loop_over_blocks", False):  # XLA counts a loop body once: count unrolled
            object.__setattr__(network, "loop_over_blocks", False)
        params, static = eqx.partition(network, eqx.is_inexact_array)
        make_stepper = scene.get_task("predict")

        def loss(p):
            stepper = make_stepper(eqx.combine(p, static))
            return jnp.mean(jax.vmap(lambda w: method.loss(stepper, w, ref_stepper=None, key=None))(batch))

        cost = jax.jit(jax.value_and_grad(loss)).lower(params).compile().cost_analysis()
        cost = cost[0] if isinstance(cost, list) else cost
        result["flops"] = 2 * float(cost["flops"])  # two seeds
    print(json.dumps(result))
    """
)

MATMUL = textwrap.dedent(
    """
    import json, time, jax, jax.numpy as jnp
    a = jnp.ones((1024, 1024), jnp.float32)
    loop = jax.jit(lambda c: jax.lax.fori_loop(0, 20, lambda i, c: c + (a @ (a + c))[0, 0] * 1e-9, c))
    loop(0.0).block_until_ready()
    times = []
    for _ in range(5):
        t = time.perf_counter()
        loop(0.0).block_until_ready()
        times.append(time.perf_counter() - t)
    print(json.dumps({"flops_per_s": 20 * 2 * 1024**3 / min(times)}))
    """
)


QUALITY = textwrap.dedent(
    """
    import json, sys
    side, net, train, steps, seeds = sys.argv[1:6]
    optim = f"adam;{steps};warmup_cosine;0.0;1e-3;{int(steps) // 5}"
    if side == "ours":
        import apebench_core as apebench
        kwargs = dict(progress=False)
    else:
        import apebench
        kwargs = {}
    scene = apebench.scenarios.difficulty.Advection(optim_config=optim)
    configs = dict(task_config="predict", network_config=net, train_config=train)
    table, _ = scene(**configs, num_seeds=int(seeds), **kwargs)
    print(json.dumps({t: table[f"mean_nRMSE_{t:04d}"].astype(float).tolist() for t in (1, 10, 100, 200)}))
    """
)


def ensure_apebench_venv() -> None:
    if APEBENCH_PYTHON.exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(APEBENCH_PYTHON.parent.parent)], check=True)
    subprocess.run(
        [
            str(APEBENCH_PYTHON),
            "-m",
            "pip",
            "install",
            "-q",
            "apebench==0.1.1",
            "jax==0.10.2",
            "jaxlib==0.10.2",
        ],
        check=True,
    )


def run(side: str, code: str, *args, **env: str) -> dict:
    """Run ``code`` with ``args`` (and ``env`` added to the environment) in the side's interpreter;
    its last output line is JSON."""
    python = sys.executable if side == "ours" else str(APEBENCH_PYTHON)
    env = dict(os.environ, APEBENCH_NO_PROGRESS="1", TQDM_DISABLE="1", **env)
    out = subprocess.run(
        [python, "-c", code, side, *map(str, args)], check=True, capture_output=True, text=True, env=env
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", type=int, default=200)
    parser.add_argument("--long", type=int, default=600)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quality-steps", type=int, default=0)
    parser.add_argument("--quality-seeds", type=int, default=2)
    parser.add_argument(
        "--quality-json", help="append each config's per-seed nRMSE to this file (JSON lines)"
    )
    parser.add_argument("--nets", nargs="*", default=NETS)
    parser.add_argument("--trains", nargs="*", default=TRAINS)
    args = parser.parse_args()
    ensure_apebench_venv()
    print(f"seconds per update step (2 seeds, diff_adv): difference of {args.long} and {args.short} steps,")
    print(f"median of {args.repeats} back-to-back pairs in one process per side (compilation cancels)")
    print("wall: elapsed time; cpu: this process's CPU time (robust when other jobs share the machine)")
    peak = run("ours", MATMUL)["flops_per_s"]
    print(f"matrix-multiply rate (1024^2 float32, all cores): {peak / 1e9:.0f} GFLOP/s")
    header = (
        f"{'APEBench wall/cpu ms':>21} {'ours wall/cpu ms':>17} {'speed-up wall/cpu':>18}"
        f" {'GFLOP/s ours (APEBench), % of matmul':>38}"
    )
    print(f"{'net':<18} {'train':<6} {header}")
    for net in args.nets:
        for train in args.trains:
            ape, ours = (run(side, WORKER, net, train, args.short, args.long, args.repeats) for side in SIDES)
            rate, ape_rate = ours["flops"] / ours["wall"], ours["flops"] / ape["wall"]
            print(
                f"{net:<18} {train:<6} {1e3 * ape['wall']:>10.2f}/{1e3 * ape['cpu']:<10.2f}"
                f"{1e3 * ours['wall']:>8.2f}/{1e3 * ours['cpu']:<8.2f} "
                f"{ape['wall'] / ours['wall']:>8.1f}x/{ape['cpu'] / ours['cpu']:.1f}x"
                f"{rate / 1e9:>12.1f} ({ape_rate / 1e9:.1f}), "
                f"{100 * rate / peak:.0f}% ({100 * ape_rate / peak:.0f}%)",
                flush=True,
            )
    if args.quality_steps:
        print(
            f"\nmedian nRMSE over {args.quality_seeds} seeds after {args.quality_steps} steps"
            " (warmup-cosine peak 1e-3)"
        )
        for net in args.nets:
            for train in args.trains:
                seeds = {
                    side: run(side, QUALITY, net, train, args.quality_steps, args.quality_seeds)
                    for side in SIDES
                }
                for side, nrmse in seeds.items():
                    cells = "  ".join(f"t={t}: {np.median(v):.4f}" for t, v in nrmse.items())
                    print(f"{net:<18} {train:<6} {side:<9} {cells}", flush=True)
                pvalues = (
                    t_test(np.log(seeds["ours"][t]), np.log(seeds["apebench"][t]), alternative="two-sided")[1]
                    for t in seeds["ours"]
                )
                cells = "  ".join(f"t={t}: {p:.2f}  " for t, p in zip(seeds["ours"], pvalues, strict=True))
                print(f"{net:<18} {train:<6} {'p-value':<9} {cells}", flush=True)
                if args.quality_json:
                    with open(args.quality_json, "a") as file:
                        file.write(json.dumps({"net": net, "train": train, **seeds}) + "\n")


if __name__ == "__main__":
    main()
