"""Public checks for exercise ``zigzag``: the worked examples of the course notes.

Run them with ``autograder check``. Every expected value is a number printed in the
notes (seed 002, Exercises 2, 3 and 5; seed 001 §4.3 and §7.3) or a closed form worked
out here from them, for example x_k = (1 − 2α)^k·x_0 and y_k = (1 − 10α)^k·y_0 for
seed 002's f = ½(2x² + 10y²). Passing them does not mean the hidden checks pass: those
use rotated (non-diagonal) matrices, b ≠ 0, float32 inputs and step sizes right at the
boundaries 1/λmax and 2/λmax.
"""

from __future__ import annotations

import math

import numpy as np

from autograder.compare import expect_close, expect_equal, expect_true

EXERCISE = "zigzag"

# Seed 002, Exercises 2-3: f(x, y) = x² + 10y² = ½xᵀAx with A = diag(2, 20) (mind the ½).
A_EX2 = np.diag([2.0, 20.0])
# Seed 002, Exercise 5: f(x, y) = ½(2x² + 10y²), i.e. A = diag(2, 10), from (5, 1).
A_EX5 = np.diag([2.0, 10.0])
X0_EX5 = np.array([5.0, 1.0])
# Seed 001 §4.3 / §7.3: x² + 3y² is A = diag(2, 6); x² + 100y² is A = diag(2, 200).
A_3 = np.diag([2.0, 6.0])
A_100 = np.diag([2.0, 200.0])


def _ex5(alpha: float, n: int) -> np.ndarray:
    """Seed 002, Exercise 5 closed form: x_k = (1 − 2α)^k·5, y_k = (1 − 10α)^k·1."""
    k = np.arange(n + 1)
    return np.stack([(1 - 2 * alpha) ** k * 5.0, (1 - 10 * alpha) ** k * 1.0], axis=1)


def test_ex2_loss_and_gradient(student):
    """Seed 002, Exercise 2: f = x² + 10y² at (1, 1) is 11 and ∇f(1, 1) = (2, 20)."""
    got = student.call("quadratic_loss", A_EX2, [1.0, 1.0])
    expect_close(
        got,
        11.0,
        what="quadratic_loss for f = x² + 10y² at (1, 1)",
        case="A = diag(2, 20), b = None (f = ½xᵀAx = x² + 10y²)",
        mistakes={"xᵀAx without the ½ (f = ½xᵀAx − bᵀx + c)": 22.0},
    )
    got = student.call("quadratic_grad", A_EX2, [1.0, 1.0])
    expect_close(
        got,
        np.array([2.0, 20.0]),
        what="quadratic_grad: ∇f = (2x, 20y) at (1, 1)",
        case="A = diag(2, 20), b = None: the y-direction is 10 times steeper",
        mistakes={
            "½Ax (for symmetric A the gradient of ½xᵀAx is Ax)": np.array([1.0, 10.0]),
            "2Ax (the ½ of ½xᵀAx cancels the 2 of the derivative)": np.array([4.0, 40.0]),
        },
    )
    # Seed 003, Exercise 3: ‖x − (2, −1)‖² = ½xᵀ(2I)x − (4, −2)ᵀx + 5, so ∇f = 2(x − (2, −1)).
    got = student.call("quadratic_grad", 2.0 * np.eye(2), [5.0, 5.0], [4.0, -2.0], 5.0)
    expect_close(
        got,
        np.array([6.0, 12.0]),
        what="quadratic_grad: ∇f = Ax − b",
        case="‖x − (2, −1)‖² written as A = 2I, b = (4, −2), c = 5, at x = (5, 5)",
        mistakes={"Ax + b (the sign of b: ∇(−bᵀx) = −b)": np.array([14.0, 8.0])},
    )
    got = student.call("quadratic_loss", 2.0 * np.eye(2), [5.0, 5.0], [4.0, -2.0], 5.0)
    expect_close(
        got,
        45.0,
        what="quadratic_loss: ½xᵀAx − bᵀx + c",
        case="‖x − (2, −1)‖² written as A = 2I, b = (4, −2), c = 5, at x = (5, 5)",
        mistakes={"+bᵀx instead of −bᵀx": 49.0, "the constant c left out": 40.0},
    )


def test_ex3_hessian_is_constant(student):
    """Seed 002, Exercise 3: the Hessian of x² + 10y² is diag(2, 20) at every point."""
    for point in ([1.0, 1.0], [3.0, -7.0], [0.0, 0.0]):
        got = student.call("quadratic_hessian", A_EX2, point)
        expect_close(
            got,
            A_EX2,
            what="quadratic_hessian for f = x² + 10y²",
            case=f"A = diag(2, 20) at x = {point} (a quadratic has constant curvature)",
            mistakes={"2A (the Hessian of ½xᵀAx is ½(A + Aᵀ) = A)": 2 * A_EX2},
        )


def test_minimiser(student):
    """The minimiser x* = A⁻¹b: (2, −1) for ‖x − (2, −1)‖², the origin when b = None."""
    got = student.call("quadratic_minimiser", 2.0 * np.eye(2), [4.0, -2.0])
    expect_close(
        got,
        np.array([2.0, -1.0]),
        what="quadratic_minimiser(A, b)",
        case="‖x − (2, −1)‖² (seed 003, Exercise 3): A = 2I, b = (4, −2)",
        mistakes={"−A⁻¹b (Ax* − b = 0 gives x* = A⁻¹b)": np.array([-2.0, 1.0])},
    )
    got = student.call("quadratic_minimiser", A_EX2)
    expect_close(got, np.zeros(2), what="quadratic_minimiser(A)", case="A = diag(2, 20), b = None")


def test_ex5_gd_trajectories(student):
    """Seed 002, Exercise 5: the iterates from (5, 1) for α = 0.05, 0.15 and 0.25."""
    for alpha, n, story in (
        (0.05, 2, "(4.5, 0.5), (4.05, 0.25): y shrinks by 0.5, no oscillation"),
        (0.15, 2, "(3.5, −0.5), (2.45, 0.25): y is multiplied by −0.5, it zigzags"),
        (0.25, 10, "y is multiplied by 1 − 10α = −1.5: it flips and grows, GD diverges"),
    ):
        got = student.call("gd_trajectory", A_EX5, X0_EX5, alpha, n)
        expected = _ex5(alpha, n)
        expect_close(
            got,
            expected,
            what="gd_trajectory(A, x0, α, n_steps)",
            case=f"f = ½(2x² + 10y²), x0 = (5, 1), α = {alpha}, n_steps = {n}: {story}",
            mistakes={"x + α∇f (a sign error in the update)": _ex5(-alpha, n)},
        )


def test_ex5_iteration_matrix_and_error(student):
    """Seed 002, Exercise 5: multipliers 1 − 2α and 1 − 10α, and e_k = (I − αA)^k e0."""
    for alpha in (0.05, 0.15, 0.25):
        got = student.call("iteration_matrix", A_EX5, alpha)
        expected = np.diag([1 - 2 * alpha, 1 - 10 * alpha])
        expect_close(
            got,
            expected,
            what="iteration_matrix(A, α) = I − αA",
            case=f"A = diag(2, 10), α = {alpha}",
            mistakes={
                "I + αA (e_{k+1} = e_k − αAe_k = (I − αA)e_k)": np.diag(
                    [1 + 2 * alpha, 1 + 10 * alpha]
                )
            },
        )
    for alpha, k in ((0.15, 2), (0.15, 0), (0.25, 10)):
        got = student.call("error_after_steps", A_EX5, alpha, X0_EX5, k)
        expect_close(
            got,
            _ex5(alpha, k)[-1],
            what="error_after_steps(A, α, e0, k)",
            case=f"A = diag(2, 10), α = {alpha}, e0 = (5, 1), k = {k} (x* = 0, so e_k = x_k)",
            mistakes={"one step too few (k − 1)": _ex5(alpha, max(k - 1, 0))[-1]},
        )


def test_ex5_zigzag_measures(student):
    """Seed 002, Exercise 5: sign flips of y, path length and path ratio of the iterates."""
    for alpha, n, flips in ((0.05, 2, 0), (0.15, 2, 2), (0.25, 10, 10)):
        got = student.call("steep_sign_flips", A_EX5, _ex5(alpha, n))
        expect_equal(
            got,
            flips,
            what="steep_sign_flips(A, trajectory)",
            case=f"the α = {alpha} iterates of f = ½(2x² + 10y²) from (5, 1): the steep "
            f"coordinate y is multiplied by {1 - 10 * alpha:g} each step",
            mistakes={
                "the flips of the shallow x-coordinate (λ = 2), not of the steep "
                "y-coordinate (λmax = 10)": 0
            },
        )
    path = [[5.0, 1.0], [4.0, 0.0], [3.0, -1.0]]  # y: +, 0, − (the stub's convention)
    got = student.call("steep_sign_flips", A_EX5, path)
    expect_equal(
        got,
        0,
        what="steep_sign_flips(A, trajectory)",
        case="the path (5, 1) → (4, 0) → (3, −1) on A = diag(2, 10): y goes +, 0, −",
        mistakes={
            "a change to or from 0 counted as a flip (a flip needs "
            "z_k·z_{k+1} < 0; a zero is never part of one)": 1,
            "a change to or from 0 counted as a flip (np.sign changes twice "
            "on +, 0, −, but z_k·z_{k+1} < 0 never holds)": 2,
        },
    )
    traj = _ex5(0.15, 2)  # (5, 1) → (3.5, −0.5) → (2.45, 0.25)
    length = math.hypot(1.5, 1.5) + math.hypot(1.05, 0.75)
    dist = math.hypot(2.55, 0.75)
    got = student.call("path_length", traj)
    expect_close(
        got,
        length,
        what="path_length(trajectory)",
        case="(5, 1) → (3.5, −0.5) → (2.45, 0.25): ‖(−1.5, −1.5)‖ + ‖(−1.05, 0.75)‖",
        mistakes={"the straight distance ‖x_n − x_0‖": dist},
    )
    got = student.call("path_ratio", traj)
    expect_close(
        got,
        length / dist,
        what="path_ratio(trajectory) = L/D",
        case="(5, 1) → (3.5, −0.5) → (2.45, 0.25): D = ‖(2.45, 0.25) − (5, 1)‖",
        mistakes={"D/L (the ratio inverted)": dist / length},
    )


def _steps(lams: tuple[float, float], alpha: float, tol: float) -> int:
    """From (1, 1): the first k with ‖((1 − αλ_1)^k, (1 − αλ_2)^k)‖ ≤ tol (closed form)."""
    k = 0
    while math.hypot((1 - alpha * lams[0]) ** k, (1 - alpha * lams[1]) ** k) > tol:
        k += 1
    return k


def test_001_steps_to_tolerance(student):
    """Seed 001 §4.3: x² + 3y² at η* = 0.25 halves the error each step; η = 0.4 diverges."""
    got = student.call("steps_to_tolerance", A_3, [1.0, 1.0], 0.25, 1e-3)
    expect_equal(
        got,
        _steps((2.0, 6.0), 0.25, 1e-3),
        what="steps_to_tolerance(A, x0, α, tol)",
        case="x² + 3y² from (1, 1), α = 0.25, tol = 1e-3: ‖e_k‖ = √2·0.5^k",
        mistakes={
            "counting from 1 (k = 0 is x0 itself)": 12,
            "one update too few": 10,
            "the loss gap f(x_k) − f* = 4·0.25^k ≤ tol instead of the distance "
            "‖x_k − x*‖ ≤ tol": math.ceil(math.log(4e3) / math.log(4.0)),
        },
    )
    for a, x0, alpha, case in (
        (A_3, [1.0, 1.0], 0.4, "x² + 3y² from (1, 1), α = 0.4 > 2/6 (seed 001 §4.3)"),
        (
            A_EX5,
            X0_EX5,
            0.25,
            "f = ½(2x² + 10y²) from (5, 1), α = 0.25 (seed 002 Ex. 5: y is multiplied by −1.5)",
        ),
    ):
        got = student.call("steps_to_tolerance", a, x0, alpha, 1e-3)
        expect_equal(
            got,
            -1,
            what="steps_to_tolerance(A, x0, α, tol)",
            case=f"{case}: GD diverges, so return −1",
            mistakes={"max_steps instead of −1": 10_000},
        )


def test_001_steps_vs_kappa(student):
    """Seed 001 §4.3/§7.3: κ = 3 and 100, η* = 2/(λmax + λmin), steps grow with κ."""
    got = student.call("steps_vs_kappa", np.stack([A_3, A_100]), [1.0, 1.0], 1e-3)
    case = "x² + 3y² and x² + 100y² from (1, 1), tol = 1e-3, alpha = None"
    expect_true(
        isinstance(got, dict) and {"kappa", "alpha", "steps"} <= set(got),
        f"steps_vs_kappa should return a dict with keys 'kappa', 'alpha' and 'steps' "
        f"for {case}, but returned {type(got).__name__}.",
    )
    expect_close(
        got["kappa"],
        np.array([3.0, 100.0]),
        what="steps_vs_kappa(...)['kappa']",
        case=case,
        mistakes={"λmin/λmax (κ = λmax/λmin)": np.array([1 / 3, 0.01])},
    )
    expect_close(
        got["alpha"],
        np.array([0.25, 2 / 202]),
        what="steps_vs_kappa(...)['alpha']",
        case=case + " (η* = 2/(2 + 6) = 0.25; 2/(2 + 200) for x² + 100y²)",
        mistakes={
            "2/λmax (the stability limit, not η*)": np.array([2 / 6, 0.01]),
            "1/λmax (η* = 2/(λmax + λmin))": np.array([1 / 6, 1 / 200]),
        },
    )
    expected = [_steps((2.0, 6.0), 0.25, 1e-3), _steps((2.0, 200.0), 2 / 202, 1e-3)]
    expect_close(
        got["steps"],
        np.array(expected),
        what="steps_vs_kappa(...)['steps']",
        case=case + " (ρ* = (κ − 1)/(κ + 1): 0.5 and 99/101)",
    )


def _gd_100(p: np.ndarray) -> np.ndarray:
    """Two steps x ← x − p⊙(Ax) on x² + 100y² from (5, 1) (α = 1, preconditioner p)."""
    rows = [np.array([5.0, 1.0])]
    for _ in range(2):
        rows.append(rows[-1] - p * (A_100 @ rows[-1]))
    return np.array(rows)


def test_73_rescaling(student):
    """Seed 001 §7.3 (x² + 100y², κ = 100): s = 1/√λ makes the bowl round; GD with α = 1."""
    got = student.call("rescaled_hessian", A_100, [1.0, 0.1])
    expect_close(
        got,
        np.diag([2.0, 2.0]),
        what="rescaled_hessian(A, s) = SAS",
        case="A = diag(2, 200), s = (1, 0.1): curvature 0.1²·200 = 2 along y",
        mistakes={"S⁻¹AS⁻¹ (x = S·u multiplies the curvature by s²)": np.diag([2.0, 20000.0])},
    )
    s = np.array([1 / math.sqrt(2.0), 1 / math.sqrt(200.0)])
    got = student.call("isotropic_scaling", A_100)
    expect_close(
        got,
        s,
        what="isotropic_scaling(A)",
        case="A = diag(2, 200): s_i = 1/√λ_i",
        mistakes={"√λ instead of 1/√λ": np.array([math.sqrt(2.0), math.sqrt(200.0)])},
    )
    got = student.call("gd_rescaled_trajectory", A_100, s, [5.0, 1.0], 1.0, 2)
    expect_close(
        got,
        np.array([[5.0, 1.0], [0.0, 0.0], [0.0, 0.0]]),
        what="gd_rescaled_trajectory(A, s, x0, α, n_steps)",
        case="A = diag(2, 200), s = (1/√2, 1/√200), x0 = (5, 1), α = 1: SAS = I, so "
        "the first step lands on x* = 0",
        mistakes={
            "plain GD with α = 1 (s ignored)": _gd_100(np.ones(2)),
            "the step divided by s⊙s instead of multiplied by it": _gd_100(1.0 / s**2),
        },
    )
