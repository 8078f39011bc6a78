"""The ETDRK stepper module: one time step of u_t = L u + N(u) on a periodic grid."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Complex, Float

from .coefficients import NEEDED, etdrk_coefficients
from .linear import linear_operator
from .spectral import derivative_operator, full_grid_operator, irfft, pack, rfft, unpack

NonlinearTerm = Callable[[Complex[Array, " channels *modes"]], Complex[Array, " channels *modes"]]


def _real_if_real(array: np.ndarray) -> np.ndarray:
    """Even-order (real) operators keep real coefficients: half the multiplications."""
    return array.real if np.all(np.abs(array.imag) <= 1e-14 * (1 + np.abs(array.real))) else array


def _packs(nonlinear, linear, coefficients: dict, num_spatial_dims: int, num_channels: int) -> bool:
    """Whether the packed form (see :mod:`.spectral`) is exact and pays: 2D or 3D (in 1D the
    real transforms are faster), channel pairs sharing one real linear operator, and a
    nonlinear term, if any, that evaluates packed."""
    shared_real = np.shape(linear)[0] == 1 and all(np.isrealobj(c) for c in coefficients.values())
    term_packs = nonlinear is None or getattr(nonlinear, "packable", False)
    return num_spatial_dims >= 2 and num_channels % 2 == 0 and shared_real and term_packs


class ETDRKStepper(eqx.Module):
    """One step ``dt`` (done as ``num_substeps`` Fourier-space substeps) of ETDRK ``order``.

    Order 0 is the exact exponential of a linear problem; 1-4 are Cox & Matthews (2002)
    eqs. 4, 22, 23-25 and 26-29. Call it on one state ``(channels, *space)``. All settings
    that fix shapes are static fields, so ``vmap``, ``grad`` and ``stop_gradient`` over the
    stepper never turn them into tracers (the reference's correction tasks crashed on that).
    ``pack_channels`` steps channel pairs in the packed form where that is exact (``packed``;
    same results to round-off, faster on CPU); ``False`` keeps the real transforms.
    """

    coefficients: dict[str, Array]
    nonlinear: NonlinearTerm | None
    num_spatial_dims: int = eqx.field(static=True)
    domain_extent: float = eqx.field(static=True)
    num_points: int = eqx.field(static=True)
    num_channels: int = eqx.field(static=True)
    dt: float = eqx.field(static=True)
    order: int = eqx.field(static=True)
    num_substeps: int = eqx.field(static=True)
    packed: bool = eqx.field(static=True)

    def __init__(
        self,
        linear: Complex[np.ndarray, " 1_or_channels *modes"],
        nonlinear: NonlinearTerm | None,
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
        real_coefficients: bool = False,
        pack_channels: bool = True,
    ):
        if order not in NEEDED:
            raise ValueError(f"ETDRK order must be 0..4, got {order}")
        if order == 0 and nonlinear is not None:
            raise ValueError("order 0 (the exact exponential) only integrates linear problems")
        if num_substeps < 1:
            raise ValueError(f"num_substeps must be at least 1, got {num_substeps}")
        coefficients = etdrk_coefficients(
            linear,
            dt / num_substeps,
            order,
            num_circle_points=num_circle_points,
            circle_radius=circle_radius,
            real_part_only=real_coefficients,
        )
        coefficients = {name: _real_if_real(c) for name, c in coefficients.items()}
        self.packed = pack_channels and _packs(
            nonlinear, linear, coefficients, num_spatial_dims, num_channels
        )
        if self.packed:
            coefficients = {
                name: full_grid_operator(c, num_spatial_dims, num_points) for name, c in coefficients.items()
            }
        self.coefficients = {name: jnp.asarray(c) for name, c in coefficients.items()}
        self.nonlinear = nonlinear
        self.num_spatial_dims = int(num_spatial_dims)
        self.domain_extent = float(domain_extent)
        self.num_points = int(num_points)
        self.num_channels = int(num_channels)
        self.dt = float(dt)
        self.order = int(order)
        self.num_substeps = int(num_substeps)

    def step_fourier(self, u_hat: Complex[Array, " channels *modes"]) -> Complex[Array, " channels *modes"]:
        """One substep in Fourier space, on the spectrum :meth:`to_fourier` gives: the packed
        full-grid form when ``packed``, an ``rfft`` spectrum otherwise."""
        c, n = self.coefficients, self.nonlinear
        if self.packed and n is not None:
            n = n.packed
        if self.order == 0:
            return c["exp"] * u_hat
        n_u = n(u_hat)
        if self.order == 1:
            return c["exp"] * u_hat + c["phi1"] * n_u
        if self.order == 2:
            a = c["exp"] * u_hat + c["phi1"] * n_u
            return a + c["phi2"] * (n(a) - n_u)
        a = c["half_exp"] * u_hat + c["half_phi1"] * n_u
        n_a = n(a)
        if self.order == 3:
            b = c["exp"] * u_hat + c["phi1"] * (2 * n_a - n_u)
            return c["exp"] * u_hat + c["f1"] * n_u + 4 * c["f2"] * n_a + c["f3"] * n(b)
        b = c["half_exp"] * u_hat + c["half_phi1"] * n_a
        n_b = n(b)
        d = c["half_exp"] * a + c["half_phi1"] * (2 * n_b - n_u)
        return c["exp"] * u_hat + c["f1"] * n_u + 2 * c["f2"] * (n_a + n_b) + c["f3"] * n(d)

    def __call__(self, u: Float[Array, " channels *space"]) -> Float[Array, " channels *space"]:
        expected = (self.num_channels,) + (self.num_points,) * self.num_spatial_dims
        if u.shape != expected:
            raise ValueError(f"state of shape {u.shape} does not fit this stepper: expected {expected}")
        u_hat = self.to_fourier(u)
        if self.num_substeps == 1:
            u_hat = self.step_fourier(u_hat)
        else:
            u_hat = jax.lax.fori_loop(0, self.num_substeps, lambda _, v: self.step_fourier(v), u_hat)
        return self.to_space(u_hat).astype(u.dtype)

    def to_fourier(self, u: Float[Array, " channels *space"]) -> Complex[Array, " fields *modes"]:
        """The state's spectrum, packed or not (see ``packed``)."""
        return pack(u, self.num_spatial_dims) if self.packed else rfft(u, self.num_spatial_dims)

    def to_space(self, u_hat: Complex[Array, " fields *modes"]) -> Float[Array, " channels *space"]:
        if self.packed:
            return unpack(u_hat, self.num_spatial_dims)
        return irfft(u_hat, self.num_spatial_dims, self.num_points)


def semi_linear_stepper(
    num_spatial_dims: int,
    domain_extent: float,
    num_points: int,
    dt: float,
    *,
    num_channels: int = 1,
    linear_coefficients: Sequence[float | Sequence[float]] = (0.0,),
    linear: np.ndarray | None = None,
    nonlinear: NonlinearTerm | None = None,
    order: int = 2,
    num_substeps: int = 1,
    num_circle_points: int = 16,
    circle_radius: float = 1.0,
) -> ETDRKStepper:
    """The general physical form u_t = sum_j a_j sum_d (i k_d)^j u + N(u) on [0, L)^D.

    ``linear_coefficients`` are a_0..a_4 (scalars or per-direction sequences, see
    :func:`~.linear.linear_operator`); ``linear`` replaces them by a ready operator (e.g.
    :func:`~.linear.diffusion_matrix_operator`). ``nonlinear`` is a term built on the same
    grid (see :mod:`.nonlinear`), ``None`` for a linear problem.
    """
    if linear is None:
        linear = linear_operator(
            derivative_operator(num_spatial_dims, domain_extent, num_points), linear_coefficients
        )
    if nonlinear is not None:
        grid = (
            getattr(nonlinear, "num_spatial_dims", num_spatial_dims),
            getattr(nonlinear, "num_points", num_points),
        )
        if grid != (num_spatial_dims, num_points):
            raise ValueError(
                f"nonlinear term built for (D, N) = {grid}, stepper has {(num_spatial_dims, num_points)}"
            )
    return ETDRKStepper(
        linear,
        nonlinear,
        num_spatial_dims=num_spatial_dims,
        domain_extent=domain_extent,
        num_points=num_points,
        num_channels=num_channels,
        dt=dt,
        order=order,
        num_substeps=num_substeps,
        num_circle_points=num_circle_points,
        circle_radius=circle_radius,
    )
