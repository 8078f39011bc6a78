"""The experiment's arrows as small functions: ICs, seeds, training, evaluation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float, PRNGKeyArray

from .rollout import rollout

if TYPE_CHECKING:
    from .scenario import BaseScenario


# -- initial conditions ---------------------------------------------------------
def multichannel(single: Callable[..., Array], num_channels: int) -> Callable[..., Array]:
    """Independent draws of a single-channel generator stacked into ``(channels, *space)``."""

    def generate(*, key: PRNGKeyArray) -> Float[Array, " channels *space"]:
        return jax.vmap(lambda k: single(key=k))(jax.random.split(key, num_channels))

    return generate


def draw_ic_set(
    generator: Callable[..., Array], num_samples: int, *, key: PRNGKeyArray
) -> Float[Array, " samples channels *space"]:
    """A batch of initial states, one split key each; deterministic given ``key``."""
    return jax.vmap(lambda k: generator(key=k))(jax.random.split(key, num_samples))


# -- networks ------------------------------------------------------------------
def count_parameters(module: Any) -> int:
    return int(sum(leaf.size for leaf in jax.tree_util.tree_leaves(eqx.filter(module, eqx.is_inexact_array))))


def seed_keys(start_seed: int, num_seeds: int) -> tuple[np.ndarray, PRNGKeyArray, PRNGKeyArray]:
    """Per seed: the seed, a key for network initialisation and one for minibatch shuffling."""
    seeds = np.arange(start_seed, start_seed + num_seeds)
    keys = jax.vmap(lambda s: jax.random.split(jax.random.PRNGKey(s)))(jnp.asarray(seeds))
    return seeds, keys[:, 0], keys[:, 1]


def init_networks(scenario: BaseScenario, network_config: str, init_keys: PRNGKeyArray) -> Any:
    """A seed-stacked ensemble: every array leaf gets a leading seed axis."""
    from ._registry import get_registry

    get_registry().parse("architecture", network_config)  # fail on a typo before tracing
    return eqx.filter_vmap(lambda key: scenario.get_network(network_config, key))(init_keys)


def extract_seed(ensemble: Any, index: int) -> Any:
    return jax.tree_util.tree_map(lambda leaf: leaf[index] if eqx.is_array(leaf) else leaf, ensemble)


# -- evaluation ----------------------------------------------------------------
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
    out = {name: np.asarray(v) for name, v in values.items()}
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

    return {name: np.asarray(v) for name, v in jax.jit(jax.vmap(per_seed))(rollout_).items()}


def sample_rollouts(
    steppers: Any, initial_states: Float[Array, " n channels *space"], num_steps: int
) -> np.ndarray:
    """Rollouts with the start state, ``(seeds, n, num_steps + 1, channels, *space)``."""

    def per_seed(stepper, u0s):
        return jax.vmap(lambda u0: rollout(stepper, u0, num_steps, include_init=True))(u0s)

    fn = eqx.filter_jit(eqx.filter_vmap(per_seed, in_axes=(eqx.if_array(0), None)))
    return np.asarray(fn(steppers, initial_states))


# -- one experiment ------------------------------------------------------------
@attrs.frozen
class RawResult:
    """Everything one experiment produces, arrays with a leading seed axis."""

    steppers: Any
    networks: Any
    loss_history: np.ndarray  # (seeds, records)
    callback_records: list
    metrics: dict[str, np.ndarray]  # name -> (seeds, test_temporal_horizon)
    sample_rollouts: np.ndarray  # (seeds, n, T + 1, channels, *space)
    seeds: np.ndarray

    def __iter__(self):  # seed API: (nets, loss, aux, metrics, sample rollouts, seeds)
        return iter(
            (
                self.steppers,
                self.loss_history,
                self.callback_records,
                self.metrics,
                self.sample_rollouts,
                self.seeds,
            )
        )


def run_raw(
    scenario: BaseScenario,
    *,
    task_config: str,
    network_config: str,
    train_config: str,
    start_seed: int,
    num_seeds: int,
    remove_singleton_axis: bool = False,
    progress: bool = True,
) -> RawResult:
    """Train ``num_seeds`` networks at once (one compiled step for all) and evaluate them."""
    if num_seeds < 1:
        raise ValueError(f"num_seeds must be at least 1, got {num_seeds}")
    # Resolve every config first, so a typo fails before any data is generated.
    from ._registry import get_registry

    registry = get_registry()
    for kind, config in (
        ("trainer", train_config),
        ("task", task_config),
        ("optimizer", scenario.optim_config),
    ):
        registry.parse(kind, config)  # a typo fails here, before any data is generated
    metric_fns = scenario.get_metric_fns()
    make_stepper = scenario.get_task(task_config)
    seeds, init_keys, shuffle_keys = seed_keys(start_seed, num_seeds)
    networks = init_networks(scenario, network_config, init_keys)
    trainer = scenario.get_trainer(train_config=train_config, task_config=task_config, progress=progress)
    networks, losses, records = trainer(networks, shuffle_keys=shuffle_keys)
    steppers = eqx.filter_vmap(make_stepper)(networks)
    metrics = metric_rollouts(steppers, scenario.get_test_data(), metric_fns)
    samples = sample_rollouts(
        steppers, scenario.get_test_data()[: scenario.num_trjs_returned, 0], scenario.test_temporal_horizon
    )
    result = RawResult(steppers, networks, losses, records, metrics, samples, seeds)
    if remove_singleton_axis and num_seeds == 1:
        result = attrs.evolve(
            result,
            steppers=extract_seed(steppers, 0),
            networks=extract_seed(networks, 0),
        )
    return result


def _build_callbacks(scenario: BaseScenario) -> list[Any]:
    from ._registry import get_registry

    entries = [entry.strip() for entry in scenario.callbacks.split(",") if entry.strip()]
    return [get_registry().build("callback", entry, scenario=scenario) for entry in entries]


def load_networks(
    scenario: BaseScenario,
    path: str,
    *,
    num_seeds: int,
    task_config: str,
    network_config: str,
    remove_singleton_axis: bool = True,
) -> Any:
    """Deserialise seed-stacked networks into a freshly built skeleton; returns the steppers."""
    _, init_keys, _ = seed_keys(0, num_seeds)
    skeleton = init_networks(scenario, network_config, init_keys)
    networks = eqx.tree_deserialise_leaves(path, skeleton)
    steppers = eqx.filter_vmap(scenario.get_task(task_config))(networks)
    if remove_singleton_axis and num_seeds == 1:
        return extract_seed(steppers, 0)
    return steppers
