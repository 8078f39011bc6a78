"""Autoregressive rollouts shared by reference solvers and neural emulators."""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float

Stepper = Callable[[Array], Array]


#: Training chains up to this many steps are unrolled into straight-line code: XLA's CPU
#: backend runs a loop body as isolated small kernels, and the unrolled form measured
#: 1.3x (Conv) to 1.5x (FNO) faster per ``sup;5`` update (benchmarks/RESULTS.md).
MAX_UNROLLED_STEPS = 16


def rollout(
    stepper: Stepper,
    u0: Float[Array, " channels *space"],
    num_steps: int,
    *,
    include_init: bool = False,
    unroll: bool = False,
) -> Float[Array, " time channels *space"]:
    """Apply ``stepper`` ``num_steps`` times; the trajectory has ``num_steps (+1)`` entries.

    ``unroll=True`` traces the steps one after another instead of a loop when there are at
    most :data:`MAX_UNROLLED_STEPS` (for short differentiated chains; same values).
    """
    if unroll and num_steps <= MAX_UNROLLED_STEPS:
        states = [u0]
        for _ in range(num_steps):
            states.append(stepper(states[-1]))
        return jnp.stack(states if include_init else states[1:])

    def step(u, _):
        u_next = stepper(u)
        return u_next, u_next

    _, trajectory = jax.lax.scan(step, u0, None, length=num_steps)
    if include_init:
        trajectory = jnp.concatenate([u0[None], trajectory], axis=0)
    return trajectory


def repeat(
    stepper: Stepper, u0: Float[Array, " channels *space"], num_steps: int
) -> Float[Array, " channels *space"]:
    """Apply ``stepper`` ``num_steps`` times and keep only the final state (warm-up)."""
    return jax.lax.fori_loop(0, num_steps, lambda _, u: stepper(u), u0)


#: Samples advanced together (vectorised) when generating data.
SAMPLE_CHUNK = 10


def generate_trajectories(
    stepper: Stepper,
    initial_conditions: Float[Array, " samples channels *space"],
    *,
    num_warmup_steps: int,
    num_steps: int,
) -> Float[Array, " samples time channels *space"]:
    """Warm up every initial condition, then roll out ``num_steps`` steps, the start included.

    Compiled once per stepper structure: train, test and coarse data of a scenario share it.
    """
    return _trajectories(stepper, initial_conditions, num_warmup_steps, num_steps)


@eqx.filter_jit
def _trajectories(stepper, initial_conditions, num_warmup_steps: int, num_steps: int):
    def one(u0):
        return rollout(stepper, repeat(stepper, u0, num_warmup_steps), num_steps, include_init=True)

    # Chunks of samples instead of one vmap over all: the output is not held twice, which
    # measured 0.62x the peak memory of Exponax (vs 0.94x) on the default 2D train set.
    return jax.lax.map(one, initial_conditions, batch_size=SAMPLE_CHUNK)
