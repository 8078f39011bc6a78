"""The difficulty and normalized scenario families: keys, defaults, names, conversions, data."""

import numpy as np
import pytest

import apebench_core as apebench
from apebench_pde import conversions

SPECS = {spec.name: spec for spec in apebench.list_components("scenario") if spec.plugin == "pde"}
FAMILY_KEYS = [k for k in SPECS if k.startswith(("diff_", "norm_"))]


def test_all_32_keys_are_registered():
    assert len(FAMILY_KEYS) == 32
    assert {"diff_adv", "diff_ks", "norm_hypdiff", "norm_ks_cons", "diff_fisher"} <= set(FAMILY_KEYS)


@pytest.mark.parametrize(
    "key, dims, name",
    [
        ("diff_lin", 1, "1d_diff_linear_1"),
        ("diff_adv", 2, "2d_diff_adv"),
        ("diff_hyp_diff", 3, "3d_diff_hyp_diff"),
        ("diff_conv", 2, "2d_diff_conv_2"),
        ("diff_ks_cons", 1, "1d_diff_ks_cons"),
        ("norm_lin", 1, "1d_norm_lin_1"),
        ("norm_hypdiff", 1, "1d_norm_hyp_diff"),
        ("norm_burgers", 3, "3d_norm_burgers"),
        ("norm_fisher", 1, "1d_norm_fisher"),
    ],
)
def test_scenario_names(key, dims, name):
    assert apebench.build("scenario", key, num_spatial_dims=dims).get_scenario_name() == name


def test_seed_style_access_and_defaults():
    scene = apebench.scenarios.difficulty.Advection()
    assert apebench.scenarios.scenario_dict["diff_adv"] is type(scene)
    assert (scene.num_points, scene.num_train_samples, scene.test_temporal_horizon) == (160, 50, 200)
    assert scene.gammas == (0.0, -4.0, 0.0, 0.0, 0.0)
    assert apebench.scenarios.difficulty.Advection(advection_gamma=-2.0).gammas[1] == -2.0
    ks = apebench.scenarios.difficulty.KuramotoSivashinsky()
    assert (ks.num_warmup_steps, ks.vlim, ks.report_metrics) == (
        500,
        (-6.5, 6.5),
        "mean_nRMSE,mean_correlation",
    )
    assert apebench.scenarios.normalized.FisherKPP().ic_config == "clamp;0.0;1.0;fourier;5;false;false"


def test_channel_rules():
    assert apebench.build("scenario", "diff_burgers", num_spatial_dims=3).num_channels == 3
    assert apebench.build("scenario", "norm_conv", num_spatial_dims=2, num_channels=1).num_channels == 2
    assert apebench.build("scenario", "diff_burgers_sc", num_spatial_dims=3).num_channels == 1


def test_ks_cons_is_1d_only():
    with pytest.raises(ValueError, match="1D"):
        apebench.build("scenario", "diff_ks_cons", num_spatial_dims=2)


def test_norm_ks_cons_convects_with_convection_beta_as_apebench():
    """APEBench ignores convection_delta=-6e-3 and uses the inherited -1.25e-2 (finding 3); the
    same fields must give the same data, so the default is -1.25e-2 and convection_delta is unused."""
    terms = apebench.build("scenario", "norm_ks_cons").normalized_terms()
    assert terms.convection == pytest.approx(-1.25e-2)
    ignored = apebench.build("scenario", "norm_ks_cons", convection_delta=-1e-3).normalized_terms()
    assert ignored == terms
    changed = apebench.build("scenario", "norm_ks_cons", convection_beta=-1e-3).normalized_terms()
    assert changed.convection == pytest.approx(-1e-3)


def test_difficulty_conversion_by_hand():
    """gamma_1 = -4 on N = 160 in 1D: alpha_1 = -4 / 160; in 2D the gamma spreads over D."""
    alphas = apebench.build("scenario", "diff_adv").normalized_terms().alphas
    assert alphas[1] == pytest.approx(-0.025)
    alphas_2d = (
        apebench.build("scenario", "diff_diff", num_spatial_dims=2, num_points=32).normalized_terms().alphas
    )
    assert alphas_2d[2] == pytest.approx(4.0 / (32**2 * 2 * 2))
    burgers = apebench.build("scenario", "diff_burgers", num_spatial_dims=2, num_points=64).normalized_terms()
    assert burgers.convection == pytest.approx(-1.5 / (64 * 2))
    ks = apebench.build("scenario", "diff_ks").normalized_terms()
    assert ks.nonlinear[2] == pytest.approx(-6.0 / 160**2)


def test_difficulty_and_normalized_defaults_agree_where_the_paper_says_so():
    """diff_adv (gamma_1=-4, N=160) is norm_adv (alpha_1=-0.025)."""
    diff = apebench.build("scenario", "diff_adv").normalized_terms()
    norm = apebench.build("scenario", "norm_adv").normalized_terms()
    np.testing.assert_allclose(diff.alphas, norm.alphas)


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_conversions_round_trip(dims):
    alphas = (0.01, -0.02, 3e-5, 1e-7, -2e-9)
    gammas = conversions.linear_difficulties(alphas, num_spatial_dims=dims, num_points=48)
    back = conversions.linear_from_difficulties(gammas, num_spatial_dims=dims, num_points=48)
    np.testing.assert_allclose(back, alphas)
    physical = conversions.denormalize_linear(alphas, domain_extent=2.5, dt=0.1)
    np.testing.assert_allclose(conversions.normalize_linear(physical, domain_extent=2.5, dt=0.1), alphas)
    betas = (-0.02, -1e-2, -2e-4)
    deltas = conversions.nonlinear_difficulties(betas, num_spatial_dims=dims, num_points=48)
    assert deltas[1] == pytest.approx(-1e-2 * 48 * dims) and deltas[2] == pytest.approx(-2e-4 * 48**2 * dims)
    np.testing.assert_allclose(
        conversions.nonlinear_from_difficulties(deltas, num_spatial_dims=dims, num_points=48), betas
    )
    assert conversions.normalize_gradient_norm(-1.0, domain_extent=60.0, dt=0.5) == pytest.approx(-0.5 / 3600)
    assert conversions.normalize_convection(-6.0, domain_extent=50.0, dt=0.1) == pytest.approx(-0.012)


def _stable_pairs():
    return [
        pytest.param(key, dims, id=f"{key}-{dims}d")
        for key in FAMILY_KEYS
        for dims in SPECS[key].metadata["stable_dims"]
    ]


REDUCED = dict(num_train_samples=2, train_temporal_horizon=4, num_test_samples=2, test_temporal_horizon=4)


@pytest.mark.parametrize("key, dims", _stable_pairs())
def test_finite_data_of_documented_shape(key, dims):
    num_points = {1: 32, 2: 16, 3: 8}[dims]
    scene = apebench.build("scenario", key, num_spatial_dims=dims, num_points=num_points, **REDUCED)
    warmup = min(scene.num_warmup_steps, 20)
    scene = type(scene)(**{**scene.attribute_overrides(), "num_warmup_steps": warmup})
    train, test = scene.get_train_data(), scene.get_test_data()
    channels = scene.num_channels
    assert train.shape == (2, 5, channels) + (num_points,) * dims
    assert test.shape == (2, 5, channels) + (num_points,) * dims
    assert np.isfinite(np.asarray(train)).all() and np.isfinite(np.asarray(test)).all()
    assert np.isfinite(np.asarray(scene.get_test_data_coarse())).all()


@pytest.mark.slow
@pytest.mark.parametrize("key, dims", _stable_pairs())
def test_finite_data_at_full_size(key, dims):
    sizes = {"num_points": 32, "num_test_samples": 10} if dims == 3 else {}
    scene = apebench.build("scenario", key, num_spatial_dims=dims, **sizes)
    assert np.isfinite(np.asarray(scene.get_train_data())).all()
    assert np.isfinite(np.asarray(scene.get_test_data())).all()
