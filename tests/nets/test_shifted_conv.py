"""The minibatch-folding rule of the matmul convolution computes the same values and gradients
as the definition, in every order of vmap and grad the training loop and users need."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from apebench_core.batching import vmap_inside_grad, vmap_inside_grad_promised
from apebench_nets.shifted_conv import periodic_conv


def definition(weight: np.ndarray, x: np.ndarray, before: int, dilation: int) -> np.ndarray:
    """y[o, i] = sum over c and taps k of w[o, c, k] x[c, i + k * dilation - before] (periodic), numpy."""
    out = np.zeros((weight.shape[0],) + x.shape[1:])
    for tap in np.ndindex(*weight.shape[2:]):
        shift = tuple(before - k * dilation for k in tap)
        rolled = np.roll(x, shift, axis=tuple(range(1, x.ndim)))
        out += np.einsum("oc,c...->o...", weight[(slice(None), slice(None)) + tap], rolled)
    return out


CASES = [  # (num_spatial_dims, kernel, before, dilation, points)
    (1, 3, 1, 1, 16),
    (1, 3, 2, 2, 16),
    (1, 1, 0, 1, 16),
    (1, 2, 0, 1, 9),
    (2, 3, 1, 1, 8),
    (3, 2, 0, 1, 4),
]
IDS = ["1d", "1d-dilated", "1d-pointwise", "1d-even", "2d", "3d"]


def case_arrays(num_spatial_dims, kernel, points, *, batch=(), seeds=()):
    rng = np.random.default_rng(0)
    weight = rng.standard_normal(seeds + (3, 2) + (kernel,) * num_spatial_dims)
    x = rng.standard_normal(seeds + batch + (2,) + (points,) * num_spatial_dims)
    return weight, x


@pytest.mark.parametrize("num_spatial_dims, kernel, before, dilation, points", CASES, ids=IDS)
@pytest.mark.parametrize("promise", [False, True], ids=["plain", "folded"])
def test_vmapped_values_match_the_definition(
    x64, num_spatial_dims, kernel, before, dilation, points, promise
):
    weight, x = case_arrays(num_spatial_dims, kernel, points, batch=(4,))
    with vmap_inside_grad(promise):
        out = jax.vmap(lambda s: periodic_conv(jnp.asarray(weight), s, before, dilation))(jnp.asarray(x))
    expected = np.stack([definition(weight, s, before, dilation) for s in x])
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-12)


def loss(weight, x, before, dilation):
    """grad(vmap(...)): the order the training loop promises (samples weighted unequally, so a
    mix-up of the minibatch order shows)."""
    out = jax.vmap(lambda s: periodic_conv(weight, s, before, dilation))(x)
    return jnp.sum(jnp.sin(out) * jnp.arange(1, len(x) + 1).reshape((-1,) + (1,) * (out.ndim - 1)))


@pytest.mark.parametrize("num_spatial_dims, kernel, before, dilation, points", CASES, ids=IDS)
def test_folded_gradient_equals_the_plain_one(x64, num_spatial_dims, kernel, before, dilation, points):
    weight, x = (jnp.asarray(a) for a in case_arrays(num_spatial_dims, kernel, points, batch=(4,)))
    plain = jax.grad(loss, argnums=(0, 1))(weight, x, before, dilation)
    with vmap_inside_grad():
        folded = jax.grad(loss, argnums=(0, 1))(weight, x, before, dilation)
    for a, b in zip(plain, folded, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_folded_gradient_with_seed_stacked_weights(x64):
    """The training loop's layout: vmap over seeds (weights and data) of grad(vmap over the minibatch)."""
    weight, x = (jnp.asarray(a) for a in case_arrays(1, 3, 16, batch=(4,), seeds=(2,)))

    def per_seed(w, xs):
        return jax.grad(loss)(w, xs, 1, 1)

    plain = jax.vmap(per_seed)(weight, x)
    with vmap_inside_grad():
        folded = jax.vmap(per_seed)(weight, x)
    np.testing.assert_allclose(plain, folded, rtol=1e-12, atol=1e-12)
    one_by_one = [jax.grad(loss)(weight[s], x[s], 1, 1) for s in range(2)]
    np.testing.assert_allclose(plain, np.stack(one_by_one), rtol=1e-12, atol=1e-12)


def test_without_the_promise_every_order_of_grad_and_vmap_works(x64):
    """Per-sample gradients (vmap of grad) and the gradient of one sample use plain batching."""
    weight, x = (jnp.asarray(a) for a in case_arrays(1, 3, 16, batch=(4,)))

    def one(w, s):
        return jnp.sum(jnp.sin(periodic_conv(w, s, 1, 1)))

    per_sample = jax.vmap(jax.grad(one), in_axes=(None, 0))(weight, x)
    summed = jax.grad(lambda w: sum(one(w, s) for s in x))(weight)
    np.testing.assert_allclose(per_sample.sum(0), summed, rtol=1e-12, atol=1e-12)
    assert not vmap_inside_grad_promised()


def test_the_promise_is_scoped():
    assert not vmap_inside_grad_promised()
    with vmap_inside_grad():
        assert vmap_inside_grad_promised()
        with vmap_inside_grad(False):
            assert not vmap_inside_grad_promised()
        assert vmap_inside_grad_promised()
    assert not vmap_inside_grad_promised()
