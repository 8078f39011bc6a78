"""The plugin's registrations: names, fields, laziness."""

import subprocess
import sys

import pytest

import apebench_core as apebench

ANCHOR_NAMES = (
    [f"mean_{p}{e}" for p in ("", "n", "s") for e in ("MAE", "MSE", "RMSE")]
    + [f"mean_fourier_{p}{e}" for p in ("", "n") for e in ("MAE", "MSE", "RMSE")]
    + [f"mean_H1_{p}{e}" for p in ("", "n") for e in ("MAE", "MSE", "RMSE")]
    + ["mean_correlation"]
)
#: Beyond the anchor: the metrics of The Well and PDEBench, and L-infinity.
PEER_NAMES = [
    "mean_binned_spectral_MSE",
    "mean_binned_spectral_nMSE",
    "mean_fRMSE",
    "mean_cRMSE",
    "mean_Linf",
]


def test_plugin_module_never_imports_jax():
    code = "import sys, apebench_metrics._plugin; assert 'jax' not in sys.modules, 'jax imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_spec_names_a_metric_and_resolves():
    from apebench_metrics._plugin import METRIC_SPECS

    names = [spec.name for spec in METRIC_SPECS]
    assert sorted(names) == sorted([*ANCHOR_NAMES, "mean_VRMSE", *PEER_NAMES])
    for spec in METRIC_SPECS:
        assert spec.kind == "metric" and spec.summary
        assert callable(spec.load_factory())


@pytest.mark.parametrize(
    "config", [n for n in ANCHOR_NAMES if "fourier" not in n] + ["mean_VRMSE", "mean_fourier_nRMSE;0;5;0"]
)
def test_every_metric_builds_through_the_registry(config):
    assert callable(apebench.build("metric", config))


def test_fourier_fields_are_typed():
    parsed = apebench.parse_config("metric", "mean_fourier_nRMSE;1;5;0.5")
    assert (parsed["low"], parsed["high"], parsed["derivative_order"]) == (1, 5, 0.5)
    with pytest.raises(apebench.ConfigError):
        apebench.parse_config("metric", "mean_fourier_nRMSE;1.5;5;0")
