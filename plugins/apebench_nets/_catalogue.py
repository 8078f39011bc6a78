"""Specs of the architectures and activations (no JAX: listing stays fast).

The grammars follow APEBench's network configs, e.g. ``Conv;26;10;relu``; the last
field of every architecture is the activation, a nested config of kind "activation".
"""

from apebench_core.plugin import ComponentSpec, Field

_FACTORIES = "apebench_nets.factories"
_ACTIVATIONS = "apebench_nets.activations"

_RULES = "apebench_nets._rules"
_HIDDEN = Field("hidden_channels", "int", help="channels of the hidden feature maps", ge=1)
_BLOCKS = Field("num_blocks", "int", help="number of residual blocks", ge=1)
_LEVELS = Field("num_levels", "int", help="number of coarsening levels (N must divide by 2^levels)", ge=1)


def _activation(default=None) -> Field:
    help_text = "activation between layers (an activation config, e.g. relu)"
    if default is None:
        return Field("activation", "config", help=help_text, kind="activation")
    return Field("activation", "config", help=help_text, kind="activation", default=default)


def _architecture(
    name: str, factory: str, summary: str, *fields: Field, rule: str | None = None, **metadata: object
) -> ComponentSpec:
    return ComponentSpec(
        kind="architecture",
        name=name,
        factory=f"{_FACTORIES}:{factory}",
        summary=summary,
        fields=fields,
        validate=f"{_RULES}:{rule}" if rule else None,
        metadata=metadata,
    )


ARCHITECTURE_SPECS = [
    _architecture(
        "Conv",
        "conv",
        "feed-forward stack of depth+1 periodic 3-tap convolutions (PDEquinox ConvNet)",
        _HIDDEN,
        Field("depth", "int", help="number of hidden layers; depth+1 convolutions in all", ge=0),
        _activation(),
    ),
    _architecture(
        "Res",
        "res",
        "ClassicResNet: 1x1 lifting, post-activation blocks of two 3-tap convs (no norm), 1x1 projection",
        _HIDDEN,
        _BLOCKS,
        _activation(),
    ),
    _architecture(
        "UNet",
        "unet",
        "ClassicUNet: double-conv blocks with group norm, strided-conv down, transposed-conv up, skips",
        _HIDDEN,
        _LEVELS,
        _activation(),
        rule="levels_divide_grid",
    ),
    _architecture(
        "Dil",
        "dil",
        "DilatedResNet: blocks of group-normalised convs with rates 1, 2, ..., 2^D, ..., 2, 1",
        Field("dilation_depth", "int", help="D: the largest dilation rate is 2^D (1 -> rates 1,2,1)", ge=0),
        _HIDDEN,
        _BLOCKS,
        _activation(),
    ),
    _architecture(
        "FNO",
        "fno",
        "ClassicFNO: 1x1 lifting, spectral conv + pointwise bypass blocks, 1x1 projection",
        Field("num_modes", "int", help="Fourier modes kept per axis", ge=1),
        _HIDDEN,
        _BLOCKS,
        _activation(),
        rule="modes_resolvable",
        seed_batch="all",  # vmapped seeds share each FFT and its launch: 0.40 vs 0.95 ms per seed at 10
    ),
    _architecture(
        "MLP",
        "mlp",
        "multilayer perceptron on the flattened field (tied to num_points)",
        Field("width", "int", help="neurons per hidden layer", ge=1),
        Field("depth", "int", help="number of hidden layers", ge=0),
        _activation(),
    ),
    _architecture(
        "Pure",
        "pure",
        "one learnable periodic stencil without bias (activation optional, identity by default)",
        Field("kernel_size", "int", help="number of taps per axis", ge=1),
        _activation("identity"),
        rule="kernel_fits_grid",
    ),
    _architecture(
        "MoRes",
        "mores",
        "ModernResNet: pre-activation residual blocks with group norm",
        _HIDDEN,
        _BLOCKS,
        _activation(),
    ),
    _architecture(
        "MoUNet",
        "mounet",
        "ModernUNet: two pre-activation ResNet blocks per level and arc",
        _HIDDEN,
        _LEVELS,
        _activation(),
        rule="levels_divide_grid",
    ),
]

_ACTIVATION_SUMMARIES = {
    "relu": "max(x, 0)",
    "sigmoid": "1 / (1 + exp(-x))",
    "tanh": "hyperbolic tangent",
    "swish": "x * sigmoid(x) (SiLU)",
    "gelu": "Gaussian error linear unit, tanh approximation (jax.nn.gelu)",
    "identity": "x (no nonlinearity)",
}

ACTIVATION_SPECS = [
    ComponentSpec(kind="activation", name=name, factory=f"{_ACTIVATIONS}:{name}_factory", summary=summary)
    for name, summary in _ACTIVATION_SUMMARIES.items()
]
