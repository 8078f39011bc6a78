"""Tamper evidence: a changed byte in any stored file is detected, named, never read, and redone."""

import json
import random
import warnings

import apebench_store_stress as stress
import pytest

from apebench_core.store import CorruptResultError, ResultStore, read_raw
from apebench_core.study import run_study, study_status
from apebench_core.study.analysis import read_study


@pytest.fixture
def stored(toy, tmp_path, monkeypatch, checksums):
    """Two experiments stored by the stand-in training: (store, configs, a name, reference checksums)."""
    monkeypatch.setattr(stress, "TRAIN_SECONDS", 0.0)
    stress.use_fake_training(monkeypatch)
    configs = stress.configs(2)
    run_study(configs, tmp_path, report=None)
    store = ResultStore(tmp_path)
    return store, configs, sorted(store.manifest())[0], checksums(tmp_path)


def flip_byte(path, position=None):
    data = bytearray(path.read_bytes())
    position = len(data) // 2 if position is None else position
    data[position] ^= 0x20
    path.write_bytes(bytes(data))


def rewrite_sidecar(path, edit):
    """Edit the sidecar's JSON and write it back exactly as the store formats it (only the edit differs)."""
    record = json.loads(path.read_text())
    edit(record)
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


def edit_dtype(record):
    column = next(c for c, d in record["table"]["dtypes"].items() if d == "float64")
    record["table"]["dtypes"][column] = "float16"


def edit_config(record):
    record["config"]["net"] = "ToyStencil;0.5"


def edit_config_and_its_hash(record):
    from apebench_core.store import config_hash

    record["config"]["num_seeds"] = 1
    record["config_sha256"] = config_hash(record["config"])


SIDECAR_EDITS = {
    "dtype float64 -> float16": edit_dtype,
    "configuration": edit_config,
    "configuration with a matching config_sha256": edit_config_and_its_hash,
    "config_sha256": lambda r: r.update(config_sha256="0" * 64),
    "name": lambda r: r.update(name=r["name"][:-1] + "0"),
    "file checksum": lambda r: next(iter(r["files"].values())).update(sha256="0" * 64),
    "diverged seeds": lambda r: r.update(diverged_seeds=[0]),
    "column order": lambda r: r["table"]["columns"].reverse(),
    "own checksum": lambda r: r.update(record_sha256="0" * 64),
    "format": lambda r: r.update(format=1),
}


def damage(store, name, kind):
    fmt = store.record(name)["table"]["format"]
    if kind == "table":
        flip_byte(store.raw_dir / f"{name}.{fmt}")
        return f"raw/{name}.{fmt}"
    if kind == "arrays":
        flip_byte(store.raw_dir / f"{name}.arrays.npz")
        return f"raw/{name}.arrays.npz"
    if kind == "weights (truncated)":
        weights = store.weights_path(name)
        weights.write_bytes(weights.read_bytes()[:-3])
        return f"network_weights/{name}.eqx"
    if kind == "sidecar (truncated)":
        store.sidecar_path(name).write_bytes(store.sidecar_path(name).read_bytes()[:-40])
        return f"raw/{name}.json"
    rewrite_sidecar(store.sidecar_path(name), SIDECAR_EDITS[kind])
    return f"raw/{name}.json"


@pytest.mark.parametrize(
    "kind", ["table", "arrays", "weights (truncated)", "sidecar (truncated)", *SIDECAR_EDITS]
)
def test_tampering_is_detected_named_and_redone(stored, checksums, kind):
    store, configs, name, reference = stored
    damaged_file = damage(store, name, kind)
    status = store.status(name)
    assert status.corrupt and damaged_file in status.reason, status.reason
    [state] = [s for s in study_status(configs, store.base_path) if s.name == name]
    assert state.state == "corrupt" and damaged_file in state.reason
    with pytest.raises(CorruptResultError, match=damaged_file):
        read_raw(store.sidecar_path(name))
    with pytest.warns(UserWarning, match=name):
        assert len(read_study(store.base_path)) == 1  # the intact one only
    lines: list[str] = []
    run_study(configs, store.base_path, report=lines.append)
    assert any(name in line and "redoing it" in line for line in lines)
    assert any(name in line and "trained in" in line for line in lines)
    assert checksums(store.base_path) == reference


def test_a_tampered_index_entry_is_detected_and_rewritten(stored, checksums):
    store, configs, name, reference = stored
    entry = store.index_path(name)
    original = entry.read_bytes()
    rewrite_sidecar(entry, edit_config)
    with pytest.warns(UserWarning, match=f"index/{name}.json does not match its own checksum"):
        assert len(read_study(store.base_path)) == 2  # both experiments are intact
    [state] = [s for s in study_status(configs, store.base_path) if s.name == name]
    assert state.state == "done" and f"index/{name}.json" in state.reason
    lines: list[str] = []
    run_study(configs, store.base_path, report=lines.append)
    assert f"{name}: index entry was damaged; rewritten" in lines
    assert entry.read_bytes() == original and checksums(store.base_path) == reference

    entry.unlink()  # a lost entry loses nothing: the sidecar still lists the experiment
    assert name in store.manifest()


def test_every_byte_flip_of_a_sidecar_is_detected(stored):
    store, _, name, _ = stored
    sidecar = store.sidecar_path(name)
    original = sidecar.read_bytes()
    rng = random.Random(19)
    undetected = []
    for position in range(len(original)):
        data = bytearray(original)
        data[position] ^= rng.randrange(1, 256)
        sidecar.write_bytes(bytes(data))
        if store.status(name).done:
            undetected.append(position)
            continue
        try:
            read_raw(sidecar)
            undetected.append(position)
        except CorruptResultError:
            pass
    sidecar.write_bytes(original)
    assert store.status(name).done
    assert undetected == [], f"{len(undetected)} of {len(original)} flips undetected"


def test_records_of_the_first_format_are_redone_not_trusted(stored):
    store, configs, name, _ = stored
    rewrite_sidecar(store.sidecar_path(name), lambda r: (r.pop("record_sha256"), r.update(format=1)))
    assert "another format" in store.status(name).reason
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lines: list[str] = []
        run_study(configs, store.base_path, report=lines.append)
    assert any(name in line and "trained in" in line for line in lines)


def test_a_first_format_study_json_is_still_read(stored):
    store, _, name, _ = stored
    configs = {n: store.record(n)["config"] for n in store.manifest()}
    for path in [*store.index_dir.iterdir(), *store.raw_dir.glob("*.json")]:
        path.unlink()  # only the format-1 index is left to know the experiments
    (store.base_path / "study.json").write_text(json.dumps({"format": 1, "experiments": configs}))
    assert store.manifest() == configs
    assert {s.state for s in study_status(None, store.base_path)} == {"corrupt"}  # files, no sidecar
