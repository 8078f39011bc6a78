"""Entry module of the bundled metrics plugin: specs only, no JAX.

Names and formulas follow APEBench 0.1.1 / Exponax 0.1.0: norms on the unit
domain (L = 1), computed per channel and summed over channels, then averaged
over samples. ``mean_VRMSE`` goes beyond the anchor.
"""

from apebench_core import ComponentSpec, Field, hookimpl

_ERRORS = {
    "MAE": "L1 norm of the error",
    "MSE": "squared L2 norm of the error",
    "RMSE": "L2 norm of the error",
}
_MODES = {
    "": ("absolute", "{what}"),
    "n": ("normalized", "{what} over the same norm of the reference"),
    "s": ("symmetric", "2 x {what} over the sum of the prediction's and reference's norms"),
}
_CHANNELS = "; per channel, summed over channels, mean over samples"


def _spatial_specs() -> list[ComponentSpec]:
    return [
        ComponentSpec(
            "metric",
            f"mean_{prefix}{error}",
            f"apebench_metrics.spatial:mean_{prefix}{error.lower()}",
            template.format(what=what) + _CHANNELS,
        )
        for prefix, (_mode, template) in _MODES.items()
        for error, what in _ERRORS.items()
    ]


_BAND_FIELDS = (
    Field("low", "int", "lowest kept mode (inclusive; max-norm of the integer wavenumber)"),
    Field("high", "int", "highest kept mode (inclusive)"),
    Field(
        "derivative_order",
        "float",
        "spectrum multiplied by (ik)^order per direction; the D direction components are summed "
        "after taking the norm, so in D>1 even 0 counts the spectrum D times (anchor behaviour)",
    ),
)
_FOURIER_NOTE = (
    " in Fourier space (rfft, Parseval-weighted) over a band of modes; direction components "
    "of the derivative are each normed and then summed, so in D>1 the absolute variants "
    "(also with order 0) are D-fold, the normalized ones are not" + _CHANNELS
)


def _fourier_specs() -> list[ComponentSpec]:
    return [
        ComponentSpec(
            "metric",
            f"mean_fourier_{prefix}{error}",
            f"apebench_metrics.fourier:mean_fourier_{prefix}{error.lower()}",
            template.format(what=what) + _FOURIER_NOTE,
            fields=_BAND_FIELDS,
        )
        for prefix, (_mode, template) in _MODES.items()
        if prefix != "s"
        for error, what in _ERRORS.items()
    ]


def _h1_specs() -> list[ComponentSpec]:
    return [
        ComponentSpec(
            "metric",
            f"mean_H1_{prefix}{error}",
            f"apebench_metrics.fourier:mean_h1_{prefix}{error.lower()}",
            f"H1: Fourier {prefix}{error} of the field plus that of its first derivative "
            "(direction components summed)" + _CHANNELS,
        )
        for prefix in ("", "n")
        for error in _ERRORS
    ]


METRIC_SPECS = [
    *_spatial_specs(),
    ComponentSpec(
        "metric",
        "mean_VRMSE",
        "apebench_metrics.spatial:mean_vrmse",
        "beyond the anchor: RMSE over the reference's spatial standard deviation"
        + _CHANNELS
        + " (like nRMSE, so a 2-channel mean predictor scores 2)",
    ),
    *_fourier_specs(),
    *_h1_specs(),
    ComponentSpec(
        "metric",
        "mean_correlation",
        "apebench_metrics.correlation:mean_correlation",
        "per channel u.r/(|u||r|): cosine similarity without mean subtraction; "
        "averaged over channels and samples",
    ),
]


@hookimpl
def apebench_metrics():
    return METRIC_SPECS
