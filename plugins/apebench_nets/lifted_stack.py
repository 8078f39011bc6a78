"""``Res``, ``MoRes``, ``Dil`` and ``FNO``: a 1x1 lifting, a stack of equal-width blocks, a 1x1 projection."""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
from jaxtyping import Array, Float, PRNGKeyArray

from ._base import Emulator
from .blocks import Activation, ClassicResBlock, DilatedResBlock, ModernResBlock, SpectralBlock
from .layers import PeriodicConv, Reach, add_reaches, pointwise_conv


class LiftedStack(Emulator):
    """lifting (in -> hidden) -> blocks (hidden -> hidden) -> projection (hidden -> out)."""

    lifting: PeriodicConv
    blocks: tuple[eqx.Module, ...]
    projection: PeriodicConv

    def __init__(
        self,
        num_spatial_dims: int,
        in_channels: int,
        out_channels: int,
        *,
        hidden_channels: int,
        num_blocks: int,
        make_block: Callable[[PRNGKeyArray], eqx.Module],
        key: PRNGKeyArray,
    ):
        if num_blocks < 1:
            raise ValueError(f"num_blocks must be at least 1, got {num_blocks}")
        lifting_key, projection_key, *block_keys = jax.random.split(key, num_blocks + 2)
        self.lifting = pointwise_conv(num_spatial_dims, in_channels, hidden_channels, key=lifting_key)
        self.blocks = tuple(make_block(k) for k in block_keys)
        self.projection = pointwise_conv(num_spatial_dims, hidden_channels, out_channels, key=projection_key)

    def __call__(self, x: Float[Array, " channels *space"]) -> Float[Array, " channels *space"]:
        x = self.lifting(x)
        for block in self.blocks:
            x = block(x)
        return self.projection(x)

    @property
    def reach(self) -> Reach:
        return add_reaches(self.lifting.reach, *(block.reach for block in self.blocks), self.projection.reach)


def classic_res_net(
    num_spatial_dims: int,
    in_channels: int,
    out_channels: int,
    *,
    hidden_channels: int,
    num_blocks: int,
    activation: Activation,
    key: PRNGKeyArray,
) -> LiftedStack:
    """ClassicResNet: post-activation blocks of two 3-tap convs, no normalisation."""
    return LiftedStack(
        num_spatial_dims,
        in_channels,
        out_channels,
        hidden_channels=hidden_channels,
        num_blocks=num_blocks,
        make_block=lambda k: ClassicResBlock(num_spatial_dims, hidden_channels, activation=activation, key=k),
        key=key,
    )


def modern_res_net(
    num_spatial_dims: int,
    in_channels: int,
    out_channels: int,
    *,
    hidden_channels: int,
    num_blocks: int,
    activation: Activation,
    key: PRNGKeyArray,
) -> LiftedStack:
    """ModernResNet: pre-activation blocks with group normalisation."""
    return LiftedStack(
        num_spatial_dims,
        in_channels,
        out_channels,
        hidden_channels=hidden_channels,
        num_blocks=num_blocks,
        make_block=lambda k: ModernResBlock(
            num_spatial_dims, hidden_channels, hidden_channels, activation=activation, key=k
        ),
        key=key,
    )


def dilation_rates(dilation_depth: int) -> tuple[int, ...]:
    """[1, 2, ..., 2^D, ..., 2, 1]: e.g. depth 1 -> (1, 2, 1), depth 2 -> (1, 2, 4, 2, 1)."""
    rising = [2**i for i in range(dilation_depth + 1)]
    return tuple(rising + rising[-2::-1])


def dilated_res_net(
    num_spatial_dims: int,
    in_channels: int,
    out_channels: int,
    *,
    dilation_depth: int,
    hidden_channels: int,
    num_blocks: int,
    activation: Activation,
    key: PRNGKeyArray,
) -> LiftedStack:
    """DilatedResNet: blocks of group-normalised convs with rates ``dilation_rates(dilation_depth)``."""
    rates = dilation_rates(dilation_depth)
    return LiftedStack(
        num_spatial_dims,
        in_channels,
        out_channels,
        hidden_channels=hidden_channels,
        num_blocks=num_blocks,
        make_block=lambda k: DilatedResBlock(
            num_spatial_dims, hidden_channels, rates, activation=activation, key=k
        ),
        key=key,
    )


def fourier_neural_operator(
    num_spatial_dims: int,
    in_channels: int,
    out_channels: int,
    *,
    num_modes: int,
    hidden_channels: int,
    num_blocks: int,
    activation: Activation,
    key: PRNGKeyArray,
) -> LiftedStack:
    """ClassicFNO: spectral blocks (spectral conv + pointwise bypass, then activation)."""
    return LiftedStack(
        num_spatial_dims,
        in_channels,
        out_channels,
        hidden_channels=hidden_channels,
        num_blocks=num_blocks,
        make_block=lambda k: SpectralBlock(
            num_spatial_dims, hidden_channels, num_modes, activation=activation, key=k
        ),
        key=key,
    )
