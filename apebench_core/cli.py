"""The ``apebench`` command line. Listing commands never import JAX."""

from __future__ import annotations

import json
import sys
import warnings
from typing import Any

import click

from . import __version__
from ._registry import get_registry
from ._spec import ComponentSpec
from .errors import ApebenchError
from .hookspecs import KINDS

_PLURALS = {f"{kind}s": kind for kind in KINDS} | {"initial_conditions": "initial_condition", "ics": "initial_condition"}


def _kind(word: str) -> str | None:
    word = word.lower().replace("-", "_")
    return word if word in KINDS else _PLURALS.get(word)


def _spec_dict(spec: ComponentSpec) -> dict[str, Any]:
    return {
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
                "required": f.required,
                "default": None if f.required else f.default,
                "help": f.help,
            }
            for f in spec.fields
        ],
        "metadata": dict(spec.metadata),
    }


class _CleanErrors(click.Group):
    """Turn apebench errors into one line and exit code 1, unless ``--debug``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ApebenchError, FileNotFoundError, PermissionError, ValueError) as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {error}", err=True)
            sys.exit(1)


@click.group(cls=_CleanErrors)
@click.version_option(__version__, prog_name="apebench")
@click.option("--debug", is_flag=True, help="Show full tracebacks.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Benchmark autoregressive neural PDE emulators; discover components with `apebench list`."""
    ctx.obj = {"debug": debug}
    if not debug:
        warnings.showwarning = _one_line_warning


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    click.echo(f"warning: {message}", err=True)


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
    """Show one component: usage line, fields with types/defaults/help, summary, plugin."""
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
        raise ApebenchError(errors[0] if len(errors) == 1 else f"no component named {name!r} (try `apebench list`)")
    if as_json:
        click.echo(json.dumps([_spec_dict(spec) for spec in found], indent=2))
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
            click.echo(f"    {field.name:<22} {field.type_label:<24} {default:<18} {field.help}")
        click.echo()


if __name__ == "__main__":  # pragma: no cover
    main()
