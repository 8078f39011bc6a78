"""Entry module of the bundled metrics plugin: specs only, no JAX.

Names and formulas follow APEBench 0.1.1 / Exponax 0.1.0: norms on the unit
domain (L = 1), computed per channel and summed over channels, then averaged
over samples. ``mean_VRMSE`` goes beyond the anchor.
"""

from apebench_core.plugin import ComponentSpec, Field, hookimpl

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
_CHANNELS = "; channels summed, samples averaged"


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
    Field("low", "int", "lowest kept mode (inclusive; max-norm of the integer wavenumber)", ge=0),
    Field("high", "int", "highest kept mode (inclusive)", ge=0),
    Field(
        "derivative_order",
        "float",
        "spectrum times (ik_d)^order for each direction d; the D components are normed separately "
        "and summed (anchor behaviour, kept for comparable numbers): in D>1 order 0 counts the "
        "field D times in the absolute variants (ratios cancel it) and order 1 gives sum_d |d_d u|",
        ge=0,
    ),
)
_FOURIER_ERRORS = {
    "MAE": "weighted sum of |rfft coefficients| of the error (not the L1 norm)",
    "MSE": "squared L2 norm of the error via Parseval",
    "RMSE": "L2 norm of the error via Parseval",
}
_FOURIER_NOTE = " over modes low..high of the derivative; in D>1 per-direction norms are summed (see help)"


def _fourier_specs() -> list[ComponentSpec]:
    return [
        ComponentSpec(
            "metric",
            f"mean_fourier_{prefix}{error}",
            f"apebench_metrics.fourier:mean_fourier_{prefix}{error.lower()}",
            template.format(what=what) + _FOURIER_NOTE,
            fields=_BAND_FIELDS,
            validate="apebench_metrics._rules:band_resolvable",
        )
        for prefix, (_mode, template) in _MODES.items()
        if prefix != "s"
        for error, what in _FOURIER_ERRORS.items()
    ]


def _h1_specs() -> list[ComponentSpec]:
    return [
        ComponentSpec(
            "metric",
            f"mean_H1_{prefix}{error}",
            f"apebench_metrics.fourier:mean_h1_{prefix}{error.lower()}",
            f"Fourier {prefix}{error} of the field plus that of its first derivative "
            "(direction norms summed), all modes" + _CHANNELS,
        )
        for prefix in ("", "n")
        for error in _ERRORS
    ]


_BAND = Field("band", "choice", "which third of the spectrum", choices=("low", "mid", "high"))
_PEER_SPECS = [
    ComponentSpec(
        "metric",
        "mean_binned_spectral_MSE",
        "apebench_metrics.peers:mean_binned_spectral_mse",
        "The Well's binned spectral error: the error's power sum_k |fft(u-r)/N^D|^2 in one of three "
        "log-spaced bands of |k| between 1 and sqrt(D) N/2 (mean excluded)" + _CHANNELS,
        fields=(_BAND,),
        validate="apebench_metrics._rules:log_bands_resolvable",
    ),
    ComponentSpec(
        "metric",
        "mean_binned_spectral_nMSE",
        "apebench_metrics.peers:mean_binned_spectral_nmse",
        "The Well's normalized binned spectral error: the error's power in the band over the "
        "reference's (undefined where the reference has no power in the band)" + _CHANNELS,
        fields=(_BAND,),
        validate="apebench_metrics._rules:log_bands_resolvable",
    ),
    ComponentSpec(
        "metric",
        "mean_fRMSE",
        "apebench_metrics.peers:mean_frmse",
        "PDEBench's band error: sqrt(sample mean of sum_{k in band} |fft(u-r)/N^D|^2), bands "
        "|k| < LOW_CUT (mean included), LOW_CUT <= |k| < HIGH_CUT, |k| >= HIGH_CUT; channels summed",
        fields=(
            _BAND,
            Field("low_cut", "float", "radial wavenumber where the mid band starts", default=4.0, ge=0),
            Field("high_cut", "float", "radial wavenumber where the high band starts", default=12.0, gt=0),
        ),
        validate="apebench_metrics._rules:cut_bands_resolvable",
    ),
    ComponentSpec(
        "metric",
        "mean_cRMSE",
        "apebench_metrics.peers:mean_crmse",
        "PDEBench's conserved-quantity error: RMS over samples of the error of the spatial mean; "
        "channels summed",
    ),
    ComponentSpec(
        "metric",
        "mean_Linf",
        "apebench_metrics.peers:mean_linf",
        "maximum pointwise error |u-r| (L-infinity)" + _CHANNELS,
    ),
]


METRIC_SPECS = [
    *_spatial_specs(),
    ComponentSpec(
        "metric",
        "mean_VRMSE",
        "apebench_metrics.spatial:mean_vrmse",
        "beyond the anchor: RMSE over the reference's spatial std per channel" + _CHANNELS,
    ),
    *_fourier_specs(),
    *_h1_specs(),
    *_PEER_SPECS,
    ComponentSpec(
        "metric",
        "mean_correlation",
        "apebench_metrics.correlation:mean_correlation",
        "u.r/(|u||r|) per channel, no mean subtraction (cosine similarity); channels and samples averaged",
    ),
]


@hookimpl
def apebench_metrics():
    return METRIC_SPECS
