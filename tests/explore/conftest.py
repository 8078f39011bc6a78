"""A tiny study folder for the explorer's tests: two complete configurations (two seeds each)
of a bundled 1D scenario, and a third experiment whose stored table is then corrupted."""

import pytest

pytest.importorskip("streamlit")

TINY = {
    "scenario": "diff_adv",
    "task": "predict",
    "train": "one",
    "start_seed": 0,
    "num_seeds": 2,
    "num_points": 16,
    "num_train_samples": 4,
    "train_temporal_horizon": 5,
    "num_test_samples": 2,
    "test_temporal_horizon": 8,
    "optim_config": "adam;20;constant;1e-2",
    "record_loss_every": 5,
    "batch_size": 4,
}


@pytest.fixture(scope="session")
def study_folder(tmp_path_factory):
    from apebench_core.study import run_study
    from apebench_core.study.store import ResultStore

    folder = tmp_path_factory.mktemp("study")
    configs = [
        TINY | {"net": "Conv;4;1;relu"},
        TINY | {"net": "Conv;4;2;relu"},
        TINY | {"net": "Conv;4;1;relu", "train": "sup;2"},
    ]
    run_study(configs, folder, report=None)
    store = ResultStore(folder)
    corrupt = [name for name in store.manifest() if "sup" in name][0]
    table = store.table_path(corrupt)
    table.write_bytes(table.read_bytes()[:-20] + b"garbage")
    return folder


@pytest.fixture(scope="session")
def study_folder_2d(tmp_path_factory):
    """One 2D experiment (sample rollouts shown as frames with a time slider)."""
    from apebench_core.study import run_study

    folder = tmp_path_factory.mktemp("study2d")
    run_study([TINY | {"net": "Conv;4;1;relu", "num_spatial_dims": 2, "num_points": 12}], folder, report=None)
    return folder
