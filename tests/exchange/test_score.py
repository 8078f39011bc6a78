"""Scoring rollouts made elsewhere: the experiment's numbers and table, clear shape errors."""

import equinox as eqx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import apebench_core as apebench
from apebench_core.cli import main
from apebench_core.experiment.evaluation import sample_rollouts
from apebench_core.experiment.exchange import ExchangeError
from apebench_core.experiment.external import export, score
from apebench_core.experiment.networks import init_networks, seed_keys
from apebench_core.experiment.pipeline import grid_of, make_task

from .conftest import TINY

FLAGS = [arg for name, value in TINY.items() for arg in (f"--{name}", str(value))]


def _test_data(**overrides):
    return np.asarray(apebench.plan("diff_adv", **TINY, **overrides).scene.get_test_data())


def test_reference_scores_zero_and_zeros_score_one():
    reference = _test_data()
    exact = score("diff_adv", reference[:, 1:], **TINY)
    assert np.all(exact.table.filter(like="mean_nRMSE_").to_numpy() == 0.0)
    zeros = score("diff_adv", np.zeros_like(reference[:, 1:]), **TINY)
    np.testing.assert_allclose(zeros.table.filter(like="mean_nRMSE_").to_numpy(), 1.0, rtol=1e-6)
    assert "initial state not included" in zeros.note


def test_initial_state_included_gives_the_same_numbers():
    rng = np.random.default_rng(0)
    rollout = _test_data() + 0.1 * rng.standard_normal(_test_data().shape).astype(np.float32)
    with_start = score("diff_adv", rollout, **TINY)
    without = score("diff_adv", rollout[:, 1:], **TINY)
    assert "initial state included" in with_start.note
    pd.testing.assert_frame_equal(with_start.table, without.table)


def test_seed_axis_gives_one_row_per_seed():
    reference = _test_data()[:, 1:]
    rollouts = np.stack([reference, np.zeros_like(reference), 2 * reference])
    result = score("diff_adv", rollouts, metrics="mean_nRMSE,mean_MSE", **TINY)
    table = result.table
    assert list(table["seed"]) == [0, 1, 2] and list(table["train"]) == ["external"] * 3
    np.testing.assert_allclose(table["mean_nRMSE_0001"], [0.0, 1.0, 1.0], rtol=1e-6)
    assert "mean_MSE_0004" in table.columns and "3 seeds" in result.note


@pytest.mark.parametrize("dims,num_seeds", [(1, 1), (1, 3), (2, 2)])
def test_perform_tests_and_perform_tests_on_rollout_agree_bit_for_bit(dims, num_seeds):
    experiment = apebench.plan(
        "diff_burgers",
        net="Conv;4;2;relu",
        num_spatial_dims=dims,
        report_metrics="mean_nRMSE,mean_MSE,mean_correlation,mean_fourier_nRMSE;0;4;0",
        **TINY,
    )
    scene = experiment.scene
    _, init_keys, _ = seed_keys(0, num_seeds)
    networks = init_networks(experiment.configs["net"], init_keys, **grid_of(scene))
    steppers = eqx.filter_vmap(make_task(experiment.configs["task"], scene))(networks)
    direct = scene.perform_tests(steppers)
    test_data = scene.get_test_data()
    rollout = sample_rollouts(steppers, test_data[:, 0], scene.test_temporal_horizon)
    for given in (rollout[:, :, 1:], rollout):  # without and with the initial state
        external = scene.perform_tests_on_rollout(given)
        assert list(external) == list(direct)
        for name in direct:
            assert np.array_equal(external[name], direct[name]), name


@pytest.mark.parametrize(
    "shape,words",
    [
        ((3, 4, 1, 16), ["samples 3 != 2", "(3, 4, 1, 16)"]),
        ((2, 4, 2, 16), ["channels 2 != 1"]),
        ((2, 7, 1, 16), ["time steps 7"]),
        ((2, 4, 1, 32), ["space (32,) != (16,)"]),
        ((4, 1, 16), ["3 axes"]),
    ],
)
def test_shape_mismatch_is_one_clear_error(shape, words):
    with pytest.raises(ExchangeError) as info:
        score("diff_adv", np.zeros(shape, np.float32), **TINY)
    message = str(info.value)
    assert "\n" not in message and "expected (samples=2, T=4 or 5" in message
    assert all(w in message for w in words), message


def test_cli_scores_exported_test_trajectories_and_writes_the_table(tmp_path):
    pytest.importorskip("h5py")
    export("diff_adv", split="test", format="hdf5", out=tmp_path / "test.hdf5", **TINY)
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "score",
            "diff_adv",
            "--rollouts",
            str(tmp_path / "test.hdf5"),
            "--out",
            str(tmp_path / "m.csv"),
            *FLAGS,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "initial state included" in result.output
    table = pd.read_csv(tmp_path / "m.csv")
    assert list(table.columns) == [
        *apebench.melt_metrics.__globals__["BASE_NAMES"],
        "time_step",
        "mean_nRMSE",
    ]
    assert (table["mean_nRMSE"] == 0).all() and list(table["time_step"]) == [1, 2, 3, 4]

    rollouts = np.stack([_test_data()[:, 1:], np.zeros((2, 4, 1, 16), np.float32)])
    np.save(tmp_path / "seeds.npy", rollouts)
    result = runner.invoke(main, ["score", "diff_adv", "--rollouts", str(tmp_path / "seeds.npy"), *FLAGS])
    assert result.exit_code == 0, result.output
    assert "median" in result.output and "max" in result.output


@pytest.mark.parametrize(
    "args,text",
    [
        (["--rollouts", "missing.npy"], "field 'rollouts': file 'missing.npy' does not exist"),
        (["--rollouts", "r.txt"], "unknown suffix '.txt'"),
        (["--rollouts", "bad.npy"], "channels 3 != 1"),
        (["--rollouts", "r.npy", "--metrics", "mean_nRMSEE"], "mean_nRMSEE"),
    ],
)
def test_cli_errors_are_one_line(tmp_path, monkeypatch, args, text):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.txt").write_text("x")
    np.save(tmp_path / "bad.npy", np.zeros((2, 4, 3, 16), np.float32))
    np.save(tmp_path / "r.npy", np.zeros((2, 4, 1, 16), np.float32))
    result = CliRunner().invoke(main, ["score", "diff_adv", *args, *FLAGS])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and text in lines[0], result.output


def test_cli_export_errors_are_one_line(tmp_path):
    for args, text in (
        (["--split", "valid"], "expected one of train, test, both"),
        (["--format", "csv"], "expected one of npz, hdf5"),
        (["--num-pointz", "16"], "num_pointz"),
    ):
        result = CliRunner().invoke(main, ["export", "diff_adv", "--out", str(tmp_path / "x"), *args])
        assert result.exit_code == 1 and result.output.count("\n") == 1 and text in result.output, (
            result.output
        )
