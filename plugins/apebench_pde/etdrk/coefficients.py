"""ETDRK coefficients by the contour-integral method of Kassam & Trefethen (2005).

Each phi-type function of z = L dt has a removable singularity at z = 0 and cancels
badly near it; averaging it over a circle around z avoids both. The mean stays complex:
taking only its real part (as Exponax 0.1.0 does) is wrong when L is complex (odd
derivative orders) and a nonlinearity is present.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# Cox & Matthews (2002): phi1 (eq. 4), phi2 (eq. 22), f1..f3 (eqs. 25, 29), all over z.
PHI_FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "phi1": lambda z: (np.exp(z) - 1) / z,
    "phi2": lambda z: (np.exp(z) - 1 - z) / z**2,
    "f1": lambda z: (-4 - z + np.exp(z) * (4 - 3 * z + z**2)) / z**3,
    "f2": lambda z: (2 + z + np.exp(z) * (z - 2)) / z**3,
    "f3": lambda z: (-4 - 3 * z - z**2 + np.exp(z) * (4 - z)) / z**3,
}

#: Coefficients each order needs besides the exponentials; half_phi1 is phi1 at half a step.
NEEDED: dict[int, tuple[str, ...]] = {
    0: (),
    1: ("phi1",),
    2: ("phi1", "phi2"),
    3: ("half_phi1", "phi1", "f1", "f2", "f3"),
    4: ("half_phi1", "f1", "f2", "f3"),
}


def contour_mean(
    function: Callable[[np.ndarray], np.ndarray],
    z: np.ndarray,
    *,
    num_circle_points: int,
    circle_radius: float,
) -> np.ndarray:
    """Mean of ``function`` over ``num_circle_points`` points of a circle around every z,
    accumulated point by point so memory stays at one operator's size."""
    total = np.zeros(np.shape(z), dtype=complex)
    for k in range(num_circle_points):
        total += function(z + circle_radius * np.exp(2j * np.pi * (k + 0.5) / num_circle_points))
    return total / num_circle_points


def etdrk_coefficients(
    linear: np.ndarray,
    dt: float,
    order: int,
    *,
    num_circle_points: int = 16,
    circle_radius: float = 1.0,
    real_part_only: bool = False,
) -> dict[str, np.ndarray]:
    """The exponentials and dt-scaled phi coefficients ETDRK ``order`` needs for diagonal L.

    ``real_part_only`` keeps only the real part of the phi coefficients (not of the
    exponentials), reproducing APEBench 0.1.1 / Exponax 0.1.0: for a complex L with a
    nonlinearity that makes the scheme first order; it exists only to reproduce their data.
    """
    if order not in NEEDED:
        raise ValueError(f"ETDRK order must be 0..4, got {order}")
    z = np.asarray(linear, dtype=complex) * dt
    contour = dict(num_circle_points=num_circle_points, circle_radius=circle_radius)
    coefficients = {"exp": np.exp(z)}
    if order >= 3:
        coefficients["half_exp"] = np.exp(z / 2)
    for name in NEEDED[order]:
        if name == "half_phi1":
            coefficients[name] = dt / 2 * contour_mean(PHI_FUNCTIONS["phi1"], z / 2, **contour)
        else:
            coefficients[name] = dt * contour_mean(PHI_FUNCTIONS[name], z, **contour)
        if real_part_only:
            coefficients[name] = coefficients[name].real
    return coefficients
