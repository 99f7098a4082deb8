"""Hypothesis properties of the 1-D gradient-descent recursion (seeds 002 Ex.1, 003, 004)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograder.landscapes import DoubleWell, Quadratic1D
from reference.gd_1d import (
    double_well_limit,
    gd_step,
    gd_trajectory,
    gradient_descent_1d,
    quadratic_closed_form,
    quadratic_multiplier,
    stability_interval,
    step_size_sweep,
    time_to_result,
)

FAST = settings(max_examples=50, deadline=None)

lams = st.floats(0.05, 20.0)
centers = st.floats(-10.0, 10.0)
starts = st.floats(-50.0, 50.0)
steps = st.integers(0, 60)


def _eta(lam: float, eta_lam: float) -> float:
    return eta_lam / lam


@FAST
@given(lam=lams, c=centers, w0=starts, eta_lam=st.floats(0.0, 2.5), n=steps)
def test_closed_form_equals_iteration(lam, c, w0, eta_lam, n):
    """c + (1 − ηλ)^k (w0 − c) equals n GD steps on ½λ(w − c)², to rounding."""
    eta = _eta(lam, eta_lam)
    q = Quadratic1D(lam=lam, center=c)
    it = gd_trajectory(q.grad, w0, eta, n)
    cf = quadratic_closed_form(w0, eta, lam, n, center=c)
    assert it.shape == cf.shape == (n + 1,)
    assert it[0] == cf[0] == w0
    r = abs(1.0 - eta * lam)
    scale = abs(c) + abs(w0 - c) * np.maximum(1.0, r) ** np.arange(n + 1) + 1e-300
    assert np.all(np.abs(it - cf) <= 1e-13 * (np.arange(n + 1) + 1) * scale * (1.0 + r))


@FAST
@given(lam=lams, c=centers, w0=starts, eta_lam=st.floats(0.01, 0.99), n=st.integers(1, 60))
def test_monotone_when_eta_lam_below_one(lam, c, w0, eta_lam, n):
    """0 < ηλ < 1: w_k approaches c from one side, |w_k − c| never increases."""
    assume(abs(w0 - c) > 1e-6)
    q = Quadratic1D(lam=lam, center=c)
    e = gd_trajectory(q.grad, w0, _eta(lam, eta_lam), n) - c
    exact = (1.0 - eta_lam) ** np.arange(n + 1) * abs(w0 - c)
    visible = exact > 1e-8 * (1.0 + abs(c))
    assert np.all(np.sign(e[visible]) == np.sign(w0 - c))
    assert np.all(np.diff(np.abs(e[visible])) <= 0.0)


@FAST
@given(lam=lams, c=centers, w0=starts, eta_lam=st.floats(1.01, 1.99), n=st.integers(1, 60))
def test_alternates_sides_when_eta_lam_between_one_and_two(lam, c, w0, eta_lam, n):
    """1 < ηλ < 2: w_k jumps across c every step while shrinking."""
    assume(abs(w0 - c) > 1e-6)
    q = Quadratic1D(lam=lam, center=c)
    e = gd_trajectory(q.grad, w0, _eta(lam, eta_lam), n) - c
    exact = abs(1.0 - eta_lam) ** np.arange(n + 1) * abs(w0 - c)
    v = e[exact > 1e-8 * (1.0 + abs(c))]
    assert np.all(v[1:] * v[:-1] < 0.0)
    assert np.all(np.diff(np.abs(v)) < 0.0)


@FAST
@given(lam=lams, c=centers, w0=starts, eta_lam=st.floats(2.01, 4.0), n=st.integers(1, 40))
def test_distance_grows_when_eta_lam_above_two(lam, c, w0, eta_lam, n):
    """ηλ > 2: |w_k − c| grows geometrically (divergence), alternating sides."""
    assume(abs(w0 - c) > 1e-3 * (1.0 + abs(c)))
    q = Quadratic1D(lam=lam, center=c)
    e = gd_trajectory(q.grad, w0, _eta(lam, eta_lam), n) - c
    assert np.all(np.diff(np.abs(e)) > 0.0)
    assert np.all(e[1:] * e[:-1] < 0.0)


@FAST
@given(lam=st.floats(-5.0, 20.0), eta=st.floats(1e-3, 10.0))
def test_stability_interval_is_where_the_multiplier_contracts(lam, eta):
    """η ∈ (lo, hi) exactly when |1 − ηλ| < 1 (away from the boundary)."""
    lo, hi = stability_interval(lam)
    r = quadratic_multiplier(eta, lam)
    assume(abs(abs(r) - 1.0) > 1e-9)
    assert (lo < eta < hi) == (abs(r) < 1.0)
    if lam <= 0.0:
        assert (lo, hi) == (0.0, 0.0)
    else:
        assert lo == 0.0 and math.isclose(hi * lam, 2.0)


@FAST
@given(lam=lams, c=centers, w0=starts, eta_lam=st.floats(0.05, 1.95))
def test_time_to_result_matches_closed_form(lam, c, w0, eta_lam):
    """On ½λ(w − c)², the first k with ½λ r^{2k}(w0 − c)² ≤ target is ceil(log ratio)."""
    q = Quadratic1D(lam=lam, center=c)
    eta = _eta(lam, eta_lam)
    target, cap = 1e-5, 2000
    L0 = 0.5 * lam * (w0 - c) ** 2
    if target >= L0:
        expected = 0
    else:
        r = abs(1.0 - eta_lam)
        assume(r > 1e-3)
        k_real = math.log(target / L0) / (2.0 * math.log(r))
        assume(abs(k_real - round(k_real)) > 1e-6)
        expected = min(math.ceil(k_real), cap)
    assert time_to_result(q.loss, q.grad, w0, eta, target, cap) == expected


@FAST
@given(
    lam=lams,
    c=centers,
    w0=starts,
    eta_lam=st.floats(0.0, 3.0),
    target=st.floats(1e-8, 1.0),
    cap=st.integers(0, 80),
)
def test_time_to_result_agrees_with_the_logged_loop(lam, c, w0, eta_lam, target, cap):
    """time_to_result = last k of gradient_descent_1d(eps_obj=target) when reached, else cap."""
    q = Quadratic1D(lam=lam, center=c)
    eta = _eta(lam, eta_lam)
    t = time_to_result(q.loss, q.grad, w0, eta, target, cap)
    _, hist = gradient_descent_1d(q.loss, q.grad, w0, eta, cap, eps_grad=None, eps_obj=target)
    reached = len(hist["L"]) > 0 and hist["L"][-1] <= target
    assert t == (int(hist["k"][-1]) if reached else cap)
    assert 0 <= t <= cap


@FAST
@given(
    lam=lams,
    c=centers,
    w0=starts,
    eta_lam=st.floats(0.0, 3.0),
    max_iters=st.integers(0, 60),
    eps_grad=st.one_of(st.none(), st.floats(1e-8, 1.0)),
    eps_obj=st.one_of(st.none(), st.floats(1e-8, 1.0)),
)
def test_logged_loop_history(lam, c, w0, eta_lam, max_iters, eps_grad, eps_obj):
    """The history holds the visited iterates of gd_trajectory; the loop stops at the first
    iterate meeting a rule (checked before updating) or after max_iters updates."""
    q = Quadratic1D(lam=lam, center=c)
    eta = _eta(lam, eta_lam)
    w, hist = gradient_descent_1d(q.loss, q.grad, w0, eta, max_iters, eps_grad, eps_obj)
    n = len(hist["k"])
    assert all(hist[key].shape == (n,) for key in ("k", "w", "L", "abs_dL"))
    assert hist["k"].dtype == np.int64 and hist["w"].dtype == np.float64
    np.testing.assert_array_equal(hist["k"], np.arange(n))
    path = gd_trajectory(q.grad, w0, eta, max_iters)
    np.testing.assert_array_equal(hist["w"], path[:n])
    np.testing.assert_array_equal(hist["L"], [q.loss(float(v)) for v in path[:n]])
    np.testing.assert_array_equal(hist["abs_dL"], [abs(q.grad(float(v))) for v in path[:n]])

    def met(i: int) -> bool:
        g_ok = eps_grad is not None and hist["abs_dL"][i] <= eps_grad
        o_ok = eps_obj is not None and hist["L"][i] <= eps_obj
        return bool(g_ok or o_ok)

    assert not any(met(i) for i in range(n - 1))
    if n > 0 and met(n - 1):
        assert w == hist["w"][-1]
    else:
        assert n == max_iters
        assert w == path[max_iters]


@FAST
@given(w0=starts, etas=st.lists(st.floats(0.0, 3.0), min_size=0, max_size=6))
def test_sweep_is_time_to_result_per_eta(w0, etas):
    """step_size_sweep(…)[i] = time_to_result(…, etas[i], …), int64, order preserved."""
    q = Quadratic1D(lam=1.5, center=0.5)
    counts = step_size_sweep(q.loss, q.grad, w0, np.array(etas), 1e-5, 300)
    assert counts.dtype == np.int64 and counts.shape == (len(etas),)
    assert counts.tolist() == [time_to_result(q.loss, q.grad, w0, e, 1e-5, 300) for e in etas]


@FAST
@given(w0=starts.filter(lambda v: v != 0.0), eta=st.floats(1e-3, 3.0))
def test_half_square_eta_one_is_the_fastest(w0, eta):
    """On ½w² with L(w0) > target, η = 1 takes 1 step and no η does better (seed 004 §8)."""
    q = Quadratic1D(lam=1.0)
    assume(q.loss(w0) > 1e-5)
    assert time_to_result(q.loss, q.grad, w0, 1.0) == 1
    assert time_to_result(q.loss, q.grad, w0, eta) >= 1


@FAST
@given(w=st.floats(-1e3, 1e3), eta=st.floats(-2.0, 2.0))
def test_step_is_the_update_rule(w, eta):
    """gd_step(dL, w, η) = w − η·L'(w) on the double well."""
    dw = DoubleWell()
    assert gd_step(dw.grad, w, eta) == w - eta * (2.0 * w * (w * w - 1.0))


@FAST
@given(w0=st.floats(-3.0, 3.0), eta=st.floats(0.001, 0.6), n=st.integers(0, 400))
def test_double_well_limit_is_odd(w0, eta, n):
    """L is even, so GD from −w0 mirrors GD from w0 exactly: limit(−w0) = −limit(w0)."""
    a, b = double_well_limit(w0, eta, n), double_well_limit(-w0, eta, n)
    assert (math.isnan(a) and math.isnan(b)) or a == -b


@FAST
@given(w0=st.floats(0.05, 1.5), eta=st.floats(0.01, 0.1))
def test_double_well_positive_start_small_step_reaches_plus_one(w0, eta):
    """From 0 < w0 ≤ 1.5 with a small step, GD stays positive and settles at +1."""
    assert double_well_limit(w0, eta) == 1.0
    assert double_well_limit(-w0, eta) == -1.0


def test_double_well_limit_returns_nan_on_divergence_and_zero_at_the_maximum():
    """A divergent run gives nan; w0 = 0 (a stationary point) stays at 0."""
    assert math.isnan(double_well_limit(3.0, 0.5))
    assert double_well_limit(0.0, 0.1) == 0.0


def test_divergent_trajectory_does_not_raise():
    """A run that overflows keeps going with inf/nan, as the conventions require."""
    q = Quadratic1D(lam=1.0)
    path = gd_trajectory(q.grad, 5.0, 3.0, 1200)
    assert path.shape == (1201,)
    assert not np.all(np.isfinite(path))
    _, hist = gradient_descent_1d(q.loss, q.grad, 5.0, 3.0, max_iters=1200)
    assert len(hist["k"]) == 1200
    assert time_to_result(q.loss, q.grad, 5.0, 3.0, max_iters=1200) == 1200
    dw = DoubleWell()
    assert np.isnan(gd_trajectory(dw.grad, 10.0, 1.0, 50)[-1])


def test_closed_form_at_the_minimiser_and_boundaries():
    """w0 = c stays at c; n_steps = 0 gives [w0]; negative n_steps is an error."""
    np.testing.assert_array_equal(quadratic_closed_form(2.0, 5.0, 1.0, 1000, 2.0), [2.0] * 1001)
    np.testing.assert_array_equal(quadratic_closed_form(1.5, 0.1, 1.0, 0), [1.5])
    np.testing.assert_array_equal(gd_trajectory(lambda w: w, 1.5, 0.1, 0), [1.5])
    with pytest.raises(ValueError):
        quadratic_closed_form(1.0, 0.1, 1.0, -1)
    with pytest.raises(ValueError):
        gd_trajectory(abs, 1.0, 0.1, -1)
    w, hist = gradient_descent_1d(lambda w: w * w, lambda w: 2 * w, 3.0, 0.1, max_iters=0)
    assert w == 3.0 and all(len(v) == 0 for v in hist.values())
