"""`apebench study` and `apebench plot` as a user runs them (subprocesses), errors included."""

import os
import signal
import time

import pytest

from apebench_core.analysis import read_melted
from apebench_core.store import ResultStore, experiment_name, read_raw
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


def test_status_lists_done_running_missing_and_corrupt(toy, tmp_path, cli, write_study_file, monkeypatch):
    import json
    import subprocess
    import sys

    import apebench_store_stress as stress

    from apebench_core.study.owner import Owner
    from apebench_core.study.store import Lease

    monkeypatch.setattr(stress, "TRAIN_SECONDS", 0.0)
    stress.use_fake_training(monkeypatch)
    configs = stress.configs(4)
    write_study_file(tmp_path, configs)
    base = tmp_path / "results"
    run_study(configs[:2], base, report=None)
    store = ResultStore(base)
    names = {ResultStore(base).record(n)["config"]["net"]: n for n in store.manifest()}
    corrupt = names[configs[1]["net"]]
    store.weights_path(corrupt).write_bytes(b"")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        start = open(f"/proc/{sleeper.pid}/stat").read().rsplit(")", 1)[1].split()[19]
        owner = Owner(Owner.current().host, sleeper.pid, start, "elsewhere")
        listed = cli("study", "study.py", "--status", "--json", cwd=tmp_path)
        running = json.loads(listed.stdout)["experiments"][2]["name"]
        lease = Lease(owner, time.time() - 42, time.time(), 120.0)
        store.lease_path(running).write_bytes(lease.to_bytes())
        result = cli("study", "study.py", "--status", "--json", cwd=tmp_path)
        text = cli("study", "--status", "--base-path", "results", cwd=tmp_path)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    states = [(e["state"], e["claim_age_seconds"] is not None) for e in payload["experiments"]]
    assert states == [("done", False), ("corrupt", False), ("running", True), ("missing", False)]
    assert payload["counts"] == {"done": 1, "running": 1, "missing": 1, "corrupt": 1}
    assert payload["experiments"][2]["owner"]["pid"] == sleeper.pid
    assert 40 <= payload["experiments"][2]["claim_age_seconds"] < 100
    assert f"network_weights/{corrupt}.eqx" in payload["experiments"][1]["reason"]
    # without the study file: every experiment the folder knows, and every claimed one
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert sorted(line.split()[0] for line in lines[:-1]) == ["corrupt", "done", "running"]
    line = f"running  {running}  ({Owner.current().host}:{sleeper.pid}, claim "
    assert any(x.startswith(line) and x.endswith(" s old)") for x in lines), lines
    assert lines[-1].endswith("1 done, 1 running, 0 missing, 1 corrupt")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--status",), "--status needs a STUDY file or --base-path"),
        (("study.py", "--json"), "--json goes with"),
    ],
)
def test_status_mistakes_are_one_line(tmp_path, cli, args, fragment):
    (tmp_path / "study.py").write_text("CONFIGS = []\n")
    assert_one_line_error(cli("study", *args, cwd=tmp_path), fragment)


def test_two_studies_at_once_on_one_folder(
    checksums, toy, toy_configs, write_study_file, cli_popen, tmp_path
):
    """The issue's report: two `apebench study` on one --base-path; one of them used to exit 1."""
    import subprocess

    from apebench_core.study.runner import normalize_config

    configs = toy_configs(3, slower_later=False)
    write_study_file(tmp_path, configs)
    write_study_file(tmp_path, list(reversed(configs)), name="reversed.py")
    processes = [
        subprocess.Popen(
            cli_popen.command("study", study, "--base-path", "shared"),
            cwd=tmp_path,
            env=cli_popen.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for study in ("study.py", "reversed.py")
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], [err for _, err in outputs]
    trained = [line for out, _ in outputs for line in out.splitlines() if "trained in" in line]
    assert len(trained) == len({line.split(":")[0] for line in trained}) == 3  # each trained exactly once
    run_study(configs, tmp_path / "single", report=None)
    assert checksums(tmp_path / "shared") == checksums(tmp_path / "single")
    names = {experiment_name(normalize_config(c)) for c in configs}
    assert set(ResultStore(tmp_path / "shared").manifest()) == names
