"""Training speed and quality, side by side with APEBench 0.1.1 on the same machine.

    python benchmarks/bench_training.py [--short 200 --long 600] [--quality-steps 2000]

Seconds per update step are measured by difference of two run lengths (``--short`` and
``--long`` update steps, each in a fresh process), so compilation, data generation and
evaluation cancel. Both sides train 2 seeds of ``diff_adv`` (1D advection, defaults of the
inventory) with the same nets and methodologies. APEBench runs in its own virtual
environment (created on first use under benchmarks/.venvs/apebench with
``pip install apebench==0.1.1 jax==0.10.2``). With ``--quality-steps N`` both sides also train
N steps with the default warmup-cosine schedule and report the median nRMSE over seeds at
steps 1, 10, 100 and 200 of the test rollout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
APEBENCH_PYTHON = HERE / ".venvs" / "apebench" / "bin" / "python"
NETS = ["Conv;26;10;relu", "FNO;12;8;4;gelu", "Res;26;8;relu"]
TRAINS = ["one", "sup;5"]

WORKER = textwrap.dedent(
    """
    import json, sys, time
    side, net, train, steps, schedule = sys.argv[1:6]
    optim = f"adam;{steps};{schedule}"
    if side == "ours":
        import apebench_core as apebench
        scene = apebench.scenarios.difficulty.Advection(optim_config=optim)
        kwargs = dict(progress=False)
    else:
        import apebench
        scene = apebench.scenarios.difficulty.Advection(optim_config=optim)
        kwargs = {}
    start = time.perf_counter()
    table, _ = scene(task_config="predict", network_config=net, train_config=train, num_seeds=2, **kwargs)
    seconds = time.perf_counter() - start
    nrmse = {t: float(table[f"mean_nRMSE_{t:04d}"].median()) for t in (1, 10, 100, 200)}
    print(json.dumps({"seconds": seconds, "nrmse": nrmse}))
    """
)


def ensure_apebench_venv() -> None:
    if APEBENCH_PYTHON.exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(APEBENCH_PYTHON.parent.parent)], check=True)
    subprocess.run(
        [str(APEBENCH_PYTHON), "-m", "pip", "install", "-q", "apebench==0.1.1", "jax==0.10.2", "jaxlib==0.10.2"],
        check=True,
    )


def run(side: str, net: str, train: str, steps: int, schedule: str) -> dict:
    python = sys.executable if side == "ours" else str(APEBENCH_PYTHON)
    env = dict(os.environ, APEBENCH_NO_PROGRESS="1", TQDM_DISABLE="1")
    out = subprocess.run(
        [python, "-c", WORKER, side, net, train, str(steps), schedule],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", type=int, default=200)
    parser.add_argument("--long", type=int, default=600)
    parser.add_argument("--quality-steps", type=int, default=0)
    parser.add_argument("--nets", nargs="*", default=NETS)
    parser.add_argument("--trains", nargs="*", default=TRAINS)
    args = parser.parse_args()
    ensure_apebench_venv()
    constant = "constant;1e-3"
    print(f"seconds per update step (2 seeds, diff_adv), difference of {args.long} and {args.short} steps")
    print(f"{'net':<18} {'train':<6} {'APEBench ms':>12} {'ours ms':>9} {'speed-up':>9}")
    for net in args.nets:
        for train in args.trains:
            per_step = {}
            for side in ("apebench", "ours"):
                short = run(side, net, train, args.short, constant)["seconds"]
                long = run(side, net, train, args.long, constant)["seconds"]
                per_step[side] = (long - short) / (args.long - args.short)
            ratio = per_step["apebench"] / per_step["ours"]
            print(
                f"{net:<18} {train:<6} {1e3 * per_step['apebench']:>12.2f} {1e3 * per_step['ours']:>9.2f} "
                f"{ratio:>8.1f}x",
                flush=True,
            )
    if args.quality_steps:
        schedule = f"warmup_cosine;0.0;1e-3;{args.quality_steps // 5}"
        print(f"\nmedian nRMSE over 2 seeds after {args.quality_steps} steps (warmup-cosine)")
        for net in args.nets:
            for train in args.trains:
                for side in ("apebench", "ours"):
                    nrmse = run(side, net, train, args.quality_steps, schedule)["nrmse"]
                    cells = "  ".join(f"t={t}: {v:.4f}" for t, v in nrmse.items())
                    print(f"{net:<18} {train:<6} {side:<9} {cells}", flush=True)


if __name__ == "__main__":
    main()
