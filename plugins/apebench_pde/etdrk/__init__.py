"""Exponential time differencing Runge-Kutta (ETDRK 0-4) for semi-linear PDEs on periodic
domains, u_t = L u + N(u), with L diagonal in Fourier space (Cox & Matthews 2002;
coefficients by the contour integral of Kassam & Trefethen 2005, kept complex)."""

from .integrator import ETDRKStepper, etdrk_coefficients
from .nonlinear import Convection, GeneralNonlinear, GradientNorm, Polynomial
from .spectral import dealiasing_mask, derivative_operator, irfft, linear_operator, rfft, wavenumbers

__all__ = [
    "Convection",
    "ETDRKStepper",
    "GeneralNonlinear",
    "GradientNorm",
    "Polynomial",
    "dealiasing_mask",
    "derivative_operator",
    "etdrk_coefficients",
    "irfft",
    "linear_operator",
    "rfft",
    "wavenumbers",
]
