"""Programmatic lookups on the process-wide registry.

>>> import apebench_core as apebench
>>> apebench.list_components("architecture", "*Res*")   # specs, sorted by name
>>> apebench.parse_config("architecture", "Conv;26;10;relu").values
>>> apebench.build("architecture", "Conv;26;10;relu", num_spatial_dims=1, ...)
"""

from __future__ import annotations

from typing import Any

from .config import ParsedConfig
from .registry import PluginInfo, Registry, get_registry
from .spec import ComponentSpec


def list_components(kind: str, pattern: str | None = None) -> list[ComponentSpec]:
    """Specs of one kind, optionally filtered by a glob pattern on the name."""
    return get_registry().specs(kind, pattern)


def get_spec(kind: str, name: str) -> ComponentSpec:
    """The spec of ``name`` (case-insensitive; aliases; ``plugin/Name`` to disambiguate)."""
    return get_registry().get(kind, name)


def parse_config(kind: str, config: str) -> ParsedConfig:
    """Typed fields of a config string; raises :class:`~apebench_core.errors.ConfigError`."""
    return get_registry().parse(kind, config)


def format_config(parsed: ParsedConfig) -> str:
    """The canonical string of a parsed config (round trip with :func:`parse_config`)."""
    return parsed.format()


def build(kind: str, config: str | ParsedConfig, **context: Any) -> Any:
    """Build a component from its config string; ``context`` goes to the factory."""
    return get_registry().build(kind, config, **context)


def list_plugins() -> list[PluginInfo]:
    """Every discovered plugin with its distribution, version, status, hooks and error."""
    return get_registry().plugins()


def kinds() -> list[str]:
    return get_registry().kinds()


__all__ = [
    "ParsedConfig",
    "PluginInfo",
    "Registry",
    "build",
    "format_config",
    "get_registry",
    "get_spec",
    "kinds",
    "list_components",
    "list_plugins",
    "parse_config",
]
