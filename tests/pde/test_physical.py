"""The physical scenario family: keys, names, defaults, validation, and agreement with the
normalized family and with steppers built directly in physical units."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import apebench_core as apebench
from apebench_pde import conversions
from apebench_pde.etdrk import Convection, GeneralNonlinear, rollout, semi_linear_stepper

SPECS = {spec.name: spec for spec in apebench.list_components("scenario") if spec.plugin == "pde"}
PHY_KEYS = [k for k in SPECS if k.startswith("phy_")]


def test_all_28_physical_keys_and_60_in_total():
    """APEBench's 60 keys (16 difficulty, 16 normalized, 28 physical), plus `dataset` (files)."""
    assert len(PHY_KEYS) == 28
    families = [SPECS[k].metadata.get("family") for k in SPECS if k != "dataset"]
    assert len(families) == 60 and set(families) == {"difficulty", "normalized", "physical"}
    assert "dataset" in SPECS
    assert all(SPECS[k].metadata["family"] == "physical" for k in PHY_KEYS)
    assert apebench.scenarios.physical.KolmogorovFlow is apebench.scenarios.scenario_dict["phy_kolm_flow"]


@pytest.mark.parametrize(
    "key, dims, overrides, name",
    [
        ("phy_lin", 1, {}, "1d_phy_lin_1"),
        ("phy_lin", 2, {"a_coefs": (0.0, 0.0, 0.01, 0.0, -1e-5)}, "2d_phy_lin_2_4"),
        ("phy_lin_simple", 1, {"linear_term_order": 3}, "1d_phy_lin_3"),
        ("phy_adv", 1, {}, "1d_phy_adv"),
        ("phy_disp", 1, {}, "1d_phy_disp"),
        ("phy_hyp_diff", 3, {}, "3d_phy_hyp_diff"),
        ("phy_conv", 2, {}, "2d_phy_conv_2"),
        ("phy_burgers", 2, {}, "2d_phy_burgers"),  # the anchor returned None here
        ("phy_ks_cons", 1, {}, "1d_phy_ks_conservative"),
        ("phy_kdv", 1, {}, "1d_phy_kdv"),
        ("phy_poly", 1, {}, "1d_phy_poly"),
        ("phy_fisher", 2, {}, "2d_phy_fisher"),
        ("phy_poisson", 1, {}, "1d_phy_poisson_order2"),
        ("phy_sh", 2, {}, "2d_phy_sh"),
        ("phy_gs", 2, {}, "2d_phy_gs"),
        ("phy_gs_type", 3, {"pattern_type": "kappa"}, "3d_phy_gs_kappa"),
        ("phy_decay_turb", 2, {}, "2d_phy_decay_turb"),
        ("phy_kolm_flow", 2, {}, "2d_phy_kolm_flow"),
        ("phy_unbal_adv", 3, {}, "3d_phy_unbal_adv"),
        ("phy_diag_diff", 2, {}, "2d_phy_diag_diff"),
        ("phy_aniso_diff", 2, {}, "2d_phy_aniso_diff"),
        ("phy_mix_disp", 3, {}, "3d_phy_mix_disp"),
        ("phy_mix_hyp", 2, {}, "2d_phy_mix_hyp"),
    ],
)
def test_scenario_names(key, dims, overrides, name):
    assert apebench.build("scenario", key, num_spatial_dims=dims, **overrides).get_scenario_name() == name


def test_defaults_of_the_inventory():
    physical = apebench.scenarios.physical
    assert (physical.Advection().domain_extent, physical.Advection().dt) == (1.0, 0.1)
    assert physical.Advection().a_coefs == (0.0, -0.25, 0.0, 0.0, 0.0)
    disp = physical.Dispersion()
    assert (disp.dispersion_coef, disp.dt) == (2.5e-4, 1e-3)  # spelled correctly
    assert physical.FirstFour().a_coefs == (0.0, -2500.0, 80.0, 0.025, -7.5e-5)
    ks = physical.KuramotoSivashinsky()
    assert (ks.domain_extent, ks.b_coefs, ks.a_coefs[2], ks.a_coefs[4]) == (
        60.0,
        (0.0, 0.0, -1.0),
        -1.0,
        -1.0,
    )
    assert (ks.num_warmup_steps, ks.vlim, ks.report_metrics) == (
        500,
        (-6.5, 6.5),
        "mean_nRMSE,mean_correlation",
    )
    kdv = physical.KortewegDeVries()
    assert (kdv.domain_extent, kdv.b_coefs, kdv.a_coefs) == (50.0, (0.0, -6.0, 0.0), (0, 0, 0, -1.0, -0.125))
    kolm = physical.KolmogorovFlow(num_spatial_dims=2)
    assert (kolm.domain_extent, kolm.diffusivity, kolm.drag, kolm.num_substeps) == (2 * np.pi, 1e-2, -0.1, 20)
    assert (kolm.injection_mode, kolm.num_warmup_steps, kolm.vlim) == (4, 500, (-10.0, 10.0))
    gs = physical.GrayScott(num_spatial_dims=2)
    assert (gs.dt, gs.num_substeps, gs.feed_rate, gs.kill_rate, gs.num_channels) == (10.0, 10, 0.04, 0.06, 2)
    gs_type = physical.GrayScottType(num_spatial_dims=2)
    assert (gs_type.domain_extent, gs_type.dt, gs_type.num_substeps, gs_type.pattern_type) == (
        2.5,
        20.0,
        20,
        "theta",
    )
    sh = physical.SwiftHohenberg(num_spatial_dims=2)
    assert (sh.domain_extent, sh.num_substeps, sh.reactivity) == (10 * np.pi, 5, 0.7)
    assert physical.FisherKPP().ic_config == "clamp;0.0;1.0;fourier;5;false;false"
    poisson = physical.Poisson()
    assert (poisson.domain_extent, poisson.train_temporal_horizon, poisson.test_temporal_horizon) == (
        10.0,
        1,
        1,
    )


def test_channel_rules():
    assert apebench.build("scenario", "phy_burgers", num_spatial_dims=3).num_channels == 3
    assert apebench.build("scenario", "phy_burgers_sc", num_spatial_dims=3).num_channels == 1
    assert apebench.build("scenario", "phy_gs", num_spatial_dims=3, num_channels=1).num_channels == 2


def test_pearson_types():
    from apebench_pde.etdrk.reaction import PEARSON_TYPES

    assert len(PEARSON_TYPES) == 12
    assert PEARSON_TYPES["theta"] == (0.04, 0.06) and PEARSON_TYPES["iota"] == (0.05, 0.0605)
    for pattern in PEARSON_TYPES:
        scene = apebench.build("scenario", "phy_gs_type", num_spatial_dims=2, pattern_type=pattern)
        assert scene.feed_and_kill() == PEARSON_TYPES[pattern]
    with pytest.raises(ValueError, match="pattern type"):
        apebench.build("scenario", "phy_gs_type", num_spatial_dims=2, pattern_type="omega")


@pytest.mark.parametrize(
    "key, overrides, message",
    [
        ("phy_unbal_adv", {"num_spatial_dims": 2}, "one entry per spatial dimension"),
        ("phy_diag_diff", {"num_spatial_dims": 3}, "one entry per spatial dimension"),
        ("phy_aniso_diff", {"num_spatial_dims": 3}, "3x3"),
        (
            "phy_aniso_diff",
            {"num_spatial_dims": 2, "diffusion_coef_matrix": ((1e-3, 0), (0, -1e-3))},
            "definite",
        ),
        ("phy_sh", {"num_spatial_dims": 1}, "2D, 3D only"),
        ("phy_gs", {"num_spatial_dims": 1}, "2D, 3D only"),
        ("phy_kolm_flow", {"num_spatial_dims": 3}, "2D only"),
        ("phy_decay_turb", {"num_spatial_dims": 1}, "2D only"),
        ("phy_ks_cons", {"num_spatial_dims": 2}, "1D"),
        ("phy_poisson", {"test_temporal_horizon": 5}, "must be 1"),
    ],
)
def test_invalid_configurations_are_explained(key, overrides, message):
    with pytest.raises(ValueError, match=message):
        apebench.build("scenario", key, **overrides)


def test_poisson_has_no_correction_task():
    scene = apebench.build("scenario", "phy_poisson")
    scene.get_task("predict")  # fine
    with pytest.raises(NotImplementedError, match="no coarse stepper.*predict"):
        scene.get_task("correct;parallel")


# -- agreement with the normalized family ------------------------------------------------------
def _same_trajectory(first, second, *, num_steps=5, seed=0, atol=2e-5):
    u0 = first.get_ic_generator()(key=jax.random.PRNGKey(seed))
    a = rollout(first.get_ref_stepper(), u0, num_steps)
    b = rollout(second.get_ref_stepper(), u0, num_steps)
    assert np.isfinite(np.asarray(a)).all()
    scale = float(jnp.max(jnp.abs(a)))
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=atol * max(scale, 1.0))


L, DT = 2.5, 0.3  # not the defaults: the conversion must do the work


def _alphas(a):
    return conversions.normalize_linear(a, domain_extent=L, dt=DT)


LINEAR_PAIRS = [
    ("phy_adv", {"advection_coef": -0.4}, "norm_adv", lambda al: {"advection_alpha": al[1]}),
    ("phy_diff", {"diffusion_coef": 0.05}, "norm_diff", lambda al: {"diffusion_alpha": al[2]}),
    (
        "phy_adv_diff",
        {"advection_coef": -0.4, "diffusion_coef": 0.05},
        "norm_adv_diff",
        lambda al: {"advection_alpha": al[1], "diffusion_alpha": al[2]},
    ),
    ("phy_disp", {"dispersion_coef": 0.02}, "norm_disp", lambda al: {"dispersion_alpha": al[3]}),
    (
        "phy_hyp_diff",
        {"hyper_diffusion_coef": -2e-3},
        "norm_hypdiff",
        lambda al: {"hyp_diffusion_alpha": al[4]},
    ),
    ("phy_lin", {"a_coefs": (0.1, -0.4, 0.05, 0.0, -1e-3)}, "norm_lin", lambda al: {"alphas": al}),
]


@pytest.mark.parametrize(
    "phy_key, phy_kwargs, norm_key, norm_kwargs", LINEAR_PAIRS, ids=[p[0] for p in LINEAR_PAIRS]
)
@pytest.mark.parametrize("dims", [1, 2])
def test_linear_scenarios_equal_their_normalized_counterpart(
    phy_key, phy_kwargs, norm_key, norm_kwargs, dims
):
    grid = dict(num_spatial_dims=dims, num_points={1: 32, 2: 16}[dims])
    phy = apebench.build("scenario", phy_key, domain_extent=L, dt=DT, **phy_kwargs, **grid)
    norm = apebench.build("scenario", norm_key, **norm_kwargs(_alphas(phy.a_coefs)), **grid)
    _same_trajectory(phy, norm)


def test_default_physical_advection_is_default_normalized_advection():
    """phy_adv (a_1 = -0.25, L = 1, dt = 0.1) is norm_adv (alpha_1 = -0.025), and so diff_adv at N = 160."""
    _same_trajectory(apebench.build("scenario", "phy_adv"), apebench.build("scenario", "norm_adv"))


def _beta_conv(b):
    return conversions.normalize_convection(b, domain_extent=L, dt=DT)


NONLINEAR_PAIRS = [
    (
        "phy_burgers",
        2,
        {"convection_coef": -0.5, "diffusion_coef": 0.01},
        "norm_burgers",
        lambda p: {"convection_beta": _beta_conv(-0.5), "diffusion_alpha": _alphas(p.a_coefs)[2]},
    ),
    (
        "phy_conv",
        2,
        {"convection_coef": -0.5, "a_coefs": (0.0, 0.0, 0.01, 0.0, -1e-4)},
        "norm_conv",
        lambda p: {"convection_beta": _beta_conv(-0.5), "alphas": _alphas(p.a_coefs)},
    ),
    (
        "phy_ks_cons",
        1,
        {"domain_extent": 30.0, "dt": 0.1},
        "norm_ks_cons",
        lambda p: {
            "convection_beta": conversions.normalize_convection(-3.6, domain_extent=30.0, dt=0.1),
            "diffusion_alpha": conversions.normalize_linear(p.a_coefs, domain_extent=30.0, dt=0.1)[2],
            "hyp_diffusion_alpha": conversions.normalize_linear(p.a_coefs, domain_extent=30.0, dt=0.1)[4],
        },
    ),
    (
        "phy_burgers_sc",
        2,
        {"convection_sc_coef": -0.5, "diffusion_coef": 0.01},
        "norm_burgers_sc",
        lambda p: {"convection_sc_beta": _beta_conv(-0.5), "diffusion_alpha": _alphas(p.a_coefs)[2]},
    ),
    (
        "phy_kdv",
        1,
        {"domain_extent": 20.0, "dt": 0.05},
        "norm_kdv",
        lambda p: {
            "convection_sc_beta": conversions.normalize_convection(-6.0, domain_extent=20.0, dt=0.05),
            "dispersion_alpha": conversions.normalize_linear(p.a_coefs, domain_extent=20.0, dt=0.05)[3],
            "hyp_diffusion_alpha": conversions.normalize_linear(p.a_coefs, domain_extent=20.0, dt=0.05)[4],
        },
    ),
    (
        "phy_ks",
        2,
        {"domain_extent": 20.0, "dt": 0.1},
        "norm_ks",
        lambda p: {
            "gradient_norm_beta": conversions.normalize_gradient_norm(-1.0, domain_extent=20.0, dt=0.1),
            "diffusion_alpha": conversions.normalize_linear(p.a_coefs, domain_extent=20.0, dt=0.1)[2],
            "hyp_diffusion_alpha": conversions.normalize_linear(p.a_coefs, domain_extent=20.0, dt=0.1)[4],
        },
    ),
    (
        "phy_nonlin",
        1,
        {"b_coefs": (0.3, -0.5, -0.02), "a_coefs": (0.0, 0.0, 0.01, 0.0, -1e-4)},
        "norm_nonlin",
        lambda p: {
            "alphas": _alphas(p.a_coefs),
            "betas": (
                0.3 * DT,
                _beta_conv(-0.5),
                conversions.normalize_gradient_norm(-0.02, domain_extent=L, dt=DT),
            ),
        },
    ),
]


@pytest.mark.parametrize(
    "phy_key, dims, phy_kwargs, norm_key, norm_kwargs", NONLINEAR_PAIRS, ids=[p[0] for p in NONLINEAR_PAIRS]
)
def test_nonlinear_scenarios_equal_their_normalized_counterpart(
    phy_key, dims, phy_kwargs, norm_key, norm_kwargs
):
    grid = dict(num_spatial_dims=dims, num_points={1: 48, 2: 16}[dims], num_substeps=2)
    phy = apebench.build("scenario", phy_key, **{"domain_extent": L, "dt": DT, **phy_kwargs}, **grid)
    norm = apebench.build("scenario", norm_key, **norm_kwargs(phy), **grid)
    _same_trajectory(phy, norm)


def test_polynomial_reaction_equals_normalized_fisher():
    """phy_fisher (a physical polynomial term) is norm_fisher (the quadratic slot of the generic
    term): alpha_0 = 20 * 1e-3, alpha_2 = 0.004 * 1e-3, beta_0 = -20 * 1e-3; phy_poly too when
    given the same coefficients (its defaults are the normalized numbers read as physical ones)."""
    norm = apebench.build("scenario", "norm_fisher")
    _same_trajectory(apebench.build("scenario", "phy_fisher"), norm)
    poly = apebench.build("scenario", "phy_poly", a_coefs=(20.0, 0.0, 0.004), poly_coefs=(0.0, 0.0, -20.0))
    _same_trajectory(poly, norm)


def test_polynomial_cubic_term_on_a_constant_state():
    """Constant u under u_t = c3 u^3 (no linear part): u(t) = u0 / sqrt(1 - 2 c3 u0^2 t)."""
    scene = apebench.build(
        "scenario", "phy_poly", num_points=16, a_coefs=(0.0,), poly_coefs=(0, 0, 0, -2.0), dt=0.01, order=4
    )
    u = rollout(scene.get_ref_stepper(), jnp.full((1, 16), 0.8), 20)[-1]
    np.testing.assert_allclose(u, 0.8 / np.sqrt(1 + 4 * 0.64 * 0.2), rtol=1e-5)


def test_physical_kdv_equals_a_stepper_built_in_physical_units():
    """Conversion path vs. ETDRK with the physical L and dt directly (KdV: complex L and convection)."""
    scene = apebench.build("scenario", "phy_kdv", num_points=64)
    direct = semi_linear_stepper(
        1,
        50.0,
        64,
        0.1,
        linear_coefficients=scene.a_coefs,
        nonlinear=GeneralNonlinear((0.0, -6.0, 0.0), num_spatial_dims=1, domain_extent=50.0, num_points=64),
    )
    u0 = scene.get_ic_generator()(key=jax.random.PRNGKey(3))
    np.testing.assert_allclose(rollout(scene.get_ref_stepper(), u0, 10), rollout(direct, u0, 10), atol=2e-5)


def test_physical_burgers_2d_equals_a_stepper_built_in_physical_units():
    scene = apebench.build("scenario", "phy_burgers", num_spatial_dims=2, num_points=16, domain_extent=3.0)
    grid = dict(num_spatial_dims=2, domain_extent=3.0, num_points=16)
    direct = semi_linear_stepper(
        2,
        3.0,
        16,
        0.1,
        num_channels=2,
        linear_coefficients=scene.a_coefs,
        nonlinear=Convection(-0.125, **grid),
    )
    u0 = scene.get_ic_generator()(key=jax.random.PRNGKey(4))
    np.testing.assert_allclose(rollout(scene.get_ref_stepper(), u0, 5), rollout(direct, u0, 5), atol=2e-5)


def test_coarse_stepper_takes_a_proportion_of_dt():
    """Two coarse steps (dt / 2 each) of a linear problem are one reference step, exactly."""
    for key, dims in [("phy_adv_diff", 1), ("phy_aniso_diff", 2)]:
        scene = apebench.build("scenario", key, num_spatial_dims=dims, num_points=16)
        u0 = scene.get_ic_generator()(key=jax.random.PRNGKey(0))
        coarse = scene.get_coarse_stepper()
        np.testing.assert_allclose(coarse(coarse(u0)), scene.get_ref_stepper()(u0), atol=1e-5)


# -- special linear scenarios -----------------------------------------------------------------
def test_special_linear_reduce_to_isotropic_ones():
    grid = dict(num_spatial_dims=2, num_points=16)
    diff = apebench.build("scenario", "phy_diff", diffusion_coef=0.003, **grid)
    diag = apebench.build("scenario", "phy_diag_diff", diffusion_coef_vector=(0.003, 0.003), **grid)
    aniso = apebench.build(
        "scenario", "phy_aniso_diff", diffusion_coef_matrix=((0.003, 0.0), (0.0, 0.003)), **grid
    )
    _same_trajectory(diff, diag)
    _same_trajectory(diag, aniso)
    # the unbalanced advection's vector is a velocity: u_t + c . grad u = 0
    adv = apebench.build("scenario", "phy_adv", advection_coef=-0.03, **grid)
    unbal = apebench.build("scenario", "phy_unbal_adv", advection_coef_vector=(0.03, 0.03), **grid)
    _same_trajectory(adv, unbal)


def _plane_wave(N, L, m):
    x = np.arange(N) * L / N
    x0, x1 = np.meshgrid(x, x, indexing="ij")
    k = 2 * np.pi * np.asarray(m) / L
    return k, k[0] * x0 + k[1] * x1


def test_mixed_dispersion_and_hyper_diffusion_on_a_plane_wave():
    """exp(i k.x) under c (1 . grad) lap: phase speed c (k0 + k1) |k|^2; under c lap^2: exp(c |k|^4 t)."""
    N, L, m, steps = 16, 1.0, (2, 1), 4
    k, phase = _plane_wave(N, L, m)
    disp = apebench.build("scenario", "phy_mix_disp", num_spatial_dims=2, num_points=N, dt=0.01)
    u = rollout(disp.get_ref_stepper(), jnp.asarray(np.cos(phase)[None], jnp.float32), steps)[-1, 0]
    shift = 2.5e-4 * (k[0] + k[1]) * (k @ k) * steps * 0.01
    np.testing.assert_allclose(u, np.cos(phase - shift), atol=2e-5)
    hyp = apebench.build("scenario", "phy_mix_hyp", num_spatial_dims=2, num_points=N, dt=1e-3)
    u = rollout(hyp.get_ref_stepper(), jnp.asarray(np.cos(phase)[None], jnp.float32), steps)[-1, 0]
    decay = np.exp(-7.5e-5 * (k @ k) ** 2 * steps * 1e-3)
    assert 0.01 < decay < 0.99  # the test would see a wrong operator
    np.testing.assert_allclose(u, decay * np.cos(phase), atol=2e-5)


# -- data of every stable (key, dim) pair --------------------------------------------------------
def _stable_pairs():
    return [
        pytest.param(key, dims, id=f"{key}-{dims}d")
        for key in PHY_KEYS
        for dims in SPECS[key].metadata["stable_dims"]
    ]


def _reduced(key):
    if key == "phy_poisson":
        return dict(num_train_samples=2, num_test_samples=2)
    return dict(num_train_samples=2, train_temporal_horizon=3, num_test_samples=2, test_temporal_horizon=3)


@pytest.mark.parametrize("key, dims", _stable_pairs())
def test_finite_data_of_documented_shape(key, dims):
    num_points = {1: 32, 2: 16, 3: 8}[dims]
    scene = apebench.build("scenario", key, num_spatial_dims=dims, num_points=num_points, **_reduced(key))
    if scene.num_warmup_steps:
        scene = type(scene)(**{**scene.attribute_overrides(), "num_warmup_steps": 5})
    horizon = 1 if key == "phy_poisson" else 3
    for data in (scene.get_train_data(), scene.get_test_data()):
        assert data.shape == (2, horizon + 1, scene.num_channels) + (num_points,) * dims
        assert np.isfinite(np.asarray(data)).all()
    if key != "phy_poisson":
        assert np.isfinite(np.asarray(scene.get_test_data_coarse())).all()


@pytest.mark.slow
@pytest.mark.parametrize("key, dims", _stable_pairs())
def test_finite_data_at_full_size(key, dims):
    sizes = {"num_points": 32, "num_test_samples": 10} if dims == 3 else {}
    scene = apebench.build("scenario", key, num_spatial_dims=dims, **sizes)
    assert np.isfinite(np.asarray(scene.get_train_data())).all()
    assert np.isfinite(np.asarray(scene.get_test_data())).all()
