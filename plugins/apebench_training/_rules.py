"""Rules between a training component's fields and the experiment, checked when an experiment
is planned (before any data exists). No JAX here: the registry imports this module lazily."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _window_fits(states: int, facts: Mapping[str, Any], what: str) -> None:
    horizon = facts.get("train_temporal_horizon")
    if horizon is not None and states > horizon + 1:
        raise ValueError(
            f"{what} needs windows of {states} states, but train_temporal_horizon={horizon} "
            f"gives trajectories of {horizon + 1}"
        )


def rollout_window(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    """``sup``, ``pf``, ``noise``: T + 1 consecutive states per window."""
    _window_fits(values["num_rollout_steps"] + 1, facts, f"num_rollout_steps={values['num_rollout_steps']}")


def branch_length(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    """``br``: a branch is at most as long as the chain."""
    if values["num_branch_steps"] > values["num_rollout_steps"]:
        raise ValueError(
            f"field 'num_branch_steps' ({values['num_branch_steps']}) must not exceed "
            f"num_rollout_steps ({values['num_rollout_steps']})"
        )


def mix_window(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    """``mix``: T emulator steps and P reference steps in one window of T + P + 1 states."""
    steps = values["num_rollout_steps"] + values["num_post_physics_steps"]
    _window_fits(steps + 1, facts, f"num_rollout_steps + num_post_physics_steps = {steps}")


def warmup_within_training(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    """``warmup_cosine``: the warm-up ends before the last update step."""
    num_steps = facts.get("num_steps")
    if num_steps is not None and values["warmup_steps"] >= num_steps:
        raise ValueError(
            f"field 'warmup_steps' ({values['warmup_steps']}) must be smaller than the number of "
            f"update steps ({num_steps})"
        )
    if values["peak_value"] < values["init_value"] and values["warmup_steps"] > 0:
        raise ValueError(
            f"field 'peak_value' ({values['peak_value']}) is below init_value ({values['init_value']}): "
            "a warm-up rises to its peak"
        )


def transition_within_training(values: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
    """``exp``: at least one decay happens during training."""
    num_steps = facts.get("num_steps")
    if num_steps is not None and values["transition_steps"] > num_steps:
        raise ValueError(
            f"field 'transition_steps' ({values['transition_steps']}) exceeds the number of update "
            f"steps ({num_steps}): the rate would never decay"
        )
