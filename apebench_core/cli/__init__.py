"""The ``apebench`` command line; listing commands never import JAX."""

from . import authoring, cache, components, exchange, explore, run, study  # noqa: F401  (each registers its commands)
from .app import main

__all__ = ["main"]
