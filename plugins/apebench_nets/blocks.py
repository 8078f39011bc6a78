"""Building blocks of the residual, U-shaped and Fourier architectures.

Normalisation is ``eqx.nn.GroupNorm`` with one group (statistics over all channels
and points, per-channel affine). Its global statistics are left out of ``reach``,
as in the reference: the receptive field counts the convolutions only.
"""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
from jaxtyping import Array, Float, PRNGKeyArray

from .layers import PeriodicConv, Reach, SpectralConv, add_reaches, pointwise_conv

Activation = Callable[[Array], Array]
Field = Float[Array, " channels *space"]


def group_norm(channels: int) -> eqx.nn.GroupNorm:
    return eqx.nn.GroupNorm(groups=1, channels=channels)


class ClassicResBlock(eqx.Module):
    """Post-activation residual block without normalisation:
    act(conv(act(conv(x))) + x)."""

    conv_1: PeriodicConv
    conv_2: PeriodicConv
    activation: Activation = eqx.field(static=True)

    def __init__(self, num_spatial_dims: int, channels: int, *, activation: Activation, key: PRNGKeyArray):
        key_1, key_2 = jax.random.split(key)
        self.conv_1 = PeriodicConv(num_spatial_dims, channels, channels, 3, key=key_1)
        self.conv_2 = PeriodicConv(num_spatial_dims, channels, channels, 3, key=key_2)
        self.activation = activation

    def __call__(self, x: Field) -> Field:
        residual = self.conv_2(self.activation(self.conv_1(x)))
        return self.activation(residual + x)

    @property
    def reach(self) -> Reach:
        return add_reaches(self.conv_1.reach, self.conv_2.reach)


class ModernResBlock(eqx.Module):
    """Pre-activation residual block: conv(act(norm(conv(act(norm(x)))))) + bypass(x).

    When the channel count changes, the bypass is a bias-free 1x1 convolution of
    the normalised input; otherwise it is the identity.
    """

    norm_1: eqx.nn.GroupNorm
    conv_1: PeriodicConv
    norm_2: eqx.nn.GroupNorm
    conv_2: PeriodicConv
    bypass_norm: eqx.nn.GroupNorm | None
    bypass_conv: PeriodicConv | None
    activation: Activation = eqx.field(static=True)

    def __init__(
        self,
        num_spatial_dims: int,
        in_channels: int,
        out_channels: int,
        *,
        activation: Activation,
        key: PRNGKeyArray,
    ):
        key_1, key_2, bypass_key = jax.random.split(key, 3)
        self.norm_1 = group_norm(in_channels)
        self.conv_1 = PeriodicConv(num_spatial_dims, in_channels, out_channels, 3, key=key_1)
        self.norm_2 = group_norm(out_channels)
        self.conv_2 = PeriodicConv(num_spatial_dims, out_channels, out_channels, 3, key=key_2)
        if in_channels != out_channels:
            self.bypass_norm = group_norm(in_channels)
            self.bypass_conv = pointwise_conv(
                num_spatial_dims, in_channels, out_channels, use_bias=False, key=bypass_key
            )
        else:
            self.bypass_norm = self.bypass_conv = None
        self.activation = activation

    def __call__(self, x: Field) -> Field:
        residual = self.conv_1(self.activation(self.norm_1(x)))
        residual = self.conv_2(self.activation(self.norm_2(residual)))
        if self.bypass_conv is not None:
            x = self.bypass_conv(self.bypass_norm(x))
        return residual + x

    @property
    def reach(self) -> Reach:
        return add_reaches(self.conv_1.reach, self.conv_2.reach)


class DoubleConvBlock(eqx.Module):
    """The classic U-Net block: act(norm(conv(act(norm(conv(x))))))."""

    conv_1: PeriodicConv
    norm_1: eqx.nn.GroupNorm
    conv_2: PeriodicConv
    norm_2: eqx.nn.GroupNorm
    activation: Activation = eqx.field(static=True)

    def __init__(
        self,
        num_spatial_dims: int,
        in_channels: int,
        out_channels: int,
        *,
        activation: Activation,
        key: PRNGKeyArray,
    ):
        key_1, key_2 = jax.random.split(key)
        self.conv_1 = PeriodicConv(num_spatial_dims, in_channels, out_channels, 3, key=key_1)
        self.norm_1 = group_norm(out_channels)
        self.conv_2 = PeriodicConv(num_spatial_dims, out_channels, out_channels, 3, key=key_2)
        self.norm_2 = group_norm(out_channels)
        self.activation = activation

    def __call__(self, x: Field) -> Field:
        x = self.activation(self.norm_1(self.conv_1(x)))
        return self.activation(self.norm_2(self.conv_2(x)))

    @property
    def reach(self) -> Reach:
        return add_reaches(self.conv_1.reach, self.conv_2.reach)


class DilatedResBlock(eqx.Module):
    """A chain of norm -> dilated 3-tap conv -> activation, one per dilation rate,
    plus the block's input."""

    norms: tuple[eqx.nn.GroupNorm, ...]
    convs: tuple[PeriodicConv, ...]
    activation: Activation = eqx.field(static=True)

    def __init__(
        self,
        num_spatial_dims: int,
        channels: int,
        dilation_rates: tuple[int, ...],
        *,
        activation: Activation,
        key: PRNGKeyArray,
    ):
        keys = jax.random.split(key, len(dilation_rates))
        self.norms = tuple(group_norm(channels) for _ in dilation_rates)
        self.convs = tuple(
            PeriodicConv(num_spatial_dims, channels, channels, 3, dilation=rate, key=k)
            for rate, k in zip(dilation_rates, keys, strict=True)
        )
        self.activation = activation

    def __call__(self, x: Field) -> Field:
        residual = x
        for norm, conv in zip(self.norms, self.convs, strict=True):
            residual = self.activation(conv(norm(residual)))
        return residual + x

    @property
    def reach(self) -> Reach:
        return add_reaches(*(conv.reach for conv in self.convs))


class SpectralBlock(eqx.Module):
    """The classic FNO block: act(spectral_conv(x) + pointwise_conv(x))."""

    spectral_conv: SpectralConv
    bypass_conv: PeriodicConv
    activation: Activation = eqx.field(static=True)

    def __init__(
        self,
        num_spatial_dims: int,
        channels: int,
        num_modes: int,
        *,
        activation: Activation,
        key: PRNGKeyArray,
    ):
        spectral_key, bypass_key = jax.random.split(key)
        self.spectral_conv = SpectralConv(num_spatial_dims, channels, channels, num_modes, key=spectral_key)
        self.bypass_conv = pointwise_conv(num_spatial_dims, channels, channels, key=bypass_key)
        self.activation = activation

    def __call__(self, x: Field) -> Field:
        return self.activation(self.spectral_conv(x) + self.bypass_conv(x))

    @property
    def reach(self) -> Reach:
        return self.spectral_conv.reach
