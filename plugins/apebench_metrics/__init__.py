"""Bundled plugin: rollout error metrics.

Public helpers load lazily, so importing the plugin's entry module never imports JAX:
``spatial_metric``, ``fourier_metric``, ``h1_metric`` (build a batch metric from an
error kind and mode). Trajectory statistics
(``steps_until_below``) live in ``apebench_core.summary``.
"""

from importlib import import_module

_LAZY = {
    "spatial_metric": "spatial",
    "fourier_metric": "fourier",
    "h1_metric": "fourier",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
