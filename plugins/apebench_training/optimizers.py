"""Optimizers and learning-rate schedules (optax)."""

from __future__ import annotations

import optax


def adam(*, num_steps: int, schedule) -> optax.GradientTransformation:
    return optax.adam(schedule.build(num_steps=num_steps))


def adamw(*, num_steps: int, weight_decay: float, schedule) -> optax.GradientTransformation:
    return optax.adamw(schedule.build(num_steps=num_steps), weight_decay=weight_decay)


def clip(*, max_norm: float, optimizer) -> optax.GradientTransformation:
    """Clip the global gradient norm, then apply the inner optimizer."""
    return optax.chain(optax.clip_by_global_norm(max_norm), optimizer.build())


def constant(*, learning_rate: float, num_steps: int) -> optax.Schedule:
    return optax.constant_schedule(learning_rate)


def exponential(
    *, init_value: float, transition_steps: int, decay_rate: float, staircase: bool = False, num_steps: int
) -> optax.Schedule:
    return optax.exponential_decay(init_value, transition_steps, decay_rate, staircase=staircase)


def warmup_cosine(
    *, init_value: float, peak_value: float, warmup_steps: int, num_steps: int
) -> optax.Schedule:
    return optax.warmup_cosine_decay_schedule(init_value, peak_value, warmup_steps, decay_steps=num_steps)
