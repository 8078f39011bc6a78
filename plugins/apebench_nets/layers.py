"""Layers on periodic grids: convolution, upsampling transposed convolution, spectral convolution.

Every layer exposes ``reach = (backward, forward)``: how many grid cells (of its
input grid) on each side an output value can see. Blocks and networks add them up.
"""

from __future__ import annotations

import math

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Complex, Float, PRNGKeyArray

from .shifted_conv import periodic_conv

Reach = tuple[float, float]


def add_reaches(*reaches: Reach) -> Reach:
    return (sum(r[0] for r in reaches), sum(r[1] for r in reaches))


def scale_reach(reach: Reach, factor: float) -> Reach:
    """The reach of a layer on a grid ``factor`` times coarser, in fine-grid cells."""
    return (reach[0] * factor, reach[1] * factor)


def same_padding(kernel_size: int, dilation: int) -> tuple[int, int]:
    """Cells needed before and after each point so that stride 1 keeps the size
    (the extra cell of an even kernel goes after)."""
    return ((kernel_size - 1) // 2 * dilation, kernel_size // 2 * dilation)


def _uniform_init(shape: tuple[int, ...], fan_in: int, *, key: PRNGKeyArray) -> Float[Array, " ..."]:
    """Equinox's default for convolutions and linear layers: U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
    limit = 1.0 / math.sqrt(fan_in)
    return jax.random.uniform(key, shape, minval=-limit, maxval=limit)


#: Up to this many kernel taps a stride-1 convolution runs as one matrix product over shifted
#: copies of the input (see :mod:`apebench_nets.shifted_conv`).
MAX_MATMUL_TAPS = 9


class _ConvParameters(eqx.Module):
    """Weight (out, in, *kernel), optional bias (out, 1, ..., 1), shared by both conv layers."""

    weight: Float[Array, " out_channels in_channels *kernel"]
    bias: Float[Array, " out_channels *ones"] | None
    num_spatial_dims: int = eqx.field(static=True)
    kernel_size: int = eqx.field(static=True)

    def __init__(
        self,
        num_spatial_dims: int,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        use_bias: bool,
        *,
        key: PRNGKeyArray,
    ):
        weight_key, bias_key = jax.random.split(key)
        fan_in = in_channels * kernel_size**num_spatial_dims
        self.weight = _uniform_init(
            (out_channels, in_channels) + (kernel_size,) * num_spatial_dims, fan_in, key=weight_key
        )
        self.bias = (
            _uniform_init((out_channels,) + (1,) * num_spatial_dims, fan_in, key=bias_key)
            if use_bias
            else None
        )
        self.num_spatial_dims = num_spatial_dims
        self.kernel_size = kernel_size

    def _finish(self, y: Float[Array, " 1 out_channels *space"]) -> Float[Array, " out_channels *space"]:
        y = y[0]
        return y if self.bias is None else y + self.bias


class PeriodicConv(_ConvParameters):
    """Convolution (cross-correlation) with periodic "same" padding, optionally strided or dilated.

    With stride s the output has N/s points per axis (N divisible by s).
    """

    stride: int = eqx.field(static=True)
    dilation: int = eqx.field(static=True)

    def __init__(
        self,
        num_spatial_dims: int,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        *,
        stride: int = 1,
        dilation: int = 1,
        use_bias: bool = True,
        key: PRNGKeyArray,
    ):
        super().__init__(num_spatial_dims, in_channels, out_channels, kernel_size, use_bias, key=key)
        self.stride = stride
        self.dilation = dilation

    def __call__(self, x: Float[Array, " in_channels *space"]) -> Float[Array, " out_channels *coarse"]:
        padding = same_padding(self.kernel_size, self.dilation)
        if self.stride == 1 and self.kernel_size**self.num_spatial_dims <= MAX_MATMUL_TAPS:
            return self._finish(periodic_conv(self.weight, x, padding[0], self.dilation)[None])
        if padding != (0, 0):
            x = jnp.pad(x, ((0, 0),) + (padding,) * self.num_spatial_dims, mode="wrap")
        y = jax.lax.conv_general_dilated(
            x[None],
            self.weight,
            window_strides=(self.stride,) * self.num_spatial_dims,
            padding="VALID",
            rhs_dilation=(self.dilation,) * self.num_spatial_dims,
        )
        return self._finish(y)

    @property
    def reach(self) -> Reach:
        return tuple(float(p) for p in same_padding(self.kernel_size, self.dilation))  # type: ignore[return-value]


class PeriodicUpsamplingConv(_ConvParameters):
    """Transposed convolution that refines the grid by ``factor`` on a periodic domain.

    Equivalent to placing the coarse values on every ``factor``-th fine point (zeros
    in between) and applying a periodic same-padded convolution there; the strided
    :class:`PeriodicConv` is its adjoint up to the weight layout.
    """

    factor: int = eqx.field(static=True)

    def __init__(
        self,
        num_spatial_dims: int,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        *,
        factor: int = 2,
        use_bias: bool = True,
        key: PRNGKeyArray,
    ):
        super().__init__(num_spatial_dims, in_channels, out_channels, kernel_size, use_bias, key=key)
        self.factor = factor

    def __call__(self, x: Float[Array, " in_channels *coarse"]) -> Float[Array, " out_channels *space"]:
        s = self.factor
        before, after = same_padding(self.kernel_size, 1)
        # Wrap enough coarse points on each side, then trim the dilated signal to the
        # fine-grid window [-before, N - 1 + after] the convolution needs.
        coarse_before = -(-before // s)
        coarse_after = -(-after // s)
        x = jnp.pad(x, ((0, 0),) + ((coarse_before, coarse_after),) * self.num_spatial_dims, mode="wrap")
        trim_before = coarse_before * s - before
        # the dilated signal ends at fine index (M + coarse_after - 1) * s; we need N - 1 + after
        pad_after = after - 1 - (coarse_after - 1) * s
        y = jax.lax.conv_general_dilated(
            x[None],
            self.weight,
            window_strides=(1,) * self.num_spatial_dims,
            padding=((-trim_before, pad_after),) * self.num_spatial_dims,
            lhs_dilation=(s,) * self.num_spatial_dims,
        )
        return self._finish(y)

    @property
    def reach(self) -> Reach:
        """In fine-grid cells (the reference's convention: the kernel's extent)."""
        return tuple(float(p) for p in same_padding(self.kernel_size, 1))  # type: ignore[return-value]


def pointwise_conv(
    num_spatial_dims: int, in_channels: int, out_channels: int, *, use_bias: bool = True, key: PRNGKeyArray
) -> PeriodicConv:
    """A 1x1 convolution: a linear map over channels at every point (lifting, projection, bypass)."""
    return PeriodicConv(num_spatial_dims, in_channels, out_channels, 1, use_bias=use_bias, key=key)


def _kept_frequencies(num_points: int, num_modes: int, last_axis: bool) -> np.ndarray:
    """Frequencies an FNO layer keeps on one axis: 0..m-1 on the (real) last axis, the m lowest
    positive and negative ones elsewhere (the 2^(D-1) corners of the real spectrum)."""
    low = np.arange(num_modes)
    return low if last_axis else np.concatenate([low, np.arange(num_points - num_modes, num_points)])


def _truncated_dft(num_points: int, num_modes: int, last_axis: bool, dtype) -> tuple[Array, Array]:
    """Forward (points, kept) and inverse (kept, points) matrices of the truncated transform.

    The inverse of the last axis carries irfft's weights (1/N for the mean and the Nyquist
    mode, 2/N otherwise), so the real part of the result equals irfft of the zero-padded
    spectrum. Built in float64, then cast, so the matrices are exact to the working precision.
    """
    k = _kept_frequencies(num_points, num_modes, last_axis)
    phase = 2j * np.pi * np.outer(np.arange(num_points), k) / num_points
    weights = np.full(k.shape, 1.0 / num_points)
    if last_axis:
        weights = np.where((k == 0) | (2 * k == num_points), weights, 2 * weights)
    complex_dtype = jnp.result_type(dtype, jnp.complex64)
    return jnp.asarray(np.exp(-phase), complex_dtype), jnp.asarray((np.exp(phase) * weights).T, complex_dtype)


class SpectralConv(eqx.Module):
    """FNO layer: a learnable complex channel-mixing matrix per retained Fourier mode.

    Keeps the ``num_modes`` lowest modes of the real FFT along the last axis and the
    ``num_modes`` lowest positive and negative modes along every other axis, i.e. the
    2^(D-1) corner blocks of the spectrum; all other modes are zeroed. Weights are
    stored with the corners laid out contiguously, (out, in, 2m, ..., 2m, m), so one
    contraction handles them all. Init: N(0, 1) / (in * out) for real and imaginary
    parts (the reference's scheme).

    The truncated transforms are matrix products with the retained DFT rows instead of full
    FFTs: the same linear map (equal to round-off), and with few modes several times faster
    on CPU, where small FFTs and the slicing and padding around them dominate a training step.
    """

    weight_real: Float[Array, " out_channels in_channels *modes"]
    weight_imag: Float[Array, " out_channels in_channels *modes"]
    num_spatial_dims: int = eqx.field(static=True)
    num_modes: int = eqx.field(static=True)

    def __init__(
        self, num_spatial_dims: int, in_channels: int, out_channels: int, num_modes: int, *, key: PRNGKeyArray
    ):
        real_key, imag_key = jax.random.split(key)
        shape = (out_channels, in_channels) + (2 * num_modes,) * (num_spatial_dims - 1) + (num_modes,)
        scale = 1.0 / (in_channels * out_channels)
        self.weight_real = scale * jax.random.normal(real_key, shape)
        self.weight_imag = scale * jax.random.normal(imag_key, shape)
        self.num_spatial_dims = num_spatial_dims
        self.num_modes = num_modes

    def _check(self, space: tuple[int, ...]) -> None:
        m = self.num_modes
        if any(n < 2 * m for n in space[:-1]) or space[-1] // 2 + 1 < m:
            raise ValueError(
                f"{m} Fourier modes per axis need at least {2 * m} points on every axis "
                f"(and {2 * m - 2} on the last), got a grid of {space}"
            )

    def __call__(self, x: Float[Array, " in_channels *space"]) -> Float[Array, " out_channels *space"]:
        space = x.shape[1:]
        self._check(space)
        last = len(space) - 1
        transforms = [_truncated_dft(n, self.num_modes, i == last, x.dtype) for i, n in enumerate(space)]
        # the last axis goes real -> complex and back with real products (x @ [Re | Im], and
        # [Re | Im] @ [Re; -Im]), like rfft/irfft: no complex copy of the input, half the work
        forward_last, inverse_last = transforms[last]
        stacked = x @ jnp.concatenate([forward_last.real, forward_last.imag], axis=1)
        spectrum: Complex[Array, " in_channels *modes"] = jax.lax.complex(
            stacked[..., : self.num_modes], stacked[..., self.num_modes :]
        )
        for axis, (forward, _) in enumerate(transforms[:last]):
            spectrum = jnp.moveaxis(jnp.tensordot(spectrum, forward, axes=([axis + 1], [0])), -1, axis + 1)
        weight = jax.lax.complex(self.weight_real, self.weight_imag)
        mixed = jnp.einsum("i...,oi...->o...", spectrum, weight)
        for axis, (_, inverse) in enumerate(transforms[:last]):
            mixed = jnp.moveaxis(jnp.tensordot(mixed, inverse, axes=([axis + 1], [0])), -1, axis + 1)
        stacked = jnp.concatenate([mixed.real, mixed.imag], axis=-1)
        return stacked @ jnp.concatenate([inverse_last.real, -inverse_last.imag], axis=0)

    @property
    def reach(self) -> Reach:
        return (math.inf, math.inf)
