"""The `apebench` CLI: real registry content, JSON output, speed-relevant import hygiene."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from apebench_core.cli import main

HEAVY = ("jax", "jaxlib", "equinox", "optax")


def run(*args):
    result = CliRunner().invoke(main, list(args))
    return result


def test_list_shows_bundled_components():
    result = run("list")
    assert result.exit_code == 0, result.output
    for word in ("trainers", "sup", "optimizers", "adam", "warmup_cosine", "initial_conditions", "fourier"):
        assert word in result.output


def test_list_kind_pattern_json():
    result = run("list", "schedules", "*cos*", "--json")
    data = json.loads(result.output)
    assert [s["name"] for s in data["schedule"]] == ["warmup_cosine"]
    assert data["schedule"][0]["plugin"] == "training"
    assert data["schedule"][0]["usage"].startswith("warmup_cosine;<init_value:float>")


def test_list_unknown_kind_is_a_usage_error():
    result = run("list", "archtectures", "x")
    assert result.exit_code != 0 and "unknown kind" in result.output


def test_plugins_json():
    data = json.loads(run("plugins", "--json").output)
    by_name = {p["name"]: p for p in data}
    assert by_name["training"]["status"] == "active"
    assert "apebench_trainers" in by_name["training"]["hooks"]
    assert by_name["training"]["version"]


def test_show_prints_fields():
    result = run("show", "sup")
    assert result.exit_code == 0
    assert "usage: sup;<num_rollout_steps:int>;[<cut_bptt:bool>]" in result.output
    assert "cut_bptt" in result.output and "default False" in result.output


def test_show_unknown_is_one_line_error():
    result = run("show", "nosuchthing")
    assert result.exit_code == 1
    assert "error:" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "args", [["list"], ["list", "architectures", "--json"], ["plugins", "--json"], ["show", "adam"]]
)
def test_listing_path_never_imports_jax(args):
    code = (
        "import sys\n"
        "from apebench_core.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_import_core_never_imports_jax():
    code = "import sys, apebench_core, apebench_core.scenarios; assert 'jax' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
