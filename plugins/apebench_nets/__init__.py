"""Bundled plugin: the nine emulator architectures and the activations (Equinox).

Importing the package is cheap (no JAX); the public names load on first access.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "count_parameters": "apebench_nets._base",
    "Emulator": "apebench_nets._base",
    "ConvNet": "apebench_nets.conv_net",
    "LiftedStack": "apebench_nets.lifted_stack",
    "UNet": "apebench_nets.unet",
    "FlatMLP": "apebench_nets.mlp",
    "ACTIVATIONS": "apebench_nets.activations",
    "PureStencil": "apebench_nets.conv_net",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'apebench_nets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
