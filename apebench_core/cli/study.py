"""``apebench study`` (run a study file, resumable, optionally on Dask) and ``apebench plot``.

Registered on the ``main`` group by one import at the bottom of ``cli.py``; nothing
heavy is imported until a command runs, so ``apebench list`` stays free of JAX.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import attrs
import click

from ..experiment import defaults
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
@click.option("--suite", help="Run a named suite (see `apebench list suites`) instead of a STUDY file.")
@click.option("--quick", is_flag=True, help="With --suite: the quick regression budget (see README).")
@click.option("--net", help="With --suite: the architecture [default: the protocol's].")
@click.option(
    "--train", default=defaults.TRAIN, show_default=True, help="With --suite: the learning methodology."
)
@click.option("--num-seeds", type=click.IntRange(1), help="With --suite: seeds [default: the protocol's].")
@click.option(
    "--write-pins",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --suite: store the median errors at the protocol's horizons as pinned numbers.",
)
@click.option(
    "--check-pins",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --suite: fail if a median error differs from this pins file beyond round-off.",
)
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
    suite: str | None,
    quick: bool,
    net: str | None,
    train: str,
    num_seeds: int | None,
    write_pins: Path | None,
    check_pins: Path | None,
) -> None:
    """Run every configuration of STUDY (.py with CONFIGS or .toml with [[configs]]) not yet stored,
    or of a named suite (--suite).

    Interrupted studies resume: finished experiments are skipped, the rest redone. Several
    processes may run studies into one results folder at once.
    """
    if as_json and not show_status:
        raise ValueError("--json goes with --status (it formats the status listing)")
    suite_run = _SuiteRun.from_options(study, suite, quick, net, train, num_seeds, write_pins, check_pins)
    if suite_run is not None:
        study = None
        base_path = base_path or Path("results") / f"{suite}-{suite_run.protocol.name}"
    if show_status:
        _print_status(study, base_path, start_seed, as_json, suite_run)
        return
    if study is None and suite_run is None:
        raise ValueError("missing argument STUDY (a .py or .toml study file; only --status works without it)")
    if workers is not None and scheduler is not None:
        raise click.UsageError("use --workers (local cluster) or --scheduler (existing cluster), not both")
    from ..study.analysis import melt_concat_from_list
    from ..study.runner import plan_study, run_study
    from ..study.store import read_raw

    if suite_run is not None:  # what the numbers will mean, before minutes of training
        click.echo(
            f"suite {suite_run.name}, protocol {suite_run.protocol.name}: {suite_run.protocol.summary}"
        )
    configs = _configs(study, start_seed, suite_run)
    base = _results_folder(study, base_path)
    try:
        plan_study(
            configs, base, click.echo
        )  # every config checked before a cluster starts or anything trains
    except ValueError as error:  # one error line per bad configuration, each naming the file
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        source = study if study is not None else f"suite {suite}"
        raise PlanError("\n".join(f"{source}: {line}" for line in lines)) from None
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
    if suite_run is None:
        _summary(raw_files, ",".join(metrics))
    else:
        suite_run.finish(raw_files, metrics[0])


@attrs.frozen
class _SuiteRun:
    """The suite options of ``apebench study``: which suite, under which protocol, and the pins."""

    name: str
    protocol: Any
    net: str
    train: str
    num_seeds: int
    write_pins: Path | None
    check_pins: Path | None

    @classmethod
    def from_options(
        cls, study, suite, quick, net, train, num_seeds, write_pins, check_pins
    ) -> _SuiteRun | None:
        options = {"--quick": quick, "--num-seeds": num_seeds, "--write-pins": write_pins}
        options["--check-pins"] = check_pins
        if suite is None:
            given = [flag for flag, value in options.items() if value]
            if given:
                verb = "goes" if len(given) == 1 else "go"
                raise ValueError(f"{', '.join(given)} {verb} only with --suite NAME")
            return None
        if study is not None:
            raise ValueError(f"give a STUDY file or --suite, not both (got {study} and --suite {suite})")
        from ..plugin.registry import get_registry
        from ..study.suite import get_protocol

        get_registry().get("suite", suite)  # an unknown suite fails here, naming the known ones
        protocol = get_protocol("quick" if quick else "full")
        run = cls(
            suite,
            protocol,
            net or protocol.net,
            train,
            num_seeds or protocol.num_seeds,
            write_pins,
            check_pins,
        )
        if check_pins is not None:  # a missing, broken or other run's pins file fails before anything trains
            _check_same_run(check_pins, run.about())
        return run

    def about(self) -> dict[str, Any]:
        """What decides the numbers, stored with the pins."""
        budget = {"overrides": dict(self.protocol.overrides), "num_points": dict(self.protocol.num_points)}
        return {
            "suite": self.name,
            "protocol": self.protocol.name,
            "budget": budget,
            "net": self.net,
            "train": self.train,
            "num_seeds": self.num_seeds,
        }

    def configs(self) -> list[dict[str, Any]]:
        from ..study.suite import suite_configs

        return suite_configs(
            self.name, net=self.net, train=self.train, protocol=self.protocol.name, num_seeds=self.num_seeds
        )

    def finish(self, raw_files: list[str], metric: str) -> None:
        """Print the suite table; write or check the pins."""
        from ..study.pins import compare_pins, format_table, pin_document, read_pins, suite_table, write_pins
        from ..study.store import read_raw

        table = suite_table((read_raw(f) for f in raw_files), metric, self.protocol.horizons)
        click.echo(f"\nmedian {metric} over seeds, suite {self.name}, protocol {self.protocol.name}:")
        click.echo(format_table(table, metric))
        if self.write_pins is not None:
            document = pin_document(table, metric=metric, about=self.about())
            click.echo(f"wrote pins {write_pins(self.write_pins, document)}")
        if self.check_pins is not None:
            problems = compare_pins(table, read_pins(self.check_pins))
            if problems:
                raise ApebenchError(
                    f"{len(problems)} numbers differ from {self.check_pins}: " + "; ".join(problems)
                )
            click.echo(f"all {table.size} numbers match {self.check_pins}")


def _check_same_run(path: Path, about: dict[str, Any]) -> None:
    """Pins compare only against the run that made them: same suite, protocol, net, train, seeds."""
    import json

    from ..study.pins import read_pins

    pinned = json.loads(json.dumps(read_pins(path)))
    for key, value in json.loads(json.dumps(about)).items():
        if pinned.get(key) != value:
            raise ValueError(
                f"pins file {path}: field {key!r} is {pinned.get(key)!r} there but {value!r} in this run "
                "(pins check only the run that wrote them)"
            )


def _configs(
    study: Path | None, start_seed: int | None, suite_run: _SuiteRun | None = None
) -> list[dict[str, Any]]:
    configs = suite_run.configs() if suite_run is not None else load_study(study)  # type: ignore[arg-type]
    return configs if start_seed is None else [{**config, "start_seed": start_seed} for config in configs]


def _results_folder(study: Path | None, base_path: Path | None) -> Path:
    """``--base-path``, else ``results/`` next to the study file."""
    if base_path is not None:
        return base_path
    if study is None:
        raise click.UsageError("give a STUDY file or --base-path")
    return study.resolve().parent / "results"


def _print_status(
    study: Path | None,
    base_path: Path | None,
    start_seed: int | None,
    as_json: bool,
    suite_run: _SuiteRun | None,
) -> None:
    """``--status``: every experiment of the study (or of the folder) as done/running/missing/corrupt."""
    import json

    from ..study.runner import study_status

    if study is None and base_path is None:
        raise ValueError("--status needs a STUDY file or --base-path (the results folder to list)")
    configs = None if study is None and suite_run is None else _configs(study, start_seed, suite_run)
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
