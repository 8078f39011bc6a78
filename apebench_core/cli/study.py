"""``apebench study`` (run a study file, resumable, optionally on Dask) and ``apebench plot``.

Registered on the ``main`` group by one import at the bottom of ``cli.py``; nothing
heavy is imported until a command runs, so ``apebench list`` stays free of JAX.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import click

from ..plugin.errors import ApebenchError, PlanError
from .app import main


def load_study(path: Path) -> list[dict[str, Any]]:
    """Configurations from a Python file's ``CONFIGS`` list or a TOML file's ``[[configs]]`` tables.

    A Python study file runs in this process, so it may register in-process plugins
    (they travel to Dask workers with each experiment).
    """
    if not path.is_file():
        raise FileNotFoundError(f"study file {path} not found")
    if path.suffix == ".toml":
        import tomllib

        with open(path, "rb") as handle:
            try:
                configs = tomllib.load(handle).get("configs")
            except tomllib.TOMLDecodeError as error:
                raise ValueError(f"{path}: invalid TOML: {error}") from None
        where = "[[configs]] tables"
    elif path.suffix == ".py":
        import runpy

        try:
            configs = runpy.run_path(str(path), run_name="__apebench_study__").get("CONFIGS")
        except Exception as error:  # the study file is user code: report it in one line
            raise ApebenchError(f"{path} failed to run: {type(error).__name__}: {error}") from error
        where = "a CONFIGS list"
    else:
        raise ValueError(f"{path}: a study file is a .py file with CONFIGS or a .toml file with [[configs]]")
    if not isinstance(configs, list) or not configs or not all(isinstance(c, dict) for c in configs):
        raise ValueError(f"{path} must define {where} (a non-empty list of dicts)")
    return configs


def _metric_names(wide: Any, requested: str | None) -> list[str]:
    if requested:
        return [name.strip() for name in requested.split(",") if name.strip()]
    return [c[: -len("_0001")] for c in wide.columns if c.endswith("_0001")]


def _executor(workers: int | None, scheduler: str | None) -> contextlib.AbstractContextManager[Any]:
    if workers is None and scheduler is None:
        return contextlib.nullcontext()
    from ..study.runner import dask_executor

    return dask_executor(workers=workers, scheduler=scheduler)


def _summary(raw_files: list[str], metric_names: str | None) -> None:
    import pandas as pd

    from ..experiment.summary import median_table
    from ..study.analysis import label_configs
    from ..study.store import read_raw

    wide = pd.concat([read_raw(f) for f in raw_files], ignore_index=True)
    wide["net"] = label_configs(wide)  # median_table keeps only the base columns: label through `net`
    for metric in _metric_names(wide, metric_names):
        click.echo(f"\nmedian {metric} over seeds:")
        click.echo(median_table(wide, metric).rename_axis(columns="config").round(4).to_string())
    diverged = wide[wide["diverged"]]
    if len(diverged):
        pairs = zip(diverged["net"], diverged["seed"], strict=True)
        seeds = [f"{label} seed {seed}" for label, seed in pairs]
        click.echo(f"warning: {len(seeds)} seeds diverged (NaN/Inf): {', '.join(seeds)}", err=True)


@main.command("study")
@click.argument("study", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option(
    "--base-path",
    type=click.Path(file_okay=False, path_type=Path),
    help="Results folder [default: results/ next to the study file].",
)
@click.option("--start-seed", type=int, help="Override every configuration's start_seed.")
@click.option("--workers", type=click.IntRange(1), help="Run on a local Dask cluster of N worker processes.")
@click.option("--scheduler", help="Run on the Dask scheduler at this address (e.g. tcp://host:8786).")
@click.option("--overwrite", is_flag=True, help="Retrain experiments that are already stored.")
@click.option("--melt-sample-rollouts", is_flag=True, help="Also write the long sample-rollout table.")
@click.option("--metric-name", help="Comma-separated metrics to melt [default: all in the tables].")
@click.option("--timeout", type=float, help="Give up after this many seconds without a finished experiment.")
@click.option(
    "--status",
    "show_status",
    is_flag=True,
    help="Only list each experiment as done, running, missing or corrupt (STUDY optional with --base-path).",
)
@click.option("--json", "as_json", is_flag=True, help="With --status: print JSON.")
def study_command(
    study: Path | None,
    base_path: Path | None,
    start_seed: int | None,
    workers: int | None,
    scheduler: str | None,
    overwrite: bool,
    melt_sample_rollouts: bool,
    metric_name: str | None,
    timeout: float | None,
    show_status: bool,
    as_json: bool,
) -> None:
    """Run every configuration of STUDY (.py with CONFIGS or .toml with [[configs]]) not yet stored.

    Interrupted studies resume: finished experiments are skipped, the rest redone. Several
    processes may run studies into one results folder at once.
    """
    if as_json and not show_status:
        raise ValueError("--json goes with --status (it formats the status listing)")
    if show_status:
        _print_status(study, base_path, start_seed, as_json)
        return
    if study is None:
        raise ValueError("missing argument STUDY (a .py or .toml study file; only --status works without it)")
    if workers is not None and scheduler is not None:
        raise click.UsageError("use --workers (local cluster) or --scheduler (existing cluster), not both")
    from ..study.analysis import melt_concat_from_list
    from ..study.runner import plan_study, run_study
    from ..study.store import read_raw

    configs = _configs(study, start_seed)
    base = _results_folder(study, base_path)
    try:
        plan_study(
            configs, base, click.echo
        )  # every config checked before a cluster starts or anything trains
    except ValueError as error:  # one error line per bad configuration, each naming the file
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        raise PlanError("\n".join(f"{study}: {line}" for line in lines)) from None
    with _executor(workers, scheduler) as executor:
        raw_files, _ = run_study(
            configs, base, overwrite=overwrite, executor=executor, timeout=timeout, report=click.echo
        )
    metrics = _metric_names(read_raw(raw_files[0]), metric_name)
    try:
        melt_concat_from_list(
            raw_files, base, metric_name=metrics, do_loss=True, do_sample_rollouts=melt_sample_rollouts
        )
    except KeyError as error:
        raise ValueError(f"cannot melt metric {metric_name!r}: {error.args[0]}") from error
    click.echo(f"wrote melted tables and {len(raw_files)} experiments under {base}")
    _summary(raw_files, ",".join(metrics))


def _configs(study: Path, start_seed: int | None) -> list[dict[str, Any]]:
    configs = load_study(study)
    return configs if start_seed is None else [{**config, "start_seed": start_seed} for config in configs]


def _results_folder(study: Path | None, base_path: Path | None) -> Path:
    """``--base-path``, else ``results/`` next to the study file."""
    if base_path is not None:
        return base_path
    if study is None:
        raise click.UsageError("give a STUDY file or --base-path")
    return study.resolve().parent / "results"


def _print_status(study: Path | None, base_path: Path | None, start_seed: int | None, as_json: bool) -> None:
    """``--status``: every experiment of the study (or of the folder) as done/running/missing/corrupt."""
    import json

    from ..study.runner import study_status

    if study is None and base_path is None:
        raise ValueError("--status needs a STUDY file or --base-path (the results folder to list)")
    configs = None if study is None else _configs(study, start_seed)
    base = _results_folder(study, base_path)
    states = study_status(configs, base)
    counts = {
        state: sum(s.state == state for s in states) for state in ("done", "running", "missing", "corrupt")
    }
    if as_json:
        payload = {"base_path": str(base), "counts": counts, "experiments": [s.to_dict() for s in states]}
        click.echo(json.dumps(payload, indent=1))
        return
    for s in states:
        detail = f"{s.owner}, claim {s.claim_age:.0f} s old" if s.state == "running" else s.reason
        click.echo(f"{s.state:<8} {s.name}" + (f"  ({detail})" if detail else ""))
    click.echo(f"{len(states)} experiments under {base}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@main.command("plot")
@click.argument("results", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="PNG file [default: study.png].")
@click.option("--metric-name", help="Metric of the rollout panel [default: the first in the tables].")
def plot_command(results: Path, out: Path | None, metric_name: str | None) -> None:
    """Render loss, metric rollout (median and range over seeds) and a sample rollout of RESULTS.

    RESULTS is a study's results folder or one stored raw table.
    """
    from ..study.analysis import plot_study, read_study
    from ..study.store import read_raw

    if not results.exists():
        raise FileNotFoundError(f"{results} not found")
    if results.is_file() and results.suffix not in (".csv", ".parquet"):
        raise ValueError(
            f"{results}: expected a study's results folder or a stored raw table "
            f"(raw/<name>.csv or raw/<name>.parquet), got a {results.suffix or 'suffix-less'} file"
        )
    tables = read_study(results) if results.is_dir() else [read_raw(results)]
    if not tables:
        raise ValueError(f"{results}: no complete experiments to plot (run `apebench study` first)")
    metric = _metric_names(tables[0], metric_name)[0]
    target = out or (results if results.is_dir() else results.parent) / "study.png"
    try:
        figure = plot_study(tables, metric)
    except KeyError as error:
        raise ValueError(f"cannot plot metric {metric!r}: {error.args[0]}") from error
    figure.savefig(target, dpi=120, bbox_inches="tight")
    click.echo(f"wrote {target}")
