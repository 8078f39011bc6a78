"""The training loop: many seeds at once, many update steps per compiled call.

A learning methodology (built from a ``trainer`` config such as ``sup;5``)
is any object with

- ``window_length``: how many consecutive states a training window holds
  (``T + 1`` for supervised rollout over ``T`` steps, 1 for chains that only
  need the initial state);
- ``loss(stepper, window, *, ref_stepper, key) -> scalar``: the loss on one
  window (``key`` serves methods that draw noise).

A callback (built from a ``callback`` config such as ``weight_norm;100``) has
``name``, ``every`` and ``__call__(networks, make_stepper) -> list`` (one
record per seed);
it runs after every ``every`` updates, and before the first.

Windows are all sub-trajectories of that length ("sub-stacking"). Minibatches
are drawn on device from a fresh permutation per epoch, so the hot loop never
returns to Python between loss records or callbacks.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, Protocol

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
from jaxtyping import Array, Float, PRNGKeyArray

from ..plugin.batching import vmap_inside_grad
from .devices import drop_padding, map_seeds, spread_seeds
from .progress import progress_bar


class Methodology(Protocol):
    window_length: int

    def loss(
        self, stepper: Callable, window: Array, *, ref_stepper: Callable | None, key: PRNGKeyArray
    ) -> Array: ...


class Callback(Protocol):
    name: str
    every: int

    def __call__(self, networks: Any, make_stepper: Callable) -> list: ...


def sub_trajectories(
    trajectories: Float[Array, " samples time channels *space"], window_length: int
) -> Float[Array, " windows window_length channels *space"]:
    """Every window of ``window_length`` consecutive states, sample-major."""
    num_times = trajectories.shape[1]
    if num_times < window_length:
        raise ValueError(
            f"training windows of length {window_length} do not fit trajectories of {num_times} states; "
            "increase train_temporal_horizon or shorten the rollout"
        )
    return _stacked_windows(trajectories, window_length)


@functools.partial(jax.jit, static_argnums=1)
def _stacked_windows(trajectories: Array, window_length: int) -> Array:
    """One compiled gather (eagerly, the indexing lowered six small programs on every run)."""
    num_samples, num_times = trajectories.shape[:2]
    num_windows = num_times - window_length + 1
    starts = np.arange(num_windows)[:, None] + np.arange(window_length)[None, :]
    windows = trajectories[:, starts]  # (samples, windows, window_length, ...)
    return windows.reshape(num_samples * num_windows, window_length, *trajectories.shape[2:])


def epoch_permutations(
    key: PRNGKeyArray, first_step: Array, length: int, num_windows: int, batch_size: int
) -> tuple[Array, Array]:
    """The window permutations of every epoch that steps ``first_step .. first_step + length``
    touch (one per epoch, from ``fold_in(key, epoch)``), and the first of those epochs."""
    batches_per_epoch = math.ceil(num_windows / batch_size)
    first_epoch = first_step // batches_per_epoch
    num_epochs = length // batches_per_epoch + 2  # static bound on the epochs a chunk can span
    epochs = first_epoch + jnp.arange(num_epochs)
    permutations = jax.vmap(lambda e: jax.random.permutation(jax.random.fold_in(key, e), num_windows))(epochs)
    return permutations, first_epoch


def minibatch_indices(
    permutations: Array, first_epoch: Array, step: Array, num_windows: int, batch_size: int
) -> Array:
    """Indices of minibatch ``step``: its epoch's permutation, read in batches, wrapping at the end."""
    epoch, batch = jnp.divmod(step, math.ceil(num_windows / batch_size))
    positions = (batch * batch_size + jnp.arange(batch_size)) % num_windows
    return permutations[epoch - first_epoch][positions]


def chunk_boundaries(num_steps: int, every: list[int]) -> list[int]:
    """Update counts at which the loop returns to Python: loss records, callbacks, the end."""
    points = {num_steps}
    for period in every:
        points.update(range(period, num_steps, period))
    return sorted(points)


def train_ensemble(
    networks: Any,
    *,
    make_stepper: Callable[[Any], Callable],
    methodology: Methodology,
    windows: Float[Array, " windows window_length channels *space"],
    optimizer: optax.GradientTransformation,
    num_steps: int,
    batch_size: int,
    record_loss_every: int,
    shuffle_keys: PRNGKeyArray,
    ref_stepper: Callable | None = None,
    callbacks: tuple[Callback, ...] = (),
    progress: bool = True,
    seed_batch: int | None = 1,
) -> tuple[Any, np.ndarray, list[dict]]:
    """Train a seed-stacked ensemble of networks; returns (networks, loss history, callback records).

    ``networks`` carries a leading seed axis on every array leaf; ``make_stepper``
    wraps one network into the neural stepper (the task). The loss history has
    shape ``(seeds, ceil(num_steps / record_loss_every))``: the minibatch loss
    before the update at steps 0, every, 2*every, ... Callback records are
    ``{"step": updates_done, "name": ..., "values": [one per seed]}``. ``seed_batch``: seeds a
    device trains at once (None: all, vmapped; ``APEBENCH_SEED_BATCH`` overrides it).
    """
    params, static = eqx.partition(networks, eqx.is_inexact_array)
    num_seeds = len(shuffle_keys)
    num_windows = windows.shape[0]
    batch_size = min(batch_size, num_windows)

    def batch_loss(p, batch, key):
        stepper = make_stepper(eqx.combine(p, static))
        keys = jax.random.split(key, batch.shape[0])
        with vmap_inside_grad():  # differentiated below, only ever as grad(vmap(...))
            per_window = jax.vmap(lambda w, k: methodology.loss(stepper, w, ref_stepper=ref_stepper, key=k))(
                batch, keys
            )
        return jnp.mean(per_window)

    def update(p, opt_state, key, step, data, permutations, first_epoch):
        noise_key = jax.random.fold_in(jax.random.fold_in(key, step), 1)  # batches use ``key`` itself
        batch = data[minibatch_indices(permutations, first_epoch, step, num_windows, batch_size)]
        loss, grads = jax.value_and_grad(batch_loss)(p, batch, noise_key)
        updates, opt_state = optimizer.update(grads, opt_state, p)
        return optax.apply_updates(p, updates), opt_state, loss

    def chunk(p, opt_state, key, first_step, data, length):
        permutations, first_epoch = epoch_permutations(key, first_step, length, num_windows, batch_size)

        def body(carry, step):
            p, s = carry
            p, s, loss = update(p, s, key, step, data, permutations, first_epoch)
            return (p, s), loss

        (p, opt_state), losses = jax.lax.scan(body, (p, opt_state), first_step + jnp.arange(length))
        return p, opt_state, losses

    compiled: dict[int, Callable] = {}  # one compiled function per chunk length

    def run_chunk(p, s, first, length):
        if length not in compiled:
            per_seed = map_seeds(
                lambda p, s, k, f, d: chunk(p, s, k, f, d, length),
                num_seeds,
                seeded=(True, True, True, False, False),
                preferred_batch=seed_batch,
            )
            compiled[length] = eqx.filter_jit(per_seed)
        return compiled[length](p, s, shuffle_keys, first, windows)

    def run_callbacks(step: int) -> list[dict]:
        return [
            {
                "step": step,
                "name": callback.name,
                "values": callback(eqx.combine(drop_padding(params, num_seeds), static), make_stepper),
            }
            for callback in callbacks
            if step % callback.every == 0
        ]

    # each device trains its share of the seeds (see apebench_core.devices)
    opt_state = jax.jit(jax.vmap(optimizer.init))(params)  # one program, not one per leaf
    params, opt_state, shuffle_keys = spread_seeds((params, opt_state, shuffle_keys), num_seeds)
    losses: list[np.ndarray] = []
    records = run_callbacks(0)
    done = 0
    with progress_bar(total=num_steps, desc="training", disable=not progress) as bar:
        for boundary in chunk_boundaries(num_steps, [record_loss_every] + [c.every for c in callbacks]):
            first = jax.device_put(np.int32(done))  # jnp.asarray would compile a copy program
            params, opt_state, chunk_losses = run_chunk(params, opt_state, first, boundary - done)
            chunk_losses = np.asarray(chunk_losses)[:num_seeds]  # (seeds, length): loss before each update
            steps = np.arange(done, boundary)
            losses.append(chunk_losses[:, steps % record_loss_every == 0])
            done = boundary
            bar.update(len(steps))
            last = chunk_losses[:, -1]
            finite = last[np.isfinite(last)]
            bar.set_postfix(
                loss=f"{float(np.median(finite)):.2e}" if finite.size else "nan",
                diverged=int(last.size - finite.size),
            )
            records += run_callbacks(done)
    history = np.concatenate(losses, axis=1) if losses else np.zeros((num_seeds, 0))
    return eqx.combine(drop_padding(params, num_seeds), static), history, records
