"""Specs of the initial-condition distributions (no JAX: listing stays fast)."""

from apebench_core.plugin import ComponentSpec, Field

_MODULE = "apebench_pde.initial_conditions"
_RULES = "apebench_pde._rules"
_ZERO_MEAN = Field("zero_mean", "bool", help="subtract the mean so the field averages to zero")
_MAX_ONE = Field("max_one", "bool", help="rescale so that max |u| = 1")

IC_SPECS = [
    ComponentSpec(
        kind="initial_condition",
        name="fourier",
        factory=f"{_MODULE}:TruncatedFourierSeries",
        summary="random truncated Fourier series: amplitudes U(-1,1), phases U(0,2π)",
        fields=(
            Field("cutoff", "int", help="highest wavenumber per axis (inclusive)", ge=1),
            Field("zero_mean", "bool", help="no offset; otherwise the offset is U(-0.5, 0.5)"),
            _MAX_ONE,
        ),
        validate=f"{_RULES}:cutoff_resolvable",
    ),
    ComponentSpec(
        kind="initial_condition",
        name="diffused",
        factory=f"{_MODULE}:DiffusedNoise",
        summary="white noise diffused so its spectrum decays like exp(-intensity·|k|²), k = 2πm",
        fields=(
            Field("intensity", "float", help="diffusivity times time on the unit domain", gt=0),
            _ZERO_MEAN,
            _MAX_ONE,
        ),
    ),
    ComponentSpec(
        kind="initial_condition",
        name="grf",
        factory=f"{_MODULE}:GaussianRandomField",
        summary="Gaussian random field with power spectrum ∝ |k|^(-powerlaw_exponent)",
        fields=(
            Field("powerlaw_exponent", "float", help="decay exponent of the power spectrum"),
            Field("zero_mean", "bool", help="exclude the zero mode"),
            _MAX_ONE,
        ),
    ),
    ComponentSpec(
        kind="initial_condition",
        name="clamp",
        factory=f"{_MODULE}:clamp",
        summary="another initial condition rescaled (min-max) onto [low, high], as APEBench's clamp",
        fields=(
            Field("low", "float", help="lower bound"),
            Field("high", "float", help="upper bound"),
            Field("inner", "config", help="the initial condition to clip", kind="initial_condition"),
        ),
        validate=f"{_RULES}:ordered_bounds",
    ),
    ComponentSpec(
        kind="initial_condition",
        name="gaussian_blobs",
        factory=f"{_MODULE}:GaussianBlobs",
        summary="mean of random Gaussian blobs on the unit domain (Gray-Scott states)",
        fields=(
            Field("num_blobs", "int", help="number of blobs averaged", default=1, ge=1),
            Field("one_complement", "bool", help="return 1 - blobs", default=False),
            Field("position_range", "floats", help="range of the centres per axis", default=(0.4, 0.6)),
            Field("variance_range", "floats", help="range of the variances per axis", default=(0.005, 0.01)),
        ),
        validate=f"{_RULES}:blob_ranges",
    ),
]
