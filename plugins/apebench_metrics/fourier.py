"""Fourier metrics ``mean_fourier_{,n}{MAE,MSE,RMSE}`` and ``mean_H1_{,n}{MAE,MSE,RMSE}``.

The band and derivative conventions (and the D-fold sum of derivative
components) are those of :mod:`apebench_metrics._spectral`. The H1 metrics add
the unfiltered Fourier metric of the field and that of its first derivative.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ._aggregation import EXPONENTS, Metric, error_metric
from ._spectral import fourier_aggregate


def fourier_metric(
    error: str, mode: str, *, band: tuple[int, int] | None = None, derivative_order: float | None = None
) -> Metric:
    """Batch metric of the Fourier ``error`` kind in ``mode``."""
    inner, outer = EXPONENTS[error]
    aggregate = partial(
        fourier_aggregate, inner=inner, outer=outer, band=band, derivative_order=derivative_order
    )
    return error_metric(aggregate, mode)


def h1_metric(error: str, mode: str) -> Metric:
    """The field's Fourier metric plus its first derivative's (both unfiltered)."""
    value, gradient = fourier_metric(error, mode), fourier_metric(error, mode, derivative_order=1.0)
    return lambda prediction, reference: value(prediction, reference) + gradient(prediction, reference)


def _banded(error: str, mode: str) -> Callable[..., Metric]:
    def factory(low: int, high: int, derivative_order: float) -> Metric:
        return fourier_metric(error, mode, band=(low, high), derivative_order=derivative_order)

    factory.__doc__ = f"Fourier {error} ({mode}) over modes low..high of the order-th derivative."
    return factory


def _h1(error: str, mode: str) -> Callable[[], Metric]:
    def factory() -> Metric:
        return h1_metric(error, mode)

    factory.__doc__ = f"H1 {error} ({mode}): Fourier {error} of the field plus of its first derivative."
    return factory


mean_fourier_mae = _banded("MAE", "absolute")
mean_fourier_mse = _banded("MSE", "absolute")
mean_fourier_rmse = _banded("RMSE", "absolute")
mean_fourier_nmae = _banded("MAE", "normalized")
mean_fourier_nmse = _banded("MSE", "normalized")
mean_fourier_nrmse = _banded("RMSE", "normalized")
mean_h1_mae = _h1("MAE", "absolute")
mean_h1_mse = _h1("MSE", "absolute")
mean_h1_rmse = _h1("RMSE", "absolute")
mean_h1_nmae = _h1("MAE", "normalized")
mean_h1_nmse = _h1("MSE", "normalized")
mean_h1_nrmse = _h1("RMSE", "normalized")
