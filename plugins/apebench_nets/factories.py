"""Registry factories: config-string fields plus context -> an architecture.

Each maps the ``;``-separated fields of one grammar (see ``_catalogue.py``) onto the
constructor of its network, with ``in_channels = out_channels = num_channels``.
``activation`` may be the parsed nested config, a name, or a function.
"""

from __future__ import annotations

from typing import Any

from jaxtyping import PRNGKeyArray

from .activations import resolve_activation
from .conv_net import ConvNet, PureStencil


def conv(
    *,
    hidden_channels: int,
    depth: int,
    activation: Any,
    num_spatial_dims: int,
    num_channels: int,
    num_points: int | None = None,
    key: PRNGKeyArray,
) -> ConvNet:
    return ConvNet(
        num_spatial_dims,
        num_channels,
        num_channels,
        hidden_channels=hidden_channels,
        depth=depth,
        activation=resolve_activation(activation),
        key=key,
    )


def pure(
    *,
    kernel_size: int,
    activation: Any = "identity",
    num_spatial_dims: int,
    num_channels: int,
    num_points: int | None = None,
    key: PRNGKeyArray,
) -> PureStencil:
    return PureStencil(
        num_spatial_dims,
        num_channels,
        num_channels,
        kernel_size=kernel_size,
        activation=resolve_activation(activation),
        key=key,
    )
