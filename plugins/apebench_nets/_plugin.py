"""Entry module of the bundled architectures plugin: specs only, no JAX."""

from apebench_core.plugin import hookimpl

from ._catalogue import ACTIVATION_SPECS, ARCHITECTURE_SPECS


@hookimpl
def apebench_architectures():
    return ARCHITECTURE_SPECS


@hookimpl
def apebench_activations():
    return ACTIVATION_SPECS
