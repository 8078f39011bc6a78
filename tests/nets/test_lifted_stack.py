"""Running a lifted stack's blocks as a loop over stacked weights changes nothing but speed."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from apebench_core.batching import vmap_inside_grad
from apebench_nets.blocks import ClassicResBlock
from apebench_nets.lifted_stack import LiftedStack


def res_stack(loop_over_blocks: bool) -> LiftedStack:
    return LiftedStack(
        1,
        2,
        2,
        hidden_channels=5,
        num_blocks=3,
        make_block=lambda k: ClassicResBlock(1, 5, activation=jax.nn.relu, key=k),
        loop_over_blocks=loop_over_blocks,
        key=jax.random.PRNGKey(3),
    )


@pytest.mark.parametrize("promised", [False, True])
def test_looped_blocks_give_the_unrolled_values_and_gradients(x64, promised):
    looped, unrolled = res_stack(True), res_stack(False)
    x = jax.random.normal(jax.random.PRNGKey(4), (4, 2, 16))
    sample_weights = jnp.arange(1.0, 5.0)[:, None, None]  # unequal, so a batch mix-up shows

    def loss(net):
        with vmap_inside_grad(promised):
            return jnp.sum(jax.vmap(net)(x) ** 2 * sample_weights)

    np.testing.assert_allclose(jax.vmap(looped)(x), jax.vmap(unrolled)(x), rtol=1e-12, atol=1e-12)
    grads = [eqx.filter_grad(loss)(net) for net in (looped, unrolled)]
    leaves = [jax.tree.leaves(g) for g in grads]
    # weight and bias of the lifting, the projection and the 2 convs of each of the 3 blocks
    assert len(leaves[0]) == len(leaves[1]) == 2 * 2 + 3 * 2 * 2
    for a, b in zip(*leaves, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_res_loops_over_its_blocks_only_when_the_activation_needs_its_input(build):
    assert not build("Res;4;2;relu").loop_over_blocks  # relu is differentiated through its output
    assert build("Res;4;2;gelu").loop_over_blocks
    assert not build("FNO;2;4;2;gelu").loop_over_blocks


def test_relu_and_its_derivative_equal_jax_nn_relu():
    from apebench_nets.activations import relu

    x = jnp.array([-2.0, -0.0, 0.0, 1e-30, 3.0, jnp.nan])
    np.testing.assert_array_equal(relu(x), jax.nn.relu(x))
    grad = jax.vmap(jax.grad(relu))(x)
    np.testing.assert_array_equal(grad, jax.vmap(jax.grad(jax.nn.relu))(x))
    np.testing.assert_array_equal(jax.vmap(jax.grad(lambda v: relu(relu(v) * 2.0)))(x), [0, 0, 0, 2, 2, 0])
