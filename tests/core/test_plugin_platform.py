"""The plugin platform: build-time errors that name the plugin, clashes, the declared contract,
the author kit and its conformance checks."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import apebench_core as apebench
from apebench_core.cli import main
from apebench_core.plugin import ComponentBuildError, ComponentSpec, Field, hookimpl
from apebench_core.plugin.hookspecs import render_contract
from apebench_core.testing import check_plugin, registered_plugin

ROOT = Path(__file__).resolve().parents[2]


def raising_factory(*, num_spatial_dims, num_channels, num_points, key):
    raise RuntimeError("weights on fire")


def too_narrow_factory(*, width):  # lacks the architecture context
    return None


def float_metric():
    return 0.5


def shape_changing_net(*, num_spatial_dims, num_channels, num_points, key):
    import equinox as eqx

    class Halve(eqx.Module):
        def __call__(self, u):
            return u[..., ::2]

    return Halve()


def value_error_metric():
    raise ValueError("needs a reference field")


class BrokenComponents:
    @hookimpl
    def apebench_architectures(self):
        return [
            ComponentSpec("architecture", "Burning", raising_factory),
            ComponentSpec("architecture", "Narrow", too_narrow_factory, fields=(Field("width", "int"),)),
            ComponentSpec("architecture", "Missing", "no_such_module.deep:factory"),
            ComponentSpec("architecture", "Halving", shape_changing_net),
        ]

    @hookimpl
    def apebench_metrics(self):
        return [
            ComponentSpec("metric", "float_metric", float_metric),
            ComponentSpec("metric", "picky_metric", value_error_metric),
        ]


@pytest.fixture
def broken():
    with registered_plugin(BrokenComponents(), "broken") as registry:
        yield registry


GRID = dict(num_spatial_dims=1, num_channels=1, num_points=16)


@pytest.mark.parametrize(
    ("kind", "config", "cause"),
    [
        ("architecture", "Burning", "factory raised RuntimeError: weights on fire"),
        ("architecture", "Narrow;3", "factory raised TypeError"),
        (
            "architecture",
            "Missing",
            "cannot import its factory 'no_such_module.deep:factory' (ModuleNotFoundError",
        ),
        ("architecture", "Halving", "maps a state of shape (1, 16) to (1, 8), expected (1, 16)"),
        (
            "metric",
            "float_metric",
            "returned float 0.5, expected a function (prediction, reference) -> scalar",
        ),
        ("metric", "picky_metric", "factory raised ValueError: needs a reference field"),
    ],
)
def test_a_broken_component_is_one_line_naming_kind_config_plugin_and_cause(broken, kind, config, cause):
    import jax

    context = {**GRID, "key": jax.random.PRNGKey(0)} if kind == "architecture" else {}
    with pytest.raises(ComponentBuildError) as raised:
        broken.build(kind, config, **context)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{kind} {config!r} from plugin 'broken'")
    assert cause in message, message
    assert isinstance(raised.value, ValueError)


def test_a_broken_component_fails_before_any_data_is_generated(broken, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("data was generated")

    monkeypatch.setattr("apebench_core.experiment.rollout._trajectories", forbidden)
    with pytest.raises(ComponentBuildError, match="float_metric.*returned float"):
        apebench.run_experiment(scenario="diff_adv", report_metrics="float_metric", progress=False)


def test_the_bundled_distribution_is_named_in_build_errors():
    with pytest.raises(ComponentBuildError, match=r"from plugin 'nets' \(apebench-core \d"):
        apebench.build("architecture", "Conv;2;2;relu")  # no context: the factory raises TypeError


def test_show_warns_when_a_factory_cannot_be_imported(broken):
    result = CliRunner().invoke(main, ["show", "Missing"])
    assert result.exit_code == 0
    assert "cannot be imported: ModuleNotFoundError: No module named 'no_such_module'" in result.output


class ThirdPartyConv:
    @hookimpl
    def apebench_architectures(self):
        return [ComponentSpec("architecture", "conv", raising_factory, "a third-party conv")]


class AnotherThirdParty:
    @hookimpl
    def apebench_architectures(self):
        return [ComponentSpec("architecture", "CONV", raising_factory, "yet another conv")]


def test_a_bundled_name_is_never_shadowed_by_a_third_party_plugin():
    with registered_plugin(ThirdPartyConv(), "clash"):
        assert apebench.get_spec("architecture", "Conv").plugin == "nets"
        assert apebench.get_spec("architecture", "clash/conv").plugin == "clash"
        experiment = apebench.plan("diff_adv")  # the default network still is the bundled Conv
        assert experiment.configs["net"].spec.plugin == "nets"
        assert apebench.parse_config("architecture", "nets/Conv;26;10;relu").format() == "Conv;26;10;relu"
        theirs = apebench.parse_config("architecture", "clash/conv")
        assert theirs.format() == "clash/conv"
        assert apebench.parse_config("architecture", theirs.format()).spec.plugin == "clash"
        listing = CliRunner().invoke(main, ["list", "architectures"]).output
        assert "the bare name means this one" in listing and "write clash/conv" in listing
        shown = CliRunner().invoke(main, ["show", "conv"]).output
        assert "Conv  (architecture, plugin nets)" in shown


def test_two_third_party_plugins_sharing_a_name_must_be_qualified():
    with registered_plugin(_only_third_party(), "third"), registered_plugin(_only_third_party(), "fourth"):
        with pytest.raises(apebench.AmbiguousComponentError, match="third/Stencil, fourth/Stencil"):
            apebench.get_spec("architecture", "Stencil")
        assert apebench.get_spec("architecture", "third/Stencil").plugin == "third"
        assert apebench.parse_config("architecture", "fourth/Stencil").format() == "fourth/Stencil"


def _only_third_party():
    class Third:
        @hookimpl
        def apebench_architectures(self):
            return [ComponentSpec("architecture", "Stencil", raising_factory)]

    return Third()


def test_suggestions_are_deduplicated_and_show_suggests():
    with registered_plugin(ThirdPartyConv(), "clash"):
        with pytest.raises(apebench.UnknownComponentError) as raised:
            apebench.get_spec("architecture", "Cnv")
        assert str(raised.value).count("'Conv'") + str(raised.value).count("'conv'") == 1
    result = CliRunner().invoke(main, ["show", "Cnv"])
    assert result.exit_code == 1 and "did you mean 'Conv'" in result.output


def test_bundled_plugins_import_only_the_public_plugin_module():
    offenders = []
    for path in (ROOT / "plugins").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            modules = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            offenders += [
                f"{path.relative_to(ROOT)}: {m}"
                for m in modules
                if m.startswith("apebench_core") and m != "apebench_core.plugin"
            ]
    assert not offenders, offenders


def test_the_contract_docs_are_generated_from_kinds():
    assert (ROOT / "docs" / "plugin-contract.md").read_text().strip() == render_contract().strip()
    contract = apebench.plugin.KINDS["callback"]
    hook, context, returns = contract  # still unpacks as before
    assert hook == "apebench_callbacks" and "evaluation" in contract.context_keys
    assert "needs_coarse_stepper" in apebench.plugin.KINDS["task"].metadata_keys
    assert "maybe_run" not in render_contract()


def test_tracing_logs_hook_calls_and_builds():
    code = "import apebench_core as a\na.build('activation', 'relu')\n"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "APEBENCH_TRACE_PLUGINS": "1"},
        check=True,
    )
    assert "[apebench trace] hook apebench_activations of plugin 'nets'" in done.stderr
    assert "[apebench trace] build activation 'relu' from plugin 'nets'" in done.stderr


def test_conformance_of_the_bundled_training_plugin():
    results = check_plugin("training")
    assert all(result.passed for result in results), [r.line() for r in results if not r.passed]
    subjects = [r.subject for r in results]
    assert "trainer sup (sup;2;true)" in subjects
    assert any("imports no JAX" in s for s in subjects)


def test_conformance_reports_a_broken_plugin(broken):
    failed = [r for r in check_plugin("broken") if not r.passed]
    assert {r.subject.split(" (")[0] for r in failed} == {
        "architecture Burning",
        "architecture Halving",
        "architecture Missing",
        "architecture Narrow",
        "metric float_metric",
        "metric picky_metric",
    }


def _install_target(distribution: Path, target: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(distribution),
        ],
        check=True,
    )


def test_the_author_kit_writes_a_plugin_that_passes_its_own_tests(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "plugins",
            "new",
            "demo-kit",
            "--kinds",
            "architecture,metric,trainer,callback,scenario,initial_condition",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    distribution = tmp_path / "demo-kit"
    hooks = (distribution / "demo_kit" / "__init__.py").read_text()
    assert "import jax" not in hooks
    _install_target(distribution, tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "APEBENCH_STRICT_PLUGINS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(distribution / "tests")],
        capture_output=True,
        text=True,
        env=env,
        cwd=distribution,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "3 passed" in done.stdout
    check = subprocess.run(
        [sys.executable, "-m", "apebench_core", "plugins", "check", "demo-kit"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert check.returncode == 0 and "all checks passed" in check.stdout, check.stdout + check.stderr


def test_the_author_kit_refuses_bad_input(tmp_path):
    for args, fragment in (
        (["plugins", "new", "9lives", "--out", str(tmp_path)], "plugin name '9lives'"),
        (["plugins", "new", "ok", "--kinds", "architecture,telepathy", "--out", str(tmp_path)], "--kinds"),
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1 and result.output.startswith("error:") and fragment in result.output


@pytest.mark.slow
def test_the_author_kit_in_a_fresh_virtual_environment(tmp_path):
    """`apebench plugins new demo`, then `pip install ./demo` in a new venv, then its tests pass."""
    subprocess.run(
        [sys.executable, "-m", "apebench_core", "plugins", "new", "demo", "--out", str(tmp_path)], check=True
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "-e", str(ROOT)], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", f"{tmp_path / 'demo'}[test]"], check=True)
    subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], check=True, cwd=tmp_path / "demo"
    )


def test_the_readme_example_of_every_kind_runs(capsys):
    text = (ROOT / "README.md").read_text()
    start = text.index("<!-- tested: plugin-kinds -->")
    opening = text.index("```python\n", start) + len("```python\n")
    block = text[opening : text.index("\n```", opening)]
    exec(compile(block, "README.md", "exec"), {"__name__": "readme_example"})
    printed = capsys.readouterr().out
    assert "mean_nRMSE_0005" in printed and "max_error_0005" in printed


def test_show_lists_the_fields_of_a_third_party_scenario_without_extra_code():
    from apebench_toy import ToyPlugin

    with registered_plugin(ToyPlugin(), "toy"):
        result = CliRunner().invoke(main, ["show", "toy_adv"])
    assert result.exit_code == 0, result.output
    assert "num_points" in result.output and "default 16" in result.output
    assert "ic_config" in result.output and "initial_condition config" in result.output
