"""The same data as APEBench 0.1.1, guarded without APEBench installed.

tests/pde/data/apebench_reference.npz holds APEBench 0.1.1's train, test and coarse data of a
few tiny cases (written by ``benchmarks/bench_fidelity.py --fixture``, with the fields of each
case stored beside them): every IC family (fourier, clamp, grf, diffused, Gray-Scott blobs),
1D to 3D, a warm-up, overridden seeds, sizes, coefficients and ``ic_config`` strings, the
vorticity and order-0 conventions and the ``etdrk_real_coefficients`` reproduction.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import apebench_core as apebench

FIXTURE = Path(__file__).parent / "data" / "apebench_reference.npz"
SPLITS = {
    "train": "get_train_data",
    "test": "get_test_data",
    "train_coarse": "get_train_data_coarse",
    "test_coarse": "get_test_data_coarse",
}
#: float32 round-off, amplified a little by the steps; a different random draw differs by O(1).
TOLERANCE = 1e-4


def _load():
    with np.load(FIXTURE) as npz:
        spec = json.loads(str(npz["__spec__"]))
        arrays = {name: npz[name] for name in npz.files if name != "__spec__"}
    return spec, arrays


SPEC, ARRAYS = _load()


@pytest.mark.parametrize("case", sorted(SPEC))
def test_data_equal_apebench(case):
    key, fields = SPEC[case]["key"], SPEC[case]["fields"]
    fields = {name: tuple(v) if isinstance(v, list) else v for name, v in fields.items()}
    scenario = apebench.scenarios.scenario_dict[key](**fields)
    checked = 0
    for split, method in SPLITS.items():
        name = f"{case}/{split}"
        if name not in ARRAYS:
            continue
        reference = ARRAYS[name]
        ours = np.asarray(getattr(scenario, method)())
        assert ours.shape == reference.shape, split
        difference = np.max(np.abs(ours - reference)) / np.max(np.abs(reference))
        assert difference <= TOLERANCE, f"{split}: relative difference {difference:.2e}"
        checked += 1
    assert checked == 4


def test_exact_coefficients_differ_from_apebench_on_kdv():
    """The default keeps the exact ETDRK coefficients: KdV data differ from APEBench's
    first-order truncation by far more than round-off (the field reproduces it, above)."""
    case = "diff_kdv@1d_real"
    fields = {k: v for k, v in SPEC[case]["fields"].items() if k != "etdrk_real_coefficients"}
    scenario = apebench.scenarios.scenario_dict[SPEC[case]["key"]](**fields)
    reference = ARRAYS[f"{case}/train"]
    difference = np.max(np.abs(np.asarray(scenario.get_train_data()) - reference)) / np.max(np.abs(reference))
    assert difference > 100 * TOLERANCE


def test_ic_sets_are_the_first_snapshots_after_warm_up():
    scenario = apebench.scenarios.scenario_dict["diff_ks"](
        num_points=32, num_warmup_steps=5, num_train_samples=2, train_temporal_horizon=2
    )
    np.testing.assert_array_equal(scenario.get_train_data()[:, 0], scenario.get_train_ic_set())
    np.testing.assert_array_equal(scenario.get_train_data_coarse()[:, 0], scenario.get_train_ic_set_coarse())
    assert not np.allclose(scenario.get_train_ic_set(), scenario._ic_set(2, scenario.train_seed))
