"""The paper's suite under the quick protocol, here and in APEBench 0.1.1, side by side.

    python benchmarks/bench_suite.py [--ours PINS.json] [--only 1d_diff_adv 2d_diff_ks] [--out FILE.json]

Ours: ``apebench study --suite apebench_v1 --quick`` in a fresh process (timed, results in a
temporary folder), or the pins file of such a run with ``--ours``. APEBench: the same 46
configurations (the suite's fields plus the quick budget of ``apebench_core.study.suite``,
the same net, methodology and seeds) through ``apebench.run_experiment`` in its own virtual
environment (benchmarks/.venvs/apebench, ``pip install apebench==0.1.1 jax==0.10.2``; the
script re-runs itself there with ``--reference``). Each finished configuration is appended
to the ``--out`` JSON file, so an interrupted run resumes where it stopped.

Prints a markdown table: median nRMSE over the seeds at the protocol's horizons for both
packages and each configuration's wall time in APEBench, then the total wall times. The
data are identical (issue 16); the networks' initial weights are not (our own Conv draws
other weights), so the numbers agree in size, not in digits.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE_PYTHON = HERE / ".venvs" / "apebench" / "bin" / "python"


def run_reference(named: list[tuple[str, dict]], horizons: list[int], out: Path) -> None:
    """In APEBench's venv: one run_experiment per configuration, appended to ``out`` as it finishes."""
    import apebench

    done = json.loads(out.read_text()) if out.exists() else {}
    for name, config in named:
        if name in done:
            continue
        fields = dict(config)
        start = time.perf_counter()
        try:
            table, _ = apebench.run_experiment(**fields)
            medians = {str(t): float(table[f"mean_nRMSE_{t:04d}"].median()) for t in horizons}
            done[name] = {"medians": medians, "seconds": time.perf_counter() - start}
        except Exception as error:  # noqa: BLE001 - APEBench's failure is a result to report
            done[name] = {
                "error": f"{type(error).__name__}: {error}"[:300],
                "seconds": time.perf_counter() - start,
            }
        out.write_text(json.dumps(done, indent=1))
        print(name, done[name], flush=True)


def run_ours(folder: Path) -> tuple[dict, float]:
    """The quick suite in a fresh process; returns (pin document, wall seconds)."""
    pins = folder / "pins.json"
    command = [sys.executable, "-m", "apebench_core", "study", "--suite", "apebench_v1", "--quick"]
    command += ["--base-path", str(folder / "results"), "--write-pins", str(pins)]
    start = time.perf_counter()
    subprocess.run(command, check=True, env=dict(os.environ, APEBENCH_NO_PROGRESS="1"))
    return json.loads(pins.read_text()), time.perf_counter() - start


def _cell(values: list[float | None]) -> str:
    return " / ".join("—" if v is None else f"{v:.3g}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours", type=Path, help="pins file of an earlier quick run (else run it now)")
    parser.add_argument("--only", nargs="*", help="configuration names such as 1d_diff_adv")
    parser.add_argument("--out", type=Path, default=HERE / "suite_quick_apebench.json")
    parser.add_argument("--reference", nargs=2, metavar=("CONFIGS", "HORIZONS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:  # inside APEBench's venv
        named = json.loads(Path(args.reference[0]).read_text())
        for _, config in named:  # JSON lists back to the tuples APEBench's fields hold
            for key, value in config.items():
                if isinstance(value, list):
                    config[key] = ast.literal_eval(repr(value).replace("[", "(").replace("]", ")"))
        run_reference(named, json.loads(args.reference[1]), args.out)
        return

    from apebench_core.study.runner import plan_config
    from apebench_core.study.suite import PROTOCOLS, suite_configs

    protocol = PROTOCOLS["quick"]
    configs = suite_configs("apebench_v1", protocol="quick")
    named = [(plan_config(c).scene.get_scenario_name(), c) for c in configs]  # the names the pins use
    named = [(name, c) for name, c in named if not args.only or name in args.only]
    horizons = list(protocol.horizons)
    with tempfile.TemporaryDirectory() as tmp:
        if args.ours:
            ours, our_seconds = json.loads(args.ours.read_text()), float("nan")
        else:
            ours, our_seconds = run_ours(Path(tmp))
        listing = Path(tmp) / "configs.json"
        listing.write_text(json.dumps(named))
        start = time.perf_counter()
        subprocess.run(
            [
                str(REFERENCE_PYTHON),
                __file__,
                "--out",
                str(args.out),
                "--reference",
                str(listing),
                json.dumps(horizons),
            ],
            check=True,
            env=dict(os.environ, APEBENCH_NO_PROGRESS="1", TQDM_DISABLE="1"),
        )
        reference_seconds = time.perf_counter() - start
    reference = json.loads(args.out.read_text())
    steps = ", ".join(map(str, horizons))
    print(f"| configuration | ours nRMSE @ {steps} | APEBench nRMSE @ {steps} | APEBench s |")
    print("|---|---|---|---|")
    for name, _ in named:
        mine = ours["pins"].get(name, {})
        theirs = reference.get(name, {})
        cell = theirs.get("error") or _cell([theirs.get("medians", {}).get(str(t)) for t in horizons])
        seconds = f"{theirs['seconds']:.0f}" if "seconds" in theirs else "—"
        print(f"| {name} | {_cell([mine.get(str(t)) for t in horizons])} | {cell} | {seconds} |")
    total = sum(entry.get("seconds", 0.0) for entry in reference.values())
    print(
        f"\nwall: ours {our_seconds:.0f} s (one process); APEBench {total:.0f} s summed over configurations "
        f"({reference_seconds:.0f} s this invocation); load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
