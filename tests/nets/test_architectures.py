"""The nine architectures: reference parameter counts and receptive fields, periodicity, shapes."""

from __future__ import annotations

import math

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from apebench_nets import count_parameters
from apebench_nets.lifted_stack import dilation_rates

#: The reference implementations' figures for the 1D single-channel field, N=160 (the specification).
REFERENCE_1D = [
    ("Conv;34;10;relu", 31_757, 11),
    ("Res;26;8;relu", 32_943, 16),
    ("UNet;12;2;relu", 27_193, 29),
    ("Dil;2;32;2;relu", 31_777, 20),
    ("FNO;12;18;4;gelu", 32_527, math.inf),
    ("MoRes;26;8;relu", 33_775, 16),
    ("MoUNet;12;2;relu", 52_529, 47),
    ("MLP;64;3;relu", 29_024, math.inf),
]

#: Small instances of every grammar (N must divide by 2 for the one-level U-Nets, and
#: hold 2 * modes points for the FNO).
TINY = [
    "Conv;4;2;relu",
    "Res;4;1;tanh",
    "UNet;2;1;relu",
    "Dil;1;4;1;swish",
    "FNO;2;4;1;gelu",
    "MoRes;4;1;sigmoid",
    "MoUNet;2;1;relu",
    "MLP;8;2;relu",
    "Pure;3",
]
CONVOLUTIONAL = [c for c in TINY if not c.startswith("MLP")]


@eqx.filter_jit
def apply(net, x):
    """One compilation per network instead of one per primitive in eager mode (much faster)."""
    return net(x)


@pytest.mark.parametrize("config, parameters, receptive_field", REFERENCE_1D)
def test_reference_parameter_count_and_receptive_field(build, config, parameters, receptive_field):
    net = build(config, num_points=160)
    assert count_parameters(net) == parameters
    assert net.num_parameters == parameters
    assert net.receptive_field == receptive_field


def test_fno_parameter_count_in_2d(build):
    assert count_parameters(build("FNO;12;18;4;gelu", num_spatial_dims=2, num_points=32)) == 747_919


def test_mlp_grows_with_the_grid(build):
    # two hidden-to-hidden layers are fixed; the first and last scale with C * N
    small, large = (count_parameters(build("MLP;8;2;relu", num_points=n)) for n in (16, 32))
    assert large - small == 2 * 8 * 16 + 16


@pytest.mark.parametrize(
    "depth, rates", [(0, (1,)), (1, (1, 2, 1)), (2, (1, 2, 4, 2, 1)), (3, (1, 2, 4, 8, 4, 2, 1))]
)
def test_dilation_rates(depth, rates):
    assert dilation_rates(depth) == rates


def test_dilated_block_uses_the_rates(build):
    net = build("Dil;2;4;1;relu")
    assert [conv.dilation for conv in net.blocks[0].convs] == [1, 2, 4, 2, 1]


class _FrozenStatisticsNorm(eqx.Module):
    """A GroupNorm whose mean and variance carry no derivative: only the local path counts."""

    norm: eqx.nn.GroupNorm

    def __call__(self, x):
        frozen = jax.lax.stop_gradient(x)
        mean, var = jnp.mean(frozen), jnp.var(frozen)
        return (
            self.norm.weight[:, None] * (x - mean) / jnp.sqrt(var + self.norm.eps) + self.norm.bias[:, None]
        )


def _freeze_norm_statistics(net):
    is_norm = lambda node: isinstance(node, eqx.nn.GroupNorm)  # noqa: E731
    return jax.tree_util.tree_map(
        lambda node: _FrozenStatisticsNorm(node) if is_norm(node) else node, net, is_leaf=is_norm
    )


def measured_reach(net, num_points, *, seed=0):
    """How far (cells, each side) a perturbation of one input point moves the output: the
    non-zero band of one column of the Jacobian (norm statistics frozen, see above)."""
    net = _freeze_norm_statistics(net)
    centre = num_points // 2
    x = jax.random.normal(jax.random.PRNGKey(seed), (1, num_points))
    tangent = jnp.zeros_like(x).at[0, centre].set(1.0)
    _, column = eqx.filter_jit(jax.jvp)(net, (x,), (tangent,))
    touched = np.flatnonzero(np.asarray(column[0]) != 0.0)
    return centre - touched.min(), touched.max() - centre


@pytest.mark.parametrize("config, parameters, receptive_field", REFERENCE_1D[:-1])
def test_receptive_field_is_what_a_perturbation_reaches(build, config, parameters, receptive_field):
    num_points = 256
    backward, forward = measured_reach(build(config, num_points=num_points), num_points)
    if math.isinf(receptive_field):
        assert backward == num_points // 2 and forward == num_points // 2 - 1  # every point
    elif config.startswith(("UNet", "MoUNet")):
        # the reference's figure for the hierarchy is an upper bound: strided and transposed
        # convolutions do not reach their full kernel extent on every output point
        assert max(backward, forward) <= receptive_field
        assert max(backward, forward) > receptive_field // 2
    else:
        assert (backward, forward) == (receptive_field, receptive_field)


@pytest.mark.parametrize("config", CONVOLUTIONAL)
def test_shift_equivariance_on_the_periodic_grid(build, config):
    """net(roll(x)) == roll(net(x)): periodic padding, no preferred position (the U-Nets
    only for shifts by a multiple of their total coarsening)."""
    net = build(config, num_channels=2, num_points=16)
    x = jax.random.normal(jax.random.PRNGKey(1), (2, 16))
    shift = 2 if "UNet" in config else 3
    np.testing.assert_allclose(
        apply(net, jnp.roll(x, shift, axis=-1)), jnp.roll(apply(net, x), shift, axis=-1), rtol=2e-5, atol=2e-5
    )


def test_shift_equivariance_in_2d_and_wrap_around(build):
    net = build("Res;4;1;relu", num_spatial_dims=2, num_points=8)
    x = jax.random.normal(jax.random.PRNGKey(2), (1, 8, 8))
    shifted = jnp.roll(x, (5, -3), axis=(1, 2))
    np.testing.assert_allclose(
        apply(net, shifted), jnp.roll(apply(net, x), (5, -3), axis=(1, 2)), rtol=2e-5, atol=2e-5
    )


@pytest.mark.parametrize(
    "num_spatial_dims, num_channels, num_points",
    # both channel counts in 1D; one each in 2D and 3D (initialisation compiles per weight
    # shape, so every extra case costs seconds)
    [(1, 1, 16), (1, 2, 16), (2, 1, 8), (3, 2, 8)],
)
@pytest.mark.parametrize("config", TINY)
def test_output_shape_in_every_dimension(build, config, num_spatial_dims, num_channels, num_points):
    net = build(config, num_spatial_dims=num_spatial_dims, num_channels=num_channels, num_points=num_points)
    shape = (num_channels,) + (num_points,) * num_spatial_dims
    y = apply(net, jax.random.normal(jax.random.PRNGKey(0), shape))
    assert y.shape == shape
    assert bool(jnp.all(jnp.isfinite(y)))


def test_initialisation_depends_on_the_key(build):
    a, b = build("MoUNet;2;1;relu", num_points=16, seed=0), build("MoUNet;2;1;relu", num_points=16, seed=1)
    leaves_a, leaves_b = (jax.tree_util.tree_leaves(eqx.filter(n, eqx.is_array)) for n in (a, b))
    differing = [not np.array_equal(la, lb) for la, lb in zip(leaves_a, leaves_b, strict=True)]
    # every convolution weight and bias (ndim >= 2) differs; the norms start at scale 1, shift 0
    assert differing == [leaf.ndim >= 2 for leaf in leaves_a]


def test_networks_initialise_under_vmap(build):
    """The pipeline builds a seed ensemble with filter_vmap over keys."""
    keys = jax.random.split(jax.random.PRNGKey(0), 3)
    nets = eqx.filter_vmap(lambda key: _build_with_key(build, key))(keys)
    x = jax.random.normal(jax.random.PRNGKey(1), (1, 16))
    outputs = eqx.filter_jit(eqx.filter_vmap(lambda net: net(x)))(nets)
    assert outputs.shape == (3, 1, 16)
    assert not np.allclose(outputs[0], outputs[1])


def _build_with_key(build, key):
    from apebench_nets.factories import fno

    return fno(num_modes=3, hidden_channels=4, num_blocks=2, activation="gelu",
               num_spatial_dims=1, num_channels=1, num_points=16, key=key)  # fmt: skip


def test_unet_rejects_a_grid_it_cannot_halve(build):
    net = build("UNet;2;1;relu", num_points=16)
    with pytest.raises(ValueError, match="divisible by 2"):
        apply(net, jnp.zeros((1, 17)))


def test_fno_rejects_too_few_points_for_its_modes(build):
    """Caught when the network is built (the contract runs it on a state of its grid)."""
    with pytest.raises(ValueError, match="FNO;8;4;1;gelu.*8 Fourier modes per axis need at least 16 points"):
        build("FNO;8;4;1;gelu", num_points=8)


def test_mlp_rejects_another_grid(build):
    with pytest.raises(ValueError, match="built for fields of shape"):
        apply(build("MLP;8;2;relu", num_points=16), jnp.zeros((1, 32)))
