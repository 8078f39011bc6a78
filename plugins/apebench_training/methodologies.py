"""Learning methodologies: how emulator and reference solver meet in the loss.

Each is a small frozen object with ``window_length`` and ``loss(stepper, window,
*, ref_stepper, key)``, the protocol of :mod:`apebench_core.training`. A time
level's loss is the MSE over channels and space; levels are summed.

In the taxonomy of the APEBench paper a chain has main-chain length T (emulator
steps) and branch length B (reference steps from an emulator state): supervised
rollout is B = T, the diverted chain of the anchor is B = 1.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, PRNGKeyArray

from apebench_core.plugin import rollout

Window = Float[Array, " time channels *space"]


def mse(prediction: Array, target: Array) -> Array:
    return jnp.mean((prediction - target) ** 2)


def _cut(u: Array, cut: bool) -> Array:
    return jax.lax.stop_gradient(u) if cut else u


def _main_chain(stepper: Callable, u0: Array, num_steps: int, cut_bptt: bool) -> Array:
    """Emulator states u_1..u_T from u_0, optionally without gradients between steps."""
    return rollout(lambda u: stepper(_cut(u, cut_bptt)), u0, num_steps, unroll=True)


def _needs_reference(ref_stepper: Callable | None, method: str) -> Callable:
    if ref_stepper is None:
        raise ValueError(f"the {method} methodology needs the scenario's reference stepper")
    return ref_stepper


@attrs.frozen
class SupervisedRollout:
    """Unroll ``num_rollout_steps`` emulator steps from the window's start; compare with the data."""

    num_rollout_steps: int = attrs.field(validator=attrs.validators.ge(1))
    cut_bptt: bool = False

    @property
    def window_length(self) -> int:
        return self.num_rollout_steps + 1

    def loss(self, stepper: Callable, window: Window, *, ref_stepper=None, key: PRNGKeyArray = None) -> Array:
        predictions = _main_chain(stepper, window[0], self.num_rollout_steps, self.cut_bptt)
        return jnp.sum(jax.vmap(mse)(predictions, window[1:]))


@attrs.frozen
class DivertedChain:
    """Main chain of T emulator steps; from every main-chain state u_t (t <= T - B) the reference
    solver runs a branch of B steps, and the emulator's states u_{t+1..t+B} are compared with it.
    Needs only initial states and a differentiable reference solver (unless ``cut_div_chain``)."""

    num_rollout_steps: int = attrs.field(validator=attrs.validators.ge(1))
    num_branch_steps: int = 1
    cut_bptt: bool = False
    cut_div_chain: bool = False
    window_length: int = 1

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.num_branch_steps <= self.num_rollout_steps:
            raise ValueError(
                f"branch length must be between 1 and T={self.num_rollout_steps}, got {self.num_branch_steps}"
            )

    def loss(self, stepper: Callable, window: Window, *, ref_stepper=None, key: PRNGKeyArray = None) -> Array:
        reference = _needs_reference(ref_stepper, "diverted-chain")
        T, B = self.num_rollout_steps, self.num_branch_steps
        chain = jnp.concatenate([window[:1], _main_chain(stepper, window[0], T, self.cut_bptt)])
        starts = chain[: T - B + 1]
        branches = jax.vmap(lambda u: rollout(reference, _cut(u, self.cut_div_chain), B, unroll=True))(starts)
        emulated = jnp.stack([chain[t + 1 : t + 1 + B] for t in range(T - B + 1)])
        return jnp.sum(jax.vmap(jax.vmap(mse))(emulated, branches))


@attrs.frozen
class MixChainPostPhysics:
    """T emulator steps, then P reference-solver steps in the same chain, all T + P levels
    compared with the data: the emulator learns states the solver can continue from."""

    num_rollout_steps: int = attrs.field(validator=attrs.validators.ge(1))
    num_post_physics_steps: int = attrs.field(validator=attrs.validators.ge(1))
    cut_bptt: bool = False

    @property
    def window_length(self) -> int:
        return self.num_rollout_steps + self.num_post_physics_steps + 1

    def loss(self, stepper: Callable, window: Window, *, ref_stepper=None, key: PRNGKeyArray = None) -> Array:
        reference = _needs_reference(ref_stepper, "mix-chain")
        emulated = _main_chain(stepper, window[0], self.num_rollout_steps, self.cut_bptt)
        physics = rollout(reference, emulated[-1], self.num_post_physics_steps, unroll=True)
        chain = jnp.concatenate([emulated, physics])
        return jnp.sum(jax.vmap(mse)(chain, window[1:]))


@attrs.frozen
class Pushforward:
    """Unroll T - 1 steps without gradient, then one step with gradient; loss on the last level
    only (Brandstetter et al.'s pushforward trick: cheap exposure to the emulator's own errors)."""

    num_rollout_steps: int = attrs.field(validator=attrs.validators.ge(1))

    @property
    def window_length(self) -> int:
        return self.num_rollout_steps + 1

    def loss(self, stepper: Callable, window: Window, *, ref_stepper=None, key: PRNGKeyArray = None) -> Array:
        u = jax.lax.stop_gradient(
            rollout(stepper, window[0], self.num_rollout_steps - 1, include_init=True, unroll=True)[-1]
        )
        return mse(stepper(u), window[-1])


@attrs.frozen
class NoisyInput:
    """Supervised rollout from a start state perturbed by Gaussian noise of std ``noise_std``
    times the window's start-state standard deviation (input-noise injection)."""

    noise_std: float = attrs.field(validator=attrs.validators.ge(0.0))
    num_rollout_steps: int = 1

    @property
    def window_length(self) -> int:
        return self.num_rollout_steps + 1

    def loss(self, stepper: Callable, window: Window, *, ref_stepper=None, key: PRNGKeyArray = None) -> Array:
        scale = self.noise_std * jnp.std(window[0])
        noisy = window[0] + scale * jax.random.normal(key, window[0].shape, window.dtype)
        return SupervisedRollout(self.num_rollout_steps).loss(stepper, window.at[0].set(noisy))


def one_step() -> SupervisedRollout:
    return SupervisedRollout(num_rollout_steps=1)


def supervised(*, num_rollout_steps: int, cut_bptt: bool = False) -> SupervisedRollout:
    return SupervisedRollout(num_rollout_steps=num_rollout_steps, cut_bptt=cut_bptt)


def diverted_chain_branch_one(
    *, num_rollout_steps: int, cut_bptt: bool = False, cut_div_chain: bool = False
) -> DivertedChain:
    return DivertedChain(num_rollout_steps, 1, cut_bptt=cut_bptt, cut_div_chain=cut_div_chain)


def diverted_chain(
    *, num_rollout_steps: int, num_branch_steps: int, cut_bptt: bool = False, cut_div_chain: bool = False
) -> DivertedChain:
    return DivertedChain(num_rollout_steps, num_branch_steps, cut_bptt=cut_bptt, cut_div_chain=cut_div_chain)


def mix_chain(
    *, num_rollout_steps: int, num_post_physics_steps: int, cut_bptt: bool = False
) -> MixChainPostPhysics:
    return MixChainPostPhysics(num_rollout_steps, num_post_physics_steps, cut_bptt=cut_bptt)


def pushforward(*, num_rollout_steps: int) -> Pushforward:
    return Pushforward(num_rollout_steps)


def noisy_input(*, noise_std: float, num_rollout_steps: int = 1) -> NoisyInput:
    return NoisyInput(noise_std, num_rollout_steps)
