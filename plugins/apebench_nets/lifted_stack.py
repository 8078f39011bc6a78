"""``Res``, ``MoRes``, ``Dil`` and ``FNO``: a 1x1 lifting, a stack of equal-width blocks, a 1x1 projection."""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, PRNGKeyArray

from ._base import Emulator
from .activations import DERIVATIVE_FROM_OUTPUT
from .blocks import Activation, ClassicResBlock, DilatedResBlock, ModernResBlock, SpectralBlock
from .layers import PeriodicConv, Reach, add_reaches, pointwise_conv


class LiftedStack(Emulator):
    """lifting (in -> hidden) -> blocks (hidden -> hidden) -> projection (hidden -> out).

    ``loop_over_blocks`` runs the (identically built) blocks as one loop over their stacked
    weights instead of one after another. For post-activation residual blocks whose activation
    needs its input to be differentiated this is faster: unrolled, XLA never stores the residual
    stream and recomputes it from every earlier block for each activation's derivative in the
    backward pass (work quadratic in depth); a loop carry is stored. Measured on Res;26;8
    training (2 seeds, diff_adv) with ReLU differentiated through its input: 17.7 -> 14.7 ms per
    step with ``one``, 83 -> 77 ms with ``sup;5``; the FNO got 30% slower, so it stays unrolled.
    An activation differentiated through its output (``DERIVATIVE_FROM_OUTPUT``) needs only the
    block outputs, and unrolled is then faster again (Res;26;8 gradient, one seed: 25.8 ms looped
    with the input-derivative ReLU, 19.6 ms unrolled with the output-derivative one).
    """

    lifting: PeriodicConv
    blocks: tuple[eqx.Module, ...]
    projection: PeriodicConv
    loop_over_blocks: bool = eqx.field(static=True, default=False)

    def __init__(
        self,
        num_spatial_dims: int,
        in_channels: int,
        out_channels: int,
        *,
        hidden_channels: int,
        num_blocks: int,
        make_block: Callable[[PRNGKeyArray], eqx.Module],
        loop_over_blocks: bool = False,
        key: PRNGKeyArray,
    ):
        if num_blocks < 1:
            raise ValueError(f"num_blocks must be at least 1, got {num_blocks}")
        lifting_key, projection_key, *block_keys = jax.random.split(key, num_blocks + 2)
        self.lifting = pointwise_conv(num_spatial_dims, in_channels, hidden_channels, key=lifting_key)
        self.blocks = tuple(make_block(k) for k in block_keys)
        self.projection = pointwise_conv(num_spatial_dims, hidden_channels, out_channels, key=projection_key)
        self.loop_over_blocks = loop_over_blocks

    def __call__(self, x: Float[Array, " channels *space"]) -> Float[Array, " channels *space"]:
        x = self.lifting(x)
        if self.loop_over_blocks:
            weights, structure = eqx.partition(self.blocks, eqx.is_array)
            stacked = jax.tree.map(lambda *leaves: jnp.stack(leaves), *weights)
            x, _ = jax.lax.scan(lambda h, w: (eqx.combine(w, structure[0])(h), None), x, stacked)
        else:
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
        loop_over_blocks=activation not in DERIVATIVE_FROM_OUTPUT,
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
