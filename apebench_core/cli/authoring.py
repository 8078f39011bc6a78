"""For plugin authors: ``apebench plugins new``, ``check`` and ``contract``."""

from __future__ import annotations

import sys

import click

from .components import plugins_command
from .kit import DEFAULT_KINDS, KIT_KINDS


@plugins_command.command("new")
@click.argument("name")
@click.option(
    "--kinds",
    default=",".join(DEFAULT_KINDS),
    show_default=True,
    help=f"Comma-separated kinds to write one working component for: {', '.join(KIT_KINDS)}.",
)
@click.option("--out", default=".", show_default=True, help="Folder to write the distribution into.")
def new_command(name: str, kinds: str, out: str) -> None:
    """Write a ready plugin distribution NAME: installs with `pip install ./NAME`, passes its tests."""
    from .kit import write_plugin

    files = write_plugin(name, tuple(k.strip() for k in kinds.split(",") if k.strip()), folder=out)
    for path in files:
        click.echo(f"wrote {path}")
    click.echo(
        f"next: pip install -e '{files[0].parent}[test]' && python -m pytest {files[0].parent / 'tests'}"
    )


@plugins_command.command("check")
@click.argument("name", required=False)
def check_command(name: str | None) -> None:
    """Conformance of a plugin (entry-point or distribution name; default: every third-party one):
    each component builds from its example and honours its kind's contract, the entry module
    imports no JAX, and listing stays fast."""
    from ..experiment.conformance import check_plugin
    from ..plugin.registry import get_registry

    registry = get_registry()
    names = [name] if name else [i.name for i in registry.plugins() if i.distribution != "apebench-core"]
    if not names:
        names = [info.name for info in registry.plugins()]
    failures = 0
    for plugin in names:
        click.secho(f"plugin {plugin}", bold=True)
        for result in check_plugin(plugin, registry):
            failures += not result.passed
            click.echo("  " + result.line())
    click.echo(f"{failures} check(s) failed" if failures else "all checks passed")
    if failures:
        sys.exit(1)


@plugins_command.command("contract")
def contract_command() -> None:
    """Print the contract of every component kind (Markdown; docs/plugin-contract.md is this)."""
    from ..plugin.hookspecs import render_contract

    click.echo(render_contract())
