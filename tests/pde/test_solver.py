"""The ETDRK solver against mathematics: exact linear solutions, convergence orders,
invariants, Cole-Hopf and a KdV soliton. Float64 where precision matters."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from apebench_pde.etdrk import Convection, GeneralNonlinear, repeat, semi_linear_stepper


def grid(num_points, domain_extent):
    return np.arange(num_points) * domain_extent / num_points


def stepper(D, L, N, dt, coefficients, nonlinear=None, order=2, channels=1, substeps=1):
    return semi_linear_stepper(
        D,
        L,
        N,
        dt,
        num_channels=channels,
        linear_coefficients=coefficients,
        nonlinear=nonlinear,
        order=order,
        num_substeps=substeps,
    )


# -- linear problems: the exact exponential -------------------------------------------------
@pytest.mark.parametrize("D", [1, 2, 3])
def test_linear_matches_analytic_fourier_solution(D):
    """u_t = a1 sum_d u_x_d + a2 lap u + a3 sum_d u_xxx_d for a sum of three modes, computed by hand."""
    N, L, dt, steps = 16, 2.0, 0.05, 10
    a1, a2, a3 = -0.3, 0.01, 0.002
    coords = np.meshgrid(*[grid(N, L)] * D, indexing="ij")
    modes = [((1,) + (0,) * (D - 1), 1.0, 0.3), ((2,) * D, 0.5, 1.1), ((3,) + (1,) * (D - 1), 0.25, -0.7)]

    def exact(t):
        u = np.zeros((N,) * D)
        for m, amplitude, phase in modes:
            k = 2 * np.pi * np.asarray(m) / L
            # each mode: exp(i k.x) evolves with lambda = sum_d [a1 (i k_d) + a2 (i k_d)^2 + a3 (i k_d)^3]
            lam = sum(a1 * 1j * kd + a2 * (1j * kd) ** 2 + a3 * (1j * kd) ** 3 for kd in k)
            growth = np.exp(lam * t)
            phase_x = sum(kd * xd for kd, xd in zip(k, coords, strict=True)) + phase
            u += amplitude * np.real(growth * np.exp(1j * phase_x))
        return u

    step = stepper(D, L, N, dt, (0.0, a1, a2, a3), order=0)
    u = jnp.asarray(exact(0.0)[None], dtype=jnp.float32)
    u_end = np.asarray(repeat(step, u, steps))[0]
    np.testing.assert_allclose(u_end, exact(steps * dt), atol=2e-6)


@pytest.mark.parametrize("num_spatial_dims", [1, 2, 3])
def test_zero_order_term_acts_once_per_dimension(num_spatial_dims):
    """APEBench's convention (issue 16): the order-0 coefficient is summed over the D directions,
    so u_t = a0 u becomes u_t = D a0 u; one step of dt = 0.5 with a0 = 0.2 grows u by exp(0.1 D)."""
    step = stepper(num_spatial_dims, 1.0, 8, 0.5, (0.2,), order=0)
    u = jnp.ones((1,) + (8,) * num_spatial_dims)
    np.testing.assert_allclose(step(u), np.exp(0.1 * num_spatial_dims) * np.asarray(u), rtol=1e-6)


def test_order_zero_rejects_a_nonlinearity():
    nonlinear = GeneralNonlinear((0.0, -1.0, 0.0), num_spatial_dims=1, domain_extent=1.0, num_points=8)
    with pytest.raises(ValueError, match="order 0"):
        stepper(1, 1.0, 8, 0.1, (0, 0, 0.01), nonlinear, order=0)


def test_shape_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match="does not fit"):
        stepper(1, 1.0, 8, 0.1, (0, 1.0), order=0)(jnp.zeros((1, 16)))


# -- convergence orders -----------------------------------------------------------------------
def _order_estimates(make, u0, T, order, dts):
    reference = repeat(make(T / 2048, 4), u0, 2048)
    errors = []
    for n in dts:
        u = repeat(make(T / n, order), u0, n)
        errors.append(float(jnp.max(jnp.abs(u - reference))))
    return np.log2(np.asarray(errors[:-1]) / np.asarray(errors[1:])), errors


PROBLEMS = {
    # viscous Burgers u_t + u u_x = 0.1 u_xx
    "burgers": dict(L=2 * np.pi, N=64, T=1.0, lin=(0, 0, 0.1), nl=(0.0, -1.0, 0.0), u0=lambda x: np.sin(x)),
    # KdV u_t + 6 u u_x + u_xxx = 0 (odd derivative: complex L)
    "kdv": dict(
        L=2 * np.pi, N=32, T=0.05, lin=(0, 0, 0, -1.0), nl=(0.0, -6.0, 0.0), u0=lambda x: 0.5 * np.cos(x)
    ),
    # Kuramoto-Sivashinsky u_t + u_xx + u_xxxx + 1/2 u_x^2 = 0
    "ks": dict(
        L=32.0,
        N=64,
        T=2.0,
        lin=(0, 0, -1.0, 0, -1.0),
        nl=(0.0, 0.0, -1.0),
        u0=lambda x: np.cos(2 * np.pi * x / 32) * (1 + np.sin(2 * np.pi * x / 32)),
    ),
}


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_convergence_order(x64, problem, order):
    p = PROBLEMS[problem]
    nonlinear = GeneralNonlinear(p["nl"], num_spatial_dims=1, domain_extent=p["L"], num_points=p["N"])

    def make(dt, o):
        return stepper(1, p["L"], p["N"], dt, p["lin"], nonlinear, order=o)

    u0 = jnp.asarray(p["u0"](grid(p["N"], p["L"]))[None])
    rates, errors = _order_estimates(make, u0, p["T"], order, [8, 16, 32, 64])
    assert errors[-1] < errors[0]
    # the finest pair is in the asymptotic regime; coarser pairs may still be on their way
    assert abs(rates[-1] - order) < 0.3, (rates, errors)


# -- invariants and exact solutions ------------------------------------------------------------
@pytest.mark.parametrize("D", [1, 2])
def test_conservative_convection_keeps_the_mean(x64, D):
    N, L = 32, 1.0
    nonlinear = Convection(-1.0, num_spatial_dims=D, domain_extent=L, num_points=N)
    step = stepper(D, L, N, 0.01, (0, 0, 0.002), nonlinear, channels=D)
    key = jax.random.PRNGKey(0)
    u0 = 0.3 + jax.random.normal(key, (D,) + (N,) * D) * 0.2
    u0 = jnp.fft.irfftn(
        jnp.fft.rfftn(u0, axes=range(1, D + 1)) * (jnp.arange(N // 2 + 1) < 5),
        s=(N,) * D,
        axes=range(1, D + 1),
    )
    u = repeat(step, u0, 50)
    assert jnp.all(jnp.isfinite(u))
    np.testing.assert_allclose(
        jnp.mean(u, axis=range(1, D + 1)), jnp.mean(u0, axis=range(1, D + 1)), atol=1e-13
    )


def test_viscous_burgers_matches_cole_hopf(x64):
    """u = -2 nu phi_x / phi with phi = 1 + 0.5 exp(-nu t) cos x solves u_t + u u_x = nu u_xx."""
    nu, N, L, T = 0.5, 64, 2 * np.pi, 1.0
    x = grid(N, L)

    def exact(t):
        e = 0.5 * np.exp(-nu * t)
        return 2 * nu * e * np.sin(x) / (1 + e * np.cos(x))

    nonlinear = GeneralNonlinear((0.0, -1.0, 0.0), num_spatial_dims=1, domain_extent=L, num_points=N)
    step = stepper(1, L, N, T / 200, (0, 0, nu), nonlinear, order=4)
    u = repeat(step, jnp.asarray(exact(0.0)[None]), 200)
    np.testing.assert_allclose(np.asarray(u[0]), exact(T), atol=1e-9)


def test_kdv_soliton_travels_at_its_speed(x64):
    """u = c/2 sech^2(sqrt(c)/2 (x - c t - x0)) solves u_t + 6 u u_x + u_xxx = 0."""
    c, N, L, T = 2.0, 256, 50.0, 4.0
    x = grid(N, L)

    def exact(t):
        shifted = (x - c * t - 15.0 + L / 2) % L - L / 2
        return c / 2 / np.cosh(np.sqrt(c) / 2 * shifted) ** 2

    nonlinear = GeneralNonlinear((0.0, -6.0, 0.0), num_spatial_dims=1, domain_extent=L, num_points=N)
    step = stepper(1, L, N, 0.01, (0, 0, 0, -1.0), nonlinear, order=4)
    u = np.asarray(repeat(step, jnp.asarray(exact(0.0)[None]), int(T / 0.01)))[0]
    np.testing.assert_allclose(u, exact(T), atol=2e-4)
    assert abs(x[np.argmax(u)] - (15.0 + c * T)) <= L / N


@pytest.mark.parametrize("order", [2, 3, 4])
def test_complex_coefficients_keep_the_order(x64, order):
    """KdV has a complex L (odd derivative). With the complex contour coefficients ETDRK keeps
    its order; dropping their imaginary part (the reference's bug) falls to first order."""
    p = PROBLEMS["kdv"]
    nonlinear = GeneralNonlinear(p["nl"], num_spatial_dims=1, domain_extent=p["L"], num_points=p["N"])

    def make(dt, o, truncate=False):
        step = stepper(1, p["L"], p["N"], dt, p["lin"], nonlinear, order=o)
        if not truncate:
            return step
        real = {k: v if k.endswith("exp") else v.real.astype(v.dtype) for k, v in step.coefficients.items()}
        return eqx.tree_at(lambda m: m.coefficients, step, real)

    u0 = jnp.asarray(p["u0"](grid(p["N"], p["L"]))[None])
    rates, errors = _order_estimates(make, u0, p["T"], order, [16, 32, 64])
    # the fine-step reference (T / 2048) stays exact; only the measured steppers are truncated
    truncated = lambda dt, o: make(dt, o, truncate=dt > p["T"] / 2048)  # noqa: E731
    truncated_rates, truncated_errors = _order_estimates(truncated, u0, p["T"], order, [16, 32, 64])
    assert abs(rates[-1] - order) < 0.3, (rates, errors)
    assert abs(truncated_rates[-1] - 1) < 0.3, (truncated_rates, truncated_errors)


def test_substeps_equal_smaller_steps(x64):
    nonlinear = GeneralNonlinear((0.0, -1.0, 0.0), num_spatial_dims=1, domain_extent=1.0, num_points=32)
    u0 = jnp.asarray(np.sin(2 * np.pi * grid(32, 1.0))[None] * 0.1)
    sub = stepper(1, 1.0, 32, 0.01, (0, 0, 1e-3), nonlinear, substeps=4)
    small = stepper(1, 1.0, 32, 0.0025, (0, 0, 1e-3), nonlinear)
    np.testing.assert_allclose(sub(u0), repeat(small, u0, 4), atol=1e-14)


def test_stepper_survives_stop_gradient_and_vmap():
    """The anchor's correction tasks crashed because stop_gradient turned static ints into tracers."""
    step = stepper(1, 1.0, 16, 0.1, (0, -0.1), order=0)
    frozen = jax.lax.stop_gradient(step)
    u = jnp.ones((3, 1, 16))
    assert jax.vmap(frozen)(u).shape == (3, 1, 16)
    assert jax.grad(lambda v: jnp.sum(frozen(v) ** 2))(u[0]).shape == (1, 16)


@pytest.mark.slow
@pytest.mark.parametrize("D, N", [(1, 160), (2, 160), (3, 32)])
def test_default_size_ks_stays_bounded(D, N):
    """diff_ks at full size (gamma_2 = -1.2, gamma_4 = -15, delta_gradnorm = -6, 500 warm-up
    steps): chaotic but bounded, no NaN; the mean stays zero (the gradient norm is mean-free)."""
    from apebench_pde import conversions

    alphas = conversions.linear_from_difficulties((0, 0, -1.2, 0, -15.0), num_spatial_dims=D, num_points=N)
    betas = conversions.nonlinear_from_difficulties((0, 0, -6.0), num_spatial_dims=D, num_points=N)
    nonlinear = GeneralNonlinear(betas, num_spatial_dims=D, domain_extent=1.0, num_points=N)
    step = stepper(D, 1.0, N, 1.0, alphas, nonlinear)
    x = np.meshgrid(*[grid(N, 1.0)] * D, indexing="ij")
    u0 = jnp.asarray(sum(np.sin(2 * np.pi * (k + 1) * xd + k) for k, xd in enumerate(x))[None], jnp.float32)
    u = repeat(step, u0 - u0.mean(), 500)
    assert jnp.all(jnp.isfinite(u)) and float(jnp.max(jnp.abs(u))) < 20
    assert abs(float(jnp.mean(u))) < 1e-4
