"""Learning methodologies: how emulator and reference interact in the loss.

Each is a small frozen object with ``window_length`` and ``loss(stepper, window,
*, ref_stepper)``, the protocol of :mod:`apebench_core.training`. Time-level
losses are the MSE over channels and space, summed over the unrolled steps.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float


def mse(prediction: Array, target: Array) -> Array:
    return jnp.mean((prediction - target) ** 2)


def _maybe_cut(u: Array, cut: bool) -> Array:
    return jax.lax.stop_gradient(u) if cut else u


@attrs.frozen
class SupervisedRollout:
    """Unroll the emulator ``num_rollout_steps`` times from the window's start; compare to the window."""

    num_rollout_steps: int = attrs.field(validator=attrs.validators.ge(1))
    cut_bptt: bool = False

    @property
    def window_length(self) -> int:
        return self.num_rollout_steps + 1

    def loss(
        self,
        stepper: Callable,
        window: Float[Array, " time channels *space"],
        *,
        ref_stepper: Callable | None = None,
    ) -> Array:
        def step(u, target):
            prediction = stepper(_maybe_cut(u, self.cut_bptt))
            return prediction, mse(prediction, target)

        _, losses = jax.lax.scan(step, window[0], window[1:])
        return jnp.sum(losses)


@attrs.frozen
class DivertedChainBranchOne:
    """Main chain by the emulator; each step's target is the reference solver applied to the
    emulator's previous state (a branch of length one). Needs only initial states."""

    num_rollout_steps: int = attrs.field(validator=attrs.validators.ge(1))
    cut_bptt: bool = False
    cut_div_chain: bool = False
    window_length: int = 1

    def loss(
        self,
        stepper: Callable,
        window: Float[Array, " time channels *space"],
        *,
        ref_stepper: Callable | None = None,
    ) -> Array:
        if ref_stepper is None:
            raise ValueError("the diverted chain needs the reference stepper")

        def step(u, _):
            u = _maybe_cut(u, self.cut_bptt)
            target = ref_stepper(jax.lax.stop_gradient(u) if self.cut_div_chain else u)
            prediction = stepper(u)
            return prediction, mse(prediction, target)

        _, losses = jax.lax.scan(step, window[0], None, length=self.num_rollout_steps)
        return jnp.sum(losses)


def one_step() -> SupervisedRollout:
    return SupervisedRollout(num_rollout_steps=1)


def supervised(*, num_rollout_steps: int, cut_bptt: bool = False) -> SupervisedRollout:
    return SupervisedRollout(num_rollout_steps=num_rollout_steps, cut_bptt=cut_bptt)


def diverted_chain_branch_one(
    *, num_rollout_steps: int, cut_bptt: bool = False, cut_div_chain: bool = False
) -> DivertedChainBranchOne:
    return DivertedChainBranchOne(
        num_rollout_steps=num_rollout_steps, cut_bptt=cut_bptt, cut_div_chain=cut_div_chain
    )
