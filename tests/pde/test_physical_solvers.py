"""Vorticity Navier-Stokes, reaction-diffusion and Poisson solvers against mathematics:
exact steady and transient solutions, conservation laws, energy budgets, physical bounds."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import apebench_core as apebench
from apebench_pde.etdrk import derivative_operator, irfft, repeat, rfft, rollout
from apebench_pde.etdrk.poisson import PoissonSolver
from apebench_pde.etdrk.reaction import (
    allen_cahn_stepper,
    cahn_hilliard_stepper,
    gray_scott_stepper,
    swift_hohenberg_stepper,
)
from apebench_pde.etdrk.vorticity import kolmogorov_forcing, velocity_from_vorticity, vorticity_stepper


def _random_vorticity(N, seed=0, cutoff=5):
    scene = apebench.build(
        "scenario", "phy_decay_turb", num_points=N, ic_config=f"fourier;{cutoff};true;true"
    )
    return scene.get_ic_generator()(key=jax.random.PRNGKey(seed))


def _energy_and_enstrophy(w, L):
    N = w.shape[-1]
    derivative = derivative_operator(2, L, N)
    velocity = irfft(velocity_from_vorticity(rfft(w, 2), derivative), 2, N)
    cell = (L / N) ** 2
    return 0.5 * float(jnp.sum(velocity**2)) * cell, float(jnp.sum(w**2)) * cell


def test_velocity_from_state_is_divergence_free_with_curl_equal_to_minus_the_state(x64):
    """APEBench's convention: the state q is minus the vorticity of the velocity it implies."""
    N, L = 32, 3.0
    w = _random_vorticity(N).astype(jnp.float64)
    derivative = derivative_operator(2, L, N)
    u_hat = velocity_from_vorticity(rfft(w, 2), derivative)
    divergence = irfft(derivative[0] * u_hat[0] + derivative[1] * u_hat[1], 2, N)
    curl = irfft(derivative[0] * u_hat[1] - derivative[1] * u_hat[0], 2, N)
    assert float(jnp.max(jnp.abs(divergence))) < 1e-12 * float(jnp.max(jnp.abs(w)) + 1)
    np.testing.assert_allclose(curl, -(w[0] - jnp.mean(w)), atol=1e-12)


def test_decaying_turbulence_energy_budget(x64):
    """Advection conserves energy E = 1/2 int |u|^2, so dE/dt = -nu int w^2: E decays as predicted."""
    N, L, nu, dt = 32, 2 * np.pi, 0.01, 1e-3
    step = vorticity_stepper(L, N, dt, diffusivity=nu, order=4)
    w = 5.0 * _random_vorticity(N, seed=1).astype(jnp.float64)
    energies, enstrophies = zip(
        *(_energy_and_enstrophy(u, L) for u in rollout(step, w, 10, include_init=True)), strict=True
    )
    energies, enstrophies = np.asarray(energies), np.asarray(enstrophies)
    assert np.all(np.diff(energies) < 0)
    predicted = -nu * 0.5 * (enstrophies[1:] + enstrophies[:-1]) * dt
    np.testing.assert_allclose(np.diff(energies), predicted, rtol=1e-3)


def test_decaying_turbulence_scenario_loses_energy():
    scene = apebench.build("scenario", "phy_decay_turb", num_points=32, diffusivity=1e-3)
    trajectory = rollout(scene.get_ref_stepper(), _random_vorticity(32, seed=2), 30, include_init=True)
    energies = np.asarray([_energy_and_enstrophy(w, 1.0)[0] for w in trajectory])
    assert np.isfinite(energies).all() and np.all(np.diff(energies) < 0)


def test_laminar_kolmogorov_flow_is_exact(x64):
    """q = A(t) cos(k' x_1) has no advection, so A' = -(nu k'^2 - 2 lambda) A - m gamma (the drag
    acts twice in 2D and the forcing of q = -w is -m gamma cos(k' x_1), APEBench's conventions):
    from rest A(t) = A_s (1 - exp(-(nu k'^2 - 2 lambda) t)) with A_s = -m gamma / (nu k'^2 - 2 lambda)."""
    N, L, nu, drag, mode, gamma, dt, steps = 32, 4.0, 0.01, -0.1, 3, 0.7, 0.5, 8
    forcing = kolmogorov_forcing(L, N, injection_mode=mode, injection_scale=gamma)
    step = vorticity_stepper(L, N, dt, diffusivity=nu, drag=drag, forcing=forcing, order=2)
    k = 2 * np.pi * mode / L
    rate = nu * k**2 - 2 * drag
    final = repeat(step, jnp.zeros((1, N, N)), steps)
    profile = np.cos(k * np.arange(N) * L / N)[None, None, :]
    expected = -mode * gamma / rate * (1 - np.exp(-rate * steps * dt)) * profile
    np.testing.assert_allclose(final, np.broadcast_to(expected, (1, N, N)), atol=1e-10)


def test_kolmogorov_scenario_stays_bounded():
    """Short run from random vorticity at reduced size: energy stays within a few times the laminar one."""
    scene = apebench.build("scenario", "phy_kolm_flow", num_points=32)
    trajectory = rollout(scene.get_ref_stepper(), _random_vorticity(32, seed=3), 40)
    laminar = 4.0 / (1e-2 * 16 + 2 * 0.1)  # amplitude of the laminar state (drag acts twice in 2D)
    laminar_energy = 0.5 * (laminar / 4) ** 2 * 0.5 * (2 * np.pi) ** 2
    energies = np.asarray([_energy_and_enstrophy(w, 2 * np.pi)[0] for w in trajectory])
    assert np.isfinite(energies).all() and energies.max() < 3 * laminar_energy


@pytest.mark.slow
def test_kolmogorov_flow_reaches_a_statistically_steady_state():
    scene = apebench.build("scenario", "phy_kolm_flow", num_points=64)
    trajectory = rollout(scene.get_ref_stepper(), _random_vorticity(64, seed=4), 1500)
    energies = np.asarray([_energy_and_enstrophy(w, 2 * np.pi)[0] for w in trajectory[500:]])
    first, second = energies[:500].mean(), energies[500:].mean()
    assert np.isfinite(energies).all()
    assert abs(first - second) < 0.2 * max(first, second)


# -- Gray-Scott ---------------------------------------------------------------------------------
def _gray_scott_run(num_points, num_steps):
    scene = apebench.build("scenario", "phy_gs", num_points=num_points)
    u0 = scene.get_ic_generator()(key=jax.random.PRNGKey(0))
    assert float(u0[0].min()) < 0.5 and float(u0[1].max()) > 0.5  # u = 1 - blob, v = blob
    return scene.get_ref_stepper(), u0, np.asarray(rollout(scene.get_ref_stepper(), u0, num_steps))


def test_gray_scott_trivial_state_is_fixed_and_states_stay_in_bounds():
    """[0, 1] up to the spectral overshoot at steep fronts, which shrinks with resolution
    (min -8.6e-3 at N = 64, -2.7e-4 at N = 128, -4.3e-5 at N = 160 over 50 steps)."""
    step, u0, trajectory = _gray_scott_run(128, 20)
    trivial = jnp.stack([jnp.ones((128, 128)), jnp.zeros((128, 128))])
    np.testing.assert_allclose(step(trivial), trivial, atol=1e-6)
    assert trajectory.min() >= -1e-3 and trajectory.max() <= 1 + 1e-3
    assert np.abs(trajectory[-1] - np.asarray(u0)).max() > 1e-2  # it does move


@pytest.mark.slow
def test_gray_scott_stays_in_bounds_at_full_size():
    _, _, trajectory = _gray_scott_run(160, 300)
    assert trajectory.min() >= -2e-4 and trajectory.max() <= 1 + 2e-4


def test_gray_scott_uniform_state_follows_the_reaction_ode(x64):
    """Without gradients only the reaction acts: compare with a fine RK4 of the ODE."""
    F, k, dt, steps = 0.04, 0.06, 1.0, 20
    step = gray_scott_stepper(2, 1.0, 8, dt, feed_rate=F, kill_rate=k, order=4)
    state = jnp.stack([jnp.full((8, 8), 0.5), jnp.full((8, 8), 0.25)])
    final = repeat(step, state, steps)

    def rhs(y):
        u, v = y
        return np.array([F * (1 - u) - u * v**2, -(F + k) * v + u * v**2])

    y, h = np.array([0.5, 0.25]), dt / 100
    for _ in range(100 * steps):
        a = rhs(y)
        b = rhs(y + h / 2 * a)
        c = rhs(y + h / 2 * b)
        d = rhs(y + h * c)
        y = y + h / 6 * (a + 2 * b + 2 * c + d)
    np.testing.assert_allclose(final[:, 0, 0], y, rtol=1e-7)


# -- other reaction-diffusion equations ---------------------------------------------------------
def test_allen_cahn_uniform_state_is_exact(x64):
    """u' = u - u^3: u(t) = u0 e^t / sqrt(1 + u0^2 (e^{2t} - 1))."""
    step = allen_cahn_stepper(1, 1.0, 16, 0.05, order=4)
    final = repeat(step, jnp.full((1, 16), 0.1), 40)
    t = 2.0
    np.testing.assert_allclose(final, 0.1 * np.exp(t) / np.sqrt(1 + 0.01 * (np.exp(2 * t) - 1)), rtol=1e-7)


def test_cahn_hilliard_conserves_mass_and_lowers_free_energy(x64):
    N, L, gamma = 64, 2 * np.pi, 0.05
    step = cahn_hilliard_stepper(1, L, N, 0.01, diffusivity=1.0, gamma=gamma, order=2)
    u0 = 0.1 + 0.5 * apebench.build("scenario", "diff_diff", num_points=N).get_ic_generator()(
        key=jax.random.PRNGKey(0)
    ).astype(jnp.float64)
    derivative = derivative_operator(1, L, N)

    def free_energy(u):
        gradient = irfft(derivative[0] * rfft(u, 1), 1, N)
        return float(jnp.sum(0.25 * (u**2 - 1) ** 2 + 0.5 * gamma * gradient**2)) * L / N

    trajectory = rollout(step, u0, 100, include_init=True)
    np.testing.assert_allclose(jnp.mean(trajectory, axis=(1, 2)), float(jnp.mean(u0)), atol=1e-12)
    energies = np.asarray([free_energy(u) for u in trajectory])
    assert np.all(np.diff(energies) <= 1e-12) and energies[-1] < energies[0] - 1e-3


def test_swift_hohenberg_linear_growth_rate(x64):
    """Without the polynomial: each mode grows at r - (k_c - |k|^2)^2 (r on the ring |k|^2 = k_c)."""
    N, L, r = 16, 10 * np.pi, 0.3
    step = swift_hohenberg_stepper(2, L, N, 0.5, reactivity=r, polynomial_coefficients=(0.0,))
    x = np.arange(N) * L / N
    for m in [(5, 0), (3, 4), (2, 1)]:
        k = 2 * np.pi * np.asarray(m) / L
        wave = np.cos(k[0] * x[:, None] + k[1] * x[None, :])[None]
        rate = r - (1 - k @ k) ** 2
        np.testing.assert_allclose(repeat(step, jnp.asarray(wave), 4), np.exp(rate * 2.0) * wave, atol=1e-10)


def test_swift_hohenberg_saturates():
    scene = apebench.build("scenario", "phy_sh", num_points=32)
    u = repeat(scene.get_ref_stepper(), scene.get_ic_generator()(key=jax.random.PRNGKey(0)), 200)
    assert np.isfinite(np.asarray(u)).all() and 0.1 < float(jnp.max(jnp.abs(u))) < 3.0


# -- Poisson ------------------------------------------------------------------------------------
@pytest.mark.parametrize("dims, order", [(1, 2), (2, 2), (3, 2), (2, 4)])
def test_poisson_solution_has_the_right_hand_side_as_laplacian(x64, dims, order):
    N, L = 16, 10.0
    f = 0.3 + jax.random.normal(jax.random.PRNGKey(dims), (1,) + (N,) * dims, dtype=jnp.float64)
    f = irfft(
        rfft(f, dims) * (jnp.abs(derivative_operator(dims, 1.0, N)).max(axis=0) < 2 * np.pi * 6), dims, N
    )
    u = PoissonSolver(dims, L, N, order=order)(f)
    derivative = derivative_operator(dims, L, N)
    operator_u = irfft(jnp.sum(derivative**order, axis=0) * rfft(u, dims), dims, N)
    np.testing.assert_allclose(-operator_u, f - jnp.mean(f), atol=1e-10)
    assert abs(float(jnp.mean(u))) < 1e-12


def test_poisson_scenario_data_pairs_rhs_and_solution():
    scene = apebench.build("scenario", "phy_poisson", num_points=32, num_train_samples=3)
    data = scene.get_train_data()
    assert data.shape == (3, 2, 1, 32)
    f, u = data[:, 0], data[:, 1]
    k = derivative_operator(1, 10.0, 32)[0]
    np.testing.assert_allclose(
        -irfft(k**2 * rfft(u, 1), 1, 32), f - jnp.mean(f, axis=-1, keepdims=True), atol=1e-5
    )
