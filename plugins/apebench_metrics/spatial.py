"""Spatial error metrics: ``mean_{,n,s}{MAE,MSE,RMSE}`` and ``mean_VRMSE``.

Each module-level name is a spec factory: called without arguments it returns
the ``(prediction, reference) -> scalar`` batch metric.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ._aggregation import EXPONENTS, Metric, error_metric, spatial_aggregate


def spatial_metric(error: str, mode: str) -> Metric:
    """Batch metric of the spatial ``error`` kind (MAE, MSE, RMSE) in ``mode``."""
    inner, outer = EXPONENTS[error]
    return error_metric(partial(spatial_aggregate, inner=inner, outer=outer), mode)


def _factory(error: str, mode: str) -> Callable[[], Metric]:
    def factory() -> Metric:
        return spatial_metric(error, mode)

    factory.__doc__ = f"Spatial {error} in {mode} mode, summed over channels, averaged over samples."
    return factory


mean_mae = _factory("MAE", "absolute")
mean_mse = _factory("MSE", "absolute")
mean_rmse = _factory("RMSE", "absolute")
mean_nmae = _factory("MAE", "normalized")
mean_nmse = _factory("MSE", "normalized")
mean_nrmse = _factory("RMSE", "normalized")
mean_smae = _factory("MAE", "symmetric")
mean_smse = _factory("MSE", "symmetric")
mean_srmse = _factory("RMSE", "symmetric")
mean_vrmse = _factory("RMSE", "standardized")
