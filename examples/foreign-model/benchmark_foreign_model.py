"""Benchmark a model trained outside this project, with files as the only interface.

1. export the exact train and test trajectories of a scenario (what `apebench export` writes);
2. train a model in another framework: here plain NumPy, a linear periodic stencil fitted by least
   squares on one-step pairs of the training file (a PyTorch or Flax model works the same way);
3. roll it out from the test file's initial states and save the rollout as .npy;
4. score the rollout (what `apebench score` does) and put it next to a `Conv` trained here,
   in one table.

Run: python examples/foreign-model/benchmark_foreign_model.py [--out DIR] [--tiny]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

SCENARIO = "diff_adv"
FULL = {"num_points": 64, "num_train_samples": 20, "train_temporal_horizon": 20,
        "num_test_samples": 10, "test_temporal_horizon": 50}  # fmt: skip
#: Half-width of the stencil. diff_adv (advection_gamma -4) moves the field 4 cells per step at
#: any resolution, so the stencil must reach 4 cells; with 3 the least-squares fit amplifies
#: and the rollout blows up within a few steps (try it).
RADIUS = 4
TINY = {"num_points": 16, "num_train_samples": 4, "train_temporal_horizon": 4,
        "num_test_samples": 2, "test_temporal_horizon": 5}  # fmt: skip


# -- the "foreign" side: NumPy only, reads and writes files --------------------------------
def fit_stencil(trajectories: np.ndarray, radius: int) -> np.ndarray:
    """Weights w (2r+1) of u_next(x) = sum_j w_j u(x + j) minimising the one-step squared error."""
    before = trajectories[:, :-1, 0].reshape(-1, trajectories.shape[-1])  # (pairs, N), channel 0
    after = trajectories[:, 1:, 0].reshape(-1, trajectories.shape[-1])
    shifted = np.stack([np.roll(before, -j, axis=-1) for j in range(-radius, radius + 1)], axis=-1)
    weights, *_ = np.linalg.lstsq(shifted.reshape(-1, 2 * radius + 1), after.reshape(-1), rcond=None)
    return weights


def stencil_rollout(weights: np.ndarray, initial_states: np.ndarray, num_steps: int) -> np.ndarray:
    """(samples, num_steps, 1, N) from (samples, 1, N), initial state not included."""
    radius = len(weights) // 2
    u, states = initial_states, []
    for _ in range(num_steps):
        u = sum(w * np.roll(u, -j, axis=-1) for w, j in zip(weights, range(-radius, radius + 1), strict=True))
        states.append(u)
    return np.stack(states, axis=1).astype(np.float32)


def train_and_roll_out_elsewhere(train_file: Path, test_file: Path, rollout_file: Path) -> None:
    with np.load(train_file) as train, np.load(test_file) as test:
        weights = fit_stencil(train["trajectories"], radius=RADIUS)
        test_trajectories = test["trajectories"]
    rollout = stencil_rollout(weights, test_trajectories[:, 0], test_trajectories.shape[1] - 1)
    np.save(rollout_file, rollout)


# -- the benchmark side ----------------------------------------------------------------------
def main(out: Path, sizes: dict, conv_steps: int = 2000, num_seeds: int = 2):
    import apebench_core as apebench

    out.mkdir(parents=True, exist_ok=True)
    # 1. `apebench export diff_adv --split both --format npz --out OUT/data --num_points 64 ...`
    train_file, test_file = apebench.export(SCENARIO, split="both", format="npz", out=out / "data", **sizes)
    # 2.-3. any framework: files in, a rollout file out
    train_and_roll_out_elsewhere(train_file, test_file, out / "stencil.npy")
    # 4. `apebench score diff_adv --rollouts OUT/stencil.npy --num_points 64 ...`
    scored = apebench.score_rollout(SCENARIO, out / "stencil.npy", label="NumPy stencil", **sizes)
    print(scored.note)
    experiment = apebench.plan(
        SCENARIO,
        net="Conv;16;4;relu",
        num_seeds=num_seeds,
        optim_config=f"adam;{conv_steps};warmup_cosine;0.0;1e-3;{max(1, conv_steps // 10)}",
        batch_size=min(20, sizes["num_train_samples"] * sizes["train_temporal_horizon"]),
        record_loss_every=max(1, conv_steps // 10),
        **sizes,
    )
    conv = apebench.run(experiment, progress=False).table
    both = apebench.melt_metrics(
        __import__("pandas").concat([scored.table, conv], ignore_index=True), "mean_nRMSE"
    )
    table = both.groupby(["time_step", "net"])["mean_nRMSE"].median().unstack("net")
    print("median mean_nRMSE over seeds (test trajectories of", SCENARIO, sizes, ")")
    print(table.round(4).to_string())
    return table


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("foreign-model-results"))
    parser.add_argument("--tiny", action="store_true", help="seconds-long run at tiny sizes")
    args = parser.parse_args()
    main(args.out, TINY if args.tiny else FULL, conv_steps=20 if args.tiny else 2000)
