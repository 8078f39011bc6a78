"""What every spectral scenario shares: the reference solver on a unit domain with a unit
time step, and a coarse solver with every coefficient scaled by ``coarse_proportion``."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from apebench_core.plugin import BaseScenario, doc

#: Help and ranges of the integrator settings (ETDRK order, substeps, contour integral).
INTEGRATOR_DOCS = {
    "num_substeps": doc("ETDRK substeps per time step", ge=1),
    "order": doc("ETDRK order (0 = exact exponential for linear problems)", ge=0, le=4),
    "dealiasing_fraction": doc("fraction of modes kept by the nonlinear terms' dealiasing", gt=0, le=1),
    "num_circle_points": doc("points of the contour integral of the ETDRK coefficients", ge=1),
    "circle_radius": doc("radius of that contour", gt=0),
    "etdrk_real_coefficients": doc(
        "keep only the real part of the ETDRK phi coefficients, as APEBench 0.1.1 does (first order "
        "for complex linear operators with a nonlinearity); only to reproduce APEBench's data"
    ),
    "coarse_proportion": doc("the coarse stepper's coefficients are this fraction of the reference's", gt=0),
}
_TERMS = {
    "linear": "the single linear term",
    "advection": "advection (first derivative)",
    "diffusion": "diffusion (second derivative)",
    "dispersion": "dispersion (third derivative)",
    "hyp_diffusion": "hyper-diffusion (fourth derivative)",
    "drag": "linear drag (zeroth derivative)",
    "convection": "convection 1/2 div(u (x) u)",
    "convection_sc": "single-channel convection 1/2 (1 . grad)(u^2)",
    "gradient_norm": "gradient norm 1/2 |grad u|^2",
    "quadratic": "quadratic term u^2",
}
_SCALES = {
    "gamma": "difficulty gamma",
    "delta": "difficulty delta",
    "alpha": "normalized coefficient alpha",
    "beta": "normalized coefficient beta",
    "coef": "physical coefficient",
}
#: Help of the coefficient fields (``advection_gamma``, ``diffusion_coef``, ...) and the others
#: that the PDE families share.
COEFFICIENT_DOCS = {
    f"{term}_{suffix}": doc(f"{scale} of {what}")
    for term, what in _TERMS.items()
    for suffix, scale in _SCALES.items()
} | {
    "gammas": doc("difficulties gamma_0.. of the linear terms, by derivative order"),
    "alphas": doc("normalized coefficients alpha_0.. of the linear terms, by derivative order"),
    "a_coefs": doc("physical coefficients a_0.. of the linear terms, by derivative order"),
    "deltas": doc("difficulties (quadratic, single-channel convection, gradient norm)"),
    "betas": doc("normalized coefficients (quadratic, single-channel convection, gradient norm)"),
    "b_coefs": doc("physical coefficients (quadratic, single-channel convection, gradient norm)"),
    "linear_term_order": doc("derivative order of the single linear term", ge=0),
    "conservative": doc("convection in conservative form div(u (x) u) rather than (u . grad) u"),
    "hyper_diffusion_coef": doc("physical coefficient of hyper-diffusion"),
}
#: Help and ranges of the fields of physical scenarios.
PHYSICAL_DOCS = {
    "domain_extent": doc("domain length L per axis", gt=0),
    "dt": doc("time step of the reference solver", gt=0),
    "diffusivity": doc("diffusivity nu", ge=0),
    "diffusivity_1": doc("diffusivity of the first species", ge=0),
    "diffusivity_2": doc("diffusivity of the second species", ge=0),
    "reactivity": doc("reaction rate r"),
    "feed_rate": doc("Gray-Scott feed rate F", ge=0),
    "kill_rate": doc("Gray-Scott kill rate k", ge=0),
    "pattern_type": doc("named Gray-Scott parameter set"),
    "critical_number": doc("Swift-Hohenberg control parameter r"),
    "injection_mode": doc("wavenumber of the Kolmogorov forcing", ge=0),
    "injection_scale": doc("amplitude of the Kolmogorov forcing"),
    "drag": doc("linear drag coefficient"),
    "polynomial_coefficients": doc("coefficients c_0.. of the polynomial reaction sum c_j u^j"),
    "poly_coefs": doc("coefficients c_0.. of the polynomial reaction sum c_j u^j"),
    "advection_coef_vector": doc("advection velocity, one entry per axis"),
    "diffusion_coef_vector": doc("diffusivity per axis (anisotropic diffusion)"),
    "diffusion_coef_matrix": doc("diffusivity tensor, D x D (anisotropic diffusion)"),
}


@attrs.frozen
class NormalizedTerms:
    """A PDE u_t = sum_j alpha_j d^j u + N(u) on [0, 1)^D with dt = 1 (right-hand-side signs).

    ``convection`` is the coefficient of 1/2 div(u (x) u) (multi-channel, channels = D);
    ``nonlinear`` the coefficients (b0, b1, b2) of b0 u^2 + b1 1/2 (1 . grad)(u^2) + b2 1/2 |grad u|^2.
    Negative convection coefficients give the usual Burgers steepening.
    """

    alphas: tuple[float, ...]
    convection: float | None = None
    conservative: bool = True
    nonlinear: tuple[float, float, float] | None = None

    def scaled(self, factor: float) -> NormalizedTerms:
        return NormalizedTerms(
            alphas=tuple(factor * a for a in self.alphas),
            convection=None if self.convection is None else factor * self.convection,
            conservative=self.conservative,
            nonlinear=None if self.nonlinear is None else tuple(factor * b for b in self.nonlinear),
        )


class SpectralScenario(BaseScenario):
    """A scenario whose reference stepper is the ETDRK solver built from :class:`NormalizedTerms`."""

    coarse_proportion: float = 0.5
    field_docs: ClassVar[dict] = INTEGRATOR_DOCS | COEFFICIENT_DOCS

    def normalized_terms(self) -> NormalizedTerms:
        raise NotImplementedError

    def solver_options(self) -> dict[str, Any]:
        """Integrator settings; linear scenarios use the exact exponential (order 0)."""
        return {"order": 0, "num_substeps": 1}

    def _stepper(self, terms: NormalizedTerms) -> Any:
        from ._steppers import normalized_stepper

        return normalized_stepper(
            terms,
            num_spatial_dims=self.num_spatial_dims,
            num_points=self.num_points,
            num_channels=self.num_channels,
            **self.solver_options(),
        )

    def get_ref_stepper(self) -> Any:
        return self._stepper(self.normalized_terms())

    def get_coarse_stepper(self) -> Any:
        return self._stepper(self.normalized_terms().scaled(self.coarse_proportion))


class NonlinearSpectralScenario(SpectralScenario):
    """Adds the integrator settings of nonlinear scenarios (defaults of the anchor)."""

    num_substeps: int = 1
    order: int = 2
    dealiasing_fraction: float = 2 / 3
    num_circle_points: int = 16
    circle_radius: float = 1.0
    etdrk_real_coefficients: bool = False

    def solver_options(self) -> dict[str, Any]:
        return {
            "real_coefficients": self.etdrk_real_coefficients,
            "order": self.order,
            "num_substeps": self.num_substeps,
            "dealiasing_fraction": self.dealiasing_fraction,
            "num_circle_points": self.num_circle_points,
            "circle_radius": self.circle_radius,
        }


class CoefficientFamily:
    """How a family states its coefficients; subclasses convert them to :class:`NormalizedTerms`."""

    prefix: ClassVar[str] = ""

    def to_alphas(self, linear: tuple[float, ...]) -> tuple[float, ...]:
        return tuple(linear)

    def to_convection(self, coefficient: float) -> float:
        return coefficient

    def to_nonlinear(self, coefficients: tuple[float, float, float]) -> tuple[float, float, float]:
        return tuple(coefficients)


class LinearScenario(SpectralScenario, CoefficientFamily):
    """u_t = sum_j c_j d^j u, integrated exactly."""

    short_name: ClassVar[str] = ""

    def linear_coefficients(self) -> tuple[float, ...]:
        raise NotImplementedError

    def normalized_terms(self) -> NormalizedTerms:
        return NormalizedTerms(alphas=self.to_alphas(self.linear_coefficients()))

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_{self.prefix}_{self.short_name}"


class ConvectionScenario(NonlinearSpectralScenario, CoefficientFamily):
    """Linear terms plus multi-channel convection 1/2 div(u (x) u); channels = dimensions."""

    channel_rule: ClassVar[str] = "dims"
    conservative: bool = True
    short_name: ClassVar[str] = ""

    def linear_coefficients(self) -> tuple[float, ...]:
        raise NotImplementedError

    def convection_coefficient(self) -> float:
        raise NotImplementedError

    def normalized_terms(self) -> NormalizedTerms:
        return NormalizedTerms(
            alphas=self.to_alphas(self.linear_coefficients()),
            convection=self.to_convection(self.convection_coefficient()),
            conservative=self.conservative,
        )

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_{self.prefix}_{self.short_name}"


class NonlinearScenario(NonlinearSpectralScenario, CoefficientFamily):
    """Linear terms plus quadratic, single-channel convection and gradient-norm terms."""

    short_name: ClassVar[str] = ""

    def linear_coefficients(self) -> tuple[float, ...]:
        raise NotImplementedError

    def nonlinear_coefficients(self) -> tuple[float, float, float]:
        raise NotImplementedError

    def normalized_terms(self) -> NormalizedTerms:
        return NormalizedTerms(
            alphas=self.to_alphas(self.linear_coefficients()),
            nonlinear=self.to_nonlinear(self.nonlinear_coefficients()),
        )

    def get_scenario_name(self) -> str:
        return f"{self.num_spatial_dims}d_{self.prefix}_{self.short_name}"


def active_orders(coefficients: tuple[float, ...]) -> str:
    """``(0, -4, 0, 1)`` -> ``"1_3"``: the derivative orders present, used in scenario names."""
    return "_".join(str(j) for j, c in enumerate(coefficients) if c != 0.0)
