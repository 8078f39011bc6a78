"""The core's layout shows its architecture: layers import only downwards, and nothing imports in a circle."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import apebench_core

ROOT = Path(apebench_core.__file__).parent
#: Layers from the bottom up; a module may import its own layer and those below.
LAYERS = ["plugin", "experiment", "scenarios", "study", "explore", "cli"]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Modules of apebench_core that ``path`` imports anywhere (functions included),
    except under ``if TYPE_CHECKING:``."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("apebench_core"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("apebench_core"):
                for alias in node.names:  # `from . import x` imports the submodule x
                    candidate = f"{target}.{alias.name}"
                    found.add(candidate if candidate in known else target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text()))
    return {module for module in found if module in known and module != name}


@pytest.fixture(scope="module")
def graph():
    paths = sorted(ROOT.rglob("*.py"))
    known = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, known) for p in paths}


def test_no_import_cycles(graph):
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycle = stack[stack.index(target) :] + [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_layers_import_only_downwards(graph):
    upward = [
        f"{source} -> {target}"
        for source, targets in graph.items()
        for target in targets
        if layer(source) is not None and layer(target) is not None and layer(target) > layer(source)
    ]
    assert not upward, upward


def test_the_core_never_imports_a_plugin_package():
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            assert not [
                n
                for n in names
                if n.split(".")[0]
                in {"apebench_pde", "apebench_nets", "apebench_training", "apebench_metrics"}
            ], path


def test_the_kernel_imports_neither_jax_nor_pandas():
    code = (
        "import sys\n"
        "import apebench_core.plugin, apebench_core.experiment.plan, apebench_core.experiment.fields\n"
        "import apebench_core.plugin.registry as r; r.get_registry().specs('architecture')\n"
        "heavy = [m for m in ('jax', 'pandas', 'equinox', 'optax') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    "old",
    [
        "hookspecs",
        "store",
        "analysis",
        "pipeline",
        "rollout",
        "testing",
        "batching",
        "devices",
        "results",
        "_registry",
    ],
)
def test_first_wave_import_paths_still_work(old):
    import importlib

    module = importlib.import_module(f"apebench_core.{old}")
    assert module.__name__.startswith("apebench_core.")
    assert importlib.import_module(f"apebench_core.{old}") is module


def test_seed_defaults_live_in_one_module():
    """Component names the core needs as defaults appear as literals in defaults.py only."""
    names = {"Conv;26;10;relu", "mean_nRMSE", "predict"}  # ("one" is also a channel rule)
    where = [
        f"{path.relative_to(ROOT)}: {node.value}"
        for path in ROOT.rglob("*.py")
        if path.name != "defaults.py"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and node.value in names
    ]
    assert not where, where
