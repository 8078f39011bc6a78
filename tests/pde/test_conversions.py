"""Coefficient conversions: hand-computed values and round trips (physical <-> normalized <->
difficulty), the formulas of the reference's generic steppers."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from apebench_pde import conversions as cv

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


def test_hand_computed_values():
    # diff_adv in 1D at N = 160: alpha_1 = gamma_1 / (N 2^0 D) = -4 / 160
    assert cv.linear_from_difficulties((0.0, -4.0), num_spatial_dims=1, num_points=160) == pytest.approx(
        (0.0, -0.025)
    )
    # gamma_j = alpha_j N^j 2^(j-1) D: alpha_4 = -3e-9 at N = 160, D = 2 -> -3e-9 * 160^4 * 8 * 2
    gammas = cv.linear_difficulties((0.5, 0, 0, 0, -3e-9), num_spatial_dims=2, num_points=160)
    assert gammas == pytest.approx((0.5, 0, 0, 0, -3e-9 * 160**4 * 16))
    # KS: L = 60, dt = 0.5: a_2 = -1 -> alpha_2 = -0.5 / 3600, b_gradnorm = -1 -> -0.5 / 3600
    assert cv.normalize_linear((0, 0, -1.0), domain_extent=60.0, dt=0.5)[2] == pytest.approx(-0.5 / 3600)
    assert cv.normalize_gradient_norm(-1.0, domain_extent=60.0, dt=0.5) == pytest.approx(-0.5 / 3600)
    assert cv.normalize_convection(-6.0, domain_extent=50.0, dt=0.1) == pytest.approx(-0.012)
    assert cv.normalize_polynomial((0.0, 2.0, -20.0), dt=1e-3) == pytest.approx((0.0, 2e-3, -0.02))
    # delta_conv = beta M N D, delta_gradnorm = beta M N^2 D (M = 1)
    assert cv.convection_difficulty(-1.25e-2, num_spatial_dims=1, num_points=160) == pytest.approx(-2.0)
    deltas = cv.nonlinear_difficulties((0.1, -0.0125, -2.5e-4), num_spatial_dims=1, num_points=160)
    assert deltas == pytest.approx((0.1, -2.0, -6.4))


@given(
    alphas=st.lists(finite, min_size=1, max_size=5),
    dims=st.integers(1, 3),
    points=st.integers(8, 256),
    extent=st.floats(0.1, 100.0),
    dt=st.floats(1e-4, 10.0),
)
def test_linear_round_trips(alphas, dims, points, extent, dt):
    gammas = cv.linear_difficulties(alphas, num_spatial_dims=dims, num_points=points)
    np.testing.assert_allclose(
        cv.linear_from_difficulties(gammas, num_spatial_dims=dims, num_points=points), alphas
    )
    physical = cv.denormalize_linear(alphas, domain_extent=extent, dt=dt)
    np.testing.assert_allclose(cv.normalize_linear(physical, domain_extent=extent, dt=dt), alphas, atol=1e-12)


@given(beta=finite, dims=st.integers(1, 3), points=st.integers(8, 256), extent=st.floats(0.1, 100.0))
def test_nonlinear_round_trips(beta, dims, points, extent):
    grid = dict(num_spatial_dims=dims, num_points=points)
    betas = (beta, 0.5 * beta, -beta)
    np.testing.assert_allclose(
        cv.nonlinear_from_difficulties(cv.nonlinear_difficulties(betas, **grid), **grid), betas
    )
    assert cv.convection_from_difficulty(cv.convection_difficulty(beta, **grid), **grid) == pytest.approx(
        beta
    )
    for forward, backward in [
        (cv.normalize_convection, cv.denormalize_convection),
        (cv.normalize_gradient_norm, cv.denormalize_gradient_norm),
    ]:
        assert forward(
            backward(beta, domain_extent=extent, dt=0.3), domain_extent=extent, dt=0.3
        ) == pytest.approx(beta)
    assert cv.normalize_polynomial(cv.denormalize_polynomial(betas, dt=0.3), dt=0.3) == pytest.approx(betas)


def test_normalized_means_unit_domain_and_step():
    alphas = (0.1, -0.2, 0.3, 4e-4, -5e-5)
    assert cv.denormalize_linear(alphas, domain_extent=1.0, dt=1.0) == pytest.approx(alphas)
    assert cv.normalize_convection(-0.7, domain_extent=1.0, dt=1.0) == -0.7
