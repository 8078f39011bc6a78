"""The explorer driven by Streamlit's own test harness: every page and the widget combinations
that matter run without an exception, and bad inputs become messages on the page."""

import os
import subprocess
import sys

import pytest
from apebench_toy import ToyPlugin
from click.testing import CliRunner

from apebench_core.plugin import hookimpl
from apebench_core.testing import registered_plugin

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from apebench_core.explore import APP_PATH, model  # noqa: E402


def run_app(page="Scenarios", **query):
    app = AppTest.from_file(str(APP_PATH), default_timeout=300)
    app.query_params.update(query)
    app.run()
    if page != "Scenarios":
        app.sidebar.radio(key="page").set_value(page).run()
    return app


def assert_clean(app):
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]


def open_scenario(key, dims=None, **fields):
    """The Scenarios page on ``key``, in ``dims`` dimensions, with field texts typed in."""
    app = run_app(scenario=key)
    if dims is not None:
        app.sidebar.selectbox(key=f"{key}:num_spatial_dims").set_value(dims)
    for name, text in fields.items():
        app.text_input(key=f"{key}:{name}").set_value(text)
    return app.run()


def set_text(app, key, value):
    app.text_input(key=key).set_value(value).run()


def images(app):
    return app.get("image")


def test_1d_scenario_every_split_stepper_and_time():
    app = open_scenario(
        "diff_adv", num_points="32", num_train_samples="3", num_test_samples="3", test_temporal_horizon="12"
    )
    assert_clean(app)
    assert "train data generated in" in app.get("status")[0].proto.label  # the progress box, finished
    assert len(images(app)) == 4  # space-time, line, spectrum, spectrum evolution
    assert app.number_input(key="trajectory").max == 2  # the real number of trajectories
    for split in ("train", "test"):
        for stepper in ("reference", "coarse"):
            app.sidebar.radio(key="split").set_value(split)
            app.sidebar.radio(key="stepper").set_value(stepper).run()
            assert_clean(app)
            assert len(images(app)) == 4
    app.slider(key="time").set_value(3).run()
    app.number_input(key="trajectory").set_value(2).run()
    assert_clean(app)
    catalogue = app.table[0].value  # every registered scenario, by family, with its description
    assert {"diff_adv", "norm_ks", "phy_gs"} <= set(catalogue["scenario"])
    assert set(catalogue["family"]) >= {"difficulty", "normalized", "physical"}
    assert "drawn in" in app.caption[-1].value
    table = app.table[-1].value
    assert "N (points per axis)" in table["quantity"].tolist() and "32" in table["value"].tolist()
    assert "difficulties gamma" in table["quantity"].tolist()


def test_2d_scenario_with_time_slider_and_play():
    app = open_scenario(
        "diff_adv", 2, num_points="16", num_train_samples="2", num_test_samples="2", test_temporal_horizon="6"
    )
    assert_clean(app)
    assert len(images(app)) == 3  # frame, spectrum, spectrum evolution
    app.slider(key="time").set_value(4).run()
    app.button(key="play").click().run()
    assert_clean(app)


def test_3d_scenario_slices_projection_and_channels():
    app = open_scenario(
        "diff_burgers",
        3,
        num_points="16",
        num_train_samples="2",
        train_temporal_horizon="3",
        num_test_samples="1",
        test_temporal_horizon="3",
    )
    assert_clean(app)
    assert len(images(app)) == 4  # slices, projection, two spectra
    assert list(app.selectbox(key="channel").options) == ["0", "1", "2"]  # Burgers: channels = dims
    app.selectbox(key="channel").set_value(2)
    app.slider(key="time").set_value(2).run()
    assert_clean(app)


def test_bad_field_values_are_messages_not_tracebacks():
    app = run_app(scenario="diff_adv")
    set_text(app, "diff_adv:num_points", "-3")
    assert not app.exception
    assert "num_points" in app.error[0].value and "-3" in app.error[0].value
    set_text(app, "diff_adv:num_points", "16")
    set_text(app, "diff_adv:vlim", "a, b")
    assert not app.exception and "vlim" in app.error[0].value
    set_text(app, "diff_adv:vlim", "-1.0, 1.0")
    set_text(app, "diff_adv:optim_config", "adam;0;constant;1e-3")  # checked as plan() checks it
    assert not app.exception and "optim_config" in app.error[0].value


def test_a_default_3d_scenario_too_large_for_memory_is_a_message():
    app = run_app(scenario="phy_unbal_adv")  # defined in 3D only; 160**3 points by default
    assert not app.exception and "GiB" in app.error[0].value and "num_points" in app.error[0].value


def test_a_scenario_from_an_in_process_plugin():
    with registered_plugin(ToyPlugin(), "toy"):
        assert "toy" in model.scenario_families()
        app = run_app(scenario="toy_adv")
        assert app.sidebar.selectbox(key="family").value == "toy"
        assert_clean(app)
        assert "toy_adv" in set(app.table[0].value["scenario"])
        assert len(images(app)) == 4
        app.sidebar.radio(key="stepper").set_value("coarse").run()
        assert_clean(app)


def test_results_page_with_a_complete_and_a_corrupt_experiment(study_folder):
    app = run_app("Results")
    assert not app.exception and app.info  # no folder yet: a hint
    set_text(app, "results_folder", str(study_folder))
    assert_clean(app)
    assert "1 experiment(s) incomplete or corrupt" in app.warning[0].value
    problems = app.dataframe[0].value
    assert len(problems) == 1 and "corrupt" in problems["problem"][0]
    assert len(app.multiselect(key="configs").value) == 2
    assert len(images(app)) == 3  # loss, metric rollout, sample rollout (prediction | reference | error)
    assert not any("reference unavailable" in c.value for c in app.caption)  # regenerated from the config
    median = app.dataframe[1].value
    assert len(median) == 2 and "mean_nRMSE @ 5" in median.columns
    pvalues = app.dataframe[2].value
    assert pvalues["is_best"].sum() == 1
    assert len(app.get("download_button")) == 4
    app.selectbox(key="rollout_row").set_value(app.selectbox(key="rollout_row").options[3])
    app.multiselect(key="horizons").set_value([1, 8])
    app.number_input(key="up_to").set_value(4).run()
    assert not app.exception and not app.error
    app.multiselect(key="configs").set_value([app.multiselect(key="configs").options[0]]).run()
    assert not app.exception and len(app.dataframe[1].value) == 1


def test_results_page_with_an_unknown_folder(tmp_path, monkeypatch):
    from apebench_core.explore import RESULTS_ENV

    monkeypatch.setenv(RESULTS_ENV, str(tmp_path / "given"))  # as `apebench explore RESULTS_DIR` sets it
    app = run_app("Results")
    assert not app.exception and "given" in app.error[0].value
    set_text(app, "results_folder", str(tmp_path / "nowhere"))
    assert not app.exception and "nowhere" in app.error[0].value
    set_text(app, "results_folder", str(tmp_path))  # a folder, but not a study
    assert not app.exception and "not a study results folder" in app.error[0].value


class BrokenHooks:
    @hookimpl
    def apebench_metrics(self):
        raise RuntimeError("metrics hook on fire")


def test_components_page_lists_components_and_a_failed_plugin(monkeypatch):
    monkeypatch.setenv("APEBENCH_STRICT_PLUGINS", "0")
    with registered_plugin(BrokenHooks(), "broken"), pytest.warns(UserWarning):
        app = run_app("Components")
        assert not app.exception
        catalogue = app.dataframe[0].value
        assert {"Conv", "sup", "diff_adv"} <= set(catalogue["name"])
        assert "broken" in app.error[0].value and "metrics hook on fire" in app.error[0].value
        plugins = app.dataframe[1].value
        assert plugins.set_index("plugin").loc["broken", "status"] == "failed"
        set_text(app, "component_query", "warmup")
        names = set(app.dataframe[0].value["name"])
        assert "warmup_cosine" in names and "Conv" not in names
        app.multiselect(key="component_kinds").set_value(["optimizer"]).run()
        assert app.dataframe[0].value.empty  # warmup_cosine is a schedule
        app.text_input(key="component_query").set_value("")
        app.multiselect(key="component_kinds").set_value(["optimizer", "schedule"]).run()
        assert set(app.dataframe[0].value["kind"]) == {"optimizer", "schedule"}


def test_component_rows_carry_usage_fields_and_plugin():
    rows = {row["name"]: row for row in model.component_rows("Conv")}
    assert rows["Conv"]["usage"].startswith("Conv;") and rows["Conv"]["plugin"] == "nets"
    assert "hidden_channels" in rows["Conv"]["fields"]


def test_power_spectrum_of_a_single_mode():
    import numpy as np

    x = np.arange(32) * 2 * np.pi / 32
    k, power = model.power_spectrum(np.sin(3 * x))  # modes +-3 with amplitude 1/2 each
    assert k[0] == 1 and np.isclose(power[k == 3][0], 0.25) and np.isclose(power.sum(), 0.25)
    k, power = model.power_spectrum(np.sin(3 * x)[:, None] * np.ones((1, 32)))  # shell |k| = 3, averaged
    assert k[np.argmax(power)] == 3


def test_explore_without_streamlit_is_one_error_line(monkeypatch):
    import importlib.util

    from apebench_core.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "streamlit" else real(name, *a)
    )
    result = CliRunner().invoke(main, ["explore"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: apebench explore needs Streamlit: pip install 'apebench-core[explore]'"
    ]


def test_listing_imports_neither_streamlit_nor_the_explorer():
    code = (
        "import sys; from apebench_core.cli import main; "
        "print(any(m.startswith(('streamlit', 'apebench_core.explore')) for m in sys.modules))"
    )
    env = dict(os.environ, APEBENCH_DISABLE_PLUGIN_AUTOLOAD="1")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"


def test_results_page_shows_2d_sample_rollouts_as_frames(study_folder_2d):
    app = run_app("Results")
    set_text(app, "results_folder", str(study_folder_2d))
    assert_clean(app)
    assert len(images(app)) == 3
    app.slider(key="rollout_time").set_value(8).run()
    assert_clean(app)
    assert not any("reference unavailable" in c.value for c in app.caption)
