"""Physical-scenario reference steppers: ours (apebench_pde) vs Exponax 0.1.0, side by side.

    python benchmarks/bench_datagen_physical.py [--cases kolm_flow gray_scott] [--seconds 5]

Cases at the APEBench default sizes (2D, N = 160): Kolmogorov flow (phy_kolm_flow: dt 0.1 in
20 substeps, nu 1e-2, mode 4, drag -0.1) and Gray-Scott (phy_gs: dt 10 in 10 substeps,
F 0.04, k 0.06). Throughput: a jitted, vmapped lax.scan rollout of a batch of states
(float32), in sample-steps per second (one step = one scenario step with all its substeps).
The same initial batch goes to both; the fidelity column is the relative max difference of
the states after the first 5 steps. Both sides use APEBench's conventions (the Kolmogorov state is
minus the vorticity and the drag acts twice in 2D, see apebench_pde.etdrk.vorticity), so the
same fields and states go to both.

The reference runs in benchmarks/.venvs/apebench (APEBench 0.1.1 with exponax 0.1.0 and the
same jax 0.10.2); the script re-runs itself there with --reference.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from math import pi
from pathlib import Path

REFERENCE_PYTHON = Path(__file__).parent / ".venvs" / "apebench" / "bin" / "python"
N, BATCH, STEPS, CHECK_STEPS = 160, 4, 10, 5

CASES = {
    "kolm_flow": dict(L=2 * pi, dt=0.1, substeps=20, nu=1e-2, mode=4, scale=1.0, drag=-0.1),
    "gray_scott": dict(L=1.0, dt=10.0, substeps=10, F=0.04, k=0.06, d1=2e-5, d2=1e-5),
}


def time_stepper(stepper, u0, seconds: float) -> tuple[float, object]:
    """Sample-steps per second of a batched scan rollout, and the state after CHECK_STEPS steps."""
    import jax

    def run(u, num_steps):
        return jax.lax.scan(lambda v, _: (stepper(v), None), u, None, length=num_steps)[0]

    rollout = jax.jit(jax.vmap(lambda u: run(u, STEPS)))
    check = jax.jit(jax.vmap(lambda u: run(u, CHECK_STEPS)))(u0).block_until_ready()
    rollout(u0).block_until_ready()  # compile
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        rollout(u0).block_until_ready()
        calls += 1
    return calls * STEPS * u0.shape[0] / (time.perf_counter() - start), check


def ours(case: str):
    from apebench_pde.etdrk.reaction import gray_scott_stepper
    from apebench_pde.etdrk.vorticity import kolmogorov_forcing, vorticity_stepper

    c = CASES[case]
    if case == "kolm_flow":
        forcing = kolmogorov_forcing(c["L"], N, injection_mode=c["mode"], injection_scale=c["scale"])
        return vorticity_stepper(
            c["L"],
            N,
            c["dt"],
            diffusivity=c["nu"],
            drag=c["drag"],
            forcing=forcing,
            num_substeps=c["substeps"],
        )
    return gray_scott_stepper(
        2,
        c["L"],
        N,
        c["dt"],
        feed_rate=c["F"],
        kill_rate=c["k"],
        diffusivity_1=c["d1"],
        diffusivity_2=c["d2"],
        num_substeps=c["substeps"],
    )


def reference(case: str):
    import exponax as ex

    c = CASES[case]
    if case == "kolm_flow":
        inner = ex.stepper.KolmogorovFlowVorticity(
            2,
            c["L"],
            N,
            c["dt"] / c["substeps"],
            diffusivity=c["nu"],
            injection_mode=c["mode"],
            injection_scale=c["scale"],
            drag=c["drag"],
        )
    else:
        inner = ex.stepper.reaction.GrayScott(
            2,
            c["L"],
            N,
            c["dt"] / c["substeps"],
            feed_rate=c["F"],
            kill_rate=c["k"],
            diffusivity_1=c["d1"],
            diffusivity_2=c["d2"],
        )
    return ex.RepeatedStepper(inner, c["substeps"])


def initial_batch(case: str):
    import jax

    import apebench_core as apebench

    key = "phy_kolm_flow" if case == "kolm_flow" else "phy_gs"
    scene = apebench.build("scenario", key, num_points=N)
    generator = scene.get_ic_generator()
    batch = jax.vmap(lambda k: generator(key=k))(jax.random.split(jax.random.PRNGKey(0), BATCH))
    return 5.0 * batch if case == "kolm_flow" else batch  # vorticity of order the forced state's


def run_reference(args) -> None:
    import jax.numpy as jnp
    import numpy as np

    results = {}
    for case in args.cases:
        u0 = jnp.asarray(np.load(Path(args.reference) / f"{case}_u0.npy"))
        rate, check = time_stepper(reference(case), u0, args.seconds)
        np.save(Path(args.reference) / f"{case}_check.npy", np.asarray(check))
        results[case] = rate
    print(json.dumps(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--reference", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        return run_reference(args)

    import jax
    import numpy as np

    with tempfile.TemporaryDirectory() as tmp:
        rows = {}
        for case in args.cases:
            u0 = initial_batch(case)
            np.save(Path(tmp) / f"{case}_u0.npy", np.asarray(u0))
            rows[case] = time_stepper(ours(case), u0, args.seconds)
        command = [
            str(REFERENCE_PYTHON),
            __file__,
            "--reference",
            tmp,
            "--seconds",
            str(args.seconds),
            "--cases",
        ]
        output = subprocess.run(command + args.cases, capture_output=True, text=True, check=True).stdout
        reference_rates = json.loads(output.strip().splitlines()[-1])
        print(f"jax {jax.__version__}, {jax.devices()[0].platform}, N = {N}, batch {BATCH}, float32")
        print(f"{'case':<12} {'ours [steps/s]':>15} {'exponax [steps/s]':>18} {'ratio':>7} {'rel. diff':>10}")
        for case in args.cases:
            rate, check = rows[case]
            theirs = np.load(Path(tmp) / f"{case}_check.npy")
            difference = np.abs(np.asarray(check) - theirs).max() / np.abs(theirs).max()
            ratio = rate / reference_rates[case]
            print(
                f"{case:<12} {rate:>15.1f} {reference_rates[case]:>18.1f} {ratio:>6.2f}x {difference:>10.1e}"
            )


if __name__ == "__main__":
    sys.exit(main())
