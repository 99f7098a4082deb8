"""Hypothesis properties of the `diagnostics` mathematics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograder.landscapes import Quadratic1D, QuadraticForm
from reference import diagnostics as dg

SETTINGS = settings(max_examples=50, deadline=None)

C_ = st.floats(1e-3, 1e3)
RHO = st.floats(0.01, 0.95)
P = st.floats(0.25, 3.0)
N = st.integers(4, 120)


def _geometric(C: float, rho: float, n: int) -> np.ndarray:
    return C * rho ** np.arange(n, dtype=float)


@SETTINGS
@given(C_, RHO, N)
def test_rate_recovers_rho_of_geometric_sequence(C, rho, n):
    e = _geometric(C, rho, n)
    assume(e[-1] > 1e-290)  # stay in the normal float range (no subnormals)
    assert abs(dg.estimate_rate(e) - rho) <= 1e-9
    assert dg.classify_convergence(e) == "linear"


@SETTINGS
@given(C_, st.floats(1.01, 3.0), N)
def test_rate_above_one_and_growth_is_diverging(C, rho, n):
    e = _geometric(C, rho, n)
    assume(np.isfinite(e[-1]))
    assert abs(dg.estimate_rate(e) - rho) <= 1e-9 * rho
    assert dg.classify_convergence(e) == "diverging"


@SETTINGS
@given(C_, P, st.integers(3, 300))
def test_power_law_is_sublinear_and_p_is_recovered(C, p, n):
    k = np.arange(n, dtype=float)
    e = C / (k + 1.0) ** p
    assert dg.classify_convergence(e) == "sublinear"
    assert dg.estimate_power(e) == pytest.approx(p, rel=1e-9)


@SETTINGS
@given(C_, RHO, N, st.data())
def test_window_uses_original_indices_and_skips_bad_entries(C, rho, n, data):
    e = _geometric(C, rho, n)
    assume(e[-1] > 1e-290)
    start = data.draw(st.integers(0, n - 3))
    bad = data.draw(st.lists(st.integers(0, n - 1), max_size=n // 3))
    e_bad = e.copy()
    e_bad[bad] = data.draw(st.sampled_from([0.0, -1.0, np.nan, np.inf]))
    usable = [i for i in range(start, n) if i not in set(bad)]
    got = dg.estimate_rate(e_bad, start=start)
    if len(usable) < 2:
        assert math.isnan(got)
    else:
        assert abs(got - rho) <= 1e-9


@SETTINGS
@given(C_, RHO, st.floats(1e-12, 1.0), st.integers(1, 400))
def test_time_to_result_geometric_closed_form(C, rho, frac, n):
    target = C * frac
    exact = math.log(target / C) / math.log(rho)
    assume(abs(exact - round(exact)) > 1e-7)  # stay away from ties decided by rounding
    expected = max(0, math.ceil(exact))
    e = _geometric(C, rho, n)
    got = dg.time_to_result(e, target)
    assert got == (expected if expected < n else -1)


@SETTINGS
@given(st.lists(st.floats(0, 10), min_size=1, max_size=50), st.floats(0, 10))
def test_time_to_result_is_first_hit(values, target):
    k = dg.time_to_result(values, target)
    assert isinstance(k, int)
    if k == -1:
        assert all(v > target for v in values)
    else:
        assert values[k] <= target and all(v > target for v in values[:k])


@SETTINGS
@given(
    st.floats(0.2, 5.0),
    st.floats(-5, 5),
    st.floats(-10, 10),
    st.floats(0.01, 0.3),
    st.integers(0, 60),
)
def test_gd_history_1d_matches_closed_form(lam, c, w0, eta, n):
    q = Quadratic1D(lam=lam, center=c)
    h = dg.gd_history(q.grad, q.loss, w0, eta, n)
    k = np.arange(n + 1)
    w = c + (1 - eta * lam) ** k * (w0 - c)
    assert h["x"].shape == (n + 1,) and h["k"].dtype == np.int64
    np.testing.assert_allclose(h["x"], w, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(h["grad_norm"], np.abs(lam * (w - c)), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(h["L"], 0.5 * lam * (w - c) ** 2, rtol=1e-9, atol=1e-14)


@SETTINGS
@given(
    st.lists(st.floats(0.5, 10.0), min_size=2, max_size=4),
    st.floats(0.01, 0.2),
    st.integers(0, 40),
    st.integers(0, 2**32 - 1),
)
def test_gd_history_nd_matches_closed_form(eigs, eta, n, seed):
    q = QuadraticForm.diagonal(eigs)
    x0 = np.random.default_rng(seed).standard_normal(len(eigs))
    h = dg.gd_history(q.grad, q.loss, x0, eta, n)
    lam = np.asarray(eigs)
    xs = x0 * (1 - eta * lam) ** np.arange(n + 1)[:, None]
    assert h["x"].shape == (n + 1, len(eigs))
    np.testing.assert_allclose(h["x"], xs, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(
        h["grad_norm"], np.linalg.norm(lam * xs, axis=1), rtol=1e-9, atol=1e-14
    )


def test_gd_history_divergence_does_not_raise():
    q = QuadraticForm.diagonal([2.0, 6.0])
    h = dg.gd_history(q.grad, q.loss, [1.0, 1.0], 1.0, 2000)
    assert not np.all(np.isfinite(h["x"][-1]))
    assert dg.classify_convergence(h["grad_norm"]) == "diverging"
    assert dg.diagnose_loss_curve(h["L"]) == "diverging"
    q1 = Quadratic1D(lam=1.0)
    h1 = dg.gd_history(q1.grad, q1.loss, 5.0, 3.0, 2000)  # Python-float overflow must not raise
    assert np.isinf(h1["x"][-1]) or np.isnan(h1["x"][-1])


@SETTINGS
@given(C_, RHO, st.integers(5, 80))
def test_healthy_geometric_loss(C, rho, n):
    L = _geometric(C, rho, n)
    assume(rho ** (n - 1) <= 1e-3 and L[-1] > 1e-290)
    assert dg.diagnose_loss_curve(L) == "healthy"


@SETTINGS
@given(C_, st.floats(0.95, 0.9999), st.integers(5, 80))
def test_slow_steady_decrease_is_too_small_lr(C, rho, n):
    L = _geometric(C, rho, n)
    assume(rho ** (n - 1) > 1e-3)
    assert dg.diagnose_loss_curve(L) == "too_small_lr"


@SETTINGS
@given(C_, st.floats(0.01, 0.5), st.floats(0.05, 0.9), st.integers(8, 60))
def test_drop_then_flat_is_plateau(C, rho, level, n):
    k = np.arange(n)
    L = C * (level + (1 - level) * rho**k)  # levels at C·level, far above the floor 0
    assume(rho ** ((n - 1) // 2) < 1e-3)
    assert dg.diagnose_loss_curve(L) == "plateau"
    # ... and it is healthy once the floor is the plateau value itself
    assert dg.diagnose_loss_curve(L, floor=C * level) == "healthy"


@SETTINGS
@given(C_, st.floats(0.5, 0.99), st.floats(0.3, 0.9), st.integers(6, 60))
def test_swinging_loss_is_oscillating(C, rho, amp, n):
    k = np.arange(n)
    L = C * rho**k * (1 + amp * (-1.0) ** k)  # every other step goes up when amp is large
    assume(L[-1] <= L[0])
    ups = np.count_nonzero(np.diff(L) > 0)
    assume(ups > 0.2 * (n - 1))
    assert dg.diagnose_loss_curve(L) == "oscillating"


@SETTINGS
@given(C_, st.floats(1.001, 2.0), st.integers(3, 60))
def test_increasing_loss_is_diverging(C, r, n):
    assert dg.diagnose_loss_curve(_geometric(C, r, n)) == "diverging"


@SETTINGS
@given(st.floats(1e-3, 1e3), st.integers(3, 60))
def test_constant_sequence_is_stalled_and_plateau(c, n):
    e = np.full(n, c)
    assert dg.classify_convergence(e) == "stalled"
    assert dg.diagnose_loss_curve(e) == "plateau"


def test_boundary_cases():
    assert dg.classify_convergence([1.0, 0.5, 0.0, 0.0]) == "linear"
    assert dg.classify_convergence([0.0, 0.0, 0.0]) == "linear"
    assert dg.classify_convergence([0.0, 1.0, 2.0]) == "diverging"
    assert dg.classify_convergence([1.0, np.nan, 0.5]) == "diverging"
    assert dg.classify_convergence([1.0, 0.999, 0.995]) == "stalled"
    assert dg.classify_convergence([1.0, 0.5, 0.495]) == "stalled"  # 0.495 ≥ 0.99·0.5
    assert dg.classify_convergence([1.0, 0.5, 0.495], stall_ratio=0.999) == "sublinear"
    with pytest.raises(ValueError):
        dg.classify_convergence([1.0, -0.5, 0.25])
    with pytest.raises(ValueError):
        dg.classify_convergence([1.0, 0.5])
    assert math.isnan(dg.estimate_rate([1.0]))
    assert math.isnan(dg.estimate_rate([1.0, 0.0, -2.0]))
    assert math.isnan(dg.estimate_power([np.inf, 3.0]))
    assert dg.estimate_rate([8.0, 4.0, 2.0, 1.0], start=-2) == pytest.approx(0.5)
    assert dg.time_to_result([np.nan, 3.0, 1.0], 1.0) == 2
    assert dg.time_to_result([], 1.0) == -1
    assert dg.diagnose_loss_curve([0.0, 0.0, 0.0]) == "healthy"
    assert dg.diagnose_loss_curve([1.0, 3.0, 0.5, 0.4, 0.3]) == "oscillating"
    assert dg.diagnose_loss_curve([1.0, 0.5, np.inf]) == "diverging"
    with pytest.raises(ValueError):
        dg.diagnose_loss_curve([1.0, 0.5, 0.25], floor=0.5)
    with pytest.raises(ValueError):
        dg.gd_history(lambda x: x, lambda x: x, 1.0, 0.1, -1)
