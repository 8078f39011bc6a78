"""Named scenario suites (pure data, no JAX): the APEBench paper's curation of 46 PDEs.

A suite is a list of scenario configurations ``{"scenario": key, **attribute overrides}``;
:func:`apebench_core.study.suite.suite_configs` turns one into experiment configurations
under a protocol (the paper's budget or the quick one).
"""

from __future__ import annotations

from typing import Any

from apebench_core.plugin import ComponentSpec

_3D = {"num_spatial_dims": 3, "num_points": 32, "num_test_samples": 10}

_LINEAR = ("diff_adv", "diff_diff", "diff_adv_diff", "diff_disp", "diff_hyp_diff")


def apebench_v1() -> list[dict[str, Any]]:
    """The 46 scenarios of the APEBench paper (10 in 1D, 19 in 2D, 17 in 3D at N = 32)."""
    one_d = [{"scenario": key} for key in _LINEAR] + [
        {"scenario": key} for key in ("diff_burgers", "diff_kdv", "diff_ks", "diff_ks_cons", "diff_fisher")
    ]
    two_d = [
        *({"scenario": key, "num_spatial_dims": 2} for key in _LINEAR),
        {"scenario": "phy_unbal_adv", "num_spatial_dims": 2, "advection_coef_vector": (0.01, -0.04)},
        *(
            {"scenario": key, "num_spatial_dims": 2}
            for key in ("phy_diag_diff", "phy_aniso_diff", "phy_mix_disp", "phy_mix_hyp")
        ),
        *(
            {"scenario": key, "num_spatial_dims": 2}
            for key in (
                "diff_burgers",
                "diff_burgers_sc",
                "diff_kdv",
                "diff_ks",
                "phy_decay_turb",
                "phy_kolm_flow",
                "diff_fisher",
                "phy_gs_type",
                "phy_sh",
            )
        ),
    ]
    three_d = [
        *({"scenario": key, **_3D} for key in _LINEAR),
        {"scenario": "phy_unbal_adv", **_3D},
        {"scenario": "phy_diag_diff", **_3D, "diffusion_coef_vector": (0.001, 0.002, 0.0004)},
        {
            "scenario": "phy_aniso_diff",
            **_3D,
            "diffusion_coef_matrix": (
                (0.001, 0.0005, 0.0003),
                (0.0005, 0.002, 0.0002),
                (0.0003, 0.0002, 0.0004),
            ),
        },
        *({"scenario": key, **_3D} for key in ("phy_mix_disp", "phy_mix_hyp")),
        *(
            {"scenario": key, **_3D}
            for key in (
                "diff_burgers",
                "diff_burgers_sc",
                "diff_kdv",
                "diff_ks",
                "diff_fisher",
                "phy_gs_type",
                "phy_sh",
            )
        ),
    ]
    return one_d + two_d + three_d


SUITE_SPECS = [
    ComponentSpec(
        kind="suite",
        name="apebench_v1",
        factory="apebench_pde._catalogue_suites:apebench_v1",
        summary="the APEBench paper's 46 scenarios: 10 in 1D, 19 in 2D, 17 in 3D (N = 32, 10 test samples)",
        metadata={"num_scenarios": 46},
    )
]

