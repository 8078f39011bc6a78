"""Scenario specs: key, class, family, dimensions. Pure data, no JAX.

``dims`` are the dimensions a scenario can be built in; ``stable_dims`` those in which
its default data is known to be free of NaN/Inf (the anchor's ``guaranteed_non_nan``).
"""

from apebench_core import ComponentSpec

_D123 = (1, 2, 3)
_D1 = (1,)

# key -> (module, class name, summary, dims, stable dims)
_TABLE = {
    # difficulty family: coefficients as difficulties gamma (linear) and delta (nonlinear)
    "diff_lin": ("difficulty", "Linear", "linear PDE from difficulties gamma_0..4", _D123, _D123),
    "diff_lin_simple": ("difficulty", "LinearSimple", "one linear term of a chosen order", _D123, _D123),
    "diff_adv": ("difficulty", "Advection", "advection (gamma_1 = CFL-like difficulty)", _D123, _D123),
    "diff_diff": ("difficulty", "Diffusion", "diffusion", _D123, _D123),
    "diff_adv_diff": ("difficulty", "AdvectionDiffusion", "advection-diffusion", _D123, _D123),
    "diff_disp": ("difficulty", "Dispersion", "dispersion (third derivative)", _D123, _D123),
    "diff_hyp_diff": ("difficulty", "HyperDiffusion", "hyper-diffusion (fourth derivative)", _D123, _D123),
    "diff_four": (
        "difficulty",
        "FirstFour",
        "advection, diffusion, dispersion and hyper-diffusion",
        _D123,
        _D123,
    ),
    "diff_conv": ("difficulty", "Convection", "multi-channel convection with linear terms", _D123, _D123),
    "diff_burgers": ("difficulty", "Burgers", "viscous Burgers (channels = dimensions)", _D123, _D123),
    "diff_ks_cons": ("difficulty", "KuramotoSivashinskyConservative", "KS, conservative form (1D)", _D1, _D1),
    "diff_nonlin": ("difficulty", "Nonlinear", "quadratic, convection and gradient-norm terms", _D123, _D123),
    "diff_burgers_sc": ("difficulty", "BurgersSingleChannel", "single-channel Burgers", _D123, _D123),
    "diff_kdv": ("difficulty", "KortewegDeVries", "KdV with hyper-diffusion", _D123, _D123),
    "diff_ks": (
        "difficulty",
        "KuramotoSivashinsky",
        "Kuramoto-Sivashinsky (gradient-norm form)",
        _D123,
        _D123,
    ),
    "diff_fisher": ("difficulty", "FisherKPP", "Fisher-KPP reaction-diffusion", _D123, _D123),
    # normalized family: coefficients alpha/beta for a unit domain and unit time step
    "norm_lin": ("normalized", "Linear", "linear PDE from normalized coefficients alpha_0..4", _D123, _D1),
    "norm_lin_simple": ("normalized", "LinearSimple", "one linear term of a chosen order", _D123, _D1),
    "norm_adv": ("normalized", "Advection", "advection", _D123, _D1),
    "norm_diff": ("normalized", "Diffusion", "diffusion", _D123, _D1),
    "norm_adv_diff": ("normalized", "AdvectionDiffusion", "advection-diffusion", _D123, _D1),
    "norm_disp": ("normalized", "Dispersion", "dispersion", _D123, _D1),
    "norm_hypdiff": ("normalized", "HyperDiffusion", "hyper-diffusion", _D123, _D1),
    "norm_four": (
        "normalized",
        "FirstFour",
        "advection, diffusion, dispersion and hyper-diffusion",
        _D123,
        _D1,
    ),
    "norm_conv": ("normalized", "Convection", "multi-channel convection with linear terms", _D123, _D1),
    "norm_burgers": ("normalized", "Burgers", "viscous Burgers (channels = dimensions)", _D123, _D1),
    "norm_ks_cons": ("normalized", "KuramotoSivashinskyConservative", "KS, conservative form (1D)", _D1, _D1),
    "norm_nonlin": ("normalized", "Nonlinear", "quadratic, convection and gradient-norm terms", _D123, _D1),
    "norm_burgers_sc": ("normalized", "BurgersSingleChannel", "single-channel Burgers", _D123, _D1),
    "norm_kdv": ("normalized", "KortewegDeVries", "KdV with hyper-diffusion", _D123, _D1),
    "norm_ks": ("normalized", "KuramotoSivashinsky", "Kuramoto-Sivashinsky (gradient-norm form)", _D123, _D1),
    "norm_fisher": ("normalized", "FisherKPP", "Fisher-KPP reaction-diffusion", _D123, _D1),
}

SCENARIO_SPECS = [
    ComponentSpec(
        kind="scenario",
        name=key,
        factory=f"apebench_pde.scenarios.{module}:{class_name}",
        summary=f"{module}: {summary}",
        metadata={"family": module, "class_name": class_name, "dims": dims, "stable_dims": stable},
    )
    for key, (module, class_name, summary, dims, stable) in _TABLE.items()
]
