"""run_study / run_study_convenience on the toy plugin: storing, skipping, redoing, failing cleanly."""

import json
import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import attrs
import numpy as np
import pandas as pd
import pytest
from apebench_toy import ToyAdvection

from apebench_core import UnknownComponentError
from apebench_core.store import ResultStore, read_raw, table_format
from apebench_core.study import StudyError, default_base_path, run_study, run_study_convenience
from apebench_core.study.owner import Owner
from apebench_core.study.runner import normalize_config


def configs_normalized(configs):
    return [normalize_config(c) for c in configs]


@pytest.fixture(scope="module")
def study(toy, tmp_path_factory, toy_configs):
    """Two toy experiments stored once; tests needing their own copy use ``fresh_study``."""
    base = tmp_path_factory.mktemp("study")
    configs = toy_configs(2, num_seeds=2, slower_later=False)
    lines: list[str] = []
    raw_files, weights = run_study(configs, base, report=lines.append)
    return base, configs, raw_files, weights, lines


def test_layout_and_tables(study):
    base, configs, raw_files, weights, lines = study
    assert len(raw_files) == len(weights) == 2
    assert all("trained in" in line for line in lines)
    names = sorted(p.split("/")[-1].split(".")[0] for p in raw_files)
    assert sorted(p.stem for p in (base / "index").glob("*.json")) == names  # one index entry each
    assert list(ResultStore(base).manifest()) == names
    assert json.loads((base / "index" / f"{names[0]}.json").read_text())["config"] in configs_normalized(
        configs
    )
    assert not list((base / "claims").iterdir())  # released once written
    table = read_raw(raw_files[0])
    assert list(table.columns[:6]) == ["scenario", "task", "train", "net", "seed", "scenario_kwargs"]
    assert list(table["seed"]) == [0, 1]
    assert table["toy_nrmse_0001"].dtype == np.float32
    assert table["sample_rollout_000"].iloc[1].shape == (11, 1, 16)
    assert not any(c.startswith("aux_") for c in table.columns)


def test_table_equals_the_single_experiment_api(study, toy):
    base, configs, raw_files, *_ = study
    expected, _ = ToyAdvection()(
        network_config=configs[0]["net"], train_config="one", num_seeds=2, progress=False
    )
    stored = read_raw(raw_files[0])
    rollout = "sample_rollout_000"
    pd.testing.assert_frame_equal(stored.drop(columns=rollout), expected.drop(columns=rollout))
    np.testing.assert_array_equal(np.stack(stored[rollout]), np.stack(expected[rollout]))


def test_weights_load_with_the_scenario(study):
    base, configs, raw_files, weights, _ = study
    steppers = ToyAdvection().load_model(weights[0], num_seeds=2, network_config=configs[0]["net"])
    shifted = np.asarray(steppers.weight)[:, 0, 0]  # the stencil learns the one-cell shift
    np.testing.assert_allclose(shifted, np.tile([1.0, 0.0, 0.0], (2, 1)), atol=0.05)


def test_rerun_skips_finished_experiments_without_touching_them(study):
    base, configs, raw_files, _, _ = study
    before = {p: p.stat().st_mtime_ns for p in base.rglob("*") if p.is_file() and p.parent.name == "raw"}
    lines: list[str] = []
    again, _ = run_study(list(reversed(configs)), base, report=lines.append)
    assert sorted(again) == sorted(raw_files)
    assert len(lines) == 2 and all("skipping, already trained" in line for line in lines)
    assert {p: p.stat().st_mtime_ns for p in before} == before


def test_corrupt_and_partial_experiments_are_reported_and_redone(checksums, toy, tmp_path, toy_configs):
    configs = toy_configs(3, slower_later=False)
    run_study(configs, tmp_path, report=None)
    reference = checksums(tmp_path)
    store = ResultStore(tmp_path)
    names = list(store.manifest())
    table = store.table_path(names[0])
    table.write_bytes(table.read_bytes()[:-10])  # truncated table
    store.sidecar_path(names[1]).unlink()  # killed before the completion record was written
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_owner = attrs.evolve(Owner.current(), pid=int(dead.stdout), token="deadbeef")
    leftover = tmp_path / "raw" / f".{names[1]}.csv.{dead_owner.tag}~0a0b0c.tmp"
    leftover.write_text("half")  # a dead writer's leftover
    lines: list[str] = []
    run_study(configs, tmp_path, report=lines.append)
    assert any(names[0] in line and "corrupt" in line for line in lines)
    assert any(names[1] in line and "incomplete" in line for line in lines)
    assert any(leftover.name in line and "dead writer" in line for line in lines)
    assert sum("trained in" in line for line in lines) == 2
    assert checksums(tmp_path) == reference  # redone experiments give identical files
    assert not list(tmp_path.rglob("*.tmp"))  # leftovers of a redone experiment are removed


def test_overwrite_retrains(study, tmp_path):
    base, configs, *_ = study
    lines: list[str] = []
    run_study(configs[:1], tmp_path, report=None)
    run_study(configs[:1], tmp_path, overwrite=True, report=lines.append)
    assert len(lines) == 1 and "trained in" in lines[0]


def test_bad_configurations_fail_before_training(toy, tmp_path, toy_configs):
    good = toy_configs(1)[0]
    with pytest.raises(UnknownComponentError, match="toy_adw"):
        run_study([good, {**good, "scenario": "toy_adw"}], tmp_path, report=None)
    with pytest.raises(ValueError, match="lacks num_seeds"):
        run_study([{k: v for k, v in good.items() if k != "num_seeds"}], tmp_path, report=None)
    with pytest.raises(ValueError, match="start_seed.*'0'"):
        run_study([{**good, "start_seed": "0"}], tmp_path, report=None)
    with pytest.raises(ValueError, match="optim_confg.*did you mean 'optim_config'"):
        run_study([{**good, "optim_confg": "adam;10;constant;1e-3"}], tmp_path, report=None)
    assert not any(tmp_path.iterdir())  # nothing written: every config is planned before the store is touched


def test_every_bad_configuration_is_reported_at_once(toy, tmp_path, toy_configs):
    good = toy_configs(1)[0]
    configs = [good, {**good, "num_points": 0}, good, {**good, "net": "ToyStencel"}, {**good, "dt": 1}]
    with pytest.raises(ValueError) as error:
        run_study(configs, tmp_path, report=None)
    lines = str(error.value).splitlines()
    assert lines[0].startswith("3 of 5 configurations are invalid")
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "config 1 (scenario 'toy_adv')",
        "config 3 (scenario 'toy_adv')",
        "config 4 (scenario 'toy_adv')",
    ]
    assert "num_points" in lines[1] and "ToyStencel" in lines[2] and "'dt'" in lines[3]
    assert not any(tmp_path.iterdir())


def test_one_failing_experiment_does_not_lose_the_others(toy, tmp_path, toy_configs):
    good = toy_configs(1)[0]
    bad = {**good, "net": "ToyFailing"}  # plans fine, its factory raises when the network is built
    with pytest.raises(StudyError, match="1 of 2 experiments failed") as error:
        run_study([bad, good], tmp_path, report=None)
    assert "boom at build" in str(error.value)
    assert len(list((tmp_path / "raw").glob("*.json"))) == 1


def test_convenience_returns_melted_tables_and_parsed_kwargs(toy, tmp_path, toy_configs):
    configs = [{**c, "num_train_samples": 4} for c in toy_configs(2, slower_later=False)]
    metrics, loss, rollouts, weights = run_study_convenience(
        configs, tmp_path, metric_name="toy_nrmse", do_loss=True, do_sample_rollouts=True
    )
    assert len(weights) == 2
    assert set(metrics.columns) >= {"time_step", "toy_nrmse", "num_train_samples"}
    assert set(metrics["num_train_samples"]) == {4}
    assert len(metrics) == 2 * 10 and len(loss) == 2 * 6
    assert rollouts["sample_rollout"].iloc[0].shape == (11, 1, 16)
    fmt = table_format()
    assert sorted(p.name for p in tmp_path.glob("*.*")) == sorted(
        [
            "melted.json",
            f"metrics.{fmt}",
            "sample_rollout.arrays.npz",
            f"sample_rollout.{fmt}",
            f"train_loss.{fmt}",
        ]
    )


def test_default_base_path_is_the_same_in_every_process(toy, toy_configs, in_fresh_processes):
    """Finding 8: the seed named the folder with Python's salted hash, so caching never hit."""
    configs = toy_configs(2)
    function = "apebench_core.study.default_base_path"
    assert in_fresh_processes(function, configs) == {str(default_base_path(configs))}
    assert default_base_path(configs) != default_base_path(configs[:1])


def test_forked_process_pools_are_refused_once_jax_is_loaded(toy, tmp_path, toy_configs):
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        with pytest.raises(ValueError, match="spawn"):
            run_study(toy_configs(1), tmp_path, executor=pool, report=None)


EXTRA_METRIC_PLUGIN = """
from apebench_core import ComponentSpec, hookimpl


def max_error(prediction, reference):
    import jax.numpy as jnp

    return jnp.max(jnp.abs(prediction - reference))


@hookimpl
def apebench_metrics():
    return [ComponentSpec("metric", "toy_max_error", lambda: max_error)]
"""


def test_spawned_process_pool_receives_the_drivers_plugins(toy, toy_configs, tmp_path, monkeypatch):
    """An instance plugin travels by pickle, a module plugin by name; both are needed here."""
    from apebench_core import get_registry

    (tmp_path / "extra_metric_plugin.py").write_text(EXTRA_METRIC_PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path))
    import extra_metric_plugin

    registry = get_registry()
    registry.register(extra_metric_plugin, "extra_metric")
    try:
        configs = [{**toy_configs(1)[0], "report_metrics": "toy_nrmse,toy_max_error"}]
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            raw_files, _ = run_study(configs, tmp_path / "results", executor=pool, timeout=300, report=None)
    finally:
        registry.unregister("extra_metric")
    table = read_raw(raw_files[0])
    assert np.isfinite(table["toy_max_error_0010"]).all()  # computed by the module plugin in the worker


def test_workers_without_dask_is_one_clear_error(monkeypatch):
    from apebench_core import ApebenchError
    from apebench_core.study import dask_executor

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(ApebenchError, match=r"apebench-core\[dask\]"):
        with dask_executor(workers=2):
            pass
