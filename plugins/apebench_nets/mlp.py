"""``MLP``: flattens the whole field, so it is tied to one grid size and has no locality."""

from __future__ import annotations

import math

import equinox as eqx
from jaxtyping import Array, Float, PRNGKeyArray

from ._base import Emulator
from .blocks import Activation
from .layers import Reach


class FlatMLP(Emulator):
    """An ``eqx.nn.MLP`` from C*N^D to C*N^D values with ``depth`` hidden layers of ``width``."""

    mlp: eqx.nn.MLP
    field_shape: tuple[int, ...] = eqx.field(static=True)

    def __init__(
        self,
        num_spatial_dims: int,
        num_channels: int,
        num_points: int,
        *,
        width: int,
        depth: int,
        activation: Activation,
        key: PRNGKeyArray,
    ):
        self.field_shape = (num_channels,) + (num_points,) * num_spatial_dims
        size = math.prod(self.field_shape)
        self.mlp = eqx.nn.MLP(size, size, width, depth, activation=activation, key=key)

    def __call__(self, x: Float[Array, " channels *space"]) -> Float[Array, " channels *space"]:
        if x.shape != self.field_shape:
            raise ValueError(f"this MLP was built for fields of shape {self.field_shape}, got {x.shape}")
        return self.mlp(x.reshape(-1)).reshape(self.field_shape)

    @property
    def reach(self) -> Reach:
        return (math.inf, math.inf)
