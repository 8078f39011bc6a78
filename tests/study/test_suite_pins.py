"""The pinned numbers of the paper's suite under the quick protocol guard the benchmark.

The pins file was written by ``apebench study --suite apebench_v1 --quick --write-pins``; the
slow test reruns six configurations (1D to 3D, linear and nonlinear, one physical scenario
with warm-up) and fails on any change beyond float32 round-off grown over training.
"""

from pathlib import Path

import pytest

from apebench_core.study import run_study
from apebench_core.study.pins import compare_pins, read_pins, suite_table
from apebench_core.study.runner import plan_config
from apebench_core.study.store import read_raw
from apebench_core.study.suite import PROTOCOLS, suite_configs

PINS = Path(__file__).parent / "data" / "apebench_v1_quick.json"
RERUN = (
    "1d_diff_adv",
    "1d_diff_ks",
    "2d_diff_burgers",
    "2d_phy_decay_turb",
    "3d_diff_diff",
    "3d_phy_gs_theta",
)


def _name(config):
    return plan_config(config).scene.get_scenario_name()


def test_pins_cover_the_whole_suite_with_their_provenance():
    document = read_pins(PINS)
    configs = suite_configs("apebench_v1", protocol="quick")
    assert sorted(document["pins"]) == sorted(_name(c) for c in configs)
    assert document["horizons"] == list(PROTOCOLS["quick"].horizons)
    assert (document["net"], document["train"], document["num_seeds"]) == ("Conv;8;4;relu", "one", 2)
    assert document["budget"]["overrides"] == dict(PROTOCOLS["quick"].overrides)
    assert {"jax", "jaxlib", "equinox", "optax", "numpy", "apebench-core"} <= set(document["versions"])
    assert set(RERUN) <= set(document["pins"])


@pytest.mark.slow
def test_a_rerun_of_six_configurations_matches_the_pins(tmp_path):
    configs = [c for c in suite_configs("apebench_v1", protocol="quick") if _name(c) in RERUN]
    assert len(configs) == len(RERUN)
    raw_files, _ = run_study(configs, tmp_path, report=None)
    table = suite_table([read_raw(f) for f in raw_files], "mean_nRMSE", PROTOCOLS["quick"].horizons)
    assert compare_pins(table, read_pins(PINS)) == []
