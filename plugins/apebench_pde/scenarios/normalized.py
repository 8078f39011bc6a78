"""The normalized family: coefficients for a unit domain and a unit time step (alpha, beta).

Names read ``{D}d_norm_...``; right-hand-side signs as in :mod:`.difficulty`. Unlike the
anchor, ``KuramotoSivashinskyConservative`` uses its own ``convection_beta``.
"""

from __future__ import annotations

from typing import ClassVar

from apebench_core.plugin import doc

from ._base import CoefficientFamily, ConvectionScenario, LinearScenario, NonlinearScenario, active_orders


class _Normalized(CoefficientFamily):
    """Coefficients are already normalized: alpha_j = a_j dt / L^j, beta = b dt / L (or / L^2)."""

    prefix: ClassVar[str] = "norm"

    @property
    def alphas(self) -> tuple[float, ...]:
        return self.linear_coefficients()

    @property
    def betas(self) -> tuple[float, float, float]:
        return self.nonlinear_coefficients()


class Linear(_Normalized, LinearScenario):
    alphas: tuple[float, ...] = (0.0, -0.025, 0.0, 0.0, 0.0)

    def linear_coefficients(self) -> tuple[float, ...]:
        return tuple(self.alphas)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_norm_lin_{active_orders(self.alphas)}"


class LinearSimple(_Normalized, LinearScenario):
    linear_alpha: float = -0.025
    linear_term_order: int = 1

    def linear_coefficients(self) -> tuple[float, ...]:
        return (0.0,) * self.linear_term_order + (self.linear_alpha,)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_norm_lin_{active_orders(self.linear_coefficients())}"


class Advection(_Normalized, LinearScenario):
    advection_alpha: float = -0.025
    short_name: ClassVar[str] = "adv"

    def linear_coefficients(self) -> tuple[float, ...]:
        return (0.0, self.advection_alpha, 0.0, 0.0, 0.0)


class Diffusion(_Normalized, LinearScenario):
    diffusion_alpha: float = 8e-4
    short_name: ClassVar[str] = "diff"

    def linear_coefficients(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_alpha, 0.0, 0.0)


class AdvectionDiffusion(_Normalized, LinearScenario):
    advection_alpha: float = -0.025
    diffusion_alpha: float = 8e-4
    short_name: ClassVar[str] = "adv_diff"

    def linear_coefficients(self) -> tuple[float, ...]:
        return (0.0, self.advection_alpha, self.diffusion_alpha, 0.0, 0.0)


class Dispersion(_Normalized, LinearScenario):
    dispersion_alpha: float = 2.5e-7
    short_name: ClassVar[str] = "disp"

    def linear_coefficients(self) -> tuple[float, ...]:
        return (0.0, 0.0, 0.0, self.dispersion_alpha, 0.0)


class HyperDiffusion(_Normalized, LinearScenario):
    hyp_diffusion_alpha: float = -7.5e-10
    short_name: ClassVar[str] = "hyp_diff"

    def linear_coefficients(self) -> tuple[float, ...]:
        return (0.0, 0.0, 0.0, 0.0, self.hyp_diffusion_alpha)


class FirstFour(_Normalized, LinearScenario):
    advection_alpha: float = -0.025
    diffusion_alpha: float = 8e-4
    dispersion_alpha: float = 2.5e-7
    hyp_diffusion_alpha: float = -7.5e-10
    short_name: ClassVar[str] = "four"

    def linear_coefficients(self) -> tuple[float, ...]:
        return (
            0.0,
            self.advection_alpha,
            self.diffusion_alpha,
            self.dispersion_alpha,
            self.hyp_diffusion_alpha,
        )


class _NormalizedConvection(_Normalized, ConvectionScenario):
    convection_beta: float = -1.25e-2

    def convection_coefficient(self) -> float:
        return self.convection_beta


class Convection(_NormalizedConvection):
    alphas: tuple[float, ...] = (0.0, 0.0, 3.0e-5, 0.0, 0.0)

    def linear_coefficients(self) -> tuple[float, ...]:
        return tuple(self.alphas)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_norm_conv_{active_orders(self.alphas)}"


class Burgers(_NormalizedConvection):
    diffusion_alpha: float = 3.0e-5
    short_name: ClassVar[str] = "burgers"

    def linear_coefficients(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_alpha, 0.0, 0.0)


class KuramotoSivashinskyConservative(_NormalizedConvection):
    """As in APEBench 0.1.1 the convection coefficient is ``convection_beta`` (-1.25e-2, the
    convection default); ``convection_delta`` (-6e-3) is accepted and unused, as there, so that
    the same fields give the same data in both packages."""

    convection_beta: float = -1.25e-2
    convection_delta: float = -6.0e-3
    field_docs: ClassVar[dict] = _NormalizedConvection.field_docs | {
        "convection_delta": doc("unused: APEBench 0.1.1 declares it but convects with convection_beta"),
    }
    diffusion_alpha: float = -4.0e-5
    hyp_diffusion_alpha: float = -3.0e-8
    num_warmup_steps: int = 500
    vlim: tuple[float, float] = (-2.5, 2.5)
    report_metrics: str = "mean_nRMSE,mean_correlation"
    short_name: ClassVar[str] = "ks_cons"

    def __post_init__(self) -> None:
        if self.num_spatial_dims != 1:
            raise ValueError("the conservative Kuramoto-Sivashinsky scenario is defined in 1D only")
        super().__post_init__()

    def linear_coefficients(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_alpha, 0.0, self.hyp_diffusion_alpha)


class Nonlinear(_Normalized, NonlinearScenario):
    alphas: tuple[float, ...] = (0.0, 0.0, 3.0e-5, 0.0, 0.0)
    betas: tuple[float, float, float] = (0.0, -1.25e-2, 0.0)
    short_name: ClassVar[str] = "nonlin"

    def linear_coefficients(self) -> tuple[float, ...]:
        return tuple(self.alphas)

    def nonlinear_coefficients(self) -> tuple[float, float, float]:
        return tuple(self.betas)


class BurgersSingleChannel(_Normalized, NonlinearScenario):
    convection_sc_beta: float = -1.25e-2
    diffusion_alpha: float = 3.0e-5
    short_name: ClassVar[str] = "burgers_sc"

    def linear_coefficients(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_alpha, 0.0, 0.0)

    def nonlinear_coefficients(self) -> tuple[float, float, float]:
        return (0.0, self.convection_sc_beta, 0.0)


class KortewegDeVries(_Normalized, NonlinearScenario):
    convection_sc_beta: float = -1.25e-2
    dispersion_alpha: float = -8.5e-7
    hyp_diffusion_alpha: float = -2.0e-9
    short_name: ClassVar[str] = "kdv"

    def linear_coefficients(self) -> tuple[float, ...]:
        return (0.0, 0.0, 0.0, self.dispersion_alpha, self.hyp_diffusion_alpha)

    def nonlinear_coefficients(self) -> tuple[float, float, float]:
        return (0.0, self.convection_sc_beta, 0.0)


class KuramotoSivashinsky(_Normalized, NonlinearScenario):
    gradient_norm_beta: float = -2.5e-4
    diffusion_alpha: float = -2.5e-5
    hyp_diffusion_alpha: float = -3.0e-9
    num_warmup_steps: int = 500
    vlim: tuple[float, float] = (-6.5, 6.5)
    report_metrics: str = "mean_nRMSE,mean_correlation"
    short_name: ClassVar[str] = "ks"

    def linear_coefficients(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_alpha, 0.0, self.hyp_diffusion_alpha)

    def nonlinear_coefficients(self) -> tuple[float, float, float]:
        return (0.0, 0.0, self.gradient_norm_beta)


class FisherKPP(_Normalized, NonlinearScenario):
    quadratic_beta: float = -0.02
    drag_alpha: float = 0.02
    diffusion_alpha: float = 4.0e-6
    ic_config: str = "clamp;0.0;1.0;fourier;5;false;false"
    short_name: ClassVar[str] = "fisher"

    def linear_coefficients(self) -> tuple[float, ...]:
        return (self.drag_alpha, 0.0, self.diffusion_alpha, 0.0, 0.0)

    def nonlinear_coefficients(self) -> tuple[float, float, float]:
        return (self.quadratic_beta, 0.0, 0.0)
