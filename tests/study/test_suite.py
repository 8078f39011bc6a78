"""Suites under a protocol (`apebench study --suite NAME [--quick]`) and pinned numbers."""

import json
import math

import pandas as pd
import pytest
from click.testing import CliRunner

from apebench_core import ComponentSpec, ConfigError, hookimpl
from apebench_core.cli import main
from apebench_core.study import plan_study
from apebench_core.study.pins import compare_pins, pin_document, read_pins, suite_table, write_pins
from apebench_core.study.suite import PROTOCOLS, suite_configs
from apebench_core.testing import registered_plugin


def test_quick_protocol_shrinks_every_paper_configuration_and_all_of_them_plan(tmp_path):
    quick = suite_configs("apebench_v1", protocol="quick")
    assert len(quick) == 46
    assert {(c["net"], c["train"]) for c in quick} == {("Conv;8;4;relu", "one")}
    budget = PROTOCOLS["quick"]
    for config in quick:
        assert {key: config[key] for key in budget.overrides} == budget.overrides
        assert config["num_seeds"] == 2
        dims = config.get("num_spatial_dims", 1)
        assert config.get("num_points", 160) == {1: 160, 2: 32, 3: 16}[dims]
    unbal = [c for c in quick if c["scenario"] == "phy_unbal_adv" and c["num_spatial_dims"] == 2]
    assert unbal[0]["advection_coef_vector"] == (0.01, -0.04)  # the suite's physics survives the budget
    plan_study(quick, tmp_path / "results", lambda message: None)  # every configuration is valid


def test_full_protocol_is_the_suite_as_registered():
    full = suite_configs("apebench_v1", net="FNO;12;8;4;gelu", train="sup;5", num_seeds=7)
    three_d = [c for c in full if c.get("num_spatial_dims") == 3]
    assert {(c["num_points"], c["num_test_samples"]) for c in three_d} == {(32, 10)}
    assert {c["num_seeds"] for c in full} == {7}
    assert all("optim_config" not in c for c in full)


def test_unknown_protocol_and_suite_are_named():
    with pytest.raises(ConfigError, match="protocol 'fast' is unknown; expected one of full, quick"):
        suite_configs("apebench_v1", net="Conv;26;10;relu", train="one", protocol="fast")
    with pytest.raises(ValueError, match="apebench_v2"):
        suite_configs("apebench_v2", net="Conv;26;10;relu", train="one")


def _wide(scenario, values_by_seed):
    rows = [
        {"scenario": scenario, **{f"mean_nRMSE_{t:04d}": v for t, v in values.items()}}
        for values in values_by_seed
    ]
    return pd.DataFrame(rows)


def test_suite_table_is_the_median_over_seeds_and_pins_catch_changes(tmp_path):
    tables = [
        _wide("1d_diff_adv", [{1: 0.1, 2: 0.3}, {1: 0.3, 2: 0.5}, {1: 0.2, 2: 0.4}]),
        _wide("2d_diff_ks", [{1: 1.0, 2: float("nan")}, {1: 3.0, 2: float("nan")}]),
    ]
    table = suite_table(tables, "mean_nRMSE", (1, 2))
    assert table.loc["1d_diff_adv"].tolist() == [0.2, 0.4]
    assert table.loc["2d_diff_ks", 1] == 2.0 and math.isnan(table.loc["2d_diff_ks", 2])

    path = write_pins(
        tmp_path / "pins" / "quick.json", pin_document(table, metric="mean_nRMSE", about={"suite": "s"})
    )
    document = read_pins(path)
    assert document["suite"] == "s" and document["horizons"] == [1, 2]
    assert {"jax", "equinox", "apebench-core", "python"} <= set(document["versions"])
    assert compare_pins(table, document) == []  # NaN (a diverged scenario) matches NaN

    nudged = table.copy()
    nudged.loc["1d_diff_adv", 2] *= 1 + 1e-6  # round-off: accepted
    assert compare_pins(nudged, document) == []
    nudged.loc["1d_diff_adv", 1] *= 1.01  # a real change: caught and named
    assert compare_pins(nudged, document) == ["1d_diff_adv step 1: 0.202, pinned 0.2"]
    nudged.loc["3d_new"] = [1.0, 1.0]
    assert compare_pins(nudged, document)[-1] == "3d_new: no pinned numbers"


def test_broken_pins_files_are_rejected(tmp_path):
    with pytest.raises(ConfigError, match="cannot be read"):
        read_pins(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text(json.dumps({"metric": "mean_nRMSE"}))
    with pytest.raises(ConfigError, match="lacks horizons, pins"):
        read_pins(tmp_path / "bad.json")
    with pytest.raises(ConfigError, match="lack mean_nRMSE_0050"):
        suite_table([_wide("1d_x", [{1: 0.1}])], "mean_nRMSE", (1, 50))


class ToySuite:
    """A two-entry suite on the toy scenario: the whole CLI path in seconds."""

    @hookimpl
    def apebench_suites(self):
        entries = [{"scenario": "toy_adv"}, {"scenario": "toy_adv", "num_points": 24}]
        return [ComponentSpec(kind="suite", name="toy_suite", factory=lambda: entries, summary="two toys")]


def _study(*args):
    return CliRunner().invoke(main, ["study", "--suite", "toy_suite", *args], catch_exceptions=False)


def test_cli_runs_a_suite_writes_pins_and_checks_them(tmp_path, toy, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with registered_plugin(ToySuite(), "toy_suite"):
        quick = ("--quick", "--net", "ToyStencil;0.1")
        result = _study(*quick, "--write-pins", "pins.json")
        assert result.exit_code == 0, result.output
        assert "suite toy_suite, protocol quick" in result.output
        assert "4 training trajectories of 10 steps" in result.output  # the protocol's summary, up front
        assert (tmp_path / "results" / "toy_suite-quick" / "raw").is_dir()
        pins = json.loads((tmp_path / "pins.json").read_text())
        assert len(pins["pins"]) == 2  # one scenario name, two experiments: told apart by their overrides
        assert pins["protocol"] == "quick" and pins["num_seeds"] == 2 and pins["horizons"] == [1, 5, 20]

        result = _study(*quick, "--check-pins", "pins.json")
        assert result.exit_code == 0 and "numbers match pins.json" in result.output

        result = _study(*quick, "--num-seeds", "3", "--check-pins", "pins.json")
        assert result.exit_code == 1
        assert "field 'num_seeds' is 2 there but 3 in this run" in result.stderr

        scenario = next(iter(pins["pins"]))
        pins["pins"][scenario]["5"] *= 1.5
        (tmp_path / "tampered.json").write_text(json.dumps(pins))
        result = _study(*quick, "--check-pins", "tampered.json")
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("error: 1 numbers differ from tampered.json: ")
        assert f"{scenario} step 5" in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--suite", "nope"), "nope"),
        (("--quick",), "error: --quick goes only with --suite NAME"),
        (("--quick", "--num-seeds", "2"), "error: --quick, --num-seeds go only with --suite NAME"),
        (("--suite", "apebench_v1", "study.toml"), "error: give a STUDY file or --suite, not both"),
        (("--suite", "apebench_v1", "--check-pins", "absent.json"), "pins file absent.json: cannot be read"),
        (("--suite", "apebench_v1", "--net", "Conv;26;x;relu"), "Conv;26;x;relu"),
    ],
)
def test_cli_suite_mistakes_fail_before_anything_trains(tmp_path, monkeypatch, args, fragment):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["study", *args])
    assert result.exit_code != 0
    assert fragment in result.output + result.stderr
    assert not (tmp_path / "results" / "apebench_v1-full" / "raw").exists()
