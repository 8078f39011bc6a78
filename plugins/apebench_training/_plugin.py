"""Entry module of the bundled training plugin: specs only, no JAX."""

from apebench_core.plugin import ComponentSpec, Field, hookimpl

_M = "apebench_training.methodologies"
_R = "apebench_training._rules"
_T = Field("num_rollout_steps", "int", "unrolled emulator steps T", ge=1)
_CUT_BPTT = Field("cut_bptt", "bool", "stop gradients between unrolled steps", default=False)
_CUT_DIV_CHAIN = Field("cut_div_chain", "bool", "no gradient through the reference branch", default=False)

TRAINER_SPECS = [
    ComponentSpec(
        "trainer",
        "one",
        f"{_M}:one_step",
        "one-step supervised training: predict the next state from every state",
    ),
    ComponentSpec(
        "trainer",
        "sup",
        f"{_M}:supervised",
        "supervised rollout: unroll T steps, loss summed over the T time levels",
        fields=(_T, _CUT_BPTT),
        validate=f"{_R}:rollout_window",
    ),
    ComponentSpec(
        "trainer",
        "div",
        f"{_M}:diverted_chain_branch_one",
        "diverted chain (branch length 1): targets come from the reference solver applied to the prediction",
        fields=(_T, _CUT_BPTT, _CUT_DIV_CHAIN),
        metadata={"needs_reference_stepper": True},
    ),
    ComponentSpec(
        "trainer",
        "br",
        f"{_M}:diverted_chain",
        "diverted chain with branch length B: reference branches of B steps from every emulator state",
        fields=(
            _T,
            Field("num_branch_steps", "int", "branch length B (1 <= B <= T)", ge=1),
            _CUT_BPTT,
            _CUT_DIV_CHAIN,
        ),
        validate=f"{_R}:branch_length",
        metadata={"needs_reference_stepper": True},
    ),
    ComponentSpec(
        "trainer",
        "mix",
        f"{_M}:mix_chain",
        "T emulator steps handed over to P reference steps in one chain, all levels in the loss",
        fields=(
            _T,
            Field("num_post_physics_steps", "int", "reference steps P after the emulator", ge=1),
            _CUT_BPTT,
        ),
        validate=f"{_R}:mix_window",
        metadata={"needs_reference_stepper": True},
    ),
    ComponentSpec(
        "trainer",
        "pf",
        f"{_M}:pushforward",
        "pushforward: T-1 steps without gradient, loss on the last step only",
        fields=(_T,),
        validate=f"{_R}:rollout_window",
    ),
    ComponentSpec(
        "trainer",
        "noise",
        f"{_M}:noisy_input",
        "input-noise injection: Gaussian noise (relative std) on the start state, then supervised rollout",
        fields=(
            Field("noise_std", "float", "noise std relative to the start state's std", ge=0),
            Field("num_rollout_steps", "int", "unrolled steps T", default=1, ge=1),
        ),
        validate=f"{_R}:rollout_window",
    ),
]

TASK_SPECS = [
    ComponentSpec("task", "predict", "apebench_training.tasks:predict", "the network replaces the solver"),
    ComponentSpec(
        "task",
        "correct",
        "apebench_training.tasks:correct",
        "the network corrects the frozen coarse solver",
        fields=(
            Field(
                "mode",
                "choice",
                "parallel: coarse(u)+net(u); sequential: net(coarse(u)); "
                "sequential_with_bypass: coarse(u)+net(coarse(u))",
                choices=("parallel", "sequential", "sequential_with_bypass"),
            ),
        ),
        metadata={"needs_coarse_stepper": True},
    ),
]

_SCHEDULE = Field("schedule", "config", "learning-rate schedule config", kind="schedule")
_NUM_STEPS = Field("num_steps", "int", "number of update steps", ge=1)
OPTIMIZER_SPECS = [
    ComponentSpec(
        "optimizer",
        "adam",
        "apebench_training.optimizers:adam",
        "Adam with a learning-rate schedule",
        fields=(_NUM_STEPS, _SCHEDULE),
    ),
    ComponentSpec(
        "optimizer",
        "adamw",
        "apebench_training.optimizers:adamw",
        "AdamW (decoupled weight decay) with a learning-rate schedule",
        fields=(_NUM_STEPS, Field("weight_decay", "float", "decoupled weight-decay factor", ge=0), _SCHEDULE),
    ),
    ComponentSpec(
        "optimizer",
        "clip",
        "apebench_training.optimizers:clip",
        "clip the global gradient norm, then run the inner optimizer",
        fields=(
            Field("max_norm", "float", "largest allowed global gradient norm", gt=0),
            Field("optimizer", "config", "inner optimizer config", kind="optimizer"),
        ),
    ),
]

SCHEDULE_SPECS = [
    ComponentSpec(
        "schedule",
        "constant",
        "apebench_training.optimizers:constant",
        "constant learning rate",
        fields=(Field("learning_rate", "float", "the learning rate", gt=0),),
    ),
    ComponentSpec(
        "schedule",
        "exp",
        "apebench_training.optimizers:exponential",
        "exponential decay: lr = init * rate^(step / transition_steps)",
        fields=(
            Field("init_value", "float", "initial learning rate", gt=0),
            Field("transition_steps", "int", "steps per decay", ge=1),
            Field("decay_rate", "float", "factor per transition", gt=0),
            Field("staircase", "bool", "decay in discrete steps", default=False),
        ),
        validate=f"{_R}:transition_within_training",
    ),
    ComponentSpec(
        "schedule",
        "warmup_cosine",
        "apebench_training.optimizers:warmup_cosine",
        "linear warm-up to the peak, then cosine decay to zero over all steps",
        fields=(
            Field("init_value", "float", "learning rate at step 0", ge=0),
            Field("peak_value", "float", "learning rate after warm-up", gt=0),
            Field("warmup_steps", "int", "length of the warm-up", ge=0),
        ),
        validate=f"{_R}:warmup_within_training",
    ),
]


CALLBACK_SPECS = [
    ComponentSpec(
        "callback",
        name,
        f"apebench_training.callbacks:{factory}",
        summary,
        fields=(Field("every", "int", "run after every this many updates (and before the first)", ge=1),),
    )
    for name, factory, summary in (
        ("net", "get_network", "a copy of each seed's network"),
        ("weight_norm", "weight_norm", "squared L2 norm of each seed's network weights"),
        ("metrics", "metrics", "the scenario's report metrics on the test set, per time step"),
        ("sample_rollout", "sample_rollout", "rollouts of the first test trajectories"),
    )
]


@hookimpl
def apebench_callbacks():
    return CALLBACK_SPECS


@hookimpl
def apebench_trainers():
    return TRAINER_SPECS


@hookimpl
def apebench_tasks():
    return TASK_SPECS


@hookimpl
def apebench_optimizers():
    return OPTIMIZER_SPECS


@hookimpl
def apebench_schedules():
    return SCHEDULE_SPECS
