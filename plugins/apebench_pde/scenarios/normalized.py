"""The normalized family: coefficients for a unit domain and a unit time step (alpha, beta).

Names read ``{D}d_norm_...``; right-hand-side signs as in :mod:`.difficulty`. Unlike the
anchor, ``KuramotoSivashinskyConservative`` uses its own ``convection_beta``.
"""

from __future__ import annotations

from typing import ClassVar

from ._base import NonlinearSpectralScenario, NormalizedTerms, SpectralScenario, active_orders


class _LinearFamily(SpectralScenario):
    short_name: ClassVar[str] = ""

    @property
    def alphas(self) -> tuple[float, ...]:
        return self.linear_alphas()

    def linear_alphas(self) -> tuple[float, ...]:
        raise NotImplementedError

    def normalized_terms(self) -> NormalizedTerms:
        return NormalizedTerms(alphas=self.linear_alphas())

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_norm_{self.short_name}"


class Linear(_LinearFamily):
    alphas: tuple[float, ...] = (0.0, -0.025, 0.0, 0.0, 0.0)

    def linear_alphas(self) -> tuple[float, ...]:
        return tuple(self.alphas)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_norm_lin_{active_orders(self.alphas)}"


class LinearSimple(_LinearFamily):
    linear_alpha: float = -0.025
    linear_term_order: int = 1

    def linear_alphas(self) -> tuple[float, ...]:
        return (0.0,) * self.linear_term_order + (self.linear_alpha,)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_norm_lin_{active_orders(self.linear_alphas())}"


class Advection(_LinearFamily):
    advection_alpha: float = -0.025
    short_name: ClassVar[str] = "adv"

    def linear_alphas(self) -> tuple[float, ...]:
        return (0.0, self.advection_alpha, 0.0, 0.0, 0.0)


class Diffusion(_LinearFamily):
    diffusion_alpha: float = 8e-4
    short_name: ClassVar[str] = "diff"

    def linear_alphas(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_alpha, 0.0, 0.0)


class AdvectionDiffusion(_LinearFamily):
    advection_alpha: float = -0.025
    diffusion_alpha: float = 8e-4
    short_name: ClassVar[str] = "adv_diff"

    def linear_alphas(self) -> tuple[float, ...]:
        return (0.0, self.advection_alpha, self.diffusion_alpha, 0.0, 0.0)


class Dispersion(_LinearFamily):
    dispersion_alpha: float = 2.5e-7
    short_name: ClassVar[str] = "disp"

    def linear_alphas(self) -> tuple[float, ...]:
        return (0.0, 0.0, 0.0, self.dispersion_alpha, 0.0)


class HyperDiffusion(_LinearFamily):
    hyp_diffusion_alpha: float = -7.5e-10
    short_name: ClassVar[str] = "hyp_diff"

    def linear_alphas(self) -> tuple[float, ...]:
        return (0.0, 0.0, 0.0, 0.0, self.hyp_diffusion_alpha)


class FirstFour(_LinearFamily):
    advection_alpha: float = -0.025
    diffusion_alpha: float = 8e-4
    dispersion_alpha: float = 2.5e-7
    hyp_diffusion_alpha: float = -7.5e-10
    short_name: ClassVar[str] = "four"

    def linear_alphas(self) -> tuple[float, ...]:
        return (
            0.0,
            self.advection_alpha,
            self.diffusion_alpha,
            self.dispersion_alpha,
            self.hyp_diffusion_alpha,
        )


class _ConvectionFamily(NonlinearSpectralScenario):
    channel_rule: ClassVar[str] = "dims"
    conservative: bool = True
    convection_beta: float = -1.25e-2
    short_name: ClassVar[str] = ""

    @property
    def alphas(self) -> tuple[float, ...]:
        return self.linear_alphas()

    def linear_alphas(self) -> tuple[float, ...]:
        raise NotImplementedError

    def normalized_terms(self) -> NormalizedTerms:
        return NormalizedTerms(
            alphas=self.linear_alphas(), convection=self.convection_beta, conservative=self.conservative
        )

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_norm_{self.short_name}"


class Convection(_ConvectionFamily):
    alphas: tuple[float, ...] = (0.0, 0.0, 3.0e-5, 0.0, 0.0)

    def linear_alphas(self) -> tuple[float, ...]:
        return tuple(self.alphas)

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_norm_conv_{active_orders(self.alphas)}"


class Burgers(_ConvectionFamily):
    diffusion_alpha: float = 3.0e-5
    short_name: ClassVar[str] = "burgers"

    def linear_alphas(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_alpha, 0.0, 0.0)


class KuramotoSivashinskyConservative(_ConvectionFamily):
    convection_beta: float = -6.0e-3  # the anchor defined this value but never used it
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

    def linear_alphas(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_alpha, 0.0, self.hyp_diffusion_alpha)


class _NonlinearFamily(NonlinearSpectralScenario):
    short_name: ClassVar[str] = ""

    @property
    def alphas(self) -> tuple[float, ...]:
        return self.linear_alphas()

    @property
    def betas(self) -> tuple[float, float, float]:
        return self.nonlinear_betas()

    def linear_alphas(self) -> tuple[float, ...]:
        raise NotImplementedError

    def nonlinear_betas(self) -> tuple[float, float, float]:
        raise NotImplementedError

    def normalized_terms(self) -> NormalizedTerms:
        return NormalizedTerms(alphas=self.linear_alphas(), nonlinear=self.nonlinear_betas())

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_norm_{self.short_name}"


class Nonlinear(_NonlinearFamily):
    alphas: tuple[float, ...] = (0.0, 0.0, 3.0e-5, 0.0, 0.0)
    betas: tuple[float, float, float] = (0.0, -1.25e-2, 0.0)
    short_name: ClassVar[str] = "nonlin"

    def linear_alphas(self) -> tuple[float, ...]:
        return tuple(self.alphas)

    def nonlinear_betas(self) -> tuple[float, float, float]:
        return tuple(self.betas)


class BurgersSingleChannel(_NonlinearFamily):
    convection_sc_beta: float = -1.25e-2
    diffusion_alpha: float = 3.0e-5
    short_name: ClassVar[str] = "burgers_sc"

    def linear_alphas(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_alpha, 0.0, 0.0)

    def nonlinear_betas(self) -> tuple[float, float, float]:
        return (0.0, self.convection_sc_beta, 0.0)


class KortewegDeVries(_NonlinearFamily):
    convection_sc_beta: float = -1.25e-2
    dispersion_alpha: float = -8.5e-7
    hyp_diffusion_alpha: float = -2.0e-9
    short_name: ClassVar[str] = "kdv"

    def linear_alphas(self) -> tuple[float, ...]:
        return (0.0, 0.0, 0.0, self.dispersion_alpha, self.hyp_diffusion_alpha)

    def nonlinear_betas(self) -> tuple[float, float, float]:
        return (0.0, self.convection_sc_beta, 0.0)


class KuramotoSivashinsky(_NonlinearFamily):
    gradient_norm_beta: float = -2.5e-4
    diffusion_alpha: float = -2.5e-5
    hyp_diffusion_alpha: float = -3.0e-9
    num_warmup_steps: int = 500
    vlim: tuple[float, float] = (-6.5, 6.5)
    report_metrics: str = "mean_nRMSE,mean_correlation"
    short_name: ClassVar[str] = "ks"

    def linear_alphas(self) -> tuple[float, ...]:
        return (0.0, 0.0, self.diffusion_alpha, 0.0, self.hyp_diffusion_alpha)

    def nonlinear_betas(self) -> tuple[float, float, float]:
        return (0.0, 0.0, self.gradient_norm_beta)


class FisherKPP(_NonlinearFamily):
    quadratic_beta: float = -0.02
    drag_alpha: float = 0.02
    diffusion_alpha: float = 4.0e-6
    ic_config: str = "clamp;0.0;1.0;fourier;5;false;false"
    short_name: ClassVar[str] = "fisher"

    def linear_alphas(self) -> tuple[float, ...]:
        return (self.drag_alpha, 0.0, self.diffusion_alpha, 0.0, 0.0)

    def nonlinear_betas(self) -> tuple[float, float, float]:
        return (self.quadratic_beta, 0.0, 0.0)
