"""The persistent compilation cache: bit-identical results, damaged or stale entries never used."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from apebench_core.experiment import compile_cache
from apebench_core.experiment.compile_cache import VerifiedStore


@pytest.fixture
def store(tmp_path):
    return VerifiedStore(tmp_path / "xla", limit=10_000)


def test_an_entry_reads_back_as_written(store):
    store.put("key-a", b"executable a")
    assert store.get("key-a") == b"executable a"
    assert store.get("key-b") is None
    assert store.counts["hits"] == 1 and store.counts["misses"] == 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),  # one flipped bit in the executable
        lambda blob: blob[: len(blob) // 2],  # truncated
        lambda blob: b"",  # emptied
        lambda blob: b"not ours" + blob,  # foreign header
    ],
    ids=["bit-flip", "truncated", "empty", "foreign"],
)
def test_a_damaged_entry_is_discarded_not_served(store, damage):
    store.put("key-a", b"executable a" * 50)
    (file,) = store.path.glob("*.xla")
    file.write_bytes(damage(file.read_bytes()))
    assert store.get("key-a") is None
    assert not file.exists() and store.counts["rejected"] == 1
    store.put("key-a", b"fresh")  # the recompiled program takes its place
    assert store.get("key-a") == b"fresh"


def test_another_keys_entry_under_this_key_is_refused(store):
    store.put("key-a", b"executable a")
    store.put("key-b", b"executable b")
    file_a, file_b = store._file("key-a"), store._file("key-b")
    file_a.write_bytes(file_b.read_bytes())  # a valid entry, but for another program
    assert store.get("key-a") is None
    assert store.get("key-b") == b"executable b"


def test_the_folder_is_capped_least_recently_used_first(tmp_path):
    store = VerifiedStore(tmp_path, limit=4 * 600)  # four entries fit, five do not
    for name in "abcd":
        store.put(name, name.encode() * 500)  # ~550 bytes sealed
        os.utime(store._file(name), (1_000 + ord(name),) * 2)  # a < b < c < d in age order
    store.get("a")  # a is used again: b is now the oldest
    store.put("e", b"e" * 500)
    assert store.get("b") is None and store.get("a") is not None and store.get("e") is not None
    assert sum(f.stat().st_size for f in tmp_path.glob("*.xla")) <= store.limit


def test_a_failed_write_does_not_fail_the_run(store):
    store.path.chmod(0o500)
    try:
        if os.access(store.path, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        store.put("key-a", b"x")
        assert store.get("key-a") is None
    finally:
        store.path.chmod(0o700)


def test_folder_named_after_jax_and_jaxlib_and_other_versions_pruned(tmp_path):
    import jax
    import jaxlib

    folder = compile_cache.versioned_folder(tmp_path)
    assert folder.name == f"jax-{jax.__version__}-jaxlib-{jaxlib.__version__}"
    old = tmp_path / "xla" / "jax-0.0.1-jaxlib-0.0.1"
    old.mkdir(parents=True)
    folder.mkdir(parents=True)
    assert compile_cache.prune(tmp_path) == [old]
    assert folder.exists() and not old.exists()


def test_switch_and_location_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("APEBENCH_COMPILE_CACHE", "0")
    assert not compile_cache.enabled()
    monkeypatch.setenv("APEBENCH_COMPILE_CACHE", "1")
    assert compile_cache.enabled()
    monkeypatch.setenv("APEBENCH_CACHE_DIR", str(tmp_path))
    assert compile_cache.cache_root() == tmp_path
    monkeypatch.delenv("APEBENCH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert compile_cache.cache_root() == tmp_path / "xdg" / "apebench"
    monkeypatch.setenv("APEBENCH_COMPILE_CACHE_MAX_MB", "nonsense")
    assert compile_cache.max_bytes() == compile_cache.DEFAULT_MAX_MB * 2**20


# A tiny experiment in a new process: its metrics, sample rollouts and the cache's counts.
RUN = """
import json, sys
import numpy as np
import apebench_core as apebench
from apebench_core.experiment import compile_cache
result = apebench.run(apebench.plan("diff_adv", net="Conv;8;2;relu", num_seeds=2, num_points=32,
    num_train_samples=4, train_temporal_horizon=5, num_test_samples=3, test_temporal_horizon=6,
    optim_config="adam;20;constant;1e-3", record_loss_every=10), progress=False)
np.savez(sys.argv[1], metrics=result.raw.metrics["mean_nRMSE"], samples=result.raw.sample_rollouts,
         losses=result.raw.loss_history)
print(json.dumps(compile_cache.stats()))
"""


def _run(tmp_path, name, **env):
    out = tmp_path / f"{name}.npz"
    full_env = {**os.environ, "APEBENCH_CACHE_DIR": str(tmp_path / "cache"), **env}
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(out)], env=full_env, capture_output=True, text=True, check=True
    )
    stats = json.loads(done.stdout.strip().splitlines()[-1])
    with np.load(out) as data:
        return {k: data[k] for k in data.files}, stats


def test_results_bit_identical_without_cold_and_warm_cache_and_damage_is_recompiled(tmp_path):
    off, off_stats = _run(tmp_path, "off", APEBENCH_COMPILE_CACHE="0")
    cold, cold_stats = _run(tmp_path, "cold")
    warm, warm_stats = _run(tmp_path, "warm")
    assert not off_stats["active"], off_stats
    assert cold_stats["written"] > 5 and cold_stats["rejected"] == 0, cold_stats
    assert warm_stats["hits"] > 5 and warm_stats["rejected"] == 0, warm_stats
    folder = next((tmp_path / "cache" / "xla").iterdir())
    entries = sorted(folder.glob("*.xla"))
    damaged_files = entries[::3]  # a third of the entries: the rest stay hits, as after a partial disk fault
    for file in damaged_files:
        blob = bytearray(file.read_bytes())
        blob[-7] ^= 0xFF
        file.write_bytes(bytes(blob))
    damaged, damaged_stats = _run(tmp_path, "damaged")
    assert len(damaged_files) > 5 and damaged_stats["rejected"] == len(damaged_files), damaged_stats
    assert damaged_stats["hits"] > 5, damaged_stats  # refused, recompiled and rewritten; the others served
    for other in (cold, warm, damaged):
        for name in off:
            assert np.array_equal(off[name], other[name]), name


def test_cli_shows_and_clears_the_cache_without_jax(tmp_path):
    folder = compile_cache.versioned_folder(tmp_path)
    VerifiedStore(folder, limit=10_000).put("key-a", b"x" * 100)
    env = {**os.environ, "APEBENCH_CACHE_DIR": str(tmp_path)}
    code = (
        "import sys; from apebench_core.cli import main\n"
        "try: main(sys.argv[1:])\n"
        "except SystemExit: pass\n"
        "assert 'jax' not in sys.modules, 'jax imported'\n"
    )
    shown = subprocess.run([sys.executable, "-c", code, "cache"], env=env, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    assert str(folder) in shown.stdout and "1 programs" in shown.stdout
    cleared = subprocess.run(
        [sys.executable, "-c", code, "cache", "--clear"], env=env, capture_output=True, text=True
    )
    assert "removed 1 compiled programs" in cleared.stdout and "0 programs" in cleared.stdout
