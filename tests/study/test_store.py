"""The result store: safe stable names, atomic files, exact table round trips, damage detection."""

import os
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apebench_core import ApebenchError
from apebench_core import store as store_module
from apebench_core.store import (
    CorruptResultError,
    ResultStore,
    atomic_write,
    experiment_name,
    read_raw,
    read_table,
    write_table,
)

BASE = {"scenario": "diff_adv", "task": "predict", "net": "Conv;26;10;relu", "train": "sup;5"}
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")

kwarg_values = st.one_of(
    st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(), st.booleans()
)


@settings(max_examples=50, deadline=None)
@given(
    kwargs=st.dictionaries(st.text(min_size=1, max_size=40), kwarg_values, max_size=30),
    net=st.text(max_size=300),
)
def test_names_are_short_safe_and_deterministic(kwargs, net):
    config = {**BASE, "net": net, "start_seed": 0, "num_seeds": 10, **kwargs}
    name = experiment_name(config)
    assert SAFE_NAME.match(name)
    assert len((name + ".sample_rollouts.arrays.npz.tmp").encode()) < 255
    assert experiment_name(dict(reversed(list(config.items())))) == name


def test_names_differ_per_configuration_and_agree_across_processes(in_fresh_processes):
    config = {**BASE, "start_seed": 0, "num_seeds": 3, "num_points": 64}
    names = {experiment_name(config), experiment_name({**config, "num_points": 65})}
    names.add(experiment_name({**config, "start_seed": 1}))
    assert len(names) == 3
    assert in_fresh_processes("apebench_core.store.experiment_name", config) == {experiment_name(config)}


def test_atomic_write_leaves_the_old_file_on_failure(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old")

    def failing(temporary):
        temporary.write_text("half")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        atomic_write(target, failing)
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["table.csv"]


def awkward_table() -> pd.DataFrame:
    """Values a CSV round trip easily gets wrong: float32, NaN, inf, empty and 'NaN' strings."""
    return pd.DataFrame(
        {
            "scenario": ["a;b", ""],
            "net": ["NaN", "{}"],
            "seed": np.array([0, 7], dtype=np.int64),
            "m_0001": np.array([1 / 3, np.nan], dtype=np.float32),
            "m_0002": np.array([np.inf, 1e-30], dtype=np.float32),
            "loss": np.array([0.1, 2 / 3], dtype=np.float64),
            "rollout_000": [
                np.arange(6.0, dtype=np.float32).reshape(2, 3),
                np.full((2, 3), np.nan, np.float32),
            ],
            "aux_000010": [{"norm": np.float32(1.5)}, {"norm": np.float32(2.5)}],
            "diverged": [False, True],
        }
    )


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_table_round_trip_keeps_values_and_dtypes(tmp_path, monkeypatch, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    monkeypatch.setattr(store_module, "table_format", lambda: fmt)
    table = awkward_table()
    meta = write_table(table, tmp_path / "t")
    assert meta["file"] == f"t.{fmt}"
    back = read_table(tmp_path, meta)
    scalars = [c for c in table.columns if c not in ("rollout_000", "aux_000010")]
    pd.testing.assert_frame_equal(back[scalars], table[scalars], check_exact=True)
    assert list(back.columns) == list(table.columns)
    for got, want in zip(back["rollout_000"], table["rollout_000"], strict=True):
        np.testing.assert_array_equal(got, want)
        assert got.dtype == np.float32
    assert [float(cell["norm"]) for cell in back["aux_000010"]] == [1.5, 2.5]


def test_arrays_of_different_shapes_are_kept_per_row(tmp_path):
    table = pd.DataFrame({"seed": [0, 1], "sample_rollout": [np.zeros((3, 1, 4)), np.ones((5, 1, 8))]})
    back = read_table(tmp_path, write_table(table, tmp_path / "mixed"))
    assert [a.shape for a in back["sample_rollout"]] == [(3, 1, 4), (5, 1, 8)]


def stored_experiment(tmp_path):
    store = ResultStore(tmp_path)
    config = {**BASE, "start_seed": 0, "num_seeds": 2}
    name = experiment_name(config)
    table = awkward_table().drop(columns=["aux_000010"])
    store.write_experiment(name, config, table, {"w": np.ones(3, np.float32)})
    return store, name, table


def test_experiment_is_done_only_with_intact_files(tmp_path):
    store, name, table = stored_experiment(tmp_path)
    assert store.status(name).done
    assert store.record(name)["config"]["net"] == BASE["net"]
    back = read_raw(store.table_path(name))
    pd.testing.assert_frame_equal(back[["seed", "m_0001"]], table[["seed", "m_0001"]])

    weights = store.weights_path(name)
    weights.write_bytes(weights.read_bytes()[:-1])  # truncated by a crash or a full disk
    status = store.status(name)
    assert not status.done and status.corrupt and "network_weights" in status.reason

    store.write_experiment(name, store.record(name)["config"], table, {"w": np.ones(3, np.float32)})
    table_file = store.table_path(name)
    table_file.write_bytes(table_file.read_bytes().replace(b"7", b"8"))  # same size, other content
    assert store.status(name).corrupt
    with pytest.raises(CorruptResultError, match="checksum"):
        read_raw(table_file)


def test_files_without_a_completion_record_are_incomplete(tmp_path):
    store, name, _ = stored_experiment(tmp_path)
    store.sidecar_path(name).unlink()
    status = store.status(name)
    assert not status.done and status.corrupt and "incomplete" in status.reason
    with pytest.raises(CorruptResultError, match="no completion record"):
        read_raw(store.table_path(name))
    store.clear(name)
    assert store.status(name).reason == "missing"
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and name in p.name]


def test_unwritable_base_path_is_one_clear_error(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    with pytest.raises(ApebenchError, match="cannot write results under"):
        ResultStore(blocker / "results").prepare()
