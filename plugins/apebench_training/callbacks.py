"""Training callbacks: observe the seed-stacked networks every ``every`` updates.

Each returns one record per seed (numpy arrays, so results stay picklable and small).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from apebench_core.pipeline import extract_seed, metric_rollouts, sample_rollouts


def _num_seeds(networks: Any) -> int:
    return jax.tree_util.tree_leaves(eqx.filter(networks, eqx.is_array))[0].shape[0]


@attrs.frozen
class GetNetwork:
    every: int
    name: str = "net"

    def __call__(self, networks: Any, make_stepper: Callable) -> list:
        return [extract_seed(networks, i) for i in range(_num_seeds(networks))]


@attrs.frozen
class WeightNorm:
    every: int
    name: str = "weight_norm"

    def __call__(self, networks: Any, make_stepper: Callable) -> list:
        leaves = jax.tree_util.tree_leaves(eqx.filter(networks, eqx.is_inexact_array))
        per_seed = sum(jnp.sum(leaf.reshape(leaf.shape[0], -1) ** 2, axis=1) for leaf in leaves)
        return [float(v) for v in np.asarray(per_seed)]


@attrs.frozen
class Metrics:
    every: int
    scenario: Any = attrs.field(repr=False)
    name: str = "metrics"

    def __call__(self, networks: Any, make_stepper: Callable) -> list:
        steppers = eqx.filter_vmap(make_stepper)(networks)
        values = metric_rollouts(steppers, self.scenario.get_test_data(), self.scenario.get_metric_fns())
        return [{metric: v[i] for metric, v in values.items()} for i in range(_num_seeds(networks))]


@attrs.frozen
class SampleRollout:
    every: int
    scenario: Any = attrs.field(repr=False)
    name: str = "sample_rollout"

    def __call__(self, networks: Any, make_stepper: Callable) -> list:
        steppers = eqx.filter_vmap(make_stepper)(networks)
        scene = self.scenario
        rollouts = sample_rollouts(
            steppers, scene.get_test_data()[: scene.num_trjs_returned, 0], scene.test_temporal_horizon
        )
        return list(rollouts)


def get_network(*, every: int, scenario: Any) -> GetNetwork:
    return GetNetwork(every)


def weight_norm(*, every: int, scenario: Any) -> WeightNorm:
    return WeightNorm(every)


def metrics(*, every: int, scenario: Any) -> Metrics:
    return Metrics(every, scenario)


def sample_rollout(*, every: int, scenario: Any) -> SampleRollout:
    return SampleRollout(every, scenario)
