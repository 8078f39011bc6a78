"""Meta-tests over every bundled spec: documented, round-trips its config string, builds tiny.

A spec may give ``metadata["example"]``, a config string that is meaningful at tiny sizes;
otherwise one is generated from the field types.
"""

import jax
import jax.numpy as jnp
import pytest

import apebench_core as apebench
from apebench_core.experiment.conformance import dummy_context, example_config
from apebench_core.hookspecs import KINDS

BUNDLED = {"pde", "nets", "training", "metrics"}


def example(spec) -> str:
    return example_config(spec)


def bundled_specs(*kinds):
    return [
        pytest.param(spec, id=f"{spec.kind}:{spec.name}")
        for kind in kinds
        for spec in apebench.list_components(kind)
        if spec.plugin in BUNDLED
    ]


@pytest.mark.parametrize("spec", bundled_specs(*KINDS))
def test_documented_and_round_trips(spec):
    assert spec.summary, f"{spec.name} has no summary"
    assert all(field.help for field in spec.fields), f"{spec.name} has a field without help"
    parsed = apebench.parse_config(spec.kind, example(spec))
    assert apebench.parse_config(spec.kind, parsed.format()) == parsed


BUILT_KINDS = (
    "architecture",
    "activation",
    "initial_condition",
    "trainer",
    "task",
    "optimizer",
    "schedule",
    "metric",
)


def tiny_context(kind: str) -> dict:
    """The conformance check's context, with a typed "rbg" key: XLA compiles threefry's hash
    slowly on CPU (about a second per weight shape), and what is checked here does not depend
    on the generator."""
    context = dummy_context(kind)
    if "key" in context:
        context["key"] = jax.random.key(0, impl="rbg")
    return context


@pytest.mark.parametrize("spec", bundled_specs(*BUILT_KINDS))
def test_builds_at_tiny_size(spec):
    component = apebench.build(spec.kind, example(spec), **tiny_context(spec.kind))
    u = jnp.linspace(-1, 1, 16).reshape(1, 16)
    if spec.kind in ("architecture", "task"):
        assert component(u).shape == (1, 16)
    elif spec.kind == "activation":
        assert component(u).shape == u.shape
    elif spec.kind == "initial_condition":
        assert component(key=jax.random.PRNGKey(0)).shape == (16,)
    elif spec.kind == "metric":
        check_metric(spec, component, u)
    elif spec.kind == "schedule":
        check_schedule(spec, component)
    elif spec.kind == "trainer":
        check_trainer(component)


def check_metric(spec, metric, u):
    """A scalar; zero error (or full correlation) for a perfect prediction, worse for a wrong one."""
    reference = jnp.stack([u, jnp.cos(3.0 * u)])  # (samples, channels, space)
    perfect, wrong = metric(reference, reference), metric(0.5 * reference, reference)
    assert jnp.shape(perfect) == () and jnp.shape(wrong) == ()
    if spec.name == "mean_correlation":
        assert jnp.allclose(perfect, 1.0, atol=1e-5) and jnp.allclose(wrong, 1.0, atol=1e-5)  # scale-free
        assert metric(-reference, reference) < 0
    else:
        assert jnp.allclose(perfect, 0.0, atol=1e-6), spec.name
        assert wrong > 1e-3, spec.name


def check_schedule(spec, schedule):
    """Starts at its initial value and stays positive and finite."""
    values = jnp.array([schedule(step) for step in range(0, 11)])
    assert values.shape == (11,) and jnp.isfinite(values).all() and (values >= 0).all()
    start = 0.5  # every float field of the example is 0.5
    assert jnp.allclose(values[0], start), (spec.name, values[0])


def check_trainer(methodology):
    """On a constant trajectory the identity stepper has zero loss, a stepper adding 1 does not."""
    window = jnp.ones((methodology.window_length, 1, 16))
    key = jax.random.PRNGKey(0)
    kwargs = dict(ref_stepper=lambda u: u, key=key)
    exact = methodology.loss(lambda u: u, window, **kwargs)
    off = methodology.loss(lambda u: u + 1.0, window, **kwargs)
    assert jnp.shape(exact) == () and jnp.allclose(exact, 0.0, atol=1e-6)
    assert off > 0.5
