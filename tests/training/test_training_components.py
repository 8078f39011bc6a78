"""Optimizers, schedules, callbacks and tasks through the registry and the toy pipeline."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from apebench_toy import ShiftStepper, ToyAdvection, ToyPlugin

import apebench_core as apebench
from apebench_core.testing import registered_plugin


@pytest.fixture(scope="module")
def toy():
    with registered_plugin(ToyPlugin(), "toy"):
        yield


def schedule_values(config, steps):
    optimizer = apebench.parse_config("optimizer", config)
    return [float(optimizer["schedule"].build(num_steps=optimizer["num_steps"])(s)) for s in steps]


def test_warmup_cosine_schedule():
    values = schedule_values("adam;1000;warmup_cosine;0.0;1e-3;100", [0, 50, 100, 1000])
    np.testing.assert_allclose(values, [0.0, 5e-4, 1e-3, 0.0], atol=1e-9)


def test_exponential_schedule_staircase_parses_strictly():
    values = schedule_values("adam;100;exp;1.0;10;0.5;true", [0, 9, 10, 25])
    np.testing.assert_allclose(values, [1.0, 1.0, 0.5, 0.25])
    with pytest.raises(apebench.ConfigError, match="staircase"):
        apebench.parse_config("optimizer", "adam;100;exp;1.0;10;0.5;True1")


def _first_moment(state):
    """Adam's first moment mu inside an optimizer state (it sees the gradient after clipping)."""
    for node in jax.tree_util.tree_leaves(state, is_leaf=lambda x: hasattr(x, "mu")):
        if hasattr(node, "mu"):
            return node.mu
    raise AssertionError("no Adam state found")


@pytest.mark.parametrize("inner", ["adam;10;constant;1.0", "adamw;10;0.5;constant;1.0"])
def test_clipping_bounds_the_gradient_the_optimizer_sees(inner):
    """Adam normalises its update, so the update alone cannot show clipping; its first moment
    mu = (1 - b1) g after one step does: |g| is clipped from 1e6 to the norm 2."""
    params = {"w": jnp.zeros(3)}
    gradient = {"w": jnp.array([1e6, 0.0, 0.0])}
    for config, norm in ((f"clip;2.0;{inner}", 2.0), (inner, 1e6)):
        optimizer = apebench.build("optimizer", config)
        _, state = optimizer.update(gradient, optimizer.init(params), params)
        np.testing.assert_allclose(np.linalg.norm(_first_moment(state)["w"]), 0.1 * norm, rtol=1e-5)
    with pytest.raises(apebench.ConfigError, match="max_norm"):
        apebench.parse_config("optimizer", f"clip;0;{inner}")


def test_num_training_steps_through_nested_optimizer(toy):
    assert ToyAdvection(optim_config="clip;1.0;adam;123;constant;1e-3").num_training_steps == 123


def test_callbacks_fill_aux_columns(toy):
    scene = ToyAdvection(optim_config="adam;100;constant;3e-2", callbacks="weight_norm;50,metrics;100")
    table, _ = scene(network_config="ToyStencil", num_seeds=2, progress=False)
    assert [c for c in table.columns if c.startswith("aux_")] == ["aux_000000", "aux_000050", "aux_000100"]
    first, last = table["aux_000000"].iloc[1], table["aux_000100"].iloc[1]
    assert set(first) == {"weight_norm", "metrics"} and set(table["aux_000050"].iloc[0]) == {"weight_norm"}
    assert first["weight_norm"] != last["weight_norm"]
    # the metrics callback at the end equals the final evaluation
    np.testing.assert_allclose(
        last["metrics"]["toy_nrmse"], table.filter(like="toy_nrmse_").iloc[1], rtol=1e-5
    )


def test_correct_tasks_compose_with_the_coarse_solver(toy):
    network = lambda u: 2 * u  # noqa: E731
    coarse = ShiftStepper(1)
    u = jnp.arange(4.0)[None]
    cases = {
        "correct;parallel": coarse(u) + network(u),
        "correct;sequential": network(coarse(u)),
        "correct;sequential_with_bypass": coarse(u) + network(coarse(u)),
    }
    for config, expected in cases.items():
        stepper = apebench.build("task", config, network=network, coarse_stepper=coarse)
        np.testing.assert_allclose(stepper(u), expected)


def test_gradient_flows_through_the_coarse_solver(toy):
    """With `sequential`, d loss / d weight passes through coarse(u): compare with finite differences."""
    coarse = lambda u: 0.5 * u  # noqa: E731

    def loss(w):
        stepper = apebench.build("task", "correct;sequential", network=lambda u: w * u, coarse_stepper=coarse)
        return jnp.sum(stepper(stepper(jnp.ones((1, 4)))) ** 2)

    grad = jax.grad(loss)(1.5)
    fd = (loss(1.5 + 1e-3) - loss(1.5 - 1e-3)) / 2e-3
    np.testing.assert_allclose(grad, fd, rtol=1e-3)
    assert grad != 0
