"""Build the ETDRK stepper of a scenario from its :class:`NormalizedTerms` (unit domain, unit dt)."""

from __future__ import annotations

from typing import Any

from ..etdrk import Convection, ETDRKStepper, GeneralNonlinear, derivative_operator, linear_operator
from ._base import NormalizedTerms


def normalized_stepper(
    terms: NormalizedTerms,
    *,
    num_spatial_dims: int,
    num_points: int,
    num_channels: int,
    order: int,
    num_substeps: int = 1,
    dealiasing_fraction: float = 2 / 3,
    num_circle_points: int = 16,
    circle_radius: float = 1.0,
    real_coefficients: bool = False,
) -> Any:
    grid = dict(num_spatial_dims=num_spatial_dims, domain_extent=1.0, num_points=num_points)
    linear = linear_operator(derivative_operator(num_spatial_dims, 1.0, num_points), terms.alphas)
    nonlinear = None
    if terms.convection is not None:
        nonlinear = Convection(
            terms.convection, conservative=terms.conservative, dealiasing_fraction=dealiasing_fraction, **grid
        )
    elif terms.nonlinear is not None:
        nonlinear = GeneralNonlinear(terms.nonlinear, dealiasing_fraction=dealiasing_fraction, **grid)
    return ETDRKStepper(
        linear,
        nonlinear,
        num_channels=num_channels,
        dt=1.0,
        order=order,
        num_substeps=num_substeps,
        num_circle_points=num_circle_points,
        circle_radius=circle_radius,
        real_coefficients=real_coefficients,
        **grid,
    )
