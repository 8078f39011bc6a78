"""Discovering components: ``apebench list``, ``plugins`` and ``show``. Never imports JAX."""

from __future__ import annotations

import importlib.util
import json
from typing import Any

import click

from ..plugin.errors import AmbiguousComponentError, ApebenchError, UnknownComponentError
from ..plugin.hookspecs import KINDS
from ..plugin.registry import get_registry
from ..plugin.spec import ComponentSpec
from .app import main

_PLURALS = {f"{kind}s": kind for kind in KINDS} | {
    "initial_conditions": "initial_condition",
    "ics": "initial_condition",
}


def _kind(word: str) -> str | None:
    word = word.lower().replace("-", "_")
    return word if word in KINDS else _PLURALS.get(word)


def _spec_dict(spec: ComponentSpec, *, with_scenario_fields: bool = False) -> dict[str, Any]:
    entry = {
        "kind": spec.kind,
        "name": spec.name,
        "plugin": spec.plugin,
        "summary": spec.summary,
        "usage": spec.usage,
        "aliases": list(spec.aliases),
        "fields": [
            {
                "name": f.name,
                "type": f.type_label,
                "bounds": str(f.bounds),
                "required": f.required,
                "default": None if f.required else f.default,
                "help": f.help,
            }
            for f in spec.fields
        ],
        "metadata": dict(spec.metadata),
    }
    if with_scenario_fields and spec.kind == "scenario":
        entry["scenario_fields"] = [
            {"name": f.name, "type": f.type_label, "default": f.default, "help": f.help}
            for f in _scenario_fields(spec).values()
        ]
    return entry


@main.command("list")
@click.argument("kind", required=False)
@click.argument("pattern", required=False)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_command(kind: str | None, pattern: str | None, as_json: bool) -> None:
    """List components, grouped by KIND (e.g. `architectures`), filtered by a glob PATTERN."""
    registry = get_registry()
    kinds = list(KINDS)
    if kind is not None:
        resolved = _kind(kind)
        if resolved is None and pattern is None:
            pattern = kind  # `apebench list 'Conv*'` searches every kind
        elif resolved is None:
            raise click.UsageError(f"unknown kind {kind!r}; kinds are: {', '.join(KINDS)}")
        else:
            kinds = [resolved]
    grouped = {k: registry.specs(k, pattern) for k in kinds}
    if as_json:
        click.echo(json.dumps({k: [_spec_dict(s) for s in specs] for k, specs in grouped.items()}, indent=2))
        return
    for k, specs in grouped.items():
        if not specs and len(kinds) > 1:
            continue
        clashes = registry.clashes(k)
        click.secho(f"{k}s ({len(specs)})", bold=True)
        width = max((len(s.name) for s in specs), default=0)
        for spec in specs:
            click.echo(
                f"  {spec.name:<{width}}  {spec.plugin:<10}  {spec.summary}{_clash_note(spec, clashes)}"
            )
        click.echo()


def _clash_note(spec: ComponentSpec, clashes: dict[str, list[ComponentSpec]]) -> str:
    if spec.name.lower() not in clashes:
        return ""
    if get_registry().is_bundled(spec):
        return "  [name clash: the bare name means this one]"
    return f"  [name clash: write {spec.qualified_name}]"


@main.group("plugins", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def plugins_command(ctx: click.Context, as_json: bool) -> None:
    """Show every discovered plugin: distribution, version, status, hooks and every error.

    Subcommands: `new` writes a ready plugin distribution, `check` tests one.
    """
    if ctx.invoked_subcommand is not None:
        return
    infos = get_registry().plugins()
    if as_json:
        click.echo(json.dumps([info.as_dict() for info in infos], indent=2))
        return
    for info in infos:
        colour = {"active": "green", "failed": "red"}.get(info.status, "yellow")
        dist = f"{info.distribution or '-'} {info.version or ''}".strip()
        click.echo(f"{info.name:<12} {dist:<28} " + click.style(f"{info.status:<12}", fg=colour), nl=False)
        click.echo(f" {', '.join(h.removeprefix('apebench_') for h in info.hooks)}")
        for error in info.errors or ([info.error] if info.error else []):
            click.echo(f"    error: {error}")


@main.command("show")
@click.argument("name")
@click.option("--kind", help="Restrict to one kind when the name exists in several.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def show_command(name: str, kind: str | None, as_json: bool) -> None:
    """Show one component: usage line, fields with types/defaults/help, summary, plugin
    (``file:PATH`` shows a trajectory file as the scenario it makes)."""
    if _claimed_prefix(name):
        _show_prefixed(name)
        return
    registry = get_registry()
    kinds = [_kind(kind) or kind] if kind else list(KINDS)
    bare = name.split(";")[0].strip()
    found: list[ComponentSpec] = []
    errors: list[str] = []
    for k in kinds:
        try:
            found.append(registry.get(k, bare))
        except AmbiguousComponentError:  # show every component the name could mean
            found.extend(registry.clashes(k)[bare.rpartition("/")[2].lower()])
        except ApebenchError as error:
            errors.append(str(error))
    if not found:
        if len(errors) == 1:
            raise ApebenchError(errors[0])
        close = sorted({match for k in kinds for match in registry.suggestions(k, bare.rpartition("/")[2])})
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownComponentError(f"no component named {bare!r}{hint} (try `apebench list`)")
    if as_json:
        click.echo(json.dumps([_spec_dict(spec, with_scenario_fields=True) for spec in found], indent=2))
        return
    for spec in found:
        click.secho(f"{spec.name}  ({spec.kind}, plugin {spec.plugin})", bold=True)
        if spec.summary:
            click.echo(f"  {spec.summary}")
        click.echo(f"  usage: {spec.usage}")
        problem = _factory_problem(spec)
        if problem:
            click.echo(f"  warning: its factory {spec.factory!r} cannot be imported: {problem}")
        if spec.aliases:
            click.echo(f"  aliases: {', '.join(spec.aliases)}")
        for field in spec.fields:
            default = "required" if field.required else f"default {field.default}"
            click.echo(f"    {field.name:<22} {field.expected:<24} {default:<18} {field.help}")
        if spec.kind == "scenario":
            _show_scenario_fields(spec)
        click.echo()


def _factory_problem(spec: ComponentSpec) -> str | None:
    """Why a lazy factory's module cannot be found, without importing the module itself."""
    if not isinstance(spec.factory, str):
        return None
    module = spec.factory.partition(":")[0]
    try:
        found = importlib.util.find_spec(module)
    except (ImportError, ValueError) as error:
        return f"{type(error).__name__}: {error}"
    return None if found is not None else f"no module named {module!r}"


def _scenario_fields(spec: ComponentSpec) -> dict[str, Any]:
    from ..experiment.plan import fields_of

    return fields_of(spec.qualified_name)


def _show_scenario_fields(spec: ComponentSpec) -> None:
    click.echo("  fields (set with --FIELD VALUE on `apebench run`, or as keywords):")
    for field in _scenario_fields(spec).values():
        click.echo(f"    {field.name:<26} {field.type_label:<30} default {field.default!s:<24} {field.help}")


def _claimed_prefix(name: str) -> bool:
    """Whether NAME is ``PREFIX:VALUE`` for a scenario spec claiming that prefix (``file:PATH``)."""
    prefix = name.split(":", 1)[0] if ":" in name else None
    return prefix is not None and any(
        spec.metadata.get("prefix") == prefix for spec in get_registry().specs("scenario")
    )


def _show_prefixed(name: str) -> None:
    """A ``PREFIX:VALUE`` scenario as planned: where its data comes from and every field's value."""
    from ..experiment.plan import fields_of, plan

    experiment = plan(name)
    scene = experiment.scene
    click.secho(f"{name}  (scenario {experiment.scenario}: {scene.get_scenario_name()})", bold=True)
    for line in getattr(scene, "describe_source", lambda: [])():
        click.echo(f"  {line}")
    click.echo("  fields (set with --FIELD VALUE on `apebench run`, or as keywords):")
    for field in fields_of(name).values():
        value = getattr(scene, field.name)
        click.echo(f"    {field.name:<26} {field.type_label:<30} value {value!s:<26} {field.help}")
