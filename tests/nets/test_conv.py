"""Conv and Pure: the lead's first end-to-end architecture, checked before the rest land."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from apebench_nets import count_parameters
from apebench_nets.activations import ACTIVATIONS, relu
from apebench_nets.factories import conv


def test_conv_factory_accepts_a_plain_callable_and_a_name():
    kwargs = dict(hidden_channels=4, depth=2, num_spatial_dims=1, num_channels=1, num_points=16)
    by_function = conv(activation=relu, key=jax.random.PRNGKey(0), **kwargs)
    by_name = conv(activation="ReLU", key=jax.random.PRNGKey(0), **kwargs)
    x = jax.random.normal(jax.random.PRNGKey(1), (1, 16))
    np.testing.assert_array_equal(by_function(x), by_name(x))


def test_conv_layer_structure(build):
    net = build("Conv;5;3;tanh", num_channels=2)
    shapes = [(layer.weight.shape, layer.bias.shape) for layer in net.layers]
    assert shapes == [((5, 2, 3), (5, 1)), ((5, 5, 3), (5, 1)), ((5, 5, 3), (5, 1)), ((2, 5, 3), (2, 1))]
    assert net.activation is ACTIVATIONS["tanh"]


def test_conv_init_is_uniform_within_one_over_sqrt_fan_in(build):
    net = build("Conv;64;2;relu")
    hidden = net.layers[1]
    limit = 1 / np.sqrt(64 * 3)
    for array in (hidden.weight, hidden.bias):
        assert np.abs(array).max() <= limit
        assert np.abs(array).max() > 0.95 * limit  # fills the interval, not a narrower one
    assert abs(float(jnp.std(hidden.weight)) - limit / np.sqrt(3)) < 0.05 * limit


def test_pure_activation_defaults_to_identity_and_has_no_bias(build, registry):
    assert registry.parse("architecture", "Pure;5").format() == "Pure;5"
    net = build("Pure;5", num_channels=2)
    assert net.conv.bias is None
    assert count_parameters(net) == 2 * 2 * 5
    x = jax.random.normal(jax.random.PRNGKey(3), (2, 160))
    # linear: scaling the input scales the output
    np.testing.assert_allclose(net(3.0 * x), 3.0 * net(x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kernel_size, reach", [(3, 1), (4, 2), (5, 2)])
def test_pure_receptive_field(build, kernel_size, reach):
    assert build(f"Pure;{kernel_size};identity").receptive_field == reach


def test_pure_is_a_periodic_cross_correlation(build):
    net = build("Pure;3")
    w = np.asarray(net.conv.weight[0, 0])
    x = np.asarray(jax.random.normal(jax.random.PRNGKey(4), (1, 12)))
    expected = w[0] * np.roll(x, 1, axis=-1) + w[1] * x + w[2] * np.roll(x, -1, axis=-1)
    np.testing.assert_allclose(net(jnp.asarray(x)), expected, rtol=1e-5, atol=1e-6)
