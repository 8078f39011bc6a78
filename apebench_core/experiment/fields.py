"""Declared scenario fields: type, default, help and range, derived from the scenario class.

A scenario's fields are its annotated class attributes (a dataclass). Their types come
from the annotations, help and ranges from ``field_docs`` (merged along the class
hierarchy) or ``dataclasses.field(metadata=...)``, so a plugin author declares nothing
extra. The same declaration drives ``apebench show``, ``--FIELD VALUE`` parsing on the
command line and the validation of every override.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import math
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs

from ..plugin.config import check_number
from ..plugin.errors import PlanError
from ..plugin.spec import Bounds

#: Seeds are unsigned 32-bit integers in JAX's PRNG.
SEED_LIMIT = 2**32


@attrs.frozen
class FieldDoc:
    """What a scenario says about one of its fields beyond type and default."""

    help: str = ""
    bounds: Bounds = Bounds()
    length: int | None = None  # for tuples: the exact number of elements
    kind: str | None = None  # for strings: the component kind of a config string (or a list of them)
    many: bool = False  # with ``kind``: a comma-separated list of configs


def doc(
    help: str = "",
    *,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
    length: int | None = None,
    kind: str | None = None,
    many: bool = False,
) -> FieldDoc:
    """Shorthand for the entries of a scenario's ``field_docs``."""
    return FieldDoc(help, Bounds(ge=ge, gt=gt, le=le, lt=lt), length, kind, many)


@attrs.frozen
class ScenarioField:
    """One declared field of a scenario class."""

    name: str
    type: Any  # int, float, bool, str, tuple, or object (any value, passed through unchecked)
    default: Any
    doc: FieldDoc = FieldDoc()
    owner: str = "scenario"  # whose field it is, for messages: "scenario" or "experiment"
    element: Any = float  # of a tuple: int, float, or object (elements kept as given)
    optional: bool = False  # None is a valid value (``float | None``)

    @property
    def help(self) -> str:
        return self.doc.help

    @property
    def type_label(self) -> str:
        if self.type is object:
            label = "any"
        elif self.type is tuple:
            noun = {int: "ints", float: "floats"}.get(self.element, "values")
            label = noun if self.doc.length is None else f"{self.doc.length} {noun}"
        elif self.doc.kind:
            label = f"{self.doc.kind} config" + ("s (comma-separated)" if self.doc.many else "")
        else:
            label = self.type.__name__
        bounds = str(self.doc.bounds)
        return f"{label} {bounds}".strip()

    def _error(self, value: Any, expected: str) -> PlanError:
        return PlanError(f"{self.owner} field {self.name!r}: got {value!r}, expected {expected}")

    def coerce(self, value: Any) -> Any:
        """The value in the declared type (lossless conversions only), range-checked."""
        expected = self.type_label
        if self.type is object or (value is None and self.optional):
            return value
        if self.type is bool:
            if not isinstance(value, bool):
                raise self._error(value, "true or false")
            return value
        if self.type is str:
            if not isinstance(value, str):
                raise self._error(value, f"a string ({expected})")
            return value
        if self.type is tuple:
            if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)):
                raise self._error(value, expected)
            if self.doc.length is not None and len(value) != self.doc.length:
                raise self._error(value, expected)
            return tuple(self._element(v, value) for v in value)
        return self._number(value, self.type, value)

    def _element(self, value: Any, shown: Any) -> Any:
        """A number, or a nested tuple of numbers (matrices such as ``diffusion_coef_matrix``)."""
        if isinstance(value, (tuple, list)):
            return tuple(self._element(v, shown) for v in value)
        if self.element is object:
            return value
        return self._number(value, self.element, shown)

    def _number(self, value: Any, kind: type, shown: Any) -> Any:
        expected = self.type_label
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._error(shown, expected)
        if not math.isfinite(value):
            raise self._error(shown, f"a finite number ({expected})")
        if kind is int:
            if float(value) != int(value):
                raise self._error(shown, f"a whole number ({expected})")
            value = int(value)
        else:
            value = float(value)
        try:
            check_number(self.doc.bounds, value, "float")
        except ValueError:
            raise self._error(shown, expected) from None
        return value

    def parse_text(self, text: str) -> Any:
        """A command-line value read by the declared type (``16``, ``1e-3``, ``-2,2``, ``true``)."""
        if self.type is str:
            return self.coerce(text)
        if self.type is object:
            try:
                return ast.literal_eval(text)
            except (ValueError, SyntaxError):
                return text
        if self.type is bool:
            lowered = text.strip().lower()
            if lowered not in ("true", "false"):
                raise self._error(text, "true or false")
            return self.coerce(lowered == "true")
        if self.type is tuple:
            stripped = text.strip().strip("()[]")
            try:
                parts = [ast.literal_eval(part.strip()) for part in stripped.split(",") if part.strip()]
            except (ValueError, SyntaxError):
                raise self._error(text, f"{self.type_label}, comma-separated") from None
            return self.coerce(parts)
        try:
            number = ast.literal_eval(text.strip().replace("_", ""))
        except (ValueError, SyntaxError):
            try:
                number = float(text)
            except ValueError:
                raise self._error(text, self.type_label) from None
        return self.coerce(number)


def _element_type(annotation: Any) -> Any:
    """int or float where every element of a (nested) tuple annotation is one, else object."""
    leaves: set[Any] = set()

    def visit(node: Any) -> None:
        if typing.get_origin(node) is tuple:
            for arg in typing.get_args(node):
                visit(arg)
        elif node is not Ellipsis:
            leaves.add(node)

    visit(annotation)
    if leaves == {int}:
        return int
    return float if leaves and leaves <= {int, float} else object


def _field_type(annotation: Any, default: Any) -> tuple[Any, Any, bool]:
    """(type, tuple element type, None allowed) of a field from its annotation or default."""
    optional = default is None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = optional or len(args) < len(typing.get_args(annotation))
        if len(args) != 1:
            return object, object, optional
        annotation, origin = args[0], typing.get_origin(args[0])
    if origin is tuple or annotation is tuple:
        return tuple, _element_type(annotation) if origin is tuple else float, optional
    if annotation in (int, float, bool, str):
        return annotation, float, optional
    if annotation is None:  # unresolvable annotation: judge by the default
        for candidate in (bool, int, float, str):
            if isinstance(default, candidate):
                return candidate, float, optional
    return object, object, optional  # any other type: passed through unchecked


def field_docs(cls: type) -> dict[str, FieldDoc]:
    """``field_docs`` of ``cls`` and its bases, the most derived winning."""
    merged: dict[str, FieldDoc] = {}
    for klass in reversed(cls.__mro__):
        merged.update(klass.__dict__.get("field_docs", {}))
    return merged


def scenario_fields(cls: type) -> dict[str, ScenarioField]:
    """The declared fields of a scenario class, by name, in declaration order."""
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a scenario class (no declared fields)")
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # noqa: BLE001 - an unresolvable annotation: fall back on the defaults' types
        hints = {}
    docs = field_docs(cls)
    fields: dict[str, ScenarioField] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = None
        meta = dict(f.metadata)
        entry = docs.get(f.name) or (doc(**meta) if meta else FieldDoc())
        kind, element, optional = _field_type(hints.get(f.name), default)
        fields[f.name] = ScenarioField(f.name, kind, default, entry, element=element, optional=optional)
    return fields


def unknown_field_error(name: str, known: Mapping[str, Any], where: str) -> PlanError:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return PlanError(f"unknown {where} field {name!r}{hint} (see `apebench show` for the fields)")
