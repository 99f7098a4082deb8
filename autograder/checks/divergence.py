"""Hidden checks for exercise ``divergence`` (the divergence threshold η_max = 2/λmax).

Inputs are drawn from ``rng`` around the regimes the exercise is about: η just below and
just above 2/λmax (where a finite run is often "undecided"), far above it (overflow),
random non-diagonal symmetric Hessians, saddles with strong negative curvature, λmax ≤ 0,
exact boundaries of the strict tests, scalar (1-D) problems and float32 inputs.

Expected values come from ``reference.divergence``, except for the two autograd
functions: their expected values are computed from the landscapes' analytic Hessians
with the reference's exact algorithm (``_power_iteration`` mirrors
``reference.divergence.power_iteration_lambda_max`` step by step), so the grader never
imports torch; tests/checks/test_divergence_checks.py proves the mirrors equal to the
reference. To keep correct submissions cheap, the text of a case and the results of the
recognised mistakes are only computed once an answer is already wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from autograder.compare import expect_close, expect_equal, expect_true
from autograder.config import Tolerance
from autograder.engine.student import Args
from autograder.errors import StudentCodeError, WrongAnswer
from autograder.landscapes import DoubleWell, QuadraticForm, Rosenbrock
from reference import divergence as ref

EXERCISE = "divergence"

_F32 = Tolerance(rtol=1e-4, atol=1e-6)

Text = str | Callable[[], str]
"""A case description, or a function that writes it (called only when a case fails)."""


# ---------------------------------------------------------------- helpers


def _text(case: Text) -> str:
    return case() if callable(case) else case


def _close(
    got: Any,
    expected: Any,
    *,
    what: str,
    case: Text,
    mistakes: Callable[[], dict[str, Any]] | None = None,
    tolerance: Tolerance | None = None,
) -> None:
    """``expect_close``; the case text and the mistakes are computed only on failure."""
    try:
        expect_close(got, expected, what=what, case="", tolerance=tolerance)
    except WrongAnswer:
        named = mistakes() if mistakes else None
        expect_close(
            got, expected, what=what, case=_text(case), mistakes=named, tolerance=tolerance
        )
        raise


def _equal(
    got: Any,
    expected: Any,
    *,
    what: str,
    case: Text,
    mistakes: Callable[[], dict[str, Any]] | dict[str, Any] | None = None,
) -> None:
    """``expect_equal``, naming only the mistakes whose value differs from the answer."""
    try:
        expect_equal(got, expected, what=what, case="")
    except WrongAnswer:
        found = (mistakes() if callable(mistakes) else mistakes) or {}
        named = {k: v for k, v in found.items() if v != expected}
        expect_equal(got, expected, what=what, case=_text(case), mistakes=named)
        raise


def _bool(got: Any) -> Any:
    """A NumPy bool is accepted as a bool (the decoded value of ``np.bool_``)."""
    return bool(got) if isinstance(got, np.bool_) else got


def _sym(rng: np.random.Generator, eigs: Any) -> np.ndarray:
    """A random non-diagonal symmetric matrix with the given eigenvalues."""
    lam = np.asarray(eigs, dtype=float)
    q, r = np.linalg.qr(rng.standard_normal((lam.shape[0], lam.shape[0])))
    q = q * np.sign(np.diag(r))
    a = (q * lam) @ q.T
    return 0.5 * (a + a.T)


def _fmt(x: Any) -> str:
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        return f"{float(arr):.6g}"
    return np.array2string(arr, precision=4, separator=", ")


def _eigs(a: Any) -> str:
    lam = np.linalg.eigvalsh(np.atleast_2d(np.asarray(a, dtype=float)))
    return "eigenvalues " + ", ".join(f"{v:.4g}" for v in lam)


def _problem(a: Any, x0: Any) -> str:
    name = "λ" if np.ndim(a) == 0 else "A"
    return f"{name} = {_fmt(a)} ({_eigs(a)}), x0 = {_fmt(x0)}"


def _raises_value_error(call: Callable[[], Any], *, what: str, case: Text, why: str) -> None:
    """The contract REQUIRES a ValueError: returning anything, or another error, fails."""
    try:
        got = call()
    except StudentCodeError as exc:
        if exc.exc_type == "ValueError":
            return
        if exc.exc_type == "NotImplementedError":
            raise
        raise WrongAnswer(
            f"{what} should raise ValueError for {_text(case)} ({why}), but it raised "
            f"{exc.exc_type or 'an error'} instead."
        ) from None
    shown = _fmt(got) if isinstance(got, (int, float)) else repr(got)[:80]
    raise WrongAnswer(
        f"{what} should raise ValueError for {_text(case)} ({why}), but it returned {shown}."
    )


# ---------------------------------------------------------------- is_divergent


@pytest.mark.weight(1)
def test_is_divergent(student, rng, credit):
    """is_divergent: strict factor test on ‖xₖ − x*‖, NaN/inf iterates, d₀ = 0."""
    what = "is_divergent(trajectory, x_star, factor)"
    d = int(rng.integers(2, 4))
    u = rng.standard_normal(d)
    origin = np.zeros(d)
    m = int(rng.integers(3, 7))
    scale = float(rng.uniform(2.0, 9.0)) * 1e6
    star = rng.uniform(20.0, 60.0, d) * rng.choice([-1.0, 1.0], d)
    r = -float(rng.uniform(20.0, 80.0))
    cases: list[tuple[Any, Any, dict[str, float], str, dict[str, bool]]] = [
        # d_m = 2^m·d₀ exactly with factor 2^m: NOT divergent (strict >)
        (
            np.array([u * (-2.0) ** k for k in range(m + 1)]),
            origin,
            {"factor": 2.0**m},
            f"a run whose last distance is exactly factor·d₀ (factor = {2**m})",
            {"using ≥ instead of the strict > (dₖ = factor·d₀ is not divergent)": True},
        ),
        (
            np.array([u, 3.0 * u, -scale * u, 0.5 * u]),
            origin,
            {},
            f"a run that reaches {scale:.3g}·d₀ at row 2 and comes back (default factor 10⁶)",
            {"testing only the last iterate instead of every row": False},
        ),
        (
            np.array([np.full(d, 1e-6), 0.5 * star, star + 1e-3]),
            star,
            {},
            f"a run from ≈0 towards x* = {_fmt(star)}",
            {"measuring ‖xₖ‖ instead of the distance ‖xₖ − x*‖": True},
        ),
        (
            np.array([star, star + 1e-3 * u, star - 2e-3 * u]),
            star,
            {},
            "a finite run that starts exactly at x* (d₀ = 0)",
            {
                "dividing by d₀ = 0 (or testing dₖ > factor·0): with d₀ = 0 only NaN/inf "
                "iterates count": True
            },
        ),
        (
            np.array([1.0, r, r * r, np.nan, np.nan], dtype=np.float32),
            0.0,
            {"factor": 1e30},
            "a float32 1-D run whose rows 3–4 are NaN (factor = 1e30)",
            {"missing the NaN test (NaN > factor·d₀ is False)": False},
        ),
        (
            np.array([[np.inf] + [1.0] * (d - 1), list(u)]),
            origin,
            {},
            "a run whose start row contains inf",
            {"ignoring a non-finite start row": False},
        ),
        (
            np.array([u, 1e200 * u, -1e300 * u]),
            origin,
            {"factor": float("inf")},
            "huge but finite iterates with factor = inf",
            {"ignoring the factor argument (or mishandling factor = inf)": True},
        ),
    ]
    outcomes = student.call_many(
        "is_divergent", [Args(traj, x_star, **kw) for traj, x_star, kw, _, _ in cases]
    )
    for (traj, x_star, kw, label, mistakes), outcome in zip(cases, outcomes, strict=True):
        with credit.case(student_errors=True):
            got = _bool(outcome.get())
            expected = ref.is_divergent(traj, x_star, kw.get("factor", 1e6))
            _equal(got, expected, what=what, case=label, mistakes=mistakes)
    credit.finish()


# ---------------------------------------------------------------- divergence_threshold


def _threshold_mistakes(h: Any) -> dict[str, Any]:
    a = np.atleast_2d(np.asarray(h, dtype=float))
    lam = np.linalg.eigvalsh(a)
    big = lam[np.argmax(np.abs(lam))]
    with np.errstate(divide="ignore"):
        return {
            "1/λmax instead of 2/λmax (the fastest-descent step, not the stability limit)": 1.0
            / lam[-1],
            "2/λmin instead of 2/λmax: the steepest direction sets the limit": 2.0 / lam[0],
            "2/|λ| of the eigenvalue largest in magnitude: a negative eigenvalue does not "
            "bound η, only λmax > 0 does": 2.0 / abs(big),
            "reading λmax off the diagonal (only valid for diagonal matrices; use eigvalsh)": 2.0
            / np.max(np.diag(a)),
            "2/trace(H): the trace is the SUM of the eigenvalues": 2.0 / np.trace(a),
        }


@pytest.mark.weight(2)
def test_divergence_threshold(student, rng, credit):
    """divergence_threshold: 2/λmax of non-diagonal Hessians, saddles, curvatures, float32."""
    what = "divergence_threshold(hessian)"
    d = int(rng.integers(3, 5))
    spread = np.geomspace(1.0, float(rng.uniform(20.0, 200.0)), d)
    top = float(rng.uniform(1.0, 4.0))
    saddle = [-float(rng.uniform(2.0, 4.0)) * top, float(rng.uniform(0.1, 0.9)) * top, top]
    h32 = _sym(rng, rng.uniform(0.5, 6.0, 2)).astype(np.float32)
    cases: list[tuple[Any, str]] = [
        (
            _sym(rng, np.sort(rng.uniform(0.2, 2.0, d)) * spread),
            f"a non-diagonal {d}×{d} SPD Hessian with κ ≫ 1",
        ),
        (_sym(rng, saddle), "a saddle with |λmin| > λmax (strong negative curvature)"),
        (float(rng.uniform(0.5, 300.0)), "a scalar curvature λ (1-D)"),
        (0.5 * (h32 + h32.T), "a float32 2×2 SPD Hessian"),
    ]
    outcomes = student.call_many("divergence_threshold", [(h,) for h, _ in cases])
    for (h, label), outcome in zip(cases, outcomes, strict=True):
        with credit.case(student_errors=True):
            got = outcome.get()
            is32 = isinstance(h, np.ndarray) and h.dtype == np.float32
            case = lambda h=h, label=label: f"{label}: H = {_fmt(h)} ({_eigs(h)})"  # noqa: E731
            _close(
                got,
                ref.divergence_threshold(h),
                what=what,
                case=case,
                mistakes=lambda h=h: _threshold_mistakes(h),
                tolerance=_F32 if is32 else None,
            )
            expect_true(
                isinstance(got, (float, np.floating)),
                f"{what} should return a float, got {type(got).__name__}.",
            )
    credit.finish()


@pytest.mark.weight(1)
def test_divergence_threshold_raises_without_threshold(student, rng, credit):
    """divergence_threshold raises ValueError when λmax ≤ 0 (no step size contracts)."""
    neg = _sym(rng, -rng.uniform(0.5, 5.0, 2))
    cases = [
        (neg, lambda: f"the negative definite Hessian {_fmt(neg)} ({_eigs(neg)})"),
        (np.zeros((3, 3)), "the zero 3×3 Hessian (λmax = 0 exactly)"),
    ]
    why = (
        "λmax ≤ 0: |1 − ηλ| ≥ 1 for every η > 0, so no step size contracts and there is "
        "no finite threshold; returning a number would hide that"
    )
    outcomes = student.call_many("divergence_threshold", [(h,) for h, _ in cases])
    for (_, label), outcome in zip(cases, outcomes, strict=True):
        with credit.case(student_errors=True):
            _raises_value_error(
                outcome.get,
                what="divergence_threshold(hessian)",
                case=label,
                why=why,
            )
    credit.finish()


# ---------------------------------------------------------------- gd_quadratic


def _gd_variants(a: Any, x0: Any, lr: float, n: int) -> dict[str, Any]:
    aa, x = np.atleast_2d(np.asarray(a, dtype=float)), np.atleast_1d(np.array(x0, dtype=float))
    plus, last = [x.copy()], x.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n):
            plus.append(plus[-1] + lr * (aa @ plus[-1]))
            last = last - lr * (aa @ last)
    p, alias = np.array(plus), np.array([last] * (n + 1))
    if np.ndim(a) == 0:
        p, alias = p[:, 0], alias[:, 0]
    return {
        "a sign error (x + η·A x is gradient ASCENT)": p,
        "every row is the final iterate: one array was updated in place and appended each "
        "step (append a copy)": alias,
    }


def _compare_run(
    got: Any, expected: np.ndarray, *, what: str, case: Text, mistakes: Callable[[], dict[str, Any]]
) -> None:
    """A trajectory compared up to |x| = 1e300; beyond, it must stay overflowed.

    Two correct formulas may overflow one step apart right at the float64 limit, so rows
    past 1e300 are only required to be huge (> 1e290) or non-finite.
    """
    rows = expected.reshape(expected.shape[0], -1)
    with np.errstate(invalid="ignore"):
        huge = ~np.all(np.isfinite(rows) & (np.abs(rows) < 1e300), axis=1)
    if not huge.any() or np.shape(got) != expected.shape:
        _close(got, expected, what=what, case=case, mistakes=mistakes)
        return
    cut = int(np.argmax(huge))
    _close(
        np.asarray(got)[:cut],
        expected[:cut],
        what=what,
        case=case,
        mistakes=lambda: {k: v[:cut] for k, v in mistakes().items()},
    )
    tail = np.asarray(got, dtype=float)[cut:].reshape(expected.shape[0] - cut, -1)
    with np.errstate(invalid="ignore"):
        blown = ~np.all(np.isfinite(tail) & (np.abs(tail) < 1e290), axis=1)
    if not blown.all():
        k = int(np.argmin(blown))
        raise WrongAnswer(
            f"{what} is wrong for {_text(case)}: from iterate {cut} on the run "
            f"has overflowed (|x| > 1e300, then inf/NaN), but your iterate "
            f"{cut + k} is back to {_fmt(tail[k])}."
        )


@pytest.mark.weight(1)
def test_gd_quadratic(student, rng, credit):
    """gd_quadratic: runs on ½xᵀAx just above 2/λmax, overflowing, 1-D, on a saddle, float32."""
    what = "gd_quadratic(A, x0, lr, n_steps)"
    d = int(rng.integers(2, 4))
    a = _sym(rng, rng.uniform(0.5, 8.0, d))
    t = 2.0 / float(np.linalg.eigvalsh(a)[-1])
    lam = float(rng.uniform(0.5, 10.0))
    sad = _sym(rng, [-float(rng.uniform(0.5, 2.0)), float(rng.uniform(1.0, 3.0))])
    cases: list[tuple[Any, Any, float, int, str]] = [
        (
            a,
            rng.standard_normal(d),
            1.03 * t,
            int(rng.integers(25, 40)),
            "η = 1.03·2/λmax (just above: slow oscillating growth)",
        ),
        (
            a,
            rng.standard_normal(d),
            5000.0 * t,
            100,
            "η = 5000·2/λmax (overflows to inf/NaN: must not raise)",
        ),
        (
            lam,
            float(rng.uniform(-5.0, 5.0)),
            float(rng.uniform(1.05, 1.95)) / lam,
            int(rng.integers(5, 15)),
            "a scalar curvature (1-D), 1/λ < η < 2/λ",
        ),
        (
            sad.astype(np.float32),
            rng.standard_normal(2).astype(np.float32),
            float(rng.uniform(0.1, 0.3)),
            12,
            "float32 A and x0 on a saddle (negative curvature: escapes at any η)",
        ),
        (a, rng.standard_normal(d), 0.5 * t, 0, "n_steps = 0"),
    ]
    outcomes = student.call_many("gd_quadratic", [(a_, x0, lr, n) for a_, x0, lr, n, _ in cases])
    for (a_, x0, lr, n, label), outcome in zip(cases, outcomes, strict=True):
        with credit.case(student_errors=True):
            got = outcome.get()
            case = lambda a_=a_, x0=x0, lr=lr, n=n, label=label: (  # noqa: E731
                f"{label}: {_problem(a_, x0)}, η = {lr:.6g}, n_steps = {n}"
            )
            _compare_run(
                got,
                ref.gd_quadratic(a_, x0, lr, n),
                what=what,
                case=case,
                mistakes=lambda a_=a_, x0=x0, lr=lr, n=n: _gd_variants(a_, x0, lr, n),
            )
    credit.finish()


# ---------------------------------------------------------------- classify_run


def _verdicts(a: Any, x0: Any, lr: float, n: int, factor: float, rtol: float) -> dict[str, str]:
    """What the common wrong classifiers answer, keyed by the mistake."""
    traj = ref.gd_quadratic(a, x0, lr, n)
    rows = traj.reshape(traj.shape[0], -1)
    conv = bool(np.linalg.norm(rows[-1]) <= rtol * np.linalg.norm(rows[0]))
    div = ref.is_divergent(traj, 0.0, factor)
    lam_max = float(np.linalg.eigvalsh(np.atleast_2d(np.asarray(a, dtype=float)))[-1])
    last_only = ref.is_divergent(traj[[0, -1]], 0.0, factor)
    return {
        "a verdict from η vs 2/λmax instead of the finite run (a finite run near the "
        "threshold, or on a saddle, is often neither converged nor visibly diverged)": "converged"
        if 0 < lr < 2.0 / lam_max
        else "diverged",
        "testing convergence before divergence (the order is: diverged, converged, "
        "undecided)": "converged" if conv else ("diverged" if div else "undecided"),
        "testing divergence on the last iterate only": "diverged"
        if last_only
        else ("converged" if conv else "undecided"),
        "ignoring the factor argument (using 10⁶)": "diverged"
        if ref.is_divergent(traj, 0.0)
        else ("converged" if conv else "undecided"),
    }


@pytest.mark.weight(2)
def test_classify_run(student, rng, credit):
    """classify_run: converged / diverged / undecided near 2/λmax, at x*, on a saddle."""
    what = "classify_run(A, x0, lr, n_steps, factor, rtol)"
    d = int(rng.integers(2, 4))
    a = _sym(rng, rng.uniform(1.0, 3.0, d))
    t = 2.0 / float(np.linalg.eigvalsh(a)[-1])
    x0 = rng.standard_normal(d)
    sad = _sym(rng, [-float(rng.uniform(0.4, 0.7)), float(rng.uniform(1.0, 2.0))])
    lam = float(rng.uniform(0.5, 10.0))
    cases: list[tuple[Any, Any, float, dict[str, Any], str]] = [
        (a, x0, 0.9 * t, {}, "η = 0.9·2/λmax"),
        (a, x0, 0.995 * t, {}, "η = 0.995·2/λmax (just below, 100 steps)"),
        (a, x0, 1.01 * t, {}, "η = 1.01·2/λmax (just above, 100 steps)"),
        (a, np.zeros(d), 0.5 * t, {}, "x0 = x* = 0"),
        (
            a,
            x0,
            1.3 * t,
            {"n_steps": 30, "factor": 10.0, "rtol": 1e9},
            "η = 1.3·2/λmax, n_steps = 30, factor = 10, rtol = 1e9",
        ),
        (
            sad,
            rng.standard_normal(2),
            float(rng.uniform(0.6, 0.9)),
            {},
            "a saddle (negative curvature) with η < 2/λmax",
        ),
        (
            lam,
            float(rng.uniform(0.5, 3.0)) * float(rng.choice([-1.0, 1.0])),
            2.3 / lam,
            {"n_steps": 60, "factor": float("inf")},
            "a scalar curvature, η = 2.3/λ, n_steps = 60, factor = inf",
        ),
    ]
    outcomes = student.call_many(
        "classify_run", [Args(a_, x_, lr, **kw) for a_, x_, lr, kw, _ in cases]
    )
    for (a_, x_, lr, kw, label), outcome in zip(cases, outcomes, strict=True):
        with credit.case(student_errors=True):
            got = outcome.get()
            n, f, r = kw.get("n_steps", 100), kw.get("factor", 1e6), kw.get("rtol", 1e-6)
            case = lambda a_=a_, x_=x_, lr=lr, label=label: (  # noqa: E731
                f"{label}: {_problem(a_, x_)}, η = {lr:.6g}"
            )
            _equal(
                got,
                ref.classify_run(a_, x_, lr, n, f, r),
                what=what,
                case=case,
                mistakes=lambda a_=a_, x_=x_, lr=lr, n=n, f=f, r=r: _verdicts(a_, x_, lr, n, f, r),
            )
    credit.finish()


# ---------------------------------------------------------------- bisect_threshold


def _bisect(
    a: Any,
    x0: Any,
    lo: float,
    hi: float,
    n: int,
    tol: float,
    factor: float,
    *,
    undecided_diverges: bool = False,
    ge: bool = False,
) -> tuple[float, float]:
    """The bisection of the contract, with switches for two common wrong variants."""

    def bad(eta: float) -> bool:
        verdict = ref.classify_run(a, x0, eta, n, factor)
        return verdict != "converged" if undecided_diverges else verdict == "diverged"

    while (hi - lo >= tol) if ge else (hi - lo > tol):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if bad(mid):
            hi = mid
        else:
            lo = mid
    return lo, hi


def _bisect_mistakes(
    a: Any,
    x0: Any,
    lo: float,
    hi: float,
    n: int,
    tol: float,
    factor: float,
    expected: tuple[float, float],
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "the midpoint of the bracket: return the bracket (lo, hi) itself, it carries its "
        "own error bar": 0.5 * (expected[0] + expected[1]),
        "the bracket reversed: return (lo, hi) with lo not diverged, hi diverged": (
            expected[1],
            expected[0],
        ),
        "one bisection step too many: loop while hi − lo > tol (strict), not ≥": _bisect(
            a, x0, lo, hi, n, tol, factor, ge=True
        ),
        "counting 'undecided' runs as diverged (only 'diverged' is diverged)": _bisect(
            a, x0, lo, hi, n, tol, factor, undecided_diverges=True
        ),
        "ignoring the n_steps argument (running the default 100 steps)": _bisect(
            a, x0, lo, hi, 100, tol, factor
        ),
    }
    if factor != 1e6:
        out["ignoring the factor argument"] = _bisect(a, x0, lo, hi, n, tol, 1e6)
    return out


@pytest.mark.weight(2)
def test_bisect_threshold(student, rng, credit):
    """bisect_threshold: the exact bracket of the contract's bisection on η."""
    what = "bisect_threshold(A, x0, lo, hi, n_steps, tol, factor)"
    # a dyadic bracket with hi − lo = 2⁵·tol, so the loop condition (> vs ≥) matters; the
    # run at lo converges within 30 steps, so "undecided" verdicts only appear inside
    a = _sym(rng, [float(rng.uniform(0.8, 1.2)), float(rng.uniform(1.6, 3.0))])
    b = _sym(rng, np.sort(rng.uniform(0.1, 1.0, 3)) * [1.0, 3.0, 10.0])
    t = 2.0 / float(np.linalg.eigvalsh(b)[-1])
    cases = [
        (a, rng.standard_normal(2), 0.5, 2.0, 30, 1.5 / 32, 1e6, "hi − lo = 32·tol"),
        (
            b,
            rng.standard_normal(3),
            0.5 * t,
            1.5 * t,
            40,
            0.01 * t,
            1e3,
            "a non-diagonal 3×3 SPD A, factor = 1e3",
        ),
    ]
    outcomes = student.call_many(
        "bisect_threshold",
        [
            Args(a_, x0, lo, hi, n_steps=n, tol=tol, factor=f)
            for a_, x0, lo, hi, n, tol, f, _ in cases
        ],
    )
    for (a_, x0, lo, hi, n, tol, f, label), outcome in zip(cases, outcomes, strict=True):
        with credit.case(student_errors=True):
            got = outcome.get()
            expected = ref.bisect_threshold(a_, x0, lo, hi, n, tol, f)
            case = lambda a_=a_, x0=x0, lo=lo, hi=hi, n=n, tol=tol, f=f, label=label: (  # noqa: E731
                f"{label}: {_problem(a_, x0)}, lo = {lo:.6g}, hi = {hi:.6g}, n_steps = {n}, "
                f"tol = {tol:.6g}, factor = {f:g} (2/λmax = {ref.divergence_threshold(a_):.6g})"
            )
            _close(
                got,
                expected,
                what=what,
                case=case,
                mistakes=lambda a_=a_, x0=x0, lo=lo, hi=hi, n=n, tol=tol, f=f, e=expected: (
                    _bisect_mistakes(a_, x0, lo, hi, n, tol, f, e)
                ),
            )
    credit.finish()


@pytest.mark.weight(1)
def test_bisect_threshold_rejects_bad_brackets(student, rng, credit):
    """bisect_threshold raises ValueError unless lo does not diverge and hi does."""
    a = _sym(rng, [float(rng.uniform(0.5, 1.0)), float(rng.uniform(1.5, 3.0))])
    t = 2.0 / float(np.linalg.eigvalsh(a)[-1])
    x0 = rng.standard_normal(2)
    cases = [
        (
            1.5 * t,
            3.0 * t,
            "lo = 1.5·2/λmax, hi = 3·2/λmax",
            "the run at lo already diverges, so the threshold is not in the bracket",
        ),
        (
            0.2 * t,
            0.9 * t,
            "lo = 0.2·2/λmax, hi = 0.9·2/λmax",
            "the run at hi does not diverge, so the threshold is not in the bracket",
        ),
    ]
    outcomes = student.call_many(
        "bisect_threshold", [Args(a, x0, lo, hi, n_steps=40) for lo, hi, _, _ in cases]
    )
    for (_, _, label, why), outcome in zip(cases, outcomes, strict=True):
        with credit.case(student_errors=True):
            _raises_value_error(
                outcome.get,
                what="bisect_threshold(A, x0, lo, hi, n_steps)",
                case=lambda label=label: f"{label}, {_problem(a, x0)}, n_steps = 40",
                why=why,
            )
    credit.finish()


# ---------------------------------------------------------------- autograd: HVP, power iteration


def _hessian(land: Any, x: np.ndarray) -> np.ndarray:
    """The analytic Hessian of a landscape at x, as a (d, d) matrix."""
    if isinstance(land, DoubleWell):
        return np.array([[6.0 * float(x[0]) ** 2 - 2.0]])
    return np.atleast_2d(np.asarray(land.hessian(x), dtype=float))


def _power_iteration(
    h: np.ndarray, seed: int, n_iters: int, *, uniform: bool = False, norm_only: bool = False
) -> float:
    """reference.divergence.power_iteration_lambda_max with H·v = h @ v (and wrong variants)."""
    gen = np.random.default_rng(seed)
    g = gen.random(h.shape[0]) if uniform else gen.standard_normal(h.shape[0])
    v = g / np.linalg.norm(g)
    for _ in range(n_iters):
        w = h @ v
        norm = float(np.linalg.norm(w))
        if norm == 0.0:
            return 0.0
        v = w / norm
    return float(np.linalg.norm(h @ v)) if norm_only else float(v @ (h @ v))


def _power_mistakes(h: np.ndarray, seed: int, n: int) -> dict[str, Any]:
    step = "(exactly n_iters normalised HVPs, then the Rayleigh quotient vₙᵀHvₙ)"
    with np.errstate(all="ignore"):
        out: dict[str, Any] = {
            "‖H vₙ‖ instead of the Rayleigh quotient vₙᵀ H vₙ: the norm loses the sign "
            "(negative curvature) and is not the eigenvalue estimate": _power_iteration(
                h, seed, n, norm_only=True
            ),
            f"one power step too many {step}": _power_iteration(h, seed, n + 1),
            "v₀ drawn with rng.random (uniform) instead of rng.standard_normal": _power_iteration(
                h, seed, n, uniform=True
            ),
            "ignoring the rng you were given (v₀ from a new default_rng(0))": _power_iteration(
                h, 0, n
            ),
        }
        if n > 0:
            out[f"one power step too few {step}"] = _power_iteration(h, seed, n - 1)
        else:
            g = np.random.default_rng(seed).standard_normal(h.shape[0])
            out["v₀ = g not normalised (v₀ = g/‖g‖)"] = float(g @ h @ g)
        if not np.any(h):
            out["dividing by ‖H v‖ = 0 (return 0.0 when H v = 0)"] = float("nan")
        return out


@pytest.mark.weight(1)
def test_hessian_vector_product(student, rng, credit):
    """hessian_vector_product: H(x)·v by double backward on a quadratic, Rosenbrock, 1-D."""
    what = "hessian_vector_product(loss, x, v)"
    d = int(rng.integers(2, 4))
    quad = QuadraticForm(
        A=tuple(map(tuple, _sym(rng, rng.uniform(-2.0, 6.0, d)))), b=tuple(rng.standard_normal(d))
    )
    cases: list[tuple[Any, Any, Any, str]] = [
        (
            quad,
            rng.standard_normal(d),
            rng.standard_normal(d),
            "a non-diagonal quadratic form ½xᵀAx − bᵀx (H = A)",
        ),
        (
            Rosenbrock(),
            np.array([rng.uniform(-1.5, 1.5), rng.uniform(-0.5, 2.0)]),
            rng.standard_normal(2),
            "the Rosenbrock function (H depends on x)",
        ),
        (
            DoubleWell(),
            [float(rng.uniform(-2.0, 2.0))],
            [float(rng.uniform(0.5, 2.0))],
            "the double well ½(w² − 1)² with x of shape (1,) (x and v sent as lists)",
        ),
    ]
    outcomes = student.call_many(
        "hessian_vector_product", [(land.loss, x, v) for land, x, v, _ in cases]
    )
    for (land, x, v, label), outcome in zip(cases, outcomes, strict=True):
        with credit.case(student_errors=True):
            got = outcome.get()
            xa, va = np.asarray(x, dtype=float), np.asarray(v, dtype=float)
            h = _hessian(land, xa)

            def mistakes(
                land: Any = land, xa: np.ndarray = xa, va: np.ndarray = va
            ) -> dict[str, Any]:
                grad = np.atleast_1d(np.asarray(land.grad(xa), dtype=float))
                return {
                    "zeros: the first gradient was taken without create_graph=True, so it "
                    "cannot be differentiated again": np.zeros_like(xa),
                    "the gradient ∇L(x) instead of H(x)·v": grad,
                    "the gradient dotted with v (∇L·v) instead of its gradient": np.full_like(
                        xa, float(grad @ va)
                    ),
                    "H(v)·x: x and v swapped": _hessian(land, va) @ xa,
                }

            _close(
                got,
                h @ va,
                what=what,
                case=lambda label=label, xa=xa, va=va, h=h: (
                    f"{label}, x = {_fmt(xa)}, v = {_fmt(va)} (H(x) has {_eigs(h)})"
                ),
                mistakes=mistakes,
            )
    credit.finish()


@pytest.mark.weight(2)
def test_power_iteration_lambda_max(student, rng, credit):
    """power_iteration_lambda_max: the contract's steps with the given rng, sign included."""
    what = "power_iteration_lambda_max(loss, x, rng, n_iters)"
    d = int(rng.integers(3, 5))
    top = float(rng.uniform(2.0, 10.0))
    eigs = np.concatenate(
        [[top, top * float(rng.uniform(0.75, 0.85))], rng.uniform(0.05, 0.5, d - 2) * top]
    )
    spd = QuadraticForm(A=tuple(map(tuple, _sym(rng, eigs))))
    sad = QuadraticForm(
        A=tuple(
            map(
                tuple,
                _sym(
                    rng,
                    [
                        -float(rng.uniform(6.0, 9.0)),
                        float(rng.uniform(2.0, 4.0)),
                        float(rng.uniform(0.2, 1.0)),
                    ],
                ),
            )
        )
    )
    w_top = float(rng.uniform(0.05, 0.5)) * float(rng.choice([-1.0, 1.0]))
    flat = QuadraticForm(A=((0.0, 0.0), (0.0, 0.0)), b=tuple(rng.standard_normal(2)))
    cases: list[tuple[Any, np.ndarray, int, str]] = [
        (
            spd,
            rng.standard_normal(d),
            int(rng.integers(3, 6)),
            "an SPD quadratic form with a small eigen-gap",
        ),
        (
            sad,
            rng.standard_normal(3),
            int(rng.integers(4, 7)),
            "a saddle with |λmin| > λmax: the estimate is negative",
        ),
        (spd, rng.standard_normal(d), 0, "n_iters = 0 (the Rayleigh quotient of v₀)"),
        (
            DoubleWell(),
            np.array([w_top]),
            1,
            "the double well near its top (L''(w) < 0, x of shape (1,))",
        ),
        (flat, rng.standard_normal(2), 3, "a zero Hessian (H v = 0: return 0.0)"),
    ]
    seeds = [int(rng.integers(2**32)) for _ in cases]
    outcomes = student.call_many(
        "power_iteration_lambda_max",
        [
            Args(land.loss, x, np.random.default_rng(seed), n_iters=n)
            for (land, x, n, _), seed in zip(cases, seeds, strict=True)
        ],
    )
    for (land, x, n, label), seed, outcome in zip(cases, seeds, outcomes, strict=True):
        with credit.case(student_errors=True):
            got = outcome.get()
            h = _hessian(land, x)
            case = lambda label=label, x=x, n=n, seed=seed, h=h: (  # noqa: E731
                f"{label} (H has {_eigs(h)}), x = {_fmt(x)}, n_iters = {n}, "
                f"rng = np.random.default_rng({seed})"
            )
            _close(
                got,
                _power_iteration(h, seed, n),
                what=what,
                case=case,
                mistakes=lambda h=h, seed=seed, n=n: _power_mistakes(h, seed, n),
            )
            expect_true(
                isinstance(got, (float, np.floating)),
                f"{what} should return a float, got {type(got).__name__}.",
            )
    credit.finish()


# ---------------------------------------------------------------- LR range test


@pytest.mark.weight(1)
def test_mse_hessian(student, rng, credit):
    """mse_hessian: (2/n)XᵀX for a tall float64 and a wide float32 design matrix."""
    cases = [
        (rng.standard_normal((int(rng.integers(6, 12)), 3)), "a tall X"),
        (rng.uniform(-3.0, 3.0, (2, 4)).astype(np.float32), "a wide float32 X (n = 2 < d = 4)"),
    ]
    outcomes = student.call_many("mse_hessian", [(x,) for x, _ in cases])
    for (x, label), outcome in zip(cases, outcomes, strict=True):
        with credit.case(student_errors=True):
            got = outcome.get()
            xx = np.asarray(x, dtype=float)

            def mistakes(xx: np.ndarray = xx) -> dict[str, Any]:
                g, (n, d) = xx.T @ xx, xx.shape
                return {
                    "(1/n)XᵀX: the MSE gradient is (2/n)Xᵀ(Xθ − y), keep the 2": g / n,
                    "2XᵀX: divide by n (the loss is a MEAN)": 2.0 * g,
                    "XᵀX without the factor 2/n": g,
                    "(2/d)XᵀX: n is the number of samples (rows)": 2.0 * g / d,
                    "(2/n)XXᵀ: the Hessian is d×d, XᵀX": 2.0 * (xx @ xx.T) / n,
                }

            _close(
                got,
                ref.mse_hessian(x),
                what="mse_hessian(X)",
                case=lambda label=label, xx=xx: f"{label} of shape {xx.shape}: X = {_fmt(xx)}",
                mistakes=mistakes,
                tolerance=_F32 if x.dtype == np.float32 else None,
            )
    credit.finish()


def _range_variant(
    x: np.ndarray,
    y: np.ndarray,
    start: float,
    end: float,
    n: int,
    *,
    lr_after: bool = False,
    loss_after: bool = False,
    geomspace: bool = False,
    grad_scale: float = 2.0,
) -> tuple[np.ndarray, np.ndarray]:
    """The seed's LR range test with switches for the common wrong variants."""
    factor = (end / start) ** (1.0 / (max(n - 1, 1) if geomspace else n))
    lr, theta = start, np.zeros(x.shape[1])
    lrs, losses = np.empty(n), np.empty(n)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            r = y - x @ theta
            theta = theta + lr * grad_scale / x.shape[0] * (x.T @ r)
            lrs[k] = lr * factor if lr_after else lr
            losses[k] = np.mean((y - x @ theta) ** 2) if loss_after else np.mean(r**2)
            lr = lr * factor
    return lrs, losses


def _range_mistakes(
    x: np.ndarray, y: np.ndarray, start: float, end: float, n: int, part: int
) -> dict[str, Any]:
    variants = {
        "the lr recorded AFTER it was multiplied by lr_factor (record it before the update)": {
            "lr_after": True
        },
        "the loss recorded after the update (record the loss of the current θ first)": {
            "loss_after": True
        },
        "lr_factor = (lr_end/lr_start)^(1/(n_steps − 1)), a geomspace ending at lr_end (the "
        "seed divides by n_steps)": {"geomspace": True},
        "the gradient without its factor 2 (∇mean(r²) = −(2/n)Xᵀr)": {"grad_scale": 1.0},
    }
    return {k: _range_variant(x, y, start, end, n, **kw)[part] for k, kw in variants.items()}


@pytest.mark.weight(2)
def test_lr_range_test(student, rng, credit):
    """lr_range_test: (lr, loss) recorded before each update, lr growing geometrically."""
    what = "lr_range_test(X, y, lr_start, lr_end, n_steps)"
    cases = []
    for d in (1, 2):
        n_rows, n = int(rng.integers(12, 30)), int(rng.integers(25, 40))
        x = rng.standard_normal((n_rows, d))
        if d == 2:
            x[:, 1] = 1.0  # an intercept column
        y = x @ rng.uniform(-3.0, 3.0, d) + 0.3 * rng.standard_normal(n_rows)
        t = 2.0 / float(np.linalg.eigvalsh(ref.mse_hessian(x))[-1])
        # few steps from well below to well above 2/λmax: the run never converges to
        # rounding level, so two correct implementations agree after the cliff too
        cases.append(
            (x, y, float(rng.uniform(0.02, 0.06)) * t, float(rng.uniform(15.0, 40.0)) * t, n, t)
        )
    outcomes = student.call_many(
        "lr_range_test", [(x, y, start, end, n) for x, y, start, end, n, _ in cases]
    )
    for (x, y, start, end, n, t), outcome in zip(cases, outcomes, strict=True):
        with credit.case(student_errors=True):
            got = outcome.get()
            e_lrs, e_losses = ref.lr_range_test(x, y, start, end, n)
            case = lambda x=x, start=start, end=end, n=n, t=t: (  # noqa: E731
                f"X of shape {x.shape}, lr_start = {start:.4g}, lr_end = {end:.4g}, "
                f"n_steps = {n} (2/λmax = {t:.4g})"
            )
            if not (isinstance(got, (tuple, list)) and len(got) == 2):
                raise WrongAnswer(
                    f"{what} should return the pair (lrs, losses) for {case()}, "
                    f"got {type(got).__name__}."
                )
            for part, (label, expected) in enumerate(
                (("lrs (the first array)", e_lrs), ("losses (the second array)", e_losses))
            ):
                _close(
                    got[part],
                    expected,
                    what=label,
                    case=case,
                    mistakes=lambda x=x, y=y, start=start, end=end, n=n, part=part: _range_mistakes(
                        x, y, start, end, n, part
                    ),
                )
    credit.finish()


def _cliff_variants(lrs: np.ndarray, losses: np.ndarray, factor: float) -> dict[str, Any]:
    def first(pred: Callable[[int], bool], nan_counts: bool = True) -> float | None:
        for k in range(len(losses)):
            if (nan_counts and not np.isfinite(losses[k])) or pred(k):
                return float(lrs[k])
        return None

    def best_before(k: int) -> float:
        finite = [v for v in losses[:k] if v == v]
        return min(finite) if finite else np.inf

    with np.errstate(invalid="ignore"):
        return {
            "not counting NaN/inf losses (NaN > x is False: test np.isfinite)": first(
                lambda k: k >= 1 and losses[k] > factor * best_before(k), False
            ),
            "using ≥: the cliff needs losses[k] STRICTLY above factor·best": first(
                lambda k: k >= 1 and losses[k] >= factor * np.min(losses[:k])
            ),
            "comparing with the previous loss instead of the best loss so far": first(
                lambda k: k >= 1 and losses[k] > factor * losses[k - 1]
            ),
            "comparing with the first loss instead of the best loss so far": first(
                lambda k: k >= 1 and losses[k] > factor * losses[0]
            ),
            "the first rise (losses[k] > losses[k−1]) instead of the factor rule": first(
                lambda k: k >= 1 and losses[k] > losses[k - 1]
            ),
            "the lr of the minimum loss (that is not the cliff)": float(
                lrs[int(np.nanargmin(losses))]
            ),
            "ignoring the factor argument (using 4)": first(
                lambda k: k >= 1 and losses[k] > 4.0 * np.min(losses[:k])
            ),
        }


@pytest.mark.weight(1)
def test_range_test_cliff(student, rng, credit):
    """range_test_cliff: the first NaN/inf or loss > factor·(best so far), else None."""
    what = "range_test_cliff(lrs, losses, factor)"
    n = int(rng.integers(10, 16))
    lrs = 1e-3 * np.cumprod(np.full(n, float(rng.uniform(1.5, 2.5))))
    k0, best = int(rng.integers(3, 6)), float(rng.uniform(0.5, 2.0))
    # a slow rise: each loss < 4× the previous one, but > 4× the best; then NaN
    slow = np.concatenate(
        [
            best * np.geomspace(20.0, 1.0, k0 + 1),
            best * np.array([1.5, 3.0, 4.5, 9.0, 20.0]),
            np.full(n, np.nan),
        ]
    )[:n]
    # exactly 4× the best (powers of two) is not a cliff; 2.5 > 4·0.5 is
    edge = np.concatenate([[8.0, 2.0, 0.5, 1.0, 2.0, 2.5, 1e3], np.full(n, np.inf)])[:n]
    calm = 3.0 * np.geomspace(1.0, 0.01, n) * rng.uniform(0.9, 1.1, n)
    j = int(rng.integers(2, 5))
    early = np.concatenate([np.geomspace(5.0, 1.0, j), [np.nan], np.ones(n)])[:n]
    cases: list[tuple[Any, float | None, str]] = [
        (slow, None, "a loss that rises slowly past 4× its best, then NaN"),
        (edge, None, "a loss of exactly 4× the best (not a cliff), then 2.5 > 4·0.5"),
        (calm, None, "a loss that only decreases (no cliff)"),
        (early, None, "a NaN loss before any rise"),
        (slow, float(rng.uniform(1.2, 2.5)), "the slow rise with a small factor"),
    ]
    outcomes = student.call_many(
        "range_test_cliff",
        [Args(lrs, losses, **({} if f is None else {"factor": f})) for losses, f, _ in cases],
    )
    for (losses, f, label), outcome in zip(cases, outcomes, strict=True):
        with credit.case(student_errors=True):
            got = outcome.get()
            fac = 4.0 if f is None else f
            expected = ref.range_test_cliff(lrs, losses, fac)
            number = isinstance(got, (int, float, np.floating)) and not isinstance(got, bool)
            if (got is None and expected is None) or (
                number and expected is not None and got == expected
            ):
                continue
            case = f"{label}: lrs = {_fmt(lrs)}, losses = {_fmt(losses)}, factor = {fac:g}"
            named = {k: v for k, v in _cliff_variants(lrs, losses, fac).items() if v != expected}
            if expected is None or got is None:
                for name, value in named.items():
                    if (got is None and value is None) or (number and got == value):
                        raise WrongAnswer(f"{what} is wrong for {case}: it looks like {name}.")
                raise WrongAnswer(
                    f"{what} is wrong for {case}: "
                    + (
                        "there is no cliff, so it should return None."
                        if expected is None
                        else "you returned None, but there is a cliff (a loss above factor·best, "
                        "or NaN/inf)."
                    )
                )
            expect_close(
                got,
                expected,
                what=what,
                case=case,
                mistakes={k: v for k, v in named.items() if v is not None},
            )
    credit.finish()
