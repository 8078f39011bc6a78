"""Each methodology optimises its documented loss: checked in closed form on u -> a u vs w u."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import apebench_core as apebench
from apebench_core.rollout import MAX_UNROLLED_STEPS, rollout

A, W = 0.9, 0.7


def emulator(w):
    return lambda u: w * u


def reference(u):
    return A * u


@pytest.fixture(scope="module")
def u0():
    return jnp.sin(jnp.linspace(0, 2 * jnp.pi, 16, endpoint=False))[None] + 0.3


def window(u0, length):
    return jnp.stack([A**t * u0 for t in range(length)])


def loss_of(config, u0, w=W, key=None):
    key = jax.random.PRNGKey(0) if key is None else key
    method = apebench.build("trainer", config)
    return method.loss(emulator(w), window(u0, method.window_length), ref_stepper=reference, key=key)


def m(u0):
    return float(jnp.mean(u0**2))


def test_one_step(u0):
    np.testing.assert_allclose(loss_of("one", u0), (W - A) ** 2 * m(u0), rtol=1e-5)


def test_supervised_sums_time_levels(u0):
    expected = sum((W**t - A**t) ** 2 for t in range(1, 4)) * m(u0)
    np.testing.assert_allclose(loss_of("sup;3", u0), expected, rtol=1e-5)


def test_diverted_chain_branch_one(u0):
    expected = sum((W - A) ** 2 * W ** (2 * (t - 1)) for t in range(1, 4)) * m(u0)
    np.testing.assert_allclose(loss_of("div;3", u0), expected, rtol=1e-5)
    np.testing.assert_allclose(loss_of("br;3;1", u0), expected, rtol=1e-5)


def test_branch_length_interpolates_between_div_and_sup(u0):
    T, B = 4, 2
    expected = sum((W ** (t + b) - A**b * W**t) ** 2 for t in range(T - B + 1) for b in range(1, B + 1)) * m(
        u0
    )
    np.testing.assert_allclose(loss_of("br;4;2", u0), expected, rtol=1e-5)
    np.testing.assert_allclose(loss_of("br;3;3", u0), loss_of("sup;3", u0), rtol=1e-6)


def test_mix_chain_hands_over_to_the_solver(u0):
    T, P = 2, 2
    expected = sum((W**t - A**t) ** 2 for t in range(1, T + 1))
    expected += sum((A**p * W**T - A ** (T + p)) ** 2 for p in range(1, P + 1))
    np.testing.assert_allclose(loss_of("mix;2;2", u0), expected * m(u0), rtol=1e-5)


def test_pushforward_gradient_only_through_last_step(u0):
    T = 3
    np.testing.assert_allclose(loss_of("pf;3", u0), (W**T - A**T) ** 2 * m(u0), rtol=1e-5)
    grad = jax.grad(lambda w: loss_of("pf;3", u0, w))(W)
    np.testing.assert_allclose(grad, 2 * (W**T - A**T) * W ** (T - 1) * m(u0), rtol=1e-4)
    full = jax.grad(lambda w: loss_of("sup;3", u0, w))(W)
    assert not np.isclose(grad, full)


def test_cut_bptt_changes_the_gradient_not_the_loss(u0):
    np.testing.assert_allclose(loss_of("sup;3;true", u0), loss_of("sup;3", u0), rtol=1e-6)
    cut = jax.grad(lambda w: loss_of("sup;3;true", u0, w))(W)
    full = jax.grad(lambda w: loss_of("sup;3", u0, w))(W)
    expected_cut = sum(2 * (W**t - A**t) * W ** (t - 1) for t in range(1, 4)) * m(u0)
    np.testing.assert_allclose(cut, expected_cut, rtol=1e-4)
    assert not np.isclose(cut, full)


def test_noise_injection(u0):
    np.testing.assert_allclose(loss_of("noise;0.0", u0), loss_of("one", u0), rtol=1e-6)
    a = loss_of("noise;0.1", u0, key=jax.random.PRNGKey(1))
    b = loss_of("noise;0.1", u0, key=jax.random.PRNGKey(2))
    assert a != b and np.isfinite(a)


def test_diverted_chain_requires_reference(u0):
    method = apebench.build("trainer", "div;2")
    with pytest.raises(ValueError, match="reference stepper"):
        method.loss(emulator(W), window(u0, 1), ref_stepper=None, key=None)


def test_branch_longer_than_chain_is_rejected():
    with pytest.raises(ValueError, match="branch length"):
        apebench.build("trainer", "br;2;3")


@pytest.mark.parametrize("num_steps", [1, 5, MAX_UNROLLED_STEPS, MAX_UNROLLED_STEPS + 1])
@pytest.mark.parametrize("include_init", [False, True])
def test_unrolled_rollout_equals_the_loop(num_steps, include_init):
    """Training chains are unrolled for speed; values and gradients must not change."""
    stepper = lambda u: jnp.sin(1.3 * u) + 0.1 * jnp.roll(u, 1)  # noqa: E731
    u0 = jnp.linspace(-1.0, 1.0, 8)[None]
    loop = rollout(stepper, u0, num_steps, include_init=include_init)
    unrolled = rollout(stepper, u0, num_steps, include_init=include_init, unroll=True)
    assert unrolled.shape == loop.shape == (num_steps + include_init, 1, 8)
    np.testing.assert_allclose(unrolled, loop, rtol=1e-5, atol=1e-6)  # float32 round-off
    grad = lambda unroll: jax.grad(  # noqa: E731
        lambda u: jnp.sum(rollout(stepper, u, num_steps, include_init=include_init, unroll=unroll) ** 2)
    )(u0)
    np.testing.assert_allclose(grad(True), grad(False), rtol=1e-4, atol=1e-5)
