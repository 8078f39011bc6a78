"""Plain stacks of periodic convolutions: ``Conv`` (ConvNet) and ``Pure`` (one learnable stencil)."""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
from jaxtyping import Array, Float, PRNGKeyArray

from ._base import Emulator
from .activations import identity
from .layers import PeriodicConv, Reach, add_reaches


class ConvNet(Emulator):
    """``depth + 1`` three-tap convolutions (in->hidden, depth-1 x hidden->hidden,
    hidden->out), the activation after all but the last. Receptive field depth+1."""

    layers: tuple[PeriodicConv, ...]
    activation: Callable[[Array], Array] = eqx.field(static=True)

    def __init__(
        self,
        num_spatial_dims: int,
        in_channels: int,
        out_channels: int,
        *,
        hidden_channels: int,
        depth: int,
        activation: Callable[[Array], Array],
        kernel_size: int = 3,
        key: PRNGKeyArray,
    ):
        widths = [in_channels] + [hidden_channels] * depth + [out_channels]
        keys = jax.random.split(key, depth + 1)
        self.layers = tuple(
            PeriodicConv(num_spatial_dims, fan_in, fan_out, kernel_size, key=k)
            for fan_in, fan_out, k in zip(widths[:-1], widths[1:], keys, strict=True)
        )
        self.activation = activation

    def __call__(self, x: Float[Array, " channels *space"]) -> Float[Array, " channels *space"]:
        for layer in self.layers[:-1]:
            x = self.activation(layer(x))
        return self.layers[-1](x)

    @property
    def reach(self) -> Reach:
        return add_reaches(*(layer.reach for layer in self.layers))


class PureStencil(Emulator):
    """A single learnable ``kernel_size``-tap stencil without bias, then the activation
    (``identity`` by default, which makes it a linear finite-difference-like stencil)."""

    conv: PeriodicConv
    activation: Callable[[Array], Array] = eqx.field(static=True)

    def __init__(
        self,
        num_spatial_dims: int,
        in_channels: int,
        out_channels: int,
        *,
        kernel_size: int,
        activation: Callable[[Array], Array] = identity,
        key: PRNGKeyArray,
    ):
        self.conv = PeriodicConv(
            num_spatial_dims, in_channels, out_channels, kernel_size, use_bias=False, key=key
        )
        self.activation = activation

    def __call__(self, x: Float[Array, " channels *space"]) -> Float[Array, " channels *space"]:
        return self.activation(self.conv(x))

    @property
    def reach(self) -> Reach:
        return self.conv.reach
