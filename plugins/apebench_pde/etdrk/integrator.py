"""The ETDRK integrators and the stepper module."""

from __future__ import annotations

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Complex, Float

from .spectral import irfft, rfft

# phi-type functions of z = L dt, each regular at z = 0 (evaluated on a contour around z).
_FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "phi1": lambda z: (np.exp(z) - 1) / z,
    "phi2": lambda z: (np.exp(z) - 1 - z) / z**2,
    "f1": lambda z: (-4 - z + np.exp(z) * (4 - 3 * z + z**2)) / z**3,
    "f2": lambda z: (2 + z + np.exp(z) * (z - 2)) / z**3,
    "f3": lambda z: (-4 - 3 * z - z**2 + np.exp(z) * (4 - z)) / z**3,
}
_NEEDED = {
    0: (),
    1: ("phi1",),
    2: ("phi1", "phi2"),
    3: ("half_phi1", "phi1", "f1", "f2", "f3"),
    4: ("half_phi1", "f1", "f2", "f3"),
}


def _contour_mean(function: Callable, z: np.ndarray, num_circle_points: int, radius: float) -> np.ndarray:
    """Mean of ``function`` on a circle around every z (Kassam & Trefethen), accumulated point by
    point to keep memory at one operator's size. Complex z keep their complex mean."""
    total = np.zeros_like(z, dtype=complex)
    for k in range(num_circle_points):
        total += function(z + radius * np.exp(2j * np.pi * (k + 0.5) / num_circle_points))
    return total / num_circle_points


def etdrk_coefficients(
    linear: np.ndarray, dt: float, order: int, *, num_circle_points: int = 16, circle_radius: float = 1.0
) -> dict[str, np.ndarray]:
    """Exponentials and dt-scaled phi coefficients of ETDRK ``order`` for the diagonal operator."""
    z = linear * dt
    coefficients = {"exp": np.exp(z), "half_exp": np.exp(z / 2)}
    for name in _NEEDED[order]:
        if name == "half_phi1":
            coefficients[name] = (
                dt / 2 * _contour_mean(_FUNCTIONS["phi1"], z / 2, num_circle_points, circle_radius)
            )
        else:
            coefficients[name] = dt * _contour_mean(_FUNCTIONS[name], z, num_circle_points, circle_radius)
    return coefficients


def _is_real(array: np.ndarray) -> bool:
    return bool(np.all(np.abs(array.imag) <= 1e-14 * (1 + np.abs(array.real))))


class ETDRKStepper(eqx.Module):
    """One time step ``dt`` (optionally as ``num_substeps`` substeps) of u_t = L u + N(u).

    Call it on one state ``(channels, *space)``. Shape-determining settings are static, so
    ``vmap``, ``grad`` and ``stop_gradient`` over the stepper never turn them into tracers.
    """

    coefficients: dict[str, Array]
    nonlinear: Callable | None
    num_spatial_dims: int = eqx.field(static=True)
    domain_extent: float = eqx.field(static=True)
    num_points: int = eqx.field(static=True)
    num_channels: int = eqx.field(static=True)
    dt: float = eqx.field(static=True)
    order: int = eqx.field(static=True)
    num_substeps: int = eqx.field(static=True)

    def __init__(
        self,
        linear: np.ndarray,
        nonlinear: Callable | None,
        *,
        num_spatial_dims: int,
        domain_extent: float,
        num_points: int,
        num_channels: int,
        dt: float,
        order: int,
        num_substeps: int = 1,
        num_circle_points: int = 16,
        circle_radius: float = 1.0,
    ):
        if order not in _NEEDED:
            raise ValueError(f"ETDRK order must be 0..4, got {order}")
        if order == 0 and nonlinear is not None:
            raise ValueError("order 0 (the exact exponential) only integrates linear problems")
        if num_substeps < 1:
            raise ValueError(f"num_substeps must be at least 1, got {num_substeps}")
        coefficients = etdrk_coefficients(
            np.asarray(linear),
            dt / num_substeps,
            order,
            num_circle_points=num_circle_points,
            circle_radius=circle_radius,
        )
        # Real operators (even derivative orders) keep real coefficients: half the work.
        self.coefficients = {
            name: jnp.asarray(c.real if _is_real(c) else c) for name, c in coefficients.items()
        }
        self.nonlinear = nonlinear
        self.num_spatial_dims = num_spatial_dims
        self.domain_extent = float(domain_extent)
        self.num_points = num_points
        self.num_channels = num_channels
        self.dt = float(dt)
        self.order = order
        self.num_substeps = num_substeps

    def _n(self, u_hat):
        return self.nonlinear(u_hat)

    def step_fourier(self, u_hat: Complex[Array, " channels *modes"]) -> Complex[Array, " channels *modes"]:
        c = self.coefficients
        if self.order == 0:
            return c["exp"] * u_hat
        n_u = self._n(u_hat)
        if self.order == 1:
            return c["exp"] * u_hat + c["phi1"] * n_u
        if self.order == 2:
            a = c["exp"] * u_hat + c["phi1"] * n_u
            return a + c["phi2"] * (self._n(a) - n_u)
        if self.order == 3:
            a = c["half_exp"] * u_hat + c["half_phi1"] * n_u
            n_a = self._n(a)
            b = c["exp"] * u_hat + c["phi1"] * (2 * n_a - n_u)
            return c["exp"] * u_hat + c["f1"] * n_u + 4 * c["f2"] * n_a + c["f3"] * self._n(b)
        a = c["half_exp"] * u_hat + c["half_phi1"] * n_u
        n_a = self._n(a)
        b = c["half_exp"] * u_hat + c["half_phi1"] * n_a
        n_b = self._n(b)
        d = c["half_exp"] * a + c["half_phi1"] * (2 * n_b - n_u)
        return c["exp"] * u_hat + c["f1"] * n_u + 2 * c["f2"] * (n_a + n_b) + c["f3"] * self._n(d)

    def __call__(self, u: Float[Array, " channels *space"]) -> Float[Array, " channels *space"]:
        if u.shape != (self.num_channels,) + (self.num_points,) * self.num_spatial_dims:
            raise ValueError(
                f"state of shape {u.shape} does not fit this stepper: expected "
                f"{(self.num_channels,) + (self.num_points,) * self.num_spatial_dims}"
            )
        u_hat = rfft(u, self.num_spatial_dims)
        if self.num_substeps == 1:
            u_hat = self.step_fourier(u_hat)
        else:
            u_hat = jax.lax.fori_loop(0, self.num_substeps, lambda _, v: self.step_fourier(v), u_hat)
        return irfft(u_hat, self.num_spatial_dims, self.num_points).astype(u.dtype)
