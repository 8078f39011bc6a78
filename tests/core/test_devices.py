"""Seeds spread over one CPU device per core: the device request, and unchanged results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SUPPORT = str(Path(__file__).resolve().parents[1] / "support")

PROBE = "import apebench_core, jax; print(jax.device_count())"


def run_process(code: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("JAX_NUM_CPU_DEVICES", "APEBENCH_CPU_DEVICES")}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**clean, "PYTHONPATH": SUPPORT, **env},
        check=True,
        capture_output=True,
        text=True,
    )


def run_python(code: str, *args: str, **env: str) -> str:
    return run_process(code, *args, **env).stdout.strip().splitlines()[-1]


def test_importing_the_core_asks_for_one_device_per_core():
    from apebench_core.devices import usable_cores

    assert run_python(PROBE) == str(usable_cores())


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"APEBENCH_CPU_DEVICES": "1"}, "1"),
        ({"APEBENCH_CPU_DEVICES": "3"}, "3"),
        ({"JAX_NUM_CPU_DEVICES": "3"}, "3"),
        ({"XLA_FLAGS": "--xla_force_host_platform_device_count=3"}, "3"),
    ],
    ids=["off", "chosen", "jax-env-wins", "xla-flag-wins"],
)
def test_the_users_choice_wins(env, expected):
    assert run_python(PROBE, **env) == expected


def test_an_invalid_count_warns_and_falls_back_to_one_device_per_core():
    from apebench_core.devices import usable_cores

    out = run_process(PROBE, APEBENCH_CPU_DEVICES="two")
    assert out.stdout.strip().splitlines()[-1] == str(usable_cores())
    assert "APEBENCH_CPU_DEVICES='two' is not a positive integer" in out.stderr


def test_nothing_changes_when_jax_came_first():
    assert run_python("import jax, apebench_core; print(jax.device_count())") == "1"


def test_spreading_pads_every_leaf_typed_keys_too():
    """Three seeds on this process's two devices pad to four by repeating the first seed; a
    network or state holding typed PRNG keys is padded like any other array."""
    import jax
    import jax.numpy as jnp

    from apebench_core.devices import seed_layout, spread_seeds

    if seed_layout(3)[1] != 4:
        pytest.skip("needs two devices")
    tree = {"w": jnp.arange(6.0).reshape(3, 2), "key": jax.random.split(jax.random.key(0), 3), "name": "net"}
    out = spread_seeds(tree, 3)
    np.testing.assert_array_equal(out["w"], np.concatenate([tree["w"], tree["w"][:1]]))
    data = jax.random.key_data(tree["key"])
    np.testing.assert_array_equal(jax.random.key_data(out["key"]), np.concatenate([data, data[:1]]))
    assert out["name"] == "net" and len(out["w"].sharding.device_set) == 2


def test_seed_layout_pads_to_a_multiple_of_the_devices_used():
    code = (
        "import json; from apebench_core.devices import seed_layout\n"
        "print(json.dumps([(n, seed_layout(n)[1], seed_layout(n)[0] is not None) for n in (1, 2, 3, 5)]))"
    )
    layout = json.loads(run_python(code, APEBENCH_CPU_DEVICES="2"))
    assert layout == [[1, 1, False], [2, 2, True], [3, 4, True], [5, 6, True]]


# Every training these tests compare, run in one process per device count (the device count
# is fixed when JAX starts; one process each keeps the suite fast). A run is
# (kind, net, start_seed, num_seeds, APEBENCH_SEED_BATCH or None); the process prints the
# per-seed numbers of every run in order.
RUNS = """
import json, os, sys
import numpy as np
import apebench_core as apebench
from apebench_core.testing import registered_plugin
from apebench_toy import ToyAdvection, ToyPlugin

def toy(num_seeds):  # the toy plugin's stencil with a callback: losses, metric and aux per seed
    with registered_plugin(ToyPlugin(), "toy"):
        t, _ = ToyAdvection(callbacks="weight_norm;100")(network_config="ToyStencil", num_seeds=num_seeds,
                                                         progress=False)
    cols = t.filter(regex="train_loss_|toy_nrmse_").to_numpy(float)
    aux = np.asarray([[row["weight_norm"] for row in t[c]] for c in t.filter(regex="aux_")], float).T
    return [cols.tolist(), aux.tolist()]

def tiny(net, start, count):  # a tiny diff_adv training: per-seed losses and test errors
    table, _ = apebench.run_experiment(scenario="diff_adv", net=net, train="one", start_seed=start,
        num_seeds=count, num_points=32, num_train_samples=4, train_temporal_horizon=5, num_test_samples=3,
        test_temporal_horizon=6, optim_config="adam;20;constant;1e-3", record_loss_every=10, progress=False)
    return table.filter(regex=r"^(train_loss|mean_nRMSE)_").to_numpy(float).tolist()

out = []
for kind, net, start, count, batch in json.loads(sys.argv[1]):
    os.environ.pop("APEBENCH_SEED_BATCH", None)
    if batch is not None:
        os.environ["APEBENCH_SEED_BATCH"] = batch
    out.append(toy(count) if kind == "toy" else tiny(net, start, count))
print(json.dumps(out))
"""

# The Conv takes the minibatch-folding path when a seed runs alone on a device or in turn, and
# the seed-batched path when vmapped; the FNO declares seed_batch='all'.
ONE_DEVICE = {
    "toy-2": ("toy", None, 0, 2, None),
    "toy-3": ("toy", None, 0, 3, None),
    "conv-in-turn": ("tiny", "Conv;8;2;relu", 0, 3, None),
    "conv-vmapped": ("tiny", "Conv;8;2;relu", 0, 3, "all"),
    "conv-last-alone": ("tiny", "Conv;8;2;relu", 2, 1, None),
    "fno-default": ("tiny", "FNO;4;8;2;gelu", 0, 3, None),
    "fno-vmapped": ("tiny", "FNO;4;8;2;gelu", 0, 3, "all"),
    "fno-in-turn": ("tiny", "FNO;4;8;2;gelu", 0, 3, "1"),
}
TWO_DEVICES = {"toy-2": ONE_DEVICE["toy-2"], "toy-3": ONE_DEVICE["toy-3"]}


def run_all(runs: dict, devices: str) -> dict:
    printed = run_python(RUNS, json.dumps(list(runs.values())), APEBENCH_CPU_DEVICES=devices)
    return dict(zip(runs, json.loads(printed), strict=True))


@pytest.fixture(scope="module")
def one_device():
    return run_all(ONE_DEVICE, "1")


@pytest.fixture(scope="module")
def two_devices():
    return run_all(TWO_DEVICES, "2")


@pytest.mark.parametrize("num_seeds", [2, 3])
def test_seeds_on_two_devices_match_one_device(num_seeds, one_device, two_devices):
    """Sharding (2 seeds: one per device, run without a seed axis) and padding (3 seeds -> 4,
    two per device) change nothing a user sees."""
    spread, single = two_devices[f"toy-{num_seeds}"], one_device[f"toy-{num_seeds}"]
    for a, b in zip(spread, single, strict=True):
        assert np.asarray(a).shape[0] == num_seeds
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


MAP_SEEDS = (
    "import sys, json\n"
    "from apebench_core.devices import map_seeds, spread_seeds, drop_padding\n"
    "import jax, jax.numpy as jnp\n"
    "assert jax.device_count() == 2\n"
    "num_seeds = int(sys.argv[1])\n"
    "def per_seed(scale, start):  # a loop whose carry starts shared and continues per seed\n"
    "    def chain(s, u0):\n"
    "        return jax.lax.scan(lambda u, _: (jnp.sin(u) * s, u), u0, None, length=20)[1].sum()\n"
    "    return jax.grad(lambda s: jax.vmap(lambda u0: chain(s, u0))(start).sum())(scale)\n"
    "scales = jnp.linspace(0.5, 0.9, num_seeds)\n"
    "start = jnp.arange(6.0).reshape(3, 2)\n"
    "mapped = jax.jit(map_seeds(per_seed, num_seeds, seeded=(True, False)))\n"
    "out = drop_padding(mapped(spread_seeds(scales, num_seeds), start), num_seeds)\n"
    "ref = jax.vmap(per_seed, in_axes=(0, None))(scales, start)\n"
    "print(json.dumps([out.shape[0], float(jnp.max(jnp.abs(out - ref)))]))\n"
)


@pytest.mark.parametrize("num_seeds", [1, 2, 3])
def test_map_seeds_runs_loops_from_shared_data_per_device(num_seeds):
    """One seed per device (no seed axis), two per device (padded) and one device in all;
    a loop carry that starts from shared data must not trip shard_map's replication checks."""
    rows, err = json.loads(run_python(MAP_SEEDS, str(num_seeds), APEBENCH_CPU_DEVICES="2"))
    assert rows == num_seeds
    assert err < 1e-5


@pytest.mark.parametrize("batch", [1, 2, None], ids=["in-turn", "pairs", "vmapped"])
@pytest.mark.parametrize("count", [1, 3])
def test_each_seed_gives_every_seed_what_it_gets_alone(count, batch):
    import jax
    import jax.numpy as jnp

    from apebench_core.devices import each_seed

    def per_seed(scale, shared, offset):
        return {
            "value": jnp.sin(shared * scale).sum() + offset,
            "grad": jax.grad(lambda s: jnp.cos(shared * s).sum())(scale),
        }

    scales, offsets = jnp.linspace(0.5, 0.9, count), jnp.arange(count, dtype=float)
    shared = jnp.arange(4.0)
    out = jax.jit(each_seed(per_seed, (True, False, True), count, batch))(scales, shared, offsets)
    for k in range(count):
        alone = per_seed(scales[k], shared, offsets[k])
        for name in alone:
            np.testing.assert_allclose(out[name][k], alone[name], rtol=1e-6)


def test_a_seed_trains_the_same_in_turn_vmapped_or_alone(one_device):
    """Three seeds on one device, one after another (the default) or vmapped, and the last seed
    trained alone: the same numbers for every seed, so no seed depends on how many run."""
    in_turn = np.asarray(one_device["conv-in-turn"])
    assert in_turn.shape[0] == 3
    np.testing.assert_allclose(in_turn, one_device["conv-vmapped"], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(in_turn[2:], one_device["conv-last-alone"], rtol=1e-5, atol=1e-7)


def test_the_environment_overrides_the_networks_seed_batch_and_nonsense_warns(monkeypatch):
    from apebench_core.devices import seed_batch

    monkeypatch.delenv("APEBENCH_SEED_BATCH", raising=False)
    assert seed_batch() == 1 and seed_batch(None) is None and seed_batch(3) == 3
    monkeypatch.setenv("APEBENCH_SEED_BATCH", "all")
    assert seed_batch() is None
    monkeypatch.setenv("APEBENCH_SEED_BATCH", "4")
    assert seed_batch(None) == 4
    monkeypatch.setenv("APEBENCH_SEED_BATCH", "many")
    with pytest.warns(UserWarning, match="APEBENCH_SEED_BATCH='many'"):
        assert seed_batch() == 1
    with pytest.warns(UserWarning, match="using the network's choice"):
        assert seed_batch(None) is None


def test_architectures_declare_their_seed_batch_and_a_bad_declaration_names_the_plugin():
    import apebench_core as apebench
    from apebench_core.experiment.devices import declared_seed_batch
    from apebench_core.plugin.errors import ComponentBuildError

    assert declared_seed_batch(apebench.get_spec("architecture", "Conv")) == 1  # the default
    assert declared_seed_batch(apebench.get_spec("architecture", "FNO")) is None  # vmapped
    spec = apebench.ComponentSpec(kind="architecture", name="Odd", factory=len, metadata={"seed_batch": 0})
    with pytest.raises(
        ComponentBuildError, match=r"architecture 'Odd' of plugin .*'seed_batch' is 0; expected"
    ):
        declared_seed_batch(spec)


def test_the_fno_trains_its_seeds_vmapped_by_default(one_device):
    """FNO declares seed_batch='all': its default run is the vmapped one, bit for bit."""
    assert one_device["fno-default"] == one_device["fno-vmapped"]
    np.testing.assert_allclose(one_device["fno-in-turn"], one_device["fno-vmapped"], rtol=1e-5, atol=1e-7)
