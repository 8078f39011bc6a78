"""Initial-condition distributions of the bundled PDE plugin (imports JAX).

Every generator is an Equinox module built for one grid, called as
``generator(key=key)`` to draw a single-channel field of shape (N,)*D on the
periodic unit grid x_i = i/N.
"""

from ._blobs import GaussianBlobs
from ._clamp import Clamped, clamp
from ._spectral import cosine_series_to_field
from ._spectral_fields import DiffusedNoise, GaussianRandomField, TruncatedFourierSeries

__all__ = [
    "Clamped",
    "DiffusedNoise",
    "GaussianBlobs",
    "GaussianRandomField",
    "TruncatedFourierSeries",
    "clamp",
    "cosine_series_to_field",
]
