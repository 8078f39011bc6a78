"""plan(): every field checked before any data exists; one canonical form however it is written."""

import json
import math

import pytest
from apebench_toy import ToyAdvection, ToyPlugin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import apebench_core as apebench
from apebench_core.experiment.fields import scenario_fields
from apebench_core.experiment.plan import Experiment, fields_of, plan
from apebench_core.testing import registered_plugin


@pytest.fixture(scope="module")
def toy():
    with registered_plugin(ToyPlugin(), "toy"):
        yield


@pytest.fixture
def no_data(monkeypatch):
    """Planning must never generate data: any trajectory generation fails the test."""

    def forbidden(*args, **kwargs):
        raise AssertionError("data was generated while planning")

    monkeypatch.setattr("apebench_core.experiment.rollout._trajectories", forbidden)


def test_one_canonical_form_however_written(no_data):
    a = plan("diff_adv", vlim=[-2, 2], num_points=160, advection_gamma=-2)
    b = plan("diff_adv", advection_gamma=-2.0, vlim=(-2.0, 2.0))
    c = plan("DIFF_ADV", net="Conv;26;10;relu", train="one", task="predict", vlim=(-2, 2), advection_gamma=-2)
    assert a == b == c
    assert a.scenario_kwargs == "{'advection_gamma': -2.0, 'vlim': (-2.0, 2.0)}"
    assert list(a.to_dict()) == [
        "scenario",
        "task",
        "net",
        "train",
        "start_seed",
        "num_seeds",
        "advection_gamma",
        "vlim",
    ]


def test_canonical_form_round_trips_through_json(no_data):
    experiment = plan(
        "diff_adv",
        net="FNO;4;8;2;gelu",
        train="sup;3",
        start_seed=4,
        num_seeds=2,
        optim_config="adam;10_000;warmup_cosine;0.0;1e-3;2_000",
        report_metrics="mean_nRMSE, mean_fourier_nRMSE;0;4;0",
        num_points=32,
    )
    again = Experiment.from_dict(json.loads(experiment.to_json()))
    assert again == experiment and again.to_dict() == experiment.to_dict()
    # the optimizer string equals the default, so it is not an override; the metric list is canonical
    assert "optim_config" not in experiment.overrides
    assert experiment.metric_names == ("mean_nRMSE", "mean_fourier_nRMSE;0;4;0")


def test_unregistered_subclass_and_module_path(toy, no_data):
    scene = ToyAdvection(num_points=32)
    by_instance = plan(scene, net="ToyStencil")
    assert by_instance.scenario == "toy_adv"  # the registered key of its class
    assert by_instance.overrides == {"num_points": 32}
    by_path = plan("apebench_toy:ToyAdvection", net="ToyStencil", num_points=32)
    assert by_path.overrides == by_instance.overrides and by_path.scenario == "apebench_toy:ToyAdvection"


BAD_SCENARIO_FIELDS = [
    ("num_points", 0),
    ("num_points", -3),
    ("num_points", "sixteen"),
    ("num_points", 16.5),
    ("num_points", 10**12),
    ("num_points", True),
    ("num_train_samples", 0),
    ("num_test_samples", 0),
    ("batch_size", 0),
    ("batch_size", -2),
    ("record_loss_every", 0),
    ("num_trjs_returned", -1),
    ("num_trjs_returned", 31),
    ("train_temporal_horizon", 0),
    ("train_seed", 2**32),
    ("test_seed", -1),
    ("num_spatial_dims", 4),
    ("num_channels", 0),
    ("advection_gamma", math.nan),
    ("advection_gamma", math.inf),
    ("advection_gamma", "fast"),
    ("vlim", (1.0,)),
    ("vlim", "(-1, 1)"),
    ("ic_config", "fourier;0;true;true"),
    ("ic_config", "fourier;100;true;true"),
    ("ic_config", "clamp;1;0;fourier;5;true;true"),
    ("optim_config", "adam;0;constant;1e-3"),
    ("optim_config", "adam;-5;constant;1e-3"),
    ("optim_config", "adam;100;warmup_cosine;0;1e-3;100"),
    ("optim_config", "adam;100;constant;-1e-3"),
    ("optim_config", "adam;100;constant;nan"),
    ("optim_config", "adam;100;constant;inf"),
    ("optim_config", "clip;0;adam;100;constant;1e-3"),
    ("optim_config", "adamw;100;-0.1;constant;1e-3"),
    ("optim_config", "adam;100;exp;1e-3;200;0.5"),
    ("report_metrics", ""),
    ("report_metrics", "mean_nRMSE,mean_nRMSEE"),
    ("report_metrics", "mean_fourier_nRMSE;5;2;0"),
    ("report_metrics", "mean_fourier_nRMSE;0;81;0"),
    ("callbacks", "net;0"),
    ("callbacks", "weight_norm;-1"),
    ("num_pointz", 10),
    ("optim_confg", "adam;10;constant;1e-3"),
]


@pytest.mark.parametrize(("field", "value"), BAD_SCENARIO_FIELDS)
def test_bad_scenario_field_fails_when_planned(field, value, no_data):
    with pytest.raises(ValueError) as raised:
        plan("diff_adv", **{field: value})
    message = str(raised.value)
    assert isinstance(raised.value, apebench.ApebenchError)
    assert field in message, message


BAD_EXPERIMENT = [
    ("net", "Conv;0;1;relu", "hidden_channels"),
    ("net", "Conv;-3;1;relu", "hidden_channels"),
    ("net", "Conv;4;-1;relu", "depth"),
    ("net", "FNO;0;4;1;relu", "num_modes"),
    ("net", "FNO;200;4;1;relu", "num_modes"),
    ("net", "Dil;-1;4;1;relu", "dilation_depth"),
    ("net", "Pure;0", "kernel_size"),
    ("net", "UNet;8;6;relu", "num_levels"),
    ("net", "Cnv;26;10;relu", "did you mean"),
    ("train", "sup;0", "num_rollout_steps"),
    ("train", "sup;60", "num_rollout_steps"),
    ("train", "br;2;3", "num_branch_steps"),
    ("train", "noise;-0.1", "noise_std"),
    ("task", "correct;sideways", "mode"),
    ("start_seed", -1, "start_seed"),
    ("start_seed", 2**32, "start_seed"),
    ("start_seed", 2**32 - 1, "start_seed"),  # with num_seeds=2 the last seed wraps
    ("num_seeds", 0, "num_seeds"),
    ("num_seeds", 2.5, "num_seeds"),
    ("num_seeds", "3", "num_seeds"),
]


@pytest.mark.parametrize(("key", "value", "named"), BAD_EXPERIMENT)
def test_bad_experiment_field_fails_when_planned(key, value, named, no_data):
    arguments = {"num_seeds": 2, key: value}
    with pytest.raises(ValueError, match=named) as raised:
        plan("diff_adv", **arguments)
    assert isinstance(raised.value, apebench.ApebenchError)
    assert str(value) in str(raised.value) or repr(value) in str(raised.value)


def test_channels_fixed_by_the_scenario_cannot_be_overridden(no_data):
    with pytest.raises(ValueError, match="num_channels.*fixes it to 1"):
        plan("diff_burgers", num_channels=3)
    assert plan("diff_burgers", num_spatial_dims=2).scene.num_channels == 2


def test_lossless_coercions_only(no_data):
    assert plan("diff_adv", num_points=16.0).overrides == {"num_points": 16}
    assert plan("diff_adv", start_seed=3.0).start_seed == 3
    with pytest.raises(ValueError, match="whole number"):
        plan("diff_adv", num_points=16.000001)


def test_declared_fields_of_a_scenario_class_without_extra_code(toy):
    fields = fields_of("toy_adv")
    assert fields["num_points"].default == 16 and fields["num_points"].type is int
    assert fields["num_points"].help and fields["num_points"].type_label == "int >= 2"
    assert fields["vlim"].type is tuple and fields["optim_config"].doc.kind == "optimizer"
    with pytest.raises(ValueError, match="num_points"):
        plan("toy_adv", net="ToyStencil", num_points=1)


# -- generated bad values, per declared field -----------------------------------------------
def _bad_values(field):
    """Values that must be rejected by a declared field: wrong types, non-finite, out of range."""
    strategies = [st.sampled_from([None, object(), [object()], {"a": 1}])]
    if field.type in (int, float):
        strategies += [
            st.text(min_size=1, max_size=5),
            st.sampled_from([math.nan, math.inf, -math.inf]),
            st.booleans(),
        ]
        bounds = field.doc.bounds
        if bounds.ge is not None:
            strategies.append(
                st.floats(
                    max_value=bounds.ge,
                    exclude_max=True,
                    allow_nan=False,
                    allow_infinity=False,
                    min_value=-1e9,
                )
            )
        if bounds.gt is not None:
            strategies.append(
                st.floats(max_value=bounds.gt, allow_nan=False, allow_infinity=False, min_value=-1e9)
            )
        if bounds.le is not None:
            strategies.append(
                st.floats(
                    min_value=bounds.le,
                    exclude_min=True,
                    allow_nan=False,
                    allow_infinity=False,
                    max_value=1e9,
                )
            )
        if bounds.lt is not None:
            strategies.append(st.integers(min_value=int(bounds.lt), max_value=int(bounds.lt) + 10**6))
        if field.type is int:
            strategies.append(
                st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not float(x).is_integer())
            )
    elif field.type is tuple:
        strategies += [
            st.text(max_size=5),
            st.lists(st.sampled_from([math.nan, "x", None]), min_size=1, max_size=3),
        ]
    elif field.type is str:
        strategies += [st.integers(), st.floats(allow_nan=False)]
        if field.doc.kind:
            strategies.append(st.sampled_from(["no_such_component", ";", "Conv;;"]))
    elif field.type is bool:
        strategies += [st.integers(), st.text(max_size=5)]
    return st.one_of(strategies)


SCENARIOS_UNDER_TEST = ["diff_adv", "diff_ks", "phy_kolm_flow", "norm_burgers"]


@pytest.mark.parametrize("key", SCENARIOS_UNDER_TEST)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_bad_values_are_rejected_naming_field_and_value(key, data, no_data):
    fields = fields_of(key)
    name = data.draw(st.sampled_from(sorted(fields)))
    value = data.draw(_bad_values(fields[name]))
    with pytest.raises(ValueError) as raised:
        plan(key, **{name: value})
    message = str(raised.value)
    assert isinstance(raised.value, apebench.ApebenchError)
    assert name in message, message


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_generated_out_of_range_config_fields_are_rejected(data):
    """Every bounded numeric field of every bundled config: a value outside its bounds is a ConfigError."""
    specs = [
        spec
        for kind in apebench.kinds()
        for spec in apebench.list_components(kind)
        if any(f.type in ("int", "float") and f.bounds != type(f.bounds)() for f in spec.fields)
    ]
    spec = data.draw(st.sampled_from(specs), label="spec")
    fields = [f for f in spec.fields if f.type in ("int", "float") and f.bounds != type(f.bounds)()]
    field = data.draw(st.sampled_from(fields), label="field")
    bounds = field.bounds
    lower = bounds.ge if bounds.ge is not None else bounds.gt
    if lower is not None:
        bad = data.draw(st.integers(min_value=-(10**6), max_value=math.ceil(lower) - 1))
    else:
        bad = data.draw(
            st.integers(min_value=int(bounds.le if bounds.le is not None else bounds.lt) + 1, max_value=10**6)
        )
    tokens = [spec.name]
    for f in spec.fields:
        if f is field:
            tokens.append(str(bad))
        elif f.type == "config":
            tokens.append(
                str(f.default)
                if not f.required
                else {
                    "activation": "relu",
                    "schedule": "constant;1",
                    "optimizer": "adam;10;constant;1",
                    "initial_condition": "fourier;2;true;true",
                }[f.kind]
            )
        elif f.type == "choice":
            tokens.append(f.choices[0])
        elif f.type == "bool":
            tokens.append("true")
        elif f.type == "floats":
            tokens.append("0.1,0.2")
        else:
            tokens.append("1000" if f.type == "int" else "0.5")
    with pytest.raises(apebench.ConfigError, match=field.name):
        apebench.parse_config(spec.kind, ";".join(tokens))


def test_declared_fields_match_the_dataclass():
    from apebench_core.scenarios import scenario_dict

    for key in ("diff_adv", "phy_gs", "norm_ks"):
        cls = scenario_dict[key]
        fields = scenario_fields(cls)
        defaults = cls()
        assert all(
            getattr(defaults, name) == field.default
            for name, field in fields.items()
            if name != "num_channels"
        )
        assert all(field.help for field in fields.values()), key


class CustomFields(ToyAdvection):
    """A script-defined scenario with field types beyond the basic ones."""

    grid: tuple[int, int] = (4, 4)
    helper: object = None
    rate: float | None = None


def test_field_types_of_a_script_scenario_are_respected(toy, no_data):
    fields = fields_of(CustomFields)
    assert fields["grid"].type_label == "ints" and fields["helper"].type_label == "any"
    experiment = plan(CustomFields, net="ToyStencil", grid=[8, 8.0], helper={"anything": 1}, rate=None)
    assert experiment.scene.grid == (8, 8) and all(type(v) is int for v in experiment.scene.grid)
    assert experiment.scene.helper == {"anything": 1}
    assert plan(CustomFields, net="ToyStencil", rate=2).scene.rate == 2.0
    with pytest.raises(ValueError, match="'grid'"):
        plan(CustomFields, net="ToyStencil", grid=(8, 8.5))
    assert fields["grid"].parse_text("16,16") == (16, 16)


def test_an_instance_is_planned_as_itself(toy, no_data):
    scene = ToyAdvection(num_points=32)
    assert plan(scene, net="ToyStencil").scene is scene  # its cached data stay with it
    assert plan(scene, net="ToyStencil", num_points=64).scene.num_points == 64
