"""``apebench cache``: where the compilation cache is, how big, and clearing it (no JAX import)."""

from __future__ import annotations

import json

import click

from ..experiment import compile_cache
from .app import main


@main.command("cache")
@click.option("--clear", is_flag=True, help="Remove every compiled program (all JAX versions).")
@click.option("--prune", is_flag=True, help="Remove only the folders of other jax/jaxlib versions.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def cache_command(clear: bool, prune: bool, as_json: bool) -> None:
    """Show the persistent XLA compilation cache (on by default; APEBENCH_COMPILE_CACHE=0 turns it off)."""
    if clear:
        click.echo(f"removed {compile_cache.clear()} compiled programs")
    if prune:
        for folder in compile_cache.prune():
            click.echo(f"removed {folder}")
    info = compile_cache.usage()
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    state = "on" if info["enabled"] else f"off ({compile_cache.ENV_SWITCH}=0)"
    click.echo(f"compilation cache: {state}")
    click.echo(f"folder: {info['folder']}  (set {compile_cache.ENV_DIR} to move it)")
    click.echo(f"cap: {info['max_bytes'] / 2**20:.0f} MiB  (set {compile_cache.ENV_MAX_MB})")
    for name, folder in info["folders"].items():
        click.echo(f"  {name}: {folder['entries']} programs, {folder['bytes'] / 2**20:.1f} MiB")
