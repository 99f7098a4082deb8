"""Hypothesis properties of ``reference.eigen``: the mathematics of GD multipliers.

Seed 002 "Discrete-time stability" and seed 001 §4.3, §7.2: verdicts switch exactly
at α = 1/λ and α = 2/λ, the stable interval is what iterating the error recursion
shows, α* minimises ρ(α) with ρ(α*) = (κ − 1)/(κ + 1), and the Hessian's sign pattern
classifies critical points.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reference import eigen

RANK = {
    "stalled": 0,
    "monotone": 1,
    "one_step": 2,
    "oscillatory": 3,
    "marginal": 4,
    "divergent": 5,
}
CONVERGENT = {"monotone", "one_step", "oscillatory"}

positive = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=0.1, max_value=10.0)
any_sign = st.floats(min_value=-10.0, max_value=10.0, allow_nan=False)
steps = st.floats(min_value=0.0, max_value=5.0, allow_nan=False)
settings_fast = settings(max_examples=50, deadline=None)


def _random_orthogonal(d: int, seed: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
    return q * np.sign(np.diag(r))


def _matrix_with_eigenvalues(lam: list[float], seed: int) -> np.ndarray:
    q = _random_orthogonal(len(lam), seed)
    a = q @ np.diag(lam) @ q.T
    return 0.5 * (a + a.T)


# --- the verdict switches exactly at 1/λ and 2/λ -----------------------------------------


@settings_fast
@given(lam=positive)
def test_verdict_switches_exactly_at_one_over_lambda(lam):
    t1 = 1.0 / lam
    below, above = np.nextafter(t1, 0.0), np.nextafter(t1, np.inf)
    assert eigen.direction_verdicts([lam], below) == ["monotone"]
    assert eigen.direction_verdicts([lam], t1) == ["one_step"]
    assert eigen.direction_verdicts([lam], above) == ["oscillatory"]
    assert eigen.oscillation_thresholds([lam])[0] == t1


@settings_fast
@given(lam=positive)
def test_verdict_switches_exactly_at_two_over_lambda(lam):
    t2 = 2.0 / lam
    below, above = np.nextafter(t2, 0.0), np.nextafter(t2, np.inf)
    assert eigen.direction_verdicts([lam], below) == ["oscillatory"]
    assert eigen.direction_verdicts([lam], t2) == ["marginal"]
    assert eigen.direction_verdicts([lam], above) == ["divergent"]
    assert eigen.stable_interval([lam]) == (0.0, t2)
    assert eigen.is_stable([lam], below)
    assert not eigen.is_stable([lam], t2)
    assert not eigen.is_stable([lam], above)


@settings_fast
@given(lams=st.lists(positive, min_size=2, max_size=5), i=st.integers(0, 4))
def test_boundaries_are_per_direction(lams, i):
    i %= len(lams)
    t1 = 1.0 / lams[i]
    verdicts = eigen.direction_verdicts(lams, t1)
    assert verdicts[i] == "one_step"
    for j, lam in enumerate(lams):
        assert verdicts[j] == eigen.direction_verdicts([lam], t1)[0]


@settings_fast
@given(lam=positive, a=steps, b=steps)
def test_verdict_rank_is_monotone_in_the_step(lam, a, b):
    lo, hi = sorted((a / lam, b / lam))
    v_lo = eigen.direction_verdicts([lam], lo)[0]
    v_hi = eigen.direction_verdicts([lam], hi)[0]
    assert RANK[v_lo] <= RANK[v_hi]


@settings_fast
@given(lam=any_sign, alpha=steps)
def test_threshold_verdict_agrees_with_multiplier_verdict_away_from_boundaries(lam, alpha):
    r = 1.0 - alpha * lam
    assume(min(abs(r), abs(r - 1.0), abs(r + 1.0)) > 1e-9 or alpha == 0.0 or lam == 0.0)
    assert eigen.direction_verdicts([lam], alpha) == [eigen.multiplier_verdict(r)]


@settings_fast
@given(lam=st.floats(min_value=-1e6, max_value=0.0), alpha=steps)
def test_non_positive_curvature_stalls_or_diverges(lam, alpha):
    verdict = eigen.direction_verdicts([lam], alpha)[0]
    if lam == 0.0 or alpha == 0.0:
        assert verdict == "stalled"
    else:
        assert verdict == "divergent"
    assert eigen.oscillation_thresholds([lam])[0] == np.inf
    assert eigen.stable_interval([lam]) == (0.0, 0.0)


@settings_fast
@given(r=st.sampled_from([-1.0, 0.0, 1.0]))
def test_multiplier_verdict_boundaries_are_exact(r):
    below = eigen.multiplier_verdict(np.nextafter(r, -np.inf))
    at = eigen.multiplier_verdict(r)
    above = eigen.multiplier_verdict(np.nextafter(r, np.inf))
    expected = {
        -1.0: ("divergent", "marginal", "oscillatory"),
        0.0: ("oscillatory", "one_step", "monotone"),
        1.0: ("monotone", "stalled", "divergent"),
    }[r]
    assert (below, at, above) == expected


# --- global stability against brute force --------------------------------------------


@settings_fast
@given(
    lams=st.lists(any_sign, min_size=1, max_size=4),
    alpha=st.floats(min_value=0.0, max_value=1.5),
    seed=st.integers(0, 2**32 - 1),
)
def test_stable_interval_matches_brute_force_iteration(lams, alpha, seed):
    rho = eigen.convergence_factor(lams, alpha)
    assume(abs(rho - 1.0) > 0.01)
    d = len(lams)
    a = _matrix_with_eigenvalues(lams, seed)
    q = _random_orthogonal(d, seed)
    e0 = q @ np.ones(d)  # a unit component along every eigen-direction
    e = e0.copy()
    for _ in range(3000):
        e = e - alpha * (a @ e)  # e_{k+1} = (I − αA) e_k
        if not 1e-8 < np.linalg.norm(e) < 1e8:
            break
    decays = bool(np.linalg.norm(e) < np.linalg.norm(e0))
    lo, hi = eigen.stable_interval(lams)
    assert (lo < alpha < hi) == decays
    assert eigen.is_stable(lams, alpha) == decays


@settings_fast
@given(lams=st.lists(any_sign, min_size=1, max_size=5), alpha=steps)
def test_is_stable_iff_every_direction_converges(lams, alpha):
    verdicts = eigen.direction_verdicts(lams, alpha)
    assert eigen.is_stable(lams, alpha) == all(v in CONVERGENT for v in verdicts)


@settings_fast
@given(lams=st.lists(positive, min_size=1, max_size=5), alpha=steps)
def test_oscillation_threshold_marks_sign_flips(lams, alpha):
    thresholds = eigen.oscillation_thresholds(lams)
    step = alpha * thresholds.min()
    for v, t in zip(eigen.direction_verdicts(lams, step), thresholds, strict=True):
        assert (step > t) == (v in {"oscillatory", "marginal", "divergent"})


# --- optimal step and rate ------------------------------------------------------------


@settings_fast
@given(
    lams=st.lists(st.floats(min_value=1e-3, max_value=1e3), min_size=1, max_size=6),
    u=st.floats(min_value=0.0, max_value=1.5),
)
def test_optimal_step_minimises_the_convergence_factor(lams, u):
    alpha_star = eigen.optimal_step(lams)
    alpha = u * eigen.stable_interval(lams)[1]
    rho_star = eigen.convergence_factor(lams, alpha_star)
    assert rho_star <= eigen.convergence_factor(lams, alpha) + 1e-12


@settings_fast
@given(lams=st.lists(st.floats(min_value=1e-3, max_value=1e3), min_size=1, max_size=6))
def test_rate_at_optimal_step_is_kappa_formula(lams):
    kappa = eigen.condition_number(lams)
    assert math.isclose(kappa, max(lams) / min(lams), rel_tol=1e-15)
    rho_star = eigen.optimal_rate(lams)
    assert math.isclose(rho_star, (kappa - 1.0) / (kappa + 1.0), rel_tol=1e-15, abs_tol=0.0)
    rho = eigen.convergence_factor(lams, eigen.optimal_step(lams))
    assert math.isclose(rho, rho_star, rel_tol=1e-12, abs_tol=1e-15)
    r = eigen.multipliers([min(lams), max(lams)], eigen.optimal_step(lams))
    assert math.isclose(r[0], -r[1], rel_tol=1e-12, abs_tol=1e-15)  # the two ends balance


# --- matrices -------------------------------------------------------------------------


@settings_fast
@given(
    lams=st.lists(any_sign, min_size=1, max_size=5),
    alpha=steps,
    seed=st.integers(0, 2**32 - 1),
)
def test_matrix_eigenvalues_and_multipliers(lams, alpha, seed):
    a = _matrix_with_eigenvalues(lams, seed)
    lam = eigen.symmetric_eigenvalues(a)
    np.testing.assert_allclose(lam, sorted(lams), atol=1e-12)
    np.testing.assert_allclose(
        eigen.multipliers_from_matrix(a, alpha), 1.0 - alpha * np.sort(lams), atol=1e-11
    )


@settings_fast
@given(
    signs=st.lists(st.sampled_from([-1, 0, 1]), min_size=1, max_size=6),
    mags=st.lists(moderate, min_size=6, max_size=6),
    seed=st.integers(0, 2**32 - 1),
)
def test_classification_matches_sign_pattern(signs, mags, seed):
    lam = [s * m for s, m in zip(signs, mags, strict=False)]
    hessian = _matrix_with_eigenvalues(lam, seed)
    if 1 in signs and -1 in signs:
        expected = "saddle"
    elif 0 in signs:
        expected = "degenerate"
    elif 1 in signs:
        expected = "minimum"
    else:
        expected = "maximum"
    assert eigen.classify_critical_point(hessian) == expected
    assert eigen.critical_point_type(lam) == expected
