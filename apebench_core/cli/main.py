"""The ``apebench`` command line. Listing commands never import JAX."""

from __future__ import annotations

import json
import sys
import warnings
from typing import Any

import click

from .. import __version__
from ..experiment import defaults
from ..plugin.errors import ApebenchError, ConfigError
from ..plugin.hookspecs import KINDS
from ..plugin.registry import get_registry
from ..plugin.spec import ComponentSpec

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


class _CleanErrors(click.Group):
    """The one funnel for errors: each becomes one ``error:`` line and exit code 1, never a
    traceback, unless ``--debug``. Mistakes in the input say what was wrong; anything else
    is named by its type, with a pointer to ``--debug``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # noqa: BLE001 - the funnel
            if ctx.obj and ctx.obj.get("debug"):
                raise
            for line in _error_lines(error):
                click.echo(f"error: {line}", err=True)
            sys.exit(1)


def _error_lines(error: BaseException) -> list[str]:
    """One line per error (a study with several bad configurations has several)."""
    if isinstance(error, (ApebenchError, ValueError, OSError)):
        text = str(error)
        if isinstance(error, ConfigError):  # the usage hint joins the message's line
            text = "; ".join(part.strip() for part in text.splitlines())
        return [line.strip() for line in text.splitlines() if line.strip()] or [type(error).__name__]
    return [f"{type(error).__name__}: {error} (unexpected; rerun with --debug for the traceback)"]


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
            click.echo(f"    {field.name:<22} {field.type_label:<24} {default:<18} {field.help}")
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


def _override_pairs(args: list[str]) -> dict[str, str]:
    """``--field value`` pairs after the known options, as text (``--num-points`` -> ``num_points``)."""
    pairs: dict[str, str] = {}
    if len(args) % 2:
        raise click.UsageError(f"scenario fields come as --FIELD VALUE pairs, got {' '.join(args)!r}")
    for flag, raw in zip(args[::2], args[1::2], strict=True):
        if not flag.startswith("--") or len(flag) < 3:
            raise click.UsageError(f"expected --FIELD before {raw!r}, got {flag!r}")
        pairs[flag[2:].replace("-", "_")] = raw
    return pairs


@main.command("run", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("scenario")
@click.option("--net", default=defaults.NET, show_default=True, help="Architecture config string.")
@click.option(
    "--train", default=defaults.TRAIN, show_default=True, help="Learning methodology config string."
)
@click.option("--task", default=defaults.TASK, show_default=True, help="Task config string.")
@click.option("--num-seeds", default=1, show_default=True, type=click.IntRange(1))
@click.option("--start-seed", default=0, show_default=True, type=int)
@click.option("--out", type=click.Path(file_okay=False), help="Write result files into this folder.")
@click.option(
    "--plot", is_flag=True, help="Also render the loss / metric / sample-rollout figure (needs matplotlib)."
)
@click.pass_context
def run_command(
    ctx: click.Context,
    scenario: str,
    net: str,
    train: str,
    task: str,
    num_seeds: int,
    start_seed: int,
    out: str | None,
    plot: bool,
) -> None:
    """Run one experiment: SCENARIO key, then any scenario field as --FIELD VALUE (see `apebench show`)."""
    from ..experiment.plan import fields_of, plan
    from ..experiment.results import check_output_folder

    fields = fields_of(scenario)
    overrides = {
        name: fields[name].parse_text(raw) if name in fields else raw
        for name, raw in _override_pairs(ctx.args).items()
    }
    experiment = plan(
        scenario, task=task, net=net, train=train, start_seed=start_seed, num_seeds=num_seeds, **overrides
    )
    if out:
        check_output_folder(out)  # before training, not after
    if plot:
        _require_matplotlib()

    from ..experiment.pipeline import run
    from ..experiment.summary import median_table

    table = run(experiment).table
    last_seed = experiment.start_seed + experiment.num_seeds - 1
    click.echo(
        f"{table['scenario'].iloc[0]}  {experiment.task}  {experiment.net}  {experiment.train}  "
        f"seeds {experiment.start_seed}..{last_seed}"
    )
    for metric in experiment.metric_names:
        click.echo(f"median {metric} over seeds:")
        click.echo(median_table(table, metric).round(4).to_string())
    if table["diverged"].any():
        click.echo(
            f"warning: seeds {list(table.loc[table['diverged'], 'seed'])} diverged (NaN/Inf)", err=True
        )
    if out:
        from ..experiment.results import write_run

        for path in write_run(table, out, plot=plot):
            click.echo(f"wrote {path}")


def _require_matplotlib() -> None:
    import importlib.util

    if importlib.util.find_spec("matplotlib") is None:
        raise ApebenchError("--plot needs matplotlib: pip install 'apebench-core[plot]'")


from . import study  # noqa: E402,F401  (registers `study` and `plot` on main)

if __name__ == "__main__":  # pragma: no cover
    main()
