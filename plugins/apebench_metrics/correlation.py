"""``mean_correlation``: per-channel cosine similarity of prediction and reference.

No mean is subtracted (the anchor's definition), so a constant offset shared by
both fields raises the score; it is a similarity, not Pearson's r.
"""

from __future__ import annotations

import jax.numpy as jnp
from jaxtyping import Array, Float

from ._aggregation import Metric, sample_mean


def sample_correlation(
    prediction: Float[Array, " channels *space"], reference: Float[Array, " channels *space"]
) -> Float[Array, ""]:
    """``u.r / (|u| |r|)`` per channel, averaged over channels."""
    axes = tuple(range(1, prediction.ndim))
    inner = jnp.sum(prediction * reference, axis=axes)
    norms = jnp.sqrt(jnp.sum(prediction**2, axis=axes)) * jnp.sqrt(jnp.sum(reference**2, axis=axes))
    return jnp.mean(inner / norms)


def mean_correlation() -> Metric:
    """Correlation averaged over channels and samples."""
    return sample_mean(sample_correlation)
