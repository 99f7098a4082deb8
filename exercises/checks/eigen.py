"""Public checks for exercise ``eigen``: the worked examples of the course notes.

Run them with ``autograder check``. Every expected value is a number printed in the
seeds (002 Exercises 6, 7, 9; 001 §4.3 and §7.2) or its closed form, written here.
The hidden checks use many more cases (random matrices, steps one ulp away from
1/λ and 2/λ, negative curvature...), so passing these is necessary, not sufficient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.compare import expect_close, expect_equal

EXERCISE = "eigen"

DIAG_2_10 = [[2.0, 0.0], [0.0, 10.0]]


def _plain(got: Any) -> Any:
    """NumPy's bool (from ``alpha < 2 / lam.max()``) counts as a bool."""
    return bool(got) if isinstance(got, np.bool_) else got


def test_seed002_ex6_condition_number_and_safe_step(student):
    """Seed 002 Ex.6: diag(2, 10) has κ = 5 and 2/λmax = 0.2; diag(5, 6) has κ = 1.2."""
    got = student.call("symmetric_eigenvalues", DIAG_2_10)
    expect_close(
        got,
        [2.0, 10.0],
        what="symmetric_eigenvalues(A)",
        case="A = diag(2, 10) (seed 002 Ex.4/6: λmin = 2, λmax = 10, in ascending order)",
        mistakes={"eigenvalues in descending order (the contract is ascending)": [10.0, 2.0]},
    )
    got = student.call("condition_number", [2.0, 10.0])
    expect_close(
        got,
        5.0,
        what="condition_number(λ)",
        case="λ = (2, 10) (seed 002 Ex.6: κ = λmax/λmin = 10/2 = 5)",
        mistakes={"κ inverted (λmin/λmax instead of λmax/λmin)": 0.2},
    )
    got = student.call("condition_number", [5.0, 6.0])
    expect_close(
        got,
        1.2,
        what="condition_number(λ)",
        case="λ = (5, 6) (seed 002 Ex.6: κ = 6/5 = 1.2, better conditioned than diag(2, 10))",
        mistakes={"κ inverted (λmin/λmax instead of λmax/λmin)": 5.0 / 6.0},
    )
    got = student.call("stable_interval", [2.0, 10.0])
    expect_close(
        got,
        (0.0, 0.2),
        what="stable_interval(λ)",
        case="λ = (2, 10) (seed 002 Ex.6: GD converges iff 0 < α < 2/λmax = 0.2)",
        mistakes={
            "2/λmin instead of 2/λmax (the steepest direction sets the limit)": (0.0, 1.0),
            "1/λmax (where oscillation starts) instead of 2/λmax": (0.0, 0.1),
        },
    )


def test_seed002_ex7_multipliers(student):
    """Seed 002 Ex.7: r = 1 − αλ for λ = (2, 10) and α = 0.05, 0.12, 0.25."""
    for alpha in (0.05, 0.12, 0.25):
        expected = [1.0 - alpha * 2.0, 1.0 - alpha * 10.0]
        got = student.call("multipliers", [2.0, 10.0], alpha)
        expect_close(
            got,
            expected,
            what="multipliers(λ, α)",
            case=f"λ = (2, 10), α = {alpha} (seed 002 Ex.7: r₁ = 1 − 2α, r₂ = 1 − 10α)",
            mistakes={"a sign error (1 + αλ instead of 1 − αλ)": [1 + 2 * alpha, 1 + 10 * alpha]},
        )
    got = student.call("multipliers_from_matrix", DIAG_2_10, 0.05)
    expect_close(
        got,
        [0.9, 0.5],
        what="multipliers_from_matrix(A, α)",
        case="A = diag(2, 10), α = 0.05 (seed 002 Ex.7: the eigenvalues of I − αA)",
    )
    got = student.call("oscillation_thresholds", [2.0, 10.0])
    expect_close(
        got,
        [0.5, 0.1],
        what="oscillation_thresholds(λ)",
        case="λ = (2, 10) (seed 002: direction i oscillates once α > 1/λᵢ)",
        mistakes={"2/λ (where divergence starts) instead of 1/λ": [1.0, 0.2]},
    )


def test_seed002_ex7_verdicts(student):
    """Seed 002 Ex.7: monotone / oscillatory / divergent for each direction and α."""
    table = {
        0.05: ["monotone", "monotone"],  # r = (0.9, 0.5)
        0.12: ["monotone", "oscillatory"],  # r = (0.76, −0.2)
        0.25: ["monotone", "divergent"],  # r = (0.5, −1.5)
    }
    for alpha, expected in table.items():
        got = student.call("direction_verdicts", [2.0, 10.0], alpha)
        r = (1.0 - 2.0 * alpha, 1.0 - 10.0 * alpha)
        expect_equal(
            got,
            expected,
            what="direction_verdicts(λ, α)",
            case=f"λ = (2, 10), α = {alpha} (seed 002 Ex.7: r = ({r[0]:.2f}, {r[1]:.2f}))",
            mistakes={
                "'monotone' and 'oscillatory' swapped (r < 0 flips the sign every step: "
                "that is the oscillation)": [
                    {"monotone": "oscillatory", "oscillatory": "monotone"}.get(v, v)
                    for v in expected
                ]
            },
        )
    words = {
        0.9: "monotone",
        -0.2: "oscillatory",
        -1.5: "divergent",
        0.0: "one_step",
        -1.0: "marginal",
        1.0: "stalled",
    }
    for r, expected_word in words.items():
        got = student.call("multiplier_verdict", r)
        expect_equal(
            got,
            expected_word,
            what="multiplier_verdict(r)",
            case=f"r = {r} (z_(k+1) = r·z_k; the boundaries r = 0, −1, 1 have their own words)",
        )


def test_seed002_ex9_curvature_safety(student):
    """Seed 002 Ex.9: λmax ≈ 200 gives 2/λmax = 0.01, so α = 0.02 is not safe."""
    got = student.call("stable_interval", [200.0])
    expect_close(
        got,
        (0.0, 0.01),
        what="stable_interval(λ)",
        case="λ = (200,) (seed 002 Ex.9: 2/λmax = 2/200 = 0.01)",
    )
    for alpha, expected in ((0.02, False), (0.005, True)):
        got = student.call("is_stable", [200.0], alpha)
        expect_equal(
            _plain(got),
            expected,
            what="is_stable(λ, α)",
            case=f"λ = (200,), α = {alpha} (seed 002 Ex.9: stable iff 0 < α < 0.01)",
        )


def test_seed001_s43_quadratic_x2_3y2(student):
    """Seed 001 §4.3: x² + 3y² has η < 1/3, κ = 3, η* = 0.25 and ρ* = 0.5."""
    lam = [2.0, 6.0]
    case = "λ = (2, 6), the Hessian of x² + 3y² (seed 001 §4.3)"
    got = student.call("stable_interval", lam)
    expect_close(
        got,
        (0.0, 2.0 / 6.0),
        what="stable_interval(λ)",
        case=case + ": η < 2/λmax = 2/6 ≈ 0.333",
        mistakes={"2/λmin instead of 2/λmax": (0.0, 1.0)},
    )
    got = student.call("condition_number", lam)
    expect_close(got, 3.0, what="condition_number(λ)", case=case + ": κ = 6/2 = 3")
    got = student.call("optimal_step", lam)
    expect_close(
        got,
        0.25,
        what="optimal_step(λ)",
        case=case + ": η* = 2/(λmax + λmin) = 2/8",
        mistakes={"1/(λmax + λmin) (the factor 2 is missing)": 0.125},
    )
    got = student.call("optimal_rate", lam)
    expect_close(
        got,
        0.5,
        what="optimal_rate(λ)",
        case=case + ": ρ* = (κ − 1)/(κ + 1) = 2/4",
        mistakes={"κ inverted": -0.5},
    )
    got = student.call("convergence_factor", lam, 0.25)
    expect_close(
        got,
        0.5,
        what="convergence_factor(λ, η)",
        case=case + ", η = η* = 0.25: ρ = max(|1 − 0.5|, |1 − 1.5|) = 0.5",
    )
    got = student.call("convergence_factor", lam, 0.3)
    expect_close(
        got,
        abs(1.0 - 0.3 * 6.0),
        what="convergence_factor(λ, η)",
        case=case + ", η = 0.3: r = (0.4, −0.8), so ρ = max|r| = 0.8",
        mistakes={"max(1 − ηλ) without the absolute value": 1.0 - 0.3 * 2.0},
    )
    for eta, expected in ((0.3, True), (0.4, False)):
        got = student.call("is_stable", lam, eta)
        expect_equal(
            _plain(got),
            expected,
            what="is_stable(λ, η)",
            case=case + f", η = {eta}: the notes say 0.3 converges and η ≥ 0.4 diverges",
        )


def test_seed001_s72_saddle(student):
    """Seed 001 §7.2: x² − y² has Hessian diag(2, −2) at the origin, a saddle."""
    got = student.call("classify_critical_point", [[2.0, 0.0], [0.0, -2.0]])
    expect_equal(
        got,
        "saddle",
        what="classify_critical_point(H)",
        case="H = diag(2, −2) (seed 001 §7.2: one positive and one negative eigenvalue)",
    )
    table = {(2.0, 6.0): "minimum", (-2.0, -6.0): "maximum", (2.0, -2.0): "saddle"}
    for lam, expected in table.items():
        got = student.call("critical_point_type", list(lam))
        expect_equal(
            got,
            expected,
            what="critical_point_type(λ)",
            case=f"λ = {lam} (seed 001 §7.2: positive definite → minimum, negative definite "
            "→ maximum, mixed signs → saddle)",
        )
    got = student.call("direction_verdicts", [2.0, -2.0], 0.1)
    expect_equal(
        got,
        ["monotone", "divergent"],
        what="direction_verdicts(λ, α)",
        case="λ = (2, −2), α = 0.1 (seed 001 §7.2: x converges to 0 but y is repelled from "
        "the saddle: r = 1 + 0.2 > 1)",
    )
