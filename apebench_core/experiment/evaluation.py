"""Evaluation: metric rollouts against the test trajectories, and sample rollouts.

:class:`Evaluation` is what callbacks receive instead of the scenario: the test data
(generated on first use), the metric functions and the horizon.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float

from .rollout import rollout

#: States per chunk of a metric rollout (bytes); bounds the memory of the stored trajectory.
CHUNK_BYTES = 256 * 2**20


def _seed_step_metrics(metric_fns: Mapping[str, Callable], states: Array, ref_t: Array) -> dict[str, Array]:
    """``{metric: (seeds,)}`` of one time step, states ``(seeds, samples, channels, *space)``."""
    return jax.vmap(lambda u: {name: fn(u, ref_t) for name, fn in metric_fns.items()})(states)


def _score_chunk(metric_fns: Mapping[str, Callable], states: Array, reference: Array) -> dict[str, Array]:
    """``{metric: (seeds, steps)}`` of one chunk: a compiled loop over its time steps."""

    def one_step(pair: tuple[Array, Array]) -> dict[str, Array]:
        return _seed_step_metrics(metric_fns, *pair)

    per_step = jax.lax.map(one_step, (jnp.moveaxis(states, 2, 0), jnp.moveaxis(reference, 1, 0)))
    return {name: values.T for name, values in per_step.items()}


def _score_steps(
    metric_fns: Mapping[str, Callable],
    chunks: Any,
    reference: Float[np.ndarray, " samples time channels *space"],
) -> dict[str, np.ndarray]:
    """Metrics of every time step, ``{metric: (seeds, time)}``.

    Both scoring paths (a stepper rolled out here, a rollout made elsewhere) feed their states
    through this one compiled loop whose body scores one time step, so the same rollout gives
    the same numbers bit for bit whatever the chunking (XLA may reduce differently inside
    differently fused programs; a loop body is compiled once, whatever the trip count).
    ``chunks`` yields ``(first_step, states (seeds, samples, steps, channels, *space))``; the
    reference is sliced on the host (an eager slice is a program lowered on every run).
    """
    score = jax.jit(functools.partial(_score_chunk, metric_fns))
    values: dict[str, list] = {name: [] for name in metric_fns}
    for first, states in chunks:
        out = score(states, reference[:, first : first + states.shape[2]])
        for name in metric_fns:
            values[name].append(np.asarray(out[name]))
    return {name: np.concatenate(values[name], axis=1) for name in metric_fns}


def _chunk_length(states: Array | np.ndarray, horizon: int) -> int:
    per_step = states.size * states.dtype.itemsize
    return max(1, min(horizon, CHUNK_BYTES // max(per_step, 1)))


def _rollout_chunks(steppers: Any, start: np.ndarray, horizon: int) -> Iterator[tuple[int, Array]]:
    """Seed-stacked rollout from ``start`` (samples, channels, *space) in chunks of whole steps."""

    def per_seed(stepper, u, length):
        def step(u, _):
            u = jax.vmap(stepper)(u)
            return u, u

        last, states = jax.lax.scan(step, u, None, length=length)
        return last, jnp.swapaxes(states, 0, 1)

    advance = eqx.filter_jit(eqx.filter_vmap(per_seed, in_axes=(eqx.if_array(0), 0, None)))
    u: Any = None  # host data first (no copy program), then the device's chunk ends
    done = 0
    while done < horizon:
        if u is None:
            num_seeds = _num_seeds(steppers)
            u = np.broadcast_to(start, (num_seeds, *start.shape))
        length = min(_chunk_length(u, horizon), horizon - done)
        u, states = advance(steppers, u, length)
        yield done, states
        done += length


def _num_seeds(steppers: Any) -> int:
    leaves = [leaf for leaf in jax.tree_util.tree_leaves(steppers) if eqx.is_array(leaf)]
    return leaves[0].shape[0] if leaves else 1


def rollout_and_score(
    steppers: Any,
    reference: Float[Array, " samples time channels *space"],
    metric_fns: Mapping[str, Callable],
    *,
    keep_samples: int = 0,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """``{metric: (seeds, time)}`` of a seed-stacked stepper ensemble rolled out from
    ``reference[:, 0]``, and the first ``keep_samples`` trajectories of that same rollout,
    start included, ``(seeds, keep_samples, time, channels, *space)``: the sample rollouts of
    the results table without rolling out (and compiling) a second time."""
    host = np.asarray(reference)
    kept: list[np.ndarray] = []

    def keeping(chunks: Iterator[tuple[int, Array]]) -> Iterator[tuple[int, Array]]:
        for first, states in chunks:
            if keep_samples:
                kept.append(np.asarray(states)[:, :keep_samples])
            yield first, states

    chunks = _rollout_chunks(steppers, host[:, 0], host.shape[1] - 1)
    out = _score_steps(metric_fns, keeping(chunks), host[:, 1:])  # report order of the metrics kept
    num_seeds = next(iter(out.values())).shape[0] if out else _num_seeds(steppers)
    start = host[:keep_samples, :1]
    samples = np.concatenate([np.broadcast_to(start, (num_seeds, *start.shape)), *kept], axis=2)
    return out, samples


def metric_rollouts(
    steppers: Any,
    reference: Float[Array, " samples time channels *space"],
    metric_fns: Mapping[str, Callable],
    *,
    remove_singleton_axis: bool = False,
) -> dict[str, np.ndarray]:
    """``{metric: (seeds, time)}`` of a seed-stacked stepper ensemble rolled out from ``reference[:, 0]``."""
    out, _ = rollout_and_score(steppers, reference, metric_fns)
    if remove_singleton_axis:
        out = {name: v[0] if v.shape[0] == 1 else v for name, v in out.items()}
    return out


def metrics_of_rollout(
    rollout_: Float[Array, "*seeds samples time channels *space"],
    reference: Float[Array, " samples time channels *space"],
    metric_fns: Mapping[str, Callable],
) -> dict[str, np.ndarray]:
    """Metrics of an externally produced rollout (no start state); always a leading seed axis."""
    rollout_ = jnp.asarray(rollout_)
    host = np.asarray(reference)
    if rollout_.ndim == host.ndim:
        rollout_ = rollout_[None]
    if rollout_.shape[1:] != host.shape:
        raise ValueError(f"rollout shape {rollout_.shape[1:]} does not match the reference {host.shape}")
    return _score_steps(metric_fns, [(0, rollout_)], host)


def test_rollouts(
    steppers: Any,
    initial_states: Float[Array, " samples channels *space"],
    num_steps: int,
    *,
    seed_axis: bool,
) -> Array:
    """Rollouts without the start state, ``([seeds,] samples, num_steps, channels, *space)``: what a
    user computes by hand before :func:`metrics_of_rollout`, so both paths give the same bits."""

    def per_stepper(stepper, u0s):
        return jax.vmap(lambda u0: rollout(stepper, u0, num_steps, include_init=False))(u0s)

    if not seed_axis:
        return eqx.filter_jit(per_stepper)(steppers, initial_states)
    return eqx.filter_jit(eqx.filter_vmap(per_stepper, in_axes=(eqx.if_array(0), None)))(
        steppers, initial_states
    )


def sample_rollouts(
    steppers: Any, initial_states: Float[Array, " n channels *space"], num_steps: int
) -> np.ndarray:
    """Rollouts with the start state, ``(seeds, n, num_steps + 1, channels, *space)``."""

    def per_seed(stepper, u0s):
        return jax.vmap(lambda u0: rollout(stepper, u0, num_steps, include_init=True))(u0s)

    fn = eqx.filter_jit(eqx.filter_vmap(per_seed, in_axes=(eqx.if_array(0), None)))
    return np.asarray(fn(steppers, initial_states))


@attrs.frozen
class Evaluation:
    """Test trajectories, metric functions and horizon: the evaluation context of callbacks.

    ``test_data`` is a function so that building callbacks generates no data.
    """

    test_data_source: Callable[[], Array] = attrs.field(repr=False)
    metric_fns: Mapping[str, Callable] = attrs.field(repr=False)
    horizon: int
    num_samples_returned: int

    @classmethod
    def of_scenario(cls, scene: Any, metric_fns: Mapping[str, Callable]) -> Evaluation:
        return cls(scene.get_test_data, metric_fns, scene.test_temporal_horizon, scene.num_trjs_returned)

    @property
    def test_data(self) -> Float[Array, " samples time channels *space"]:
        return self.test_data_source()

    def metric_rollouts(self, steppers: Any, *, remove_singleton_axis: bool = False) -> dict[str, np.ndarray]:
        """``{metric: (seeds, horizon)}`` of seed-stacked steppers from every test initial state."""
        return metric_rollouts(
            steppers, self.test_data, self.metric_fns, remove_singleton_axis=remove_singleton_axis
        )

    def rollout_metrics(self, steppers: Any, *, seed_axis: bool = True) -> dict[str, np.ndarray]:
        """``{metric: (seeds, horizon)}``: roll out from the test initial states, then score the
        rollout with :meth:`metrics_of_rollout` (the path of an external rollout). Without
        ``seed_axis`` the stepper is a single network and the result has a seed axis of 1."""
        data = self.test_data
        rollouts = test_rollouts(steppers, data[:, 0], self.horizon, seed_axis=seed_axis)
        return self.metrics_of_rollout(rollouts, data[:, 1:])

    def metrics_of_rollout(self, rollout_: Any, reference: Any = None) -> dict[str, np.ndarray]:
        """Score an external rollout ``([seeds,] samples, horizon, channels, *space)``."""
        reference = self.test_data[:, 1:] if reference is None else reference
        return metrics_of_rollout(rollout_, reference, self.metric_fns)

    def metrics_and_samples(self, steppers: Any) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """:meth:`metric_rollouts` and the sample rollouts of :meth:`sample_rollouts` from one
        rollout (equal to that method's up to float32 round-off: the network sees batches of
        another size)."""
        return rollout_and_score(
            steppers, self.test_data, self.metric_fns, keep_samples=self.num_samples_returned
        )

    def sample_rollouts(self, steppers: Any) -> np.ndarray:
        """``(seeds, num_samples_returned, horizon + 1, channels, *space)``, start included."""
        return sample_rollouts(steppers, self.test_data[: self.num_samples_returned, 0], self.horizon)
