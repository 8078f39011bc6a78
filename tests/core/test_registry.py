"""Registry: lookups, collisions, isolation of broken plugins, switches."""

import warnings

import pytest

from apebench_core import (
    AmbiguousComponentError,
    ComponentSpec,
    PluginLoadError,
    UnknownComponentError,
    hookimpl,
)
from apebench_core._registry import PluginWarning, Registry
from apebench_core.testing import registered_plugin


def _plugin(*names, kind="metric"):
    class Plugin:
        @hookimpl
        def apebench_metrics(self):
            return [
                ComponentSpec(kind, name, "builtins:len", f"metric {name}", aliases=("alias_" + name,))
                for name in names
            ]

    return Plugin()


class Broken:
    @hookimpl
    def apebench_metrics(self):
        raise RuntimeError("boom")


class Misspelled:
    @hookimpl
    def apebench_metricz(self):
        return []


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setenv("APEBENCH_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("APEBENCH_STRICT_PLUGINS", raising=False)
    return Registry()


def test_case_insensitive_and_aliases(registry):
    registry.register(_plugin("mean_nRMSE"), "a")
    assert registry.get("metric", "MEAN_nrmse").name == "mean_nRMSE"
    assert registry.get("metric", "alias_mean_nrmse").name == "mean_nRMSE"
    assert registry.get("metric", "a/mean_nRMSE").plugin == "a"


def test_glob_listing(registry):
    registry.register(_plugin("mean_nRMSE", "mean_MAE", "other"), "a")
    assert [s.name for s in registry.specs("metric", "mean_*")] == ["mean_MAE", "mean_nRMSE"]


def test_collision_keeps_both_and_fails_only_on_bare_use(registry):
    registry.register(_plugin("x"), "first")
    registry.register(_plugin("x"), "second")
    assert len(registry.specs("metric")) == 2
    assert "x" in registry.clashes("metric")
    with pytest.raises(AmbiguousComponentError, match="first/x.*second/x"):
        registry.get("metric", "x")
    assert registry.get("metric", "second/X").plugin == "second"


def test_unknown_kind_and_plugin(registry):
    with pytest.raises(UnknownComponentError, match="kinds are"):
        registry.specs("metricz")
    registry.register(_plugin("x"), "a")
    with pytest.raises(UnknownComponentError, match="from plugin 'b'"):
        registry.get("metric", "b/x")


def test_failing_hook_is_isolated_with_one_warning(registry):
    registry.register(_plugin("good"), "good")
    registry.register(Broken(), "broken")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert [s.name for s in registry.specs("metric")] == ["good"]
        registry.specs("metric")
    assert len([w for w in caught if issubclass(w.category, PluginWarning)]) == 1
    info = {p.name: p for p in registry.plugins()}
    assert info["broken"].status == "failed" and "boom" in info["broken"].error
    assert info["broken"].errors == ["apebench_metrics: RuntimeError: boom"]
    assert info["good"].status == "active"


class HalfBroken:
    """One healthy hook, two broken ones: only the broken hooks' components are lost."""

    @hookimpl
    def apebench_metrics(self):
        return [ComponentSpec("metric", "healthy", "builtins:len")]

    @hookimpl
    def apebench_activations(self):
        raise RuntimeError("activation hook broke")

    @hookimpl
    def apebench_trainers(self):
        return None


def test_a_raising_hook_drops_only_its_own_components(registry):
    registry.register(HalfBroken(), "half")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert [s.name for s in registry.specs("metric")] == ["healthy"]
    info = {p.name: p for p in registry.plugins()}["half"]
    assert info.status == "degraded"
    assert info.errors == [
        "apebench_activations: RuntimeError: activation hook broke",
        "apebench_trainers: TypeError: returned None; "
        "a hook returns a list of ComponentSpec of kind 'trainer'",
    ]
    assert len([w for w in caught if issubclass(w.category, PluginWarning)]) == 2
    assert "apebench_activations" in str(caught[0].message)


@pytest.mark.parametrize(
    ("returned", "said"),
    [
        (None, "returned None"),
        (ComponentSpec("metric", "bare", "builtins:len"), "returned one ComponentSpec ('bare'), not a list"),
        ("mean_MAE", "returned str, not a list"),
        ([ComponentSpec("metric", "ok", "builtins:len"), 3], "holding int 3"),
    ],
)
def test_a_wrong_hook_answer_is_reported_as_what_it_is(registry, returned, said):
    class Odd:
        @hookimpl
        def apebench_metrics(self):
            return returned

    registry.register(Odd(), "odd")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert registry.specs("metric") == []
        info = {p.name: p for p in registry.plugins()}["odd"]
    assert said in info.error and info.error.startswith("apebench_metrics:")


def test_a_plugin_for_another_api_version_is_skipped_with_a_warning(registry):
    class Future:
        apebench_api = "3.1"

        @hookimpl
        def apebench_metrics(self):
            return [ComponentSpec("metric", "future", "builtins:len")]

    class Current:
        apebench_api = "2"

        @hookimpl
        def apebench_metrics(self):
            return [ComponentSpec("metric", "current", "builtins:len")]

    registry.register(Future(), "future")
    registry.register(Current(), "current")
    with pytest.warns(PluginWarning, match="plugin API 3.1"):
        assert [s.name for s in registry.specs("metric")] == ["current"]
    info = {p.name: p for p in registry.plugins()}
    assert info["future"].status == "incompatible" and info["current"].api == "2"


def test_strict_mode_raises(registry, monkeypatch):
    monkeypatch.setenv("APEBENCH_STRICT_PLUGINS", "1")
    registry.register(Broken(), "broken")
    with pytest.raises(PluginLoadError, match="boom"):
        registry.specs("metric")


def test_misspelled_hook_is_a_failure(registry):
    registry.register(Misspelled(), "typo")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        info = {p.name: p for p in registry.plugins()}
    assert info["typo"].status == "failed" and "apebench_metricz" in info["typo"].error


def test_wrong_kind_is_a_failure(registry):
    class Wrong:
        @hookimpl
        def apebench_metrics(self):
            return [ComponentSpec("activation", "relu", "builtins:len")]

    registry.register(Wrong(), "wrong")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert registry.specs("metric") == [] and registry.specs("activation") == []


def test_registered_plugin_helper_resets(monkeypatch):
    monkeypatch.setenv("APEBENCH_DISABLE_PLUGIN_AUTOLOAD", "1")
    registry = Registry()
    with registered_plugin(_plugin("temp"), "temp", registry=registry):
        assert registry.get("metric", "temp").plugin == "temp"
    with pytest.raises(UnknownComponentError):
        registry.get("metric", "temp")


def test_block_and_only_switches(monkeypatch):
    monkeypatch.delenv("APEBENCH_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.setenv("APEBENCH_BLOCK_PLUGINS", "nets")
    status = {p.name: p.status for p in Registry().plugins()}
    assert status["nets"] == "disabled" and status["pde"] == "active"
    monkeypatch.delenv("APEBENCH_BLOCK_PLUGINS")
    monkeypatch.setenv("APEBENCH_PLUGINS", "training")
    status = {p.name: p.status for p in Registry().plugins()}
    assert status["training"] == "active" and status["pde"] == "disabled"
    assert Registry().specs("architecture") == []


def test_bundled_plugins_load_from_entry_points(monkeypatch):
    monkeypatch.setenv("APEBENCH_STRICT_PLUGINS", "1")
    infos = {p.name: p for p in Registry().plugins()}
    for name in ("pde", "nets", "training", "metrics"):
        assert infos[name].status == "active"
        assert infos[name].distribution == "apebench-core"
        assert infos[name].version


def test_changing_a_switch_reloads(monkeypatch):
    monkeypatch.delenv("APEBENCH_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    registry = Registry()
    assert registry.specs("trainer")
    monkeypatch.setenv("APEBENCH_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert registry.specs("trainer") == []
    monkeypatch.delenv("APEBENCH_DISABLE_PLUGIN_AUTOLOAD")
    assert registry.specs("trainer")
