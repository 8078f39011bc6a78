"""The registry: loads plugins through entry points and answers lookups by kind and name.

Each entry point is loaded in isolation: one broken plugin is recorded as failed
(with a single warning) and everything else keeps working, unless strict mode is on.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
import types
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import importlib_metadata
import pluggy

from .config import SEPARATOR, ParsedConfig, parse_tokens
from .errors import AmbiguousComponentError, ConfigError, PluginLoadError, UnknownComponentError
from .hookspecs import KINDS, PROJECT, ApebenchSpecs
from .spec import ComponentSpec
from .trace import trace

ENTRY_POINT_GROUP = "apebench"
#: Environment switches (truthy: 1, true, yes, on).
ENV_STRICT = "APEBENCH_STRICT_PLUGINS"  # re-raise plugin failures (CI, plugin authors)
ENV_DISABLE_AUTOLOAD = "APEBENCH_DISABLE_PLUGIN_AUTOLOAD"  # load no entry points at all
ENV_BLOCK = "APEBENCH_BLOCK_PLUGINS"  # comma-separated plugin or distribution names to skip
ENV_ONLY = "APEBENCH_PLUGINS"  # comma-separated: load only these entry points

ACTIVE, DISABLED, FAILED = "active", "disabled", "failed"
#: Some hooks failed; the components of the others are available.
DEGRADED = "degraded"
#: The plugin declares an API version this core does not serve.
INCOMPATIBLE = "incompatible"


class PluginWarning(UserWarning):
    """A plugin could not be loaded; the rest of apebench keeps working."""


def _checked_specs(returned: Any, hook: str, kind: str) -> list[ComponentSpec]:
    """What a hook returned, if it is a list of specs of its kind; otherwise say what it is."""
    if returned is None:
        raise TypeError(f"returned None; a hook returns a list of ComponentSpec of kind {kind!r}")
    if isinstance(returned, ComponentSpec):
        raise TypeError(f"returned one ComponentSpec ({returned.name!r}), not a list; return [spec]")
    if isinstance(returned, (str, bytes, Mapping)) or not isinstance(returned, Iterable):
        raise TypeError(f"returned {type(returned).__name__}, not a list of ComponentSpec")
    specs = list(returned)
    for spec in specs:
        if not isinstance(spec, ComponentSpec):
            raise TypeError(f"returned a list holding {type(spec).__name__} {spec!r}, not only ComponentSpec")
        if spec.kind != kind:
            raise TypeError(f"returned the {spec.kind} {spec.name!r}; this hook declares {kind}s only")
    return specs


#: The plugin API this core serves: a plugin may declare ``apebench_api = "2"`` (or "1.x") on its
#: entry object; a major version outside these is skipped with a warning, never a crash.
API_VERSION = "2.0"
SUPPORTED_API_MAJORS = (1, 2)
#: The distribution whose plugins are bundled: on a bare-name clash, its component wins.
CORE_DISTRIBUTION = "apebench-core"


def api_compatible(declared: Any) -> bool:
    try:
        major = int(str(declared).strip().split(".")[0])
    except ValueError:
        return False
    return major in SUPPORTED_API_MAJORS


def _normalized(distribution: str | None) -> str:
    return re.sub(r"[-_.]+", "-", distribution or "").lower()


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _env_names(name: str) -> set[str]:
    return {part.strip().lower() for part in os.environ.get(name, "").split(",") if part.strip()}


@attrs.define
class PluginInfo:
    """What ``apebench plugins`` shows about one plugin."""

    name: str
    distribution: str | None = None
    version: str | None = None
    status: str = ACTIVE
    hooks: list[str] = attrs.field(factory=list)
    error: str | None = None
    source: str = "entry point"
    #: Every failure, one line each (``error`` is the first of them).
    errors: list[str] = attrs.field(factory=list)
    #: The plugin API version the plugin says it was written for (``apebench_api``), if any.
    api: str | None = None
    #: The module the entry point names (``pkg.module``), or an in-process plugin's module.
    module: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


class Registry:
    """Components of every kind, gathered lazily from the plugins on first use."""

    def __init__(self, *, autoload: bool | None = None) -> None:
        """``autoload=False`` gives a hermetic registry (in-process plugins only) whatever the
        environment says; ``None`` follows ``APEBENCH_DISABLE_PLUGIN_AUTOLOAD``."""
        self._autoload = autoload
        self._in_process: dict[str, object] = {}
        self.reset()

    # -- loading -----------------------------------------------------------------
    def reset(self) -> None:
        """Forget everything loaded; the next lookup loads the plugins again."""
        self._loaded = False
        self._loaded_with: tuple[str, ...] = ()
        self._plugins: dict[str, PluginInfo] = {}
        self._specs: dict[str, list[ComponentSpec]] = {kind: [] for kind in KINDS}
        self._index: dict[str, dict[str, list[ComponentSpec]]] = {kind: {} for kind in KINDS}

    def register(self, plugin: object, name: str | None = None) -> str:
        """Register a plugin object in process (tests, notebooks); returns its name."""
        name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        self._in_process[name] = plugin
        self.reset()
        return name

    def in_process_plugins(self) -> dict[str, object]:
        """Plugins registered with :meth:`register` (not through entry points), by name."""
        return dict(self._in_process)

    def unregister(self, name: str) -> None:
        self._in_process.pop(name, None)
        self.reset()

    @staticmethod
    def _switches() -> tuple[str, ...]:
        return tuple(
            os.environ.get(name, "") for name in (ENV_STRICT, ENV_DISABLE_AUTOLOAD, ENV_BLOCK, ENV_ONLY)
        )

    def _ensure_loaded(self) -> None:
        switches = self._switches()
        if self._loaded and switches == self._loaded_with:
            return
        if self._loaded:  # a switch changed since loading (e.g. in a test): load afresh
            self.reset()
        self._loaded, self._loaded_with = (
            True,
            switches,
        )  # first: a plugin looking components up must not recurse
        manager = pluggy.PluginManager(PROJECT)
        manager.add_hookspecs(ApebenchSpecs)
        strict = _env_flag(ENV_STRICT)
        autoload = not _env_flag(ENV_DISABLE_AUTOLOAD) if self._autoload is None else self._autoload
        if autoload:
            self._load_entry_points(manager, strict)
        for name, plugin in self._in_process.items():
            module = plugin.__name__ if isinstance(plugin, types.ModuleType) else None
            info = PluginInfo(name=name, source="in-process", module=module)
            self._register_one(manager, name, plugin, info, strict)
        self._collect_specs(manager, strict)

    def _load_entry_points(self, manager: pluggy.PluginManager, strict: bool) -> None:
        blocked, only = _env_names(ENV_BLOCK), _env_names(ENV_ONLY)
        for entry_point in importlib_metadata.entry_points(group=ENTRY_POINT_GROUP):
            if entry_point.name in self._plugins:
                continue  # the same distribution seen twice on sys.path
            dist = entry_point.dist
            info = PluginInfo(
                name=entry_point.name,
                distribution=dist.name if dist else None,
                version=dist.version if dist else None,
                module=entry_point.value.partition(":")[0],
            )
            self._plugins[info.name] = info
            names = {info.name.lower(), (info.distribution or "").lower()}
            if names & blocked or (only and not names & only):
                info.status = DISABLED
                continue
            try:
                plugin = entry_point.load()
            except Exception as error:  # noqa: BLE001 - any import failure is isolated
                self._fail(info, error, strict)
                continue
            self._register_one(manager, info.name, plugin, info, strict)

    def _register_one(
        self, manager: pluggy.PluginManager, name: str, plugin: object, info: PluginInfo, strict: bool
    ) -> None:
        self._plugins[name] = info
        declared = getattr(plugin, "apebench_api", None)
        if declared is not None:
            info.api = str(declared)
            if not api_compatible(declared):
                info.status = INCOMPATIBLE
                info.error = (
                    f"written for plugin API {declared}; this apebench-core serves "
                    f"{', '.join(map(str, SUPPORTED_API_MAJORS))}.x"
                )
                info.errors.append(info.error)
                warnings.warn(
                    f"apebench plugin {name!r} is skipped: {info.error} (update the plugin or apebench-core)",
                    PluginWarning,
                    stacklevel=3,
                )
                return
        try:
            manager.register(plugin, name=name)
            manager.check_pending()  # a misspelled hook name is an error, not silence
        except Exception as error:  # noqa: BLE001
            if manager.is_registered(plugin):
                manager.unregister(plugin)
            self._fail(info, error, strict)
            return
        info.hooks = sorted(caller.name for caller in manager.get_hookcallers(plugin) or [])

    def _fail(self, info: PluginInfo, error: BaseException, strict: bool) -> None:
        info.status = FAILED
        info.error = f"{type(error).__name__}: {error}"
        info.errors.append(info.error)
        if strict:
            raise PluginLoadError(f"plugin {info.name!r} failed: {info.error}") from error
        warnings.warn(
            f"apebench plugin {info.name!r} failed to load and is skipped ({info.error}); "
            "see `apebench plugins`",
            PluginWarning,
            stacklevel=3,
        )

    def _collect_specs(self, manager: pluggy.PluginManager, strict: bool) -> None:
        """Ask every hook of every active plugin for its specs. A hook that raises or returns
        something else than a list of specs of its kind loses only its own components; the
        failure is kept (named by hook) on the plugin's record."""
        answered: set[str] = set()
        for kind, (hook, _, _) in KINDS.items():
            for impl in getattr(manager.hook, hook).get_hookimpls():
                info = self._plugins[impl.plugin_name]
                if info.status not in (ACTIVE, DEGRADED):
                    continue
                trace(f"hook {hook} of plugin {impl.plugin_name!r}")
                try:
                    specs = _checked_specs(impl.function(), hook, kind)
                except Exception as error:  # noqa: BLE001 - isolate the failing hook only
                    self._hook_failed(info, hook, error, strict)
                    continue
                answered.add(impl.plugin_name)
                origin = f"{info.distribution} {info.version}" if info.distribution else ""
                for spec in specs:
                    self._add(attrs.evolve(spec, plugin=impl.plugin_name, distribution=origin))
        for info in self._plugins.values():
            if info.status == DEGRADED and info.name not in answered:
                info.status = FAILED  # every hook it implements failed

    def _hook_failed(self, info: PluginInfo, hook: str, error: BaseException, strict: bool) -> None:
        message = f"{hook}: {type(error).__name__}: {error}"
        info.errors.append(message)
        info.error = info.error or message
        info.status = DEGRADED
        if strict:
            raise PluginLoadError(f"plugin {info.name!r} hook {message}") from error
        warnings.warn(
            f"apebench plugin {info.name!r}: hook {message}; its other components stay available "
            "(see `apebench plugins`)",
            PluginWarning,
            stacklevel=4,
        )

    def _add(self, spec: ComponentSpec) -> None:
        self._specs[spec.kind].append(spec)
        for name in {spec.name.lower(), *(alias.lower() for alias in spec.aliases)}:
            self._index[spec.kind].setdefault(name, []).append(spec)

    # -- lookups -----------------------------------------------------------------
    def plugins(self) -> list[PluginInfo]:
        self._ensure_loaded()
        return sorted(self._plugins.values(), key=lambda info: info.name)

    def kinds(self) -> list[str]:
        return list(KINDS)

    def _check_kind(self, kind: str) -> None:
        if kind not in KINDS:
            raise UnknownComponentError(f"unknown component kind {kind!r}; kinds are: {', '.join(KINDS)}")

    def specs(self, kind: str, pattern: str | None = None) -> list[ComponentSpec]:
        """Specs of one kind, sorted by name, optionally filtered by a glob on names and aliases."""
        self._check_kind(kind)
        self._ensure_loaded()
        specs = self._specs[kind]
        if pattern:
            pattern = pattern.lower()
            specs = [
                spec
                for spec in specs
                if any(fnmatch.fnmatchcase(n.lower(), pattern) for n in (spec.name, *spec.aliases))
            ]
        return sorted(specs, key=lambda spec: (spec.name.lower(), spec.plugin))

    def is_bundled(self, spec: ComponentSpec) -> bool:
        info = self._plugins.get(spec.plugin)
        return info is not None and _normalized(info.distribution) == CORE_DISTRIBUTION

    def clashes(self, kind: str) -> dict[str, list[ComponentSpec]]:
        """Names that several plugins register (each is usable as ``plugin/Name``)."""
        self._check_kind(kind)
        self._ensure_loaded()
        return {name: specs for name, specs in self._index[kind].items() if len(specs) > 1}

    def get(self, kind: str, name: str) -> ComponentSpec:
        """The spec registered under ``name`` (case-insensitive, aliases, ``plugin/Name``)."""
        self._check_kind(kind)
        self._ensure_loaded()
        if not isinstance(name, str):
            raise TypeError(f"{kind} name must be a string, got {type(name).__name__}")
        plugin, _, bare = name.strip().rpartition("/")
        candidates = self._index[kind].get(bare.lower(), [])
        if plugin:
            candidates = [spec for spec in candidates if spec.plugin.lower() == plugin.lower()]
        if len(candidates) > 1 and not plugin:
            bundled = [spec for spec in candidates if self.is_bundled(spec)]
            if len(bundled) == 1:  # a third-party plugin never shadows a bundled component
                return bundled[0]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            options = ", ".join(spec.qualified_name for spec in candidates)
            raise AmbiguousComponentError(
                f"{kind} {bare!r} is registered by several plugins; pick one of: {options}"
            )
        close = self.suggestions(kind, bare)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        where = f" from plugin {plugin!r}" if plugin else ""
        raise UnknownComponentError(
            f"unknown {kind} {bare!r}{where}{hint} (run `apebench list {kind}` to see all)"
        )

    def suggestions(self, kind: str, name: str, limit: int = 3) -> list[str]:
        """Registered names (and aliases) close to ``name``, each once whatever its case."""
        self._ensure_loaded()
        by_lower: dict[str, str] = {}
        for spec in self._specs[kind]:
            for candidate in (spec.name, *spec.aliases):
                by_lower.setdefault(candidate.lower(), candidate)
        close = difflib.get_close_matches(name.lower(), list(by_lower), n=limit, cutoff=0.5)
        return [by_lower[match] for match in close]

    def parse(self, kind: str, config: str | ParsedConfig) -> ParsedConfig:
        """Parse a config string of ``kind`` into typed fields (see :class:`ParsedConfig`)."""
        if isinstance(config, ParsedConfig):
            return config
        if not isinstance(config, str):
            raise ConfigError(f"{kind} config must be a string, got {type(config).__name__}: {config!r}")
        if not config.strip():
            raise ConfigError(f"empty {kind} config (run `apebench list {kind}` to see the options)")
        name, *tokens = config.strip().split(SEPARATOR)
        spec = self.get(kind, name.strip())
        parsed = parse_tokens(spec, config, tokens, self)
        return attrs.evolve(parsed, label=self.label(spec))

    def label(self, spec: ComponentSpec) -> str:
        """The name a canonical config string uses for ``spec``: bare where the bare name
        resolves to it, else ``plugin/Name``, so the string parses back to the same component."""
        try:
            return spec.name if self.get(spec.kind, spec.name) is spec else spec.qualified_name
        except LookupError:
            return spec.qualified_name

    def build(self, kind: str, config: str | ParsedConfig, **context: Any) -> Any:
        """Parse ``config`` and build the component, passing ``context`` to its factory."""
        return self.parse(kind, config).build(**context)


_REGISTRY = Registry()


def get_registry() -> Registry:
    """The process-wide registry used by the pipeline and the CLI."""
    return _REGISTRY
