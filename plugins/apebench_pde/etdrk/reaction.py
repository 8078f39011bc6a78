"""Reaction-diffusion steppers in physical units: Fisher-KPP, Allen-Cahn, Cahn-Hilliard,
Swift-Hohenberg and Gray-Scott.

Cubic reactions are de-aliased with fraction 1/2 by default (the reference's choice; 2/3
only removes quadratic aliasing). Linear parts (diffusion, linear growth, the
Swift-Hohenberg and Cahn-Hilliard operators) go into the exactly integrated L.
"""

from __future__ import annotations

from collections.abc import Sequence

import equinox as eqx
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Complex

from .linear import laplacian, linear_operator
from .nonlinear import NonlinearTerm, Polynomial
from .spectral import derivative_operator
from .stepper import ETDRKStepper


class GrayScottReaction(NonlinearTerm):
    """Channels (u, v): F (1 - u) - u v^2 and -(F + k) v + u v^2 (feed F, kill k)."""

    feed_rate: float = eqx.field(static=True)
    kill_rate: float = eqx.field(static=True)

    def __init__(
        self,
        *,
        feed_rate: float,
        kill_rate: float,
        num_spatial_dims: int,
        domain_extent: float,
        num_points: int,
        dealiasing_fraction: float = 1 / 2,
    ):
        super().__init__(num_spatial_dims, domain_extent, num_points, dealiasing_fraction)
        self.feed_rate = float(feed_rate)
        self.kill_rate = float(kill_rate)

    def __call__(self, state_hat: Complex[Array, " 2 *modes"]) -> Complex[Array, " 2 *modes"]:
        if state_hat.shape[0] != 2:
            raise ValueError(f"Gray-Scott needs two channels (u, v), got {state_hat.shape[0]}")
        u, v = self.to_space(state_hat)
        uv2 = u * v**2
        reaction = jnp.stack([self.feed_rate * (1 - u) - uv2, -(self.feed_rate + self.kill_rate) * v + uv2])
        return self.to_fourier(reaction)


class LaplacianOfCube(NonlinearTerm):
    """c lap(u^3), the nonlinear part of Cahn-Hilliard."""

    scale: float = eqx.field(static=True)

    def __init__(
        self, scale: float, *, num_spatial_dims, domain_extent, num_points, dealiasing_fraction=1 / 2
    ):
        super().__init__(num_spatial_dims, domain_extent, num_points, dealiasing_fraction)
        self.scale = float(scale)

    def __call__(self, u_hat: Complex[Array, " channels *modes"]) -> Complex[Array, " channels *modes"]:
        lap = jnp.sum(self.derivative**2, axis=0)
        return self.scale * lap * self.to_fourier(self.to_space(u_hat) ** 3)


def _stepper(
    linear, nonlinear, *, num_spatial_dims, domain_extent, num_points, num_channels=1, dt, order=2, **options
):
    """ETDRK2 unless told otherwise; ``options`` are num_substeps and the contour settings."""
    return ETDRKStepper(
        linear,
        nonlinear,
        num_spatial_dims=num_spatial_dims,
        domain_extent=domain_extent,
        num_points=num_points,
        num_channels=num_channels,
        dt=dt,
        order=order,
        **options,
    )


def polynomial_stepper(
    num_spatial_dims: int,
    domain_extent: float,
    num_points: int,
    dt: float,
    *,
    linear_coefficients: Sequence[float],
    polynomial_coefficients: Sequence[float],
    dealiasing_fraction: float = 2 / 3,
    **options,
) -> ETDRKStepper:
    """u_t = sum_j a_j sum_d (i k_d)^j u + sum_i c_i u^i; Fisher-KPP is a = (r, 0, nu), c = (0, 0, -r)."""
    grid = dict(num_spatial_dims=num_spatial_dims, domain_extent=domain_extent, num_points=num_points)
    linear = linear_operator(
        derivative_operator(num_spatial_dims, domain_extent, num_points), linear_coefficients
    )
    nonlinear = Polynomial(polynomial_coefficients, dealiasing_fraction=dealiasing_fraction, **grid)
    return _stepper(linear, nonlinear, dt=dt, **grid, **options)


def allen_cahn_stepper(
    num_spatial_dims: int,
    domain_extent: float,
    num_points: int,
    dt: float,
    *,
    diffusivity: float = 5e-3,
    first_order_coefficient: float = 1.0,
    third_order_coefficient: float = -1.0,
    dealiasing_fraction: float = 1 / 2,
    **options,
) -> ETDRKStepper:
    """u_t = eps lap u + c1 u + c3 u^3 (c1 = 1, c3 = -1: the double-well Allen-Cahn equation)."""
    return polynomial_stepper(
        num_spatial_dims,
        domain_extent,
        num_points,
        dt,
        linear_coefficients=(first_order_coefficient, 0.0, diffusivity),
        polynomial_coefficients=(0.0, 0.0, 0.0, third_order_coefficient),
        dealiasing_fraction=dealiasing_fraction,
        **options,
    )


def cahn_hilliard_stepper(
    num_spatial_dims: int,
    domain_extent: float,
    num_points: int,
    dt: float,
    *,
    diffusivity: float = 1e-2,
    gamma: float = 1e-3,
    first_order_coefficient: float = -1.0,
    third_order_coefficient: float = 1.0,
    dealiasing_fraction: float = 1 / 2,
    **options,
) -> ETDRKStepper:
    """u_t = D lap(c1 u + c3 u^3 - gamma lap u): conserves the mean, lowers the free energy."""
    grid = dict(num_spatial_dims=num_spatial_dims, domain_extent=domain_extent, num_points=num_points)
    lap = laplacian(derivative_operator(num_spatial_dims, domain_extent, num_points))
    linear = diffusivity * lap * (first_order_coefficient - gamma * lap)
    nonlinear = LaplacianOfCube(
        diffusivity * third_order_coefficient, dealiasing_fraction=dealiasing_fraction, **grid
    )
    return _stepper(linear, nonlinear, dt=dt, **grid, **options)


def swift_hohenberg_operator(
    derivative: np.ndarray, *, reactivity: float, critical_number: float
) -> np.ndarray:
    """r - (k_c + lap)^2: growth in a ring |k|^2 = k_c around the critical wavenumber."""
    return reactivity - (critical_number + laplacian(derivative)) ** 2


def swift_hohenberg_stepper(
    num_spatial_dims: int,
    domain_extent: float,
    num_points: int,
    dt: float,
    *,
    reactivity: float = 0.7,
    critical_number: float = 1.0,
    polynomial_coefficients: Sequence[float] = (0.0, 0.0, 1.0, -1.0),
    dealiasing_fraction: float = 1 / 2,
    **options,
) -> ETDRKStepper:
    """u_t = r u - (k_c + lap)^2 u + sum_i c_i u^i (default u^2 - u^3)."""
    grid = dict(num_spatial_dims=num_spatial_dims, domain_extent=domain_extent, num_points=num_points)
    derivative = derivative_operator(num_spatial_dims, domain_extent, num_points)
    linear = swift_hohenberg_operator(derivative, reactivity=reactivity, critical_number=critical_number)
    nonlinear = Polynomial(polynomial_coefficients, dealiasing_fraction=dealiasing_fraction, **grid)
    return _stepper(linear, nonlinear, dt=dt, **grid, **options)


def gray_scott_stepper(
    num_spatial_dims: int,
    domain_extent: float,
    num_points: int,
    dt: float,
    *,
    feed_rate: float = 0.04,
    kill_rate: float = 0.06,
    diffusivity_1: float = 2e-5,
    diffusivity_2: float = 1e-5,
    dealiasing_fraction: float = 1 / 2,
    **options,
) -> ETDRKStepper:
    """Two channels: u_t = D1 lap u + F (1 - u) - u v^2,  v_t = D2 lap v - (F + k) v + u v^2."""
    grid = dict(num_spatial_dims=num_spatial_dims, domain_extent=domain_extent, num_points=num_points)
    lap = laplacian(derivative_operator(num_spatial_dims, domain_extent, num_points))
    linear = np.concatenate([diffusivity_1 * lap, diffusivity_2 * lap])
    nonlinear = GrayScottReaction(
        feed_rate=feed_rate, kill_rate=kill_rate, dealiasing_fraction=dealiasing_fraction, **grid
    )
    return _stepper(linear, nonlinear, dt=dt, num_channels=2, **grid, **options)


#: Pearson (1993) pattern types: (feed rate F, kill rate k).
PEARSON_TYPES: dict[str, tuple[float, float]] = {
    "alpha": (0.008, 0.046),
    "beta": (0.020, 0.046),
    "gamma": (0.024, 0.056),
    "delta": (0.028, 0.056),
    "epsilon": (0.020, 0.056),
    "zeta": (0.024, 0.060),
    "eta": (0.036, 0.063),
    "theta": (0.040, 0.060),
    "iota": (0.050, 0.0605),
    "kappa": (0.052, 0.063),
    "lambda": (0.036, 0.0655),
    "mu": (0.044, 0.066),
}
