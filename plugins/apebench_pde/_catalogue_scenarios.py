"""Scenario specs: key, class, family, dimensions. Pure data, no JAX.

``dims`` are the dimensions a scenario can be built in; ``stable_dims`` those in which
its default data is known to be free of NaN/Inf (the anchor's ``guaranteed_non_nan``).
"""

from apebench_core.plugin import ComponentSpec

_D123 = (1, 2, 3)
_D1 = (1,)

# key -> (module, class name, summary, dims, stable dims)
# The PDEs as simulated, with APEBench's conventions (see README, "APEBench's conventions").
_KDV = "KdV with hyper-diffusion (exact ETDRK; etdrk_real_coefficients=True: APEBench's)"
_FISHER = "Fisher-KPP: u_t = nu lap u + D r u - r u^2 (drag r acts D times in D dims)"
_DECAY = "2D Navier-Stokes, decaying; state q = -vorticity: q_t + u.grad q = nu lap q, lap psi = q"
_KOLM = "2D Navier-Stokes, Kolmogorov; state q = -vorticity: q_t + u.grad q = nu lap q + 2 drag q + f"
_TABLE = {
    # difficulty family: coefficients as difficulties gamma (linear) and delta (nonlinear)
    "diff_lin": (
        "difficulty",
        "Linear",
        "linear PDE from difficulties gamma_0..4 (gamma_0 acts D times in D dims)",
        _D123,
        _D123,
    ),
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
    "diff_kdv": (
        "difficulty",
        "KortewegDeVries",
        _KDV,
        _D123,
        _D123,
    ),
    "diff_ks": (
        "difficulty",
        "KuramotoSivashinsky",
        "Kuramoto-Sivashinsky (gradient-norm form)",
        _D123,
        _D123,
    ),
    "diff_fisher": (
        "difficulty",
        "FisherKPP",
        _FISHER,
        _D123,
        _D123,
    ),
    # normalized family: coefficients alpha/beta for a unit domain and unit time step
    "norm_lin": (
        "normalized",
        "Linear",
        "linear PDE from normalized alpha_0..4 (alpha_0 acts D times in D dims)",
        _D123,
        _D1,
    ),
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
    "norm_kdv": (
        "normalized",
        "KortewegDeVries",
        _KDV,
        _D123,
        _D1,
    ),
    "norm_ks": ("normalized", "KuramotoSivashinsky", "Kuramoto-Sivashinsky (gradient-norm form)", _D123, _D1),
    "norm_fisher": (
        "normalized",
        "FisherKPP",
        _FISHER,
        _D123,
        _D1,
    ),
    # physical family: coefficients in physical units on [0, L)^D with time step dt
    "phy_lin": (
        "physical",
        "Linear",
        "linear PDE from physical a_0..4 (a_0 acts D times in D dims)",
        _D123,
        _D1,
    ),
    "phy_lin_simple": ("physical", "LinearSimple", "one linear term of a chosen order", _D123, _D1),
    "phy_adv": ("physical", "Advection", "advection", _D123, _D1),
    "phy_diff": ("physical", "Diffusion", "diffusion", _D123, _D1),
    "phy_adv_diff": ("physical", "AdvectionDiffusion", "advection-diffusion", _D123, _D1),
    "phy_disp": ("physical", "Dispersion", "dispersion", _D123, _D1),
    "phy_hyp_diff": ("physical", "HyperDiffusion", "hyper-diffusion", _D123, _D1),
    "phy_four": (
        "physical",
        "FirstFour",
        "advection, diffusion, dispersion and hyper-diffusion",
        _D123,
        _D1,
    ),
    "phy_conv": ("physical", "Convection", "multi-channel convection with linear terms", _D123, _D1),
    "phy_burgers": ("physical", "Burgers", "viscous Burgers (channels = dimensions)", _D123, _D1),
    "phy_ks_cons": ("physical", "KuramotoSivashinskyConservative", "KS, conservative form (1D)", _D1, _D1),
    "phy_nonlin": ("physical", "Nonlinear", "quadratic, convection and gradient-norm terms", _D123, _D1),
    "phy_burgers_sc": ("physical", "BurgersSingleChannel", "single-channel Burgers", _D123, _D1),
    "phy_kdv": (
        "physical",
        "KortewegDeVries",
        _KDV,
        _D123,
        _D1,
    ),
    "phy_ks": ("physical", "KuramotoSivashinsky", "Kuramoto-Sivashinsky (gradient-norm form)", _D123, _D1),
    "phy_poly": (
        "physical",
        "Polynomial",
        "linear terms plus a polynomial reaction (a_0 acts D times in D dims)",
        _D123,
        _D1,
    ),
    "phy_fisher": (
        "physical",
        "FisherKPP",
        _FISHER,
        _D123,
        _D1,
    ),
    "phy_poisson": (
        "physical",
        "Poisson",
        "periodic Poisson solve (horizon 1, no coarse stepper)",
        _D123,
        _D1,
    ),
    "phy_sh": ("physical", "SwiftHohenberg", "Swift-Hohenberg pattern formation", (2, 3), (2,)),
    "phy_gs": ("physical", "GrayScott", "Gray-Scott reaction-diffusion (2 channels)", (2, 3), (2,)),
    "phy_gs_type": (
        "physical",
        "GrayScottType",
        "Gray-Scott at one of Pearson's 12 pattern types",
        (2, 3),
        (2,),
    ),
    "phy_decay_turb": (
        "physical",
        "DecayingTurbulence",
        _DECAY,
        (2,),
        (2,),
    ),
    "phy_kolm_flow": (
        "physical",
        "KolmogorovFlow",
        _KOLM,
        (2,),
        (2,),
    ),
    # the special linear scenarios run in 2D and 3D (the paper's suite has both); their default
    # vectors fix one dimension (the stable one): the other needs a vector or matrix of its size
    "phy_unbal_adv": ("physical", "UnbalancedAdvection", "advection with a velocity vector", (2, 3), (3,)),
    "phy_diag_diff": (
        "physical",
        "DiagonalDiffusion",
        "diffusion with one coefficient per axis",
        (2, 3),
        (2,),
    ),
    "phy_aniso_diff": (
        "physical",
        "AnisotropicDiffusion",
        "diffusion with a matrix: div(A grad u)",
        (2, 3),
        (2,),
    ),
    "phy_mix_disp": ("physical", "SpatiallyMixedDispersion", "dispersion (1 . grad) lap u", (2, 3), (2,)),
    "phy_mix_hyp": ("physical", "SpatiallyMixedHyperDiffusion", "hyper-diffusion lap(lap u)", (2, 3), (2,)),
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

SCENARIO_SPECS.append(
    ComponentSpec(
        kind="scenario",
        name="dataset",
        factory="apebench_pde.scenarios.dataset:DatasetScenario",
        summary="data: trajectories read from files (The Well's HDF5 layout or an exported .npz); "
        "also written file:PATH",
        metadata={
            "family": "data",
            "class_name": "DatasetScenario",
            "dims": _D123,
            "stable_dims": _D123,
            "prefix": "file",  # file:PATH is this scenario with path=PATH
            "prefix_field": "path",
        },
    )
)
