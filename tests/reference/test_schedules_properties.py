"""Hypothesis properties of the schedules and of gradient descent with a schedule."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograder.landscapes import Multimodal, QuadraticForm
from reference.schedules import (
    constant_lr,
    cosine_annealing,
    exp_range,
    exponential_decay,
    gd_with_schedule,
    step_decay,
    triangular,
    triangular2,
    warmup_cosine,
)

SETTINGS = settings(max_examples=50, deadline=None)

steps = st.integers(min_value=0, max_value=10_000)
sizes = st.integers(min_value=1, max_value=200)
rates = st.floats(min_value=1e-6, max_value=10.0, allow_nan=False, allow_infinity=False)


@st.composite
def lr_bounds(draw):
    lo = draw(rates)
    hi = draw(st.floats(min_value=lo, max_value=lo + 10.0, allow_nan=False))
    return lo, hi


def smith_triangular(t: int, lo: float, hi: float, s: int) -> float:
    """Smith's formula written literally (symmetric cycle)."""
    cycle = math.floor(1 + t / (2 * s))
    x = abs(t / s - 2 * cycle + 1)
    return lo + (hi - lo) * max(0.0, 1 - x)


# --- cyclical ---------------------------------------------------------------


@SETTINGS
@given(t=steps, bounds=lr_bounds(), s=sizes)
def test_triangular_lies_between_base_and_max(t, bounds, s):
    lo, hi = bounds
    value = triangular(t, base_lr=lo, max_lr=hi, step_size=s)
    assert isinstance(value, float)
    assert lo * (1 - 1e-12) <= value <= hi * (1 + 1e-12)


@SETTINGS
@given(t=steps, bounds=lr_bounds(), s=sizes)
def test_triangular_equals_smiths_formula(t, bounds, s):
    lo, hi = bounds
    ours = triangular(t, base_lr=lo, max_lr=hi, step_size=s)
    assert math.isclose(ours, smith_triangular(t, lo, hi, s), rel_tol=1e-12, abs_tol=1e-15)


@SETTINGS
@given(t=steps, bounds=lr_bounds(), s=sizes, down=st.one_of(st.none(), sizes))
def test_triangular_is_periodic(t, bounds, s, down):
    lo, hi = bounds
    period = 2 * s if down is None else s + down
    kw = {"base_lr": lo, "max_lr": hi, "step_size": s, "step_size_down": down}
    assert math.isclose(
        triangular(t, **kw), triangular(t + period, **kw), rel_tol=1e-9, abs_tol=1e-12
    )


@SETTINGS
@given(c=st.integers(min_value=1, max_value=30), bounds=lr_bounds(), s=sizes)
def test_triangular2_peak_of_cycle_c(c, bounds, s):
    lo, hi = bounds
    peak = triangular2((2 * c - 1) * s, base_lr=lo, max_lr=hi, step_size=s)
    assert math.isclose(peak, lo + math.ldexp(hi - lo, 1 - c), rel_tol=1e-12)


@SETTINGS
@given(t=steps, bounds=lr_bounds(), s=sizes)
def test_triangular2_is_triangular_with_halved_amplitude(t, bounds, s):
    lo, hi = bounds
    c = math.floor(1 + t / (2 * s))
    tri = triangular(t, base_lr=lo, max_lr=hi, step_size=s)
    tri2 = triangular2(t, base_lr=lo, max_lr=hi, step_size=s)
    assert math.isclose(tri2 - lo, math.ldexp(tri - lo, 1 - c), rel_tol=1e-9, abs_tol=1e-12)


def test_triangular2_after_many_cycles_settles_quietly_at_base():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        late = triangular2(
            np.array([2 * 1100 + 1, 2 * 5000 + 1]), base_lr=0.1, max_lr=1.0, step_size=1
        )
    assert late.tolist() == [0.1, 0.1]


@SETTINGS
@given(t=steps, bounds=lr_bounds(), s=sizes, gamma=st.floats(0.9, 1.0))
def test_exp_range_is_triangular_times_gamma_to_the_t(t, bounds, s, gamma):
    lo, hi = bounds
    tri = triangular(t, base_lr=lo, max_lr=hi, step_size=s)
    er = exp_range(t, base_lr=lo, max_lr=hi, step_size=s, gamma=gamma)
    assert math.isclose(er - lo, (tri - lo) * gamma**t, rel_tol=1e-9, abs_tol=1e-12)
    if gamma == 1.0:
        assert er == tri


@SETTINGS
@given(bounds=lr_bounds(), up=sizes, down=sizes)
def test_asymmetric_cycle_hits_max_after_up_steps(bounds, up, down):
    lo, hi = bounds
    kw = {"base_lr": lo, "max_lr": hi, "step_size": up, "step_size_down": down}
    assert math.isclose(triangular(up, **kw), hi, rel_tol=1e-12)
    assert math.isclose(triangular(up + down, **kw), lo, rel_tol=1e-12, abs_tol=1e-15)
    lrs = triangular(np.arange(up + down + 1), **kw)
    assert np.all(np.diff(lrs[: up + 1]) >= -1e-12) and np.all(np.diff(lrs[up:]) <= 1e-12)


# --- decays -----------------------------------------------------------------


@SETTINGS
@given(eta0=rates, eta_min_frac=st.floats(0.0, 1.0), big_t=sizes)
def test_cosine_is_monotone_non_increasing_and_holds_after_t(eta0, eta_min_frac, big_t):
    eta_min = eta0 * eta_min_frac
    lrs = cosine_annealing(np.arange(2 * big_t + 1), eta0=eta0, total_steps=big_t, eta_min=eta_min)
    assert np.all(np.diff(lrs[: big_t + 1]) <= 0.0)
    assert np.all(lrs[big_t:] == lrs[big_t])
    assert math.isclose(lrs[big_t], eta_min, rel_tol=1e-12, abs_tol=1e-300)


@SETTINGS
@given(eta0=rates, eta_min=rates, big_t=sizes, data=st.data())
def test_cosine_is_symmetric_about_the_midpoint(eta0, eta_min, big_t, data):
    t = data.draw(st.integers(0, big_t))
    a = cosine_annealing(t, eta0=eta0, total_steps=big_t, eta_min=eta_min)
    b = cosine_annealing(big_t - t, eta0=eta0, total_steps=big_t, eta_min=eta_min)
    assert math.isclose(a + b, eta0 + eta_min, rel_tol=1e-12)


@SETTINGS
@given(eta0=rates, tw=st.integers(0, 50), extra=sizes, f=st.floats(0.0, 1.0))
def test_warmup_ramp_is_linear_and_joins_the_cosine(eta0, tw, extra, f):
    total = tw + extra
    kw = {"eta0": eta0, "warmup_steps": tw, "total_steps": total, "eta_min": 0.0, "start_factor": f}
    lrs = warmup_cosine(np.arange(total + 5), **kw)
    if tw > 0:
        ramp = lrs[: tw + 1]
        assert math.isclose(ramp[0], f * eta0, rel_tol=1e-12, abs_tol=1e-300)
        assert np.allclose(np.diff(ramp), (1 - f) * eta0 / tw, rtol=1e-9, atol=1e-12)
    assert math.isclose(lrs[tw], eta0, rel_tol=1e-12)
    tail = cosine_annealing(np.arange(extra + 5), eta0=eta0, total_steps=extra)
    np.testing.assert_array_equal(lrs[tw:], tail)


@SETTINGS
@given(t=steps, eta0=rates, gamma=st.floats(0.01, 1.0), s=sizes)
def test_step_decay_is_constant_on_blocks_and_drops_by_gamma(t, eta0, gamma, s):
    start = (t // s) * s
    value = step_decay(t, eta0=eta0, gamma=gamma, step_size=s)
    assert value == step_decay(start, eta0=eta0, gamma=gamma, step_size=s)
    nxt = step_decay(start + s, eta0=eta0, gamma=gamma, step_size=s)
    assert math.isclose(nxt, value * gamma, rel_tol=1e-12, abs_tol=1e-300)


@SETTINGS
@given(t=st.integers(0, 1000), eta0=rates, alpha=st.floats(0.0, 0.5))
def test_exponential_decay_ratio_is_e_minus_alpha(t, eta0, alpha):
    a = exponential_decay(t, eta0=eta0, alpha=alpha)
    b = exponential_decay(t + 1, eta0=eta0, alpha=alpha)
    assume(a > 1e-280)
    assert math.isclose(b / a, math.exp(-alpha), rel_tol=1e-12)


# --- purity and array form --------------------------------------------------


def _all_schedules(lo: float, hi: float, s: int):
    return [
        (constant_lr, {"eta0": hi}),
        (step_decay, {"eta0": hi, "gamma": 0.5, "step_size": s}),
        (exponential_decay, {"eta0": hi, "alpha": 0.01}),
        (cosine_annealing, {"eta0": hi, "total_steps": 3 * s, "eta_min": lo}),
        (warmup_cosine, {"eta0": hi, "warmup_steps": s, "total_steps": 4 * s, "eta_min": lo}),
        (triangular, {"base_lr": lo, "max_lr": hi, "step_size": s}),
        (triangular2, {"base_lr": lo, "max_lr": hi, "step_size": s, "step_size_down": s + 1}),
        (exp_range, {"base_lr": lo, "max_lr": hi, "step_size": s, "gamma": 0.999}),
    ]


@SETTINGS
@given(ts=st.lists(steps, max_size=40), bounds=lr_bounds(), s=sizes)
def test_schedules_are_pure_and_vectorised(ts, bounds, s):
    lo, hi = bounds
    arr = np.array(ts, dtype=np.int64)
    before = arr.copy()
    for func, kw in _all_schedules(lo, hi, s):
        out = func(arr, **kw)
        assert isinstance(out, np.ndarray) and out.dtype == np.float64 and out.shape == arr.shape
        scalars = [func(int(t), **kw) for t in ts]
        assert all(isinstance(v, float) for v in scalars)
        np.testing.assert_array_equal(out, np.array(scalars, dtype=np.float64))
        np.testing.assert_array_equal(func(arr, **kw), out)  # same input, same output
        np.testing.assert_array_equal(func(list(ts), **kw), out)  # lists are accepted
    np.testing.assert_array_equal(arr, before)


@pytest.mark.parametrize("bad", [-1, [0, -3]])
def test_negative_steps_are_rejected(bad):
    with pytest.raises(ValueError):
        triangular(bad, base_lr=0.1, max_lr=1.0, step_size=2)


@pytest.mark.parametrize("bad", [1.5, 2.0, True, [0.0, 1.0]])
def test_non_integer_steps_are_rejected(bad):
    with pytest.raises(TypeError):
        cosine_annealing(bad, eta0=1.0, total_steps=10)


def test_numpy_integer_scalars_and_empty_arrays():
    assert cosine_annealing(np.int32(5), eta0=1.0, total_steps=10) == cosine_annealing(
        5, eta0=1.0, total_steps=10
    )
    empty = step_decay([], eta0=1.0, gamma=0.5, step_size=3)
    assert empty.shape == (0,) and empty.dtype == np.float64


def test_invalid_parameters_are_rejected():
    with pytest.raises(ValueError):
        triangular(0, base_lr=0.1, max_lr=1.0, step_size=0)
    with pytest.raises(ValueError):
        warmup_cosine(0, eta0=1.0, warmup_steps=10, total_steps=10)
    with pytest.raises(ValueError):
        warmup_cosine(0, eta0=1.0, warmup_steps=2, total_steps=10, start_factor=1.5)


# --- gradient descent with a schedule ---------------------------------------

coords = st.floats(min_value=-5.0, max_value=5.0, allow_nan=False)


@SETTINGS
@given(x0=st.tuples(coords, coords), eta=st.floats(0.0, 0.5), n=st.integers(0, 60))
def test_constant_schedule_is_plain_gd(x0, eta, n):
    land = Multimodal()
    traj = gd_with_schedule(land.grad, np.array(x0), np.full(n, eta))
    x = np.array(x0, dtype=float)
    expected = [x.copy()]
    for _ in range(n):
        x = x - eta * land.grad(x)
        expected.append(x.copy())
    assert traj.shape == (n + 1, 2) and traj.dtype == np.float64
    np.testing.assert_array_equal(traj, np.array(expected))


@SETTINGS
@given(
    x0=st.tuples(coords, coords),
    lrs=st.lists(st.floats(0.0, 0.4), min_size=0, max_size=40),
    eigs=st.tuples(st.floats(0.1, 5.0), st.floats(0.1, 5.0)),
)
def test_diagonal_quadratic_multiplies_by_the_product_of_multipliers(x0, lrs, eigs):
    bowl = QuadraticForm.diagonal(list(eigs))
    traj = gd_with_schedule(bowl.grad, list(x0), np.array(lrs))
    for i in range(2):
        factors = np.cumprod([1.0, *[1 - eta * eigs[i] for eta in lrs]])
        np.testing.assert_allclose(traj[:, i], factors * x0[i], rtol=1e-9, atol=1e-12)


@SETTINGS
@given(x0=coords, lrs=st.lists(st.floats(0.0, 1.0), max_size=30), lam=st.floats(0.1, 3.0))
def test_scalar_start_gives_a_one_dimensional_trajectory(x0, lrs, lam):
    seen = []

    def grad(w):
        seen.append(type(w))
        return lam * w

    traj = gd_with_schedule(grad, x0, lrs)
    assert traj.shape == (len(lrs) + 1,) and traj[0] == x0
    assert all(t is float for t in seen)
    expected = x0 * np.cumprod([1.0, *[1 - eta * lam for eta in lrs]])
    np.testing.assert_allclose(traj, expected, rtol=1e-9, atol=1e-12)


def test_trajectory_starts_with_a_copy_and_does_not_mutate_inputs():
    bowl = QuadraticForm.diagonal([2.0, 6.0])
    x0 = np.array([1.0, 1.0])
    lrs = np.array([0.1, 0.2])
    traj = gd_with_schedule(bowl.grad, x0, lrs)
    traj[0, 0] = 99.0
    assert x0.tolist() == [1.0, 1.0] and lrs.tolist() == [0.1, 0.2]


def test_divergent_schedule_does_not_raise():
    bowl = QuadraticForm.diagonal([2.0, 6.0])
    with np.errstate(all="raise"):
        traj = gd_with_schedule(bowl.grad, [1.0, 1.0], np.full(2000, 1.0))
    assert traj.shape == (2001, 2)
    assert not np.all(np.isfinite(traj[-1]))


def test_grad_with_the_wrong_shape_is_rejected():
    with pytest.raises(ValueError):
        gd_with_schedule(lambda x: np.zeros(3), [1.0, 1.0], [0.1])
    with pytest.raises(ValueError):
        gd_with_schedule(lambda x: x, [1.0, 1.0], [[0.1]])
