"""The one place where config strings such as ``Conv;26;10;relu`` are parsed and formatted.

Parsing is driven by the spec's declared fields, for every component kind.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .contracts import check_component
from .errors import ComponentBuildError, ConfigError
from .spec import ComponentSpec, Field
from .trace import trace

if TYPE_CHECKING:
    from .registry import Registry

SEPARATOR = ";"


@attrs.frozen
class ParsedConfig:
    """A config string resolved against its spec: the spec plus typed field values."""

    spec: ComponentSpec
    values: Mapping[str, Any] = attrs.field(converter=dict)
    #: The name the canonical string uses: the bare name, or ``plugin/Name`` where the bare
    #: name would resolve to another component (set by the registry when it parses).
    label: str = attrs.field(default="", eq=False, repr=False)

    @property
    def name(self) -> str:
        return self.spec.name

    def __getitem__(self, field_name: str) -> Any:
        return self.values[field_name]

    def format(self) -> str:
        """Canonical config string; parsing it gives back an equal ``ParsedConfig``."""
        return format_config(self)

    def build(self, *, optional_context: Mapping[str, Any] | None = None, **context: Any) -> Any:
        """Import the spec's factory and call it with the field values and ``context`` (of
        ``optional_context`` only what the factory's signature accepts), then check the result
        against its kind's contract. Every failure is one :class:`ComponentBuildError` naming
        the component and its plugin: the one place where components are built."""
        where = f"{self.spec.kind} {self.format()!r} from {self.spec.origin}"
        trace(f"build {where}")
        try:
            factory = self.spec.load_factory()
        except Exception as error:  # noqa: BLE001 - any import failure of plugin code
            raise ComponentBuildError(
                f"{where}: cannot import its factory {self.spec.factory!r} ({type(error).__name__}: {error})"
            ) from error
        arguments = {**self.values, **context, **accepted_arguments(factory, optional_context or {})}
        try:
            component = factory(**arguments)
        except ComponentBuildError:
            raise  # a nested component already named itself
        except Exception as error:  # noqa: BLE001 - the funnel: plugin code may raise anything
            raise ComponentBuildError(f"{where}: factory raised {type(error).__name__}: {error}") from error
        try:
            check_component(self.spec.kind, component, context)
        except TypeError as error:  # the contract's own verdict: returned X, expected Y
            raise ComponentBuildError(f"{where}: factory {error}") from None
        except Exception as error:  # noqa: BLE001 - the component failed on a state of its own grid
            message = str(error).split("\n")[0]
            raise ComponentBuildError(
                f"{where}: fails on a dummy state: {type(error).__name__}: {message}"
            ) from None
        return component

    def __str__(self) -> str:
        return self.format()


def accepted_arguments(function: Callable[..., Any], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword ``arguments`` that ``function`` takes (all of them if it has ``**kwargs``)."""
    import inspect  # not at import time: listing never needs it

    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return dict(arguments)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return dict(arguments)
    return {name: value for name, value in arguments.items() if name in parameters}


def _parse_bool(token: str) -> bool:
    lowered = token.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise ValueError("expected true or false")


def _parse_floats(token: str) -> tuple[float, ...]:
    return tuple(float(part) for part in token.split(","))


def check_number(field_bounds: Any, value: Any, type_name: str) -> None:
    """Raise ``ValueError`` (saying what is expected) unless ``value`` is finite and in bounds."""
    for number in value if isinstance(value, tuple) else (value,):
        if type_name in ("float", "floats") and not math.isfinite(number):
            raise ValueError("not a finite number")
        if field_bounds.violated_by(number):
            raise ValueError("out of range")


def _parse_choice(field: Field) -> Callable[[str], str]:
    def parse(token: str) -> str:
        for choice in field.choices:
            if token.lower() == choice.lower():
                return choice
        raise ValueError(f"expected one of {', '.join(field.choices)}")

    return parse


_SCALAR_PARSERS: dict[str, Callable[[str], Any]] = {
    "int": int,  # accepts 10_000 like Python literals
    "float": float,
    "bool": _parse_bool,
    "str": str,
    "floats": _parse_floats,
}


def _usage_hint(spec: ComponentSpec) -> str:
    return f"usage: {spec.usage}"


def _error(spec: ComponentSpec, config: str, message: str) -> ConfigError:
    return ConfigError(f"{spec.kind} config {config!r}: {message}\n  {_usage_hint(spec)}")


def parse_tokens(spec: ComponentSpec, config: str, tokens: list[str], registry: Registry) -> ParsedConfig:
    """Turn the tokens after the name into typed values, or raise :class:`ConfigError`."""
    values: dict[str, Any] = {}
    position = 0
    for index, field in enumerate(spec.fields):
        position = index + 1  # the name is position 0
        if index >= len(tokens):
            if field.required:
                missing = ", ".join(f.name for f in spec.fields[index:] if f.required)
                raise _error(spec, config, f"missing field {field.name!r} at position {position} ({missing})")
            if field.type == "config":
                assert field.kind is not None
                values[field.name] = registry.parse(field.kind, field.default)
            else:
                values[field.name] = field.default
            continue
        if field.type == "config":
            inner = SEPARATOR.join(tokens[index:])
            assert field.kind is not None
            try:
                values[field.name] = registry.parse(field.kind, inner)
            except (ConfigError, LookupError) as inner_error:
                raise _error(
                    spec, config, f"field {field.name!r} at position {position}: {inner_error}"
                ) from None
            return ParsedConfig(spec, values)
        token = tokens[index]
        parser = _parse_choice(field) if field.type == "choice" else _SCALAR_PARSERS[field.type]
        try:
            if field.type != "str" and not token.strip():
                raise ValueError("empty")
            value = parser(token.strip() if field.type != "str" else token)
            if field.type in ("int", "float", "floats"):
                check_number(field.bounds, value, field.type)
            values[field.name] = value
        except ValueError as cause:
            raise _error(
                spec,
                config,
                f"field {field.name!r} at position {position} expects {field.expected}, "
                f"got {token!r} ({cause})",
            ) from None
    if len(tokens) > len(spec.fields):
        extra = SEPARATOR.join(tokens[len(spec.fields) :])
        raise _error(
            spec,
            config,
            f"{len(tokens) - len(spec.fields)} extra field(s) {extra!r} after position {position}",
        )
    return ParsedConfig(spec, values)


def _format_value(field: Field, value: Any) -> str:
    if field.type == "bool":
        return "true" if value else "false"
    if field.type == "floats":
        return ",".join(format_float(v) for v in value)
    if field.type == "float":
        return format_float(value)
    if field.type == "config":
        return value.format() if isinstance(value, ParsedConfig) else str(value)
    return str(value)


def format_float(value: float) -> str:
    """Shortest text that parses back to the same float; whole numbers without ``.0``."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _is_default(field: Field, value: Any) -> bool:
    if field.type == "config":
        return _format_value(field, value).lower() == str(field.default).lower()
    return bool(value == field.default)


def format_config(parsed: ParsedConfig) -> str:
    """Name plus field values; trailing fields still at their default are left out."""
    fields = list(parsed.spec.fields)
    while fields and not fields[-1].required and _is_default(fields[-1], parsed.values[fields[-1].name]):
        fields.pop()
    tokens = [parsed.label or parsed.spec.name] + [_format_value(f, parsed.values[f.name]) for f in fields]
    return SEPARATOR.join(tokens)
