"""The store under many writers without JAX training: a deterministic stand-in for training and a
worker process that runs a study with it (``python -m apebench_store_stress WORKER_ARGS_JSON``).

The stand-in returns what a real experiment returns (a wide table with float32 metrics, an array
column and ``diverged``, plus seed-stacked "networks"), derived only from the configuration, so
any two runs store byte-identical files. It logs when it starts and ends, so a test can check
that no two processes trained one experiment at the same time.
"""

import json
import os
import sys
import time

import numpy as np
import pandas as pd

from apebench_core.study import store as store_module

TRAIN_SECONDS = 0.5


def configs(count: int) -> list[dict]:
    """``count`` distinct toy configurations (they plan with the toy plugin registered)."""
    return [
        {
            "scenario": "toy_adv",
            "task": "predict",
            "net": f"ToyStencil;{0.01 * (index + 1):.2f}",
            "train": "one",
            "start_seed": 0,
            "num_seeds": 2,
        }
        for index in range(count)
    ]


def fake_train(config: dict) -> tuple[pd.DataFrame, dict]:
    """A table and networks that depend only on ``config``; logs start and end to $STRESS_LOG."""
    name = store_module.experiment_name(config)
    log = os.environ.get("STRESS_LOG")
    if log:
        _log(log, "start", name)
    seed = int(store_module.config_hash(config)[:8], 16)
    rng = np.random.default_rng(seed)
    seeds = [config["start_seed"] + s for s in range(config["num_seeds"])]
    table = pd.DataFrame(
        {
            "scenario": config["scenario"],
            "task": config["task"],
            "train": config["train"],
            "net": config["net"],
            "seed": np.array(seeds, dtype=np.int64),
            "scenario_kwargs": "{}",
            **{f"toy_nrmse_{t:04d}": rng.random(len(seeds)).astype(np.float32) for t in range(1, 6)},
            "train_loss_000000": rng.random(len(seeds)),
            "sample_rollout_000": [rng.random((3, 1, 8)).astype(np.float32) for _ in seeds],
            "diverged": [False] * len(seeds),
        }
    )
    networks = {"weight": rng.random((len(seeds), 1, 1, 3)).astype(np.float32)}
    time.sleep(TRAIN_SECONDS)  # a window in which other processes may try to train it too
    if log:
        _log(log, "end", name)
    return table, networks


def _log(path: str, event: str, name: str) -> None:
    line = json.dumps({"event": event, "name": name, "pid": os.getpid(), "time": time.time()}) + "\n"
    with open(path, "a") as handle:  # one short O_APPEND write per line: lines never interleave
        handle.write(line)


def use_fake_training(monkeypatch=None) -> None:
    """Studies train with :func:`fake_train` (in a test, only until ``monkeypatch`` undoes it)."""
    from apebench_core.study import runner

    if monkeypatch is None:
        runner.train_experiment = fake_train
    else:
        monkeypatch.setattr(runner, "train_experiment", fake_train)


def main(arguments: dict) -> None:
    from apebench_toy import ToyPlugin

    from apebench_core import get_registry
    from apebench_core.study import run_study

    get_registry().register(ToyPlugin(), "toy")
    use_fake_training()
    everything = configs(arguments["count"])
    run_study([everything[i] for i in arguments["indices"]], arguments["base"], report=None)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
