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

from apebench_core.plugin import extract_seed


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
    evaluation: Any = attrs.field(repr=False)
    name: str = "metrics"

    def __call__(self, networks: Any, make_stepper: Callable) -> list:
        values = self.evaluation.metric_rollouts(eqx.filter_vmap(make_stepper)(networks))
        return [{metric: v[i] for metric, v in values.items()} for i in range(_num_seeds(networks))]


@attrs.frozen
class SampleRollout:
    every: int
    evaluation: Any = attrs.field(repr=False)
    name: str = "sample_rollout"

    def __call__(self, networks: Any, make_stepper: Callable) -> list:
        return list(self.evaluation.sample_rollouts(eqx.filter_vmap(make_stepper)(networks)))


def get_network(*, every: int) -> GetNetwork:
    return GetNetwork(every)


def weight_norm(*, every: int) -> WeightNorm:
    return WeightNorm(every)


def metrics(*, every: int, evaluation: Any) -> Metrics:
    return Metrics(every, evaluation)


def sample_rollout(*, every: int, evaluation: Any) -> SampleRollout:
    return SampleRollout(every, evaluation)
