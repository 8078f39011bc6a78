"""Physical scenarios whose stepper is built directly in physical units (L, dt).

Each builds its stepper for a given dt; the coarse stepper takes dt * coarse_proportion, as
in the anchor. Solver modules are imported inside the builders so that importing the
scenario classes stays cheap.
"""

from __future__ import annotations

from math import pi
from typing import Any, ClassVar

import attrs
import numpy as np

from apebench_core.plugin import BaseScenario, doc, get_registry

from ._base import COEFFICIENT_DOCS, INTEGRATOR_DOCS, PHYSICAL_DOCS


class PhysicalScenario(BaseScenario):
    """Fields L (``domain_extent``) and ``dt``; subclasses implement :meth:`build_stepper`."""

    domain_extent: float = 1.0
    dt: float = 0.1
    coarse_proportion: float = 0.5

    field_docs: ClassVar[dict] = PHYSICAL_DOCS | INTEGRATOR_DOCS | COEFFICIENT_DOCS
    short_name: ClassVar[str] = ""
    #: Dimensions the PDE is defined in; a scenario restricted to 2D/3D defaults to its first
    #: allowed dimension, so that ``type(scene)()`` (the defaults behind ``scenario_kwargs``)
    #: can be built at all. The anchor defaulted to 1D and raised.
    allowed_dims: ClassVar[tuple[int, ...]] = (1, 2, 3)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.num_spatial_dims not in self.allowed_dims:
            allowed = ", ".join(f"{d}D" for d in self.allowed_dims)
            raise ValueError(
                f"{type(self).__name__} is defined in {allowed} only, "
                f"got num_spatial_dims={self.num_spatial_dims}"
            )

    def build_stepper(self, dt: float) -> Any:
        raise NotImplementedError

    def get_ref_stepper(self) -> Any:
        return self.build_stepper(self.dt)

    def get_coarse_stepper(self) -> Any:
        return self.build_stepper(self.dt * self.coarse_proportion)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_phy_{self.short_name}"

    def _grid(self) -> dict[str, Any]:
        return {
            "num_spatial_dims": self.num_spatial_dims,
            "domain_extent": self.domain_extent,
            "num_points": self.num_points,
        }

    def _derivative(self) -> np.ndarray:
        from ..etdrk import derivative_operator

        return derivative_operator(self.num_spatial_dims, self.domain_extent, self.num_points)

    def _exact_linear(self, operator: np.ndarray, dt: float) -> Any:
        from ..etdrk import ETDRKStepper

        return ETDRKStepper(operator, None, num_channels=1, dt=dt, order=0, **self._grid())


class _Integrator(PhysicalScenario):
    """ETDRK settings of nonlinear physical scenarios (the anchor's defaults)."""

    num_substeps: int = 1
    order: int = 2
    dealiasing_fraction: float = 2 / 3
    num_circle_points: int = 16
    circle_radius: float = 1.0
    etdrk_real_coefficients: bool = False

    def _options(self) -> dict[str, Any]:
        return {
            "real_coefficients": self.etdrk_real_coefficients,
            "order": self.order,
            "num_substeps": self.num_substeps,
            "num_circle_points": self.num_circle_points,
            "circle_radius": self.circle_radius,
        }


# -- polynomial reactions ---------------------------------------------------------
class _PolynomialBase(_Integrator):
    dt: float = 1e-3

    def linear_coefficients(self) -> tuple[float, ...]:
        raise NotImplementedError

    def polynomial_coefficients(self) -> tuple[float, ...]:
        raise NotImplementedError

    def build_stepper(self, dt: float) -> Any:
        from ..etdrk.reaction import polynomial_stepper

        return polynomial_stepper(
            self.num_spatial_dims,
            self.domain_extent,
            self.num_points,
            dt,
            linear_coefficients=self.linear_coefficients(),
            polynomial_coefficients=self.polynomial_coefficients(),
            dealiasing_fraction=self.dealiasing_fraction,
            **self._options(),
        )


class Polynomial(_PolynomialBase):
    """u_t = sum_j a_j sum_d d_d^j u + sum_i c_i u^i (so a_0 acts as D a_0, APEBench's convention)."""

    a_coefs: tuple[float, ...] = (0.02, 0.0, 4e-6, 0.0, 0.0)
    poly_coefs: tuple[float, ...] = (0.0, 0.0, -0.02)
    short_name: ClassVar[str] = "poly"

    def linear_coefficients(self):
        return tuple(self.a_coefs)

    def polynomial_coefficients(self):
        return tuple(self.poly_coefs)


class FisherKPP(_PolynomialBase):
    """u_t = nu lap u + D r u - r u^2 (drag_coef r, quadratic_coef -r; the order-0 coefficient
    acts D times in D dimensions, APEBench's convention). In 1D states stay in [0, 1]."""

    drag_coef: float = 20.0
    diffusion_coef: float = 0.004
    quadratic_coef: float = -20.0
    ic_config: str = "clamp;0.0;1.0;fourier;5;false;false"
    short_name: ClassVar[str] = "fisher"

    def linear_coefficients(self):
        return (self.drag_coef, 0.0, self.diffusion_coef, 0.0, 0.0)

    def polynomial_coefficients(self):
        return (0.0, 0.0, self.quadratic_coef)


class SwiftHohenberg(_Integrator):
    domain_extent: float = 10 * pi
    dt: float = 0.1
    num_substeps: int = 5
    dealiasing_fraction: float = 1 / 2
    reactivity: float = 0.7
    critical_number: float = 1.0
    polynomial_coefficients: tuple[float, ...] = (0.0, 0.0, 1.0, -1.0)
    short_name: ClassVar[str] = "sh"
    allowed_dims: ClassVar[tuple[int, ...]] = (2, 3)
    num_spatial_dims: int = 2

    def build_stepper(self, dt: float) -> Any:
        from ..etdrk.reaction import swift_hohenberg_stepper

        return swift_hohenberg_stepper(
            self.num_spatial_dims,
            self.domain_extent,
            self.num_points,
            dt,
            reactivity=self.reactivity,
            critical_number=self.critical_number,
            polynomial_coefficients=self.polynomial_coefficients,
            dealiasing_fraction=self.dealiasing_fraction,
            **self._options(),
        )


# -- Gray-Scott ---------------------------------------------------------------------
class _GrayScottBase(_Integrator):
    """Two channels (u, v); u starts as 1 - blobs, v as blobs (independent draws)."""

    dealiasing_fraction: float = 1 / 2
    diffusivity_1: float = 2e-5
    diffusivity_2: float = 1e-5
    ic_config: str = "gaussian_blobs;1;false"
    channel_rule: ClassVar[int] = 2
    allowed_dims: ClassVar[tuple[int, ...]] = (2, 3)
    num_spatial_dims: int = 2

    def feed_and_kill(self) -> tuple[float, float]:
        raise NotImplementedError

    def get_ic_generator(self) -> Any:
        """Channel 0 from ``ic_config`` with one_complement on, channel 1 with it off; any
        other IC than ``gaussian_blobs`` falls back to independent draws per channel."""
        registry = get_registry()
        parsed = registry.parse("initial_condition", self.ic_config)
        if parsed.name != "gaussian_blobs":
            return super().get_ic_generator()
        grid = {"num_spatial_dims": self.num_spatial_dims, "num_points": self.num_points}
        u, v = (
            registry.build(
                "initial_condition",
                attrs.evolve(parsed, values={**parsed.values, "one_complement": flag}),
                **grid,
            )
            for flag in (True, False)
        )
        return _two_channel(u, v)

    def build_stepper(self, dt: float) -> Any:
        from ..etdrk.reaction import gray_scott_stepper

        feed_rate, kill_rate = self.feed_and_kill()
        return gray_scott_stepper(
            self.num_spatial_dims,
            self.domain_extent,
            self.num_points,
            dt,
            feed_rate=feed_rate,
            kill_rate=kill_rate,
            diffusivity_1=self.diffusivity_1,
            diffusivity_2=self.diffusivity_2,
            dealiasing_fraction=self.dealiasing_fraction,
            **self._options(),
        )


def _two_channel(first: Any, second: Any) -> Any:
    def generate(*, key: Any) -> Any:
        import jax
        import jax.numpy as jnp

        key_first, key_second = jax.random.split(key)
        return jnp.stack([first(key=key_first), second(key=key_second)])

    return generate


class GrayScott(_GrayScottBase):
    dt: float = 10.0
    num_substeps: int = 10
    feed_rate: float = 0.04
    kill_rate: float = 0.06
    short_name: ClassVar[str] = "gs"

    def feed_and_kill(self) -> tuple[float, float]:
        return self.feed_rate, self.kill_rate


#: Pearson's (1993) pattern types; (F, k) pairs in :data:`apebench_pde.etdrk.reaction.PEARSON_TYPES`.
PATTERN_TYPES = (
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
)


class GrayScottType(_GrayScottBase):
    """Gray-Scott at the (F, k) of one of Pearson's patterns; name ``{D}d_phy_gs_{type}``."""

    domain_extent: float = 2.5
    dt: float = 20.0
    num_substeps: int = 20
    pattern_type: str = "theta"

    def __post_init__(self) -> None:
        if self.pattern_type not in PATTERN_TYPES:
            raise ValueError(
                f"unknown Gray-Scott pattern type {self.pattern_type!r}; one of {', '.join(PATTERN_TYPES)}"
            )
        super().__post_init__()

    def feed_and_kill(self) -> tuple[float, float]:
        from ..etdrk.reaction import PEARSON_TYPES

        return PEARSON_TYPES[self.pattern_type]

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_phy_gs_{self.pattern_type}"


# -- Navier-Stokes (vorticity) ---------------------------------------------------------
class _Vorticity(_Integrator):
    diffusivity: float = 1e-4
    allowed_dims: ClassVar[tuple[int, ...]] = (2,)
    num_spatial_dims: int = 2

    def forcing(self) -> np.ndarray | None:
        return None

    def drag_coefficient(self) -> float:
        return 0.0

    def build_stepper(self, dt: float) -> Any:
        from ..etdrk.vorticity import vorticity_stepper

        return vorticity_stepper(
            self.domain_extent,
            self.num_points,
            dt,
            diffusivity=self.diffusivity,
            drag=self.drag_coefficient(),
            forcing=self.forcing(),
            dealiasing_fraction=self.dealiasing_fraction,
            **self._options(),
        )


class DecayingTurbulence(_Vorticity):
    """Unforced 2D Navier-Stokes: the vorticity field swirls and its energy decays. The state is
    minus the vorticity (APEBench's convention, see :mod:`apebench_pde.etdrk.vorticity`)."""

    short_name: ClassVar[str] = "decay_turb"


class KolmogorovFlow(_Vorticity):
    """Forced at ``injection_mode`` along x_1, with linear drag against the energy pile-up at
    large scales; reaches a statistically steady chaotic state. APEBench's conventions: the state
    is q = -w (minus the vorticity), the drag acts as 2 drag q, the forcing is
    -injection_mode injection_scale cos(2 pi m x_1 / L)."""

    domain_extent: float = 2 * pi
    diffusivity: float = 1e-2
    injection_mode: int = 4
    injection_scale: float = 1.0
    drag: float = -0.1
    num_substeps: int = 20
    num_warmup_steps: int = 500
    vlim: tuple[float, float] = (-10.0, 10.0)
    short_name: ClassVar[str] = "kolm_flow"

    def drag_coefficient(self) -> float:
        return self.drag

    def forcing(self) -> np.ndarray:
        from ..etdrk.vorticity import kolmogorov_forcing

        return kolmogorov_forcing(
            self.domain_extent,
            self.num_points,
            injection_mode=self.injection_mode,
            injection_scale=self.injection_scale,
        )


# -- Poisson -----------------------------------------------------------------------------
class Poisson(BaseScenario):
    """-lap u = f (order 2) or its higher even-order analogue: a static map f -> u, so the
    trajectories have one step and there is no coarse stepper."""

    field_docs: ClassVar[dict] = {
        "domain_extent": PHYSICAL_DOCS["domain_extent"],
        "order": doc("even derivative order of the operator (2: Poisson)", ge=2),
    }

    domain_extent: float = 10.0
    order: int = 2
    train_temporal_horizon: int = 1
    test_temporal_horizon: int = 1

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("train_temporal_horizon", "test_temporal_horizon"):
            if getattr(self, name) != 1:
                raise ValueError(f"Poisson maps a right-hand side to its solution: {name} must be 1")
        if self.num_warmup_steps != 0:
            raise ValueError("Poisson has no dynamics to warm up: num_warmup_steps must be 0")

    def get_ref_stepper(self) -> Any:
        from ..etdrk.poisson import PoissonSolver

        return PoissonSolver(self.num_spatial_dims, self.domain_extent, self.num_points, order=self.order)

    def get_coarse_stepper(self) -> Any:
        raise NotImplementedError(
            "phy_poisson is a static solve (right-hand side -> solution) with no coarse stepper, "
            "so correction tasks ('correct;...') are not available; use task 'predict'"
        )

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_phy_poisson_order{self.order}"


# -- special linear ----------------------------------------------------------------------
def _check_length(name: str, values: tuple, num_spatial_dims: int) -> None:
    if len(values) != num_spatial_dims:
        raise ValueError(
            f"{name} needs one entry per spatial dimension: got {len(values)} for num_spatial_dims="
            f"{num_spatial_dims}; pass {name}=... with {num_spatial_dims} entries"
        )


class UnbalancedAdvection(PhysicalScenario):
    """u_t + c . grad u = 0 for a velocity c with a different speed along every axis.

    As in APEBench 0.1.1 the default dimension is the base default 1, where the scenario is
    not defined: construct it with ``num_spatial_dims=3`` (or 2 with a two-entry velocity).
    """

    advection_coef_vector: tuple[float, ...] = (0.01, -0.04, 0.005)
    short_name: ClassVar[str] = "unbal_adv"
    allowed_dims: ClassVar[tuple[int, ...]] = (2, 3)

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_length("advection_coef_vector", self.advection_coef_vector, self.num_spatial_dims)

    def build_stepper(self, dt: float) -> Any:
        from ..etdrk import linear_operator

        velocity = [-c for c in self.advection_coef_vector]
        return self._exact_linear(linear_operator(self._derivative(), (0.0, velocity)), dt)


class DiagonalDiffusion(PhysicalScenario):
    """u_t = sum_d nu_d d_d^2 u."""

    diffusion_coef_vector: tuple[float, ...] = (0.001, 0.002)
    short_name: ClassVar[str] = "diag_diff"
    allowed_dims: ClassVar[tuple[int, ...]] = (2, 3)
    num_spatial_dims: int = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_length("diffusion_coef_vector", self.diffusion_coef_vector, self.num_spatial_dims)

    def build_stepper(self, dt: float) -> Any:
        from ..etdrk import linear_operator

        return self._exact_linear(
            linear_operator(self._derivative(), (0.0, 0.0, self.diffusion_coef_vector)), dt
        )


class AnisotropicDiffusion(PhysicalScenario):
    """u_t = div(A grad u) for a symmetric positive definite (D, D) matrix A."""

    diffusion_coef_matrix: tuple[tuple[float, ...], ...] = ((0.001, 0.0005), (0.0005, 0.002))
    short_name: ClassVar[str] = "aniso_diff"
    allowed_dims: ClassVar[tuple[int, ...]] = (2, 3)
    num_spatial_dims: int = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        matrix = np.asarray(self.diffusion_coef_matrix, dtype=float)
        if matrix.shape != (self.num_spatial_dims,) * 2:
            raise ValueError(
                f"diffusion_coef_matrix must be {self.num_spatial_dims}x{self.num_spatial_dims}, got shape "
                f"{matrix.shape}"
            )
        if not np.allclose(matrix, matrix.T) or np.linalg.eigvalsh(matrix).min() <= 0:
            raise ValueError(
                "diffusion_coef_matrix must be symmetric positive definite (else it anti-diffuses)"
            )

    def build_stepper(self, dt: float) -> Any:
        from ..etdrk import diffusion_matrix_operator

        return self._exact_linear(
            diffusion_matrix_operator(self._derivative(), self.diffusion_coef_matrix), dt
        )


class SpatiallyMixedDispersion(PhysicalScenario):
    """u_t = c (1 . grad) lap u: dispersion with mixed third derivatives."""

    dt: float = 1e-3
    dispersion_coef: float = 2.5e-4
    short_name: ClassVar[str] = "mix_disp"
    allowed_dims: ClassVar[tuple[int, ...]] = (2, 3)
    num_spatial_dims: int = 2

    def build_stepper(self, dt: float) -> Any:
        from ..etdrk import gradient_inner_product, laplacian

        derivative = self._derivative()
        operator = gradient_inner_product(derivative, self.dispersion_coef) * laplacian(derivative)
        return self._exact_linear(operator, dt)


class SpatiallyMixedHyperDiffusion(PhysicalScenario):
    """u_t = c lap(lap u), c < 0 damps: hyper-diffusion with mixed fourth derivatives."""

    dt: float = 1e-5
    hyp_diffusion_coef: float = -7.5e-5
    short_name: ClassVar[str] = "mix_hyp"
    allowed_dims: ClassVar[tuple[int, ...]] = (2, 3)
    num_spatial_dims: int = 2

    def build_stepper(self, dt: float) -> Any:
        from ..etdrk import laplacian

        return self._exact_linear(self.hyp_diffusion_coef * laplacian(self._derivative()) ** 2, dt)
