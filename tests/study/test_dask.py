"""Studies on a real local Dask cluster of 2 spawned worker processes, including a killed worker."""

import os
import signal
import sys
import threading
import time

import pytest

from apebench_core.study import dask_executor, run_study

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")


def worker_probe():
    """What a fresh worker sees before running anything."""
    import multiprocessing

    return {
        "pjrt_nproc": os.environ.get("PJRT_NPROC"),
        "jax_loaded": "jax" in sys.modules,
        "start_method": multiprocessing.get_start_method(allow_none=True),
    }


def test_local_cluster_spawns_single_threaded_xla_workers(toy):
    cores = len(os.sched_getaffinity(0))
    with dask_executor(workers=2) as executor:
        probes = [executor.submit(worker_probe).result(timeout=120) for _ in range(2)]
    for probe in probes:
        assert probe["pjrt_nproc"] == str(max(1, cores // 2))
        assert not probe["jax_loaded"]  # spawned: a fork of this JAX-loaded process would carry jax


def test_killed_worker_is_retried_and_results_match_sequential(checksums, toy, toy_configs, tmp_path):
    configs = toy_configs(3)
    sequential = tmp_path / "sequential"
    run_study(configs, sequential, report=None)

    distributed_base = tmp_path / "dask"
    lines: list[str] = []
    outcome: dict = {}
    # allowed-failures 0: the scheduler gives up on a lost task at once, so the study's own retry runs
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            pids = client.run(os.getpid)

            def study():
                try:
                    outcome["files"] = run_study(
                        configs,
                        distributed_base,
                        executor=client.get_executor(),
                        timeout=240,
                        report=lines.append,
                    )
                except BaseException as error:  # surfaced by the assertions below
                    outcome["error"] = error

            runner = threading.Thread(target=study)
            runner.start()
            victim = None
            deadline = time.monotonic() + 120
            while victim is None and time.monotonic() < deadline:
                busy = [address for address, tasks in client.processing().items() if tasks]
                victim = busy[-1] if busy else None
                time.sleep(0.05)
            assert victim is not None, "no worker ever started an experiment"
            time.sleep(1.0)  # let it get into compiling/training
            os.kill(pids[victim], signal.SIGKILL)
            runner.join(timeout=300)
            assert not runner.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert any("worker lost" in line and "retrying" in line for line in lines), lines
    assert checksums(distributed_base) == checksums(sequential)
    assert not list(distributed_base.rglob("*.tmp"))
