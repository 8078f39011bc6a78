"""Config strings: typed parsing, clear errors, canonical round trip."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apebench_core import ComponentSpec, ConfigError, Field, UnknownComponentError, hookimpl
from apebench_core._registry import Registry

SPECS = [
    ComponentSpec(
        "architecture",
        "Toy",
        "builtins:dict",
        "a toy architecture",
        fields=(
            Field("width", "int", "hidden width"),
            Field("scale", "float", "a scale"),
            Field("flag", "bool", "a flag", default=False),
            Field("activation", "config", "activation", kind="activation", default="ident"),
        ),
    ),
    ComponentSpec(
        "architecture",
        "Pick",
        "builtins:dict",
        fields=(Field("mode", "choice", choices=("a", "bb")), Field("coefs", "floats", default=(1.0, 2.0))),
    ),
]
ACTIVATIONS = [
    ComponentSpec("activation", "ident", "builtins:dict"),
    ComponentSpec("activation", "relu", "builtins:dict"),
]


class ToyPlugin:
    @hookimpl
    def apebench_architectures(self):
        return SPECS

    @hookimpl
    def apebench_activations(self):
        return ACTIVATIONS


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setenv("APEBENCH_DISABLE_PLUGIN_AUTOLOAD", "1")
    reg = Registry()
    reg.register(ToyPlugin(), "toy")
    return reg


def test_parse_typed_fields(registry):
    parsed = registry.parse("architecture", "toy;10_000;1e-3;TRUE;relu")
    assert parsed["width"] == 10000 and isinstance(parsed["width"], int)
    assert parsed["scale"] == pytest.approx(1e-3)
    assert parsed["flag"] is True
    assert parsed["activation"].name == "relu"


def test_optional_fields_default(registry):
    parsed = registry.parse("architecture", "Toy;3;0.5")
    assert parsed["flag"] is False
    assert parsed["activation"].name == "ident"
    assert parsed.format() == "Toy;3;0.5"


@pytest.mark.parametrize(
    "config, words",
    [
        ("Toy;x;0.5", ["'width'", "position 1", "int", "'x'", "usage: Toy;<width:int>"]),
        ("Toy;3;zz", ["'scale'", "position 2", "float", "'zz'"]),
        ("Toy;3;0.5;ture", ["'flag'", "position 3", "bool", "'ture'"]),
        ("Toy;3", ["missing", "'scale'", "position 2"]),
        ("Pick;c", ["'mode'", "a|bb", "'c'"]),
        ("Pick;a;1,x", ["'coefs'", "floats"]),
        ("Pick;a;1,2;3", ["extra field", "'3'"]),
        ("Toy;3;0.5;true;relux", ["'activation'", "unknown activation 'relux'", "relu"]),
    ],
)
def test_errors_name_field_position_type_value_and_usage(registry, config, words):
    with pytest.raises(ConfigError) as info:
        registry.parse("architecture", config)
    assert isinstance(info.value, ValueError)
    for word in words:
        assert word in str(info.value)


def test_unknown_name_suggests_and_tells_how_to_list(registry):
    with pytest.raises(UnknownComponentError) as info:
        registry.parse("architecture", "Tox;1;2")
    message = str(info.value)
    assert "architecture" in message and "'Toy'" in message and "apebench list architecture" in message


def test_not_a_string_is_a_config_error(registry):
    with pytest.raises(ConfigError):
        registry.parse("architecture", 3)
    with pytest.raises(ConfigError):
        registry.parse("architecture", "  ")


def test_round_trip(registry):
    for config in ["Toy;3;0.5;true;relu", "toy;3;0.5;false", "Pick;bb;0.5,3", "Pick;A"]:
        parsed = registry.parse("architecture", config)
        again = registry.parse("architecture", parsed.format())
        assert again == parsed
        assert again.format() == parsed.format()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("toyPickab;,.-e019_ xTRUEfalse")), max_size=30))
def test_random_strings_raise_only_documented_errors(registry, text):
    try:
        parsed = registry.parse("architecture", text)
    except (ConfigError, UnknownComponentError):
        return
    assert registry.parse("architecture", parsed.format()) == parsed
