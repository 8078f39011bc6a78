"""The difficulty family: coefficients given as difficulties (APEBench paper, section 3).

gamma_j measures how far a linear term of order j moves information per step on the grid;
delta the same for the nonlinear terms. Names read ``{D}d_diff_...``. Nonlinear
coefficients use right-hand-side signs: a negative convection difficulty steepens like
Burgers.
"""

from __future__ import annotations

from typing import ClassVar

from ..conversions import convection_from_difficulty, linear_from_difficulties, nonlinear_from_difficulties
from ._base import NonlinearSpectralScenario, NormalizedTerms, SpectralScenario, active_orders


def _alphas(scenario, gammas) -> tuple[float, ...]:
    return linear_from_difficulties(
        gammas, num_spatial_dims=scenario.num_spatial_dims, num_points=scenario.num_points
    )


class _LinearFamily(SpectralScenario):
    """Linear scenarios: the exact exponential integrator, no nonlinearity."""

    short_name: ClassVar[str] = ""

    @property
    def gammas(self) -> tuple[float, ...]:
        return self.linear_difficulties()

    def linear_difficulties(self) -> tuple[float, ...]:
        raise NotImplementedError

    def normalized_terms(self) -> NormalizedTerms:
        return NormalizedTerms(alphas=_alphas(self, self.linear_difficulties()))

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_diff_{self.short_name}"


class Linear(_LinearFamily):
    gammas: tuple[float, ...] = (0.0, -4.0, 0.0, 0.0, 0.0)

    def linear_difficulties(self) -> tuple[float, ...]:
        return tuple(self.gammas)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_diff_linear_{active_orders(self.gammas)}"


class LinearSimple(_LinearFamily):
    linear_gamma: float = -4.0
    linear_term_order: int = 1

    def linear_difficulties(self) -> tuple[float, ...]:
        return (0.0,) * self.linear_term_order + (self.linear_gamma,)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_diff_linear_{active_orders(self.linear_difficulties())}"


class Advection(_LinearFamily):
    advection_gamma: float = -4.0
    short_name: ClassVar[str] = "adv"

    def linear_difficulties(self) -> tuple[float, ...]:
        return (0.0, self.advection_gamma, 0.0, 0.0, 0.0)


class Diffusion(_LinearFamily):
    diffusion_gamma: float = 4.0
    short_name: ClassVar[str] = "diff"

    def linear_difficulties(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_gamma, 0.0, 0.0)


class AdvectionDiffusion(_LinearFamily):
    advection_gamma: float = -4.0
    diffusion_gamma: float = 4.0
    short_name: ClassVar[str] = "adv_diff"

    def linear_difficulties(self) -> tuple[float, ...]:
        return (0.0, self.advection_gamma, self.diffusion_gamma, 0.0, 0.0)


class Dispersion(_LinearFamily):
    dispersion_gamma: float = 4.0
    short_name: ClassVar[str] = "disp"

    def linear_difficulties(self) -> tuple[float, ...]:
        return (0.0, 0.0, 0.0, self.dispersion_gamma, 0.0)


class HyperDiffusion(_LinearFamily):
    hyp_diffusion_gamma: float = -4.0
    short_name: ClassVar[str] = "hyp_diff"

    def linear_difficulties(self) -> tuple[float, ...]:
        return (0.0, 0.0, 0.0, 0.0, self.hyp_diffusion_gamma)


class FirstFour(_LinearFamily):
    advection_gamma: float = -4.0
    diffusion_gamma: float = 4.0
    dispersion_gamma: float = 4.0
    hyp_diffusion_gamma: float = -4.0
    short_name: ClassVar[str] = "four"

    def linear_difficulties(self) -> tuple[float, ...]:
        return (
            0.0,
            self.advection_gamma,
            self.diffusion_gamma,
            self.dispersion_gamma,
            self.hyp_diffusion_gamma,
        )


# -- multi-channel convection (channels = spatial dimensions) ---------------------------
class _ConvectionFamily(NonlinearSpectralScenario):
    channel_rule: ClassVar[str] = "dims"
    conservative: bool = True
    short_name: ClassVar[str] = ""

    def linear_difficulties(self) -> tuple[float, ...]:
        raise NotImplementedError

    def convection_difficulty(self) -> float:
        raise NotImplementedError

    @property
    def gammas(self) -> tuple[float, ...]:
        return self.linear_difficulties()

    def normalized_terms(self) -> NormalizedTerms:
        beta = convection_from_difficulty(
            self.convection_difficulty(), num_spatial_dims=self.num_spatial_dims, num_points=self.num_points
        )
        return NormalizedTerms(
            alphas=_alphas(self, self.linear_difficulties()), convection=beta, conservative=self.conservative
        )

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_diff_{self.short_name}"


class Convection(_ConvectionFamily):
    gammas: tuple[float, ...] = (0.0, 0.0, 1.5, 0.0, 0.0)
    convection_delta: float = -1.5

    def linear_difficulties(self) -> tuple[float, ...]:
        return tuple(self.gammas)

    def convection_difficulty(self) -> float:
        return self.convection_delta

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_diff_conv_{active_orders(self.gammas)}"


class Burgers(_ConvectionFamily):
    convection_delta: float = -1.5
    diffusion_gamma: float = 1.5
    short_name: ClassVar[str] = "burgers"

    def linear_difficulties(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_gamma, 0.0, 0.0)

    def convection_difficulty(self) -> float:
        return self.convection_delta


class KuramotoSivashinskyConservative(_ConvectionFamily):
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

    def linear_difficulties(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_gamma, 0.0, self.hyp_diffusion_gamma)

    def convection_difficulty(self) -> float:
        return self.convection_delta


# -- single-channel nonlinear: quadratic, convection, gradient norm ----------------------
class _NonlinearFamily(NonlinearSpectralScenario):
    short_name: ClassVar[str] = ""

    def linear_difficulties(self) -> tuple[float, ...]:
        raise NotImplementedError

    def nonlinear_difficulties(self) -> tuple[float, float, float]:
        raise NotImplementedError

    @property
    def gammas(self) -> tuple[float, ...]:
        return self.linear_difficulties()

    @property
    def deltas(self) -> tuple[float, float, float]:
        return self.nonlinear_difficulties()

    def normalized_terms(self) -> NormalizedTerms:
        betas = nonlinear_from_difficulties(
            self.nonlinear_difficulties(), num_spatial_dims=self.num_spatial_dims, num_points=self.num_points
        )
        return NormalizedTerms(alphas=_alphas(self, self.linear_difficulties()), nonlinear=betas)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_diff_{self.short_name}"


class Nonlinear(_NonlinearFamily):
    gammas: tuple[float, ...] = (0.0, 0.0, 1.5, 0.0, 0.0)
    deltas: tuple[float, float, float] = (0.0, -1.5, 0.0)
    short_name: ClassVar[str] = "nonlin"

    def linear_difficulties(self) -> tuple[float, ...]:
        return tuple(self.gammas)

    def nonlinear_difficulties(self) -> tuple[float, float, float]:
        return tuple(self.deltas)


class BurgersSingleChannel(_NonlinearFamily):
    convection_sc_delta: float = -1.5
    diffusion_gamma: float = 1.5
    short_name: ClassVar[str] = "burgers_sc"

    def linear_difficulties(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_gamma, 0.0, 0.0)

    def nonlinear_difficulties(self) -> tuple[float, float, float]:
        return (0.0, self.convection_sc_delta, 0.0)


class KortewegDeVries(_NonlinearFamily):
    convection_sc_delta: float = -2.0
    dispersion_gamma: float = -14.0
    hyp_diffusion_gamma: float = -9.0
    short_name: ClassVar[str] = "kdv"

    def linear_difficulties(self) -> tuple[float, ...]:
        return (0.0, 0.0, 0.0, self.dispersion_gamma, self.hyp_diffusion_gamma)

    def nonlinear_difficulties(self) -> tuple[float, float, float]:
        return (0.0, self.convection_sc_delta, 0.0)


class KuramotoSivashinsky(_NonlinearFamily):
    gradient_norm_delta: float = -6.0
    diffusion_gamma: float = -1.2
    hyp_diffusion_gamma: float = -15.0
    num_warmup_steps: int = 500
    vlim: tuple[float, float] = (-6.5, 6.5)
    report_metrics: str = "mean_nRMSE,mean_correlation"
    short_name: ClassVar[str] = "ks"

    def linear_difficulties(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_gamma, 0.0, self.hyp_diffusion_gamma)

    def nonlinear_difficulties(self) -> tuple[float, float, float]:
        return (0.0, 0.0, self.gradient_norm_delta)


class FisherKPP(_NonlinearFamily):
    quadratic_delta: float = -0.02
    drag_gamma: float = 0.02
    diffusion_gamma: float = 0.2
    ic_config: str = "clamp;0.0;1.0;fourier;5;false;false"
    short_name: ClassVar[str] = "fisher"

    def linear_difficulties(self) -> tuple[float, ...]:
        return (self.drag_gamma, 0.0, self.diffusion_gamma, 0.0, 0.0)

    def nonlinear_difficulties(self) -> tuple[float, float, float]:
        return (self.quadratic_delta, 0.0, 0.0)
