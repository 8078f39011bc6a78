"""`apebench study` and `apebench plot` as a user runs them (subprocesses), errors included."""

import os
import signal
import time

import pytest

from apebench_core.analysis import read_melted
from apebench_core.store import ResultStore, read_raw
from apebench_core.study import run_study


def assert_one_line_error(result, fragment):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and fragment in lines[0], result.stderr


TINY_TOML = """\
[[configs]]
scenario = "diff_adv"
task = "predict"
net = "Conv;4;1;relu"
train = "one"
start_seed = 0
num_seeds = 2
num_points = 16
num_train_samples = 4
train_temporal_horizon = 5
num_test_samples = 2
test_temporal_horizon = 5
optim_config = "adam;20;constant;1e-3"
record_loss_every = 10
batch_size = 4
"""


def test_toml_study_with_the_bundled_plugins_then_plot(tmp_path, cli):
    (tmp_path / "study.toml").write_text(TINY_TOML)
    result = cli("study", "study.toml", "--melt-sample-rollouts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "median mean_nRMSE over seeds" in result.stdout
    melted = read_melted(tmp_path / "results")
    assert set(melted) == {"metrics", "loss", "sample_rollouts"}
    assert list(melted["metrics"]["time_step"].unique()) == [1, 2, 3, 4, 5]
    assert set(melted["metrics"]["seed"]) == {0, 1}
    assert melted["sample_rollouts"]["sample_rollout"].iloc[0].shape == (6, 1, 16)
    assert melted["metrics"]["scenario_kwargs"].iloc[0].startswith("{'batch_size': 4, ")

    result = cli("plot", "results", "--out", "figure.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "figure.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("study_text", "extra", "fragment"),
    [
        (None, (), "not found"),
        ("CONFIGS = 3\n", (), "must define a CONFIGS list"),
        ("CONFIGS = [{'scenario': 'diff_adv'}]\n", (), "lacks task"),
        ("raise RuntimeError('boom')\n", (), "failed to run: RuntimeError: boom"),
        (
            "CONFIGS = [dict(scenario='no_such_scenario', task='predict', net='Conv;26;10;relu', "
            "train='one', start_seed=0, num_seeds=1)]\n",
            (),
            "no_such_scenario",
        ),
        (
            "CONFIGS = [dict(scenario='diff_adv', task='predict', net='Conv;26;10;relu', "
            "train='one', start_seed=0, num_seeds=1)]\n",
            ("--base-path", "blocker/results"),
            "cannot write results under",
        ),
    ],
    ids=["missing-file", "no-configs", "bad-config", "crashing-file", "unknown-scenario", "unwritable"],
)
def test_user_errors_are_one_line(tmp_path, cli, study_text, extra, fragment):
    (tmp_path / "blocker").write_text("a file where a folder should be")
    if study_text is not None:
        (tmp_path / "study.py").write_text(study_text)
    result = cli("study", "study.py", *extra, cwd=tmp_path, timeout=120)
    assert_one_line_error(result, fragment)


def test_plot_of_a_missing_folder_is_one_line(tmp_path, cli):
    assert_one_line_error(cli("plot", "nowhere", cwd=tmp_path), "not found")


def interrupted_then_resumed(tmp_path, configs, helpers, *workers: str):
    """Run the study CLI, SIGKILL it (and its workers) after the first experiment is stored, rerun."""
    write_study_file, cli, cli_popen = helpers
    tmp_path.mkdir(exist_ok=True)
    write_study_file(tmp_path, configs)
    base = tmp_path / "results"
    process = cli_popen("study", "study.py", *workers, cwd=tmp_path)
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if list((base / "raw").glob("*.json")) if (base / "raw").is_dir() else []:
                break
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    store = ResultStore(base)
    done = {name for name in store.manifest() if store.status(name).done}
    assert 1 <= len(done) < len(configs), f"killed after {len(done)} of {len(configs)} experiments"
    resumed = cli("study", "study.py", *workers, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    skipped = {
        line.split(":")[0] for line in resumed.stdout.splitlines() if "skipping, already trained" in line
    }
    assert skipped == done
    return base


def test_killed_study_resumes_to_identical_results(
    checksums, toy, toy_configs, write_study_file, cli, cli_popen, tmp_path
):
    configs = toy_configs(3)
    helpers = (write_study_file, cli, cli_popen)
    base = interrupted_then_resumed(tmp_path / "cli", configs, helpers)
    reference = tmp_path / "uninterrupted"
    raw_files, _ = run_study(configs, reference, report=None)
    assert checksums(base) == checksums(reference)
    for file in raw_files:
        assert read_raw(file).equals(read_raw(base / "raw" / os.path.basename(file)))
    assert not list(base.rglob("*.tmp"))


@pytest.mark.slow
def test_four_by_two_study_on_two_workers_killed_and_resumed(
    checksums, toy_configs, write_study_file, cli, cli_popen, tmp_path
):
    """The acceptance run: 4 configurations x 2 seeds, --workers 2, killed half-way, rerun."""
    pytest.importorskip("distributed")
    configs = toy_configs(4, num_seeds=2)
    helpers = (write_study_file, cli, cli_popen)
    base = interrupted_then_resumed(tmp_path / "killed", configs, helpers, "--workers", "2")
    (tmp_path / "clean").mkdir()
    write_study_file(tmp_path / "clean", configs)
    result = cli("study", "study.py", "--workers", "2", cwd=tmp_path / "clean")
    assert result.returncode == 0, result.stderr
    reference = tmp_path / "clean" / "results"
    assert checksums(base) == checksums(reference)
    for key, frame in read_melted(reference).items():
        assert frame.equals(read_melted(base)[key]), key
