"""``plan``: one experiment resolved and validated before any data or network exists.

Every config string is parsed once into typed values, every scenario override is checked
against the scenario's declared fields, and the rules between fields are checked (the
components' own ``validate`` rules included). The result, an :class:`Experiment`, is the
only thing the run path accepts; its canonical form (``to_dict``) is the same however the
experiment was written down, and plans back to an equal experiment.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ..plugin.config import ParsedConfig
from ..plugin.errors import ApebenchError, ConfigError, PlanError
from ..plugin.registry import get_registry
from ..plugin.spec import load_object
from . import defaults
from .fields import SEED_LIMIT, ScenarioField, doc, scenario_fields, unknown_field_error

#: The keys of an experiment besides the scenario overrides, in canonical order.
EXPERIMENT_KEYS = ("scenario", "task", "net", "train", "start_seed", "num_seeds")

#: What a component's ``validate(values, facts)`` rule may read about the experiment.
FACTS = (
    "num_spatial_dims",
    "num_points",
    "num_channels",
    "num_steps",
    "batch_size",
    "num_train_samples",
    "train_temporal_horizon",
    "num_test_samples",
    "test_temporal_horizon",
)

_SEED_FIELDS = {
    "start_seed": ScenarioField(
        "start_seed", int, 0, doc("first seed", ge=0, lt=SEED_LIMIT), owner="experiment"
    ),
    "num_seeds": ScenarioField(
        "num_seeds", int, 1, doc("seeds trained side by side", ge=1), owner="experiment"
    ),
}


@attrs.frozen(eq=True, hash=False)
class Experiment:
    """A planned experiment: canonical values (compared for equality) plus what was resolved.

    Build it with :func:`plan`; ``configs`` holds every parsed config string
    (``task``, ``net``, ``train``, ``optimizer``, ``initial_condition``, ``metrics``,
    ``callbacks``) and ``scene`` the scenario instance (no data generated yet).
    """

    scenario: str
    task: str
    net: str
    train: str
    start_seed: int
    num_seeds: int
    overrides: Mapping[str, Any]
    scene: Any = attrs.field(eq=False, repr=False)
    configs: Mapping[str, Any] = attrs.field(eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The canonical configuration: experiment keys, then the overrides sorted by name."""
        return {key: getattr(self, key) for key in EXPERIMENT_KEYS} | dict(self.overrides)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=False)

    @classmethod
    def from_dict(cls, config: Mapping[str, Any]) -> Experiment:
        return plan(**config)

    @property
    def scenario_kwargs(self) -> str:
        """The ``scenario_kwargs`` column: the canonical overrides as a Python literal."""
        return str(dict(self.overrides))

    @property
    def metric_names(self) -> tuple[str, ...]:
        """Labels of the reported metrics, in ``report_metrics`` order (column prefixes)."""
        return tuple(parsed.format() for parsed in self.configs["metrics"])

    @property
    def seeds(self) -> range:
        return range(self.start_seed, self.start_seed + self.num_seeds)


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _is_scenario_class(obj: Any) -> bool:
    return isinstance(obj, type) and dataclasses.is_dataclass(obj) and hasattr(obj, "get_ref_stepper")


def _resolve_class(scenario: Any) -> tuple[str, Any, Any]:
    """(canonical scenario reference, scenario class, factory taking the overrides)."""
    if _is_scenario_class(type(scenario)):
        return _reference_of(type(scenario)), type(scenario), type(scenario)
    if _is_scenario_class(scenario):
        return _reference_of(scenario), scenario, scenario
    if not isinstance(scenario, str) or not scenario.strip():
        raise PlanError(
            f"experiment field 'scenario': got {scenario!r}, expected a scenario key (see apebench list)"
        )
    if ":" in scenario:  # "module:Class", a scenario class outside the registry
        try:
            cls: Any = load_object(scenario.strip())
        except (ImportError, AttributeError) as error:
            raise PlanError(f"experiment field 'scenario': cannot import {scenario!r} ({error})") from None
        if not _is_scenario_class(cls):
            raise PlanError(f"experiment field 'scenario': {scenario!r} is not a BaseScenario subclass")
        return scenario.strip(), cls, cls
    spec = get_registry().get("scenario", scenario)
    factory = spec.load_factory()
    cls = factory if isinstance(factory, type) else type(factory())
    return spec.name, cls, factory


def _reference_of(cls: type) -> str:
    """A registered key for ``cls`` where one exists, else ``module:Class``."""
    for spec in get_registry().specs("scenario"):
        if isinstance(spec.factory, str) and spec.factory == f"{cls.__module__}:{cls.__qualname__}":
            return spec.name
        if spec.factory is cls:
            return spec.name
    return f"{cls.__module__}:{cls.__qualname__}"


def _check_override(field: ScenarioField, value: Any) -> tuple[Any, ParsedConfig | list | None]:
    """The coerced value and, for config-string fields, its parse (canonical string as value)."""
    value = field.coerce(value)
    kind = field.doc.kind
    if kind is None:
        return value, None
    try:
        if field.doc.many:
            parsed = [get_registry().parse(kind, part) for part in _split_list(value)]
            return ",".join(p.format() for p in parsed), parsed
        parsed_one = get_registry().parse(kind, value)
        return parsed_one.format(), parsed_one
    except (ConfigError, LookupError) as error:
        raise type(error)(f"scenario field {field.name!r} = {value!r}: {error}") from None


def _prefixed_scenario(scenario: Any, overrides: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """``PREFIX:VALUE`` for a scenario spec that claims the prefix (metadata ``prefix`` and
    ``prefix_field``): that scenario with the field set to VALUE (``file:data.hdf5``)."""
    if not isinstance(scenario, str) or ":" not in scenario:
        return scenario, overrides
    prefix, value = scenario.strip().split(":", 1)
    for spec in get_registry().specs("scenario"):
        if spec.metadata.get("prefix") == prefix and spec.metadata.get("prefix_field"):
            field = spec.metadata["prefix_field"]
            if field in overrides and overrides[field] != value:
                raise PlanError(
                    f"scenario {scenario!r}: field {field!r} is also given as {overrides[field]!r}"
                )
            return spec.qualified_name, {**overrides, field: value}
    return scenario, overrides


def _check_solvers(scene: Any, configs: Mapping[str, Any]) -> None:
    """Refuse tasks and training methods that need a solver the scenario does not have."""
    name = scene.get_scenario_name() if not getattr(scene, "has_reference_stepper", True) else None
    task = configs["task"]
    if task.spec.metadata.get("needs_coarse_stepper") and not getattr(scene, "has_coarse_stepper", True):
        raise PlanError(
            f"experiment field 'task' = {task.format()!r}: scenario {name or type(scene).__name__!r} has no "
            f"coarse stepper (its reference data comes from a file), so no correction task; use 'predict'"
        )
    train = configs["train"]
    if train.spec.metadata.get("needs_reference_stepper") and not getattr(
        scene, "has_reference_stepper", True
    ):
        raise PlanError(
            f"experiment field 'train' = {train.format()!r}: this method calls the reference solver, but "
            f"scenario {name!r} has none (its reference data comes from a file); use 'one', 'sup;T', "
            f"'pf;T' or 'noise;...'"
        )


def fields_of(scenario: Any) -> dict[str, ScenarioField]:
    """The declared fields of a scenario given by key, ``module:Class``, ``PREFIX:VALUE``, class or
    instance."""
    scenario, _ = _prefixed_scenario(scenario, {})
    try:
        _, cls, _ = _resolve_class(scenario)
    except LookupError as error:
        raise type(error)(f"experiment field 'scenario': {error}") from None
    return scenario_fields(cls)


def _parse(kind: str, key: str, value: Any) -> ParsedConfig:
    if not isinstance(value, str):
        raise PlanError(f"experiment field {key!r}: got {value!r}, expected a {kind} config string")
    try:
        return get_registry().parse(kind, value)
    except (ConfigError, LookupError) as error:  # same class, the field named in front
        raise type(error)(f"experiment field {key!r} = {value!r}: {error}") from None


def _nested(parsed: ParsedConfig) -> Iterator[ParsedConfig]:
    yield parsed
    for value in parsed.values.values():
        if isinstance(value, ParsedConfig):
            yield from _nested(value)


def num_training_steps(optimizer: ParsedConfig) -> int:
    for parsed in _nested(optimizer):
        if "num_steps" in parsed.values:
            return int(parsed["num_steps"])
    raise PlanError(f"scenario field 'optim_config': {optimizer.format()!r} has no num_steps field")


def _available_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def _check_data_size(scene: Any) -> None:
    """Refuse data that cannot fit in this machine's memory (float32 trajectories)."""
    cells = scene.num_channels * scene.num_points**scene.num_spatial_dims
    states = scene.num_train_samples * (scene.train_temporal_horizon + 1) + scene.num_test_samples * (
        scene.test_temporal_horizon + 1
    )
    needed, available = 4 * cells * states, _available_memory()
    if available is not None and needed > available:
        raise PlanError(
            f"scenario fields num_points={scene.num_points}, num_spatial_dims={scene.num_spatial_dims}: "
            f"the train and test trajectories would need {needed / 2**30:.1f} GiB, more than this "
            f"machine's {available / 2**30:.1f} GiB; use fewer points, samples or steps"
        )


def _validate(label: str, parsed: ParsedConfig, facts: Mapping[str, Any]) -> None:
    """Run the ``validate`` rule of ``parsed`` and of every config nested in it."""
    for part in _nested(parsed):
        try:
            validator = part.spec.load_validator()
        except (ImportError, AttributeError) as error:
            raise PlanError(
                f"{label}: cannot load the validate rule of {part.spec.kind} {part.spec.qualified_name!r} "
                f"({type(error).__name__}: {error})"
            ) from None
        if validator is None:
            continue
        try:
            validator(dict(part.values), dict(facts))
        except ValueError as error:
            inner = "" if part is parsed else f"{part.spec.kind} {part.format()!r}: "
            raise PlanError(f"{label} = {parsed.format()!r}: {inner}{error}") from None


def plan(
    scenario: Any,
    *,
    task: str = defaults.TASK,
    net: str = defaults.NET,
    train: str = defaults.TRAIN,
    start_seed: int = 0,
    num_seeds: int = 1,
    **overrides: Any,
) -> Experiment:
    """Resolve and check one experiment; raises a ``ValueError`` subclass naming the field.

    ``scenario`` is a registered key (``diff_adv``), a ``"module:Class"`` path, a scenario
    class or instance (an instance's own field values count as overrides); ``overrides``
    set scenario fields (``num_points=64``, ``optim_config="adam;..."``).
    """
    scenario, overrides = _prefixed_scenario(scenario, overrides)
    try:
        reference, cls, factory = _resolve_class(scenario)
    except LookupError as error:
        raise type(error)(f"experiment field 'scenario': {error}") from None
    fields = scenario_fields(cls)
    start_seed = _SEED_FIELDS["start_seed"].coerce(start_seed)
    num_seeds = _SEED_FIELDS["num_seeds"].coerce(num_seeds)
    if start_seed + num_seeds > SEED_LIMIT:
        raise PlanError(
            f"experiment fields start_seed={start_seed}, num_seeds={num_seeds}: the last seed must stay "
            f"below 2**32 (JAX seeds are 32-bit)"
        )
    overrides_given = bool(overrides)
    if not isinstance(scenario, (str, type)):  # an instance: its differing fields are overrides
        overrides = {**{name: getattr(scenario, name) for name in fields}, **overrides}
    canonical = _canonical_overrides(fields, overrides)
    if _is_scenario_class(type(scenario)) and not overrides_given:
        scene = scenario  # the instance itself: its cached data stay with it
    else:
        scene = _build_scene(reference, factory, cls, canonical)
    _check_scene(reference, scene, canonical)
    configs = _parse_configs(scene, fields, task=task, net=net, train=train)
    _check_rules(scene, configs)
    return Experiment(
        scenario=reference,
        task=configs["task"].format(),
        net=configs["net"].format(),
        train=configs["train"].format(),
        start_seed=start_seed,
        num_seeds=num_seeds,
        overrides=canonical,
        scene=scene,
        configs=configs,
    )


def _canonical_overrides(fields: Mapping[str, ScenarioField], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Checked, coerced overrides, sorted by name, without those equal to the class defaults."""
    checked: dict[str, Any] = {}
    for name, value in overrides.items():
        if name not in fields:
            raise unknown_field_error(name, {**fields, **_SEED_FIELDS}, "scenario")
        checked[name], _ = _check_override(fields[name], value)
    return {
        name: checked[name]
        for name in sorted(checked)
        if checked[name] != _check_override(fields[name], fields[name].default)[0]
    }


def _check_scene(reference: str, scene: Any, canonical: dict[str, Any]) -> None:
    """Rules between fields that the declarations alone cannot state; drops implied overrides."""
    expected_channels = scene.expected_num_channels()
    if expected_channels is not None:
        given = canonical.pop("num_channels", expected_channels)  # implied by scenario and dimensions
        if given != expected_channels:
            raise PlanError(
                f"scenario field 'num_channels': got {given}, but {reference} fixes it "
                f"to {expected_channels} in {scene.num_spatial_dims}D"
            )
    _check_dims(reference, scene)
    if scene.num_trjs_returned > scene.num_test_samples:
        raise PlanError(
            f"scenario field 'num_trjs_returned': got {scene.num_trjs_returned}, expected at most "
            f"num_test_samples ({scene.num_test_samples})"
        )
    _check_data_size(scene)


def _parse_configs(
    scene: Any, fields: Mapping[str, ScenarioField], *, task: Any, net: Any, train: Any
) -> dict[str, Any]:
    """Every config string of the experiment, parsed once."""
    configs: dict[str, Any] = {
        "task": _parse("task", "task", task),
        "net": _parse("architecture", "net", net),
        "train": _parse("trainer", "train", train),
    }
    for name, kind in (("optim_config", "optimizer"), ("ic_config", "initial_condition")):
        configs[kind] = _check_override(fields[name], getattr(scene, name))[1] if name in fields else None
    _check_solvers(scene, configs)
    configs["metrics"] = _check_override(fields["report_metrics"], scene.report_metrics)[1]
    configs["callbacks"] = _check_override(fields["callbacks"], scene.callbacks)[1]
    if not configs["metrics"]:
        raise PlanError("scenario field 'report_metrics': got '', expected at least one metric")
    return configs


def _check_rules(scene: Any, configs: Mapping[str, Any]) -> None:
    """Every component's ``validate`` rule, with the experiment's sizes as facts."""
    facts = {name: getattr(scene, name) for name in FACTS if hasattr(scene, name)}
    facts["num_steps"] = num_training_steps(configs["optimizer"])
    for label, key in (("task", "task"), ("net", "net"), ("train", "train")):
        _validate(label, configs[key], facts)
    _validate("scenario field 'optim_config'", configs["optimizer"], facts)
    if getattr(scene, "has_reference_stepper", True):  # data read from files draws no initial conditions
        _validate("scenario field 'ic_config'", configs["initial_condition"], facts)
    for parsed in configs["metrics"]:
        _validate("scenario field 'report_metrics'", parsed, facts)
    for parsed in configs["callbacks"]:
        _validate("scenario field 'callbacks'", parsed, facts)


def _build_scene(reference: str, factory: Any, cls: type, overrides: Mapping[str, Any]) -> Any:
    try:
        return factory(**overrides)
    except ApebenchError:
        raise
    except (ValueError, TypeError) as error:
        raise PlanError(f"scenario {reference!r} rejects {dict(overrides)}: {error}") from None


def _check_dims(reference: str, scene: Any) -> None:
    try:
        spec = get_registry().get("scenario", reference)
    except LookupError:
        return  # a scenario class outside the registry declares no dimensions
    dims = spec.metadata.get("dims")
    if dims and scene.num_spatial_dims not in dims:
        raise PlanError(
            f"scenario field 'num_spatial_dims': got {scene.num_spatial_dims}, but {reference} is "
            f"defined in {', '.join(map(str, dims))}D only"
        )
