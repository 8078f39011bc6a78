"""``apebench plugins new``: a ready plugin distribution, one working component per kind asked for.

What it writes installs with ``pip install ./NAME`` and passes its own tests unchanged: a
pyproject with the entry point, a hook module that imports no JAX, the components in a
module of their own, and tests that run apebench-core's conformance checks and a tiny
experiment with every new component in it.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path

from ..experiment import defaults
from ..plugin.errors import PlanError

#: The kinds the kit can write a component for, with the default selection.
KIT_KINDS = ("architecture", "metric", "trainer", "callback", "scenario", "initial_condition")
DEFAULT_KINDS = ("architecture", "metric")


def _names(name: str) -> dict[str, str]:
    package = name.replace("-", "_").lower()
    if not re.fullmatch(r"[a-z][a-z0-9_]*", package) or keyword.iskeyword(package):
        raise PlanError(
            f"plugin name {name!r}: expected letters, digits, '-' or '_', starting with a letter "
            "(it becomes the Python package name)"
        )
    camel = "".join(part.capitalize() for part in package.split("_"))
    return {"dist": name, "pkg": package, "camel": camel, "prefix": package}


_SPECS = {
    "architecture": """
@hookimpl
def apebench_architectures():
    return [
        ComponentSpec(
            "architecture",
            "{camel}Stencil",
            f"{{_COMPONENTS}}:stencil",
            "identity plus a learnable periodic stencil along every axis",
            fields=(Field("kernel_size", "int", "taps per axis (odd)", default=3, ge=1),),
            metadata={{"example": "{camel}Stencil;3"}},
        )
    ]
""",
    "metric": """
@hookimpl
def apebench_metrics():
    return [
        ComponentSpec(
            "metric",
            "{prefix}_max_error",
            f"{{_COMPONENTS}}:max_error",
            "largest absolute error over space and channels, averaged over samples",
        )
    ]
""",
    "trainer": """
@hookimpl
def apebench_trainers():
    return [
        ComponentSpec(
            "trainer",
            "{prefix}_l1",
            f"{{_COMPONENTS}}:one_step_l1",
            "one-step training with a mean absolute error loss",
        )
    ]
""",
    "callback": """
@hookimpl
def apebench_callbacks():
    return [
        ComponentSpec(
            "callback",
            "{prefix}_weight_norm",
            f"{{_COMPONENTS}}:weight_norm",
            "squared L2 norm of each seed's weights",
            fields=(Field("every", "int", "run after every this many updates", ge=1),),
        )
    ]
""",
    "scenario": """
@hookimpl
def apebench_scenarios():
    return [
        ComponentSpec(
            "scenario",
            "{prefix}_decay",
            f"{{_COMPONENTS}}:Decay",
            "exponential decay u -> (1 - decay_rate) u per step",
            metadata={{"family": "{pkg}", "class_name": "Decay", "dims": (1, 2, 3)}},
        )
    ]
""",
    "initial_condition": '''
@hookimpl
def apebench_initial_conditions():
    return [
        ComponentSpec(
            "initial_condition",
            "{prefix}_sines",
            f"{{_COMPONENTS}}:sines",
            "a sum of sines of random amplitude along every axis, modes 1..max_mode",
            fields=(Field("max_mode", "int", "highest mode", default=3, ge=1),),
            validate=f"{{__name__}}:max_mode_resolvable",
        )
    ]


def max_mode_resolvable(values, facts):
    """Checked when an experiment is planned, before any data exists."""
    if values["max_mode"] > facts["num_points"] // 2:
        raise ValueError(f"field 'max_mode' ({{values['max_mode']}}) exceeds num_points // 2")
''',
}

_COMPONENTS = {
    "architecture": '''

class Stencil(eqx.Module):
    """u + sum over axes and taps of w[tap] * u shifted by (tap - half) cells."""

    weights: Float[Array, " taps"]

    def __call__(self, u: Float[Array, " channels *space"]) -> Float[Array, " channels *space"]:
        half = self.weights.shape[0] // 2
        out = u
        for axis in range(1, u.ndim):
            for tap in range(self.weights.shape[0]):
                out = out + self.weights[tap] * jnp.roll(u, tap - half, axis=axis)
        return out


def stencil(*, kernel_size, num_spatial_dims, num_channels, num_points, key):
    return Stencil(0.01 * jax.random.normal(key, (kernel_size,)))
''',
    "metric": """

def max_error():
    def metric(prediction, reference):
        axes = tuple(range(1, prediction.ndim))
        return jnp.mean(jnp.max(jnp.abs(prediction - reference), axis=axes))

    return metric
""",
    "trainer": '''

@dataclasses.dataclass(frozen=True)
class OneStepL1:
    """Windows of two states; the loss is the mean absolute error of one step."""

    window_length: int = 2

    def loss(self, stepper, window, *, ref_stepper=None, key=None):
        return jnp.mean(jnp.abs(stepper(window[0]) - window[1]))


def one_step_l1():
    return OneStepL1()
''',
    "callback": """

@dataclasses.dataclass(frozen=True)
class WeightNorm:
    every: int
    name: str = "{prefix}_weight_norm"

    def __call__(self, networks, make_stepper):
        leaves = jax.tree_util.tree_leaves(eqx.filter(networks, eqx.is_inexact_array))
        per_seed = sum(jnp.sum(leaf.reshape(leaf.shape[0], -1) ** 2, axis=1) for leaf in leaves)
        return [float(value) for value in per_seed]


def weight_norm(*, every):
    return WeightNorm(every)
""",
    "scenario": '''

class Decay(BaseScenario):
    """Every state loses a fixed fraction per step; the coarse stepper loses half of it."""

    decay_rate: float = 0.1
    field_docs: ClassVar[dict] = {{"decay_rate": doc("fraction of the state lost per step", ge=0, lt=1)}}

    def get_ref_stepper(self):
        rate = self.decay_rate
        return lambda u: (1.0 - rate) * u

    def get_coarse_stepper(self):
        rate = 0.5 * self.decay_rate
        return lambda u: (1.0 - rate) * u

    def get_scenario_name(self):
        return f"{{self.num_spatial_dims}}d_{prefix}_decay"
''',
    "initial_condition": """

class Sines(eqx.Module):
    num_spatial_dims: int = eqx.field(static=True)
    num_points: int = eqx.field(static=True)
    max_mode: int = eqx.field(static=True)

    def __call__(self, *, key):
        x = jnp.arange(self.num_points) * 2 * jnp.pi / self.num_points
        field = jnp.zeros((self.num_points,) * self.num_spatial_dims)
        for axis, axis_key in enumerate(jax.random.split(key, self.num_spatial_dims)):
            amplitudes = jax.random.uniform(axis_key, (self.max_mode,), minval=-1.0, maxval=1.0)
            profile = sum(a * jnp.sin((m + 1) * x) for m, a in enumerate(amplitudes))
            shape = [1] * self.num_spatial_dims
            shape[axis] = self.num_points
            field = field + profile.reshape(shape)
        return field


def sines(*, max_mode, num_spatial_dims, num_points):
    return Sines(num_spatial_dims, num_points, max_mode)
""",
}

_PYPROJECT = """[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{dist}"
version = "0.1.0"
description = "An apebench-core plugin: {kinds}"
requires-python = ">=3.10"
dependencies = ["apebench-core"]

[project.optional-dependencies]
test = ["pytest>=8"]

# The entry point is all apebench needs to find the plugin after `pip install`.
[project.entry-points.apebench]
{pkg} = "{pkg}"

[tool.setuptools]
packages = ["{pkg}"]
"""

_HOOKS_HEAD = '''"""The {dist} plugin's hooks: specs only, no JAX here, so `apebench list` stays fast.

The components themselves live in {pkg}.components and load when an experiment builds them.
"""

from apebench_core.plugin import ComponentSpec, Field, hookimpl

#: The plugin API this plugin was written for (a newer, incompatible apebench skips it).
apebench_api = "2"

_COMPONENTS = "{pkg}.components"
'''

_COMPONENTS_HEAD = '''"""The {dist} plugin's components (imported only when an experiment builds one)."""

import dataclasses
from typing import ClassVar

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float

from apebench_core.plugin import BaseScenario, doc
'''

_TESTS = '''"""Tests of the {dist} plugin: apebench-core's conformance checks, then a tiny experiment."""

import apebench_core as apebench
from apebench_core.testing import check_plugin

NEW = {new!r}


def test_conformance():
    failed = [result.line() for result in check_plugin("{pkg}") if not result.passed]
    assert not failed, failed


def test_components_are_registered():
    specs = [spec for kind in apebench.kinds() for spec in apebench.list_components(kind)]
    mine = {{spec.name for spec in specs if spec.plugin == "{pkg}"}}
    assert mine == set(NEW)


def test_a_tiny_experiment_uses_every_new_component():
    experiment = apebench.plan(
        {scenario!r},
        net={net!r},
        train={train!r},
        num_seeds=2,
        num_points=16,
        num_train_samples=4,
        train_temporal_horizon=4,
        num_test_samples=2,
        test_temporal_horizon=5,
        optim_config="adam;20;constant;1e-3",
        record_loss_every=10,
        batch_size=4,
        ic_config={ic!r},
        report_metrics={metrics!r},
        callbacks={callbacks!r},
    )
    table = apebench.run(experiment, progress=False).table
    assert len(table) == 2 and not table["diverged"].any()
    for metric in experiment.metric_names:
        assert f"{{metric}}_0005" in table.columns
'''


def write_plugin(
    name: str, kinds: tuple[str, ...] = DEFAULT_KINDS, *, folder: str | Path = "."
) -> list[Path]:
    """Write the distribution ``folder/name``; returns the files written."""
    unknown = [kind for kind in kinds if kind not in KIT_KINDS]
    if unknown or not kinds:
        raise PlanError(f"--kinds {','.join(kinds)!r}: expected some of {', '.join(KIT_KINDS)}")
    names = _names(name)
    root = Path(folder) / name
    if root.exists() and any(root.iterdir()):
        raise PlanError(f"{root} exists and is not empty; choose another name or --out folder")
    kinds = tuple(kind for kind in KIT_KINDS if kind in kinds)  # canonical order
    new = {
        "architecture": f"{names['camel']}Stencil",
        "metric": f"{names['prefix']}_max_error",
        "trainer": f"{names['prefix']}_l1",
        "callback": f"{names['prefix']}_weight_norm",
        "scenario": f"{names['prefix']}_decay",
        "initial_condition": f"{names['prefix']}_sines",
    }
    picked = {kind: new[kind] for kind in kinds}
    experiment = {
        "scenario": picked.get("scenario", defaults.EXAMPLE_SCENARIO),
        "net": f"{picked['architecture']};3" if "architecture" in picked else defaults.SMALL_NET,
        "train": picked.get("trainer", defaults.TRAIN),
        "ic": f"{picked['initial_condition']};2"
        if "initial_condition" in picked
        else defaults.INITIAL_CONDITION,
        "metrics": ",".join([defaults.METRIC] + ([picked["metric"]] if "metric" in picked else [])),
        "callbacks": f"{picked['callback']};10" if "callback" in picked else "",
    }
    files = {
        root / "pyproject.toml": _PYPROJECT.format(kinds=", ".join(kinds), **names),
        root / names["pkg"] / "__init__.py": _HOOKS_HEAD.format(**names)
        + "".join("\n" + _SPECS[kind].format(**names) for kind in kinds),
        root / names["pkg"] / "components.py": _COMPONENTS_HEAD.format(**names)
        + "".join("\n" + _COMPONENTS[kind].format(**names) for kind in kinds),
        root / "tests" / f"test_{names['pkg']}.py": _TESTS.format(
            new=sorted(picked.values()), **names, **experiment
        ),
        root / "README.md": f"# {name}\n\nAn apebench-core plugin ({', '.join(kinds)}).\n\n"
        "```bash\npip install -e '.[test]'\napebench plugins check "
        f"{names['pkg']}\npython -m pytest tests\n```\n",
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return list(files)
