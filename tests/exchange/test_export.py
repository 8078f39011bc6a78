"""Export writes the exact trajectories an experiment uses, and reads back bit for bit."""

import json

import numpy as np
import pytest

import apebench_core as apebench
from apebench_core.experiment.exchange import ExchangeError, checksum, read_trajectories
from apebench_core.experiment.external import export

pytest.importorskip("h5py")

#: One scenario per bundled family and dimension (multi-channel ones included).
FAMILY_CASES = [
    ("diff_adv", 1),
    ("diff_burgers", 2),
    ("diff_diff", 3),
    ("norm_kdv", 1),
    ("norm_burgers", 2),
    ("norm_adv", 3),
    ("phy_adv_diff", 1),
    ("phy_gs", 2),
    ("phy_unbal_adv", 3),
]


@pytest.mark.parametrize("scenario,dims", FAMILY_CASES)
def test_export_reads_back_bit_identical(tmp_path, tiny, scenario, dims):
    scene = apebench.plan(scenario, num_spatial_dims=dims, **tiny).scene
    written_h5 = export(
        scenario, split="both", format="hdf5", out=tmp_path / "h5", num_spatial_dims=dims, **tiny
    )
    written_npz = export(
        scenario, split="both", format="npz", out=tmp_path / "npz", num_spatial_dims=dims, **tiny
    )
    expected = {"train": np.asarray(scene.get_train_data()), "test": np.asarray(scene.get_test_data())}
    initial = {"train": np.asarray(scene.get_train_ic_set()), "test": np.asarray(scene.get_test_ic_set())}
    for path in [*written_h5, *written_npz]:
        split = path.parent.name
        back = read_trajectories(path)
        assert back.data.dtype == np.float32
        assert np.array_equal(back.data, expected[split])
        assert np.array_equal(back.initial_conditions, initial[split])
        back.verify()
        meta = back.metadata
        assert meta["scenario"] == scenario and meta["split"] == split
        assert meta["checksum"] == checksum(expected[split])
        assert meta["fields"]["num_points"] == 16 and meta["fields"]["num_spatial_dims"] == dims
        assert len(back.channel_names) == scene.num_channels
        assert meta["apebench_core_version"] == apebench.__version__
        assert len(back.time) == expected[split].shape[1]


def test_metadata_rebuilds_the_trajectories(tmp_path, tiny):
    (path,) = export("phy_adv_diff", split="train", format="npz", out=tmp_path / "t.npz", **tiny)
    meta = read_trajectories(path).metadata
    assert meta["dt"] == 0.1 and meta["domain_extent"] == 1.0
    rebuilt = apebench.plan(meta["scenario"], **meta["overrides"]).scene.get_train_data()
    assert np.array_equal(np.asarray(rebuilt), read_trajectories(path).data)
    json.dumps(meta)  # JSON-safe


def test_python_door_on_the_scenario(tmp_path, tiny):
    scene = apebench.scenarios.difficulty.Advection(**tiny)
    (path,) = scene.export(split="test", format="npz", out=str(tmp_path / "test.npz"))
    assert np.array_equal(read_trajectories(path).data, np.asarray(scene.get_test_data()))


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"split": "valid"}, ["'split'", "'valid'", "train, test, both"]),
        ({"format": "csv"}, ["'format'", "'csv'", "npz, hdf5"]),
        ({"out": ""}, ["'out'"]),
    ],
)
def test_bad_export_input_is_one_value_error(tmp_path, kwargs, words):
    args = {"split": "test", "format": "npz", "out": tmp_path / "x.npz"} | kwargs
    with pytest.raises(ExchangeError) as info:
        export("diff_adv", **args)
    assert isinstance(info.value, ValueError)
    assert all(w in str(info.value) for w in words)


def test_bad_field_fails_before_data(tmp_path):
    with pytest.raises(ValueError, match="num_pointz"):
        export("diff_adv", split="test", format="npz", out=tmp_path / "x.npz", num_pointz=16)
    assert not (tmp_path / "x.npz").exists()


def test_hdf5_without_h5py_names_the_extra(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "h5py" else real(name, *a)
    )
    with pytest.raises(ExchangeError, match=r"pip install 'apebench-core\[hdf5\]'"):
        export("diff_adv", split="test", format="hdf5", out=tmp_path / "x.hdf5")


def test_cli_hdf5_without_h5py_is_one_error_line(tmp_path, monkeypatch):
    import importlib.util

    from click.testing import CliRunner

    from apebench_core.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "h5py" else real(name, *a)
    )
    result = CliRunner().invoke(main, ["export", "diff_adv", "--split", "test", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "pip install 'apebench-core[hdf5]'" in result.output
