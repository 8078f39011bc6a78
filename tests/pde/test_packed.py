"""The packed form (two real channels as one complex field, full-grid operators) and the
symmetric-product divergence: both must equal the plain real-transform path to round-off,
including the Nyquist modes that a derivative leaves non-Hermitian. Float64."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from apebench_pde.etdrk import (
    Convection,
    ETDRKStepper,
    derivative_operator,
    full_grid_operator,
    irfft,
    linear_operator,
    pack,
    rfft,
    semi_linear_stepper,
    unpack,
)


def white_noise(shape, seed=0):
    """Every mode excited, Nyquist included, so the extension's edge cases are exercised."""
    return jnp.asarray(np.random.default_rng(seed).standard_normal(shape))


@pytest.mark.parametrize("D, N", [(2, 8), (2, 9), (3, 6), (3, 7)])
def test_full_grid_operator_acts_as_irfftn_does(x64, D, N):
    """Each of a derivative (non-Hermitian at Nyquist), a real even operator and a complex
    one, extended to the full grid, gives per channel what irfftn(A rfftn(u)) gives."""
    derivative = derivative_operator(D, 2.0, N)
    operators = [
        derivative[:1],
        derivative[-1:],
        linear_operator(derivative, (0.3, 0, -0.1)),
        np.exp(derivative[:1]),
    ]
    u = white_noise((2,) + (N,) * D)
    for operator in operators:
        expected = irfft(jnp.asarray(operator) * rfft(u, D), D, N)
        packed = unpack(jnp.asarray(full_grid_operator(operator, D, N)) * pack(u, D), D)
        np.testing.assert_allclose(packed, expected, atol=1e-12)


def burgers(D, N, *, conservative, order, substeps, pack_channels):
    return ETDRKStepper(
        linear_operator(derivative_operator(D, 1.0, N), (0.1, 0, 0.01)),
        Convection(-1.0, conservative=conservative, num_spatial_dims=D, domain_extent=1.0, num_points=N),
        num_spatial_dims=D,
        domain_extent=1.0,
        num_points=N,
        num_channels=D,
        dt=0.01,
        order=order,
        num_substeps=substeps,
        pack_channels=pack_channels,
    )


@pytest.mark.parametrize("conservative", [True, False])
@pytest.mark.parametrize("order, substeps", [(1, 1), (2, 1), (3, 2), (4, 1)])
def test_packed_2d_burgers_equals_the_real_path(x64, conservative, order, substeps):
    packed = burgers(2, 16, conservative=conservative, order=order, substeps=substeps, pack_channels=True)
    plain = burgers(2, 16, conservative=conservative, order=order, substeps=substeps, pack_channels=False)
    assert packed.packed and not plain.packed
    u = 0.5 * white_noise((2, 16, 16))
    for _ in range(3):
        u_packed, u = packed(u), plain(u)
        np.testing.assert_allclose(u_packed, u, atol=1e-12)


def test_packing_only_where_exact():
    """Not in 1D, not for an odd channel count, not for a complex (odd-order) linear operator,
    not for a per-channel operator, not for a term without a packed form."""
    grid = dict(domain_extent=1.0, num_points=8)
    burgers_2d = Convection(-1.0, num_spatial_dims=2, **grid)
    real, complex_ = (0, 0, 0.01), (0, 0.1, 0.01)

    def packs(D, channels, coefficients=real, nonlinear=burgers_2d, order=2):
        return semi_linear_stepper(
            D,
            1.0,
            8,
            0.1,
            num_channels=channels,
            linear_coefficients=coefficients,
            nonlinear=nonlinear,
            order=order,
        ).packed

    assert packs(2, 2)
    assert packs(3, 2, nonlinear=None, order=0)
    assert not packs(2, 2, complex_)
    assert not packs(1, 2, nonlinear=None, order=0)
    assert not packs(2, 1, nonlinear=None, order=0)
    assert not packs(2, 2, nonlinear=Convection(-1.0, num_spatial_dims=2, single_channel=True, **grid))
    per_channel = np.concatenate([linear_operator(derivative_operator(2, 1.0, 8), real)] * 2)
    assert not semi_linear_stepper(2, 1.0, 8, 0.1, num_channels=2, linear=per_channel, order=0).packed


def test_divergence_of_outer_product_uses_all_nine_products_in_3d(x64):
    """The symmetric D (D + 1) / 2 products give div(u (x) u) as the full D^2 would."""
    D, N = 3, 8
    term = Convection(1.0, num_spatial_dims=D, domain_extent=1.0, num_points=N)
    u_hat = rfft(white_noise((D,) + (N,) * D), D)
    u = irfft(term.mask * u_hat, D, N)
    full = jnp.stack([sum(term.derivative[d] * rfft(u[c] * u[d], D) for d in range(D)) for c in range(D)])
    np.testing.assert_allclose(term(u_hat), 0.5 * full, atol=1e-12)


def test_packed_stepper_is_differentiable_and_vmaps():
    step = burgers(2, 8, conservative=True, order=2, substeps=1, pack_channels=True)
    u = jnp.ones((3, 2, 8, 8)) * 0.1
    assert jax.vmap(step)(u).shape == u.shape
    assert jax.grad(lambda v: jnp.sum(step(v) ** 2))(u[0]).shape == (2, 8, 8)
