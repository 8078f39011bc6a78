"""The component names the seed API uses as defaults: the core's only references to
components by name, all in one place (each resolves through the registry)."""

NET = "Conv;26;10;relu"
TRAIN = "one"
TASK = "predict"
METRIC = "mean_nRMSE"
OPTIMIZER = "adam;10_000;warmup_cosine;0.0;1e-3;2_000"
INITIAL_CONDITION = "fourier;5;true;true"

#: The quick suite protocol's network and optimizer (apebench_core.study.suite).
QUICK_NET = "Conv;8;4;relu"
QUICK_OPTIMIZER = "adam;100;constant;0.001"

#: What examples (the plugin kit's generated tests) use where the plugin brings none of its own.
EXAMPLE_SCENARIO = "diff_adv"
SMALL_NET = "Conv;4;1;relu"
