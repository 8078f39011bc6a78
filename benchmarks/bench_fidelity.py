"""Same data as APEBench 0.1.1? Every scenario key, every dimension, side by side.

    python benchmarks/bench_fidelity.py [--keys diff_adv phy_gs] [--dims 1 2] [--points 32 16 8]
                                        [--fixture tests/pde/data/apebench_reference.npz]

For every key of APEBench's ``scenario_dict`` and every dimension 1, 2, 3 the script builds
the scenario in APEBench 0.1.1 (its own virtual environment, benchmarks/.venvs/apebench with
``pip install apebench==0.1.1 jax==0.10.2``; the script re-runs itself there with
``--reference``) and here, with the same overridden fields: small grids (``--points`` per
dimension), 2 train and 2 test samples, horizons 3 (equal shapes: one compilation serves
all four splits), seeds 5 and 11, and the key's own
defaults otherwise (warm-up included). It prints the maximum relative difference
max|ours - APEBench| / max|APEBench| of the train data, the test data and the coarse train
and test data per key and dimension, and the count of cases that agree (all four below
``--tolerance``). Keys where APEBench raises or produces NaN are listed with its error.

The KdV-family keys (complex linear operator with a nonlinearity) are run twice: with our
default exact ETDRK coefficients, and with ``etdrk_real_coefficients=True``, which
reproduces APEBench's truncation of the coefficients to their real part.

``--fixture PATH`` instead runs the few tiny cases of ``FIXTURE_CASES`` (every IC family,
a warm-up, overridden seeds, sizes, coefficients and ``ic_config`` strings, 1D to 3D) and
stores APEBench's arrays with the cases' fields as the npz fixture that
tests/pde/test_fidelity.py checks in the fast suite without APEBench installed.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REFERENCE_PYTHON = HERE / ".venvs" / "apebench" / "bin" / "python"
SPLITS = ("train", "test", "train_coarse", "test_coarse")
#: Keys whose linear operator is complex (odd derivative orders) and which have a nonlinearity:
#: APEBench's real-part ETDRK coefficients are first order there.
REAL_COEFFICIENT_KEYS = ("diff_kdv", "norm_kdv", "phy_kdv")


_TINY = dict(num_train_samples=2, train_temporal_horizon=3, num_test_samples=2, test_temporal_horizon=2)
#: The cases of the stored fixture (tests/pde/data/apebench_reference.npz): name -> (key, fields).
FIXTURE_CASES = {
    "diff_adv@1d": ("diff_adv", dict(num_points=24, train_seed=3, test_seed=4, **_TINY)),
    "diff_burgers@2d": ("diff_burgers", dict(num_spatial_dims=2, num_points=12, **_TINY)),
    "diff_ks@1d": ("diff_ks", dict(num_points=32, num_warmup_steps=20, **_TINY)),
    "diff_kdv@1d_real": ("diff_kdv", dict(num_points=32, etdrk_real_coefficients=True, **_TINY)),
    "norm_fisher@2d": ("norm_fisher", dict(num_spatial_dims=2, num_points=12, **_TINY)),
    "norm_diff@3d": (
        "norm_diff",
        dict(num_spatial_dims=3, num_points=8, ic_config="grf;2.5;false;true", diffusion_alpha=2e-3, **_TINY),
    ),
    "phy_gs@2d": ("phy_gs", dict(num_spatial_dims=2, num_points=12, **_TINY)),
    "phy_kolm_flow@2d": (
        "phy_kolm_flow",
        dict(num_spatial_dims=2, num_points=12, num_warmup_steps=2, **_TINY),
    ),
    "phy_adv@1d_diffused": ("phy_adv", dict(num_points=24, ic_config="diffused;0.002;true;true", **_TINY)),
}


def overrides(dims: int, points: dict[int, int]) -> dict:
    return dict(
        num_spatial_dims=dims,
        num_points=points[dims],
        num_train_samples=2,
        train_temporal_horizon=3,
        num_test_samples=2,
        test_temporal_horizon=3,
        train_seed=5,
        test_seed=11,
    )


def produce(scenario) -> dict[str, np.ndarray]:
    data = {
        "train": scenario.get_train_data(),
        "test": scenario.get_test_data(),
    }
    try:
        data["train_coarse"] = scenario.get_train_data_coarse()
        data["test_coarse"] = scenario.get_test_data_coarse()
    except (NotImplementedError, AttributeError):  # phy_poisson has no coarse stepper
        pass
    return {k: np.asarray(v, dtype=np.float32) for k, v in data.items()}


def run_side(module_name: str, cases: list, extra: dict | None = None) -> dict:
    """Data per case name; an error string where construction or generation fails."""
    import jax

    scenario_dict = importlib.import_module(f"{module_name}.scenarios").scenario_dict
    results: dict = {}
    for name, (key, kwargs) in cases:
        try:
            scenario = scenario_dict[key](**kwargs, **(extra or {}).get(name, {}))
            results[name] = produce(scenario)
            jax.clear_caches()  # compiled programs of many cases exhaust the memory otherwise
        except Exception as error:  # report, do not stop the table
            message = f"{type(error).__name__}: {error}".splitlines()[0][:160]
            results[name] = message
            if "--debug" in sys.argv:
                traceback.print_exc()
    return results


def case_list(keys, dims_list, points, fields=None) -> list[tuple[str, tuple[str, dict]]]:
    return [(f"{key}@{d}d", (key, overrides(d, points) | (fields or {}))) for key in keys for d in dims_list]


def parse_fields(assignments: list[str]) -> dict:
    """``FIELD=VALUE`` pairs; VALUE as JSON where it parses (numbers, booleans, lists), else a string."""
    fields = {}
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        try:
            fields[name] = json.loads(value)
        except json.JSONDecodeError:
            fields[name] = value
    return fields


def reference_main(spec_path: str, out_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    results = run_side("apebench", [(n, (k, kw)) for n, (k, kw) in spec["cases"]], spec.get("extra"))
    arrays, errors = {}, {}
    for name, value in results.items():
        if isinstance(value, str):
            errors[name] = value
            continue
        for split, array in value.items():
            arrays[f"{name}/{split}"] = array
    np.savez(out_path, **arrays)
    Path(out_path + ".errors.json").write_text(json.dumps(errors))


def reference_keys() -> list[str]:
    code = "import apebench.scenarios as s, json; print(json.dumps(list(s.scenario_dict)))"
    out = subprocess.run([str(REFERENCE_PYTHON), "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def load_reference(cases, extra: dict | None = None) -> tuple[dict, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        spec, out = Path(tmp) / "spec.json", Path(tmp) / "ref.npz"
        spec.write_text(json.dumps({"cases": cases, "extra": extra or {}}))
        subprocess.run(
            [str(REFERENCE_PYTHON), __file__, "--reference", str(spec), str(out)],
            check=True,
            env={"JAX_PLATFORMS": "cpu", "PATH": "/usr/bin:/bin"},
        )
        errors = json.loads(Path(str(out) + ".errors.json").read_text())
        with np.load(out) as npz:
            arrays: dict = {}
            for name in npz.files:
                case, split = name.split("/")
                arrays.setdefault(case, {})[split] = npz[name]
    return arrays, errors


def relative_difference(ours: np.ndarray, reference: np.ndarray) -> float:
    if ours.shape != reference.shape:
        return float("inf")
    scale = float(np.max(np.abs(reference))) or 1.0
    return float(np.max(np.abs(ours.astype(np.float64) - reference))) / scale


def compare(reference: dict, ours: dict, tolerance: float) -> tuple[list[str], int, int]:
    lines, agree, total = [], 0, 0
    header = f"| case | {' | '.join(SPLITS)} | agree |"
    lines += [header, "|" + "---|" * (len(SPLITS) + 2)]
    for name in ours:
        ref, mine = reference.get(name), ours[name]
        if isinstance(ref, str):
            lines.append(f"| {name} | APEBench fails: {ref} |")
            continue
        if any(np.isnan(a).any() for a in ref.values()):
            nan_splits = ",".join(s for s, a in ref.items() if np.isnan(a).any())
            lines.append(f"| {name} | APEBench produces NaN ({nan_splits}) |")
            continue
        total += 1
        if isinstance(mine, str):
            lines.append(f"| {name} | ours fails: {mine} |")
            continue
        cells, ok = [], True
        for split in SPLITS:
            if split not in ref and split not in mine:
                cells.append("n/a")
                continue
            if split not in ref or split not in mine:
                cells.append("missing")
                ok = False
                continue
            diff = relative_difference(mine[split], ref[split])
            ok &= diff <= tolerance
            cells.append(f"{diff:.1e}")
        agree += ok
        lines.append(f"| {name} | {' | '.join(cells)} | {'yes' if ok else 'NO'} |")
    return lines, agree, total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keys", nargs="*")
    parser.add_argument("--dims", nargs="*", type=int, default=[1, 2, 3])
    parser.add_argument("--points", nargs=3, type=int, default=[32, 16, 8], metavar=("N1", "N2", "N3"))
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--fixture", help="run FIXTURE_CASES and store APEBench's arrays in this npz")
    parser.add_argument("--set", nargs="*", default=[], metavar="FIELD=VALUE", help="more overridden fields")
    parser.add_argument("--chunk", type=int, default=4, help="keys per reference process")
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    if not REFERENCE_PYTHON.exists():
        sys.exit(
            f"missing {REFERENCE_PYTHON}: python -m venv benchmarks/.venvs/apebench && "
            "benchmarks/.venvs/apebench/bin/pip install apebench==0.1.1 jax==0.10.2"
        )
    if args.fixture:
        return write_fixture(Path(args.fixture), args.tolerance)
    keys = args.keys or reference_keys()
    points = dict(zip((1, 2, 3), args.points, strict=True))
    print(f"| case | {' | '.join(SPLITS)} | agree |\n|" + "---|" * (len(SPLITS) + 2), flush=True)
    agree = total = 0
    # A few keys at a time, the reference in a fresh process each time: XLA's compiled
    # programs of 180 cases do not fit in memory in one process.
    for start in range(0, len(keys), args.chunk):
        cases = case_list(keys[start : start + args.chunk], args.dims, points, parse_fields(args.set))
        reference, errors = load_reference(cases)
        reference.update(errors)
        ours = run_side("apebench_core", cases)
        real_cases = [(n + " real_coef", c) for n, c in cases if c[0] in REAL_COEFFICIENT_KEYS]
        if real_cases:
            extra = {n: {"etdrk_real_coefficients": True} for n, _ in real_cases}
            ours.update(run_side("apebench_core", real_cases, extra))
            for n, _ in real_cases:
                reference[n] = reference.get(n.removesuffix(" real_coef"))
        lines, chunk_agree, chunk_total = compare(reference, ours, args.tolerance)
        print("\n".join(lines[2:]), flush=True)
        agree, total = agree + chunk_agree, total + chunk_total
    print(f"\n{agree} of {total} cases agree (relative difference <= {args.tolerance:g} in every split)")


def write_fixture(path: Path, tolerance: float) -> None:
    """APEBench's data of FIXTURE_CASES (its ``etdrk_real_coefficients`` field is ours only)."""
    ours_only = {"etdrk_real_coefficients"}
    cases = [
        (n, (k, {f: v for f, v in kw.items() if f not in ours_only})) for n, (k, kw) in FIXTURE_CASES.items()
    ]
    reference, errors = load_reference(cases)
    if errors:
        sys.exit(f"APEBench failed on fixture cases: {errors}")
    ours = run_side("apebench_core", list(FIXTURE_CASES.items()))
    lines, agree, total = compare(reference, ours, tolerance)
    print("\n".join(lines))
    print(f"\n{agree} of {total} fixture cases agree")
    arrays = {f"{name}/{split}": a for name, data in reference.items() for split, a in data.items()}
    spec = {name: {"key": key, "fields": kw} for name, (key, kw) in FIXTURE_CASES.items()}
    np.savez_compressed(path, __spec__=np.array(json.dumps(spec)), **arrays)
    print(f"stored {len(arrays)} arrays of {len(spec)} cases in {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--reference":
        reference_main(sys.argv[2], sys.argv[3])
    else:
        main()
