"""Shared pieces of the study tests: the toy plugin, small configurations, CLI subprocesses."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from apebench_toy import ToyPlugin

from apebench_core.testing import registered_plugin

SUPPORT = Path(__file__).resolve().parents[1] / "support"


@pytest.fixture(scope="module")
def toy():
    with registered_plugin(ToyPlugin(), "toy"):
        yield


def make_toy_configs(num_configs: int = 3, num_seeds: int = 1, *, slower_later: bool = True) -> list[dict]:
    """Distinct toy experiments; later ones train longer, so a run can be interrupted between them."""
    configs = []
    for index in range(num_configs):
        config = {
            "scenario": "toy_adv",
            "task": "predict",
            "net": f"ToyStencil;{0.1 * (index + 1):.1f}",
            "train": "one" if index % 2 == 0 else "sup;2",
            "start_seed": 0,
            "num_seeds": num_seeds,
        }
        if slower_later:
            config["optim_config"] = f"adam;{300 * (index + 1)};constant;3e-2"
        configs.append(config)
    return configs


def make_study_file(folder: Path, configs: list[dict], name: str = "study.py") -> Path:
    """A study file in the seed CLI's format that registers the toy plugin when imported
    (the driver ships in-process plugins to Dask workers)."""
    path = folder / name
    path.write_text(
        textwrap.dedent(
            f"""\
            from apebench_toy import ToyPlugin

            import apebench_core

            apebench_core.get_registry().register(ToyPlugin(), "toy")

            CONFIGS = {configs!r}
            """
        )
    )
    return path


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SUPPORT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["APEBENCH_NO_PROGRESS"] = "1"
    env["APEBENCH_STRICT_PLUGINS"] = "1"
    return env


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "apebench_core", *args]


def run_cli(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        cli_command(*args), cwd=cwd, env=cli_env(), capture_output=True, text=True, timeout=timeout
    )


# Helpers as fixtures: with --import-mode=importlib test modules cannot import conftest.
@pytest.fixture(scope="session")
def toy_configs():
    return make_toy_configs


@pytest.fixture(scope="session")
def write_study_file():
    return make_study_file


@pytest.fixture(scope="session")
def cli():
    return run_cli


@pytest.fixture(scope="session")
def cli_popen():
    """Start the CLI in its own process group (so a kill reaches its Dask workers too)."""

    def popen(*args: str, cwd: Path) -> subprocess.Popen:
        return subprocess.Popen(
            cli_command(*args),
            cwd=cwd,
            env=cli_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    popen.command, popen.env = cli_command, cli_env  # for tests that need their own pipes
    return popen


SUPPORT = Path(__file__).resolve().parents[1] / "support"


def _in_fresh_processes(function: str, argument) -> set[str]:
    """``str(function(argument))`` printed by fresh interpreters with different hash seeds."""
    module, name = function.rsplit(".", 1)
    code = (
        "import json, sys\n"
        "from apebench_core.testing import registered_plugin\n"
        "from apebench_toy import ToyPlugin\n"
        f"from {module} import {name} as function\n"
        "with registered_plugin(ToyPlugin(), 'toy'):\n"
        "    print(function(json.loads(sys.argv[1])))\n"
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code, json.dumps(argument)],
            env={**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(SUPPORT)},
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(out.stdout.strip())
    return outputs


@pytest.fixture(scope="session")
def in_fresh_processes():
    return _in_fresh_processes


def _stored_checksums(base: Path) -> dict:
    """Every stored experiment's recorded file checksums: equal dicts mean byte-identical results."""
    return {p.name: json.loads(p.read_text())["files"] for p in sorted((base / "raw").glob("*.json"))}


@pytest.fixture(scope="session")
def checksums():
    return _stored_checksums
