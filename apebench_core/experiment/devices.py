"""One device per core, and the seeds of an ensemble spread over the devices.

XLA's CPU client splits each small matrix product of one computation over all cores, and
for the benchmark's nets (26 channels, 160 points) that split is poor: two pinned
single-core processes each trained a Conv;26;10 seed in 9.1 ms per step, while both seeds
vmapped on one device took 13-15 ms. With one CPU device per core and the seed axis sharded
over them, each core trains its own seeds; seeds never interact, so no data moves between
devices during training. :func:`map_seeds` runs the per-seed function on each device with
``shard_map``, and without any seed axis when a device holds one seed.

JAX fixes its CPU device count when the backend starts, so :func:`request_cpu_devices`
(called when ``apebench_core`` is imported, without importing JAX) asks for one device per
usable core through ``JAX_NUM_CPU_DEVICES``. It does nothing when JAX is already imported
or the count was chosen already (``JAX_NUM_CPU_DEVICES``, ``--xla_force_host_platform_device_count``);
``APEBENCH_CPU_DEVICES=N`` picks the count (``1`` turns seed spreading off).
"""

from __future__ import annotations

import math
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

Tree = TypeVar("Tree")

ENV_CPU_DEVICES = "APEBENCH_CPU_DEVICES"
ENV_SEED_BATCH = "APEBENCH_SEED_BATCH"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def request_cpu_devices() -> None:
    """Ask JAX (not yet imported) for one CPU device per usable core, unless told otherwise."""
    if "jax" in sys.modules or "JAX_NUM_CPU_DEVICES" in os.environ:
        return
    if "xla_force_host_platform_device_count" in os.environ.get("XLA_FLAGS", ""):
        return
    chosen = os.environ.get(ENV_CPU_DEVICES, "").strip()
    valid = chosen.isdigit() and int(chosen) >= 1
    if chosen and not valid:
        warnings.warn(
            f"{ENV_CPU_DEVICES}={chosen!r} is not a positive integer; using one CPU device per core",
            stacklevel=2,
        )
    count = int(chosen) if valid else usable_cores()
    if count > 1:
        os.environ["JAX_NUM_CPU_DEVICES"] = str(count)


def seed_layout(num_seeds: int) -> tuple[Any, int]:
    """``(sharding, padded_seeds)``: how ``num_seeds`` seeds spread over the local devices.

    The seed axis is padded up to a multiple of the devices used, so 3 seeds on 2 cores
    take two rounds side by side instead of three after one another. ``sharding`` is None
    when there is one device or one seed.
    """
    import jax
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    devices = jax.local_devices()
    used = min(len(devices), num_seeds)
    if used < 2:
        return None, num_seeds
    mesh = Mesh(devices[:used], ("seeds",))
    return NamedSharding(mesh, PartitionSpec("seeds")), math.ceil(num_seeds / used) * used


def spread_seeds(tree: Tree, num_seeds: int) -> Tree:
    """Pad the leading seed axis of every array leaf (repeating the first seeds) and shard it.

    Padded on the host and sent to the devices in one ``device_put``, which compiles nothing
    (resharding device arrays lowered one small program per leaf shape on every run).
    """
    import equinox as eqx
    import jax
    import numpy as np

    sharding, padded = seed_layout(num_seeds)
    if sharding is None:
        return tree
    arrays, static = eqx.partition(tree, eqx.is_array)
    extra = padded - num_seeds

    def pad(leaf):
        if jax.dtypes.issubdtype(leaf.dtype, jax.dtypes.prng_key):  # typed keys have no host form
            return jax.random.wrap_key_data(pad(jax.random.key_data(leaf)), impl=jax.random.key_impl(leaf))
        leaf = np.asarray(leaf)
        return np.concatenate([leaf, np.resize(leaf, (extra,) + leaf.shape[1:])]) if extra else leaf

    return eqx.combine(jax.device_put(jax.tree.map(pad, arrays), sharding), static)


def seed_batch(preferred: int | None = 1) -> int | None:
    """How many seeds a device trains at once: ``APEBENCH_SEED_BATCH`` (a positive integer, or
    ``all`` for None: vmap them all) when set, else ``preferred`` (the architecture's
    ``seed_batch`` metadata, :func:`declared_seed_batch`).

    On CPU, convolution stacks cost the same per seed one after another however many a device
    holds, and keep their minibatch folding (:mod:`apebench_nets.shifted_conv`); vmapped, XLA's
    products over the seed axis grow faster than the seed count. Small FFT networks are the
    opposite: vmapped seeds share each kernel launch.
    """
    chosen = os.environ.get(ENV_SEED_BATCH, "").strip().lower()
    if chosen == "all":
        return None
    if chosen.isdigit() and int(chosen) >= 1:
        return int(chosen)
    if chosen:
        warnings.warn(
            f"{ENV_SEED_BATCH}={chosen!r} is not a positive integer or 'all'; using the network's choice",
            stacklevel=2,
        )
    return preferred


def declared_seed_batch(spec: Any) -> int | None:
    """The ``seed_batch`` metadata of an architecture spec: 1 (default), a positive integer, or
    ``"all"`` (None); anything else is the plugin's mistake, named with it."""
    from ..plugin.errors import ComponentBuildError

    value = spec.metadata.get("seed_batch", 1)
    if value == "all":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise ComponentBuildError(
        f"architecture {spec.name!r} of plugin {spec.plugin!r}: metadata 'seed_batch' is {value!r}; "
        "expected a positive integer or 'all'"
    )


def each_seed(fn: Callable, seeded: tuple[bool, ...], count: int, batch: int | None) -> Callable:
    """``fn`` over the leading axis (of length ``count``) of the arguments flagged in ``seeded``:
    ``batch`` seeds at a time with ``lax.map`` (None: all at once, vmapped).

    One seed runs ``fn`` itself, without a seed axis: XLA lays the products out worse around a
    batch axis of length one (two seeds of a 9-layer 26-channel conv stack, one per device:
    8.6 ms per gradient vmapped, 6.9 ms this way).
    """
    import jax

    if count == 1:

        def one_seed(*args):
            args = tuple(
                jax.tree.map(lambda leaf: leaf[0], a) if s else a for a, s in zip(args, seeded, strict=True)
            )
            return jax.tree.map(lambda leaf: leaf[None], fn(*args))

        return one_seed
    if batch is None or batch >= count:
        return jax.vmap(fn, in_axes=tuple(0 if s else None for s in seeded))

    def in_turn(*args):
        def one(seed_args):
            rest = iter(seed_args)
            return fn(*(next(rest) if s else a for a, s in zip(args, seeded, strict=True)))

        return jax.lax.map(
            one, [a for a, s in zip(args, seeded, strict=True) if s], batch_size=batch if batch > 1 else None
        )

    return in_turn


def map_seeds(
    fn: Callable, num_seeds: int, seeded: tuple[bool, ...], *, preferred_batch: int | None = 1
) -> Callable:
    """``fn`` of one seed, mapped over the leading seed axis of the arguments flagged in ``seeded``
    (the others are shared), each device running its share of the seeds of :func:`spread_seeds`
    (:func:`each_seed`, :func:`seed_batch` at a time, ``preferred_batch`` unless overridden).

    The outputs keep the seed layout of the inputs, so the next call reuses the compilation.
    """
    import jax
    from jax.sharding import PartitionSpec

    sharding, padded = seed_layout(num_seeds)
    if sharding is None:
        return each_seed(fn, seeded, num_seeds, seed_batch(preferred_batch))
    local = each_seed(fn, seeded, padded // sharding.mesh.size, seed_batch(preferred_batch))
    specs = tuple(PartitionSpec("seeds") if s else PartitionSpec() for s in seeded)
    # no collectives between seeds, so no replication tracking: it would reject a loop that
    # starts from shared data and continues with a seed's values
    return jax.shard_map(
        local, mesh=sharding.mesh, in_specs=specs, out_specs=PartitionSpec("seeds"), check_vma=False
    )


def drop_padding(tree: Tree, num_seeds: int) -> Tree:
    """The first ``num_seeds`` entries of the seed axis of every array leaf."""
    import equinox as eqx
    import jax

    def drop(leaf):
        return leaf[:num_seeds] if eqx.is_array(leaf) and leaf.shape[0] > num_seeds else leaf

    return jax.tree.map(drop, tree)
