"""The ``apebench`` command line; listing commands never import JAX."""

from . import components, exchange, run, study  # noqa: F401  (each registers its commands on main)
from .app import main

__all__ = ["main"]
