"""Conversions between physical, normalized and difficulty coefficients (plain functions).

Physical PDE on [0, L)^D with time step dt; normalized means L = 1 and dt = 1:
    alpha_j = a_j dt / L^j,   beta_conv = b dt / L,   beta_gradnorm = b dt / L^2,   polynomial c dt.
Difficulties measure the effect per step on an N-point grid (M = maximum absolute value, 1):
    gamma_0 = alpha_0,  gamma_j = alpha_j N^j 2^(j-1) D,
    delta_quadratic = beta_0,  delta_conv = beta_conv M N D,  delta_gradnorm = beta_gradnorm M N^2 D.
"""

from __future__ import annotations

from collections.abc import Sequence


def normalize_linear(coefficients: Sequence[float], *, domain_extent: float, dt: float) -> tuple[float, ...]:
    return tuple(a * dt / domain_extent**j for j, a in enumerate(coefficients))


def denormalize_linear(alphas: Sequence[float], *, domain_extent: float, dt: float) -> tuple[float, ...]:
    return tuple(alpha * domain_extent**j / dt for j, alpha in enumerate(alphas))


def normalize_convection(b: float, *, domain_extent: float, dt: float) -> float:
    return b * dt / domain_extent


def denormalize_convection(beta: float, *, domain_extent: float, dt: float) -> float:
    return beta * domain_extent / dt


def normalize_gradient_norm(b: float, *, domain_extent: float, dt: float) -> float:
    return b * dt / domain_extent**2


def denormalize_gradient_norm(beta: float, *, domain_extent: float, dt: float) -> float:
    return beta * domain_extent**2 / dt


def normalize_polynomial(coefficients: Sequence[float], *, dt: float) -> tuple[float, ...]:
    return tuple(c * dt for c in coefficients)


def denormalize_polynomial(betas: Sequence[float], *, dt: float) -> tuple[float, ...]:
    return tuple(beta / dt for beta in betas)


def _linear_factor(j: int, num_spatial_dims: int, num_points: int) -> float:
    return 1.0 if j == 0 else num_points**j * 2 ** (j - 1) * num_spatial_dims


def linear_difficulties(
    alphas: Sequence[float], *, num_spatial_dims: int, num_points: int
) -> tuple[float, ...]:
    return tuple(a * _linear_factor(j, num_spatial_dims, num_points) for j, a in enumerate(alphas))


def linear_from_difficulties(
    gammas: Sequence[float], *, num_spatial_dims: int, num_points: int
) -> tuple[float, ...]:
    return tuple(g / _linear_factor(j, num_spatial_dims, num_points) for j, g in enumerate(gammas))


def _nonlinear_factors(num_spatial_dims: int, num_points: int, maximum_absolute: float) -> tuple[float, ...]:
    M, N, D = maximum_absolute, num_points, num_spatial_dims
    return (1.0, M * N * D, M * N**2 * D)


def nonlinear_difficulties(
    betas: Sequence[float], *, num_spatial_dims: int, num_points: int, maximum_absolute: float = 1.0
) -> tuple[float, ...]:
    """(quadratic, convection, gradient norm) betas -> deltas."""
    factors = _nonlinear_factors(num_spatial_dims, num_points, maximum_absolute)
    return tuple(b * f for b, f in zip(betas, factors, strict=True))


def nonlinear_from_difficulties(
    deltas: Sequence[float], *, num_spatial_dims: int, num_points: int, maximum_absolute: float = 1.0
) -> tuple[float, ...]:
    """(quadratic, convection, gradient norm) deltas -> betas."""
    factors = _nonlinear_factors(num_spatial_dims, num_points, maximum_absolute)
    return tuple(d / f for d, f in zip(deltas, factors, strict=True))


def convection_difficulty(
    beta: float, *, num_spatial_dims: int, num_points: int, maximum_absolute: float = 1.0
) -> float:
    return beta * maximum_absolute * num_points * num_spatial_dims


def convection_from_difficulty(
    delta: float, *, num_spatial_dims: int, num_points: int, maximum_absolute: float = 1.0
) -> float:
    return delta / (maximum_absolute * num_points * num_spatial_dims)
