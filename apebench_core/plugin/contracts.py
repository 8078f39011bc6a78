"""What each kind's factory must return, checked right after a component is built.

A wrong return type then fails at build time, naming the component and its plugin, instead
of deep inside training. Checks that need shapes run abstractly (``jax.eval_shape``), so
they cost a trace, never a computation; JAX is imported only when such a check runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: The dummy sizes a check uses where the kind's context names none.
DUMMY_POINTS = 16


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:60] + '...' if len(text) > 60 else text}"


def _callable(component: Any, what: str) -> None:
    if not callable(component):
        raise TypeError(f"returned {_describe(component)}, expected {what}")


def _state_shape(context: Mapping[str, Any]) -> tuple[int, ...]:
    dims = int(context.get("num_spatial_dims", 1))
    return (int(context.get("num_channels", 1)), *(int(context.get("num_points", DUMMY_POINTS)),) * dims)


def _eval_shape(function: Callable, *shapes: tuple[int, ...]) -> Any:
    import equinox as eqx
    import jax
    import jax.numpy as jnp

    return eqx.filter_eval_shape(function, *(jax.ShapeDtypeStruct(s, jnp.float32) for s in shapes))


def architecture(component: Any, context: Mapping[str, Any]) -> None:
    import equinox as eqx

    if not isinstance(component, eqx.Module):
        raise TypeError(f"returned {_describe(component)}, expected an Equinox module")
    shape = _state_shape(context)
    out = _eval_shape(lambda u: component(u), shape)  # type: ignore[operator]
    if getattr(out, "shape", None) != shape:
        raise TypeError(f"maps a state of shape {shape} to {getattr(out, 'shape', out)}, expected {shape}")


def _lenient_eval_shape(function: Callable, *shapes: tuple[int, ...]) -> Any:
    """The output shape, or None where the function cannot run on the dummy shapes (a metric
    made for 2D fields, say): then only its return type can be judged, later."""
    try:
        return _eval_shape(function, *shapes)
    except Exception:  # noqa: BLE001 - not a contract violation we can see from here
        return None


def metric(component: Any, context: Mapping[str, Any]) -> None:
    _callable(component, "a function (prediction, reference) -> scalar")
    shape = (2, 1, DUMMY_POINTS)
    out = _lenient_eval_shape(lambda p, r: component(p, r), shape, shape)
    if out is None:
        return
    if getattr(out, "shape", None) != ():
        raise TypeError(
            f"returns shape {getattr(out, 'shape', type(out).__name__)} on (samples, channels, space) "
            "inputs, expected a scalar"
        )


def initial_condition(component: Any, context: Mapping[str, Any]) -> None:
    import jax

    _callable(component, "a callable (*, key) -> field")
    space = _state_shape(context)[1:]
    try:
        out = jax.eval_shape(lambda: component(key=jax.random.PRNGKey(0)))  # traced, nothing compiled
    except Exception:  # noqa: BLE001 - see _lenient_eval_shape
        return
    if getattr(out, "shape", None) != space:
        raise TypeError(f"draws a field of shape {getattr(out, 'shape', out)}, expected {space}")


def trainer(component: Any, context: Mapping[str, Any]) -> None:
    window = getattr(component, "window_length", None)
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise TypeError(f"returned {_describe(component)}, expected a methodology with window_length >= 1")
    _callable(
        getattr(component, "loss", None), "a methodology with loss(stepper, window, *, ref_stepper, key)"
    )


def optimizer(component: Any, context: Mapping[str, Any]) -> None:
    if not (callable(getattr(component, "init", None)) and callable(getattr(component, "update", None))):
        raise TypeError(f"returned {_describe(component)}, expected an optax GradientTransformation")


def schedule(component: Any, context: Mapping[str, Any]) -> None:
    import jax
    import jax.numpy as jnp

    _callable(component, "an optax schedule (step -> learning rate)")
    try:
        out = jax.eval_shape(component, jax.ShapeDtypeStruct((), jnp.int32))
    except Exception:  # noqa: BLE001 - see _lenient_eval_shape
        return
    if getattr(out, "shape", None) != ():
        raise TypeError(f"returns shape {getattr(out, 'shape', out)} for one step, expected a scalar")


def callback(component: Any, context: Mapping[str, Any]) -> None:
    every = getattr(component, "every", None)
    if not isinstance(getattr(component, "name", None), str) or not isinstance(every, int) or every < 1:
        raise TypeError(
            f"returned {_describe(component)}, expected a callback with name (str) and every (int >= 1)"
        )
    _callable(component, "a callback called as (networks, make_stepper)")


def scenario(component: Any, context: Mapping[str, Any]) -> None:
    for method in ("get_ref_stepper", "get_train_data", "get_scenario_name"):
        if not callable(getattr(component, method, None)):
            raise TypeError(f"returned {_describe(component)}, expected a scenario (a BaseScenario)")


def suite(component: Any, context: Mapping[str, Any]) -> None:
    if not isinstance(component, (list, tuple)) or not all(isinstance(c, Mapping) for c in component):
        raise TypeError(f"returned {_describe(component)}, expected a list of experiment config dicts")


def task(component: Any, context: Mapping[str, Any]) -> None:
    _callable(component, "a neural stepper (state -> next state)")


def activation(component: Any, context: Mapping[str, Any]) -> None:
    _callable(component, "a function array -> array")


#: kind -> check(component, context); raises TypeError saying what was returned and expected.
CHECKS: dict[str, Callable[[Any, Mapping[str, Any]], None]] = {
    "architecture": architecture,
    "metric": metric,
    "initial_condition": initial_condition,
    "trainer": trainer,
    "optimizer": optimizer,
    "schedule": schedule,
    "callback": callback,
    "scenario": scenario,
    "suite": suite,
    "task": task,
    "activation": activation,
}


def check_component(kind: str, component: Any, context: Mapping[str, Any]) -> None:
    check = CHECKS.get(kind)
    if check is not None:
        check(component, context)
