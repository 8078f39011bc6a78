"""The ``apebench`` command line; listing commands never import JAX."""

from .main import main

__all__ = ["main"]
