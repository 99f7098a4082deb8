"""Numbers printed in the seeds, reproduced by ``reference.eigen``.

Seed 002 = "Learning & Optimization as a Dynamical System" (Exercises 4, 6, 7, 9;
"Discrete-time stability"); seed 001 = "Optimisation Intuition: Loss as Energy"
(§4.3, §4.4, §7.2, §7.3). Expected values come from the seed's text or from the
closed forms the seed states, never from the reference's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.landscapes import QuadraticForm
from reference import eigen

pytestmark = pytest.mark.seed

DIAG_2_10 = [2.0, 10.0]  # seed 002 Ex.4, 6, 7: A = diag(2, 10)
BOWL_1_3 = QuadraticForm.diagonal([2.0, 6.0])  # seed 001: x² + 3y²
BOWL_1_100 = QuadraticForm.diagonal([2.0, 200.0])  # seed 001: x² + 100y²
SADDLE = QuadraticForm.diagonal([2.0, -2.0])  # seed 001 §7.2: x² − y²


def _hessian_eigs(q: QuadraticForm) -> np.ndarray:
    return eigen.symmetric_eigenvalues(q.hessian(np.zeros(2)))


# --- seed 002, Exercise 4 -------------------------------------------------------------


def test_002_ex4_eigenvalues_of_diag_2_10():
    """Seed 002 Ex.4: A(1,0) = 2(1,0) and A(0,1) = 10(0,1): eigenvalues 2 and 10."""
    assert eigen.symmetric_eigenvalues([[2.0, 0.0], [0.0, 10.0]]).tolist() == [2.0, 10.0]


# --- seed 002, Exercise 6 -------------------------------------------------------------


def test_002_ex6_lambda_max_and_min():
    """Seed 002 Ex.6 (1): A = diag(2, 10) has λmax = 10 and λmin = 2."""
    lam = eigen.symmetric_eigenvalues(np.diag(DIAG_2_10))
    assert (lam[-1], lam[0]) == (10.0, 2.0)


def test_002_ex6_condition_number_5():
    """Seed 002 Ex.6 (1): κ(diag(2, 10)) = 10/2 = 5."""
    assert eigen.condition_number(DIAG_2_10) == 5.0


def test_002_ex6_stability_bound_0_2():
    """Seed 002 Ex.6 (2): the GD stability upper bound 2/λmax = 2/10 = 0.2."""
    assert eigen.stable_interval(DIAG_2_10) == (0.0, 0.2)


def test_002_ex6_x_converges_slower_than_y():
    """Seed 002 Ex.6 (3): x (λ = 2) converges slower than y (λ = 10) at Ex.7's safe steps."""
    for alpha in (0.05, 0.12):  # the safe steps of seed 002 Ex.7
        r = eigen.multipliers(DIAG_2_10, alpha)
        assert abs(r[0]) > abs(r[1])


def test_002_ex6_diag_5_6_better_conditioned():
    """Seed 002 Ex.6: diag(5, 6) has κ = 6/5 = 1.2 < 5, so it is better conditioned."""
    kappa = eigen.condition_number([5.0, 6.0])
    assert math.isclose(kappa, 1.2, rel_tol=1e-15)
    assert kappa < eigen.condition_number(DIAG_2_10)


# --- seed 002, Exercise 7 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("alpha", "r_expected", "verdicts"),
    [
        (0.05, (0.9, 0.5), ["monotone", "monotone"]),
        (0.12, (0.76, -0.2), ["monotone", "oscillatory"]),
        (0.25, (0.5, -1.5), ["monotone", "divergent"]),
    ],
    ids=["alpha=0.05", "alpha=0.12", "alpha=0.25"],
)
def test_002_ex7_multipliers_and_verdicts(alpha, r_expected, verdicts):
    """Seed 002 Ex.7: r₁ = 1 − 2α, r₂ = 1 − 10α and each direction's verdict."""
    r = eigen.multipliers(DIAG_2_10, alpha)
    np.testing.assert_allclose(r, r_expected, rtol=0, atol=1e-14)
    assert eigen.direction_verdicts(DIAG_2_10, alpha) == verdicts
    assert [eigen.multiplier_verdict(v) for v in r_expected] == verdicts


# --- seed 002, Exercise 9 -------------------------------------------------------------


def test_002_ex9_safe_bound_for_lambda_max_200():
    """Seed 002 Ex.9 (1): λmax ≈ 200 gives the safe GD bound 2/λmax = 0.01."""
    assert eigen.stable_interval([200.0])[1] == 0.01


def test_002_ex9_alpha_0_02_not_safe():
    """Seed 002 Ex.9 (2): α = 0.02 > 0.01 is not safe; the steep direction diverges."""
    assert eigen.is_stable([200.0], 0.02) is False
    assert eigen.direction_verdicts([200.0], 0.02) == ["divergent"]


# --- seed 002, "Discrete-time stability" ----------------------------------------------


def test_002_oscillation_onset_alpha_above_one_over_lambda():
    """Seed 002 "When does oscillation start?": α > 1/λᵢ, i.e. 0.5 and 0.1 for λ = (2, 10)."""
    np.testing.assert_allclose(eigen.oscillation_thresholds(DIAG_2_10), [0.5, 0.1], rtol=1e-15)


# --- seed 001 §4.3 --------------------------------------------------------------------


def test_001_s43_hessian_eigenvalues_2_and_6():
    """Seed 001 §4.3: for x² + 3y², λ₁ = 2 and λ₂ = 6."""
    assert _hessian_eigs(BOWL_1_3).tolist() == [2.0, 6.0]


def test_001_s43_max_stable_rate_0_333():
    """Seed 001 §4.3: maximum stable learning rate η < 2/6 ≈ 0.333."""
    lo, hi = eigen.stable_interval(_hessian_eigs(BOWL_1_3))
    assert lo == 0.0
    assert f"{hi:.3f}" == "0.333"


def test_001_s43_condition_number_3():
    """Seed 001 §4.3: κ = 6/2 = 3 for x² + 3y²."""
    assert eigen.condition_number(_hessian_eigs(BOWL_1_3)) == 3.0


def test_001_s43_optimal_rate_0_25():
    """Seed 001 §4.3: η* = 2/(2 + 6) = 0.25."""
    assert eigen.optimal_step(_hessian_eigs(BOWL_1_3)) == 0.25


def test_001_s43_optimal_factor_0_5():
    """Seed 001 §4.3: ρ* = (3 − 1)/(3 + 1) = 0.5, and ρ(η*) = 0.5."""
    lam = _hessian_eigs(BOWL_1_3)
    assert eigen.optimal_rate(lam) == 0.5
    assert eigen.convergence_factor(lam, 0.25) == 0.5


def test_001_s43_exercise5_sweep_0_3_converges_0_4_up_diverge():
    """Seed 001 §4.3 (notebook Ex.5): threshold 0.333; η = 0.3 converges, η ≥ 0.4 diverges."""
    lam = _hessian_eigs(BOWL_1_3)
    assert eigen.is_stable(lam, 0.3)
    for eta in (0.4, 0.5, 0.6):
        assert not eigen.is_stable(lam, eta)
        assert eigen.convergence_factor(lam, eta) > 1.0


def test_001_s43_sweep_optimum_is_0_25():
    """Seed 001 §4.3: in the sweep η ∈ {0.01, 0.05, 0.1, 0.2, 0.25}, 0.25 is the optimum."""
    lam = _hessian_eigs(BOWL_1_3)
    sweep = [0.01, 0.05, 0.1, 0.2, 0.25]
    rho = [eigen.convergence_factor(lam, eta) for eta in sweep]
    assert sweep[int(np.argmin(rho))] == 0.25


def test_001_s43_ill_conditioned_working_range_0_01():
    """Seed 001 §4.3 suggested experiment: x² + 100y² has working range (0, 2/200) = (0, 0.01)."""
    assert eigen.stable_interval(_hessian_eigs(BOWL_1_100)) == (0.0, 0.01)


# --- seed 001 §4.4 (table of regimes, on the notebook's x² + 3y²) ---------------------


def test_001_s44_too_small_converges_slowly():
    """Seed 001 §4.4 "Too small": η ≪ 2/(λmax+λmin) converges, but ρ is close to 1."""
    lam = _hessian_eigs(BOWL_1_3)
    assert eigen.is_stable(lam, 0.01)
    assert math.isclose(eigen.convergence_factor(lam, 0.01), 0.98, rel_tol=1e-12)
    assert eigen.direction_verdicts(lam, 0.01) == ["monotone", "monotone"]


def test_001_s44_just_right_is_fastest():
    """Seed 001 §4.4 "Just right": η ≈ 2/(λmax+λmin) = 0.25 gives the smallest ρ."""
    lam = _hessian_eigs(BOWL_1_3)
    rho_star = eigen.convergence_factor(lam, 0.25)
    for eta in np.linspace(0.005, 0.33, 66):
        assert rho_star <= eigen.convergence_factor(lam, float(eta)) + 1e-15


def test_001_s44_too_large_diverges():
    """Seed 001 §4.4 "Too large": η > 2/λmax diverges (steepest direction |r| > 1)."""
    lam = _hessian_eigs(BOWL_1_3)
    assert eigen.direction_verdicts(lam, 0.4) == ["monotone", "divergent"]
    assert not eigen.is_stable(lam, 0.4)


def test_001_s44_slightly_too_large_oscillates():
    """Seed 001 §4.4 "Slightly too large": η just below 2/λmax converges, oscillating."""
    lam = _hessian_eigs(BOWL_1_3)
    assert eigen.direction_verdicts(lam, 0.3) == ["monotone", "oscillatory"]
    assert eigen.is_stable(lam, 0.3)


# --- seed 001 §7.2 --------------------------------------------------------------------


def test_001_s72_saddle_x2_minus_y2():
    """Seed 001 §7.2: x² − y² has Hessian diag(2, −2); the origin is a saddle."""
    h = SADDLE.hessian(np.zeros(2))
    assert eigen.symmetric_eigenvalues(h).tolist() == [-2.0, 2.0]
    assert eigen.classify_critical_point(h) == "saddle"


def test_001_s72_saddle_x_converges_y_diverges():
    """Seed 001 §7.2: GD on x² − y² (lr = 0.1 as in §4.2): x converges, y diverges."""
    assert eigen.direction_verdicts([2.0, -2.0], 0.1) == ["monotone", "divergent"]


@pytest.mark.parametrize(
    ("eigs", "expected"),
    [([2.0, 6.0], "minimum"), ([-2.0, -6.0], "maximum"), ([2.0, -6.0], "saddle")],
    ids=["positive-definite", "negative-definite", "indefinite"],
)
def test_001_s72_classification_table(eigs, expected):
    """Seed 001 §7.2 table: PD → local minimum, ND → local maximum, indefinite → saddle."""
    assert eigen.critical_point_type(eigs) == expected
    assert eigen.classify_critical_point(np.diag(eigs)) == expected


# --- seed 001 §7.3 --------------------------------------------------------------------


def test_001_s73_kappa_3_for_x2_plus_3y2():
    """Seed 001 §7.3: H = diag(2, 6), κ = 6/2 = 3."""
    assert eigen.condition_number(_hessian_eigs(BOWL_1_3)) == 3.0


def test_001_s73_kappa_100_for_x2_plus_100y2():
    """Seed 001 §7.3: H = diag(2, 200), κ = 200/2 = 100."""
    assert eigen.condition_number(_hessian_eigs(BOWL_1_100)) == 100.0


def test_001_s73_steep_bound_0_01():
    """Seed 001 §7.3: GD requires η < 2/200 = 0.01 on x² + 100y²."""
    assert eigen.stable_interval(_hessian_eigs(BOWL_1_100))[1] == 0.01


def test_001_s73_shallow_direction_alone_allows_1():
    """Seed 001 §7.3: the shallow x direction alone would accept η up to 2/2 = 1."""
    assert eigen.stable_interval([2.0]) == (0.0, 1.0)
    lam = _hessian_eigs(BOWL_1_100)
    assert eigen.direction_verdicts(lam, 0.5) == ["one_step", "divergent"]
