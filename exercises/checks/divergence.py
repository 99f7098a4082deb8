"""Public checks for exercise ``divergence``: the seeds' worked examples.

Run them with ``autograder check divergence``. Every expected value here is a number
printed in the course notes (seed 001 §4.3, §8.1 and §8.3; seed 002 Exercise 9 and
"Predicting failure via curvature"; seed 004 §8) or a closed form written out below.
The hidden checks test many more cases (random non-diagonal Hessians, saddles, η just
below and just above 2/λmax, float32 inputs, ...).
"""

from __future__ import annotations

import numpy as np

from autograder.compare import expect_close, expect_equal, expect_true
from autograder.errors import StudentCodeError, WrongAnswer
from autograder.landscapes import DoubleWell, QuadraticForm

EXERCISE = "divergence"

BOWL = [[2.0, 0.0], [0.0, 6.0]]  # x² + 3y² = ½ xᵀ diag(2, 6) x, the notebook's bowl
START = [1.0, 1.0]


def test_threshold_from_the_seeds(student):
    """divergence_threshold: 2/λmax for the seeds' Hessians and curvatures."""
    cases = [
        (
            BOWL,
            2 / 6,
            "x² + 3y², Hessian diag(2, 6) (seed 001 §8.1: η_max ≈ 0.333)",
            {"2/λmin instead of 2/λmax": 1.0, "1/λmax instead of 2/λmax": 1 / 6},
        ),
        (
            [[2.0, 0.0], [0.0, 200.0]],
            0.01,
            "x² + 100y², Hessian diag(2, 200) (seed 001 §4.3)",
            {"2/λmin instead of 2/λmax": 1.0},
        ),
        (200.0, 0.01, "a curvature λmax ≈ 200 (seed 002 Exercise 9)", {}),
        (1.0, 2.0, "L = ½w², L'' = 1 (seed 004 §8: stable iff 0 < η < 2)", {}),
        (4.0, 0.5, "the double well at its minimum w = 1: L'' = 4", {}),
        (
            22.0,
            2 / 22,
            "the double well at w = 2: L'' = 6·4 − 2 = 22 (η = 0.1 is unsafe there)",
            {},
        ),
        (
            [[1.0, 1.0], [1.0, 1.0]],
            1.0,
            "[[1, 1], [1, 1]] (not diagonal: eigenvalues 0 and 2)",
            {"reading λmax off the diagonal (use eigvalsh)": 2.0},
        ),
        (
            [[-1.0, 0.0], [0.0, 4.0]],
            0.5,
            "a saddle diag(−1, 4): 2/λmax = 2/4 still bounds the positively curved direction",
            {"2/λmin instead of 2/λmax": -2.0},
        ),
    ]
    for hessian, expected, label, mistakes in cases:
        got = student.call("divergence_threshold", hessian)
        expect_close(
            got, expected, what="divergence_threshold(hessian)", case=label, mistakes=mistakes
        )


def test_threshold_needs_positive_curvature(student):
    """divergence_threshold raises ValueError when λmax ≤ 0."""
    for hessian, label in (
        ([[-2.0, 0.0], [0.0, -6.0]], "−x² − 3y² (a maximum, λmax = −2)"),
        (-1.0, "a negative curvature λ = −1"),
    ):
        try:
            got = student.call("divergence_threshold", hessian)
        except StudentCodeError as exc:
            if exc.exc_type == "ValueError":
                continue
            if exc.exc_type == "NotImplementedError":
                raise
            raise WrongAnswer(
                f"divergence_threshold raised {exc.exc_type} for {label}; the "
                "contract asks for ValueError."
            ) from None
        raise WrongAnswer(
            f"divergence_threshold returned {got!r} for {label}. When λmax ≤ 0, |1 − ηλ| ≥ 1 "
            "for every η > 0: no step size contracts, so there is no finite threshold. Raise "
            "ValueError('no finite divergence threshold: …') instead of returning a number."
        )


def test_is_divergent_examples(student):
    """is_divergent: the strict factor rule, NaN iterates and a start at x*."""
    cases = [
        (([1.0, -2.0, 4.0, -8.0], 0.0), {"factor": 5.0}, True, "|x₃| = 8 > 5·|x₀| = 5"),
        (([1.0, -2.0, 4.0], 0.0), {"factor": 5.0}, False, "|x₂| = 4 ≤ 5·|x₀|"),
        (
            ([1.0, 4.0], 0.0),
            {"factor": 4.0},
            False,
            "|x₁| = 4 = factor·|x₀| exactly: the test is strict (>), so not divergent",
        ),
        (([1.0, -1e6], 0.0), {}, False, "the default factor 10⁶, reached exactly"),
        (([2.0, np.nan], 2.0), {}, True, "a NaN iterate (NaN > anything is False: test it)"),
        (
            ([[0.0, 0.0], [0.0, 1e-3]], [0.0, 0.0]),
            {},
            False,
            "a run that starts at x* (d₀ = 0): only NaN/inf iterates count",
        ),
        (
            ([[3.0, 3.0], [33.0, 43.0]], [3.0, -1.0]),
            {"factor": 10.0},
            True,
            "distances to x* = (3, −1), not to 0: d₀ = 4, d₁ = ‖(30, 44)‖ ≈ 53.3 > 10·4",
        ),
    ]
    for args, kwargs, expected, label in cases:
        got = student.call("is_divergent", *args, **kwargs)
        got = bool(got) if isinstance(got, np.bool_) else got
        expect_equal(
            got,
            expected,
            what="is_divergent(trajectory, x_star, factor)",
            case=f"trajectory = {args[0]}, x_star = {args[1]}, {kwargs or 'default'}: {label}",
        )


def test_gd_quadratic_examples(student):
    """gd_quadratic: the seeds' runs, start point included."""
    k = np.arange(11.0)
    cases = [
        (
            (1.0, 1.0, 3.0, 3),
            [1.0, -2.0, 4.0, -8.0],
            [1.0, 4.0, 16.0, 64.0],
            "seed 004 §8: L = ½w², η = 3 gives w_{k+1} = −2w_k",
        ),
        (
            (200.0, 1.0, 0.02, 4),
            [1.0, -3.0, 9.0, -27.0, 81.0],
            5.0 ** np.arange(5.0),
            "seed 002 Exercise 9: λ = 200, α = 0.02 gives r = 1 − 4 = −3",
        ),
        (
            (BOWL, START, 0.3, 10),
            np.stack([0.4**k, (-0.8) ** k], axis=1),
            np.stack([1.6**k, 2.8**k], axis=1),
            "seed 001 §8.1: x² + 3y² from (1, 1), η = 0.3: x_k = 0.4ᵏ, y_k = (−0.8)ᵏ",
        ),
        (
            (BOWL, START, 0.25, 1),
            [[1.0, 1.0], [0.5, -0.5]],
            [[1.0, 1.0], [1.5, 2.5]],
            "one step on x² + 3y² from (1, 1), η = 0.25",
        ),
    ]
    for args, expected, ascent, label in cases:
        got = student.call("gd_quadratic", *args)
        expect_close(
            got,
            np.asarray(expected),
            what="gd_quadratic(A, x0, lr, n_steps)",
            case=label,
            mistakes={"a sign error (x + η·A x is gradient ASCENT)": ascent},
        )


def test_classify_run_examples(student):
    """classify_run: the verdicts of seed 001 §8.1 and seed 004 §8."""
    cases = [
        ((BOWL, START, 0.3), {}, "converged", "x² + 3y², η = 0.3 (|r| = 0.8: converges, barely)"),
        (
            (BOWL, START, 0.3),
            {"n_steps": 50},
            "undecided",
            "x² + 3y², η = 0.3 but only 50 steps: 0.8⁵⁰ ≈ 1.4e-5 is not yet ≤ 1e-6",
        ),
        ((BOWL, START, 0.4), {}, "diverged", "x² + 3y², η = 0.4 > 1/3 (r = −1.4)"),
        ((BOWL, START, 0.6), {}, "diverged", "x² + 3y², η = 0.6 (r = −2.6)"),
        ((BOWL, START, 0.001), {}, "undecided", "x² + 3y², η = 0.001: stable but slow"),
        ((1.0, 5.0, 1.9), {"n_steps": 200}, "converged", "L = ½w², η = 1.9 < 2"),
        ((1.0, 5.0, 2.1), {"n_steps": 200}, "diverged", "L = ½w², η = 2.1 > 2"),
        ((1.0, 5.0, 0.001), {}, "undecided", "L = ½w², η = 0.001 (seed 004: stable but slow)"),
        ((BOWL, [0.0, 0.0], 0.3), {}, "converged", "a run that starts at x* = 0"),
    ]
    for args, kwargs, expected, label in cases:
        got = student.call("classify_run", *args, **kwargs)
        analytic = "converged" if args[2] < (2 / 6 if args[0] is BOWL else 2.0) else "diverged"
        mistakes = (
            {}
            if analytic == expected
            else {
                "a verdict from η vs 2/λmax instead of running the finite GD: a finite run may "
                "be neither converged nor visibly diverged": analytic
            }
        )
        expect_equal(
            got, expected, what="classify_run(A, x0, lr, ...)", case=label, mistakes=mistakes
        )


def test_bisect_notebook_bowl(student):
    """bisect_threshold on x² + 3y²: the bracket approaches 1/3 from above as runs lengthen."""
    what = "bisect_threshold(A, x0, 0.3, 0.4, n_steps, tol=1e-3)"
    got = student.call("bisect_threshold", BOWL, START, 0.3, 0.4, n_steps=10_000)
    expect_close(
        got,
        (0.3328125, 0.33359375),
        what=what,
        case="x² + 3y² from (1, 1) with n_steps = 10 000 (bisection points 0.35, "
        "0.325, 0.3375, 0.33125, 0.334375, 0.3328125, 0.33359375)",
        mistakes={
            "the midpoint instead of the bracket (lo, hi)": 0.333203125,
            "the bracket reversed (it is (lo, hi))": (0.33359375, 0.3328125),
        },
    )
    got = student.call("bisect_threshold", BOWL, START, 0.3, 0.4)
    expect_true(
        isinstance(got, (tuple, list)) and len(got) == 2,
        f"{what} should return the bracket (lo, hi), got {got!r}.",
    )
    lo, hi = float(got[0]), float(got[1])
    expect_true(
        0 < hi - lo <= 1e-3 and lo > 1 / 3,
        f"With the default n_steps = 100 the bracket should be at most 1e-3 wide and "
        f"lie ABOVE 2/λmax = 1/3 (a 100-step run only flags divergence once "
        f"|1 − 6η|¹⁰⁰ > 10⁶·√2, i.e. η ≳ 0.359); you returned ({lo:.6g}, {hi:.6g}).",
    )


def test_hvp_examples(student):
    """hessian_vector_product: H·v by double backward on a quadratic and the double well."""
    what = "hessian_vector_product(loss, x, v)"
    q = QuadraticForm(A=((2.0, 1.0), (1.0, 3.0)))
    got = student.call(
        "hessian_vector_product", q.loss, np.array([0.5, -1.0]), np.array([1.0, 0.0])
    )
    expect_close(
        got,
        [2.0, 1.0],
        what=what,
        case="½xᵀAx with A = [[2, 1], [1, 3]] at (0.5, −1), v = (1, 0): H·v = A's first column",
        mistakes={
            "the gradient A x instead of H·v": [0.0, -2.5],
            "zeros: the first gradient needs create_graph=True": [0.0, 0.0],
        },
    )
    for w, curvature in ((1.0, 4.0), (2.0, 22.0), (0.0, -2.0)):
        got = student.call(
            "hessian_vector_product", DoubleWell().loss, np.array([w]), np.array([1.0])
        )
        expect_close(
            got,
            [curvature],
            what=what,
            case=f"the double well ½(w² − 1)² at w = {w:g}, v = 1: L''(w) = 6w² − 2 "
            f"= {curvature:g}",
            mistakes={
                "zeros: the first gradient needs create_graph=True": [0.0],
                "the gradient L'(w) instead of L''(w)·v": [2 * w * (w * w - 1)],
            },
        )


def test_power_iteration_examples(student):
    """power_iteration_lambda_max: λmax = 200 on x² + 100y², and the sign of L'' < 0."""
    what = "power_iteration_lambda_max(loss, x, rng, n_iters)"
    bowl = QuadraticForm.diagonal([2.0, 200.0])
    got = student.call(
        "power_iteration_lambda_max", bowl.loss, np.array([1.0, 1.0]), np.random.default_rng(0)
    )
    expect_close(
        got,
        200.0,
        what=what,
        case="x² + 100y² (Hessian diag(2, 200)) at (1, 1), rng = default_rng(0), "
        "100 iterations: then 2/λ = 0.01",
    )
    got = student.call(
        "power_iteration_lambda_max",
        DoubleWell().loss,
        np.array([0.0]),
        np.random.default_rng(1),
        n_iters=5,
    )
    expect_close(
        got,
        -2.0,
        what=what,
        case="the double well at its top w = 0, where L'' = −2 (keep the sign: "
        "return the Rayleigh quotient vᵀHv, not ‖Hv‖)",
        mistakes={"‖Hv‖ instead of the Rayleigh quotient (the sign is lost)": 2.0},
    )


def test_mse_hessian_example(student):
    """mse_hessian: (2/n)XᵀX."""
    got = student.call("mse_hessian", np.array([[1.0], [2.0], [3.0]]))
    expect_close(
        got,
        [[28.0 / 3.0]],
        what="mse_hessian(X)",
        case="X = [[1], [2], [3]]: (2/3)·(1 + 4 + 9) = 28/3",
        mistakes={
            "(1/n)XᵀX: keep the 2 of the MSE gradient": [[14.0 / 3.0]],
            "2XᵀX: divide by n": [[28.0]],
        },
    )


def test_lr_range_test_examples(student):
    """lr_range_test: (lr, loss) recorded before each update; the seed's defaults."""
    what = "lr_range_test(X, y, lr_start, lr_end, n_steps)"
    got = student.call(
        "lr_range_test", np.array([[1.0], [1.0]]), np.array([2.0, 2.0]), 0.25, 1.0, 2
    )
    case = (
        "X = [[1], [1]], y = [2, 2], lr from 0.25 to 1 in 2 steps: lr_factor = 2, "
        "θ: 0 → 0 + 0.25·4 = 1"
    )
    expect_true(
        isinstance(got, (tuple, list)) and len(got) == 2,
        f"{what} should return the pair (lrs, losses), got {type(got).__name__}.",
    )
    expect_close(
        got[0],
        [0.25, 0.5],
        what="lrs",
        case=case,
        mistakes={
            "the lr recorded after multiplying by lr_factor": [0.5, 1.0],
            "a geomspace ending at lr_end": [0.25, 1.0],
        },
    )
    expect_close(
        got[1],
        [4.0, 1.0],
        what="losses",
        case=case,
        mistakes={"the loss recorded after the update": [1.0, 0.0]},
    )
    x = np.array([[1.0], [2.0], [3.0]])
    got = student.call("lr_range_test", x, 3.0 * x[:, 0])
    case = (
        "the seed's defaults lr_start = 1e-7, lr_end = 10, n_steps = 200 on y = 3x: "
        "lrs[k] = 1e-7·10^(0.04k), losses[0] = mean(y²) = 42"
    )
    expect_close(got[0], 1e-7 * 10.0 ** (0.04 * np.arange(200)), what="lrs", case=case)
    expect_close(got[1][0], 42.0, what="losses[0] (the loss at θ = 0)", case=case)


def test_cliff_examples(student):
    """range_test_cliff: the first NaN/inf or loss above factor·(best so far)."""
    what = "range_test_cliff(lrs, losses, factor)"
    lrs = [0.1, 0.2, 0.4, 0.8, 1.6]
    got = student.call("range_test_cliff", lrs, [5.0, 2.0, 1.0, 3.0, 9.0])
    expect_close(
        got,
        1.6,
        what=what,
        case="losses [5, 2, 1, 3, 9]: 3 ≤ 4·1 but 9 > 4·1",
        mistakes={
            "the first rise (3 > 1) instead of the factor rule": 0.8,
            "the lr of the minimum loss": 0.4,
        },
    )
    got = student.call("range_test_cliff", lrs, [5.0, 2.0, 1.0, 4.0, 16.0])
    expect_close(
        got,
        1.6,
        what=what,
        case="losses [5, 2, 1, 4, 16]: 4 = 4·1 is not above (strict), 16 is",
        mistakes={"using ≥ instead of >": 0.8},
    )
    got = student.call("range_test_cliff", lrs, [5.0, 2.0, 1.0, 3.0, 9.0], factor=10.0)
    expect_true(
        got is None,
        f"{what} should be None for losses [5, 2, 1, 3, 9] with "
        f"factor = 10 (9 ≤ 10·1: no cliff), got {got!r}.",
    )
    got = student.call("range_test_cliff", lrs, [5.0, 2.0, np.nan, 1.0, 1.0])
    expect_close(got, 0.4, what=what, case="losses [5, 2, NaN, 1, 1]: a NaN loss is a cliff")
