"""Spec types: what a plugin returns from a hook to describe one component.

A spec describes a component without building it, so listing and config-string
validation never import the heavy code behind ``factory``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

import attrs

#: Field types a config string can carry. ``config`` consumes the rest of the
#: string as a nested config of another kind (e.g. ``clamp;0;1;fourier;5;true;true``
#: or the activation in ``Conv;26;10;relu``); it must be the last field.
FIELD_TYPES = ("int", "float", "bool", "str", "choice", "floats", "config")


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: Sentinel default of a field that must be given.
REQUIRED: Any = _Required()


@attrs.frozen
class Field:
    """One `;`-separated field of a config string.

    ``kind`` names the component kind of a ``config`` field; ``choices`` the
    allowed values of a ``choice`` field. A field with a default may be omitted,
    but only from the end of the string. ``ge``/``gt``/``le``/``lt`` bound the values
    of ``int``, ``float`` and ``floats`` fields (each element); floats must be finite.
    """

    name: str
    type: str
    help: str = ""
    default: Any = REQUIRED
    choices: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    kind: str | None = None
    ge: float | None = attrs.field(default=None, kw_only=True)
    gt: float | None = attrs.field(default=None, kw_only=True)
    le: float | None = attrs.field(default=None, kw_only=True)
    lt: float | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field {self.name!r}: type must be one of {FIELD_TYPES}, got {self.type!r}")
        if self.type == "choice" and not self.choices:
            raise ValueError(f"field {self.name!r}: a choice field needs choices")
        if self.type == "config" and not self.kind:
            raise ValueError(f"field {self.name!r}: a config field needs the kind it holds")

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def bounds(self) -> Bounds:
        return Bounds(ge=self.ge, gt=self.gt, le=self.le, lt=self.lt)

    @property
    def type_label(self) -> str:
        if self.type == "choice":
            return "|".join(self.choices)
        if self.type == "config":
            return f"{self.kind} config"
        return self.type

    @property
    def expected(self) -> str:
        """What a value must be, bounds included (``int >= 1``)."""
        return f"{self.type_label} {self.bounds}".strip()


@attrs.frozen
class Bounds:
    """Inclusive (``ge``, ``le``) and exclusive (``gt``, ``lt``) bounds of a number."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None

    def violated_by(self, value: float) -> bool:
        return (
            (self.ge is not None and not value >= self.ge)
            or (self.gt is not None and not value > self.gt)
            or (self.le is not None and not value <= self.le)
            or (self.lt is not None and not value < self.lt)
        )

    def __str__(self) -> str:
        parts = [
            f"{symbol} {int(bound) if float(bound).is_integer() else bound}"
            for symbol, bound in ((">=", self.ge), (">", self.gt), ("<=", self.le), ("<", self.lt))
            if bound is not None
        ]
        return ", ".join(parts)


def _tuple_of_fields(value: Any) -> tuple[Field, ...]:
    return tuple(value)


@attrs.frozen
class ComponentSpec:
    """A component as a plugin declares it.

    ``factory`` is a callable or a lazy ``"module:attribute"`` string; it is
    imported only by :meth:`load_factory`, so the module holding the spec can stay
    free of JAX. It is called with the parsed fields as keyword arguments plus the
    context the caller passes for that kind (see ``apebench_core.hookspecs``).
    ``metadata`` holds kind-specific facts that listings may show (for example a
    scenario's family and dimensions). ``validate`` (optional; a callable or a lazy
    ``"module:attribute"``, kept free of JAX) checks rules between fields and the
    experiment before anything is built: ``validate(values, facts)`` raises ``ValueError``
    with a message naming the field; ``facts`` holds the experiment's sizes (see
    :data:`apebench_core.experiment.plan.FACTS`). ``plugin`` is filled in by the registry.
    """

    kind: str
    name: str
    factory: str | Callable[..., Any] = attrs.field(repr=False)
    summary: str = ""
    fields: tuple[Field, ...] = attrs.field(default=(), converter=_tuple_of_fields)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    metadata: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False, hash=False)
    plugin: str = ""
    validate: str | Callable[..., None] | None = attrs.field(default=None, kw_only=True, repr=False)
    #: ``"name version"`` of the distribution that installed the plugin (filled in by the registry).
    distribution: str = attrs.field(default="", kw_only=True, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.name or ";" in self.name or "/" in self.name:
            raise ValueError(f"invalid component name {self.name!r}: non-empty, without ';' or '/'")
        seen_optional = False
        for position, field in enumerate(self.fields):
            if field.type == "config" and position != len(self.fields) - 1:
                raise ValueError(f"{self.name}: config field {field.name!r} must be the last field")
            if field.required and seen_optional:
                raise ValueError(f"{self.name}: required field {field.name!r} follows an optional one")
            seen_optional = seen_optional or not field.required

    @property
    def qualified_name(self) -> str:
        return f"{self.plugin}/{self.name}" if self.plugin else self.name

    @property
    def origin(self) -> str:
        """Where the component comes from, for messages: ``plugin 'nets' (apebench-core 0.1.0)``."""
        where = f"plugin {self.plugin!r}" if self.plugin else "no plugin"
        return f"{where} ({self.distribution})" if self.distribution else where

    @property
    def usage(self) -> str:
        """The config-string grammar, e.g. ``Conv;<hidden_channels:int>;<depth:int>;<activation>``."""
        parts = [self.name]
        for field in self.fields:
            token = f"<{field.name}:{field.type_label}>"
            parts.append(token if field.required else f"[{token}]")
        return ";".join(parts)

    def load_factory(self) -> Callable[..., Any]:
        return load_object(self.factory)

    def load_validator(self) -> Callable[..., None] | None:
        return None if self.validate is None else load_object(self.validate)


def load_object(reference: str | Callable[..., Any]) -> Callable[..., Any]:
    """A callable, or the object a ``"module:attribute.path"`` string names (imported now)."""
    if callable(reference):
        return reference
    module_name, _, attribute = reference.partition(":")
    target: Any = importlib.import_module(module_name)
    for part in attribute.split(".") if attribute else ():
        target = getattr(target, part)
    return target
