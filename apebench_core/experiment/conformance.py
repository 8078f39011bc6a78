"""``apebench plugins check``: does a plugin honour the contract of every kind it serves?

Each component is built from its example config (``metadata["example"]``, or one made from
its fields) with a small dummy context and checked against its kind's contract; the plugin's
entry module must import no JAX, and listing with it installed is timed. JAX is imported only
while components are built.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import attrs

from ..plugin.errors import ApebenchError
from ..plugin.registry import Registry, get_registry
from ..plugin.spec import ComponentSpec, Field

#: Dummy sizes of the contexts components are built with.
NUM_POINTS = 16
#: What a field of each type is set to in a generated example (within the field's bounds).
EXAMPLE_TOKENS = {"int": 2, "float": 0.5, "bool": "true", "str": "x", "floats": "0.1,0.2"}


def _token(field: Field) -> str:
    if field.type == "choice":
        return field.choices[0]
    value: Any = EXAMPLE_TOKENS[field.type]
    bounds = field.bounds
    if field.type in ("int", "float") and bounds.violated_by(value):
        step = 1 if field.type == "int" else 0.5
        candidates = [
            bounds.ge,
            None if bounds.gt is None else bounds.gt + step,
            bounds.le,
            None if bounds.lt is None else bounds.lt - step,
        ]
        value = next(c for c in candidates if c is not None and not bounds.violated_by(c))
        value = int(value) if field.type == "int" else float(value)
    return str(value)


def example_config(spec: ComponentSpec, registry: Registry | None = None) -> str:
    """A config string for ``spec``: its declared example, else one made from its fields."""
    if "example" in spec.metadata:
        return str(spec.metadata["example"])
    registry = registry or get_registry()
    tokens = [spec.qualified_name if spec.plugin and registry.label(spec) != spec.name else spec.name]
    for field in spec.fields:
        if field.type == "config":
            assert field.kind is not None
            others = [s for s in registry.specs(field.kind) if s is not spec]
            bundled = [s for s in others if registry.is_bundled(s)]
            tokens.append(example_config((bundled or others)[0], registry))
        else:
            tokens.append(_token(field))
    return ";".join(tokens)


def dummy_context(kind: str) -> dict[str, Any]:
    """What a factory of ``kind`` receives in a check: a 1D, one-channel, 16-point world."""
    import jax

    contexts: dict[str, Callable[[], dict[str, Any]]] = {
        "architecture": lambda: dict(
            num_spatial_dims=1, num_channels=1, num_points=NUM_POINTS, key=jax.random.PRNGKey(0)
        ),
        "initial_condition": lambda: dict(num_spatial_dims=1, num_points=NUM_POINTS),
        "task": lambda: dict(network=lambda u: u, coarse_stepper=lambda u: u),
        "schedule": lambda: dict(num_steps=10),
    }
    return contexts.get(kind, dict)()


def dummy_optional_context(kind: str) -> dict[str, Any]:
    """The context a factory gets only if its signature names it (callbacks: evaluation, scenario)."""
    if kind != "callback":
        return {}
    import jax.numpy as jnp

    from .evaluation import Evaluation

    test_data = jnp.zeros((2, 4, 1, NUM_POINTS)).at[..., 0].set(1.0)
    return {"evaluation": Evaluation(lambda: test_data, {}, 3, 1), "scenario": None}


@attrs.frozen
class CheckResult:
    """One line of the report: what was checked, whether it passed, and why not."""

    subject: str
    passed: bool
    detail: str = ""

    def line(self) -> str:
        return f"{'ok  ' if self.passed else 'FAIL'} {self.subject}" + (
            f": {self.detail}" if self.detail else ""
        )


def check_component(spec: ComponentSpec, registry: Registry | None = None) -> CheckResult:
    registry = registry or get_registry()
    config = example_config(spec, registry)
    subject = f"{spec.kind} {spec.name} ({config})"
    try:
        parsed = registry.parse(spec.kind, config)
        parsed.build(optional_context=dummy_optional_context(spec.kind), **dummy_context(spec.kind))
    except (ApebenchError, ValueError, LookupError) as error:
        return CheckResult(subject, False, str(error).splitlines()[0])
    return CheckResult(subject, True)


def _entry_module_is_light(module: str) -> CheckResult:
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "heavy = [m for m in ('jax', 'jaxlib', 'equinox', 'optax', 'pandas') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode:
        return CheckResult(f"entry module {module} imports", False, done.stderr.strip().splitlines()[-1])
    heavy = done.stdout.strip()
    return CheckResult(
        f"entry module {module} imports no JAX", not heavy, f"it imports {heavy}" if heavy else ""
    )


def _listing_time() -> CheckResult:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from apebench_core.cli import main; main(['list'])"],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    return CheckResult(
        f"`apebench list` with it installed: {seconds:.2f} s",
        done.returncode == 0,
        done.stderr.strip()[-200:],
    )


def check_plugin(name: str, registry: Registry | None = None) -> list[CheckResult]:
    """Every check of one plugin, by entry-point name or distribution name."""
    registry = registry or get_registry()
    infos = [
        info
        for info in registry.plugins()
        if name.lower() in {info.name.lower(), (info.distribution or "").lower()}
    ]
    if not infos:
        known = ", ".join(info.name for info in registry.plugins())
        raise ApebenchError(f"no plugin named {name!r}; installed: {known} (see `apebench plugins`)")
    results: list[CheckResult] = []
    for info in infos:
        results.append(
            CheckResult(f"plugin {info.name} loads", info.status == "active", "; ".join(info.errors))
        )
        specs = [s for kind in registry.kinds() for s in registry.specs(kind) if s.plugin == info.name]
        results.extend(check_component(spec, registry) for spec in specs)
        if info.module:
            results.append(_entry_module_is_light(info.module))
    results.append(_listing_time())
    return results
