"""Linear operators L (diagonal in Fourier space, right-hand-side signs: u_t = L u).

All take the derivative operator ``i k`` of shape ``(D, *modes)`` and return ``(1, *modes)``.
Odd orders give complex operators (advection, dispersion), even orders real ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def gradient_inner_product(
    derivative: np.ndarray, vector: float | Sequence[float], *, order: int = 1
) -> np.ndarray:
    """sum_d c_d (i k_d)^order; a scalar c acts equally along every direction."""
    per_direction = np.broadcast_to(np.asarray(vector, dtype=float), (derivative.shape[0],))
    per_direction = per_direction.reshape((-1,) + (1,) * (derivative.ndim - 1))
    return np.sum(per_direction * derivative**order, axis=0)[None]


def linear_operator(derivative: np.ndarray, coefficients: Sequence[float | Sequence[float]]) -> np.ndarray:
    """sum_j a_j sum_d (i k_d)^j, the isotropic form of the reference's generic steppers.

    Order 2 is the Laplacian; order 4 is sum_d k_d^4 (no mixed derivatives, unlike the
    squared Laplacian of :func:`laplacian` squared); odd orders move along (1, ..., 1).
    A sequence a_j gives one coefficient per direction. Order 0 follows the same sum:
    sum_d (i k_d)^0 = D, so a_0 acts as D a_0 (APEBench's convention: in 2D a drag or
    reaction coefficient c acts as 2 c; the scenario fields keep APEBench's meaning).
    """
    operator = np.zeros((1,) + derivative.shape[1:], dtype=complex)
    for order, coefficient in enumerate(coefficients):
        if order == 0:
            operator = operator + np.sum(
                np.broadcast_to(np.asarray(coefficient, dtype=float), (derivative.shape[0],))
            )
        elif np.any(np.asarray(coefficient) != 0):
            operator = operator + gradient_inner_product(derivative, coefficient, order=order)
    return operator


def laplacian(derivative: np.ndarray) -> np.ndarray:
    """sum_d (i k_d)^2 = -|k|^2. Its square is the mixing hyper-diffusion operator."""
    return gradient_inner_product(derivative, 1.0, order=2)


def diffusion_matrix_operator(derivative: np.ndarray, matrix: Sequence[Sequence[float]]) -> np.ndarray:
    """sum_ij A_ij (i k_i)(i k_j) = div(A grad u), anisotropic diffusion for a (D, D) matrix A."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.shape != (derivative.shape[0],) * 2:
        raise ValueError(
            f"diffusion matrix must be {derivative.shape[0]}x{derivative.shape[0]}, got {matrix.shape}"
        )
    return np.einsum("ij,i...,j...->...", matrix, derivative, derivative)[None]
