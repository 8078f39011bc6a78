"""Many writers on one results folder: claims with leases, dead writers' leftovers, a kill -9 stress run."""

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import apebench_store_stress as stress
import attrs
import pytest

from apebench_core.study import run_study, study_status
from apebench_core.study.owner import Owner
from apebench_core.study.runner import normalize_config
from apebench_core.study.store import Claim, Lease, ResultStore, experiment_name, table_format

SUPPORT = Path(__file__).resolve().parents[1] / "support"


@pytest.fixture
def sleeper():
    """A live process on this host (its pid is alive) that is not us."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait()


def dead_pid() -> int:
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    return int(process.stdout)


def foreign(pid: int, *, host: str | None = None, start: str | None = None) -> Owner:
    me = Owner.current()
    return Owner(host or me.host, pid, me.start if start is None else start, f"other{pid}")


def put_lease(store: ResultStore, name: str, owner: Owner, *, renewed_ago: float = 0.0) -> None:
    now = time.time()
    lease = Lease(owner, now - renewed_ago, now - renewed_ago, store.lease_seconds)
    store.lease_path(name).parent.mkdir(parents=True, exist_ok=True)
    store.lease_path(name).write_bytes(lease.to_bytes())


def process_start(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]


# -- claims --------------------------------------------------------------------------
def test_a_live_claim_is_respected_and_a_dead_or_expired_one_taken_over(tmp_path, sleeper):
    store = ResultStore(tmp_path, lease_seconds=30)
    live = Owner(Owner.current().host, sleeper.pid, process_start(sleeper.pid), "live")
    put_lease(store, "a", live)
    assert store.claim("a") == store.lease("a")  # held by a live process: not ours
    assert store.state("a").state == "running" and store.state("a").owner == live

    put_lease(store, "b", foreign(dead_pid()))  # same host, process gone
    claim = store.claim("b")
    assert isinstance(claim, Claim) and claim.taken_from.owner.pid != os.getpid()

    put_lease(store, "c", attrs.evolve(live, start="1"))  # the pid was reused by another process
    assert isinstance(store.claim("c"), Claim)

    put_lease(store, "d", foreign(1, host="elsewhere"), renewed_ago=5)  # another host, lease fresh
    assert isinstance(store.claim("d"), Lease)
    put_lease(store, "e", foreign(1, host="elsewhere"), renewed_ago=31)  # another host, expired
    assert isinstance(store.claim("e"), Claim)


def test_heartbeat_renews_and_a_lost_claim_is_never_overwritten(tmp_path, sleeper):
    store = ResultStore(tmp_path, lease_seconds=0.4)
    claim = store.claim("x")
    with claim:
        time.sleep(0.7)  # longer than the lease: only the heartbeat keeps it alive
        assert not store.lease("x").stale() and claim.held()
        other = Owner(Owner.current().host, sleeper.pid, process_start(sleeper.pid), "taker")
        put_lease(store, "x", other)  # taken over while we were (say) paused
        assert not claim.held()
        time.sleep(0.3)
    assert store.lease("x").owner == other  # neither renewed nor released by us


def test_simultaneous_claimers_in_many_processes_get_one_owner(tmp_path):
    """Processes released at the same instant all claim one experiment: exactly one wins."""
    code = (
        "import sys, time\n"
        "from apebench_core.study.store import Claim, ResultStore\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"
        "claim = ResultStore(sys.argv[1]).claim('x')\n"
        "print(isinstance(claim, Claim), flush=True)\n"
        "time.sleep(1.0)\n"
    )
    go = time.time() + 3.0
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path), str(go)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    won = [p.communicate(timeout=60)[0].strip() for p in processes]
    assert sorted(won) == ["False", "False", "False", "True"]


# -- leftovers ---------------------------------------------------------------------
def test_dead_writers_leftovers_are_cleaned_and_live_writers_never_touched(tmp_path, sleeper):
    store = ResultStore(tmp_path, lease_seconds=30)
    store.prepare()
    me = Owner.current()
    live = Owner(me.host, sleeper.pid, process_start(sleeper.pid), "live")
    remote = foreign(7, host="elsewhere")
    files = {
        "dead": tmp_path / "raw" / f".a.csv.{foreign(dead_pid()).tag}~000000.tmp",
        "live": tmp_path / "raw" / f".a.csv.{live.tag}~000000.tmp",
        "mine": tmp_path / "network_weights" / f".a.eqx.{me.tag}~000000.tmp",
        "remote young": tmp_path / "index" / f".b.json.{remote.tag}~000000.tmp",
        "remote old": tmp_path / "index" / f".c.json.{remote.tag}~000000.tmp",
        "unknown young": tmp_path / "raw" / ".d.csv.1234abcd.tmp",
        "unknown old": tmp_path / ".metrics.csv.1234abcd.tmp",
    }
    for path in files.values():
        path.write_text("half")
    for key in ("remote old", "unknown old"):
        os.utime(files[key], (time.time() - 60, time.time() - 60))
    put_lease(store, "e", foreign(dead_pid()))  # a dead owner's claim
    removed = store.prepare()
    assert sorted(removed) == sorted(
        [files["dead"], files["remote old"], files["unknown old"], store.lease_path("e")]
    )
    assert all(files[key].exists() for key in ("live", "mine", "remote young", "unknown young"))

    put_lease(store, "f", remote)  # a live claim of the remote writer protects its old files too
    files["remote old"].write_text("half")
    os.utime(files["remote old"], (time.time() - 60, time.time() - 60))
    assert files["remote old"] not in store.prepare()


def test_concurrent_probes_of_one_folder_never_collide(tmp_path):
    """Every prepare() used to create and delete one shared .write-probe file."""
    errors = []

    def prepare_many():
        try:
            for _ in range(40):
                ResultStore(tmp_path).prepare()
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=prepare_many) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


# -- many processes, some killed -------------------------------------------------------
def stress_run(
    tmp_path: Path, *, seed: int, processes: int, count: int, kills: int, shuffle=False, timeout: float = 240
):
    """``processes`` workers run overlapping subsets of ``count`` experiments into one folder; ``kills`` of
    them are SIGKILLed at random moments once they have started training. Returns what is needed to check."""
    rng = random.Random(seed)
    base, log = tmp_path / "shared", tmp_path / "train.log"
    env = {**os.environ, "PYTHONPATH": str(SUPPORT), "STRESS_LOG": str(log), "APEBENCH_NO_PROGRESS": "1"}
    workers, subsets = [], []
    for _ in range(processes):
        # by default the same order in every worker: they all reach each experiment at about the same time
        indices = sorted(rng.sample(range(count), rng.randint(count // 2, count)))
        if shuffle:
            rng.shuffle(indices)
        subsets.append(indices)
        arguments = json.dumps({"base": str(base), "count": count, "indices": indices})
        workers.append(subprocess.Popen([sys.executable, "-m", "apebench_store_stress", arguments], env=env))
    victims = {workers[i].pid: rng.uniform(0.0, 1.5) for i in rng.sample(range(processes), kills)}
    killed: dict[int, float] = {}
    deadline = time.monotonic() + timeout
    try:
        while any(w.poll() is None for w in workers) and time.monotonic() < deadline:
            started = training_starts(log)
            for worker in workers:
                pid = worker.pid
                if pid in victims and pid not in killed and pid in started and worker.poll() is None:
                    if time.time() >= started[pid] + victims[pid]:
                        os.kill(pid, signal.SIGKILL)
                        killed[pid] = time.time()
                        worker.wait()  # reaped at once: a zombie's pid would still look alive
            time.sleep(0.01)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    survivors = [w for w in workers if w.pid not in killed]
    assert [w.returncode for w in survivors] == [0] * len(survivors)
    everything = stress_names(count)
    planned = {everything[i] for w, s in zip(workers, subsets, strict=True) if w.pid not in killed for i in s}
    return base, log, killed, planned


def stress_names(count: int) -> list[str]:
    return [experiment_name(normalize_config(c)) for c in stress.configs(count)]


def training_starts(log: Path) -> dict[int, float]:
    starts: dict[int, float] = {}
    if log.is_file():
        for line in log.read_text().splitlines():
            event = json.loads(line)
            starts.setdefault(event["pid"], event["time"])
    return starts


def trainings(log: Path, killed: dict[int, float]) -> dict[str, list[tuple[float, float]]]:
    """Per experiment, the (start, end) of every training; a killed process's ends when it was killed."""
    open_: dict[tuple[str, int], float] = {}
    intervals: dict[str, list[tuple[float, float]]] = {}
    for line in log.read_text().splitlines():
        event = json.loads(line)
        key = (event["name"], event["pid"])
        if event["event"] == "start":
            open_[key] = event["time"]
        else:
            intervals.setdefault(event["name"], []).append((open_.pop(key), event["time"]))
    for (name, pid), start in open_.items():
        intervals.setdefault(name, []).append((start, killed[pid]))
    return intervals


def check_stress(tmp_path, toy, monkeypatch, checksums, **options):
    from apebench_core.store import read_raw

    base, log, killed, planned = stress_run(tmp_path, **options)
    count = options["count"]
    configs = stress.configs(count)
    names = sorted(stress_names(count))
    store = ResultStore(base)
    assert planned <= set(store.manifest())  # no planned experiment lost from the index

    monkeypatch.setattr(stress, "TRAIN_SECONDS", 0.0)
    stress.use_fake_training(monkeypatch)
    run_study(configs, base, report=None)  # the final run completes whatever the killed ones left
    run_study(configs, tmp_path / "single", report=None)
    assert checksums(base) == checksums(tmp_path / "single")
    for name in names:
        assert read_raw(store.sidecar_path(name)).equals(
            read_raw(tmp_path / "single" / "raw" / f"{name}.json")
        )
    assert list(store.manifest()) == names == sorted(p.stem for p in store.index_dir.iterdir())
    fmt = table_format()
    expected = {f"raw/{n}.{suffix}" for n in names for suffix in ("json", fmt, "arrays.npz")}
    expected |= {f"network_weights/{n}.eqx" for n in names} | {f"index/{n}.json" for n in names}
    stored = {str(p.relative_to(base)) for p in base.rglob("*") if p.is_file()}
    assert stored == expected  # exactly once: no duplicate, no temporary file, no claim left
    assert {s.state for s in study_status(configs, base)} == {"done"}

    for name, spans in trainings(log, killed).items():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert start >= end, f"{name} trained by two processes at once"
    return killed


def test_four_writers_with_kills_store_every_experiment_exactly_once(tmp_path, toy, monkeypatch, checksums):
    killed = check_stress(tmp_path, toy, monkeypatch, checksums, seed=19, processes=4, count=10, kills=2)
    assert len(killed) == 2


@pytest.mark.slow
@pytest.mark.parametrize("seed", [random.randrange(1 << 30) for _ in range(3)])
def test_many_writers_with_random_kills(tmp_path, toy, monkeypatch, checksums, seed):
    rng = random.Random(seed)
    processes = rng.randint(4, 8)
    check_stress(
        tmp_path,
        toy,
        monkeypatch,
        checksums,
        seed=seed,
        processes=processes,
        count=rng.randint(8, 24),
        kills=rng.randint(1, processes - 1),
        shuffle=rng.random() < 0.5,
        timeout=600,
    )


def test_a_study_waits_for_a_live_claim_and_takes_over_when_its_owner_dies(
    tmp_path, toy, monkeypatch, sleeper
):
    monkeypatch.setattr(stress, "TRAIN_SECONDS", 0.0)
    stress.use_fake_training(monkeypatch)
    configs = stress.configs(2)
    held = experiment_name(normalize_config(configs[0]))
    store = ResultStore(tmp_path)
    put_lease(store, held, Owner(Owner.current().host, sleeper.pid, process_start(sleeper.pid), "t"))
    threading.Timer(2.0, sleeper.kill).start()  # dies (a zombie: never reaped) while the study waits
    lines: list[str] = []
    run_study(configs, tmp_path, report=lines.append)
    assert lines[0].startswith(f"{held}: running in {Owner.current().host}:{sleeper.pid}")
    assert f"{held}: took over the stale claim of {Owner.current().host}:{sleeper.pid}" in lines
    assert [line.split(":")[0] for line in lines if "trained in" in line][-1] == held
    assert store.status(held).done and not store.lease_path(held).exists()


def test_a_live_claim_is_waited_for_no_longer_than_the_timeout(tmp_path, toy, monkeypatch, sleeper):
    stress.use_fake_training(monkeypatch)
    configs = stress.configs(1)
    held = experiment_name(normalize_config(configs[0]))
    store = ResultStore(tmp_path)
    put_lease(store, held, Owner(Owner.current().host, sleeper.pid, process_start(sleeper.pid), "t"))
    with pytest.raises(TimeoutError, match=held):
        run_study(configs, tmp_path, timeout=2, report=None)
