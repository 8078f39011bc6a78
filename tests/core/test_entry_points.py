"""One experiment, four doors: ``scene(...)``, ``run_experiment``, ``apebench run`` and a study
worker plan the same Experiment and run it on the same path, so they give identical tables."""

import equinox as eqx
import jax
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import apebench_core as apebench
from apebench_core.cli import main
from apebench_core.experiment.results import write_run
from apebench_core.study import run_study
from apebench_core.study.store import read_raw

# A tiny diff_adv experiment; the overrides are written differently on each door on purpose.
OVERRIDES = dict(
    num_points=16,
    num_train_samples=4,
    train_temporal_horizon=5,
    num_test_samples=3,
    test_temporal_horizon=6,
    optim_config="adam;30;constant;1e-3",
    record_loss_every=10,
    batch_size=4,
    advection_gamma=-2,
    vlim=[-2, 2],
    report_metrics="mean_nRMSE,mean_MAE",
)
NET, TRAIN = "Conv;4;1;relu", "sup;2"
NUMERIC = r"^(mean_nRMSE|mean_MAE|train_loss)_\d+$"


class ZeroStepper(eqx.Module):
    """Predicts zero; ``scale`` only gives it a seed axis."""

    scale: jax.Array

    def __call__(self, u):
        return self.scale * u


@pytest.fixture(scope="module")
def by_scene():
    cls = apebench.scenarios.scenario_dict["diff_adv"]
    scene = cls(**{**OVERRIDES, "vlim": (-2.0, 2.0), "advection_gamma": -2.0})
    table, _ = scene(network_config=NET, train_config=TRAIN, num_seeds=2, progress=False)
    return table


def numbers(table: pd.DataFrame) -> np.ndarray:
    return table.filter(regex=NUMERIC).to_numpy(float)


def test_run_experiment_equals_the_seed_api(by_scene):
    table, _ = apebench.run_experiment(
        scenario="diff_adv", net=NET, train=TRAIN, num_seeds=2, progress=False, **OVERRIDES
    )
    assert table["scenario_kwargs"].iloc[0] == by_scene["scenario_kwargs"].iloc[0]
    assert table.filter(regex=NUMERIC).columns.tolist() == by_scene.filter(regex=NUMERIC).columns.tolist()
    np.testing.assert_array_equal(numbers(table), numbers(by_scene))
    for column in ("scenario", "task", "net", "train", "seed"):
        assert table[column].tolist() == by_scene[column].tolist()
    np.testing.assert_array_equal(table["sample_rollout_000"].iloc[1], by_scene["sample_rollout_000"].iloc[1])


def test_study_worker_equals_the_seed_api(by_scene, tmp_path):
    config = {"scenario": "diff_adv", "task": "predict", "net": NET, "train": TRAIN, "start_seed": 0}
    raw_files, _ = run_study([{**config, "num_seeds": 2, **OVERRIDES}], tmp_path, report=None)
    stored = read_raw(raw_files[0])
    assert stored["scenario_kwargs"].iloc[0] == by_scene["scenario_kwargs"].iloc[0]
    np.testing.assert_array_equal(numbers(stored), numbers(by_scene))


def test_cli_run_equals_the_seed_api(by_scene, tmp_path):
    """The README's first command, end to end, with the overrides as --FIELD VALUE text."""
    args = ["run", "diff_adv", "--net", NET, "--train", TRAIN, "--num-seeds", "2", "--out", str(tmp_path)]
    for name, value in OVERRIDES.items():
        text = ",".join(map(str, value)) if isinstance(value, list) else str(value)
        args += [f"--{name.replace('_', '-')}", text]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    # the printed tables follow report_metrics' order
    assert result.output.index("median mean_nRMSE") < result.output.index("median mean_MAE")
    metrics = pd.read_csv(tmp_path / "metrics.csv")
    assert metrics["scenario_kwargs"].iloc[0] == by_scene["scenario_kwargs"].iloc[0]
    expected = apebench.melt_metrics(by_scene, ["mean_nRMSE", "mean_MAE"])
    # CSV keeps float32's shortest repr, which reads back to the same float32
    np.testing.assert_array_equal(
        metrics[["mean_nRMSE", "mean_MAE"]].to_numpy(np.float32),
        expected[["mean_nRMSE", "mean_MAE"]].to_numpy(np.float32),
    )
    rollouts = np.load(tmp_path / "sample_rollouts.npy")
    assert rollouts.shape == (2, 1, 7, 1, 16)
    np.testing.assert_array_equal(rollouts[1, 0], by_scene["sample_rollout_000"].iloc[1])


def test_write_run_writes_what_it_says(by_scene, tmp_path):
    written = write_run(by_scene, tmp_path / "out")
    assert sorted(p.rsplit("/", 1)[1] for p in written) == [
        "metrics.csv",
        "sample_rollouts.npy",
        "train_loss.csv",
    ]
    loss = pd.read_csv(tmp_path / "out" / "train_loss.csv")
    assert sorted(loss["update_step"].unique()) == [0, 10, 20]
    np.testing.assert_array_equal(
        loss[loss["seed"] == 1].sort_values("update_step")["train_loss"].to_numpy(np.float32),
        by_scene.filter(like="train_loss_").iloc[1].to_numpy(np.float32),
    )
    metrics = pd.read_csv(tmp_path / "out" / "metrics.csv")
    assert list(metrics.columns[-2:]) == ["mean_nRMSE", "mean_MAE"]  # report order, not alphabetical


def test_get_experiment_name():
    name = apebench.get_experiment_name(
        scenario="diff_adv", task="predict", net=NET, train=TRAIN, start_seed=3, num_seeds=2, num_points=16
    )
    assert name == "diff_adv__num_points=16__predict__Conv;4;1;relu__sup;2__3-4"


def test_perform_tests_sample_trjs_and_parameter_count():
    scene = apebench.scenarios.scenario_dict["diff_adv"](**OVERRIDES | {"vlim": (-2.0, 2.0)})
    # Conv;4;1: two 3-tap convolutions 1->4->1 with biases
    assert scene.get_parameter_count(NET) == (1 * 4 * 3 + 4) + (4 * 1 * 3 + 1)
    # the reference solver as an ensemble of one seed (a leading seed axis on its arrays)
    exact = jax.tree_util.tree_map(lambda x: x[None] if eqx.is_array(x) else x, scene.get_ref_stepper())
    metrics = scene.perform_tests(exact)
    assert set(metrics) == {"mean_nRMSE", "mean_MAE"}
    np.testing.assert_allclose(metrics["mean_nRMSE"], 0.0, atol=1e-5)
    assert metrics["mean_nRMSE"].shape == (1, 6)
    zero = scene.perform_tests(ZeroStepper(np.zeros((2,), np.float32)))
    assert zero["mean_nRMSE"].shape == (2, 6)
    np.testing.assert_allclose(zero["mean_nRMSE"], 1.0, rtol=1e-5)
    samples = scene.sample_trjs(exact)
    assert samples.shape == (1, 1, 7, 1, 16)
    np.testing.assert_allclose(samples[0], scene.get_test_data()[:1], atol=1e-5)


def test_cli_errors_are_one_line_and_come_before_training(tmp_path, monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr("apebench_core.experiment.pipeline.run", no_training)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    cases = [
        (["run", "diff_adv", "--num-pionts", "16"], "did you mean 'num_points'"),
        (["run", "diff_adv", "--num-points", "sixteen"], "'num_points'"),
        (["run", "diff_adv", "--num-points", "16.5"], "whole number"),
        (["run", "diff_adv", "--dt", "0"], "unknown scenario field 'dt'"),
        (["run", "diff_adv", "--net", "Conv;0;1;relu"], "hidden_channels"),
        (["run", "diff_adv", "--train", "sup;99"], "num_rollout_steps"),
        (["run", "diff_adv", "--optim-config", "adam;-5;constant;1e-3"], "num_steps"),
        (["run", "diff_adv", "--start-seed", "-1"], "start_seed"),
        (["run", "diff_adv", "--out", str(blocker / "sub")], "not writable"),
        (["run", "no_such_scenario"], "unknown scenario"),
        (["plot", str(tmp_path / "study.json")], "not found"),
    ]
    (tmp_path / "study.json").write_text("{}")
    cases[-1] = (["plot", str(tmp_path / "study.json")], "expected a study's results folder")
    for args, fragment in cases:
        result = CliRunner().invoke(main, args)
        lines = result.output.strip().splitlines()
        assert result.exit_code == 1, (args, result.output)
        assert len(lines) == 1 and lines[0].startswith("error:") and fragment in lines[0], (
            args,
            result.output,
        )


def test_show_lists_scenario_fields_with_types_and_defaults():
    result = CliRunner().invoke(main, ["show", "diff_adv"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[3:] if line.startswith("    ")}
    assert "int >= 2" in lines["num_points"] and "default 160" in lines["num_points"]
    assert "float" in lines["advection_gamma"] and "default -4.0" in lines["advection_gamma"]
    assert "optimizer config" in lines["optim_config"]
