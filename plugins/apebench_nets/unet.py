"""``UNet`` and ``MoUNet``: a hierarchy that halves the grid and doubles the channels per level."""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, PRNGKeyArray

from ._base import Emulator
from .blocks import Activation, DoubleConvBlock, ModernResBlock
from .layers import PeriodicConv, PeriodicUpsamplingConv, Reach, add_reaches, pointwise_conv, scale_reach

#: (in_channels, out_channels, key) -> block
BlockMaker = Callable[[int, int, PRNGKeyArray], eqx.Module]


class _Level(eqx.Module):
    """One level below the current grid: strided-conv down, the left-arc blocks on
    the coarse grid, transposed-conv up, and (after the skip concatenation) the
    right-arc blocks back on the current grid."""

    down: PeriodicConv
    left: tuple[eqx.Module, ...]
    up: PeriodicUpsamplingConv
    right: tuple[eqx.Module, ...]


class UNet(Emulator):
    """lifting block -> ``num_levels`` levels with skip connections -> 1x1 projection.

    Level l (from 0) works on channels hidden * 2^(l+1) at a grid 2^(l+1) times
    coarser; the grid must divide by 2^num_levels. ``reach`` follows the
    reference's accounting: each layer's kernel reach scaled by its grid's coarsening.
    """

    lifting: eqx.Module
    levels: tuple[_Level, ...]
    projection: PeriodicConv
    factor: int = eqx.field(static=True)

    def __init__(
        self,
        num_spatial_dims: int,
        in_channels: int,
        out_channels: int,
        *,
        hidden_channels: int,
        num_levels: int,
        num_blocks: int,
        make_block: BlockMaker,
        key: PRNGKeyArray,
    ):
        if num_levels < 1 or num_blocks < 1:
            raise ValueError(f"need at least one level and one block, got {num_levels} and {num_blocks}")
        factor = 2
        lifting_key, projection_key, *level_keys = jax.random.split(key, num_levels + 2)
        self.lifting = make_block(in_channels, hidden_channels, lifting_key)
        self.projection = pointwise_conv(num_spatial_dims, hidden_channels, out_channels, key=projection_key)
        levels = []
        for level, level_key in enumerate(level_keys):
            fine = hidden_channels * factor**level
            coarse = fine * factor
            down_key, up_key, *block_keys = jax.random.split(level_key, 2 + 2 * num_blocks)
            left_keys, right_keys = block_keys[:num_blocks], block_keys[num_blocks:]
            left_widths = [fine] + [coarse] * num_blocks
            right_widths = [coarse // factor + fine] + [fine] * num_blocks
            levels.append(
                _Level(
                    down=PeriodicConv(num_spatial_dims, fine, fine, 3, stride=factor, key=down_key),
                    left=tuple(
                        make_block(i, o, k)
                        for i, o, k in zip(left_widths[:-1], left_widths[1:], left_keys, strict=True)
                    ),
                    up=PeriodicUpsamplingConv(
                        num_spatial_dims, coarse, coarse // factor, 3, factor=factor, key=up_key
                    ),
                    right=tuple(
                        make_block(i, o, k)
                        for i, o, k in zip(right_widths[:-1], right_widths[1:], right_keys, strict=True)
                    ),
                )
            )
        self.levels = tuple(levels)
        self.factor = factor

    def __call__(self, x: Float[Array, " channels *space"]) -> Float[Array, " channels *space"]:
        divisor = self.factor ** len(self.levels)
        if any(n % divisor for n in x.shape[1:]):
            raise ValueError(
                f"{len(self.levels)} levels need points divisible by {divisor}, got {x.shape[1:]}"
            )
        x = self.lifting(x)
        skips = []
        for level in self.levels:
            skips.append(x)
            x = level.down(x)
            for block in level.left:
                x = block(x)
        for level, skip in zip(reversed(self.levels), reversed(skips), strict=True):
            x = jnp.concatenate([skip, level.up(x)], axis=0)
            for block in level.right:
                x = block(x)
        return self.projection(x)

    @property
    def reach(self) -> Reach:
        parts = [self.lifting.reach, self.projection.reach]
        for index, level in enumerate(self.levels):
            here, below = self.factor**index, self.factor ** (index + 1)
            parts.append(scale_reach(level.down.reach, here))
            parts.extend(scale_reach(block.reach, below) for block in level.left)
            parts.append(scale_reach(level.up.reach, below))
            parts.extend(scale_reach(block.reach, here) for block in level.right)
        return add_reaches(*parts)


def classic_unet(
    num_spatial_dims: int,
    in_channels: int,
    out_channels: int,
    *,
    hidden_channels: int,
    num_levels: int,
    activation: Activation,
    key: PRNGKeyArray,
) -> UNet:
    """ClassicUNet: one double-conv block (with group norm) per arc and level."""
    return UNet(
        num_spatial_dims,
        in_channels,
        out_channels,
        hidden_channels=hidden_channels,
        num_levels=num_levels,
        num_blocks=1,
        make_block=lambda i, o, k: DoubleConvBlock(num_spatial_dims, i, o, activation=activation, key=k),
        key=key,
    )


def modern_unet(
    num_spatial_dims: int,
    in_channels: int,
    out_channels: int,
    *,
    hidden_channels: int,
    num_levels: int,
    activation: Activation,
    key: PRNGKeyArray,
) -> UNet:
    """ModernUNet: two pre-activation ResNet blocks per arc and level."""
    return UNet(
        num_spatial_dims,
        in_channels,
        out_channels,
        hidden_channels=hidden_channels,
        num_levels=num_levels,
        num_blocks=2,
        make_block=lambda i, o, k: ModernResBlock(num_spatial_dims, i, o, activation=activation, key=k),
        key=key,
    )
