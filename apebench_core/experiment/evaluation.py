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


def _metric_trajectory(
    stepper: Callable,
    reference: Float[Array, " samples time channels *space"],
    metric_fns: Mapping[str, Callable],
) -> dict[str, Array]:
    """Metrics per time step of an autoregressive rollout from ``reference[:, 0]``, step by step."""

    def step(u, ref_t):
        u = jax.vmap(stepper)(u)
        return u, {name: fn(u, ref_t) for name, fn in metric_fns.items()}

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
        over_time = jax.vmap(lambda u, r: {n: f(u, r) for n, f in metric_fns.items()}, in_axes=(1, 1))
        return over_time(trj, reference)

    values = jax.jit(jax.vmap(per_seed))(rollout_)
    return {name: np.asarray(values[name]) for name in metric_fns}


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

    def sample_rollouts(self, steppers: Any) -> np.ndarray:
        """``(seeds, num_samples_returned, horizon + 1, channels, *space)``, start included."""
        return sample_rollouts(steppers, self.test_data[: self.num_samples_returned, 0], self.horizon)
