"""Reference-solver data generation: ours (apebench_pde.etdrk) vs Exponax 0.1.0, side by side.

    python benchmarks/bench_datagen.py [--cases ks_1d burgers_2d ...] [--seconds 3] [--repeats 5]
    python benchmarks/bench_datagen.py --memory

Throughput: a jitted, vmapped lax.scan rollout of a batch of states (float32; ETDRK2, the
reference's default, for the nonlinear cases; the exact exponential, order 0, for the linear
one, as APEBench's linear scenarios use it), counted in sample-steps per second; the same
harness drives both solvers. ``--repeats``: every case is measured that often, ours and then
the reference each time, and the medians are printed (with the range of the ratios); the cpu
ratio compares sample-steps per CPU-second of each process, which other jobs on a shared
machine move far less than the wall-clock rates. Each case
also reports how far the two final states are apart (relative max difference after the timed
steps from the same initial batch) as a fidelity check.
``--memory``: peak resident memory (ru_maxrss of a fresh subprocess) of generating a default
2D train set, 50 samples x 51 snapshots at N = 160, for 2D Burgers.

The reference runs in its own virtual environment with exponax==0.1.0 and jax==0.10.2 (the
same jax as ours): benchmarks/.venvs/exponax if present, else benchmarks/.venvs/apebench
(APEBench 0.1.1, which pins the same two). The script re-runs itself there with --reference.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

VENVS = Path(__file__).parent / ".venvs"

# name: (D, L, N, dt, linear coefficients, nonlinear kind, scale, channels, batch)
# KS: u_t + u_xx + u_xxxx + 1/2 |grad u|^2 = 0; Burgers: u_t + 1/2 div(u (x) u) = nu lap u;
# advection: u_t = a_1 (1 . grad) u, normalized (L = dt = 1) with APEBench's difficulty
# gamma_1 = -4 of diff_adv, a_1 = gamma_1 / (N D).
CASES = {
    "ks_1d": dict(
        D=1, L=60.0, N=160, dt=0.5, linear=(0, 0, -1.0, 0, -1.0), kind="gradnorm", scale=-1.0, C=1, B=50
    ),
    "burgers_2d": dict(
        D=2, L=1.0, N=128, dt=0.01, linear=(0, 0, 3e-3), kind="convection", scale=-0.5, C=2, B=8
    ),
    "advection_3d": dict(
        D=3, L=1.0, N=32, dt=1.0, linear=(0, -4.0 / (32 * 3)), kind="linear", scale=0.0, C=1, B=8
    ),
    "burgers_3d": dict(
        D=3, L=1.0, N=32, dt=0.01, linear=(0, 0, 3e-3), kind="convection", scale=-0.5, C=3, B=8
    ),
    # the memory case: APEBench's default train set size in 2D
    "burgers_2d_160": dict(
        D=2, L=1.0, N=160, dt=0.01, linear=(0, 0, 3e-3), kind="convection", scale=-0.5, C=2, B=50
    ),
}
STEPS = 50


def order(case: dict) -> int:
    """ETDRK2 with a nonlinearity, the exact exponential (order 0) without."""
    return 0 if case["kind"] == "linear" else 2


def reference_python() -> Path:
    for name in ("exponax", "apebench"):
        if (VENVS / name / "bin" / "python").exists():
            return VENVS / name / "bin" / "python"
    raise SystemExit(
        "no reference venv: python -m venv benchmarks/.venvs/exponax && "
        "benchmarks/.venvs/exponax/bin/pip install exponax==0.1.0 jax==0.10.2"
    )


def build_ours(case: dict):
    from apebench_pde.etdrk import Convection, GeneralNonlinear, semi_linear_stepper

    grid = dict(num_spatial_dims=case["D"], domain_extent=case["L"], num_points=case["N"])
    if case["kind"] == "linear":
        nonlinear = None
    elif case["kind"] == "gradnorm":
        nonlinear = GeneralNonlinear((0.0, 0.0, case["scale"]), **grid)
    else:  # our signs are right-hand side: N = +b 1/2 div(u (x) u)
        nonlinear = Convection(case["scale"], conservative=True, **grid)
    return semi_linear_stepper(
        case["D"],
        case["L"],
        case["N"],
        case["dt"],
        num_channels=case["C"],
        linear_coefficients=case["linear"],
        nonlinear=nonlinear,
        order=order(case),
    )


def build_reference(case: dict):
    import exponax as ex

    args = (case["D"], case["L"], case["N"], case["dt"])
    if case["kind"] == "linear":  # order 0, the exact exponential
        return ex.stepper.generic.GeneralLinearStepper(*args, linear_coefficients=case["linear"])
    if case["kind"] == "gradnorm":
        return ex.stepper.generic.GeneralNonlinearStepper(
            *args,
            linear_coefficients=case["linear"],
            nonlinear_coefficients=(0.0, 0.0, case["scale"]),
            order=2,
        )
    # Exponax's convection term carries the left-hand-side sign: N = -b 1/2 div(u (x) u)
    return ex.stepper.generic.GeneralConvectionStepper(
        *args, linear_coefficients=case["linear"], convection_scale=-case["scale"], conservative=True, order=2
    )


def initial_batch(case: dict):
    """Smooth random fields (a few low modes), identical in both processes."""
    import numpy as np

    rng = np.random.default_rng(0)
    shape = (case["B"], case["C"]) + (case["N"],) * case["D"]
    x = np.arange(case["N"]) / case["N"]
    field = np.zeros(shape)
    for _ in range(4):
        phase = rng.uniform(0, 2 * np.pi, size=shape[:2] + (1,) * case["D"])
        modes = rng.integers(1, 4, size=case["D"])
        argument = sum(m * x.reshape((-1,) + (1,) * (case["D"] - 1 - d)) for d, m in enumerate(modes))
        field = field + np.sin(2 * np.pi * argument + phase) * rng.uniform(0.2, 0.5)
    return field.astype(np.float32)


def batched_rollout(stepper, num_steps: int):
    import jax

    def one(u0):
        return jax.lax.scan(lambda u, _: (stepper(u), u), u0, None, length=num_steps)

    return jax.jit(jax.vmap(lambda u0: one(u0)[0]))


def measure(build, case: dict, seconds: float) -> dict:
    import jax.numpy as jnp
    import numpy as np

    stepper = build(case)
    u0 = jnp.asarray(initial_batch(case))
    run = batched_rollout(stepper, STEPS)
    start = time.perf_counter()
    final = run(u0).block_until_ready()
    compile_seconds = time.perf_counter() - start
    calls, start, start_cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds or calls < 2:
        run(u0).block_until_ready()
        calls += 1
    elapsed, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
    return {
        "sample_steps_per_second": calls * STEPS * case["B"] / elapsed,
        "sample_steps_per_cpu_second": calls * STEPS * case["B"] / cpu_seconds,
        "compile_seconds": compile_seconds,
        "final": np.asarray(final).tolist(),
    }


def generate_train_set(build, case: dict, chunk_size: int = 0) -> float:
    """Generate B x (STEPS + 1) snapshots, all samples vmapped or (chunk_size > 0) in chunks
    via lax.map; returns seconds (memory is read by the parent)."""
    import jax
    import jax.numpy as jnp

    stepper = build(case)
    u0 = jnp.asarray(initial_batch(case))

    def trajectory(u):
        _, states = jax.lax.scan(lambda v, _: (stepper(v), v), u, None, length=STEPS + 1)
        return states

    if chunk_size:
        generate = jax.jit(lambda batch: jax.lax.map(trajectory, batch, batch_size=chunk_size))
    else:
        generate = jax.jit(jax.vmap(trajectory))
    start = time.perf_counter()
    generate(u0).block_until_ready()
    return time.perf_counter() - start


def child(argv: list[str], reference: bool) -> dict:
    python = str(reference_python()) if reference else sys.executable
    flags = ["--reference"] if reference else []
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    out = subprocess.run([python, __file__, *flags, *argv], capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--cases", nargs="+", default=["ks_1d", "burgers_2d", "advection_3d", "burgers_3d"], choices=CASES
    )
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="measure each case this often (ours, then the reference); medians",
    )
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--chunk-size", type=int, default=0, help="--memory: also ours in sample chunks")
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", choices=["speed", "memory"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    build = build_reference if args.reference else build_ours

    if args.worker == "speed":
        print(json.dumps({name: measure(build, CASES[name], args.seconds) for name in args.cases}))
        return
    if args.worker == "memory":
        seconds = generate_train_set(build, CASES["burgers_2d_160"], args.chunk_size)
        maxrss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"seconds": seconds, "maxrss_mib": maxrss_mib}))
        return

    import numpy as np

    if args.memory:
        case = CASES["burgers_2d_160"]
        output_mib = case["B"] * (STEPS + 1) * case["C"] * case["N"] ** 2 * 4 / 2**20
        print(
            f"peak RSS generating {case['B']} x {STEPS + 1} snapshots, 2D Burgers, N={case['N']}, "
            f"C={case['C']} (float32 output {output_mib:.0f} MiB)"
        )
        ours = child(["--worker", "memory"], reference=False)
        reference = child(["--worker", "memory"], reference=True)
        for label, r in (("ours", ours), ("exponax", reference)):
            print(f"  {label:8s} {r['maxrss_mib']:8.0f} MiB  {r['seconds']:6.1f} s (incl. compile)")
        print(
            f"  ratio ours/exponax: memory {ours['maxrss_mib'] / reference['maxrss_mib']:.2f}, "
            f"time {ours['seconds'] / reference['seconds']:.2f}"
        )
        if args.chunk_size:
            chunked = child(["--worker", "memory", "--chunk-size", str(args.chunk_size)], reference=False)
            print(
                f"  ours, lax.map in chunks of {args.chunk_size}: {chunked['maxrss_mib']:.0f} MiB "
                f"{chunked['seconds']:.1f} s (ratio to exponax: memory "
                f"{chunked['maxrss_mib'] / reference['maxrss_mib']:.2f}, "
                f"time {chunked['seconds'] / reference['seconds']:.2f})"
            )
        return

    print(
        f"{'case':12s} {'ours [sample-steps/s]':>22s} {'exponax':>10s} {'ratio':>6s} {'(min-max)':>11s} "
        f"{'cpu ratio':>9s} {'compile ours/ref [s]':>21s} {'rel. max diff':>14s}"
    )
    for name in args.cases:
        # each repeat measures ours and then the reference on this case only, so that a change
        # of the machine's load between the two measurements of a ratio stays short
        worker = ["--worker", "speed", "--seconds", str(args.seconds), "--cases", name]
        runs = [(child(worker, False)[name], child(worker, True)[name]) for _ in range(args.repeats)]
        ours_rates, reference_rates = ([run[i]["sample_steps_per_second"] for run in runs] for i in (0, 1))
        ratios = [o / r for o, r in zip(ours_rates, reference_rates, strict=True)]
        # per CPU-second of the process: hardly moved by other jobs taking the cores meanwhile
        cpu_ratios = [o["sample_steps_per_cpu_second"] / r["sample_steps_per_cpu_second"] for o, r in runs]
        o, r = runs[-1]
        a, b = np.asarray(o["final"]), np.asarray(r["final"])
        difference = np.max(np.abs(a - b)) / np.max(np.abs(b))
        print(
            f"{name:12s} {np.median(ours_rates):22.0f} {np.median(reference_rates):10.0f} "
            f"{np.median(ratios):6.2f} {f'({min(ratios):.2f}-{max(ratios):.2f})':>11s} "
            f"{np.median(cpu_ratios):9.2f} {o['compile_seconds']:10.1f}/{r['compile_seconds']:<10.1f} "
            f"{difference:14.1e}",
            flush=True,
        )


if __name__ == "__main__":
    main()
