"""``BaseScenario``: the data protocol of one PDE (fields, steppers, initial conditions, data).

Subclasses declare their fields as annotated class attributes; they become a frozen,
keyword-only dataclass automatically (no decorator needed), like the seed API's
Equinox-module scenarios. Types, defaults, help and ranges of the fields are declared
by the class itself (``field_docs``; see :mod:`apebench_core.experiment.fields`).

Training, evaluation and running belong to the pipeline: the seed-API methods below
(``get_network``, ``get_trainer``, ``perform_tests``, ``__call__``, ...) are thin doors
into it, and the pipeline never calls back into this class beyond its data and steppers.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar

from ..plugin.registry import get_registry
from . import defaults
from .fields import SEED_LIMIT, FieldDoc, doc

if TYPE_CHECKING:
    import pandas as pd


def _as_dataclass(cls: type) -> type:
    return dataclasses.dataclass(frozen=True, kw_only=True, eq=True)(cls)


class _ScenarioBase:
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _as_dataclass(cls)


class BaseScenario(_ScenarioBase):
    """The data protocol and defaults shared by every scenario (seed API names)."""

    num_spatial_dims: int = 1
    num_points: int = 160
    num_channels: int = 1
    ic_config: str = defaults.INITIAL_CONDITION
    num_warmup_steps: int = 0
    num_train_samples: int = 50
    train_temporal_horizon: int = 50
    train_seed: int = 0
    num_test_samples: int = 30
    test_temporal_horizon: int = 200
    test_seed: int = 773
    optim_config: str = defaults.OPTIMIZER
    batch_size: int = 20
    num_trjs_returned: int = 1
    record_loss_every: int = 100
    vlim: tuple[float, float] = (-1.0, 1.0)
    report_metrics: str = defaults.METRIC
    callbacks: str = ""

    #: Help and ranges of the fields; subclasses add entries for their own fields.
    field_docs: ClassVar[dict[str, FieldDoc]] = {
        "num_spatial_dims": doc("spatial dimensions D", ge=1, le=3),
        "num_points": doc("grid points per axis N", ge=2),
        "num_channels": doc("channels of the state (fixed by the scenario where it has a rule)", ge=1),
        "ic_config": doc("distribution of the initial conditions", kind="initial_condition"),
        "num_warmup_steps": doc("reference steps taken before a trajectory is recorded", ge=0),
        "num_train_samples": doc("training trajectories", ge=1),
        "train_temporal_horizon": doc("steps per training trajectory", ge=1),
        "train_seed": doc("seed of the training initial conditions", ge=0, lt=SEED_LIMIT),
        "num_test_samples": doc("test trajectories", ge=1),
        "test_temporal_horizon": doc("steps per test trajectory (the rollout horizon)", ge=1),
        "test_seed": doc("seed of the test initial conditions", ge=0, lt=SEED_LIMIT),
        "optim_config": doc("optimizer and learning-rate schedule", kind="optimizer"),
        "batch_size": doc("training windows per minibatch", ge=1),
        "num_trjs_returned": doc("test trajectories rolled out into sample_rollout columns", ge=1),
        "record_loss_every": doc("update steps between recorded training losses", ge=1),
        "vlim": doc("colour limits of plots (low, high)", length=2),
        "report_metrics": doc("metrics reported per test step", kind="metric", many=True),
        "callbacks": doc("callbacks run during training", kind="callback", many=True),
    }

    #: Channel rule: "one", "dims" (channels = spatial dims) or a fixed number.
    channel_rule: ClassVar[str | int] = "one"
    #: Whether the scenario has a reference solver (``get_ref_stepper``) and a coarse one
    #: (``get_coarse_stepper``); a scenario read from files has neither, and planning refuses the
    #: tasks and training methods that need them.
    has_reference_stepper: ClassVar[bool] = True
    has_coarse_stepper: ClassVar[bool] = True

    def __post_init__(self) -> None:
        expected = self.expected_num_channels()
        if expected is not None and self.num_channels != expected:
            object.__setattr__(self, "num_channels", expected)
        if self.num_spatial_dims not in (1, 2, 3):
            raise ValueError(f"num_spatial_dims must be 1, 2 or 3, got {self.num_spatial_dims}")

    def expected_num_channels(self) -> int | None:
        if self.channel_rule == "dims":
            return self.num_spatial_dims
        if isinstance(self.channel_rule, int):
            return self.channel_rule
        return None

    # -- to be provided by each scenario --------------------------------------
    def get_ref_stepper(self) -> Any:
        """The reference solver: a function ``(channels, *space) -> (channels, *space)``, one step of dt."""
        raise NotImplementedError(f"{type(self).__name__} must implement get_ref_stepper()")

    def get_coarse_stepper(self) -> Any:
        """A cheaper solver of the same shape, for correction tasks."""
        raise NotImplementedError(f"{type(self).__name__} has no coarse stepper, so no correction task")

    def get_scenario_name(self) -> str:
        raise NotImplementedError(f"{type(self).__name__} must implement get_scenario_name()")

    # -- small helpers --------------------------------------------------------
    @property
    def _cache(self) -> dict[str, Any]:
        return self.__dict__.setdefault("_apebench_cache", {})

    def _cached(self, name: str, make: Any) -> Any:
        if name not in self._cache:
            from .compile_cache import activate

            activate()  # data generation is the first compilation of most runs
            self._cache[name] = make()
        return self._cache[name]

    @property
    def num_training_steps(self) -> int:
        """The ``num_steps`` field of the optimizer config (searched in nested configs, e.g. ``clip``)."""
        from .plan import num_training_steps

        return num_training_steps(get_registry().parse("optimizer", self.optim_config))

    def attribute_overrides(self) -> dict[str, Any]:
        """The fields whose values differ from the class defaults."""
        defaults_ = type(self)()
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if getattr(self, f.name) != getattr(defaults_, f.name)
        }

    # -- initial conditions and data ------------------------------------------
    def get_ic_generator(self) -> Any:
        """A callable ``(*, key) -> (channels, *space)``: independent draws per channel."""
        from .data import multichannel

        single = get_registry().build(
            "initial_condition",
            self.ic_config,
            num_spatial_dims=self.num_spatial_dims,
            num_points=self.num_points,
        )
        return multichannel(single, self.num_channels)

    def _ic_set(self, num_samples: int, seed: int) -> Any:
        import jax

        from .data import draw_ic_set

        generator = self._cached("ic_generator", self.get_ic_generator)  # one compiled draw for all sets
        return draw_ic_set(generator, num_samples, key=jax.random.PRNGKey(seed))

    def _warmed_ic_set(self, split: str, stepper: Any) -> Any:
        """The first snapshot of the split's trajectories: the initial states after the warm-up,
        by the same compiled path as the data, so it equals ``data[:, 0]`` bit for bit."""
        from .rollout import generate_trajectories

        num_samples, seed = {
            "train": (self.num_train_samples, self.train_seed),
            "test": (self.num_test_samples, self.test_seed),
        }[split]
        if self.num_warmup_steps == 0:
            return self._ic_set(num_samples, seed)
        ics = self._ic_set(num_samples, seed)
        return generate_trajectories(stepper, ics, num_warmup_steps=self.num_warmup_steps, num_steps=0)[:, 0]

    def get_train_ic_set(self) -> Any:
        """Initial states of the train trajectories (after the warm-up), ``(samples, channels, *space)``."""
        return self._warmed_ic_set("train", self.get_ref_stepper())

    def get_test_ic_set(self) -> Any:
        """Initial states of the test trajectories (after the warm-up)."""
        return self._warmed_ic_set("test", self.get_ref_stepper())

    def get_train_ic_set_coarse(self) -> Any:
        return self._warmed_ic_set("train", self.get_coarse_stepper())

    def get_test_ic_set_coarse(self) -> Any:
        return self._warmed_ic_set("test", self.get_coarse_stepper())

    def produce_data(self, *, stepper: Any, num_samples: int, temporal_horizon: int, seed: int) -> Any:
        """Trajectories ``(samples, temporal_horizon + 1, channels, *space)``."""
        from .rollout import generate_trajectories

        return generate_trajectories(
            stepper,
            self._ic_set(num_samples, seed),
            num_warmup_steps=self.num_warmup_steps,
            num_steps=temporal_horizon,
        )

    def _split_data(self, split: str, stepper: Any) -> Any:
        """Trajectories of the ``train`` or ``test`` protocol produced by ``stepper``."""
        num_samples, horizon, seed = {
            "train": (self.num_train_samples, self.train_temporal_horizon, self.train_seed),
            "test": (self.num_test_samples, self.test_temporal_horizon, self.test_seed),
        }[split]
        return self.produce_data(
            stepper=stepper, num_samples=num_samples, temporal_horizon=horizon, seed=seed
        )

    def get_train_data(self) -> Any:
        """``(num_train_samples, train_temporal_horizon + 1, channels, *space)``, generated once."""
        return self._cached("train", lambda: self._split_data("train", self.get_ref_stepper()))

    def get_test_data(self) -> Any:
        """``(num_test_samples, test_temporal_horizon + 1, channels, *space)``, generated once."""
        return self._cached("test", lambda: self._split_data("test", self.get_ref_stepper()))

    def get_train_data_coarse(self) -> Any:
        return self._split_data("train", self.get_coarse_stepper())

    def get_test_data_coarse(self) -> Any:
        return self._split_data("test", self.get_coarse_stepper())

    def get_ref_sample_data(self) -> Any:
        return self.get_test_data()[: self.num_trjs_returned]

    # -- doors into the pipeline (seed API) -------------------------------------
    def plan(
        self,
        *,
        task_config: str = defaults.TASK,
        network_config: str = defaults.NET,
        train_config: str = defaults.TRAIN,
        start_seed: int = 0,
        num_seeds: int = 1,
    ) -> Any:
        """This scenario's experiment, validated (:func:`apebench_core.experiment.plan.plan`)."""
        from .plan import plan

        return plan(
            self,
            task=task_config,
            net=network_config,
            train=train_config,
            start_seed=start_seed,
            num_seeds=num_seeds,
        )

    def get_network(self, network_config: str, key: Any) -> Any:
        from .networks import build_network
        from .pipeline import grid_of

        return build_network(get_registry().parse("architecture", network_config), key=key, **grid_of(self))

    def get_task(self, task_config: str) -> Any:
        """A function ``network -> neural stepper`` for the task (predict / correct)."""
        from .pipeline import make_task

        return make_task(get_registry().parse("task", task_config), self)

    def get_neural_stepper(self, *, task_config: str, network_config: str, key: Any) -> Any:
        return self.get_task(task_config)(self.get_network(network_config, key))

    def get_parameter_count(self, network_config: str) -> int:
        import jax

        from .networks import count_parameters

        return count_parameters(self.get_network(network_config, jax.random.PRNGKey(0)))

    def get_receptive_field(self, *, network_config: str, task_config: str = defaults.TASK) -> Any:
        import jax

        return self.get_network(network_config, jax.random.PRNGKey(0)).receptive_field

    def get_optimizer(self) -> Any:
        return get_registry().build("optimizer", self.optim_config)

    def get_methodology(self, train_config: str) -> Any:
        return get_registry().build("trainer", train_config)

    def _evaluation(self) -> Any:
        from .evaluation import Evaluation

        return Evaluation.of_scenario(self, self.get_metric_fns())

    def get_trainer(
        self, *, train_config: str, task_config: str = defaults.TASK, progress: bool = True
    ) -> Any:
        """A function ``(networks, shuffle_keys) -> (networks, loss history, callback records)``
        training seed-stacked networks on this scenario's train data (seed API name)."""
        from .pipeline import build_callbacks, make_task, make_trainer
        from .plan import num_training_steps

        experiment = self.plan(task_config=task_config, train_config=train_config)
        configs = experiment.configs
        return make_trainer(
            self,
            methodology=configs["train"].build(),
            optimizer=configs["optimizer"].build(),
            num_steps=num_training_steps(configs["optimizer"]),
            make_stepper=make_task(configs["task"], self),
            callbacks=build_callbacks(configs["callbacks"], self._evaluation(), self),
            progress=progress,
        )

    def get_metric_fns(self) -> dict[str, Any]:
        from .pipeline import build_metrics

        parsed = [get_registry().parse("metric", m) for m in self.report_metrics.split(",") if m.strip()]
        return build_metrics(parsed)

    def perform_tests(self, neural_stepper: Any, *, remove_singleton_axis: bool = False) -> dict[str, Any]:
        """``{metric: (seeds, test_temporal_horizon)}``.

        As in APEBench, ``remove_singleton_axis=True`` means the stepper is a single network
        (its seed axis was removed); the result then has a seed axis of length 1. Otherwise the
        stepper is seed-stacked. The rollout is scored by the same code as
        :meth:`perform_tests_on_rollout`, so an external rollout of the same stepper gives the
        same numbers bit for bit.
        """
        return self._evaluation().rollout_metrics(neural_stepper, seed_axis=not remove_singleton_axis)

    def perform_tests_on_rollout(self, neural_rollout: Any, test_data_no_init: Any = None) -> dict[str, Any]:
        """``{metric: (seeds, T)}`` of an external rollout ``([seeds,] samples, T, C, *N)``; a rollout
        with the initial state (``T + 1`` states) is accepted too. Same numbers as ``perform_tests``
        for the same rollout."""
        from .exchange import align_rollout

        reference = self.get_test_data()[:, 1:] if test_data_no_init is None else test_data_no_init
        aligned = align_rollout(neural_rollout, reference.shape)
        return self._evaluation().metrics_of_rollout(aligned.rollout, reference)

    def export(self, *, split: str = "both", format: str = "hdf5", out: str) -> list:  # noqa: A002
        """Write this scenario's train/test trajectories for other frameworks (``apebench export``)."""
        from .external import export

        return export(self, split=split, format=format, out=out)

    def sample_trjs(self, neural_stepper: Any) -> Any:
        """Rollouts of the first ``num_trjs_returned`` test ICs, start included: (seeds, n, T+1, C, *N)."""
        return self._evaluation().sample_rollouts(neural_stepper)

    def run_raw(
        self,
        *,
        task_config: str = defaults.TASK,
        network_config: str = defaults.NET,
        train_config: str = defaults.TRAIN,
        start_seed: int = 0,
        num_seeds: int = 1,
        remove_singleton_axis: bool = False,
        progress: bool = True,
    ) -> Any:
        """Train ``num_seeds`` seeds in parallel; see :func:`apebench_core.experiment.pipeline.run_raw`."""
        from .pipeline import run_raw

        experiment = self.plan(
            task_config=task_config,
            network_config=network_config,
            train_config=train_config,
            start_seed=start_seed,
            num_seeds=num_seeds,
        )
        raw = run_raw(experiment, progress=progress)
        return raw.without_seed_axis() if remove_singleton_axis else raw

    def __call__(
        self,
        *,
        task_config: str = defaults.TASK,
        network_config: str = defaults.NET,
        train_config: str = defaults.TRAIN,
        start_seed: int = 0,
        num_seeds: int = 1,
        remove_singleton_axis: bool = True,
        progress: bool = True,
    ) -> tuple[pd.DataFrame, Any]:
        """Train and evaluate; returns (wide DataFrame with one row per seed, trained steppers)."""
        from .pipeline import run

        experiment = self.plan(
            task_config=task_config,
            network_config=network_config,
            train_config=train_config,
            start_seed=start_seed,
            num_seeds=num_seeds,
        )
        result = run(experiment, progress=progress)
        raw = result.raw.without_seed_axis() if remove_singleton_axis else result.raw
        return result.table, raw.steppers

    def load_model(
        self,
        path: str,
        *,
        num_seeds: int,
        task_config: str = defaults.TASK,
        network_config: str = defaults.NET,
        remove_singleton_axis: bool = True,
    ) -> Any:
        """Load seed-stacked networks written by :func:`apebench_core.experiment.results.save_networks`."""
        from .pipeline import load_networks

        registry = get_registry()
        return load_networks(
            self,
            path,
            num_seeds=num_seeds,
            task=registry.parse("task", task_config),
            net=registry.parse("architecture", network_config),
            remove_singleton_axis=remove_singleton_axis,
        )
