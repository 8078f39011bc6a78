"""Files as scenarios: ``file:PATH`` / ``dataset`` reads back exactly what was exported, and
trains and evaluates like the scenario it came from."""

import numpy as np
import pandas as pd
import pytest

import apebench_core as apebench
from apebench_core.experiment.exchange import ExchangeError
from apebench_core.experiment.external import export

from .test_export import FAMILY_CASES

h5py = pytest.importorskip("h5py")


@pytest.mark.parametrize("scenario,dims", FAMILY_CASES)
def test_export_then_import_is_bit_identical(tmp_path, tiny, scenario, dims):
    original = apebench.plan(scenario, num_spatial_dims=dims, **tiny).scene
    for fmt in ("hdf5", "npz"):
        train_file, _ = export(
            scenario, split="both", format=fmt, out=tmp_path / fmt, num_spatial_dims=dims, **tiny
        )
        imported = apebench.plan(f"file:{train_file}").scene
        assert np.array_equal(np.asarray(imported.get_train_data()), np.asarray(original.get_train_data()))
        assert np.array_equal(np.asarray(imported.get_test_data()), np.asarray(original.get_test_data()))
        assert (imported.num_spatial_dims, imported.num_points, imported.num_channels) == (
            dims,
            16,
            original.num_channels,
        )
        assert imported.get_scenario_name() == original.get_scenario_name()
        assert imported.dt == getattr(original, "dt", 1.0)


def test_imported_file_trains_and_evaluates_like_its_scenario(tmp_path, tiny):
    config = {
        "net": "Conv;4;2;relu",
        "train": "sup;2",
        "num_seeds": 2,
        "optim_config": "adam;12;constant;1e-3",
        "batch_size": 2,
        "record_loss_every": 4,
        "report_metrics": "mean_nRMSE,mean_Linf",
    }
    export("diff_adv", split="both", format="hdf5", out=tmp_path / "data", **tiny)
    direct = apebench.run(apebench.plan("diff_adv", **tiny, **config), progress=False).table
    folder = apebench.run(apebench.plan("dataset", path=str(tmp_path / "data"), **config), progress=False)
    numbers = [c for c in direct.columns if c.startswith(("mean_", "train_loss_"))]
    assert numbers == [c for c in folder.table.columns if c.startswith(("mean_", "train_loss_"))]
    np.testing.assert_allclose(folder.table[numbers].to_numpy(), direct[numbers].to_numpy(), rtol=1e-6)
    pd.testing.assert_series_equal(folder.table["scenario"], direct["scenario"])


def test_fields_choose_fewer_samples_and_steps(tmp_path, tiny):
    train_file, _ = export("diff_adv", split="both", format="npz", out=tmp_path, **tiny)
    full = np.asarray(apebench.plan("diff_adv", **tiny).scene.get_train_data())
    scene = apebench.plan(f"file:{train_file}", num_train_samples=2, train_temporal_horizon=2).scene
    assert np.array_equal(np.asarray(scene.get_train_data()), full[:2, :3])
    assert scene.num_test_samples == 2 and scene.test_temporal_horizon == 4


def _write_well_file(path, data, *, time=True):
    """A file as The Well ships it: no apebench attributes, a vector field in t1_fields."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with h5py.File(path, "w") as f:
        f.attrs["dataset_name"] = "toy_well"
        f.attrs["n_spatial_dims"] = 2
        f.attrs["n_trajectories"] = data.shape[0]
        dims = f.create_group("dimensions")
        dims.attrs["spatial_dims"] = ["x", "y"]
        if time:
            dims.create_dataset("time", data=np.arange(data.shape[1], dtype=np.float32))
        for axis in ("x", "y"):
            dims.create_dataset(axis, data=np.linspace(0, 1, 8, endpoint=False, dtype=np.float32))
        t0 = f.create_group("t0_fields")
        t0.attrs["field_names"] = ["density", "viscosity"]
        t0.create_dataset("density", data=data[:, :, 0])
        const = t0.create_dataset("viscosity", data=np.ones((8, 8), np.float32))
        const.attrs["sample_varying"] = False
        const.attrs["time_varying"] = False
        t1 = f.create_group("t1_fields")
        t1.attrs["field_names"] = ["velocity"]
        t1.create_dataset("velocity", data=np.moveaxis(data[:, :, 1:], 2, -1))
        f.create_group("t2_fields").attrs["field_names"] = []


@pytest.mark.parametrize("time", [True, False])
def test_the_wells_own_files_are_a_scenario(tmp_path, time):
    rng = np.random.default_rng(0)
    train = rng.standard_normal((3, 6, 3, 8, 8)).astype(np.float32)
    valid = rng.standard_normal((2, 5, 3, 8, 8)).astype(np.float32)
    _write_well_file(tmp_path / "toy" / "train" / "part0.hdf5", train, time=time)
    _write_well_file(tmp_path / "toy" / "valid" / "part0.hdf5", valid, time=time)
    scene = apebench.plan("dataset", path=str(tmp_path / "toy"), test_split="valid").scene
    assert (scene.num_spatial_dims, scene.num_points, scene.num_channels) == (2, 8, 3)
    assert (scene.num_train_samples, scene.train_temporal_horizon) == (3, 5)
    assert (scene.num_test_samples, scene.test_temporal_horizon) == (2, 4)
    assert np.array_equal(np.asarray(scene.get_train_data()), train)
    assert np.array_equal(np.asarray(scene.get_test_data()), valid)
    assert scene.get_scenario_name() == "toy_well"
    # a file given alone finds its sibling split folder
    alone = apebench.plan(f"file:{tmp_path / 'toy' / 'train' / 'part0.hdf5'}", test_split="valid").scene
    assert np.array_equal(np.asarray(alone.get_test_data()), valid)


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"task": "correct;parallel"}, ["'task'", "no coarse stepper", "'predict'"]),
        ({"train": "div;2"}, ["'train'", "reference solver"]),
        ({"num_points": 32}, ["'num_points'", "got 32", "has 16"]),
        ({"num_train_samples": 9}, ["'num_train_samples'", "got 9", "only 3"]),
    ],
)
def test_mistakes_are_refused_when_planning(tmp_path, tiny, kwargs, words):
    train_file, _ = export("diff_adv", split="both", format="npz", out=tmp_path, **tiny)
    with pytest.raises(ValueError) as info:
        apebench.plan(f"file:{train_file}", **kwargs)
    assert all(w in str(info.value) for w in words), str(info.value)


def test_missing_files_are_named(tmp_path, tiny):
    with pytest.raises(ExchangeError, match="'path': .*does not exist"):
        apebench.plan(f"file:{tmp_path / 'none.hdf5'}")
    (lonely,) = export("diff_adv", split="train", format="npz", out=tmp_path / "lonely.npz", **tiny)
    with pytest.raises(ExchangeError, match="test_path"):
        apebench.plan(f"file:{lonely}")
    (test_file,) = export("diff_adv", split="test", format="npz", out=tmp_path / "t.npz", **tiny)
    scene = apebench.plan(f"file:{lonely}", test_path=str(test_file)).scene
    assert scene.num_test_samples == 2


def test_cli_runs_and_shows_a_file(tmp_path, tiny):
    from click.testing import CliRunner

    from apebench_core.cli import main

    train_file, _ = export("diff_adv", split="both", format="hdf5", out=tmp_path, **tiny)
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "run",
            f"file:{train_file}",
            "--net",
            "Conv;4;2;relu",
            "--optim_config",
            "adam;4;constant;1e-3",
            "--batch_size",
            "2",
            "--record_loss_every",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1d_diff_adv" in result.output and "mean_nRMSE" in result.output
    result = runner.invoke(main, ["run", f"file:{train_file}", "--task", "correct;parallel"])
    assert result.exit_code == 1 and result.output.startswith("error: ") and result.output.count("\n") == 1
    result = runner.invoke(main, ["show", "dataset"])
    assert result.exit_code == 0 and "path" in result.output
    result = runner.invoke(main, ["show", f"file:{train_file}"])
    assert result.exit_code == 0 and "1d_diff_adv" in result.output and "value 16" in result.output
