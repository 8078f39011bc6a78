"""Running a study (a list of experiment configurations) into a :class:`~apebench_core.store.ResultStore`.

Sequential by default; with ``executor`` (any ``concurrent.futures.Executor``, e.g.
``distributed.Client.get_executor()``) every experiment runs in a worker that writes
its own files into the shared ``base_path`` and returns only a small summary.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from ..experiment import defaults
from ..experiment.plan import EXPERIMENT_KEYS, Experiment, plan
from ..plugin.errors import ApebenchError, PlanError, StudyError
from ..plugin.registry import get_registry
from .store import Claim, ExperimentState, ResultStore, config_hash, experiment_name

#: Keys every study configuration must give (the seed CLI's format); any other key is a scenario field.
REQUIRED_KEYS = EXPERIMENT_KEYS
#: Seconds between checks while waiting on workers (also the granularity of ``timeout``).
POLL_SECONDS = 1.0


# -- configurations --------------------------------------------------------------
def plan_config(config: Mapping[str, Any]) -> Experiment:
    """The planned experiment of one study configuration (every key checked)."""
    if not isinstance(config, Mapping):
        raise PlanError(f"a study configuration must be a dict, got {type(config).__name__}: {config!r}")
    missing = [key for key in REQUIRED_KEYS if key not in config]
    if missing:
        raise PlanError(f"configuration lacks {', '.join(missing)}")
    return plan(**config)


def normalize_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical configuration: the same dict however the experiment was written down."""
    return plan_config(config).to_dict()


def study_hash(configs: Sequence[Mapping[str, Any]]) -> str:
    """A stable hash of a list of configurations (used for the default base path)."""
    return config_hash({"configs": [normalize_config(c) for c in configs]})


# -- one experiment, in whatever process runs it ---------------------------------
def train_experiment(config: Mapping[str, Any]) -> tuple[Any, Any]:
    """Plan and run one configuration; returns (wide table, seed-stacked networks), the
    networks (not the task's steppers) being what ``scenario.load_model`` reads back."""
    from ..experiment.pipeline import run

    result = run(plan_config(config), progress=False)
    return result.table, result.raw.networks


def _ensure_plugins(plugins: Mapping[str, object] | None) -> None:
    registry = get_registry()
    known = registry.in_process_plugins()
    for name, plugin in (plugins or {}).items():
        if name not in known:
            if isinstance(plugin, _ModuleRef):
                plugin = importlib.import_module(plugin.module)
            registry.register(plugin, name)


def run_stored_experiment(
    config: Mapping[str, Any],
    base_path: str,
    overwrite: bool = False,
    plugins: Mapping[str, object] | None = None,
    attempt: int = 0,
) -> dict[str, Any]:
    """Worker entry point: train ``config`` unless already stored, write its files, return a summary.

    Trains only under a claim (see :meth:`ResultStore.claim`): if another live process
    holds it, returns at once with ``busy`` naming that process, and the driver asks
    again later. Only plain data crosses the process boundary (an Equinox model with a
    JAX activation does not pickle); ``plugins`` are in-process plugins of the driver.
    ``attempt`` only makes a retry a new task (Dask names ``pure`` tasks by their arguments).
    """
    _ensure_plugins(plugins)
    store = ResultStore(base_path)
    name = experiment_name(config)
    summary: dict[str, Any] = {"name": name, "skipped": True, "seconds": 0.0, "pid": os.getpid()}
    if not overwrite and store.status(name).done:  # e.g. a retry after the first attempt finished
        return summary
    claim = store.claim(name)
    if not isinstance(claim, Claim):
        return {**summary, "busy": _holder(claim)}
    with claim:
        if claim.taken_from is not None:
            summary["took_over"] = str(claim.taken_from.owner)
        if not overwrite and store.status(name).done:  # finished by the claim's previous holder
            return summary
        start = time.perf_counter()
        table, networks = train_experiment(config)
        if not claim.held():  # judged stale meanwhile (a stalled heartbeat): the new holder writes
            return {**summary, "busy": _holder(store.lease(name))}
        store.write_experiment(name, config, table, networks)
    return {
        **summary,
        "skipped": False,
        "seconds": time.perf_counter() - start,
        "diverged_seeds": [int(s) for s in table.loc[table["diverged"], "seed"]],
    }


def _holder(lease: Any) -> str:
    """``host:pid (claim N s old)`` of a lease, for the driver's report."""
    return "another process" if lease is None else f"{lease.owner} (claim {lease.age():.0f} s old)"


# -- the study -------------------------------------------------------------------
def _worker_lost(error: BaseException) -> bool:
    if isinstance(error, BrokenProcessPool):
        return True
    distributed = sys.modules.get("distributed")
    return distributed is not None and isinstance(error, distributed.KilledWorker)


def _check_executor(executor: Executor) -> None:
    """Refuse fork-started worker pools once JAX is loaded (a forked XLA runtime can deadlock)."""
    context = getattr(executor, "_mp_context", None)
    if isinstance(executor, ProcessPoolExecutor) and context is not None and "jax" in sys.modules:
        if context.get_start_method() != "spawn":
            raise ValueError(
                "ProcessPoolExecutor must spawn its workers once JAX is imported: "
                "pass mp_context=multiprocessing.get_context('spawn')"
            )


@attrs.frozen
class _ModuleRef:
    """A plugin module travels by name (modules do not pickle) and is imported by the worker."""

    module: str


def _in_process_plugins() -> dict[str, object]:
    """The driver's in-process plugins, ready to pickle; their modules must be importable by workers."""
    plugins = get_registry().in_process_plugins()
    return {
        name: _ModuleRef(plugin.__name__) if isinstance(plugin, types.ModuleType) else plugin
        for name, plugin in plugins.items()
    }


class _InlineExecutor(Executor):
    """Runs each task in this process when it is submitted: the sequential study uses the same
    loop (waiting on other processes' claims included) as the parallel one."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 - delivered through the future, like any executor
            future.set_exception(error)
        return future


def _run_on_executor(
    pending: dict[str, dict[str, Any]],
    base_path: Path,
    *,
    overwrite: bool,
    executor: Executor,
    retries: int,
    timeout: float | None,
    report: Callable[[str], None],
) -> dict[str, BaseException]:
    """Submit every experiment, wait with timeouts, resubmit experiments whose worker was lost,
    and ask again for experiments another process holds until they are done or its claim is stale."""
    _check_executor(executor)
    plugins = _in_process_plugins()
    failures: dict[str, BaseException] = {}
    attempts = dict.fromkeys(pending, 0)
    submissions = dict.fromkeys(pending, 0)
    overwrites = dict.fromkeys(pending, overwrite)
    in_flight = 1 if isinstance(executor, _InlineExecutor) else len(pending)
    queue = list(pending)
    waiting: dict[str, float] = {}  # held by another process: name -> when to ask again
    told_busy: set[str] = set()
    futures: dict[Future, str] = {}

    def submit_due() -> None:
        now = time.monotonic()
        for name in [n for n, due in waiting.items() if due <= now]:
            del waiting[name]
            queue.append(name)
        while queue and len(futures) < in_flight:
            name = queue.pop(0)
            submissions[name] += 1
            args = (pending[name], str(base_path), overwrites[name], plugins, submissions[name])
            futures[executor.submit(run_stored_experiment, *args)] = name

    last_progress = time.monotonic()
    try:
        while futures or queue or waiting:
            submit_due()
            if futures:
                done, _ = wait(futures, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            else:
                time.sleep(POLL_SECONDS)
                done = set()
            if not done:
                if timeout is not None and time.monotonic() - last_progress > timeout:
                    raise TimeoutError(
                        f"no experiment finished for {timeout:.0f} s; still running: "
                        + ", ".join(sorted([*futures.values(), *waiting, *queue]))
                    )
                continue
            for future in done:
                name = futures.pop(future)
                error = future.exception(timeout=0)
                if error is None:
                    summary = future.result(timeout=0)
                    if "busy" in summary:
                        if name not in told_busy:
                            told_busy.add(name)
                            report(f"{name}: running in {summary['busy']}; waiting for it")
                        overwrites[name] = False  # the other process's result is a fresh one
                        waiting[name] = time.monotonic() + POLL_SECONDS
                        continue
                    last_progress = time.monotonic()
                    if "took_over" in summary:
                        report(f"{name}: took over the stale claim of {summary['took_over']}")
                    verb = (
                        "found complete" if summary["skipped"] else f"trained in {summary['seconds']:.1f} s"
                    )
                    report(f"{name}: {verb}")
                    continue
                last_progress = time.monotonic()
                if _worker_lost(error) and attempts[name] < retries:
                    attempts[name] += 1
                    report(
                        f"{name}: worker lost ({type(error).__name__}), retrying ({attempts[name]}/{retries})"
                    )
                    queue.append(name)
                else:
                    report(f"{name}: failed: {type(error).__name__}: {error}")
                    failures[name] = error
    finally:
        for future in futures:
            future.cancel()
    return failures


def plan_configs(configs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every configuration planned before anything trains; all bad ones reported in one error."""
    if not isinstance(configs, Sequence) or isinstance(configs, (str, bytes)) or not configs:
        raise PlanError(f"a study needs a non-empty list of configurations, got {configs!r}")
    normalized, problems = [], []
    for index, config in enumerate(configs):
        try:
            normalized.append(normalize_config(config))
        except ValueError as error:
            key = config.get("scenario", "?") if isinstance(config, Mapping) else "?"
            problems.append((error, f"config {index} (scenario {key!r}): {error}"))
    if len(problems) == 1:  # one bad config keeps its error class
        first, line = problems[0]
        raise type(first)(line) from None
    if problems:
        raise PlanError(
            f"{len(problems)} of {len(configs)} configurations are invalid; nothing was run:\n"
            + "\n".join(f"  {line}" for _, line in problems)
        )
    return normalized


def plan_study(
    configs: Sequence[Mapping[str, Any]],
    base_path: str | os.PathLike,
    report: Callable[[str], None] | None = None,
) -> tuple[ResultStore, dict[str, dict[str, Any]]]:
    """Validate every configuration and the results folder before anything trains, clean dead
    writers' temporary files and index the experiments; returns the store and
    ``{name: canonical config}``."""
    report = report or (lambda message: None)
    normalized = plan_configs(configs)
    store = ResultStore(base_path)
    for path in store.prepare():
        report(f"removed {path.relative_to(store.base_path)}: temporary file of a dead writer")
    by_name = {experiment_name(c): c for c in normalized}
    for name in store.write_manifest(by_name):
        report(f"{name}: index entry was damaged; rewritten")
    return store, by_name


def run_study(
    configs: Sequence[Mapping[str, Any]],
    base_path: str | os.PathLike,
    *,
    overwrite: bool = False,
    executor: Executor | None = None,
    retries: int = 2,
    timeout: float | None = None,
    report: Callable[[str], None] | None = print,
) -> tuple[list[str], list[str]]:
    """Run every configuration not yet stored under ``base_path``; returns (raw_file_list, weights_list).

    Finished experiments are skipped (unless ``overwrite``); incomplete or corrupt
    ones are reported and redone. ``executor`` runs experiments in other processes;
    an experiment whose worker died is resubmitted up to ``retries`` times. Other
    processes may run studies into the same folder at once: an experiment one of them
    is training is waited for, never trained twice at a time, and taken over if its
    process dies. ``timeout`` bounds the seconds to wait without any experiment finishing.
    Raises :class:`StudyError` after all others are stored if some experiments failed.
    """
    report = report or (lambda message: None)
    store, by_name = plan_study(configs, base_path, report)
    pending: dict[str, dict[str, Any]] = {}
    for name, config in by_name.items():
        state = store.state(name)
        if state.state == "done" and not overwrite:
            report(f"{name}: skipping, already trained")
            continue
        if state.state == "corrupt":
            report(f"{name}: {state.reason}; redoing it")
        pending[name] = config
    failures = _run_on_executor(
        pending,
        store.base_path,
        overwrite=overwrite,
        executor=executor if executor is not None else _InlineExecutor(),
        retries=retries,
        timeout=timeout,
        report=report,
    )
    if failures:
        first = next(iter(failures.values()))
        raise StudyError(
            f"{len(failures)} of {len(by_name)} experiments failed ({', '.join(failures)}); "
            f"first error: {type(first).__name__}: {first}"
        ) from first
    unique = list(by_name)
    return [str(store.table_path(n)) for n in unique], [str(store.weights_path(n)) for n in unique]


def study_status(
    configs: Sequence[Mapping[str, Any]] | None, base_path: str | os.PathLike
) -> list[ExperimentState]:
    """The state of every experiment of ``configs`` (all the folder knows if None) without running any."""
    store = ResultStore(base_path)
    try:
        known, problems = store.scan_index()
    except FileNotFoundError:
        if configs is None:
            raise
        known, problems = {}, {}  # nothing run yet: every experiment is missing
    if configs is None:  # what the folder knows, and what is being trained there right now
        names = dict.fromkeys([*known, *(path.stem for path in store.lease_files())])
    else:
        names = dict.fromkeys(experiment_name(c) for c in plan_configs(configs))
    states = [store.state(name) for name in names]
    return [
        attrs.evolve(s, reason=f"index: {problems[s.name]}")
        if s.state == "done" and s.name in problems
        else s
        for s in states
    ]


def default_base_path(configs: Sequence[Mapping[str, Any]]) -> Path:
    """``_results_<stable hash>`` in the working directory: the same folder in every process."""
    return Path(f"_results_{study_hash(configs)[:16]}")


def run_study_convenience(
    configs: Sequence[Mapping[str, Any]],
    base_path: str | os.PathLike | None = None,
    *,
    overwrite: bool = False,
    metric_name: str | list[str] = defaults.METRIC,
    do_metrics: bool = True,
    do_loss: bool = False,
    do_sample_rollouts: bool = False,
    parse_kwargs: bool = True,
    executor: Executor | None = None,
) -> tuple[Any, Any, Any, list[str]]:
    """Run the study and melt its tables (also written to ``base_path``).

    Returns (metric_df, loss_df, sample_rollout_df, network_weights_list); tables not
    requested are None.
    """
    from .analysis import melt_concat_from_list, read_in_kwargs

    base = Path(base_path) if base_path is not None else default_base_path(configs)
    raw_files, weights = run_study(configs, base, overwrite=overwrite, executor=executor)
    frames = melt_concat_from_list(
        raw_files,
        base,
        metric_name=metric_name,
        do_metrics=do_metrics,
        do_loss=do_loss,
        do_sample_rollouts=do_sample_rollouts,
    )
    if parse_kwargs:
        frames = {key: read_in_kwargs(frame) for key, frame in frames.items()}
    return frames.get("metrics"), frames.get("loss"), frames.get("sample_rollouts"), weights


# -- Dask ------------------------------------------------------------------------
def xla_thread_env(threads: int) -> dict[str, str]:
    """Environment limiting one process's XLA CPU threads (XLA reads ``PJRT_NPROC``;
    measured: it ignores ``OMP_NUM_THREADS`` and ``--xla_cpu_multi_thread_eigen``) and its
    CPU devices (one per thread it may use; see :mod:`apebench_core.devices`)."""
    count = str(max(1, threads))
    return {"PJRT_NPROC": count, "APEBENCH_CPU_DEVICES": count}


@contextmanager
def dask_executor(*, workers: int | None = None, scheduler: str | None = None) -> Iterator[Executor]:
    """An executor on a local Dask cluster of ``workers`` spawned single-threaded processes,
    or on the running scheduler at ``scheduler``; the cluster is closed on exit."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise ApebenchError("--workers/--scheduler need Dask: pip install 'apebench-core[dask]'") from None
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=30)
        except (OSError, TimeoutError) as error:
            raise ApebenchError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from error
        with client:
            yield client.get_executor(pure=False)
        return
    workers = workers or 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    with dask.config.set({"distributed.worker.multiprocessing-method": "spawn"}):
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env=xla_thread_env(cores // workers),
            silence_logs=40,  # logging.ERROR: a lost worker is reported by the study itself
        )
    with cluster, Client(cluster, timeout=30) as client:
        yield client.get_executor(pure=False)
