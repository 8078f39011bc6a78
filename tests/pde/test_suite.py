"""The paper's suite apebench_v1: listed, 46 entries (10 / 19 / 17 per dimension), every entry
builds its scenario, and suite_configs gives complete experiment configurations."""

import subprocess
import sys
from collections import Counter

import pytest

import apebench_core as apebench
from apebench_core.study.suite import suite_configs

SUITE = apebench.build("suite", "apebench_v1")


def test_suite_is_listed():
    assert [spec.name for spec in apebench.list_components("suite")] == ["apebench_v1"]
    listing = subprocess.run(
        [sys.executable, "-m", "apebench_core", "list", "suites"], capture_output=True, text=True, check=True
    ).stdout
    assert "apebench_v1" in listing


def test_counts_per_dimension():
    assert len(SUITE) == 46
    assert Counter(entry.get("num_spatial_dims", 1) for entry in SUITE) == {1: 10, 2: 19, 3: 17}
    three_d = [entry for entry in SUITE if entry.get("num_spatial_dims") == 3]
    assert all(entry["num_points"] == 32 and entry["num_test_samples"] == 10 for entry in three_d)
    assert len({tuple(sorted(map(str, entry.items()))) for entry in SUITE}) == 46  # no duplicates


@pytest.mark.parametrize(
    "entry", SUITE, ids=[f"{e['scenario']}-{e.get('num_spatial_dims', 1)}d" for e in SUITE]
)
def test_every_entry_builds(entry):
    overrides = {k: v for k, v in entry.items() if k != "scenario"}
    scene = apebench.build("scenario", entry["scenario"], **overrides)
    assert scene.num_spatial_dims == entry.get("num_spatial_dims", 1)
    assert scene.get_scenario_name().startswith(f"{scene.num_spatial_dims}d_")


def test_suite_configs_are_experiment_configurations():
    configs = suite_configs("apebench_v1", net="Conv;26;10;relu", train="one", num_seeds=3, start_seed=5)
    assert len(configs) == 46
    required = {"scenario", "task", "net", "train", "start_seed", "num_seeds"}
    assert all(required <= set(config) for config in configs)
    assert {config["task"] for config in configs} == {"predict"}
    assert {(config["start_seed"], config["num_seeds"]) for config in configs} == {(5, 3)}
    unbal_2d = [c for c in configs if c["scenario"] == "phy_unbal_adv" and c["num_spatial_dims"] == 2]
    assert unbal_2d[0]["advection_coef_vector"] == (0.01, -0.04)
