"""Metrics of the peers (The Well, PDEBench, L-infinity) on fields whose answer is known by
construction, and against a direct DFT written here independently of the plugin."""

import math

import numpy as np
import pytest

import apebench_core as apebench

N = 16


def value(config, u, r):
    fn = apebench.build("metric", config)
    return float(fn(np.asarray(u, np.float32), np.asarray(r, np.float32)))


def grid(dims):
    axes = np.meshgrid(*([np.arange(N) / N] * dims), indexing="ij")
    return axes


def cosine(dims, ks, amplitude=1.0):
    """``(1, N, ..)`` field a cos(2 pi k.x) on the unit domain."""
    x = grid(dims)
    return amplitude * np.cos(2 * np.pi * sum(k * xd for k, xd in zip(ks, x, strict=True)))[None]


def direct_band_power(field, in_band):
    """sum over modes with in_band(|k|) of |DFT/N^D|^2, by the definition of the DFT (slow loops)."""
    dims = field.ndim
    total = 0.0
    for k in np.ndindex(*(N,) * dims):
        signed = [kd if kd <= N // 2 else kd - N for kd in k]
        if not in_band(math.sqrt(sum(s * s for s in signed))):
            continue
        phase = sum(
            kd * xd for kd, xd in zip(k, np.meshgrid(*([np.arange(N)] * dims), indexing="ij"), strict=True)
        )
        coefficient = np.sum(field * np.exp(-2j * np.pi * phase / N)) / N**dims
        total += abs(coefficient) ** 2
    return total


@pytest.mark.parametrize(
    "dims,ks,band",
    [
        (1, (1,), "low"),
        (1, (3,), "mid"),
        (1, (6,), "high"),
        (2, (1, 1), "low"),
        (2, (3, 2), "mid"),
        (2, (6, 6), "high"),
    ],
)
def test_binned_spectral_error_puts_a_cosine_into_its_band(dims, ks, band):
    # 1D N=16: edges 1, 2, 4, 8; 2D: 1, 2.24, 5.04, 11.3 (|k| of (1,1) = 1.41, (3,2) = 3.61, (6,6) = 8.49)
    reference = cosine(dims, (2,) + (0,) * (dims - 1))
    error = cosine(dims, ks, amplitude=0.3)
    for other in ("low", "mid", "high"):
        expected = 0.3**2 / 2 if other == band else 0.0
        got = value(f"mean_binned_spectral_MSE;{other}", reference[None] + error[None], reference[None])
        assert got == pytest.approx(expected, abs=1e-6), other


def test_normalized_binned_spectral_error_is_the_power_ratio():
    reference = cosine(1, (3,), amplitude=2.0)
    prediction = reference + cosine(1, (2,), amplitude=0.5)  # both in the mid band (2 <= |k| < 4)
    got = value("mean_binned_spectral_nMSE;mid", prediction[None], reference[None])
    assert got == pytest.approx(0.5**2 / 2.0**2, rel=1e-5)


def test_mean_is_in_no_log_band_but_in_pdebench_low_band():
    reference = cosine(1, (2,))
    shifted = reference + 0.25
    for band in ("low", "mid", "high"):
        assert value(f"mean_binned_spectral_MSE;{band}", shifted[None], reference[None]) == pytest.approx(
            0, abs=1e-7
        )
    assert value("mean_fRMSE;low", shifted[None], reference[None]) == pytest.approx(0.25, rel=1e-5)
    assert value("mean_fRMSE;mid", shifted[None], reference[None]) == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize(
    "dims,ks,band", [(1, (2,), "low"), (1, (5,), "mid"), (2, (3, 3), "mid"), (2, (8, 8), "high")]
)
def test_frmse_of_a_cosine_is_its_rms(dims, ks, band):
    # PDEBench cuts 4 and 12: |k| of (3,3) = 4.24 (mid), of (8,8) = 11.3... use explicit cuts below
    config = f"mean_fRMSE;{band};4;11" if dims == 2 else f"mean_fRMSE;{band}"
    reference = cosine(dims, (1,) + (0,) * (dims - 1))
    prediction = reference + cosine(dims, ks, amplitude=0.4)
    rms = (
        0.4 if ks[-1] == N // 2 and all(k == N // 2 for k in ks) else 0.4 / math.sqrt(2)
    )  # Nyquist: cos is +-1
    assert value(config, prediction[None], reference[None]) == pytest.approx(rms, rel=1e-5)
    for other in {"low", "mid", "high"} - {band}:
        other_config = config.replace(f";{band}", f";{other}")
        assert value(other_config, prediction[None], reference[None]) == pytest.approx(0, abs=1e-6)


def test_band_errors_against_a_direct_dft_on_random_fields():
    rng = np.random.default_rng(0)
    for dims in (1, 2):
        u = rng.standard_normal((N,) * dims)
        r = rng.standard_normal((N,) * dims)
        corner = math.sqrt(dims) * N / 2
        edges = [corner ** (i / 3) for i in range(4)]
        bands = {
            "low": (edges[0], edges[1]),
            "mid": (edges[1], edges[2]),
            "high": (edges[2], edges[3] + 1e-9),
        }
        for name, (lo, hi) in bands.items():

            def in_band(k, lo=lo, hi=hi, closed=name == "high"):
                return lo <= k <= hi if closed else lo <= k < hi

            expected = direct_band_power(u - r, in_band)
            got = value(f"mean_binned_spectral_MSE;{name}", u[None, None], r[None, None])
            assert got == pytest.approx(expected, rel=1e-4)
            normalized = value(f"mean_binned_spectral_nMSE;{name}", u[None, None], r[None, None])
            assert normalized == pytest.approx(expected / direct_band_power(r, in_band), rel=1e-4)
        mid = direct_band_power(u - r, lambda k: 4 <= k < 12)
        assert value("mean_fRMSE;mid", u[None, None], r[None, None]) == pytest.approx(
            math.sqrt(mid), rel=1e-4
        )
        total = sum(
            value(f"mean_fRMSE;{b}", u[None, None], r[None, None]) ** 2 for b in ("low", "mid", "high")
        )
        assert total == pytest.approx(np.mean((u - r) ** 2), rel=1e-4)  # the bands partition the spectrum


def test_crmse_is_the_rms_of_the_mean_error_over_samples_summed_over_channels():
    reference = np.stack([cosine(1, (1,)), cosine(1, (2,))])[:, 0][None].repeat(2, axis=0)  # (2, 2, N)
    offsets = np.array([[0.3, -0.1], [0.4, 0.2]])  # (samples, channels)
    prediction = reference + offsets[:, :, None] + cosine(1, (3,))[None]  # the cosine has zero mean
    expected = sum(math.sqrt(np.mean(offsets[:, c] ** 2)) for c in range(2))
    assert value("mean_cRMSE", prediction, reference) == pytest.approx(expected, rel=1e-5)


def test_linf_is_the_largest_pointwise_error():
    reference = np.zeros((2, 1, N, N))
    prediction = reference.copy()
    prediction[0, 0, 3, 5] = -0.7
    prediction[0, 0, 1, 1] = 0.2
    prediction[1, 0, 9, 9] = 0.1
    assert value("mean_Linf", prediction, reference) == pytest.approx((0.7 + 0.1) / 2, rel=1e-6)


def test_band_rules_are_checked_when_planning():
    base = {"num_points": 16, "net": "Conv;4;2;relu"}
    with pytest.raises(ValueError, match="high_cut"):
        apebench.plan("diff_adv", report_metrics="mean_fRMSE;mid;8;4", **base)
    with pytest.raises(ValueError, match="no mode of the grid"):
        apebench.plan("diff_adv", report_metrics="mean_fRMSE;high", **base)  # 1D N=16 tops at |k| = 8
    with pytest.raises(ValueError, match="band"):
        apebench.plan("diff_adv", report_metrics="mean_binned_spectral_MSE;top", **base)
    apebench.plan("diff_adv", report_metrics="mean_fRMSE;high;4;6,mean_cRMSE,mean_Linf", **base)
