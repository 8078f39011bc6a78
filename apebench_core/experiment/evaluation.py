"""Evaluation: metric rollouts against the test trajectories, and sample rollouts.

:class:`Evaluation` is what callbacks receive instead of the scenario: the test data
(generated on first use), the metric functions and the horizon.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float

from .rollout import rollout


def _step_metrics(metric_fns: Mapping[str, Callable], state: Array, ref_t: Array) -> dict[str, Array]:
    """The metrics of one time step. Both scoring paths (a stepper rolled out here, a rollout
    made elsewhere) call this inside a ``lax.scan`` over time, behind an optimization barrier,
    so XLA compiles the same reductions and the numbers agree bit for bit."""
    state, ref_t = jax.lax.optimization_barrier((state, ref_t))
    return {name: fn(state, ref_t) for name, fn in metric_fns.items()}


def _metric_trajectory(
    stepper: Callable,
    reference: Float[Array, " samples time channels *space"],
    metric_fns: Mapping[str, Callable],
) -> dict[str, Array]:
    """Metrics per time step of an autoregressive rollout from ``reference[:, 0]``, step by step."""

    def step(u, ref_t):
        u = jax.vmap(stepper)(u)
        return u, _step_metrics(metric_fns, u, ref_t)

    _, values = jax.lax.scan(step, reference[:, 0], jnp.swapaxes(reference[:, 1:], 0, 1))
    return values


def metric_rollouts(
    steppers: Any,
    reference: Float[Array, " samples time channels *space"],
    metric_fns: Mapping[str, Callable],
    *,
    remove_singleton_axis: bool = False,
) -> dict[str, np.ndarray]:
    """``{metric: (seeds, time)}`` for a seed-stacked stepper ensemble."""
    values = eqx.filter_jit(
        eqx.filter_vmap(lambda s, r: _metric_trajectory(s, r, metric_fns), in_axes=(eqx.if_array(0), None))
    )(steppers, reference)
    out = {name: np.asarray(values[name]) for name in metric_fns}  # JAX sorts dict keys: keep report order
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
    reference = jnp.asarray(reference)
    if rollout_.ndim == reference.ndim:
        rollout_ = rollout_[None]
    if rollout_.shape[1:] != reference.shape:
        raise ValueError(f"rollout shape {rollout_.shape[1:]} does not match the reference {reference.shape}")

    def per_seed(trj):
        def step(carry, pair):
            return carry, _step_metrics(metric_fns, *pair)

        time_first = (jnp.swapaxes(trj, 0, 1), jnp.swapaxes(reference, 0, 1))
        return jax.lax.scan(step, None, time_first)[1]

    values = jax.jit(jax.vmap(per_seed))(rollout_)
    return {name: np.asarray(values[name]) for name in metric_fns}


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

    def metrics_of_rollout(self, rollout_: Any, reference: Any = None) -> dict[str, np.ndarray]:
        """Score an external rollout ``([seeds,] samples, horizon, channels, *space)``."""
        reference = self.test_data[:, 1:] if reference is None else reference
        return metrics_of_rollout(rollout_, reference, self.metric_fns)

    def sample_rollouts(self, steppers: Any) -> np.ndarray:
        """``(seeds, num_samples_returned, horizon + 1, channels, *space)``, start included."""
        return sample_rollouts(steppers, self.test_data[: self.num_samples_returned, 0], self.horizon)
