"""``apebench export`` and ``apebench score``: files as the interface to other frameworks."""

from __future__ import annotations

import click

from .app import main
from .run import scenario_overrides

_FIELDS = {"ignore_unknown_options": True, "allow_extra_args": True}


@main.command("export", context_settings=_FIELDS)
@click.argument("scenario")
@click.option("--split", default="both", show_default=True, help="train, test or both.")
@click.option("--format", "fmt", default="hdf5", show_default=True, help="npz or hdf5 (The Well's layout).")
@click.option(
    "--out", required=True, help="Output file; a folder (train/ and test/ inside) for --split both."
)
@click.pass_context
def export_command(ctx: click.Context, scenario: str, split: str, fmt: str, out: str) -> None:
    """Write the exact train/test trajectories of SCENARIO (any --FIELD VALUE overrides) to files."""
    from ..experiment.exchange import check_choice, require_h5py
    from ..experiment.external import export

    check_choice("split", split, ("train", "test", "both"))
    if check_choice("format", fmt, ("npz", "hdf5")) == "hdf5":
        require_h5py()
    overrides = scenario_overrides(scenario, ctx.args)
    for path in export(scenario, split=split, format=fmt, out=out, **overrides):
        click.echo(f"wrote {path}")


@main.command("score", context_settings=_FIELDS)
@click.argument("scenario")
@click.option("--rollouts", required=True, help="Rollout file: .npy, .npz or HDF5.")
@click.option("--metrics", default=None, help="Comma-separated metric configs (default: the scenario's).")
@click.option("--name", "label", default=None, help="Model name in the table (default: the file name).")
@click.option(
    "--out", default=None, help="Write the metric table (long form, as `apebench run`) to this CSV."
)
@click.pass_context
def score_command(
    ctx: click.Context, scenario: str, rollouts: str, metrics: str | None, label: str | None, out: str | None
) -> None:
    """Score a rollout made by any framework against SCENARIO's test trajectories (same seeds, same
    numbers as an experiment); shape (samples, T, channels, *space), optionally with a leading seed
    axis, with or without the initial state."""
    from ..experiment.exchange import existing_file, format_of

    existing_file("rollouts", rollouts)
    if format_of(rollouts) == "hdf5":
        from ..experiment.exchange import require_h5py

        require_h5py()
    overrides = scenario_overrides(scenario, ctx.args)
    if out:
        from pathlib import Path

        from ..experiment.results import check_output_folder

        check_output_folder(Path(out).parent)  # before scoring, not after

    from ..experiment.external import score
    from ..experiment.melt import melt_metrics
    from ..experiment.summary import seed_spread_table

    result = score(scenario, rollouts, metrics=metrics, label=label, **overrides)
    table = result.table
    click.echo(f"{table['scenario'].iloc[0]}  {table['net'].iloc[0]}  {len(table)} seed(s)")
    click.echo(result.note)
    for metric in result.metric_names:
        click.echo(f"{metric} over seeds:" if len(table) > 1 else f"{metric}:")
        click.echo(seed_spread_table(table, metric).round(4).to_string())
    if table["diverged"].any():
        click.echo(f"warning: seeds {list(table.loc[table['diverged'], 'seed'])} are NaN/Inf", err=True)
    if out:
        melt_metrics(table, list(result.metric_names)).to_csv(out, index=False)
        click.echo(f"wrote {out}")
