"""Helpers for tests and plugin authors: in-process registration, and (lazily, it builds
components) ``check_plugin``, the conformance checks of ``apebench plugins check``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .registry import Registry, get_registry


@contextmanager
def registered_plugin(
    plugin: object, name: str | None = None, *, registry: Registry | None = None
) -> Iterator[Registry]:
    """Register ``plugin`` (a module, class instance or namespace with hookimpls) in process.

    The registry is reset on entry and on exit, so the plugin's components are
    visible only inside the ``with`` block.
    """
    registry = registry or get_registry()
    registered_name = registry.register(plugin, name)
    try:
        yield registry
    finally:
        registry.unregister(registered_name)


def __getattr__(name: str) -> object:
    if name in ("check_plugin", "check_component", "example_config"):
        import importlib

        return getattr(importlib.import_module("apebench_core.experiment.conformance"), name)
    raise AttributeError(f"module 'apebench_core.testing' has no attribute {name!r}")
