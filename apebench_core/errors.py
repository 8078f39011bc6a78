"""The errors a user of apebench_core can meet, all with messages that say what to do."""

from __future__ import annotations


class ApebenchError(Exception):
    """Base class of every apebench_core error."""


class ConfigError(ApebenchError, ValueError):
    """A config string does not match its component's fields."""


class UnknownComponentError(ApebenchError, LookupError):
    """No registered component of a kind has the requested name."""


class AmbiguousComponentError(ApebenchError, LookupError):
    """Several plugins register the same bare name; qualify it as ``plugin/Name``."""


class PluginLoadError(ApebenchError, RuntimeError):
    """A plugin failed to import or to answer a hook (raised only in strict mode)."""
