"""2D incompressible Navier-Stokes in vorticity form, optionally with Kolmogorov forcing, in
APEBench's (Exponax 0.1.0's) convention.

The state q is minus the vorticity of the flow that advects it:

    q_t + (u . grad) q = nu lap q + 2 lambda q + f,   u = (d_1 psi, -d_0 psi),   lap psi = q,

on [0, L)^2 (axes x_0, x_1 are the last two array axes), so d_0 u_1 - d_1 u_0 = -q. The drag
lambda acts twice (the order-0 coefficient is summed over both directions, as in every generic
linear operator here), and the Kolmogorov forcing is f = -m gamma cos(2 pi m x_1 / L) (no
2 pi / L factor). These are APEBench's conventions, kept so that the same fields give the same
data: in terms of the true vorticity w = -q the PDE is w_t + (u . grad) w = nu lap w +
2 lambda w + m gamma cos(2 pi m x_1 / L). The linear part is integrated exactly; advection
and forcing form the nonlinear part.
"""

from __future__ import annotations

import equinox as eqx
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Complex, Float

from .linear import laplacian, linear_operator
from .nonlinear import NonlinearTerm
from .spectral import derivative_operator
from .stepper import ETDRKStepper


def inverse_laplacian(derivative: np.ndarray) -> np.ndarray:
    """1 / (-|k|^2) with the mean mode set to 0: psi_hat = this * q_hat solves lap psi = q."""
    return -inverse_negative_laplacian(derivative)


def inverse_negative_laplacian(derivative: np.ndarray) -> np.ndarray:
    """1 / |k|^2 with the mean mode set to 0: psi_hat = this * w_hat solves -lap psi = w."""
    minus_lap = -laplacian(derivative).real
    return np.where(minus_lap == 0, 0.0, 1.0 / np.where(minus_lap == 0, 1.0, minus_lap))


def velocity_from_vorticity(
    q_hat: Complex[Array, " 1 *modes"], derivative: Complex[Array, " 2 *modes"]
) -> Complex[Array, " 2 *modes"]:
    """u_hat = (i k_1, -i k_0) psi_hat with lap psi = q: the divergence-free velocity whose
    curl is -q (APEBench's state q is minus the vorticity)."""
    psi_hat = jnp.asarray(inverse_laplacian(np.asarray(derivative))[0]) * q_hat[0]
    return jnp.stack([derivative[1] * psi_hat, -derivative[0] * psi_hat])


def kolmogorov_forcing(
    domain_extent: float, num_points: int, *, injection_mode: int, injection_scale: float
) -> np.ndarray:
    """Forcing of the state q = -w: -m gamma cos(2 pi m x_1 / L), shape ``(1, N, N)`` (APEBench).

    For the true vorticity w it is +m gamma cos(2 pi m x_1 / L), the curl of the body force
    (-gamma (L / 2 pi) sin(2 pi m x_1 / L), 0): shear along x_1 driving the x_0 velocity. At
    the default L = 2 pi that is the textbook forcing; APEBench has no 2 pi / L factor.
    """
    wavenumber = 2 * np.pi * injection_mode / domain_extent
    x1 = np.arange(num_points) * domain_extent / num_points
    field = -injection_scale * injection_mode * np.cos(wavenumber * x1)
    return np.broadcast_to(field[None, None, :], (1, num_points, num_points)).copy()


class VorticityConvection(NonlinearTerm):
    """-b (u . grad) q + f for the state q = -vorticity (one channel, 2D only; APEBench)."""

    inverse_laplacian: Float[Array, " *modes"]
    forcing_hat: Complex[Array, " 1 *modes"] | None
    scale: float = eqx.field(static=True)

    def __init__(
        self,
        *,
        domain_extent: float,
        num_points: int,
        scale: float = 1.0,
        forcing: np.ndarray | None = None,
        dealiasing_fraction: float = 2 / 3,
    ):
        super().__init__(2, domain_extent, num_points, dealiasing_fraction)
        self.inverse_laplacian = jnp.asarray(inverse_laplacian(np.asarray(self.derivative))[0])
        self.forcing_hat = None if forcing is None else jnp.asarray(np.fft.rfftn(forcing, axes=(-2, -1)))
        self.scale = float(scale)

    def __call__(self, w_hat: Complex[Array, " 1 *modes"]) -> Complex[Array, " 1 *modes"]:
        psi_hat = self.inverse_laplacian * w_hat[0]
        d0, d1 = self.derivative[0], self.derivative[1]
        u0, u1, w0, w1 = self.to_space(jnp.stack([d1 * psi_hat, -d0 * psi_hat, d0 * w_hat[0], d1 * w_hat[0]]))
        result = -self.scale * self.to_fourier(u0 * w0 + u1 * w1)[None]
        return result if self.forcing_hat is None else result + self.forcing_hat


def vorticity_stepper(
    domain_extent: float,
    num_points: int,
    dt: float,
    *,
    diffusivity: float,
    drag: float = 0.0,
    convection_scale: float = 1.0,
    forcing: np.ndarray | None = None,
    order: int = 2,
    num_substeps: int = 1,
    dealiasing_fraction: float = 2 / 3,
    num_circle_points: int = 16,
    circle_radius: float = 1.0,
    real_coefficients: bool = False,
) -> ETDRKStepper:
    """One step ``dt`` of 2D Navier-Stokes in APEBench's vorticity form (module docstring):
    the linear part is nu lap + 2 drag."""
    linear = linear_operator(derivative_operator(2, domain_extent, num_points), (drag, 0.0, diffusivity))
    nonlinear = VorticityConvection(
        domain_extent=domain_extent,
        num_points=num_points,
        scale=convection_scale,
        forcing=forcing,
        dealiasing_fraction=dealiasing_fraction,
    )
    return ETDRKStepper(
        linear,
        nonlinear,
        num_spatial_dims=2,
        domain_extent=domain_extent,
        num_points=num_points,
        num_channels=1,
        dt=dt,
        order=order,
        num_substeps=num_substeps,
        num_circle_points=num_circle_points,
        circle_radius=circle_radius,
        real_coefficients=real_coefficients,
    )
