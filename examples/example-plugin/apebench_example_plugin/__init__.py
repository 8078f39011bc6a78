"""A third-party architecture: a learnable periodic stencil added to the identity.

This module is the entry point, so it imports only apebench_core (no JAX);
the network lives in ``_network.py`` and loads when an experiment builds it.
"""

from apebench_core import ComponentSpec, Field, hookimpl


@hookimpl
def apebench_architectures():
    return [
        ComponentSpec(
            kind="architecture",
            name="Stencil",
            factory="apebench_example_plugin._network:residual_stencil",
            summary="identity plus a learnable periodic stencil (example plugin)",
            fields=(Field("kernel_size", "int", "stencil width (odd)"),),
        )
    ]
