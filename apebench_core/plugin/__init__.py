"""The kernel: hook specifications, spec types, config strings, the registry, errors.

Everything here imports neither JAX nor pandas, so listing components stays fast.
"""

from .config import ParsedConfig
from .errors import (
    AmbiguousComponentError,
    ApebenchError,
    ConfigError,
    PluginLoadError,
    UnknownComponentError,
)
from .hookspecs import KINDS, hookimpl, hookspec
from .registry import Registry, get_registry
from .spec import REQUIRED, ComponentSpec, Field
from .testing import registered_plugin

__all__ = [
    "KINDS",
    "REQUIRED",
    "AmbiguousComponentError",
    "ApebenchError",
    "ComponentSpec",
    "ConfigError",
    "Field",
    "ParsedConfig",
    "PluginLoadError",
    "Registry",
    "UnknownComponentError",
    "get_registry",
    "hookimpl",
    "hookspec",
    "registered_plugin",
]
