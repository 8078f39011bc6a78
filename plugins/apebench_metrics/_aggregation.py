"""The primitives every error metric is built from.

A *per-channel aggregate* maps a field ``(channels, *space)`` to one
non-negative number per channel (a spatial or Fourier norm). An *error mode*
turns it into a per-sample error, always summed over channels (the anchor's
convention, so a zero 2-channel prediction has nRMSE 2). :func:`sample_mean`
finally averages over the sample axis, which gives the ``(prediction,
reference) -> scalar`` shape the pipeline vmaps over time.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import jax
import jax.numpy as jnp
from jaxtyping import Array, Float

#: Norms use the unit domain ``L = 1`` whatever the scenario's extent (as the anchor does).
DOMAIN_EXTENT = 1.0

#: error kind -> (inner exponent p, outer exponent q) of ``(scale * sum |v|^p)^q``.
EXPONENTS: dict[str, tuple[float, float]] = {"MAE": (1.0, 1.0), "MSE": (2.0, 1.0), "RMSE": (2.0, 0.5)}

#: absolute: |u-r|; normalized: |u-r|/|r|; symmetric: 2|u-r|/(|u|+|r|);
#: standardized: |u-r|/|r - mean(r)| (beyond the anchor, gives VRMSE).
MODES = ("absolute", "normalized", "symmetric", "standardized")

Aggregate = Callable[[Float[Array, " channels *space"]], Float[Array, " channels"]]
Metric = Callable[[Float[Array, " samples channels *space"], Float[Array, " samples channels *space"]], Array]


def spatial_aggregate(
    field: Float[Array, " channels *space"], *, inner: float, outer: float
) -> Float[Array, " channels"]:
    """``((L/N)^D * sum |v|^p)^q`` per channel, the discrete L^p norm (to the power p*q)."""
    num_spatial_dims = field.ndim - 1
    scale = (DOMAIN_EXTENT / field.shape[-1]) ** num_spatial_dims
    summed = jnp.sum(jnp.abs(field) ** inner, axis=tuple(range(1, field.ndim)))
    return (scale * summed) ** outer


def _centred(field: Float[Array, " channels *space"]) -> Float[Array, " channels *space"]:
    return field - jnp.mean(field, axis=tuple(range(1, field.ndim)), keepdims=True)


def sample_error(
    aggregate: Aggregate,
    prediction: Float[Array, " channels *space"],
    reference: Float[Array, " channels *space"],
    *,
    mode: str,
) -> Float[Array, ""]:
    """One sample's error in the given mode, summed over channels."""
    error = aggregate(prediction - reference)
    if mode == "normalized":
        error = error / aggregate(reference)
    elif mode == "symmetric":
        error = 2 * error / (aggregate(prediction) + aggregate(reference))
    elif mode == "standardized":
        error = error / aggregate(_centred(reference))
    elif mode != "absolute":
        raise ValueError(f"unknown error mode {mode!r}; expected one of {MODES}")
    return jnp.sum(error)


def sample_mean(per_sample: Callable[[Array, Array], Array]) -> Metric:
    """Lift a per-sample metric to batches ``(samples, channels, *space)``, averaging over samples."""

    def metric(prediction, reference):
        return jnp.mean(jax.vmap(per_sample)(prediction, reference))

    return metric


def error_metric(aggregate: Aggregate, mode: str) -> Metric:
    """The batch metric of ``aggregate`` in ``mode``."""
    if mode not in MODES:
        raise ValueError(f"unknown error mode {mode!r}; expected one of {MODES}")
    return sample_mean(partial(sample_error, aggregate, mode=mode))
