"""``BaseScenario``: one scenario composes the experiment, data flowing downhill.

scenario fields -> reference stepper + initial conditions -> train/test
trajectories (generated once per instance) -> network from the architecture
spec -> neural stepper for the task -> methodology + optimizer -> trained
networks for all seeds (vmapped) -> metric rollouts -> one wide table.

Subclasses declare their fields as annotated class attributes; they become a
frozen, keyword-only dataclass automatically (no decorator needed), like the
seed API's Equinox-module scenarios.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar

from ._registry import get_registry

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
    ic_config: str = "fourier;5;true;true"
    num_warmup_steps: int = 0
    num_train_samples: int = 50
    train_temporal_horizon: int = 50
    train_seed: int = 0
    num_test_samples: int = 30
    test_temporal_horizon: int = 200
    test_seed: int = 773
    optim_config: str = "adam;10_000;warmup_cosine;0.0;1e-3;2_000"
    batch_size: int = 20
    num_trjs_returned: int = 1
    record_loss_every: int = 100
    vlim: tuple[float, float] = (-1.0, 1.0)
    report_metrics: str = "mean_nRMSE"
    callbacks: str = ""

    #: Channel rule: "one", "dims" (channels = spatial dims) or a fixed number.
    channel_rule: ClassVar[str | int] = "one"

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
        raise NotImplementedError(f"{type(self).__name__} must implement get_ref_stepper()")

    def get_coarse_stepper(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} has no coarse stepper, so no correction task")

    def get_scenario_name(self) -> str:
        raise NotImplementedError(f"{type(self).__name__} must implement get_scenario_name()")

    # -- small helpers --------------------------------------------------------
    @property
    def _cache(self) -> dict[str, Any]:
        return self.__dict__.setdefault("_apebench_cache", {})

    def _cached(self, name: str, make: Any) -> Any:
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    @property
    def num_training_steps(self) -> int:
        """The ``num_steps`` field of the optimizer config (searched in nested configs, e.g. ``clip``)."""
        parsed = get_registry().parse("optimizer", self.optim_config)
        while "num_steps" not in parsed.values:
            nested = [v for v in parsed.values.values() if hasattr(v, "values")]
            if not nested:
                raise ValueError(f"optimizer config {self.optim_config!r} has no num_steps field")
            parsed = nested[0]
        return int(parsed["num_steps"])

    def attribute_overrides(self) -> dict[str, Any]:
        """The fields whose values differ from the class defaults (the ``scenario_kwargs``)."""
        defaults = type(self)()
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != getattr(defaults, f.name)
        }

    # -- initial conditions and data ------------------------------------------
    def get_ic_generator(self) -> Any:
        """A callable ``(*, key) -> (channels, *space)``: independent draws per channel."""
        from .pipeline import multichannel

        single = get_registry().build(
            "initial_condition",
            self.ic_config,
            num_spatial_dims=self.num_spatial_dims,
            num_points=self.num_points,
        )
        return multichannel(single, self.num_channels)

    def _ic_set(self, num_samples: int, seed: int) -> Any:
        import jax

        from .pipeline import draw_ic_set

        return draw_ic_set(self.get_ic_generator(), num_samples, key=jax.random.PRNGKey(seed))

    def get_train_ic_set(self) -> Any:
        return self._ic_set(self.num_train_samples, self.train_seed)

    def get_test_ic_set(self) -> Any:
        return self._ic_set(self.num_test_samples, self.test_seed)

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

    # -- networks and steppers ------------------------------------------------
    def get_network(self, network_config: str, key: Any) -> Any:
        return get_registry().build(
            "architecture",
            network_config,
            num_spatial_dims=self.num_spatial_dims,
            num_channels=self.num_channels,
            num_points=self.num_points,
            key=key,
        )

    def get_task(self, task_config: str) -> Any:
        """A function ``network -> neural stepper`` for the task (predict / correct)."""
        parsed = get_registry().parse("task", task_config)
        coarse = self.get_coarse_stepper() if parsed.spec.metadata.get("needs_coarse_stepper") else None
        return lambda network: parsed.build(network=network, coarse_stepper=coarse)

    def get_neural_stepper(self, *, task_config: str, network_config: str, key: Any) -> Any:
        return self.get_task(task_config)(self.get_network(network_config, key))

    def get_parameter_count(self, network_config: str) -> int:
        import jax

        from .pipeline import count_parameters

        return count_parameters(self.get_network(network_config, jax.random.PRNGKey(0)))

    def get_receptive_field(self, *, network_config: str, task_config: str = "predict") -> Any:
        import jax

        return self.get_network(network_config, jax.random.PRNGKey(0)).receptive_field

    def get_optimizer(self) -> Any:
        return get_registry().build("optimizer", self.optim_config)

    def get_methodology(self, train_config: str) -> Any:
        return get_registry().build("trainer", train_config)

    def get_trainer(self, *, train_config: str, task_config: str = "predict", progress: bool = True) -> Any:
        """A function ``(networks, shuffle_keys) -> (networks, loss history, callback records)``
        training seed-stacked networks on this scenario's train data (seed API name)."""
        import functools

        from .pipeline import _build_callbacks
        from .training import sub_trajectories, train_ensemble

        methodology = self.get_methodology(train_config)
        return functools.partial(
            train_ensemble,
            make_stepper=self.get_task(task_config),
            methodology=methodology,
            windows=sub_trajectories(self.get_train_data(), methodology.window_length),
            optimizer=self.get_optimizer(),
            num_steps=self.num_training_steps,
            batch_size=self.batch_size,
            record_loss_every=self.record_loss_every,
            ref_stepper=self.get_ref_stepper(),
            callbacks=tuple(_build_callbacks(self)),
            progress=progress,
        )

    def get_metric_fns(self) -> dict[str, Any]:
        return {
            name: get_registry().build("metric", name)
            for name in (part.strip() for part in self.report_metrics.split(","))
            if name
        }

    # -- evaluation -----------------------------------------------------------
    def perform_tests(self, neural_stepper: Any, *, remove_singleton_axis: bool = False) -> dict[str, Any]:
        """``{metric: (seeds, test_temporal_horizon)}`` for a seed-stacked neural stepper."""
        from .pipeline import metric_rollouts

        return metric_rollouts(
            neural_stepper,
            self.get_test_data(),
            self.get_metric_fns(),
            remove_singleton_axis=remove_singleton_axis,
        )

    def perform_tests_on_rollout(self, neural_rollout: Any, test_data_no_init: Any = None) -> dict[str, Any]:
        """Score an external rollout ``(samples, T, C, *N)`` or ``(seeds, samples, T, C, *N)``."""
        from .pipeline import metrics_of_rollout

        reference = self.get_test_data()[:, 1:] if test_data_no_init is None else test_data_no_init
        return metrics_of_rollout(neural_rollout, reference, self.get_metric_fns())

    def sample_trjs(self, neural_stepper: Any) -> Any:
        """Rollouts of the first ``num_trjs_returned`` test ICs, start included: (seeds, n, T+1, C, *N)."""
        from .pipeline import sample_rollouts

        return sample_rollouts(
            neural_stepper, self.get_test_data()[: self.num_trjs_returned, 0], self.test_temporal_horizon
        )

    # -- running --------------------------------------------------------------
    def run_raw(
        self,
        *,
        task_config: str = "predict",
        network_config: str = "Conv;26;10;relu",
        train_config: str = "one",
        start_seed: int = 0,
        num_seeds: int = 1,
        remove_singleton_axis: bool = False,
        progress: bool = True,
    ) -> Any:
        """Train ``num_seeds`` seeds in parallel; see :func:`apebench_core.pipeline.run_raw`."""
        from .pipeline import run_raw

        return run_raw(
            self,
            task_config=task_config,
            network_config=network_config,
            train_config=train_config,
            start_seed=start_seed,
            num_seeds=num_seeds,
            remove_singleton_axis=remove_singleton_axis,
            progress=progress,
        )

    def __call__(
        self,
        *,
        task_config: str = "predict",
        network_config: str = "Conv;26;10;relu",
        train_config: str = "one",
        start_seed: int = 0,
        num_seeds: int = 1,
        remove_singleton_axis: bool = True,
        progress: bool = True,
    ) -> tuple[pd.DataFrame, Any]:
        """Train and evaluate; returns (wide DataFrame with one row per seed, trained steppers)."""
        from .results import wide_table

        raw = self.run_raw(
            task_config=task_config,
            network_config=network_config,
            train_config=train_config,
            start_seed=start_seed,
            num_seeds=num_seeds,
            remove_singleton_axis=False,
            progress=progress,
        )
        table = wide_table(
            self,
            raw,
            task_config=task_config,
            network_config=network_config,
            train_config=train_config,
        )
        steppers = raw.steppers
        if remove_singleton_axis and num_seeds == 1:
            from .pipeline import extract_seed

            steppers = extract_seed(steppers, 0)
        return table, steppers

    def load_model(
        self,
        path: str,
        *,
        num_seeds: int,
        task_config: str = "predict",
        network_config: str = "Conv;26;10;relu",
        remove_singleton_axis: bool = True,
    ) -> Any:
        """Load seed-stacked networks written by :func:`apebench_core.results.save_networks`."""
        from .pipeline import load_networks

        return load_networks(
            self,
            path,
            num_seeds=num_seeds,
            task_config=task_config,
            network_config=network_config,
            remove_singleton_axis=remove_singleton_axis,
        )
