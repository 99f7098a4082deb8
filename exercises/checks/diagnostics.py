"""Public checks for exercise ``diagnostics``: reading convergence diagnostics.

Fixed cases from the course notes, with their answers written as the numbers the seeds
print or as closed forms:

* seed 004 §5: GD on L(w) = ½w² from w0 = 5 with η = 0.5 gives w_k = 5·0.5^k,
  L(w_k) = 12.5·0.25^k and |L'(w_k)| = 5·0.5^k; the full loop prints "Iterations: 37"
  for |L'| ≤ 1e-10, i.e. a time-to-result of 36 (k = 0 is the start);
* seed 004 §8: the time-to-result of L ≤ 1e-5 is ⌈log(1e-5/12.5)/log 0.25⌉ = 11; η = 3
  doubles |w_k| (ρ = 2); η = 0.001 is slow, η = 0.5 fast;
* seed 001 §4.3/§9: on x² + 3y², η = 0.25 gives ρ = 0.5, η = 0.1 gives a gradient norm
  decaying like 0.8^k, η ≥ 0.4 diverges.

Run them with ``autograder check diagnostics``; the hidden checks draw noisy sequences,
windows, divergent runs and GD histories at random.
"""

from __future__ import annotations

import math

import numpy as np

from autograder.compare import expect_close, expect_equal, expect_true
from autograder.landscapes import Quadratic1D, QuadraticForm

EXERCISE = "diagnostics"

K41 = np.arange(41, dtype=float)
W_SEED = 5.0 * 0.5**K41  # |w_k| of seed 004 §5 (η = 0.5)
L_SEED = 12.5 * 0.25**K41  # L(w_k) = ½ w_k²
LN10 = math.log(10.0)


def _rate_mistakes(rho: float) -> dict[str, float]:
    slope = math.log(rho)
    return {
        "the slope itself (log ρ): ρ = exp(slope)": slope,
        "a log10 fit turned back with exp (use 10**slope with log10, or natural logs)": math.exp(
            slope / LN10
        ),
        "a natural-log fit turned back with 10**slope (use exp)": 10.0**slope,
    }


def test_estimate_rate(student):
    """estimate_rate: ρ = exp(slope of the least-squares line through (k, ln e_k))."""
    got = student.call("estimate_rate", W_SEED)
    expect_close(
        got,
        0.5,
        what="estimate_rate(errors)",
        case="|w_k| = 5·0.5^k from seed 004 §5 (|w| halves every step)",
        mistakes=_rate_mistakes(0.5),
    )
    got = student.call("estimate_rate", L_SEED)
    expect_close(
        got,
        0.25,
        what="estimate_rate(errors)",
        case="the losses L(w_k) = 12.5·0.25^k of the same run (ρ_L = ρ²)",
        mistakes=_rate_mistakes(0.25),
    )
    got = student.call("estimate_rate", 5.0 * 2.0 ** np.arange(20.0))
    expect_close(
        got,
        2.0,
        what="estimate_rate(errors)",
        case="seed 004 §8, η = 3: |w_k| doubles every step (ρ = 2 > 1: divergence)",
    )
    got = student.call("estimate_rate", [1.0, 0.0, 0.25, float("nan"), 0.0625])
    expect_close(
        got,
        0.5,
        what="estimate_rate(errors)",
        case="[1, 0, 0.25, nan, 0.0625]: skip the 0 and the nan, keep k = 0, 2, 4",
        mistakes={"the k of the usable entries renumbered 0, 1, 2 (k is the original index)": 0.25},
    )
    k = np.arange(81, dtype=float)
    grad_norm = np.sqrt(4.0 * 0.64**k + 36.0 * 0.16**k)  # x² + 3y², η = 0.1, from (1, 1)
    got = student.call("estimate_rate", grad_norm, 40)
    expect_close(
        got,
        0.8,
        what="estimate_rate(errors, start=40)",
        case="seed 001 §9: ‖∇L(x_k)‖ on x² + 3y² with η = 0.1, after the fast mode has died "
        "out (window errors[40:]): ρ = |1 − 0.1·2| = 0.8",
    )


def test_estimate_power(student):
    """estimate_power: p = −slope of ln e_k against ln(k + 1), k the original index."""
    k = np.arange(20, dtype=float)
    got = student.call("estimate_power", 3.0 / (k + 1.0) ** 2)
    expect_close(
        got,
        2.0,
        what="estimate_power(errors)",
        case="e_k = 3/(k+1)² (k = 0 … 19)",
        mistakes={"the slope itself: p is MINUS the log-log slope": -2.0},
    )
    e = 1.0 / (k + 1.0)
    j = np.log(np.arange(15, dtype=float) + 1.0)
    y = np.log(e[5:])
    renumbered = -float(np.polyfit(j, y, 1)[0])
    got = student.call("estimate_power", e, 5)
    expect_close(
        got,
        1.0,
        what="estimate_power(errors, start=5)",
        case="e_k = 1/(k+1), window errors[5:] (k = 5 … 19 keep their ORIGINAL index)",
        mistakes={"k renumbered from 0 inside the window": renumbered},
    )


def test_classify_convergence(student):
    """classify_convergence: "linear", "sublinear", "diverging" or "stalled", rules in order."""
    k = np.arange(20, dtype=float)
    cases = [
        (0.5**k, "linear", "e_k = 0.5^k (a straight line on a semilog plot)"),
        (1.0 / (k + 1.0), "sublinear", "e_k = 1/(k+1) (bends on a semilog plot)"),
        ([1.0, 2.0, 4.0], "diverging", "[1, 2, 4] (ends above its start)"),
        ([1.0, 1.0, 1.0], "stalled", "[1, 1, 1] (the second half removed nothing)"),
        ([1.0, float("nan"), 0.25], "diverging", "[1, nan, 0.25] (rule 1: nan/inf → diverging)"),
        ([2.0, 0.0, 3.0], "diverging", "[2, 0, 3] (rule 3, ends above its start, before rule 4)"),
        ([2.0, 0.0, 0.0], "linear", "[2, 0, 0] (rule 4: the minimiser was hit exactly, ρ = 0)"),
    ]
    k61 = np.arange(61, dtype=float)
    for eta, label in ((0.3, "linear"), (0.4, "diverging")):
        dist = np.hypot((1.0 - 2.0 * eta) ** k61, (1.0 - 6.0 * eta) ** k61)
        cases.append(
            (
                dist,
                label,
                f"seed 001 §4.3: ‖x_k‖ for GD on x² + 3y² from (1, 1), η = {eta} (2/λmax = 1/3)",
            )
        )
    for errors, label, text in cases:
        got = student.call("classify_convergence", errors)
        expect_equal(got, label, what="classify_convergence(errors)", case=text)


def test_time_to_result(student):
    """time_to_result: the first k with e_k ≤ target (k = 0 is the start), −1 if never."""
    got = student.call("time_to_result", 12.5 * 0.25 ** np.arange(20.0), 1e-5)
    expect_equal(
        got,
        11,
        what="time_to_result(errors, 1e-5)",
        case="seed 004 §8: L(w_k) = 12.5·0.25^k, ⌈log(1e-5/12.5)/log 0.25⌉ = 11",
        mistakes={"an off-by-one: k counts updates, e_0 is step 0": 12},
    )
    got = student.call("time_to_result", W_SEED, 1e-10)
    expect_equal(
        got,
        36,
        what="time_to_result(errors, 1e-10)",
        case="seed 004 §5: |L'(w_k)| = 5·0.5^k ≤ 1e-10 first at k = 36 (the loop prints "
        "'Iterations: 37' because it also logs k = 0)",
        mistakes={"the number of logged rows (37), not the step index": 37},
    )
    got = student.call("time_to_result", [1.0, 2.0, 4.0], 0.5)
    expect_equal(
        got, -1, what="time_to_result(errors, 0.5)", case="[1, 2, 4]: never reached, so −1"
    )
    got = student.call("time_to_result", [3.0, 1.0], 3.0)
    expect_equal(
        got,
        0,
        what="time_to_result(errors, 3.0)",
        case="[3, 1] with target 3: e_0 ≤ target already (≤, not <)",
    )


def test_gd_history(student):
    """gd_history: k, x_k, L(x_k), ‖∇L(x_k)‖ for k = 0 … n, the start point included."""
    q = Quadratic1D(lam=1.0)
    got = student.call("gd_history", q.grad, q.loss, 5.0, 0.5, 10)
    keys = ["L", "grad_norm", "k", "x"]
    expect_true(
        isinstance(got, dict) and sorted(got) == keys,
        f"gd_history must return a dict with exactly the keys {keys}; got "
        f"{sorted(got) if isinstance(got, dict) else type(got).__name__}",
    )
    k = np.arange(11)
    case = "seed 004 §5: L(w) = ½w², w0 = 5, η = 0.5, 10 steps (the printed table)"
    expect_close(got["k"], k, what='gd_history(...)["k"]', case=case)
    expect_close(got["x"], 5.0 * 0.5**k, what='gd_history(...)["x"]', case=case)
    expect_close(got["L"], 12.5 * 0.25**k, what='gd_history(...)["L"]', case=case)
    expect_close(
        got["grad_norm"],
        5.0 * 0.5**k,
        what='gd_history(...)["grad_norm"]',
        case=case,
        mistakes={"|L'|² instead of |L'|": 25.0 * 0.25**k},
    )
    bowl = QuadraticForm.diagonal([2.0, 6.0])
    got = student.call("gd_history", bowl.grad, bowl.loss, np.array([1.0, 1.0]), 0.25, 3)
    k = np.arange(4)
    case = "seed 001 §4.3: x² + 3y² from (1, 1) with η* = 0.25, 3 steps"
    expect_close(
        got["x"], np.stack([0.5**k, (-0.5) ** k], axis=1), what='gd_history(...)["x"]', case=case
    )
    expect_close(got["L"], 4.0 * 0.25**k, what='gd_history(...)["L"]', case=case)
    expect_close(
        got["grad_norm"],
        math.sqrt(40.0) * 0.5**k,
        what='gd_history(...)["grad_norm"]',
        case=case + ": ∇L = (2x, 6y)",
    )


def test_diagnose_loss_curve(student):
    """diagnose_loss_curve: the seed 001 §9 table, first matching rule wins."""
    k = np.arange(51, dtype=float)
    osc_first = {
        "rule 2 (oscillating) checked before rule 1 (ended above the start)": "oscillating"
    }
    cases = [
        (12.5 * 0.998**k, {}, "too_small_lr", "seed 004 §8, η = 0.001: L_k = 12.5·(1 − η)^(2k)"),
        (12.5 * 0.25**k, {}, "healthy", "seed 004 §8, η = 0.5: L_k = 12.5·0.25^k"),
        (12.5 * 4.0**k, {}, "diverging", "seed 004 §8, η = 3: L_k = 12.5·4^k"),
        ([4.0, 2.0, 1.0, 1.0, 1.0], {}, "plateau", "[4, 2, 1, 1, 1] (progress stopped high)"),
        (
            [4.0, 2.0, 3.0, 1.5, 2.5, 1.0, 2.0, 0.8],
            {},
            "oscillating",
            "[4, 2, 3, 1.5, 2.5, 1, 2, 0.8] (goes up 3 times in 7 steps)",
        ),
        (1.0 + 4.0 * 0.5 ** k[:30], {}, "plateau", "1 + 4·0.5^k with floor = 0 (levels off at 1)"),
        (
            1.0 + 4.0 * 0.5 ** k[:30],
            {"floor": 1.0},
            "healthy",
            "1 + 4·0.5^k with floor = 1 = L* (the gap g_k = L_k − 1 vanishes)",
        ),
    ]
    mistakes = {
        "healthy": {"the floor ignored: the rules use the gaps g_k = L_k − floor": "plateau"},
        "diverging": osc_first,
    }
    for losses, kwargs, label, text in cases:
        got = student.call("diagnose_loss_curve", losses, **kwargs)
        expect_equal(
            got, label, what="diagnose_loss_curve(losses)", case=text, mistakes=mistakes.get(label)
        )
