"""Networks from an architecture config: one per seed, stacked along a leading seed axis."""

from __future__ import annotations

from typing import Any

import equinox as eqx
import jax
import numpy as np
from jaxtyping import PRNGKeyArray

from ..plugin.config import ParsedConfig


def build_network(
    net: ParsedConfig, *, num_spatial_dims: int, num_channels: int, num_points: int, key: PRNGKeyArray
) -> Any:
    """One network mapping ``(channels, *space)`` to the same shape."""
    return net.build(
        num_spatial_dims=num_spatial_dims, num_channels=num_channels, num_points=num_points, key=key
    )


def seed_keys(start_seed: int, num_seeds: int) -> tuple[np.ndarray, PRNGKeyArray, PRNGKeyArray]:
    """Per seed: the seed, a key for network initialisation and one for minibatch shuffling."""
    seeds = np.arange(start_seed, start_seed + num_seeds)
    init_keys, shuffle_keys = _split_seed_keys(np.asarray(seeds, dtype=np.uint32))
    return seeds, init_keys, shuffle_keys


@jax.jit
def _split_seed_keys(seeds: np.ndarray) -> tuple[PRNGKeyArray, PRNGKeyArray]:
    """One compiled program instead of a dozen eager ones (each lowered on every run)."""
    keys = jax.vmap(lambda s: jax.random.split(jax.random.PRNGKey(s)))(seeds)
    return keys[:, 0], keys[:, 1]


def init_networks(net: ParsedConfig, init_keys: PRNGKeyArray, **grid: int) -> Any:
    """A seed-stacked ensemble: every array leaf gets a leading seed axis. ``grid`` holds
    ``num_spatial_dims``, ``num_channels`` and ``num_points``.

    Run eagerly: one jitted program of the whole initialisation measured no faster on a warm
    compilation cache (its tracing, lowering and the reading of its large executable cost what
    the small eager programs do) nor on a cold one (XLA compiles every ``jax.random`` call of
    it separately), and it would be traced again for every experiment of a study, where the
    eager programs are compiled once per process."""
    return eqx.filter_vmap(lambda key: build_network(net, key=key, **grid))(init_keys)


def extract_seed(ensemble: Any, index: int) -> Any:
    return jax.tree_util.tree_map(lambda leaf: leaf[index] if eqx.is_array(leaf) else leaf, ensemble)


def count_parameters(module: Any) -> int:
    return int(sum(leaf.size for leaf in jax.tree_util.tree_leaves(eqx.filter(module, eqx.is_inexact_array))))
