"""Periodic stride-1 convolution as one matrix product over shifted copies of the input.

XLA's CPU convolution is slow for few channels, and far slower once vmapped over
seed-stacked weights (it becomes a grouped convolution); a matrix product batches cleanly.

Networks are written for one sample and vmapped over the minibatch. Plain batching turns
``(out, in * taps) @ (in * taps, points)`` into a product with the minibatch in the middle
of the patches, and XLA transposes the patches and the output of every layer (copies that
cost as much as the arithmetic). Under the training loop's promise
(:func:`apebench_core.batching.vmap_inside_grad`) the convolution batches with its own
rule instead, which folds the minibatch into the points,
``(out, in * taps) @ (in * taps, batch * points)``. Measured on a 10-layer 26-channel stack
(minibatch 20, 160 points, forward and backward): 8.2 -> 4.3 ms for one seed without a seed
axis; in training with two seeds, Conv;26;10 ``one`` 12.3 -> 9.4 ms per step.
"""

from __future__ import annotations

import functools
import itertools

import jax
import jax.numpy as jnp
from jaxtyping import Array, Float

from apebench_core.plugin import vmap_inside_grad_promised

Shifts = tuple[tuple[int, ...], ...]


def tap_shifts(kernel_shape: tuple[int, ...], before: int, dilation: int) -> Shifts:
    """The roll of the input that lines up each kernel tap with the output point."""
    taps = itertools.product(*(range(k) for k in kernel_shape))
    return tuple(tuple(before - k * dilation for k in tap) for tap in taps)


def _apply(
    weight: Float[Array, " out_channels in_channels *kernel"],
    x: Float[Array, " in_channels *lead_and_space"],
    shifts: Shifts,
) -> Float[Array, " out_channels *lead_and_space"]:
    """(out, in * taps) @ (in * taps, everything else).

    ``x`` is channels first, then any batch axes, then the spatial axes (as many as a shift
    has entries); the rolls act on the spatial axes only.
    """
    space_axes = tuple(range(x.ndim - len(shifts[0]), x.ndim))
    patches = jnp.stack([jnp.roll(x, shift, axis=space_axes) for shift in shifts], axis=1)
    out_channels = weight.shape[0]
    product = weight.reshape(out_channels, -1) @ patches.reshape(len(shifts) * x.shape[0], -1)
    return product.reshape((out_channels,) + x.shape[1:])


@functools.cache
def _minibatch_folding_conv(shifts: Shifts):
    """The convolution for one tap layout with its minibatch rule (built once per layout)."""

    @jax.custom_batching.custom_vmap
    def conv(weight, x):
        return _apply(weight, x, shifts)

    @conv.def_vmap
    def fold_minibatch(axis_size, in_batched, weight, x):
        weight_batched, x_batched = in_batched
        if weight_batched:  # seed-stacked weights: plain batching gives a clean batched product
            in_axes = (0, 0 if x_batched else None)
            return jax.vmap(functools.partial(_apply, shifts=shifts), in_axes=in_axes)(weight, x), True
        channels_first = jnp.moveaxis(x, 0, 1)  # (in, batch, *space)
        return jnp.moveaxis(_apply(weight, channels_first, shifts), 0, 1), True

    return conv


def periodic_conv(
    weight: Float[Array, " out_channels in_channels *kernel"],
    x: Float[Array, " in_channels *space"],
    before: int,
    dilation: int,
) -> Float[Array, " out_channels *space"]:
    """Periodic stride-1 cross-correlation of one sample; ``before`` cells of padding precede
    each point (the rest follow), taps ``dilation`` cells apart."""
    shifts = tap_shifts(weight.shape[2:], before, dilation)
    if vmap_inside_grad_promised():
        return _minibatch_folding_conv(shifts)(weight, x)
    return _apply(weight, x, shifts)
