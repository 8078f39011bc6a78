"""The experiment pipeline end to end on a toy plugin whose exact answer is known."""

import numpy as np
import pytest
from apebench_toy import ToyAdvection, ToyPlugin

import apebench_core as apebench
from apebench_core.testing import registered_plugin


@pytest.fixture(scope="module")
def toy():
    with registered_plugin(ToyPlugin(), "toy"):
        yield


#: A learning rate at which 300 Adam steps reach the exact stencil from any of the toy's draws
#: (at 3e-2 the weights were still 0.03 off after 300 steps for the current initial conditions).
OPTIM = "adam;300;constant;1e-1"


@pytest.fixture(scope="module")
def result(toy):
    return ToyAdvection(optim_config=OPTIM)(
        network_config="ToyStencil", train_config="one", num_seeds=3, progress=False
    )


def test_table_columns_and_rows(result):
    table, _ = result
    assert list(table.columns[:6]) == ["scenario", "task", "train", "net", "seed", "scenario_kwargs"]
    assert list(table["seed"]) == [0, 1, 2]
    assert table["scenario"].iloc[0] == "1d_toy_adv"
    assert table["scenario_kwargs"].iloc[0] == "{'optim_config': 'adam;300;constant;0.1'}"  # canonical
    assert [c for c in table.columns if c.startswith("toy_nrmse_")][:2] == [
        "toy_nrmse_0001",
        "toy_nrmse_0002",
    ]
    assert len([c for c in table.columns if c.startswith("toy_nrmse_")]) == 10
    assert [c for c in table.columns if c.startswith("train_loss_")] == [
        f"train_loss_{i:06d}" for i in range(0, 300, 50)
    ]
    assert table["sample_rollout_000"].iloc[0].shape == (11, 1, 16)
    assert not any(c.startswith("aux_") for c in table.columns)
    assert not table["diverged"].any()


def test_training_learns_the_shift(result):
    """A 3-tap stencil can represent the exact one-cell shift, so the error must become tiny."""
    table, steppers = result
    losses = table[[c for c in table.columns if c.startswith("train_loss_")]].to_numpy()
    assert (losses[:, -1] < 1e-2 * losses[:, 0]).all()
    assert (table["toy_nrmse_0010"] < 0.05).all()
    weights = np.asarray(steppers.weight)  # (seeds, 1, 1, 3): the shift puts weight 1 on the left neighbour
    np.testing.assert_allclose(weights[:, 0, 0], np.tile([1.0, 0.0, 0.0], (3, 1)), atol=0.05)


def test_seeds_differ_but_are_reproducible(result, toy):
    table, _ = result
    again, _ = ToyAdvection(optim_config=OPTIM)(
        network_config="ToyStencil", train_config="one", num_seeds=3, progress=False
    )
    losses = [c for c in table.columns if c.startswith("train_loss_")]
    np.testing.assert_array_equal(table[losses].to_numpy(), again[losses].to_numpy())
    assert table["train_loss_000000"].nunique() == 3


def test_run_experiment_by_key_and_overrides(toy):
    table, _ = apebench.run_experiment(
        scenario="toy_adv",
        task="predict",
        net="ToyStencil;0.2",
        train="sup;2",
        start_seed=5,
        num_seeds=2,
        num_train_samples=4,
        progress=False,
    )
    assert list(table["seed"]) == [5, 6]
    assert table["scenario_kwargs"].iloc[0] == "{'num_train_samples': 4}"
    assert table["train"].iloc[0] == "sup;2"


def test_scenario_dict_and_family_namespace(toy):
    assert apebench.scenarios.scenario_dict["toy_adv"] is ToyAdvection
    assert "toy_adv" in list(apebench.scenarios.scenario_dict)
    # a third-party family gets its namespace from the spec's metadata, like the bundled ones
    assert apebench.scenarios.toy.ToyAdvection is ToyAdvection
    assert "toy" in apebench.scenarios.families() and dir(apebench.scenarios.toy) == ["ToyAdvection"]
    assert apebench.scenarios.difficulty.Advection is apebench.scenarios.scenario_dict["diff_adv"]
    with pytest.raises(AttributeError, match="available: ToyAdvection"):
        getattr(apebench.scenarios.toy, "Missing")  # noqa: B009
    with pytest.raises(AttributeError):
        getattr(apebench.scenarios, "no_such_family")  # noqa: B009


def test_correct_task_and_diverted_chain(toy):
    table, _ = ToyAdvection(optim_config="adam;100;constant;1e-2")(
        task_config="correct;sequential_with_bypass",
        network_config="ToyStencil",
        train_config="div;2",
        num_seeds=1,
        progress=False,
    )
    assert table["task"].iloc[0] == "correct;sequential_with_bypass"
    assert np.isfinite(table["toy_nrmse_0010"].iloc[0])


def test_perform_tests_on_external_rollout(toy):
    scene = ToyAdvection()
    exact = scene.get_test_data()[:, 1:]
    scores = scene.perform_tests_on_rollout(exact)
    assert scores["toy_nrmse"].shape == (1, 10)
    np.testing.assert_allclose(scores["toy_nrmse"], 0.0, atol=1e-6)
    wrong = scene.perform_tests_on_rollout(np.stack([exact, 0 * exact]))
    np.testing.assert_allclose(wrong["toy_nrmse"][1], 1.0, rtol=1e-5)


def test_data_generated_once_per_instance(toy):
    scene = ToyAdvection()
    assert scene.get_train_data() is scene.get_train_data()
    data = scene.get_train_data()
    assert data.shape == (8, 7, 1, 16)
    np.testing.assert_allclose(data[:, 1], np.roll(data[:, 0], 1, axis=-1), atol=1e-6)


def test_bad_configs_fail_before_training(toy):
    scene = ToyAdvection()
    with pytest.raises(apebench.ConfigError, match="num_rollout_steps"):
        scene(network_config="ToyStencil", train_config="sup;x", progress=False)
    with pytest.raises(apebench.UnknownComponentError, match="did you mean"):
        scene(network_config="ToyStencel", progress=False)


def test_a_diverging_seed_is_reported_and_does_not_poison_the_others(toy):
    scene = ToyAdvection(optim_config="adam;100;constant;3e-2")
    table, _ = scene(network_config="ToyBroken", num_seeds=6, progress=False)
    diverged = table["diverged"].to_numpy()
    assert diverged.any() and not diverged.all()
    losses = [c for c in table.columns if c.startswith(("train_loss_", "toy_nrmse_"))]
    for row in table.itertuples():
        alone, _ = scene(network_config="ToyBroken", start_seed=row.seed, num_seeds=1, progress=False)
        if row.diverged:
            assert alone["diverged"].iloc[0]
        else:
            np.testing.assert_allclose(
                table.loc[row.Index, losses].to_numpy(float), alone[losses].iloc[0], rtol=1e-4
            )


def test_bitwise_identical_across_processes(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "from apebench_core.testing import registered_plugin\n"
        "from apebench_toy import ToyAdvection, ToyPlugin\n"
        "with registered_plugin(ToyPlugin(), 'toy'):\n"
        "    t, _ = ToyAdvection()(network_config='ToyStencil', num_seeds=2, progress=False)\n"
        "np.save(sys.argv[1], t.filter(regex='train_loss_|toy_nrmse_').to_numpy())\n"
    )
    support = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "support")
    env = dict(__import__("os").environ, PYTHONPATH=support)
    for name in ("a.npy", "b.npy"):
        subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], check=True, env=env)
    a, b = np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy")
    assert a.tobytes() == b.tobytes()
