"""Hypothesis properties of the divergence threshold: GD on SPD quadratics, bisection,
power iteration, the finite-run divergence rule and the LR range test."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograder.landscapes import QuadraticForm
from reference.divergence import (
    bisect_threshold,
    classify_run,
    divergence_threshold,
    gd_quadratic,
    is_divergent,
    lr_range_test,
    mse_hessian,
    power_iteration_lambda_max,
    range_test_cliff,
)

seeds = st.integers(0, 2**32 - 1)


def _eig_problem(seed: int, d: int, lo: float = 1.0, hi: float = 10.0):
    """A = Q diag(λ) Qᵀ with λ ∈ [lo, hi] (λ₀ = λmax), Q orthogonal."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    lam = np.sort(rng.uniform(lo, hi, d))[::-1]
    a = (q * lam) @ q.T
    return 0.5 * (a + a.T), q, lam, rng


# ---------------------------------------------------------------- GD on SPD quadratics


@settings(max_examples=50, deadline=None)
@given(seed=seeds, d=st.integers(1, 5), delta=st.floats(0.05, 0.5))
def test_gd_converges_below_and_diverges_above_two_over_lambda_max(seed, d, delta):
    """η = (1−δ)·2/λmax converges and η = (1+δ)·2/λmax diverges, given enough steps.

    Step counts from the closed form: ‖e_n‖ ≤ ρⁿ‖e₀‖ with ρ = max|1 − ηλᵢ| < 1 below,
    and ‖e_n‖ ≥ |1 − ηλmax|ⁿ·|z_top| with z_top = 1 above.
    """
    a, q, lam, rng = _eig_problem(seed, d)
    z = rng.uniform(-1.0, 1.0, d)
    z[0] = 1.0  # a unit component along the top eigenvector
    x0 = q @ z
    t = 2.0 / lam[0]
    assert divergence_threshold(a) == pytest.approx(t, rel=1e-10)

    below = (1.0 - delta) * t
    rho = max(float(np.max(np.abs(1.0 - below * lam))), 1e-12)  # ρ = 0 when η = 1/λ
    n_conv = math.ceil(math.log(1e-6) / math.log(rho)) + 2
    assert classify_run(a, x0, below, n_steps=n_conv) == "converged"

    above = (1.0 + delta) * t
    growth = abs(1.0 - above * lam[0])
    n_div = math.ceil(math.log(1e6 * np.linalg.norm(z)) / math.log(growth)) + 2
    assert classify_run(a, x0, above, n_steps=n_div) == "diverged"


@settings(max_examples=50, deadline=None)
@given(seed=seeds, d=st.integers(1, 4), eta=st.floats(0.0, 0.5), n=st.integers(0, 30))
def test_gd_quadratic_matches_closed_form(seed, d, eta, n):
    """x_k = Q diag((1 − ηλ)ᵏ) Qᵀ x₀ (seed 002: e_{k+1} = (I − αA)e_k)."""
    a, q, lam, rng = _eig_problem(seed, d)
    x0 = rng.standard_normal(d)
    traj = gd_quadratic(a, x0, eta, n)
    assert traj.shape == (n + 1, d) and traj.dtype == np.float64
    k = np.arange(n + 1)[:, None]
    expected = ((1.0 - eta * lam) ** k * (q.T @ x0)) @ q.T
    np.testing.assert_allclose(traj, expected, rtol=1e-9, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(
    lam=st.floats(0.1, 50.0), x0=st.floats(-5.0, 5.0), eta=st.floats(0.0, 1.0), n=st.integers(0, 40)
)
def test_gd_quadratic_scalar_is_geometric(lam, x0, eta, n):
    """1-D: w_k = (1 − ηλ)ᵏ w₀ (seed 004 §8), shape (n+1,)."""
    traj = gd_quadratic(lam, x0, eta, n)
    assert traj.shape == (n + 1,)
    np.testing.assert_allclose(
        traj, (1.0 - eta * lam) ** np.arange(n + 1) * x0, rtol=1e-10, atol=1e-300
    )


# ---------------------------------------------------------------- bisection


@settings(max_examples=40, deadline=None)
@given(seed=seeds, d=st.integers(1, 4), rel_tol=st.floats(1e-6, 1e-2))
def test_bisection_bracket_contains_two_over_lambda_max(seed, d, rel_tol):
    """Start on the top eigenvector, factor = 1: the bracket contains 2/λmax exactly.

    Then ‖e₁‖ = |1 − ηλmax|·‖e₀‖, so one step already decides "grows or not".
    """
    a, q, lam, _ = _eig_problem(seed, d)
    t = 2.0 / lam[0]
    lo0, hi0, tol = 0.37 * t, 1.91 * t, rel_tol * t
    lo, hi = bisect_threshold(a, q[:, 0], lo0, hi0, n_steps=1, tol=tol, factor=1.0)
    assert lo < t < hi
    assert tol / 2 < hi - lo <= tol


@settings(max_examples=40, deadline=None)
@given(seed=seeds, d=st.integers(1, 4), n=st.integers(20, 200))
def test_bisection_bracket_lies_between_theory_and_finite_run_bound(seed, d, n):
    """General start: 2/λmax ≤ hi and lo ≤ η_up = (1 + (factor·‖z‖/|z_top|)^{1/n})/λmax.

    Below 2/λmax no norm grows (no false alarm); above η_up the top component alone
    exceeds factor·‖e₀‖ within n steps (no miss).
    """
    a, q, lam, rng = _eig_problem(seed, d)
    z = rng.uniform(-1.0, 1.0, d)
    z[0] = rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 1.0)
    t = 2.0 / lam[0]
    lo, hi = bisect_threshold(a, q @ z, 0.5 * t, 3.0 * t, n_steps=n, tol=1e-4 * t)
    eta_up = (1.0 + (1e6 * np.linalg.norm(z) / abs(z[0])) ** (1.0 / n)) / lam[0]
    assert hi >= t * (1 - 1e-12)
    assert lo <= eta_up * (1 + 1e-12)
    assert hi - lo <= 1e-4 * t


def test_bisection_top_eigenvector_empirical_threshold_closed_form():
    """Start on the top eigenvector: the n-step threshold is (1 + factor^{1/n})/λmax."""
    a = np.diag([2.0, 6.0])
    for n in (10, 100, 1000):
        lo, hi = bisect_threshold(a, [0.0, 1.0], 0.3, 1.0, n_steps=n, tol=1e-9)
        expected = (1.0 + 1e6 ** (1.0 / n)) / 6.0
        assert lo <= expected <= hi


def test_bisection_bracket_tightens_towards_threshold_with_more_steps():
    """The empirical threshold on x² + 3y² decreases towards 1/3 as n_steps grows."""
    a = np.diag([2.0, 6.0])
    his = [
        bisect_threshold(a, [1.0, 1.0], 0.3, 0.7, n_steps=n, tol=1e-6)[1] for n in (30, 300, 3000)
    ]
    assert his[0] > his[1] > his[2] > 1 / 3


# ---------------------------------------------------------------- power iteration


@settings(max_examples=15, deadline=None)
@given(seed=seeds, d=st.integers(1, 4), n_iters=st.integers(0, 8))
def test_power_iteration_is_a_rayleigh_quotient(seed, d, n_iters):
    """For any symmetric H (indefinite too): λmin − tiny ≤ estimate ≤ λmax + tiny."""
    rng = np.random.default_rng(seed)
    m = rng.standard_normal((d, d))
    h = 0.5 * (m + m.T)
    land = QuadraticForm(A=tuple(map(tuple, h)))
    eigs = np.linalg.eigvalsh(h)
    lam = power_iteration_lambda_max(land.loss, np.zeros(d), np.random.default_rng(seed), n_iters)
    scale = max(1.0, float(np.max(np.abs(eigs))))
    assert eigs[0] - 1e-12 * scale <= lam <= eigs[-1] + 1e-12 * scale


@settings(max_examples=15, deadline=None)
@given(seed=seeds, d=st.integers(2, 4))
def test_power_iteration_increases_towards_lambda_max_on_spd(seed, d):
    """On SPD H the estimate never decreases with n_iters and reaches λmax."""
    a, _, lam, _ = _eig_problem(seed, d, lo=0.1, hi=5.0)
    assume(lam[1] / lam[0] < 0.7)
    land = QuadraticForm(A=tuple(map(tuple, a)))
    est = [
        power_iteration_lambda_max(land.loss, np.zeros(d), np.random.default_rng(seed), n)
        for n in (0, 1, 2, 4, 60)
    ]
    assert all(e2 >= e1 - 1e-12 * lam[0] for e1, e2 in itertools.pairwise(est))
    assert est[-1] == pytest.approx(lam[0], rel=1e-8)


# ---------------------------------------------------------------- the divergence rule


finite_rows = st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=20)


@settings(max_examples=50, deadline=None)
@given(rows=finite_rows, extra=finite_rows, factor=st.floats(1.0, 1e6))
def test_is_divergent_is_monotone_in_the_run_length(rows, extra, factor):
    """Appending iterates can only turn "not divergent" into "divergent", never back."""
    if is_divergent(rows, 0.5, factor):
        assert is_divergent(rows + extra, 0.5, factor)


@settings(max_examples=50, deadline=None)
@given(
    rows=finite_rows, f1=st.floats(1.0, 1e3), f2=st.floats(1.0, 1e3), shift=st.floats(-10.0, 10.0)
)
def test_is_divergent_monotone_in_factor_and_translation_invariant(rows, f1, f2, shift):
    """A larger factor flags less; shifting trajectory and x* together changes nothing."""
    small, large = sorted((f1, f2))
    if is_divergent(rows, 0.25, large):
        assert is_divergent(rows, 0.25, small)
    shifted = [r + shift for r in rows]
    if all(abs(r - 0.25) > 1e-6 for r in rows):  # avoid rounding exactly onto x*
        assert is_divergent(shifted, 0.25 + shift, f1) == is_divergent(rows, 0.25, f1)


@settings(max_examples=50, deadline=None)
@given(rows=finite_rows, where=st.integers(0, 19), bad=st.sampled_from([np.nan, np.inf, -np.inf]))
def test_is_divergent_flags_any_non_finite_iterate(rows, where, bad):
    """A NaN or ±inf iterate anywhere makes the run divergent."""
    traj = np.array(rows)
    traj[where % len(rows)] = bad
    assert is_divergent(traj, 0.0)


@settings(max_examples=50, deadline=None)
@given(r=st.floats(-3.0, 3.0), n=st.integers(1, 40), factor=st.floats(1.0, 1e4))
def test_is_divergent_on_geometric_runs(r, n, factor):
    """w_k = rᵏ: divergent iff max_k |r|ᵏ > factor, i.e. |r| > 1 and |r|ⁿ > factor."""
    assume(abs(abs(r) ** n - factor) > 1e-9 * factor)
    traj = r ** np.arange(n + 1)
    assert is_divergent(traj, 0.0, factor) == (abs(r) > 1 and abs(r) ** n > factor)


# ---------------------------------------------------------------- LR range test


@settings(max_examples=30, deadline=None)
@given(seed=seeds, n=st.integers(5, 60), d=st.integers(1, 3), factor=st.floats(1.5, 10.0))
def test_range_test_cliff_never_before_two_over_lambda_max(seed, n, d, factor):
    """The loss cannot rise while η ≤ 2/λmax, so the cliff comes after lr_{k−1} > 2/λmax."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + 0.1 * rng.standard_normal(n)
    lam_max = float(np.linalg.eigvalsh(mse_hessian(X))[-1])
    assume(lam_max > 1e-3)
    lrs, losses = lr_range_test(X, y, 1e-4, 100.0 / lam_max, 120)
    cliff = range_test_cliff(lrs, losses, factor)
    assert cliff is not None
    k = int(np.flatnonzero(lrs == cliff)[0])
    assert k >= 1 and lrs[k - 1] > 2.0 / lam_max
    # and before the first lr above 2/λmax the losses are non-increasing
    stable = lrs <= 2.0 / lam_max
    m = int(np.argmin(stable)) if not stable.all() else len(lrs)
    assert np.all(np.diff(losses[: m + 1]) <= 1e-12 * losses[0])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("intercept", [False, True])
def test_seed001_s83_experiment_cliff_same_order_as_two_over_lambda_max(seed, intercept):
    """Seed 001 §8.3 suggested experiment: y = 3x + ε, a linear model, default range test.

    The cliff is after 2/λmax (by more than one lr_factor) and within a factor 10 of it:
    the same order of magnitude, as the seed suggests comparing.
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(100)
    y = 3.0 * x + 0.1 * rng.standard_normal(100)
    X = np.column_stack([x, np.ones_like(x)]) if intercept else x[:, None]
    eta_max = divergence_threshold(mse_hessian(X))
    lrs, losses = lr_range_test(X, y)
    cliff = range_test_cliff(lrs, losses)
    lr_factor = (10.0 / 1e-7) ** (1 / 200)
    assert cliff is not None
    assert lr_factor * eta_max < cliff < 10.0 * eta_max
