"""The difficulty family: coefficients given as difficulties (APEBench paper, section 3).

gamma_j measures how far a linear term of order j moves information per step on the grid;
delta the same for the nonlinear terms. Names read ``{D}d_diff_...``. Nonlinear
coefficients use right-hand-side signs: a negative convection difficulty steepens like
Burgers.
"""

from __future__ import annotations

from typing import ClassVar

from ..conversions import convection_from_difficulty, linear_from_difficulties, nonlinear_from_difficulties
from ._base import CoefficientFamily, ConvectionScenario, LinearScenario, NonlinearScenario, active_orders


class _Difficulties(CoefficientFamily):
    prefix: ClassVar[str] = "diff"

    @property
    def gammas(self) -> tuple[float, ...]:
        return self.linear_coefficients()

    @property
    def deltas(self) -> tuple[float, float, float]:
        return self.nonlinear_coefficients()

    def _grid(self) -> dict[str, int]:
        return {"num_spatial_dims": self.num_spatial_dims, "num_points": self.num_points}

    def to_alphas(self, linear):
        return linear_from_difficulties(linear, **self._grid())

    def to_convection(self, coefficient):
        return convection_from_difficulty(coefficient, **self._grid())

    def to_nonlinear(self, coefficients):
        return nonlinear_from_difficulties(coefficients, **self._grid())


class Linear(_Difficulties, LinearScenario):
    gammas: tuple[float, ...] = (0.0, -4.0, 0.0, 0.0, 0.0)

    def linear_coefficients(self):
        return tuple(self.gammas)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_diff_linear_{active_orders(self.gammas)}"


class LinearSimple(_Difficulties, LinearScenario):
    linear_gamma: float = -4.0
    linear_term_order: int = 1

    def linear_coefficients(self):
        return (0.0,) * self.linear_term_order + (self.linear_gamma,)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_diff_linear_{active_orders(self.linear_coefficients())}"


class Advection(_Difficulties, LinearScenario):
    advection_gamma: float = -4.0
    short_name: ClassVar[str] = "adv"

    def linear_coefficients(self):
        return (0.0, self.advection_gamma, 0.0, 0.0, 0.0)


class Diffusion(_Difficulties, LinearScenario):
    diffusion_gamma: float = 4.0
    short_name: ClassVar[str] = "diff"

    def linear_coefficients(self):
        return (0.0, 0.0, self.diffusion_gamma, 0.0, 0.0)


class AdvectionDiffusion(_Difficulties, LinearScenario):
    advection_gamma: float = -4.0
    diffusion_gamma: float = 4.0
    short_name: ClassVar[str] = "adv_diff"

    def linear_coefficients(self):
        return (0.0, self.advection_gamma, self.diffusion_gamma, 0.0, 0.0)


class Dispersion(_Difficulties, LinearScenario):
    dispersion_gamma: float = 4.0
    short_name: ClassVar[str] = "disp"

    def linear_coefficients(self):
        return (0.0, 0.0, 0.0, self.dispersion_gamma, 0.0)


class HyperDiffusion(_Difficulties, LinearScenario):
    hyp_diffusion_gamma: float = -4.0
    short_name: ClassVar[str] = "hyp_diff"

    def linear_coefficients(self):
        return (0.0, 0.0, 0.0, 0.0, self.hyp_diffusion_gamma)


class FirstFour(_Difficulties, LinearScenario):
    advection_gamma: float = -4.0
    diffusion_gamma: float = 4.0
    dispersion_gamma: float = 4.0
    hyp_diffusion_gamma: float = -4.0
    short_name: ClassVar[str] = "four"

    def linear_coefficients(self):
        return (
            0.0,
            self.advection_gamma,
            self.diffusion_gamma,
            self.dispersion_gamma,
            self.hyp_diffusion_gamma,
        )


class Convection(_Difficulties, ConvectionScenario):
    gammas: tuple[float, ...] = (0.0, 0.0, 1.5, 0.0, 0.0)
    convection_delta: float = -1.5

    def linear_coefficients(self):
        return tuple(self.gammas)

    def convection_coefficient(self):
        return self.convection_delta

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_diff_conv_{active_orders(self.gammas)}"


class Burgers(_Difficulties, ConvectionScenario):
    convection_delta: float = -1.5
    diffusion_gamma: float = 1.5
    short_name: ClassVar[str] = "burgers"

    def linear_coefficients(self):
        return (0.0, 0.0, self.diffusion_gamma, 0.0, 0.0)

    def convection_coefficient(self):
        return self.convection_delta


class KuramotoSivashinskyConservative(_Difficulties, ConvectionScenario):
    convection_delta: float = -1.0
    diffusion_gamma: float = -2.0  # negative: the instability that feeds the chaos
    hyp_diffusion_gamma: float = -18.0
    num_warmup_steps: int = 500
    vlim: tuple[float, float] = (-2.5, 2.5)
    report_metrics: str = "mean_nRMSE,mean_correlation"
    short_name: ClassVar[str] = "ks_cons"

    def __post_init__(self) -> None:
        if self.num_spatial_dims != 1:
            raise ValueError("the conservative Kuramoto-Sivashinsky scenario is defined in 1D only")
        super().__post_init__()

    def linear_coefficients(self):
        return (0.0, 0.0, self.diffusion_gamma, 0.0, self.hyp_diffusion_gamma)

    def convection_coefficient(self):
        return self.convection_delta


class Nonlinear(_Difficulties, NonlinearScenario):
    gammas: tuple[float, ...] = (0.0, 0.0, 1.5, 0.0, 0.0)
    deltas: tuple[float, float, float] = (0.0, -1.5, 0.0)
    short_name: ClassVar[str] = "nonlin"

    def linear_coefficients(self):
        return tuple(self.gammas)

    def nonlinear_coefficients(self):
        return tuple(self.deltas)


class BurgersSingleChannel(_Difficulties, NonlinearScenario):
    convection_sc_delta: float = -1.5
    diffusion_gamma: float = 1.5
    short_name: ClassVar[str] = "burgers_sc"

    def linear_coefficients(self):
        return (0.0, 0.0, self.diffusion_gamma, 0.0, 0.0)

    def nonlinear_coefficients(self):
        return (0.0, self.convection_sc_delta, 0.0)


class KortewegDeVries(_Difficulties, NonlinearScenario):
    convection_sc_delta: float = -2.0
    dispersion_gamma: float = -14.0
    hyp_diffusion_gamma: float = -9.0
    short_name: ClassVar[str] = "kdv"

    def linear_coefficients(self):
        return (0.0, 0.0, 0.0, self.dispersion_gamma, self.hyp_diffusion_gamma)

    def nonlinear_coefficients(self):
        return (0.0, self.convection_sc_delta, 0.0)


class KuramotoSivashinsky(_Difficulties, NonlinearScenario):
    gradient_norm_delta: float = -6.0
    diffusion_gamma: float = -1.2
    hyp_diffusion_gamma: float = -15.0
    num_warmup_steps: int = 500
    vlim: tuple[float, float] = (-6.5, 6.5)
    report_metrics: str = "mean_nRMSE,mean_correlation"
    short_name: ClassVar[str] = "ks"

    def linear_coefficients(self):
        return (0.0, 0.0, self.diffusion_gamma, 0.0, self.hyp_diffusion_gamma)

    def nonlinear_coefficients(self):
        return (0.0, 0.0, self.gradient_norm_delta)


class FisherKPP(_Difficulties, NonlinearScenario):
    quadratic_delta: float = -0.02
    drag_gamma: float = 0.02
    diffusion_gamma: float = 0.2
    ic_config: str = "clamp;0.0;1.0;fourier;5;false;false"
    short_name: ClassVar[str] = "fisher"

    def linear_coefficients(self):
        return (self.drag_gamma, 0.0, self.diffusion_gamma, 0.0, 0.0)

    def nonlinear_coefficients(self):
        return (self.quadratic_delta, 0.0, 0.0)
