"""Reference solver: exponential time differencing Runge-Kutta (ETDRK 0-4) for semi-linear
PDEs u_t = L u + N(u) on periodic domains [0, L)^D, D = 1, 2, 3, with L diagonal in Fourier
space (Cox & Matthews 2002; coefficients by the contour integral of Kassam & Trefethen 2005,
kept complex). Trajectory generation is the core's (re-exported here)."""

from apebench_core.plugin import generate_trajectories, repeat, rollout

from .coefficients import contour_mean, etdrk_coefficients
from .linear import diffusion_matrix_operator, gradient_inner_product, laplacian, linear_operator
from .nonlinear import Convection, GeneralNonlinear, GradientNorm, NonlinearTerm, Polynomial
from .spectral import (
    dealiasing_mask,
    derivative_operator,
    full_grid_operator,
    irfft,
    pack,
    rfft,
    spatial_axes,
    unpack,
    wavenumbers,
)
from .stepper import ETDRKStepper, semi_linear_stepper

__all__ = [
    "Convection",
    "ETDRKStepper",
    "GeneralNonlinear",
    "GradientNorm",
    "NonlinearTerm",
    "Polynomial",
    "contour_mean",
    "dealiasing_mask",
    "derivative_operator",
    "diffusion_matrix_operator",
    "etdrk_coefficients",
    "full_grid_operator",
    "generate_trajectories",
    "gradient_inner_product",
    "irfft",
    "laplacian",
    "linear_operator",
    "pack",
    "repeat",
    "rfft",
    "rollout",
    "semi_linear_stepper",
    "spatial_axes",
    "unpack",
    "wavenumbers",
]
