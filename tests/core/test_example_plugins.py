"""Real third-party plugins, pip-installed: one that adds an architecture, one that is broken."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(EXAMPLES / "example-plugin"),
            str(EXAMPLES / "broken-plugin"),
        ],
        check=True,
    )
    return target


def run(plugin_path, *args, code=None):
    env = {k: v for k, v in os.environ.items() if k != "APEBENCH_STRICT_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join([str(plugin_path), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "apebench_core", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=True)


def test_listed_with_version_and_broken_one_isolated(plugin_path):
    plugins = {p["name"]: p for p in json.loads(run(plugin_path, "plugins", "--json").stdout)}
    assert plugins["example"]["status"] == "active"
    assert plugins["example"]["distribution"] == "apebench-example-plugin"
    assert plugins["example"]["version"] == "0.2.0"
    assert plugins["example"]["hooks"] == ["apebench_architectures"]
    assert plugins["broken"]["status"] == "failed"
    assert "a_module_that_does_not_exist" in plugins["broken"]["error"]
    assert plugins["nets"]["status"] == "active"
    listing = json.loads(run(plugin_path, "list", "architectures", "--json").stdout)["architecture"]
    assert {"Stencil", "Conv"} <= {spec["name"] for spec in listing}
    result = run(plugin_path, "list")
    assert "Stencil" in result.stdout
    assert result.stderr.count("broken") == 1  # a single warning


def test_experiment_runs_with_the_plugin_architecture(plugin_path):
    code = (
        "import apebench_core as apebench\n"
        "table, _ = apebench.run_experiment(scenario='diff_adv', task='predict', net='Stencil;3',"
        " train='one', start_seed=0, num_seeds=2, num_points=32, num_train_samples=4,"
        " num_test_samples=2, advection_gamma=-0.5, test_temporal_horizon=5,"
        " optim_config='adam;200;constant;1e-2', progress=False)\n"
        "assert list(table['net']) == ['Stencil;3', 'Stencil;3']\n"
        "print(float(table['mean_nRMSE_0001'].max()))\n"
    )
    nrmse = float(run(plugin_path, code=code).stdout.strip().splitlines()[-1])
    assert nrmse < 1.0
