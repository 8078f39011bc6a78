"""A self-contained in-process plugin for testing the pipeline's seams without the bundled plugins:
exact periodic advection by one grid cell per step, sine initial conditions, a stencil network."""

import equinox as eqx
import jax
import jax.numpy as jnp

from apebench_core import BaseScenario, ComponentSpec, Field, hookimpl


class ShiftStepper(eqx.Module):
    shift: int = eqx.field(static=True)

    def __call__(self, u):
        return jnp.roll(u, self.shift, axis=-1)


class ToyAdvection(BaseScenario):
    num_points: int = 16
    num_train_samples: int = 8
    train_temporal_horizon: int = 6
    num_test_samples: int = 4
    test_temporal_horizon: int = 10
    optim_config: str = "adam;300;constant;3e-2"
    record_loss_every: int = 50
    batch_size: int = 8
    ic_config: str = "toy_sines"
    report_metrics: str = "toy_nrmse"

    def get_ref_stepper(self):
        return ShiftStepper(1)

    def get_coarse_stepper(self):
        return ShiftStepper(0)

    def get_scenario_name(self):
        return f"{self.num_spatial_dims}d_toy_adv"


class Sines(eqx.Module):
    num_points: int = eqx.field(static=True)

    def __call__(self, *, key):
        x = jnp.arange(self.num_points) * 2 * jnp.pi / self.num_points
        a, b, c = jax.random.normal(key, (3,))
        return a * jnp.sin(x) + b * jnp.cos(2 * x) + c * jnp.sin(3 * x)


class Stencil(eqx.Module):
    weight: jax.Array
    receptive_field: int = 1

    def __call__(self, u):
        padded = jnp.concatenate([u[:, -1:], u, u[:, :1]], axis=1)
        return jax.lax.conv_general_dilated(padded[None], self.weight, (1,), "VALID")[0]


def stencil(*, scale, num_spatial_dims, num_channels, num_points, key):
    return Stencil(weight=scale * jax.random.normal(key, (num_channels, num_channels, 3)))


def sometimes_broken_stencil(*, num_spatial_dims, num_channels, num_points, key):
    """A stencil whose initial weights are NaN for about half of the seeds (divergence tests)."""
    init_key, coin_key = jax.random.split(key)
    weight = 0.1 * jax.random.normal(init_key, (num_channels, num_channels, 3))
    return Stencil(weight=jnp.where(jax.random.uniform(coin_key) < 0.5, jnp.nan, weight))


def failing_stencil(*, num_spatial_dims, num_channels, num_points, key):
    raise RuntimeError("boom at build")


def nrmse(prediction, reference):
    axes = tuple(range(1, prediction.ndim))
    return jnp.mean(jnp.sqrt(jnp.sum((prediction - reference) ** 2, axes) / jnp.sum(reference**2, axes)))


class ToyPlugin:
    @hookimpl
    def apebench_scenarios(self):
        return [
            ComponentSpec(
                "scenario", "toy_adv", ToyAdvection, metadata={"family": "toy", "class_name": "ToyAdvection"}
            )
        ]

    @hookimpl
    def apebench_initial_conditions(self):
        return [
            ComponentSpec(
                "initial_condition", "toy_sines", lambda num_spatial_dims, num_points: Sines(num_points)
            )
        ]

    @hookimpl
    def apebench_architectures(self):
        return [
            ComponentSpec(
                "architecture", "ToyStencil", stencil, fields=(Field("scale", "float", default=0.1),)
            ),
            ComponentSpec("architecture", "ToyBroken", sometimes_broken_stencil),
            ComponentSpec("architecture", "ToyFailing", failing_stencil),
        ]

    @hookimpl
    def apebench_metrics(self):
        return [ComponentSpec("metric", "toy_nrmse", lambda: nrmse)]
