"""Public checks for exercise ``gd_1d``: the worked examples of seeds 004 and 003.

Run them with ``autograder check gd_1d``. Every expected value below is a number the
course notes print (seed 004 "Optimization and PyTorch Basics in 1D", §5-§8) or a closed
form of seed 003's examples, w_k = c + (1 − ηλ)^k·(w0 − c), computed here. The hidden
checks test many more cases (other λ, η, centres and regimes) when you submit.
"""

from __future__ import annotations

import math

import numpy as np

from autograder.compare import expect_close, expect_equal, expect_true
from autograder.landscapes import DoubleWell, Quadratic1D

EXERCISE = "gd_1d"

HALF_SQUARE = Quadratic1D(lam=1.0)  # seed 004: L(w) = ½w², L'(w) = w
SHIFTED = Quadratic1D(lam=1.0, center=1.0)  # seed 004 §7: ½(w − 1)²
SQUARE = Quadratic1D(lam=2.0)  # seed 003: f(x) = x², f'(x) = 2x
SEED003 = Quadratic1D(lam=2.0, center=3.0)  # seed 003 exercises: (x − 3)²

SIGN = "a sign error: w + η·L'(w) moves uphill; gradient descent subtracts the slope"
PLUS_ONE = "counting iterates instead of updates (w0 itself is k = 0)"
CAP_NEG = "returning −1 when the target is never reached; the ceiling is max_iters itself"
FLOAT64_SHIFTED = (
    "float64 arithmetic: torch.tensor(float(w0)) is float32, and in float32 the shifted run "
    "lands exactly on w = 1 after 27 steps, where L' = 0 stops it"
)
SHIFTED_IN_FLOAT64 = "final w=1.000000e+00, final L=1.694066e-21, iters=37"
FLOAT64_WELL = (
    "float64 arithmetic: torch.tensor(float(w0)) is float32 (torch's default); the seed's "
    "final L of the double well is the float32 value"
)
WELL_IN_FLOAT64 = "final w=9.999991e-01, final L=1.982635e-12, iters=200"

SEED004_TABLE = [  # seed 004 §5, minimal loop: w0 = 5, η = 0.5 on ½w², 10 iterations
    "k= 0  w=+5.000000  L(w)=1.250e+01  |L'(w)|=5.000e+00",
    "k= 1  w=+2.500000  L(w)=3.125e+00  |L'(w)|=2.500e+00",
    "k= 2  w=+1.250000  L(w)=7.812e-01  |L'(w)|=1.250e+00",
    "k= 3  w=+0.625000  L(w)=1.953e-01  |L'(w)|=6.250e-01",
    "k= 4  w=+0.312500  L(w)=4.883e-02  |L'(w)|=3.125e-01",
    "k= 5  w=+0.156250  L(w)=1.221e-02  |L'(w)|=1.562e-01",
    "k= 6  w=+0.078125  L(w)=3.052e-03  |L'(w)|=7.812e-02",
    "k= 7  w=+0.039062  L(w)=7.629e-04  |L'(w)|=3.906e-02",
    "k= 8  w=+0.019531  L(w)=1.907e-04  |L'(w)|=1.953e-02",
    "k= 9  w=+0.009766  L(w)=4.768e-05  |L'(w)|=9.766e-03",
]


def _run(got, what, case):
    """Unpack ``(w_final, hist)`` with a friendly message when the structure is off."""
    expect_true(
        isinstance(got, (tuple, list)) and len(got) == 2,
        f"{what} should return a pair (w_final, hist) for {case}; you returned "
        f"{type(got).__name__}.",
    )
    w, hist = got
    expect_true(
        isinstance(hist, dict) and all(k in hist for k in ("k", "w", "L", "abs_dL")),
        f"{what}: hist should be a dict with the keys 'k', 'w', 'L' and 'abs_dL' (one 1-D "
        f"array each, as in seed 004's hist) for {case}.",
    )
    return w, {k: np.asarray(hist[k]) for k in ("k", "w", "L", "abs_dL")}


def test_gd_step_seed_examples(student):
    """One step w − η·L'(w): seed 003's x² from 5 (→ 4.0), seed 004's ½w² and double well."""
    for landscape, w, eta, expected, case in [
        (SQUARE, 5.0, 0.1, 4.0, "f(x) = x², x = 5, η = 0.1 (seed 003's first demo)"),
        (HALF_SQUARE, 5.0, 0.5, 2.5, "L(w) = ½w², w = 5, η = 0.5 (seed 004 §5, k = 1)"),
        (
            DoubleWell(),
            2.0,
            0.25,
            -1.0,
            "L(w) = ½(w² − 1)², w = 2, η = 0.25: L'(2) = 12, "
            "so the step lands exactly on the minimiser −1 (seed 004 §8)",
        ),
    ]:
        got = student.call("gd_step", landscape.grad, w, eta)
        slope = float(landscape.grad(w))
        expect_close(
            got, expected, what="gd_step(dL, w, η)", case=case, mistakes={SIGN: w + eta * slope}
        )


def test_gd_trajectory_seed003_first_demo(student):
    """Seed 003's first demo: x² from x0 = 5, η = 0.1, 20 steps, x_k = 5·0.8^k (21 entries)."""
    got = student.call("gd_trajectory", SQUARE.grad, 5.0, 0.1, 20)
    expected = 5.0 * 0.8 ** np.arange(21)  # multiplier r = 1 − ηλ = 1 − 0.1·2 = 0.8
    expect_close(
        got,
        expected,
        what="gd_trajectory(dL, 5.0, 0.1, 20)",
        case="f(x) = x² (dL = 2x); the trajectory starts with x0 = 5 and has 20 + 1 entries, "
        "the last one seed 003's 'Final x' = 5·0.8²⁰ ≈ 0.0576",
        mistakes={SIGN: 5.0 * 1.2 ** np.arange(21)},
    )


def test_gd_trajectory_seed003_exercise4(student):
    """Seed 003 Exercise 4 on (x − 3)² from −7: LR 0.1 creeps, 1.0 bounces, 1.5 diverges."""
    k = np.arange(16)
    for lr, r, story in [
        (0.1, 0.8, "r = 1 − 0.1·2 = 0.8: a monotone approach to 3"),
        (1.0, -1.0, "r = −1: it bounces between −7 and 13 forever"),
        (1.5, -2.0, "r = −2: |x − 3| doubles every step (divergence)"),
    ]:
        got = student.call("gd_trajectory", SEED003.grad, -7.0, lr, 15)
        expect_close(
            got,
            3.0 - 10.0 * r**k,
            what=f"gd_trajectory(dL, −7.0, {lr}, 15)",
            case=f"f(x) = (x − 3)², i.e. λ = 2 and c = 3; {story}",
        )


def test_quadratic_multiplier_seed_examples(student):
    """r = 1 − ηλ: seed 004 §8 (η = 3 → −2, η = 1 → 0) and seed 003's learning rates on x²."""
    for eta, lam, expected, case in [
        (3.0, 1.0, -2.0, "η = 3 on ½w²: w_{k+1} = −2·w_k (seed 004 §8)"),
        (1.0, 1.0, 0.0, "η = 1 on ½w²: w_1 = 0 from any w0 (seed 004 §8)"),
        (0.05, 2.0, 0.9, "x² (λ = 2) with LR 0.05 (seed 003)"),
        (0.2, 2.0, 0.6, "x² with LR 0.2 (seed 003)"),
        (0.8, 2.0, -0.6, "x² with LR 0.8: alternating, shrinking (seed 003)"),
        (1.01, 2.0, -1.02, "x² with LR 1.01: alternating, growing (seed 003)"),
    ]:
        got = student.call("quadratic_multiplier", eta, lam)
        expect_close(
            got,
            expected,
            what=f"quadratic_multiplier({eta}, {lam})",
            case=case,
            mistakes={"ηλ − 1: the sign of r is flipped": eta * lam - 1.0},
        )


def test_quadratic_closed_form_seed_examples(student):
    """Closed form c + (1 − ηλ)^k (w0 − c): seed 003 Exercise 1 (x = 2.9996), seed 002 Ex.1."""
    got = student.call("quadratic_closed_form", -7.0, 0.2, 2.0, 20, center=3.0)
    k = np.arange(21)
    expect_close(
        got,
        3.0 - 10.0 * 0.6**k,
        what="quadratic_closed_form(−7.0, 0.2, 2.0, 20, center=3.0)",
        case="seed 003 Exercise 1: (x − 3)² is λ = 2, c = 3, so r = 0.6 and after 20 steps "
        "x = 3 − 10·0.6²⁰, printed as 'x = 2.9996'",
        mistakes={
            "a forgotten centre: r^k·w0": -7.0 * 0.6**k,
            "the exponent shifted by one: r^(k+1)": 3.0 - 10.0 * 0.6 ** (k + 1),
        },
    )
    got = student.call("quadratic_closed_form", 3.0, 0.125, 4.0, 6)
    expect_close(
        got,
        3.0 * 0.5 ** np.arange(7),
        what="quadratic_closed_form(3.0, 0.125, 4.0, 6)",
        case="seed 002 Exercise 1: ½λx² with λ = 4, α = 0.125: x_k = (1 − αλ)^k·x0 = 3·0.5^k "
        "(center defaults to 0)",
    )


def test_stability_interval_seed_examples(student):
    """0 < η < 2/λ: (0, 2) for seed 004's ½w², (0, 1) for seed 003's (x − 3)²."""
    for lam, expected, case in [
        (1.0, (0.0, 2.0), "λ = 1: seed 004 §8, 'the stability condition is 0 < η < 2'"),
        (2.0, (0.0, 1.0), "λ = 2: seed 003's (x − 3)², where LR 1.0 already oscillates forever"),
    ]:
        got = student.call("stability_interval", lam)
        expect_true(
            isinstance(got, (tuple, list)) and len(got) == 2,
            f"stability_interval({lam}) should return a pair (low, high); you returned "
            f"{type(got).__name__}.",
        )
        expect_close(
            list(got),
            list(expected),
            what=f"stability_interval({lam})",
            case=case,
            mistakes={
                "(0, 1/λ): that is the monotone limit ηλ < 1, not the stability limit ηλ < 2": [
                    0.0,
                    1.0 / lam,
                ]
            },
        )


def test_gradient_descent_1d_seed004_table(student):
    """Seed 004 §5's printed table: ½w² from 5 with η = 0.5, 10 iterations, no stopping rule."""
    got = student.call(
        "gradient_descent_1d",
        HALF_SQUARE.loss,
        HALF_SQUARE.grad,
        5.0,
        0.5,
        max_iters=10,
        eps_grad=None,
        eps_obj=None,
    )
    what = "gradient_descent_1d(L, dL, 5.0, 0.5, max_iters=10, eps_grad=None)"
    case = "L(w) = ½w² (seed 004 §5, minimal loop)"
    w, hist = _run(got, what, case)
    expect_equal(
        len(hist["k"]),
        10,
        what=f"{what}: len(hist['k'])",
        case=case + ": one logged row per iteration k = 0 … 9",
    )
    for k, line in enumerate(SEED004_TABLE):
        mine = (
            f"k={int(hist['k'][k]):2d}  w={float(hist['w'][k]):+.6f}  "
            f"L(w)={float(hist['L'][k]):.3e}  |L'(w)|={float(hist['abs_dL'][k]):.3e}"
        )
        expect_equal(mine, line, what=f"{what}: row {k} printed like the seed", case=case)
    expect_equal(
        f"final w={float(w):+.6f}",
        "final w=+0.004883",
        what=f"{what}: w_final",
        case=case + ": after the 10th update w = 5/2¹⁰; it is returned but not logged",
    )


def test_gradient_descent_1d_seed004_full(student):
    """Seed 004 §5's full loop: eps_grad = 1e-10 stops it after 37 iterations at 7.275958e-11."""
    got = student.call(
        "gradient_descent_1d",
        HALF_SQUARE.loss,
        HALF_SQUARE.grad,
        5.0,
        0.5,
        max_iters=80,
        eps_grad=1e-10,
    )
    what = "gradient_descent_1d(L, dL, 5.0, 0.5, max_iters=80, eps_grad=1e-10)"
    case = "L(w) = ½w² (seed 004 §5): |L'(w_k)| = 5/2^k ≤ 1e-10 first at k = 36"
    w, hist = _run(got, what, case)
    expect_equal(
        len(hist["k"]),
        37,
        what=f"{what}: 'Iterations' = len(hist['k'])",
        case=case,
        mistakes={
            "one row too few: the iterate that triggers the stop is logged "
            "before the loop breaks": 36
        },
    )
    expect_equal(
        f"{float(w):.6e}",
        "7.275958e-11",
        what=f"{what}: 'Final w'",
        case=case,
        mistakes={"updating once more after the stopping rule fired": "3.637979e-11"},
    )
    expect_equal(
        f"{float(hist['L'][-1]):.6e}",
        "2.646978e-21",
        what=f"{what}: 'Final L(w)' = hist['L'][-1]",
        case=case,
    )


def test_gd_1d_torch_seed004(student):
    """Seed 004 §7's autograd loop in float32: 37 iterations, 27 on ½(w − 1)², 200 (capped)."""
    for name, landscape, eta, max_iters, printed in [
        ("quadratic", HALF_SQUARE, 0.5, 80, "final w=7.275958e-11, final L=2.646978e-21, iters=37"),
        ("shifted", SHIFTED, 0.5, 80, "final w=1.000000e+00, final L=0.000000e+00, iters=27"),
        (
            "doublewell",
            DoubleWell(),
            0.02,
            200,
            "final w=9.999991e-01, final L=1.818989e-12, iters=200",
        ),
    ]:
        got = student.call(
            "gd_1d_torch", landscape.loss, 5.0, eta, max_iters=max_iters, eps_grad=1e-10
        )
        what = f"gd_1d_torch(L_fn, 5.0, {eta}, max_iters={max_iters}, eps_grad=1e-10)"
        case = f"seed 004 §7 [{name}], torch's default float32"
        w, hist = _run(got, what, case)
        mine = f"final w={float(w):.6e}, final L={float(hist['L'][-1]):.6e}, iters={len(hist['k'])}"
        expect_equal(
            mine,
            printed,
            what=f"{what}: the seed's printed line",
            case=case,
            mistakes={FLOAT64_SHIFTED: SHIFTED_IN_FLOAT64, FLOAT64_WELL: WELL_IN_FLOAT64},
        )


def test_autograd_derivative_seed004(student):
    """backward() on a scalar: 12.0 for the double well at 2 (seed 004 §6), 2.0 and 1.0."""
    for landscape, w, expected, case in [
        (DoubleWell(), 2.0, 12.0, "½(w² − 1)² at w = 2: 'autograd: 12.0' = 2w(w² − 1)"),
        (HALF_SQUARE, 2.0, 2.0, "½w² at w = 2: 'dL/dw = 2.0' (seed 004 §6)"),
        (SHIFTED, 2.0, 1.0, "½(w − 1)² at w = 2: 'after clearing, w.grad = 1.0' (seed 004 §7)"),
    ]:
        got = student.call("autograd_derivative", landscape.loss, w)
        expect_close(got, expected, what=f"autograd_derivative(L_fn, {w})", case=case)


def _steps_to_target(eta: float) -> int:
    """½·25·(1 − η)^{2k} ≤ 1e-5 on ½w² from 5: the smallest such k (closed form)."""
    return math.ceil(math.log(2e-5 / 25.0) / (2.0 * math.log(abs(1.0 - eta))))


def test_time_to_result_seed004(student):
    """Time-to-result on ½w² from 5 (target 1e-5): η = 1 takes one update, η = 0.5 eleven."""
    for eta, expected, case in [
        (1.0, 1, "η = 1 sends w_1 = 0 from any w0 (seed 004 §8): one update"),
        (0.5, _steps_to_target(0.5), "η = 0.5 halves w: ½·25·4^(−k) ≤ 1e-5 first at k = 11"),
    ]:
        got = student.call("time_to_result", HALF_SQUARE.loss, HALF_SQUARE.grad, 5.0, eta)
        what = f"time_to_result(L, dL, 5.0, {eta})"
        expect_equal(got, expected, what=what, case=case, mistakes={PLUS_ONE: expected + 1})


def test_time_to_result_divergent_seed004(student):
    """η = 3 diverges: the ceiling 1000 (iterate with np.float64, whose overflow gives inf)."""
    got = student.call("time_to_result", HALF_SQUARE.loss, HALF_SQUARE.grad, 5.0, 3.0)
    expect_equal(
        got,
        1000,
        what="time_to_result(L, dL, 5.0, 3.0)",
        case="η = 3 on ½w²: w_{k+1} = −2·w_k never reaches the target, so the answer is the "
        "ceiling max_iters = 1000 (seed 004 §8). After about 510 doublings w² no longer fits "
        "in a float: with Python floats w**2 raises OverflowError, with np.float64 it is inf "
        "and the run simply goes on",
        mistakes={"returning max_iters − 1 (the loop variable) on the ceiling": 999, CAP_NEG: -1},
    )


def test_step_size_sweep_seed004(student):
    """Seed 004 §8's sweep on ½w² from 5: etas [0.5, 1.0, 3.0] → [11, 1, 1000]; η = 1 wins."""
    got = student.call(
        "step_size_sweep", HALF_SQUARE.loss, HALF_SQUARE.grad, 5.0, np.array([0.5, 1.0, 3.0])
    )
    expect_close(
        got,
        np.array([_steps_to_target(0.5), 1, 1000]),
        what="step_size_sweep(L, dL, 5.0, [0.5, 1.0, 3.0])",
        case="L(w) = ½w², target 1e-5, max_iters 1000: one count per η, in the given order, "
        "each run restarted from w0 = 5 (Figure 1.6)",
    )


def test_double_well_limit_seed004(student):
    """The double well: w0 = 5, η = 0.02 settles at +1 (seed 004 §7); w0 = 2, η = 0.25 at −1."""
    for w0, eta, expected, case in [
        (5.0, 0.02, 1.0, "seed 004 §7's run: it slides into the right-hand well"),
        (2.0, 0.25, -1.0, "L'(2) = 12, so w_1 = 2 − 0.25·12 = −1 exactly: the other well"),
    ]:
        got = student.call("double_well_limit", w0, eta)
        expect_close(got, expected, what=f"double_well_limit({w0}, {eta})", case=case)
