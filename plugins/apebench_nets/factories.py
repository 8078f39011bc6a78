"""Registry factories: config-string fields plus context -> an architecture.

Each maps the fields of one grammar (see ``_catalogue.py``) onto its network with
``in_channels = out_channels = num_channels``. ``activation`` may be the parsed
nested config (the registry's path), a name, or a function. ``num_points`` is part
of every architecture's context; only ``MLP`` needs it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jaxtyping import PRNGKeyArray

from ._base import Emulator
from .activations import resolve_activation
from .conv_net import ConvNet, PureStencil
from .lifted_stack import classic_res_net, dilated_res_net, fourier_neural_operator, modern_res_net
from .mlp import FlatMLP
from .unet import classic_unet, modern_unet


def _square(
    constructor: Callable[..., Emulator],
    *,
    activation: Any,
    num_spatial_dims: int,
    num_channels: int,
    key: PRNGKeyArray,
    **fields: Any,
) -> Emulator:
    return constructor(
        num_spatial_dims,
        num_channels,
        num_channels,
        activation=resolve_activation(activation),
        key=key,
        **fields,
    )


def conv(
    *, hidden_channels: int, depth: int, activation: Any, num_spatial_dims: int, num_channels: int,
    num_points: int | None = None, key: PRNGKeyArray,
) -> ConvNet:  # fmt: skip
    return _square(
        ConvNet, hidden_channels=hidden_channels, depth=depth, activation=activation,
        num_spatial_dims=num_spatial_dims, num_channels=num_channels, key=key,
    )  # fmt: skip


def res(
    *, hidden_channels: int, num_blocks: int, activation: Any, num_spatial_dims: int, num_channels: int,
    num_points: int | None = None, key: PRNGKeyArray,
) -> Emulator:  # fmt: skip
    return _square(
        classic_res_net, hidden_channels=hidden_channels, num_blocks=num_blocks, activation=activation,
        num_spatial_dims=num_spatial_dims, num_channels=num_channels, key=key,
    )  # fmt: skip


def mores(
    *, hidden_channels: int, num_blocks: int, activation: Any, num_spatial_dims: int, num_channels: int,
    num_points: int | None = None, key: PRNGKeyArray,
) -> Emulator:  # fmt: skip
    return _square(
        modern_res_net, hidden_channels=hidden_channels, num_blocks=num_blocks, activation=activation,
        num_spatial_dims=num_spatial_dims, num_channels=num_channels, key=key,
    )  # fmt: skip


def dil(
    *, dilation_depth: int, hidden_channels: int, num_blocks: int, activation: Any, num_spatial_dims: int,
    num_channels: int, num_points: int | None = None, key: PRNGKeyArray,
) -> Emulator:  # fmt: skip
    return _square(
        dilated_res_net, dilation_depth=dilation_depth, hidden_channels=hidden_channels,
        num_blocks=num_blocks, activation=activation, num_spatial_dims=num_spatial_dims,
        num_channels=num_channels, key=key,
    )  # fmt: skip


def fno(
    *, num_modes: int, hidden_channels: int, num_blocks: int, activation: Any, num_spatial_dims: int,
    num_channels: int, num_points: int | None = None, key: PRNGKeyArray,
) -> Emulator:  # fmt: skip
    return _square(
        fourier_neural_operator, num_modes=num_modes, hidden_channels=hidden_channels,
        num_blocks=num_blocks, activation=activation, num_spatial_dims=num_spatial_dims,
        num_channels=num_channels, key=key,
    )  # fmt: skip


def unet(
    *, hidden_channels: int, num_levels: int, activation: Any, num_spatial_dims: int, num_channels: int,
    num_points: int | None = None, key: PRNGKeyArray,
) -> Emulator:  # fmt: skip
    return _square(
        classic_unet, hidden_channels=hidden_channels, num_levels=num_levels, activation=activation,
        num_spatial_dims=num_spatial_dims, num_channels=num_channels, key=key,
    )  # fmt: skip


def mounet(
    *, hidden_channels: int, num_levels: int, activation: Any, num_spatial_dims: int, num_channels: int,
    num_points: int | None = None, key: PRNGKeyArray,
) -> Emulator:  # fmt: skip
    return _square(
        modern_unet, hidden_channels=hidden_channels, num_levels=num_levels, activation=activation,
        num_spatial_dims=num_spatial_dims, num_channels=num_channels, key=key,
    )  # fmt: skip


def pure(
    *, kernel_size: int, activation: Any = "identity", num_spatial_dims: int, num_channels: int,
    num_points: int | None = None, key: PRNGKeyArray,
) -> PureStencil:  # fmt: skip
    return _square(
        PureStencil, kernel_size=kernel_size, activation=activation, num_spatial_dims=num_spatial_dims,
        num_channels=num_channels, key=key,
    )  # fmt: skip


def mlp(
    *, width: int, depth: int, activation: Any, num_spatial_dims: int, num_channels: int, num_points: int,
    key: PRNGKeyArray,
) -> FlatMLP:  # fmt: skip
    return FlatMLP(
        num_spatial_dims, num_channels, num_points, width=width, depth=depth,
        activation=resolve_activation(activation), key=key,
    )  # fmt: skip
