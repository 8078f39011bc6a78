"""Linear operators, nonlinear terms, de-aliasing and trajectory generation, each against a
closed-form value."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from apebench_pde.etdrk import (
    Convection,
    GeneralNonlinear,
    GradientNorm,
    Polynomial,
    dealiasing_mask,
    derivative_operator,
    diffusion_matrix_operator,
    generate_trajectories,
    gradient_inner_product,
    irfft,
    laplacian,
    linear_operator,
    repeat,
    rfft,
    semi_linear_stepper,
)


def coordinates(D, N, L):
    return np.meshgrid(*[np.arange(N) * L / N] * D, indexing="ij")


def mode_rate(operator, mode):
    """The operator's value at integer mode ``mode`` (rfft layout: last index non-negative)."""
    return operator[(0,) + tuple(m % operator.shape[1] for m in mode[:-1]) + (mode[-1],)]


# -- de-aliasing ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "N, fraction, kept",
    [(160, 2 / 3, 52), (48, 2 / 3, 15), (32, 1 / 2, 7), (33, 2 / 3, 9)],  # |m| <= f (N//2) - 1
)
def test_dealiasing_keeps_the_reference_band(N, fraction, kept):
    mask = np.asarray(dealiasing_mask(1, N, fraction))[0]
    assert mask[: kept + 1].all() and not mask[kept + 1 :].any()


def test_dealiasing_band_is_a_cube_in_2d():
    mask = np.asarray(dealiasing_mask(2, 16, 2 / 3))[0]  # keeps |m| <= 4.33
    assert mask[4, 4] and mask[-4, 4] and not mask[5, 0] and not mask[0, 5] and not mask[-5, 1]


# -- linear operators ---------------------------------------------------------------------------
def test_isotropic_orders_per_direction():
    """Order 4 is sum_d k_d^4 (no mixed terms), order 3 sum_d (i k_d)^3, order 0 sum_d (i k_d)^0 = D
    (APEBench's convention: a_0 acts as D a_0)."""
    derivative = derivative_operator(2, 2 * np.pi, 8)
    operator = linear_operator(derivative, (0.5, 0.0, 0.0, 2.0, 3.0))
    k = (1, 2)
    expected = 2 * 0.5 + 2.0 * ((1j) ** 3 + (2j) ** 3) + 3.0 * (1 + 16)
    np.testing.assert_allclose(mode_rate(operator, k), expected)
    squared_laplacian = laplacian(derivative) ** 2
    np.testing.assert_allclose(mode_rate(squared_laplacian, k), (1 + 4) ** 2)


def test_per_direction_coefficients_and_diffusion_matrix():
    derivative = derivative_operator(2, 1.0, 8)
    k1, k2 = 2 * np.pi * 1, 2 * np.pi * 3
    velocity = gradient_inner_product(derivative, (0.1, -0.4))
    np.testing.assert_allclose(mode_rate(velocity, (1, 3)), 1j * (0.1 * k1 - 0.4 * k2))
    A = ((0.01, 0.005), (0.005, 0.02))
    matrix = diffusion_matrix_operator(derivative, A)
    np.testing.assert_allclose(mode_rate(matrix, (1, 3)), -(0.01 * k1**2 + 0.01 * k1 * k2 + 0.02 * k2**2))
    diagonal = linear_operator(derivative, (0.0, 0.0, (0.01, 0.02)))
    np.testing.assert_allclose(diagonal, diffusion_matrix_operator(derivative, np.diag([0.01, 0.02])))
    with pytest.raises(ValueError, match="2x2"):
        diffusion_matrix_operator(derivative, np.eye(3))


def test_anisotropic_and_mixed_operators_give_the_exact_solution():
    """u_t = div(A grad u) + c (1 . grad) lap u for exp(i k.x): rate -k^T A k - i c (k1 + k2)|k|^2."""
    D, N, L, dt, steps = 2, 16, 2.0, 0.05, 8
    A, c = np.array([[0.01, 0.004], [0.004, 0.02]]), 2e-3
    derivative = derivative_operator(D, L, N)
    operator = diffusion_matrix_operator(derivative, A) + c * gradient_inner_product(
        derivative, 1.0
    ) * laplacian(derivative)
    step = semi_linear_stepper(D, L, N, dt, linear=operator, order=0)
    x, y = coordinates(D, N, L)
    k = 2 * np.pi * np.array([2, -3]) / L
    rate = -k @ A @ k - 1j * c * k.sum() * (k @ k)
    exact = lambda t: np.real(np.exp(rate * t + 1j * (k[0] * x + k[1] * y)))  # noqa: E731
    u = repeat(step, jnp.asarray(exact(0.0)[None], dtype=jnp.float32), steps)
    np.testing.assert_allclose(np.asarray(u[0]), exact(steps * dt), atol=2e-6)


# -- nonlinear terms ------------------------------------------------------------------------------
def evaluate(term, u):
    return np.asarray(
        irfft(term(rfft(jnp.asarray(u), term.num_spatial_dims)), term.num_spatial_dims, term.num_points)
    )


def test_convection_forms_on_a_divergence_free_field(x64):
    """u = (sin y, sin x) is divergence-free, so div(u (x) u) = (u . grad) u = (sin x cos y, cos x sin y).

    The conservative form carries the reference's factor 1/2 (exact for 1D Burgers), so in
    several dimensions it is half the non-conservative form on such a field.
    """
    grid = dict(num_spatial_dims=2, domain_extent=2 * np.pi, num_points=16)
    x, y = coordinates(2, 16, 2 * np.pi)
    u = np.stack([np.sin(y), np.sin(x)])
    advective = np.stack([np.sin(x) * np.cos(y), np.cos(x) * np.sin(y)])
    conservative = Convection(-1.5, conservative=True, **grid)
    np.testing.assert_allclose(evaluate(conservative, u), -1.5 * 0.5 * advective, atol=1e-12)
    non_conservative = Convection(-1.5, conservative=False, **grid)
    np.testing.assert_allclose(evaluate(non_conservative, u), -1.5 * advective, atol=1e-12)
    with pytest.raises(ValueError, match="2 channels"):
        Convection(1.0, **grid)(rfft(jnp.zeros((1, 16, 16)), 2))


def test_single_channel_convection_forms(x64):
    """u = sin(x + 2y): u (1 . grad) u = 1/2 (1 . grad) u^2 = 3/2 sin(2x + 4y)."""
    grid = dict(num_spatial_dims=2, domain_extent=2 * np.pi, num_points=16)
    x, y = coordinates(2, 16, 2 * np.pi)
    u = np.sin(x + 2 * y)[None]
    for conservative in (True, False):
        term = Convection(2.0, conservative=conservative, single_channel=True, **grid)
        np.testing.assert_allclose(evaluate(term, u), 3.0 * np.sin(2 * x + 4 * y)[None], atol=1e-12)


def test_gradient_norm_polynomial_and_general_combination(x64):
    """u = sin x: 1/2 u_x^2 = 1/4 + 1/4 cos 2x (mean removed), u^2 = 1/2 - 1/2 cos 2x,
    1/2 (u^2)_x = 1/2 sin 2x."""
    grid = dict(num_spatial_dims=1, domain_extent=2 * np.pi, num_points=32)
    x = np.arange(32) * 2 * np.pi / 32
    u = np.sin(x)[None]
    np.testing.assert_allclose(
        evaluate(GradientNorm(-2.0, **grid), u), -0.5 * np.cos(2 * x)[None], atol=1e-12
    )
    np.testing.assert_allclose(
        evaluate(Polynomial((1.0, 0.0, 2.0, -1.0), dealiasing_fraction=1 / 2, **grid), u),
        (1 + 2 * np.sin(x) ** 2 - np.sin(x) ** 3)[None],
        atol=1e-12,
    )
    b0, b1, b2 = 0.3, -1.0, 0.5
    combined = b0 * (0.5 - 0.5 * np.cos(2 * x)) + b1 * 0.5 * np.sin(2 * x) + b2 * 0.25 * np.cos(2 * x)
    np.testing.assert_allclose(
        evaluate(GeneralNonlinear((b0, b1, b2), **grid), u), combined[None], atol=1e-12
    )


def test_dealiasing_removes_high_modes_before_the_product(x64):
    """Mode 20 of N = 48 lies beyond the 2/3 band (|m| <= 15): it must not reach the product."""
    grid = dict(num_spatial_dims=1, domain_extent=2 * np.pi, num_points=48)
    x = np.arange(48) * 2 * np.pi / 48
    term = GeneralNonlinear((1.0, 0.0, 0.0), **grid)
    np.testing.assert_allclose(
        evaluate(term, (np.sin(x) + np.sin(20 * x))[None]), evaluate(term, np.sin(x)[None]), atol=1e-12
    )


def test_nonlinear_term_on_another_grid_is_refused():
    term = GeneralNonlinear((0.0, -1.0, 0.0), num_spatial_dims=1, domain_extent=1.0, num_points=32)
    with pytest.raises(ValueError, match="built for"):
        semi_linear_stepper(1, 1.0, 64, 0.1, linear_coefficients=(0, 0, 1e-3), nonlinear=term)


# -- trajectories --------------------------------------------------------------------------------
def test_generate_trajectories_warm_up_and_layout(x64):
    """diff_adv-like: gamma_1 = -4 on N = 32 is alpha_1 = -4 / 32; after warm-up w and t more
    steps, a single mode has moved by (w + t) * alpha_1 domain lengths (exact exponential)."""
    N, alpha = 32, -4 / 32
    step = semi_linear_stepper(1, 1.0, N, 1.0, linear_coefficients=(0.0, alpha), order=0)
    x = np.arange(N) / N
    phases = np.array([0.0, 0.7, 2.0])
    ics = jnp.asarray(np.sin(2 * np.pi * 3 * x[None, None] + phases[:, None, None]))
    trajectories = generate_trajectories(step, ics, num_warmup_steps=2, num_steps=4)
    assert trajectories.shape == (3, 5, 1, N) and trajectories.dtype == jnp.float64
    for t in range(5):
        # u_t = alpha u_x: profiles travel with speed -alpha
        shifted = np.sin(2 * np.pi * 3 * (x[None] + alpha * (2 + t)) + phases[:, None])
        np.testing.assert_allclose(np.asarray(trajectories[:, t, 0]), shifted, atol=1e-12)


def test_stepper_with_nonlinearity_survives_stop_gradient_vmap_and_jit():
    term = GeneralNonlinear((0.0, -1.0, 0.0), num_spatial_dims=1, domain_extent=1.0, num_points=16)
    step = semi_linear_stepper(1, 1.0, 16, 0.01, linear_coefficients=(0, 0, 1e-2), nonlinear=term, order=4)
    frozen = jax.lax.stop_gradient(step)
    u = jnp.sin(2 * jnp.pi * jnp.arange(16) / 16)[None].repeat(2, 0)[:, None]
    out = jax.jit(jax.vmap(frozen))(u)
    np.testing.assert_allclose(out, jax.vmap(step)(u), rtol=1e-6)
    assert jnp.isfinite(jax.grad(lambda v: jnp.sum(frozen(v) ** 2))(u[0])).all()
