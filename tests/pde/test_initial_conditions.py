"""Initial-condition distributions, checked against the mathematics they promise."""

from __future__ import annotations

import subprocess
import sys

import jax
import jax.numpy as jnp
import jax.random as jr
import numpy as np
import pytest

import apebench_core
import apebench_pde._plugin as pde_plugin
from apebench_core import ConfigError
from apebench_core._registry import ENV_DISABLE_AUTOLOAD, Registry
from apebench_core.pipeline import draw_ic_set, multichannel
from apebench_core.testing import registered_plugin
from apebench_pde.initial_conditions import (
    cosine_series_to_field,
)

ZERO_MEAN_CONFIGS = ["fourier;3;true;false", "diffused;0.001;true;false", "grf;3.0;true;false"]
MAX_ONE_CONFIGS = ["fourier;3;false;true", "diffused;0.001;false;true", "grf;2.0;false;true"]
ALL_CONFIGS = [
    *ZERO_MEAN_CONFIGS,
    *MAX_ONE_CONFIGS,
    "clamp;-0.2;0.2;fourier;3;false;false",
    "gaussian_blobs;2;true",
]


@pytest.fixture(scope="module")
def registry():
    """Only this plugin, registered in process: installed plugins cannot interfere."""
    reg = Registry(autoload=False)
    reg.register(pde_plugin, "pde")
    return reg


def build(registry, config, num_spatial_dims=1, num_points=16):
    return registry.build(
        "initial_condition", config, num_spatial_dims=num_spatial_dims, num_points=num_points
    )


def draw(generator, num_samples, seed=0):
    return np.asarray(jax.jit(jax.vmap(lambda k: generator(key=k)))(jr.split(jr.PRNGKey(seed), num_samples)))


def mode_amplitudes(fields, num_spatial_dims):
    """Real-space amplitude of every wave from the full (two-sided) FFT: A = 2|F_m| / N^D."""
    axes = tuple(range(-num_spatial_dims, 0))
    num_points = fields.shape[-1]
    return 2 * np.abs(np.fft.fftn(fields, axes=axes)) / num_points**num_spatial_dims


def integer_wavenumbers_full(num_spatial_dims, num_points):
    m = np.fft.fftfreq(num_points, 1 / num_points).round().astype(int)
    return np.stack(np.meshgrid(*[m] * num_spatial_dims, indexing="ij"))


def apebench_power_factor(m):
    """E[wave amplitude²] of a unit-variance stored coefficient in APEBench's convention, per
    full-FFT wavenumber m: each of the n non-zero components halves the entry, an entry off the
    rfft's m_last = 0 plane is a wave of twice its value, one in that plane is half of a wave
    whose other half is the independent entry at -m. So 4^(1-n) off the plane, 4^(1-n) / 2 in it."""
    n = np.sum(m != 0, axis=0)
    return 4.0 ** (1 - n) * np.where(m[-1] == 0, 0.5, 1.0)


# -- the one-sided spectrum convention, against the closed form -------------------------------------


@pytest.mark.parametrize(
    "m",
    [
        (3,),
        (1,),
        (2, 0),
        (-3, 0),
        (1, 2),
        (-2, 3),
        (0, 1),
        (2, -1),
        (1, 0, 0),
        (0, -2, 0),
        (-1, 2, 1),
        (2, -1, 3),
    ],
)
def test_single_mode_has_the_requested_real_space_wave(m):
    num_spatial_dims, num_points = len(m), 8
    amplitude, phase = 0.7, 1.1
    coefficients = np.zeros((num_points,) * (num_spatial_dims - 1) + (num_points // 2 + 1,), complex)
    if m[-1] < 0:  # the rfft only stores m_last >= 0; use the conjugate twin
        m = tuple(-c for c in m)
        phase = -phase
    coefficients[tuple(c % num_points for c in m)] = amplitude * np.exp(1j * phase)

    field = np.asarray(cosine_series_to_field(jnp.asarray(coefficients), num_spatial_dims, num_points))

    x = np.stack(np.meshgrid(*[np.arange(num_points) / num_points] * num_spatial_dims, indexing="ij"))
    expected = amplitude * np.cos(2 * np.pi * np.tensordot(np.array(m), x, axes=1) + phase)
    np.testing.assert_allclose(field, expected, atol=1e-5)
    assert mode_amplitudes(field, num_spatial_dims)[m] == pytest.approx(amplitude, rel=1e-5)


# -- fourier --------------------------------------------------------------------------------------


@pytest.mark.parametrize("num_spatial_dims,num_points,num_samples", [(1, 32, 800), (2, 16, 200), (3, 12, 60)])
def test_fourier_modes_are_uniform_amplitude_waves_up_to_the_inclusive_cutoff(
    registry, num_spatial_dims, num_points, num_samples
):
    cutoff = 3
    fields = draw(build(registry, f"fourier;{cutoff};true;false", num_spatial_dims, num_points), num_samples)
    amplitude = mode_amplitudes(fields, num_spatial_dims)
    m = integer_wavenumbers_full(num_spatial_dims, num_points)
    inside = np.all(np.abs(m) <= cutoff, axis=0) & np.any(m != 0, axis=0)

    factor = apebench_power_factor(m)
    assert np.max(amplitude[:, ~inside]) < 1e-5  # nothing beyond the cutoff, no mean
    # a wave's amplitude is at most 2^(1-n) (|U(-1, 1)| scaled, or two such halves in the m_last = 0 plane)
    assert np.all(amplitude[:, inside] <= 2.0 ** (1 - np.sum(m != 0, axis=0))[inside] + 1e-5)
    # every mode up to the cutoff is used
    assert np.all(np.max(amplitude[:, inside] / np.sqrt(factor[inside]), axis=0) > 0.5)
    # E[A²] = factor / 3 for A ~ U(-1, 1): 1/3 for every 1D wave; in 2D and 3D APEBench's
    # convention (its halved axes, Exponax issue #34) gives each family its own factor.
    for n in range(1, num_spatial_dims + 1):
        for family in (m[-1] == 0, m[-1] != 0):
            selected = inside & family & (np.sum(m != 0, axis=0) == n)
            if selected.any():
                expected = factor[selected][0] / 3
                assert np.mean(amplitude[:, selected] ** 2) == pytest.approx(expected, rel=0.1)


def test_fourier_offset_is_uniform_in_half_interval(registry):
    means = draw(build(registry, "fourier;3;false;false", 1, 16), 400).mean(axis=-1)
    assert np.all(np.abs(means) <= 0.5)
    assert np.mean(means) == pytest.approx(0.0, abs=0.05)
    assert np.var(means) == pytest.approx(1 / 12, rel=0.2)  # variance of U(-0.5, 0.5)


def test_fourier_cutoff_beyond_the_grid_uses_every_mode_nyquist_included(registry):
    fields = draw(build(registry, "fourier;50;true;false", 1, 16), 50)
    amplitude = mode_amplitudes(fields, 1)
    assert np.all(amplitude[:, 1:8].max(axis=0) > 0.5)
    assert np.max(amplitude[:, 0]) < 1e-5  # no mean
    # the Nyquist entry contributes its real part A cos(phi) (-1)^i, as in APEBench: |F_8| = N |A cos phi|
    nyquist = np.abs(np.fft.fft(fields, axis=-1)[:, 8]) / 16
    assert nyquist.max() > 0.5 and nyquist.max() <= 1 + 1e-5
    with pytest.raises(ValueError, match="cutoff"):
        build(registry, "fourier;0;true;true", 1, 16)


# -- diffused noise and Gaussian random field: their spectra ----------------------------------------


@pytest.mark.parametrize("num_spatial_dims,num_points,num_samples", [(1, 64, 1000), (2, 32, 100)])
def test_diffused_noise_spectrum_decays_like_exp_of_minus_intensity_k_squared(
    registry, num_spatial_dims, num_points, num_samples
):
    intensity = 1e-4
    fields = draw(
        build(registry, f"diffused;{intensity};false;false", num_spatial_dims, num_points), num_samples
    )
    axes = tuple(range(-num_spatial_dims, 0))
    power = np.mean(np.abs(np.fft.fftn(fields, axes=axes)) ** 2, axis=0) / num_points**num_spatial_dims
    m_squared = np.sum(integer_wavenumbers_full(num_spatial_dims, num_points) ** 2, axis=0)
    # unit white noise has E|F_m|² = N^D; the amplitude damping exp(-ν k²), k = 2πm, squares in the power
    usable = (m_squared > 0) & (m_squared < (num_points // 2) ** 2)
    slope, intercept = np.polyfit(m_squared[usable], np.log(power[usable]), 1)
    assert slope == pytest.approx(-2 * intensity * (2 * np.pi) ** 2, rel=0.05)
    assert intercept == pytest.approx(0.0, abs=0.05)


@pytest.mark.parametrize("num_spatial_dims,num_points,num_samples", [(1, 64, 1000), (2, 32, 200)])
@pytest.mark.parametrize("exponent", [2.0, 3.0])
def test_gaussian_random_field_power_follows_the_power_law(
    registry, num_spatial_dims, num_points, num_samples, exponent
):
    fields = draw(build(registry, f"grf;{exponent};true;false", num_spatial_dims, num_points), num_samples)
    m = integer_wavenumbers_full(num_spatial_dims, num_points)
    # per-family factor of APEBench's convention, times E|a + ib|² = 2 of the stored entry
    power = np.mean(mode_amplitudes(fields, num_spatial_dims) ** 2, axis=0) / apebench_power_factor(m)
    norm = np.sqrt(np.sum(m**2, axis=0))
    usable = (norm > 0) & np.all(2 * np.abs(m) != num_points, axis=0)
    slope, intercept = np.polyfit(np.log(norm[usable]), np.log(power[usable]), 1)
    assert slope == pytest.approx(-exponent, abs=0.1)
    # E|a + ib|² = 2 for standard normal parts, times |k|^-p with k = 2π|m|
    assert np.exp(intercept) == pytest.approx(2 * (2 * np.pi) ** -exponent, rel=0.15)
    assert np.max(power[norm == 0]) < 1e-10  # zero mode excluded


# -- shared options, shapes, determinism -----------------------------------------------------------


@pytest.mark.parametrize("config", ALL_CONFIGS)
@pytest.mark.parametrize("num_spatial_dims", [1, 2, 3])
def test_draw_shape_options_determinism_and_key_dependence(registry, config, num_spatial_dims):
    generator = build(registry, config, num_spatial_dims, 8)
    first = np.asarray(generator(key=jr.PRNGKey(3)))
    assert first.shape == (8,) * num_spatial_dims
    assert np.issubdtype(first.dtype, np.floating)
    np.testing.assert_array_equal(first, generator(key=jr.PRNGKey(3)))
    assert not np.allclose(first, generator(key=jr.PRNGKey(4)))
    jitted = jax.jit(lambda k: generator(key=k))(jr.PRNGKey(3))
    np.testing.assert_allclose(first, jitted, rtol=1e-6, atol=1e-6)
    scale = np.max(np.abs(first))
    assert scale > 0
    if config in ZERO_MEAN_CONFIGS:
        assert abs(first.mean()) <= 1e-5 * scale  # zero mean to float32 round-off (mean subtracted)
        assert scale != pytest.approx(1.0, rel=1e-3)  # and not rescaled unless asked
    if config in MAX_ONE_CONFIGS:
        assert scale == pytest.approx(1.0, rel=1e-6)


# -- clamp and blobs ------------------------------------------------------------------------------


def test_clamp_rescales_the_inner_draw_onto_the_bounds(registry):
    """APEBench's ``clamp`` is a min-max rescaling, not clipping: every draw spans [low, high]."""
    key = jr.PRNGKey(0)
    inner = np.asarray(build(registry, "fourier;5;false;false", 1, 64)(key=key))
    clamped = np.asarray(build(registry, "clamp;-0.5;2.0;fourier;5;false;false", 1, 64)(key=key))
    expected = (inner - inner.min()) / (inner.max() - inner.min()) * 2.5 - 0.5
    np.testing.assert_allclose(clamped, expected, atol=1e-6)
    assert clamped.min() == pytest.approx(-0.5, abs=1e-7) and clamped.max() == pytest.approx(2.0, abs=1e-7)


def test_clamp_rejects_reversed_bounds(registry):
    with pytest.raises(ValueError, match="low <= high"):
        build(registry, "clamp;1.0;0.0;fourier;5;true;true")


@pytest.mark.parametrize("num_spatial_dims", [1, 2, 3])
def test_fixed_blob_is_the_closed_form_gaussian(registry, num_spatial_dims):
    """As in APEBench the distance is not periodic (x - p, not the nearest image)."""
    num_points, centre, variance = 16, 0.45, 0.01
    config = f"gaussian_blobs;1;false;{centre},{centre};{variance},{variance}"
    field = np.asarray(build(registry, config, num_spatial_dims, num_points)(key=jr.PRNGKey(0)))
    x = np.arange(num_points) / num_points
    distance = x - centre
    profile = np.exp(-(distance**2) / (2 * variance))
    expected = profile
    for _ in range(num_spatial_dims - 1):
        expected = np.multiply.outer(expected, profile)
    np.testing.assert_allclose(field, expected, atol=1e-6)
    # its integral over the unit domain is that of a Gaussian: (2π v)^(D/2)
    assert field.mean() == pytest.approx((2 * np.pi * variance) ** (num_spatial_dims / 2), rel=1e-3)


def test_random_blobs_stay_in_range_and_complement(registry):
    plain = build(registry, "gaussian_blobs;3;false", 2, 32)
    complement = build(registry, "gaussian_blobs;3;true", 2, 32)
    for seed in range(5):
        key = jr.PRNGKey(seed)
        u = np.asarray(plain(key=key))
        assert 0 < u.min() and u.max() <= 1
        np.testing.assert_allclose(np.asarray(complement(key=key)), 1 - u, atol=1e-6)
        peak = np.array(np.unravel_index(np.argmax(u), u.shape)) / 32
        assert np.all((peak >= 0.4 - 1 / 32) & (peak <= 0.6 + 1 / 32))


# -- channels and batches -------------------------------------------------------------------------


def test_multichannel_draws_are_independent_per_channel(registry):
    generator = build(registry, "grf;2.0;true;false", 1, 32)
    batch = np.asarray(draw_ic_set(multichannel(generator, 2), 300, key=jr.PRNGKey(0)))
    assert batch.shape == (300, 2, 32)
    assert not np.allclose(batch[:, 0], batch[:, 1])
    # channel correlation at each grid point vanishes in expectation (independent draws)
    first, second = batch[:, 0] / batch[:, 0].std(), batch[:, 1] / batch[:, 1].std()
    assert abs(np.mean(first * second)) < 0.1
    assert np.mean(first * first) == pytest.approx(1.0, rel=0.01)
    np.testing.assert_array_equal(batch, draw_ic_set(multichannel(generator, 2), 300, key=jr.PRNGKey(0)))
    # a key chain (APEBench's order): a smaller set is a prefix of a larger one
    np.testing.assert_array_equal(batch[:7], draw_ic_set(multichannel(generator, 2), 7, key=jr.PRNGKey(0)))
    single = np.asarray(multichannel(generator, 3)(key=jr.PRNGKey(1)))
    assert single.shape == (3, 32)
    assert len({row.tobytes() for row in single}) == 3


def test_a_generator_holding_arrays_draws_like_a_function():
    """A plugin's generator may be a module with array fields, which cannot be hashed (so it
    cannot share the compiled draw): its set is the same as that of an equal plain function."""
    import equinox as eqx

    class Scaled(eqx.Module):
        scale: jax.Array

        def __call__(self, *, key):
            return self.scale * jr.normal(key, (8,))

    module = Scaled(jnp.arange(8.0))
    as_function = draw_ic_set(lambda *, key: module(key=key), 5, key=jr.PRNGKey(3))
    np.testing.assert_array_equal(draw_ic_set(module, 5, key=jr.PRNGKey(3)), as_function)


# -- catalogue ------------------------------------------------------------------------------------


def test_catalogue_does_not_import_jax():
    code = "import apebench_pde._catalogue_ics, sys; assert 'jax' not in sys.modules, 'jax imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_specs_round_trip_and_parse_booleans_strictly(registry):
    assert {spec.name for spec in registry.specs("initial_condition")} >= {
        "fourier",
        "diffused",
        "grf",
        "clamp",
        "gaussian_blobs",
    }
    for config in ALL_CONFIGS:
        parsed = registry.parse("initial_condition", config)
        assert registry.parse("initial_condition", parsed.format()) == parsed
    with pytest.raises(ConfigError):
        registry.parse("initial_condition", "fourier;5;ture;true")
    with pytest.raises(ConfigError):
        registry.parse("initial_condition", "fourier;5;true")


def test_public_build_gives_the_fisher_kpp_default(monkeypatch):
    monkeypatch.setenv(ENV_DISABLE_AUTOLOAD, "1")
    with registered_plugin(pde_plugin, "pde"):
        generator = apebench_core.build(
            "initial_condition", "clamp;0.0;1.0;fourier;5;false;false", num_spatial_dims=2, num_points=16
        )
        field = np.asarray(generator(key=jr.PRNGKey(0)))
    assert field.shape == (16, 16)
    assert field.min() >= 0.0 and field.max() <= 1.0
