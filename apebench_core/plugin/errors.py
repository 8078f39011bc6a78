"""Every error a user or plugin author of apebench_core can meet, in one hierarchy.

Each is an :class:`ApebenchError`; those caused by bad input are also ``ValueError``s, so
``except ValueError`` catches every mistake in a config, a field or a name.
"""

from __future__ import annotations


class ApebenchError(Exception):
    """Base class of every apebench_core error."""


class ConfigError(ApebenchError, ValueError):
    """A config string does not match its component's fields."""


class UnknownComponentError(ApebenchError, LookupError, ValueError):
    """No registered component of a kind has the requested name."""


class AmbiguousComponentError(ApebenchError, LookupError, ValueError):
    """Several plugins register the same bare name; qualify it as ``plugin/Name``."""


class ComponentBuildError(ApebenchError, ValueError):
    """A component's factory failed or returned something its kind does not allow; the message
    names the kind, the config string, the plugin and its distribution, and the cause."""


class PlanError(ApebenchError, ValueError):
    """An experiment cannot run as given: the message names the field, the value and what is expected."""


class PluginLoadError(ApebenchError, RuntimeError):
    """A plugin failed to import or to answer a hook (raised only in strict mode)."""


class StudyError(ApebenchError):
    """Some experiments of a study failed; the others are stored."""


class CorruptResultError(ApebenchError, ValueError):
    """A stored result is incomplete or does not match its checksums."""
