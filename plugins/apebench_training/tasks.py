"""Tasks: how the network becomes a stepper (pure prediction or correction of a coarse solver)."""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
from jaxtyping import Array, Float


def predict(*, network: Callable, coarse_stepper: Callable | None = None) -> Callable:
    return network


class CorrectedStepper(eqx.Module):
    """A coarse solver whose output the network corrects. The coarse solver is frozen
    (its parameters never receive updates) but gradients flow through it to the state."""

    network: Callable
    coarse_stepper: Callable
    mode: str = eqx.field(static=True)

    def __call__(self, u: Float[Array, " channels *space"]) -> Float[Array, " channels *space"]:
        coarse = self.coarse_stepper
        if self.mode == "parallel":
            return coarse(u) + self.network(u)
        coarse_u = coarse(u)
        if self.mode == "sequential":
            return self.network(coarse_u)
        return coarse_u + self.network(coarse_u)  # sequential_with_bypass

    @property
    def receptive_field(self):
        return getattr(self.network, "receptive_field", None)


def correct(*, mode: str, network: Callable, coarse_stepper: Callable | None) -> CorrectedStepper:
    if coarse_stepper is None:
        raise ValueError("the correct task needs the scenario's coarse stepper")
    frozen = jax.tree_util.tree_map(
        lambda leaf: jax.lax.stop_gradient(leaf) if eqx.is_array(leaf) else leaf, coarse_stepper
    )
    return CorrectedStepper(network=network, coarse_stepper=frozen, mode=mode)
