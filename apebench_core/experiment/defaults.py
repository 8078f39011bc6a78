"""The component names the seed API uses as defaults: the core's only references to
components by name, all in one place (each resolves through the registry)."""

NET = "Conv;26;10;relu"
TRAIN = "one"
TASK = "predict"
METRIC = "mean_nRMSE"
OPTIMIZER = "adam;10_000;warmup_cosine;0.0;1e-3;2_000"
INITIAL_CONDITION = "fourier;5;true;true"
