"""Discovering components: ``apebench list``, ``plugins`` and ``show``. Never imports JAX."""

from __future__ import annotations

import json
from typing import Any

import click

from ..plugin.errors import ApebenchError
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
            clash = "  [name clash: use plugin/name]" if spec.name.lower() in clashes else ""
            click.echo(f"  {spec.name:<{width}}  {spec.plugin:<10}  {spec.summary}{clash}")
        click.echo()


@main.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def plugins_command(as_json: bool) -> None:
    """Show every discovered plugin: distribution, version, status, hooks and error."""
    infos = get_registry().plugins()
    if as_json:
        click.echo(json.dumps([info.as_dict() for info in infos], indent=2))
        return
    for info in infos:
        colour = {"active": "green", "failed": "red"}.get(info.status, "yellow")
        dist = f"{info.distribution or '-'} {info.version or ''}".strip()
        click.echo(f"{info.name:<12} {dist:<28} " + click.style(f"{info.status:<9}", fg=colour), nl=False)
        click.echo(f" {', '.join(h.removeprefix('apebench_') for h in info.hooks)}")
        if info.error:
            click.echo(f"    error: {info.error}")


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
    found: list[ComponentSpec] = []
    errors: list[str] = []
    for k in kinds:
        try:
            found.append(registry.get(k, name.split(";")[0]))
        except ApebenchError as error:
            errors.append(str(error))
    if not found:
        raise ApebenchError(
            errors[0] if len(errors) == 1 else f"no component named {name!r} (try `apebench list`)"
        )
    if as_json:
        click.echo(json.dumps([_spec_dict(spec, with_scenario_fields=True) for spec in found], indent=2))
        return
    for spec in found:
        click.secho(f"{spec.name}  ({spec.kind}, plugin {spec.plugin})", bold=True)
        if spec.summary:
            click.echo(f"  {spec.summary}")
        click.echo(f"  usage: {spec.usage}")
        if spec.aliases:
            click.echo(f"  aliases: {', '.join(spec.aliases)}")
        for field in spec.fields:
            default = "required" if field.required else f"default {field.default}"
            click.echo(f"    {field.name:<22} {field.expected:<24} {default:<18} {field.help}")
        if spec.kind == "scenario":
            _show_scenario_fields(spec)
        click.echo()


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
