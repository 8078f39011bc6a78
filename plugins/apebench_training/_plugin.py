"""Entry module of the bundled training plugin: specs only, no JAX."""

from apebench_core import hookimpl
