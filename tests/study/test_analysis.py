"""Study aggregates and seed statistics against hand computations and scipy."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apebench_core.analysis import (
    aggregate_gmean,
    pvalues_against_best,
    read_in_kwargs,
    regularized_incomplete_beta,
    relative_by_config,
    split_train,
    student_t_sf,
    t_test,
)


def metric_frame() -> pd.DataFrame:
    rows = []
    for train, scale in (("one", 1.0), ("sup;5", 0.5)):
        for seed in (0, 1):
            for step in (1, 2, 3):
                rows.append(
                    {
                        "scenario": "1d_diff_adv",
                        "task": "predict",
                        "train": train,
                        "net": "Conv;26;10;relu",
                        "seed": seed,
                        "scenario_kwargs": "{'num_points': 64}" if seed else "{}",
                        "time_step": step,
                        "mean_nRMSE": scale * step * (seed + 1),
                    }
                )
    return pd.DataFrame(rows)


def test_read_in_kwargs_parses_literals_only():
    frame = read_in_kwargs(metric_frame())
    assert frame.loc[frame["seed"] == 1, "num_points"].eq(64).all()
    assert frame.loc[frame["seed"] == 0, "num_points"].isna().all()
    hostile = metric_frame().assign(scenario_kwargs="__import__('os').system('false')")
    with pytest.raises(ValueError):
        read_in_kwargs(hostile)


def test_aggregate_gmean_is_the_geometric_mean_up_to_a_step():
    gmean = aggregate_gmean(metric_frame(), up_to=2)
    row = gmean[(gmean["train"] == "sup;5") & (gmean["seed"] == 1)]
    assert row["gmean_mean_nRMSE"].item() == pytest.approx(math.sqrt(1.0 * 2.0))
    assert len(gmean) == 4


def test_relative_by_config_divides_by_the_reference_row():
    gmean = aggregate_gmean(metric_frame(), up_to=3)
    relative = relative_by_config(gmean, value_col="gmean_mean_nRMSE")
    assert relative.loc[relative["train"] == "one", "gmean_mean_nRMSE_rel"].eq(1.0).all()
    assert relative.loc[relative["train"] == "sup;5", "gmean_mean_nRMSE_rel"].to_numpy() == pytest.approx(0.5)
    with pytest.raises(ValueError, match="several rows per group"):
        relative_by_config(metric_frame())  # one reference row per time step: needs time_step as a key
    per_step = relative_by_config(metric_frame(), grouping_cols=["seed", "time_step"])
    assert per_step["mean_nRMSE_rel"].max() == pytest.approx(1.0)


def test_split_train_decodes_with_the_trainer_specs():
    frame = split_train(metric_frame())
    sup = frame[frame["train"] == "sup;5"].iloc[0]
    assert sup["train_method"] == "sup" and sup["train_num_rollout_steps"] == 5 and not sup["train_cut_bptt"]
    assert frame[frame["train"] == "one"]["train_num_rollout_steps"].isna().all()


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(0.05, 200),
    b=st.floats(0.05, 200),
    x=st.floats(0.0, 1.0),
)
def test_incomplete_beta_matches_scipy(a, b, x):
    special = pytest.importorskip("scipy.special")
    assert regularized_incomplete_beta(a, b, x) == pytest.approx(special.betainc(a, b, x), abs=1e-12)


def test_t_distribution_hand_values():
    assert student_t_sf(0.0, 7.3) == 0.5
    assert student_t_sf(1.0, 1.0) == pytest.approx(0.25)  # Cauchy: 1/2 - atan(1)/pi
    assert student_t_sf(2.0, 2.0) == pytest.approx(0.5 - 1 / math.sqrt(6))  # closed form for dof 2
    assert student_t_sf(-1.5, 4.5) == pytest.approx(1 - student_t_sf(1.5, 4.5))


@pytest.mark.parametrize("equal_var", [False, True])
@pytest.mark.parametrize("alternative", ["greater", "less", "two-sided"])
def test_t_test_matches_scipy(alternative, equal_var):
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(0)
    x, y = rng.normal(1.0, 1.0, 7), rng.normal(0.4, 2.5, 5)
    expected = stats.ttest_ind(x, y, equal_var=equal_var, alternative=alternative)
    t, p = t_test(x, y, alternative=alternative, equal_var=equal_var)
    assert t == pytest.approx(expected.statistic, rel=1e-12)
    assert p == pytest.approx(expected.pvalue, rel=1e-9)


def test_pvalues_against_best_per_scenario():
    rng = np.random.default_rng(1)
    rows = [
        {"scenario": scenario, "net": net, "seed": seed, "gmean": value}
        for scenario in ("a", "b")
        for net, centre in (("good", 1.0), ("bad", 3.0), ("close", 1.05))
        for seed, value in enumerate(centre + 0.1 * rng.standard_normal(10))
    ]
    table = pvalues_against_best(pd.DataFrame(rows), value_col="gmean", config_cols=["net"])
    assert len(table) == 6
    for _, group in table.groupby("scenario"):
        by_net = group.set_index("net")
        assert by_net.loc["good", "is_best"] and by_net["is_best"].sum() == 1
        assert by_net.loc["bad", "p_value"] < 1e-6
        assert by_net.loc["good", "p_value"] == pytest.approx(0.5)
        assert by_net.loc["bad", "n"] == 10
