"""The physical family: coefficients in physical units on [0, L)^D with time step dt.

Generic linear / convection / nonlinear scenarios convert their coefficients to the
normalized form (alpha_j = a_j dt / L^j, beta = b dt / L or b dt / L^2, see
:mod:`apebench_pde.conversions`) and share the other families' solver path; the coarse
stepper's dt * coarse_proportion is the same as scaling every normalized coefficient. The
specialised PDEs (reaction-diffusion, Navier-Stokes, Poisson, anisotropic linear operators)
build their stepper in physical units (:mod:`._physical_special`). Names read ``{D}d_phy_...``;
right-hand-side signs throughout.
"""

from __future__ import annotations

from typing import ClassVar

from ..conversions import normalize_convection, normalize_gradient_norm, normalize_linear
from ._base import (
    PHYSICAL_DOCS,
    CoefficientFamily,
    ConvectionScenario,
    LinearScenario,
    NonlinearScenario,
    active_orders,
)
from ._physical_special import (
    AnisotropicDiffusion,
    DecayingTurbulence,
    DiagonalDiffusion,
    FisherKPP,
    GrayScott,
    GrayScottType,
    KolmogorovFlow,
    Poisson,
    Polynomial,
    SpatiallyMixedDispersion,
    SpatiallyMixedHyperDiffusion,
    SwiftHohenberg,
    UnbalancedAdvection,
)


class _Physical(CoefficientFamily):
    """Physical coefficients a_j (linear) and b (convection, single-channel convection, gradient norm)."""

    prefix: ClassVar[str] = "phy"
    field_docs: ClassVar[dict] = PHYSICAL_DOCS

    @property
    def a_coefs(self) -> tuple[float, ...]:
        return self.linear_coefficients()

    @property
    def b_coefs(self) -> tuple[float, float, float]:
        return self.nonlinear_coefficients()

    def _units(self) -> dict[str, float]:
        return {"domain_extent": self.domain_extent, "dt": self.dt}

    def to_alphas(self, linear):
        return normalize_linear(linear, **self._units())

    def to_convection(self, coefficient):
        return normalize_convection(coefficient, **self._units())

    def to_nonlinear(self, coefficients):
        quadratic, convection, gradient_norm = coefficients
        return (
            quadratic * self.dt,
            normalize_convection(convection, **self._units()),
            normalize_gradient_norm(gradient_norm, **self._units()),
        )


class _PhysicalLinear(_Physical, LinearScenario):
    domain_extent: float = 1.0
    dt: float = 0.1


class Linear(_PhysicalLinear):
    a_coefs: tuple[float, ...] = (0.0, -0.25, 0.0, 0.0, 0.0)

    def linear_coefficients(self):
        return tuple(self.a_coefs)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_phy_lin_{active_orders(self.a_coefs)}"


class LinearSimple(_PhysicalLinear):
    linear_coef: float = -0.25
    linear_term_order: int = 1

    def linear_coefficients(self):
        return (0.0,) * self.linear_term_order + (self.linear_coef,)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_phy_lin_{active_orders(self.linear_coefficients())}"


class Advection(_PhysicalLinear):
    advection_coef: float = -0.25
    short_name: ClassVar[str] = "adv"

    def linear_coefficients(self):
        return (0.0, self.advection_coef, 0.0, 0.0, 0.0)


class Diffusion(_PhysicalLinear):
    diffusion_coef: float = 0.008
    short_name: ClassVar[str] = "diff"

    def linear_coefficients(self):
        return (0.0, 0.0, self.diffusion_coef, 0.0, 0.0)


class AdvectionDiffusion(_PhysicalLinear):
    advection_coef: float = -0.25
    diffusion_coef: float = 0.008
    short_name: ClassVar[str] = "adv_diff"

    def linear_coefficients(self):
        return (0.0, self.advection_coef, self.diffusion_coef, 0.0, 0.0)


class Dispersion(_PhysicalLinear):
    dispersion_coef: float = 2.5e-4  # spelled correctly (the anchor's field is dipersion_coef)
    dt: float = 1e-3
    short_name: ClassVar[str] = "disp"

    def linear_coefficients(self):
        return (0.0, 0.0, 0.0, self.dispersion_coef, 0.0)


class HyperDiffusion(_PhysicalLinear):
    hyper_diffusion_coef: float = -7.5e-5
    dt: float = 1e-5
    short_name: ClassVar[str] = "hyp_diff"

    def linear_coefficients(self):
        return (0.0, 0.0, 0.0, 0.0, self.hyper_diffusion_coef)


class FirstFour(_PhysicalLinear):
    advection_coef: float = -2500.0
    diffusion_coef: float = 80.0
    dispersion_coef: float = 0.025
    hyp_diffusion_coef: float = -7.5e-5
    dt: float = 1e-5
    short_name: ClassVar[str] = "four"

    def linear_coefficients(self):
        return (
            0.0,
            self.advection_coef,
            self.diffusion_coef,
            self.dispersion_coef,
            self.hyp_diffusion_coef,
        )


class _PhysicalConvection(_Physical, ConvectionScenario):
    domain_extent: float = 1.0
    dt: float = 0.1
    convection_coef: float = -0.125

    def convection_coefficient(self):
        return self.convection_coef


class Convection(_PhysicalConvection):
    a_coefs: tuple[float, ...] = (0.0, 0.0, 3e-4, 0.0, 0.0)

    def linear_coefficients(self):
        return tuple(self.a_coefs)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_phy_conv_{active_orders(self.a_coefs)}"


class Burgers(_PhysicalConvection):
    diffusion_coef: float = 3e-4
    short_name: ClassVar[str] = "burgers"  # the anchor's name method returned None

    def linear_coefficients(self):
        return (0.0, 0.0, self.diffusion_coef, 0.0, 0.0)


class KuramotoSivashinskyConservative(_PhysicalConvection):
    domain_extent: float = 60.0
    convection_coef: float = -3.6
    diffusion_coef: float = -1.44  # negative: the instability that feeds the chaos
    hyp_diffusion_coef: float = -0.4
    num_warmup_steps: int = 500
    vlim: tuple[float, float] = (-2.5, 2.5)
    report_metrics: str = "mean_nRMSE,mean_correlation"
    short_name: ClassVar[str] = "ks_conservative"

    def __post_init__(self) -> None:
        if self.num_spatial_dims != 1:
            raise ValueError("the conservative Kuramoto-Sivashinsky scenario is defined in 1D only")
        super().__post_init__()

    def linear_coefficients(self):
        return (0.0, 0.0, self.diffusion_coef, 0.0, self.hyp_diffusion_coef)


class _PhysicalNonlinear(_Physical, NonlinearScenario):
    domain_extent: float = 1.0
    dt: float = 0.1


class Nonlinear(_PhysicalNonlinear):
    """Single-channel terms, so the channel count does not grow with the dimension."""

    a_coefs: tuple[float, ...] = (0.0, 0.0, 3e-4, 0.0, 0.0)
    b_coefs: tuple[float, float, float] = (0.0, -0.125, 0.0)
    short_name: ClassVar[str] = "nonlin"

    def linear_coefficients(self):
        return tuple(self.a_coefs)

    def nonlinear_coefficients(self):
        return tuple(self.b_coefs)


class BurgersSingleChannel(_PhysicalNonlinear):
    convection_sc_coef: float = -0.125
    diffusion_coef: float = 3e-4
    short_name: ClassVar[str] = "burgers_sc"

    def linear_coefficients(self):
        return (0.0, 0.0, self.diffusion_coef, 0.0, 0.0)

    def nonlinear_coefficients(self):
        return (0.0, self.convection_sc_coef, 0.0)


class KortewegDeVries(_PhysicalNonlinear):
    domain_extent: float = 50.0
    convection_sc_coef: float = -6.0
    dispersion_coef: float = -1.0
    hyp_diffusion_coef: float = -0.125
    short_name: ClassVar[str] = "kdv"

    def linear_coefficients(self):
        return (0.0, 0.0, 0.0, self.dispersion_coef, self.hyp_diffusion_coef)

    def nonlinear_coefficients(self):
        return (0.0, self.convection_sc_coef, 0.0)


class KuramotoSivashinsky(_PhysicalNonlinear):
    domain_extent: float = 60.0
    gradient_norm_coef: float = -1.0
    diffusion_coef: float = -1.0
    hyp_diffusion_coef: float = -1.0
    num_warmup_steps: int = 500
    vlim: tuple[float, float] = (-6.5, 6.5)
    report_metrics: str = "mean_nRMSE,mean_correlation"
    short_name: ClassVar[str] = "ks"

    def linear_coefficients(self):
        return (0.0, 0.0, self.diffusion_coef, 0.0, self.hyp_diffusion_coef)

    def nonlinear_coefficients(self):
        return (0.0, 0.0, self.gradient_norm_coef)


__all__ = [
    "Advection",
    "AdvectionDiffusion",
    "AnisotropicDiffusion",
    "Burgers",
    "BurgersSingleChannel",
    "Convection",
    "DecayingTurbulence",
    "DiagonalDiffusion",
    "Diffusion",
    "Dispersion",
    "FirstFour",
    "FisherKPP",
    "GrayScott",
    "GrayScottType",
    "HyperDiffusion",
    "KolmogorovFlow",
    "KortewegDeVries",
    "KuramotoSivashinsky",
    "KuramotoSivashinskyConservative",
    "Linear",
    "LinearSimple",
    "Nonlinear",
    "Poisson",
    "Polynomial",
    "SpatiallyMixedDispersion",
    "SpatiallyMixedHyperDiffusion",
    "SwiftHohenberg",
    "UnbalancedAdvection",
]
