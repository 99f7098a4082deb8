"""The settled contracts of ``reference.eigen``: boundaries, errors, types, landscapes.

See docs/exercises/eigen.md. Seeds: 002 ("Discrete-time stability", Ex.6, 7, 9) and
001 (§4.3, §7.2, §7.3).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.landscapes import DoubleWell, QuadraticForm, Rosenbrock
from reference import eigen

# --- input validation -----------------------------------------------------------------


@pytest.mark.parametrize("bad", [[], [[1.0, 2.0]], 3.0, [1.0, np.nan], [np.inf]], ids=str)
@pytest.mark.parametrize(
    "func",
    [
        lambda lam: eigen.multipliers(lam, 0.1),
        lambda lam: eigen.direction_verdicts(lam, 0.1),
        eigen.oscillation_thresholds,
        eigen.stable_interval,
        lambda lam: eigen.is_stable(lam, 0.1),
        lambda lam: eigen.convergence_factor(lam, 0.1),
        eigen.condition_number,
        eigen.critical_point_type,
    ],
)
def test_malformed_eigenvalues_raise(func, bad):
    with pytest.raises(ValueError):
        func(bad)


@pytest.mark.parametrize("alpha", [-0.1, -1e-300, np.nan, np.inf])
@pytest.mark.parametrize(
    "func",
    [
        eigen.multipliers,
        eigen.direction_verdicts,
        eigen.is_stable,
        eigen.convergence_factor,
        lambda lam, a: eigen.multipliers_from_matrix(np.diag(lam), a),
    ],
)
def test_bad_step_raises(func, alpha):
    with pytest.raises(ValueError):
        func([2.0, 10.0], alpha)


@pytest.mark.parametrize(
    "matrix",
    [[[1.0, 2.0], [0.0, 1.0]], [[1.0, 2.0, 3.0]], np.zeros((0, 0)), [[np.nan]], [1.0, 2.0]],
    ids=["asymmetric", "not-square", "empty", "nan", "vector"],
)
def test_bad_matrices_raise(matrix):
    with pytest.raises(ValueError):
        eigen.symmetric_eigenvalues(matrix)
    with pytest.raises(ValueError):
        eigen.classify_critical_point(matrix)


@pytest.mark.parametrize("lam", [[0.0, 2.0], [-1.0, 2.0], [-3.0, -1.0]])
@pytest.mark.parametrize("func", [eigen.condition_number, eigen.optimal_step, eigen.optimal_rate])
def test_spd_only_quantities_raise_for_non_positive_eigenvalues(func, lam):
    with pytest.raises(ValueError, match="positive definite"):
        func(lam)


@pytest.mark.parametrize("tol", [-1e-9, np.nan, np.inf])
def test_bad_tolerance_raises(tol):
    with pytest.raises(ValueError):
        eigen.critical_point_type([1.0], tol)


def test_multiplier_verdict_nan_raises():
    with pytest.raises(ValueError):
        eigen.multiplier_verdict(float("nan"))


# --- boundaries of the verdict vocabulary ---------------------------------------------


def test_multiplier_verdict_full_vocabulary():
    rs = [-np.inf, -2.0, -1.0, -0.5, 0.0, -0.0, 0.5, 1.0, 2.0, np.inf]
    assert [eigen.multiplier_verdict(r) for r in rs] == [
        "divergent",
        "divergent",
        "marginal",
        "oscillatory",
        "one_step",
        "one_step",
        "monotone",
        "stalled",
        "divergent",
        "divergent",
    ]


def test_direction_verdicts_full_vocabulary_for_lambda_4():
    lam = [4.0]  # thresholds 1/4 = 0.25 and 2/4 = 0.5 are exact floats
    got = [eigen.direction_verdicts(lam, a)[0] for a in (0.0, 0.1, 0.25, 0.3, 0.5, 0.7)]
    assert got == ["stalled", "monotone", "one_step", "oscillatory", "marginal", "divergent"]


def test_thresholds_not_the_rounded_multiplier_decide():
    """1/49 is not a float: 1 − (1/49)·49 rounds to 1.1e-16, yet α == 1.0/49 is "one_step"."""
    alpha = 1.0 / 49.0
    r = eigen.multipliers([49.0], alpha)[0]
    assert r != 0.0
    assert eigen.multiplier_verdict(r) == "monotone"
    assert eigen.direction_verdicts([49.0], alpha) == ["one_step"]


def test_flat_and_negative_directions():
    """λ = 0 never moves ("stalled"); λ < 0 grows for any α > 0 (seed 001 §7.2)."""
    assert eigen.direction_verdicts([0.0, -2.0, 2.0], 0.1) == ["stalled", "divergent", "monotone"]
    assert eigen.direction_verdicts([0.0, -2.0, 2.0], 0.0) == ["stalled"] * 3
    assert eigen.stable_interval([0.0, 2.0]) == (0.0, 0.0)
    assert eigen.oscillation_thresholds([0.0, -2.0]).tolist() == [math.inf, math.inf]
    assert eigen.convergence_factor([0.0, 2.0], 0.1) == 1.0
    assert eigen.multipliers([-2.0], 0.1).tolist() == [1.2]


def test_zero_step_is_never_stable():
    assert eigen.is_stable([2.0, 10.0], 0.0) is False
    assert eigen.convergence_factor([2.0, 10.0], 0.0) == 1.0


def test_overflowing_threshold_is_infinite():
    tiny = 5e-324
    assert eigen.oscillation_thresholds([tiny]).tolist() == [math.inf]
    assert eigen.direction_verdicts([tiny], 1e300) == ["monotone"]
    assert eigen.stable_interval([tiny]) == (0.0, math.inf)


# --- critical points ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lam", "tol", "expected"),
    [
        ([1.0, 0.0], 1e-9, "degenerate"),
        ([-1.0, 0.0], 1e-9, "degenerate"),
        ([0.0], 1e-9, "degenerate"),
        ([1.0, 0.0, -1.0], 1e-9, "saddle"),  # sign mix wins over a zero eigenvalue
        ([5.0, 1e-10], 1e-9, "degenerate"),
        ([5.0, 1e-10], 0.0, "minimum"),
        ([5.0, -1e-10], 0.0, "saddle"),
        ([3.0, 1e-3], 1e-2, "degenerate"),
        ([-3.0, -1e-3], 1e-4, "maximum"),
    ],
)
def test_critical_point_tolerance_rules(lam, tol, expected):
    assert eigen.critical_point_type(lam, tol) == expected


def test_double_well_critical_points_scalar_hessian():
    """Seed 004 §5 double well ½(w² − 1)²: w = 0 is a maximum, w = ±1 are minima."""
    dw = DoubleWell()
    assert eigen.classify_critical_point(dw.hessian(0.0)) == "maximum"
    assert eigen.classify_critical_point(dw.hessian(1.0)) == "minimum"
    assert eigen.classify_critical_point(dw.hessian(-1.0)) == "minimum"
    assert eigen.symmetric_eigenvalues(dw.hessian(1.0)).tolist() == [4.0]


def test_rosenbrock_minimum_and_its_condition_number():
    """Rosenbrock at (1, 1): H = [[802, −400], [−400, 200]], trace 1002, det 400."""
    h = Rosenbrock().hessian([1.0, 1.0])
    assert eigen.classify_critical_point(h) == "minimum"
    disc = math.sqrt(1002.0**2 - 4.0 * 400.0)
    lam_min, lam_max = (1002.0 - disc) / 2.0, (1002.0 + disc) / 2.0
    np.testing.assert_allclose(eigen.symmetric_eigenvalues(h), [lam_min, lam_max], rtol=1e-9)
    assert math.isclose(
        eigen.condition_number(eigen.symmetric_eigenvalues(h)), lam_max / lam_min, rel_tol=1e-9
    )


def test_rotated_quadratic():
    """A = [[3, 1], [1, 3]] has eigenvalues 2 and 4: 2/λmax = 0.5, κ = 2, α* = 1/3."""
    a = QuadraticForm(A=((3.0, 1.0), (1.0, 3.0))).hessian(np.zeros(2))
    lam = eigen.symmetric_eigenvalues(a)
    np.testing.assert_allclose(lam, [2.0, 4.0], rtol=1e-14)
    assert eigen.stable_interval(lam) == pytest.approx((0.0, 0.5), rel=1e-14)
    assert eigen.condition_number(lam) == pytest.approx(2.0, rel=1e-14)
    assert eigen.optimal_step(lam) == pytest.approx(1.0 / 3.0, rel=1e-14)
    np.testing.assert_allclose(eigen.multipliers_from_matrix(a, 0.25), [0.5, 0.0], atol=1e-15)


# --- types, order, no mutation --------------------------------------------------------


def test_return_types_and_order():
    lam = np.array([10.0, 2.0, -1.0])
    before = lam.copy()
    r = eigen.multipliers(lam, 0.05)
    assert isinstance(r, np.ndarray) and r.dtype == np.float64 and r.shape == (3,)
    assert r.tolist() == pytest.approx([0.5, 0.9, 1.05])
    v = eigen.direction_verdicts(lam, 0.05)
    assert isinstance(v, list) and v == ["monotone", "monotone", "divergent"]
    t = eigen.oscillation_thresholds(lam)
    assert t.dtype == np.float64 and t.tolist() == [0.1, 0.5, math.inf]
    interval = eigen.stable_interval([2, 10])  # integers are accepted
    assert isinstance(interval, tuple) and all(type(x) is float for x in interval)
    assert type(eigen.is_stable([2, 10], 0.1)) is bool
    for value in (
        eigen.convergence_factor([2, 10], 0.1),
        eigen.condition_number([2, 10]),
        eigen.optimal_step([2, 10]),
        eigen.optimal_rate([2, 10]),
    ):
        assert type(value) is float
    assert type(eigen.multiplier_verdict(np.float64(0.5))) is str
    np.testing.assert_array_equal(lam, before)
    m = np.diag([3.0, 1.0])
    m_before = m.copy()
    assert eigen.symmetric_eigenvalues(m).tolist() == [1.0, 3.0]
    assert eigen.multipliers_from_matrix(m, 0.5).tolist() == [0.5, -0.5]
    np.testing.assert_array_equal(m, m_before)


def test_float32_inputs_are_computed_in_float64():
    lam32 = np.array([2.0, 10.0], dtype=np.float32)
    r = eigen.multipliers(lam32, 0.05)
    assert r.dtype == np.float64
    assert eigen.symmetric_eigenvalues(np.diag(lam32)).dtype == np.float64
