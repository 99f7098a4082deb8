"""Hidden checks for exercise ``diagnostics`` (seed 004 §3, §5, §8; seed 001 §4.3, §9).

Error sequences are drawn from the per-submission ``rng``: noisy geometric decay
e_k = C·ρ^k·exp(σ·z_k) (ρ well below 1, near 1, above 1), noisy power laws
C/(k+1)^p, runs that hit 0 exactly, divergent runs with nan/inf, GD histories on κ ≫ 1
quadratics just below and just above η = 2/λmax, windows with negative stops and
float32 inputs. Labels are built with wide margins around every threshold, so no
correct implementation can land on the other side through rounding (the test suite
checks this over many draws). Recognised mistakes: ρ = slope instead of exp(slope),
log10 instead of the natural log, k re-indexed inside a window, time-to-result off by
one or with ``<`` for ``≤``, a history without its start point, the floor ignored.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from autograder.compare import expect_close, expect_equal, expect_true, policy
from autograder.engine.student import Args, Outcome
from autograder.errors import StudentCodeError, WrongAnswer
from autograder.landscapes import DoubleWell, Multimodal, Quadratic1D, QuadraticForm
from reference import diagnostics as ref

EXERCISE = "diagnostics"

LN10 = math.log(10.0)


@dataclass
class Case:
    """One input of a check: arguments, a description and the recognised mistakes."""

    args: tuple[Any, ...]
    text: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    mistakes: dict[str, Any] = field(default_factory=dict)
    intended: Any = None  # the label the case was built for (checked by the test suite)

    @property
    def call(self) -> Args:
        """The case's arguments, as one call of a batch."""
        return Args(*self.args, **self.kwargs)


# ---------------------------------------------------------------------- sequences


def _k(n: int) -> np.ndarray:
    return np.arange(n, dtype=float)


def _geometric(rng: np.random.Generator, n: int, rho: float, noise: float) -> np.ndarray:
    c = 10.0 ** rng.uniform(-1.0, 2.0)
    return c * rho ** _k(n) * np.exp(noise * rng.standard_normal(n))


def _power(rng: np.random.Generator, n: int, p: float, noise: float) -> np.ndarray:
    c = 10.0 ** rng.uniform(-1.0, 2.0)
    return c / (_k(n) + 1.0) ** p * np.exp(noise * rng.standard_normal(n))


def _usable(e: np.ndarray, start: int, stop: int | None) -> tuple[np.ndarray, np.ndarray]:
    k = _k(e.size)[start:stop]
    w = np.asarray(e, dtype=float)[start:stop]
    keep = np.isfinite(w) & (w > 0)
    return k[keep], w[keep]


def _slope(t: np.ndarray, y: np.ndarray) -> float:
    tc = t - t.mean()
    return float(np.dot(tc, y - y.mean()) / np.dot(tc, tc))


def _rotated(eigs: list[float], angle: float) -> tuple[QuadraticForm, np.ndarray]:
    """A non-diagonal symmetric quadratic R·diag(λ)·Rᵀ, and R (its eigenvectors)."""
    c, s = math.cos(angle), math.sin(angle)
    r = np.array([[c, -s], [s, c]])
    a = r @ np.diag(eigs) @ r.T
    return QuadraticForm(A=tuple(map(tuple, (a + a.T) / 2.0)), b=(0.0, 0.0)), r


def _gd_distance(q: QuadraticForm, x0: np.ndarray, eta: float, n: int) -> np.ndarray:
    """‖x_k − x*‖ for GD on a quadratic with minimiser 0 (k = 0 … n−1)."""
    a = q.matrix()
    xs = [np.asarray(x0, dtype=float)]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n - 1):
            xs.append(xs[-1] - eta * (a @ xs[-1]))
    return np.linalg.norm(np.array(xs), axis=1)


# ---------------------------------------------------------------------- estimate_rate


def _rate_mistakes(e: np.ndarray, start: int = 0, stop: int | None = None) -> dict[str, float]:
    k, w = _usable(e, start, stop)
    b = _slope(k, np.log(w))
    out = {
        "ρ = the slope itself: the slope of log e_k is log ρ, so ρ = exp(slope)": b,
        "a log10 fit turned back with exp: with log10 use ρ = 10**slope": math.exp(b / LN10),
        "a natural-log fit turned back with 10**slope: use ρ = exp(slope)": 10.0**b,
        "the end points only, (e_last/e_first)^(1/Δk), not a least-squares fit": math.exp(
            (math.log(w[-1]) - math.log(w[0])) / (k[-1] - k[0])
        ),
    }
    if start != 0 or stop is not None:
        out["the window ignored (the fit used every entry)"] = ref.estimate_rate(e)
    if stop is not None and stop != -1:
        out["stop treated as inclusive (the window is errors[start:stop])"] = ref.estimate_rate(
            e, start, stop + 1
        )
    return out


def rate_cases(rng: np.random.Generator) -> list[Case]:
    """The inputs of :func:`test_estimate_rate`."""
    cases = []
    n, rho = int(rng.integers(15, 40)), float(rng.uniform(0.3, 0.95))
    e = _geometric(rng, n, rho, 0.05)
    cases.append(Case((e,), f"noisy geometric decay, n = {n}, ρ ≈ {rho:.3g}", intended=rho))

    n, rho = int(rng.integers(12, 25)), float(rng.uniform(1.05, 2.5))
    start, stop = int(rng.integers(2, 5)), -int(rng.integers(1, 4))
    e = _geometric(rng, n, rho, 0.1)
    cases.append(
        Case(
            (e,),
            f"noisy geometric GROWTH, n = {n}, ρ ≈ {rho:.3g}, start = {start}, stop = {stop}",
            kwargs={"start": start, "stop": stop},
            intended=rho,
        )
    )

    n, rho = int(rng.integers(16, 30)), float(rng.uniform(0.5, 0.9))
    e = 3.0 * rho ** _k(n)
    spots = rng.choice(np.arange(2, n), size=4, replace=False)
    for spot, bad in zip(spots, (0.0, np.nan, np.inf, -1.0), strict=True):
        e[spot] = bad
    cases.append(
        Case(
            (e,),
            f"exact geometric decay ρ = {rho:.4g}, n = {n}, start = 1, with a 0, a nan, an inf "
            f"and a negative entry to skip",
            kwargs={"start": 1},
            intended=rho,
        )
    )

    n, rho = int(rng.integers(25, 40)), float(rng.uniform(0.97, 0.999))
    e = _geometric(rng, n, rho, 0.01).astype(np.float32)
    cases.append(
        Case((e,), f"float32 errors, slow decay ρ ≈ {rho:.4g} (near 1), n = {n}", intended=rho)
    )

    lam_max = float(rng.uniform(40.0, 200.0))
    eta = 1.9 / lam_max  # just below the stability limit 2/λmax
    q, r = _rotated([1.0, lam_max], float(rng.uniform(0.2, 1.3)))
    dist = _gd_distance(q, r @ np.array([1.0, -0.5]), eta, 60)
    rho = max(abs(1.0 - eta), abs(1.0 - eta * lam_max))
    cases.append(
        Case(
            (dist,),
            f"‖x_k − x*‖ of GD on a rotated quadratic with λ = 1, {lam_max:.4g} (κ ≫ 1), "
            f"η = 1.9/λmax, start = 30",
            kwargs={"start": 30},
            intended=rho,
        )
    )

    n = int(rng.integers(8, 14))
    e = _geometric(rng, n, 0.5, 0.0)
    e[n - 3 : n - 1] = 0.0
    cases.append(
        Case(
            (e,),
            f"a window errors[{n - 3}:] holding only one usable entry (two zeros): nan",
            kwargs={"start": n - 3},
            mistakes={
                "0 instead of nan (fewer than two usable points)": 0.0,
                "1 instead of nan (fewer than two usable points)": 1.0,
            },
            intended=float("nan"),
        )
    )
    for case in cases[:-1]:
        case.mistakes = _rate_mistakes(case.args[0], **case.kwargs)
    return cases


def _f32_tolerance(case: Case) -> Any:
    first = case.args[0]
    if isinstance(first, np.ndarray) and first.dtype == np.float32:
        return policy().tolerance(np.dtype(np.float32))
    return None


@pytest.mark.weight(2)
def test_estimate_rate(student, rng, credit):
    """estimate_rate fits log e_k against k and returns ρ = exp(slope), on the given window."""
    cases = rate_cases(rng)
    outcomes = student.call_many("estimate_rate", [case.call for case in cases])
    for case, outcome in zip(cases, outcomes, strict=True):
        got = outcome.get()
        with credit.case():
            expect_close(
                got,
                ref.estimate_rate(*case.args, **case.kwargs),
                what="estimate_rate(errors, start, stop)",
                case=case.text,
                mistakes=case.mistakes,
                tolerance=_f32_tolerance(case),
            )
    credit.finish()


# ---------------------------------------------------------------------- estimate_power


def _power_mistakes(e: np.ndarray, start: int = 0) -> dict[str, float]:
    k, w = _usable(e, start, None)
    p = -_slope(np.log(k + 1.0), np.log(w))
    out = {
        "the slope itself: p is MINUS the slope of log e_k against log(k+1)": -p,
        "log10 on one axis and the natural log on the other": p / LN10,
        "log10 of the errors against ln(k+1), scaled the wrong way": p * LN10,
        "a fit against k (semilog) instead of log(k+1) (log-log)": -_slope(k, np.log(w)),
    }
    if start > 0:
        j = k - start
        out["k re-indexed from 0 inside the window (k must stay the ORIGINAL index)"] = -_slope(
            np.log(j + 1.0), np.log(w)
        )
        out["log k instead of log(k + 1)"] = -_slope(np.log(k), np.log(w))
    return out


def power_cases(rng: np.random.Generator) -> list[Case]:
    """The inputs of :func:`test_estimate_power`."""
    cases = []
    n, p = int(rng.integers(20, 60)), float(rng.uniform(0.5, 3.0))
    e = _power(rng, n, p, 0.05)
    cases.append(Case((e,), f"noisy power law C/(k+1)^p, n = {n}, p ≈ {p:.3g}", intended=p))

    n, p, start = int(rng.integers(20, 40)), float(rng.uniform(0.5, 2.0)), int(rng.integers(3, 9))
    e = _power(rng, n, p, 0.0)
    cases.append(
        Case(
            (e,),
            f"exact power law p = {p:.4g}, n = {n}, window start = {start}",
            kwargs={"start": start},
            intended=p,
        )
    )

    n, p = int(rng.integers(15, 30)), float(rng.uniform(1.0, 2.5))
    e = _power(rng, n, p, 0.0)
    spots = rng.choice(np.arange(1, n), size=3, replace=False)
    for spot, bad in zip(spots, (0.0, np.nan, -np.inf), strict=True):
        e[spot] = bad
    cases.append(
        Case((e,), f"exact power law p = {p:.4g}, n = {n}, with a 0, a nan and −inf", intended=p)
    )

    n, p = int(rng.integers(20, 40)), float(rng.uniform(0.5, 1.5))
    e = _power(rng, n, p, 0.02).astype(np.float32)
    cases.append(Case((e,), f"float32 noisy power law, n = {n}, p ≈ {p:.3g}", intended=p))
    for case in cases:
        case.mistakes = _power_mistakes(case.args[0], **case.kwargs)
    return cases


def test_estimate_power(student, rng, credit):
    """estimate_power returns p = −slope of log e_k against log(k+1), k the original index."""
    cases = power_cases(rng)
    outcomes = student.call_many("estimate_power", [case.call for case in cases])
    for case, outcome in zip(cases, outcomes, strict=True):
        got = outcome.get()
        with credit.case():
            expect_close(
                got,
                ref.estimate_power(*case.args, **case.kwargs),
                what="estimate_power(errors, start, stop)",
                case=case.text,
                mistakes=case.mistakes,
                tolerance=_f32_tolerance(case),
            )
    credit.finish()


# ---------------------------------------------------------------------- labels

_RAISES = "ValueError"


def _label(outcome: Outcome) -> str:
    """The student's label, or ``_RAISES`` if (and only if) they raised ValueError."""
    try:
        return outcome.get()
    except StudentCodeError as exc:
        if exc.exc_type == "ValueError":
            return _RAISES
        raise


def _expect_label(got: Any, expected: str, *, what: str, case: Case) -> None:
    if expected == _RAISES:
        expect_true(
            got == _RAISES,
            f"{what} should raise ValueError for {case.text}, but it returned {got!r}.",
        )
        return
    if got == _RAISES:
        raise WrongAnswer(
            f"{what} raised ValueError for {case.text}, but the rules give a label here "
            f"(apply them in their order: the first rule that matches decides)."
        )
    expect_equal(got, expected, what=what, case=case.text, mistakes=case.mistakes)


def _reference_label(function: Any, case: Case) -> str:
    try:
        return function(*case.args, **case.kwargs)
    except ValueError:
        return _RAISES


def classify_cases(rng: np.random.Generator) -> list[Case]:
    """The inputs of :func:`test_classify_convergence`, each with the label it was built for."""
    cases = []
    n, rho = int(rng.integers(20, 50)), float(rng.uniform(0.3, 0.8))
    cases.append(
        Case(
            (_geometric(rng, n, rho, 0.05),),
            f"noisy geometric decay, n = {n}, ρ ≈ {rho:.3g}",
            intended="linear",
            mistakes={"the two fits compared the wrong way round": "sublinear"},
        )
    )
    n, p = int(rng.integers(30, 60)), float(rng.uniform(0.5, 2.0))
    cases.append(
        Case(
            (_power(rng, n, p, 0.01),),
            f"a power law C/(k+1)^{p:.3g}, n = {n}",
            intended="sublinear",
            mistakes={"the two fits compared the wrong way round": "linear"},
        )
    )
    n, rho = int(rng.integers(10, 30)), float(rng.uniform(1.05, 1.5))
    cases.append(
        Case(
            (_geometric(rng, n, rho, 0.02),),
            f"geometric growth, n = {n}, ρ ≈ {rho:.3g}",
            intended="diverging",
        )
    )
    n, rho = int(rng.integers(20, 41)), float(rng.uniform(0.9998, 0.99999))
    cases.append(
        Case(
            (_geometric(rng, n, rho, 0.0),),
            f"geometric decay with ρ = {rho:.6f}: the second half removes < 1 %",
            intended="stalled",
            mistakes={"the stall rule (5) skipped or applied after the fits": "linear"},
        )
    )
    n, rho = 30, float(rng.uniform(0.985, 0.99))
    r = rho ** (n - 1 - (n - 1) // 2)
    cases.append(
        Case(
            (_geometric(rng, n, rho, 0.0),),
            f"ρ = {rho:.4f}, n = {n}, stall_ratio = 0.5 (e_{{n−1}}/e_h = {r:.3f})",
            kwargs={"stall_ratio": 0.5},
            intended="stalled",
            mistakes={"stall_ratio ignored (the default 0.99 was used)": "linear"},
        )
    )
    e = np.zeros(int(rng.integers(5, 12)))
    e[0] = float(rng.uniform(1.0, 5.0))
    cases.append(
        Case(
            (e,),
            f"a run that hits the minimiser exactly (η = 1/λ): {e[0]:.3g}, 0, 0, …",
            intended="linear",
            mistakes={"the zero not handled before the log (rule 4)": "sublinear"},
        )
    )
    n = int(rng.integers(8, 15))
    e = _geometric(rng, n, 0.7, 0.0)
    e[n // 2] = np.nan
    e[1] = -1.0
    cases.append(
        Case(
            (e,),
            "a decaying run with a nan and a negative entry",
            intended="diverging",
            mistakes={"nan/inf not treated as divergence (rule 1)": "linear"},
        )
    )
    e = _geometric(rng, n, 0.8, 0.0)
    e[-2] = np.inf
    cases.append(
        Case(
            (e,),
            "a decaying run with an inf entry",
            intended="diverging",
            mistakes={"nan/inf not treated as divergence (rule 1)": "linear"},
        )
    )
    e = _geometric(rng, n, 0.6, 0.0)
    e[2] = 0.0
    e[-1] = e[0] * float(rng.uniform(1.5, 3.0))
    cases.append(
        Case(
            (e,),
            "a run that touches 0 but ends ABOVE its start",
            intended="diverging",
            mistakes={"rule 4 (a zero → linear) checked before rule 3 (growth)": "linear"},
        )
    )
    lam_max = float(rng.uniform(20.0, 100.0))
    q, r = _rotated([1.0, lam_max], float(rng.uniform(0.2, 1.3)))
    dist = _gd_distance(q, r @ np.array([1.0, 1.0]), 2.05 / lam_max, 40)
    cases.append(
        Case(
            (dist,),
            f"‖x_k‖ of GD with η = 2.05/λmax (just ABOVE 2/λmax), κ = {lam_max:.3g}",
            intended="diverging",
        )
    )
    e = _geometric(rng, 12, 0.5, 0.0)
    e[3] = -e[3]
    cases.append(
        Case((e,), "a run with a negative entry (errors are magnitudes)", intended=_RAISES)
    )
    cases.append(Case((np.array([1.0, 0.5]),), "only two errors (n < 3)", intended=_RAISES))
    return cases


@pytest.mark.weight(2)
def test_classify_convergence(student, rng, credit):
    """classify_convergence applies its six rules in order (linear, sublinear, diverging, ...)."""
    cases = classify_cases(rng)
    outcomes = student.call_many("classify_convergence", [case.call for case in cases])
    for case, outcome in zip(cases, outcomes, strict=True):
        got = _label(outcome)
        with credit.case():
            _expect_label(
                got,
                _reference_label(ref.classify_convergence, case),
                what="classify_convergence(errors)",
                case=case,
            )
    credit.finish()


# ---------------------------------------------------------------------- time_to_result


def time_cases(rng: np.random.Generator) -> list[Case]:
    """The inputs of :func:`test_time_to_result`."""
    cases = []
    n, rho = int(rng.integers(20, 40)), float(rng.uniform(0.3, 0.8))
    c = float(rng.uniform(1.0, 20.0))
    m = int(rng.integers(3, n - 3))
    e = c * rho ** _k(n)
    target = c * rho ** (m + 0.5)
    cases.append(
        Case(
            (e, target),
            f"e_k = {c:.4g}·{rho:.4g}^k, target between e_{m} and e_{m + 1}",
            intended=m + 1,
        )
    )
    j = int(rng.integers(2, n - 2))
    cases.append(
        Case(
            (e, float(e[j])),
            f"e_k = {c:.4g}·{rho:.4g}^k, target = e_{j} exactly (e_k ≤ target counts)",
            intended=j,
            mistakes={
                "e_k < target (the target itself must count: e_k ≤ target) or an off-by-one": j + 1
            },
        )
    )
    cases.append(
        Case(
            (e, float(e[0] * rng.uniform(1.0, 3.0))),
            "a target at or above e_0",
            intended=0,
            mistakes={"counting from 1: e_0 (before any update) is step 0": 1},
        )
    )
    n = int(rng.integers(10, 20))
    g = _geometric(rng, n, float(rng.uniform(1.1, 2.0)), 0.0)
    cases.append(
        Case(
            (g, float(g[0]) * 0.5),
            f"a DIVERGING run (n = {n}) that never gets below the target",
            intended=-1,
            mistakes={
                f"len(errors) = {n} instead of −1": n,
                f"the last index {n - 1} instead of −1": n - 1,
            },
        )
    )
    e2 = c * rho ** _k(n)
    nan_at = int(rng.integers(1, n - 3))
    e2[nan_at] = np.nan
    hit = int(rng.integers(nan_at + 1, n))
    cases.append(
        Case(
            (e2, float(e2[hit]) * 1.0000001),
            f"a history with a nan before the target is reached (n = {n})",
            intended=hit,
        )
    )
    osc = c * rho ** (_k(n) / 2.0) * np.where(np.arange(n) % 2 == 0, 1.0, 0.1)
    cases.append(
        Case(
            (osc, c * rho ** (1 / 2) * 0.2),
            "an oscillating history: the FIRST k "
            "with e_k ≤ target, even if later entries rise again",
            intended=1,
        )
    )
    lam = float(rng.uniform(0.5, 4.0))
    eta = float(rng.uniform(0.2, 0.8)) / lam
    w0 = float(rng.uniform(1.0, 5.0))
    loss = 0.5 * lam * (w0 * (1.0 - eta * lam) ** _k(60)) ** 2
    eps = 1e-5
    expected = math.ceil(math.log(eps / loss[0]) / math.log((1.0 - eta * lam) ** 2))
    cases.append(
        Case(
            (loss.astype(np.float32), eps),
            f"float32 losses of GD on ½·{lam:.3g}·w², w0 = {w0:.3g}, ηλ = "
            f"{eta * lam:.3g}, target 1e-5",
            intended=expected,
        )
    )
    for case in cases:
        k = case.intended
        if k is not None and k >= 0:
            case.mistakes.setdefault(
                "the number of entries up to the hit (k + 1): time-to-result is the step index "
                "k (e_0 is step 0)",
                k + 1,
            )
    return cases


def test_time_to_result(student, rng, credit):
    """time_to_result returns the first k with e_k ≤ target, or −1 if it is never reached."""
    cases = time_cases(rng)
    outcomes = student.call_many("time_to_result", [Args(*case.args) for case in cases])
    for case, outcome in zip(cases, outcomes, strict=True):
        got = outcome.get()
        with credit.case():
            expect_equal(
                got,
                ref.time_to_result(*case.args),
                what="time_to_result(errors, target)",
                case=case.text,
                mistakes=case.mistakes,
            )
    credit.finish()


# ---------------------------------------------------------------------- gd_history


def history_cases(rng: np.random.Generator) -> list[tuple[Any, Any, float, int, str]]:
    """(landscape, x0, η, n_steps, description) for :func:`test_gd_history`."""
    out = []
    lam = float(rng.uniform(0.5, 5.0))
    q1 = Quadratic1D(lam=lam, center=float(rng.uniform(-2.0, 2.0)))
    for product in (float(rng.uniform(0.2, 0.9)), float(rng.uniform(1.2, 1.9))):
        out.append(
            (
                q1,
                float(rng.uniform(-5.0, 5.0)),
                product / lam,
                int(rng.integers(5, 10)),
                f"{q1}, ηλ = {product:.3g}",
            )
        )
    lam_max = float(rng.uniform(40.0, 200.0))
    q2 = QuadraticForm(
        A=_rotated([1.0, lam_max], float(rng.uniform(0.2, 1.3)))[0].A,
        b=tuple(float(v) for v in rng.uniform(-1.0, 1.0, 2)),
    )
    out.append(
        (
            q2,
            rng.uniform(-2.0, 2.0, 2),
            1.95 / lam_max,
            15,
            f"a rotated quadratic with λ = 1, {lam_max:.4g} (κ ≫ 1), b ≠ 0, η = 1.95/λmax",
        )
    )
    m = rng.normal(size=(3, 3))
    a3 = m @ m.T + np.eye(3)
    lmax = float(np.linalg.eigvalsh(a3)[-1])
    q3 = QuadraticForm(A=tuple(map(tuple, a3)), b=(0.0, 0.0, 0.0))
    out.append(
        (
            q3,
            rng.uniform(-1.0, 1.0, 3),
            2.1 / lmax,
            15,
            "a 3-D non-diagonal quadratic, η = 2.1/λmax (just above: divergent)",
        )
    )
    w0 = float(rng.uniform(4.0, 6.0))
    out.append(
        (
            DoubleWell(),
            w0,
            0.1,
            12,
            f"the double well from w0 = {w0:.3g} with η = 0.1: blows up to inf/nan",
        )
    )
    out.append((Multimodal(), rng.uniform(-2.0, 2.0, 2), 0.1, 0, "Multimodal, n_steps = 0"))
    out.append((Multimodal(), rng.uniform(-2.0, 2.0, 2), 0.2, 5, "Multimodal, η = 0.2"))
    return out


def _history_mistakes(expected: dict[str, np.ndarray], key: str, n: int) -> dict[str, Any]:
    if key == "grad_norm":
        return {"the squared norm ‖∇L‖² instead of ‖∇L‖": expected["grad_norm"] ** 2}
    if key == "k":
        return {"k starting at 1: row 0 is the start point, k = 0": np.arange(1, n + 2)}
    return {}


def _scaled_norms(landscape: Any, xs: np.ndarray) -> np.ndarray:
    """‖∇L(x_k)‖ computed without overflowing in the squares (|L'| in 1-D, like the seed)."""
    out = np.empty(len(xs))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for i, x in enumerate(xs):
            point = np.float64(x) if np.ndim(x) == 0 else np.array(x)
            g = np.abs(np.atleast_1d(np.asarray(landscape.grad(point), dtype=float)))
            top = np.max(g)
            out[i] = top * np.sqrt(np.sum((g / top) ** 2)) if np.isfinite(top) and top > 0 else top
    return out


def _expect_norms(got: Any, expected: dict[str, np.ndarray], landscape: Any, case: str) -> None:
    """grad_norm against the reference's sqrt(Σg²); near overflow a scaled norm (np.abs, hypot)
    stays finite where Σg² is already inf, and is accepted too."""
    what = 'gd_history(...)["grad_norm"]'
    mistakes = _history_mistakes(expected, "grad_norm", len(expected["k"]) - 1)
    try:
        expect_close(got, expected["grad_norm"], what=what, case=case, mistakes=mistakes)
    except WrongAnswer:
        alternative = _scaled_norms(landscape, expected["x"])
        with contextlib.suppress(WrongAnswer):
            expect_close(got, alternative, what=what, case=case)
            return
        raise


@pytest.mark.weight(2)
def test_gd_history(student, rng, credit):
    """gd_history logs k, x_k, L(x_k), ‖∇L(x_k)‖ for k = 0 … n, including divergent runs."""
    cases = history_cases(rng)
    outcomes = student.call_many(
        "gd_history", [(land.grad, land.loss, x0, eta, n) for land, x0, eta, n, _ in cases]
    )
    for (landscape, x0, eta, n, text), outcome in zip(cases, outcomes, strict=True):
        got = outcome.get()
        with np.errstate(over="ignore", invalid="ignore"):
            expected = ref.gd_history(landscape.grad, landscape.loss, x0, eta, n)
        case = f"{text}, n_steps = {n}"
        with credit.case():
            expect_true(
                isinstance(got, dict) and sorted(got) == sorted(expected),
                f"gd_history should return a dict with exactly the keys "
                f"{sorted(expected)} for {case}; got "
                f"{sorted(got) if isinstance(got, dict) else type(got).__name__}.",
            )
            for key in ("k", "x", "L"):
                expect_close(
                    got[key],
                    expected[key],
                    what=f'gd_history(...)["{key}"]',
                    case=case,
                    mistakes=_history_mistakes(expected, key, n),
                )
            _expect_norms(got["grad_norm"], expected, landscape, case)
    credit.finish()


# ---------------------------------------------------------------------- diagnose_loss_curve


_OSC_FIRST = "rule 2 (oscillating) checked before rule 1 (ended above the start → diverging)"


def loss_cases(rng: np.random.Generator) -> list[Case]:
    """The inputs of :func:`test_diagnose_loss_curve`, each with the label it was built for."""
    cases = []
    n, rho = int(rng.integers(25, 40)), float(rng.uniform(0.2, 0.6))
    cases.append(
        Case(
            (_geometric(rng, n, rho, 0.0),),
            f"fast geometric decay, ρ = {rho:.3g}, n = {n}",
            intended="healthy",
        )
    )
    n, rho = int(rng.integers(20, 50)), float(rng.uniform(0.99, 0.999))
    slow = _geometric(rng, n, rho, 0.0)
    cases.append(
        Case((slow,), f"slow geometric decay, ρ = {rho:.4g}, n = {n}", intended="too_small_lr")
    )
    n, rho = int(rng.integers(20, 40)), float(rng.uniform(0.3, 0.6))
    amp = float(rng.uniform(1.0, 10.0))
    level = amp * float(rng.uniform(0.1, 1.0))
    curve = level + amp * rho ** _k(n)
    cases.append(
        Case(
            (curve,), f"a fast drop that levels off at {level:.3g} (floor = 0)", intended="plateau"
        )
    )
    cases.append(
        Case(
            (curve,),
            f"the same curve with floor = {level:.3g} (= L*)",
            kwargs={"floor": level},
            intended="healthy",
            mistakes={"the floor ignored: use the gaps g_k = L_k − floor": "plateau"},
        )
    )
    n, rho = int(rng.integers(20, 40)), float(rng.uniform(0.7, 0.9))
    bump = 1.0 / rho - 1.0 + float(rng.uniform(0.1, 0.5))
    zig = _geometric(rng, n, rho, 0.0) * np.where(np.arange(n) % 2 == 1, 1.0 + bump, 1.0)
    cases.append(
        Case((zig,), f"a loss that goes up every other step, n = {n}", intended="oscillating")
    )
    n, rho = int(rng.integers(30, 40)), float(rng.uniform(0.5, 0.6))
    bump = 1.0 / rho - 1.0 + float(rng.uniform(0.1, 0.5))
    zig2 = _geometric(rng, n, rho, 0.0) * np.where(np.arange(n) % 2 == 1, 1.0 + bump, 1.0)
    cases.append(
        Case(
            (zig2,),
            f"a zigzag loss with osc_fraction = 0.6, n = {n}",
            kwargs={"osc_fraction": 0.6},
            intended="healthy",
            mistakes={"osc_fraction ignored (the default 0.2 was used)": "oscillating"},
        )
    )
    n, rho = 30, float(rng.uniform(0.99, 0.995))
    cases.append(
        Case(
            (_geometric(rng, n, rho, 0.0),),
            f"slow decay ρ = {rho:.4g}, n = 30, healthy_ratio = 0.9",
            kwargs={"healthy_ratio": 0.9},
            intended="healthy",
            mistakes={"healthy_ratio ignored (the default 1e-3 was used)": "too_small_lr"},
        )
    )
    cases.append(
        Case(
            (slow,),
            "the slow decay again with plateau_frac = 2.0",
            kwargs={"plateau_frac": 2.0},
            intended="plateau",
            mistakes={"plateau_frac ignored (the default 0.1 was used)": "too_small_lr"},
        )
    )
    n, rho = int(rng.integers(10, 25)), float(rng.uniform(1.05, 1.5))
    cases.append(
        Case(
            (_geometric(rng, n, rho, 0.0),),
            f"geometric growth ρ = {rho:.3g}",
            intended="diverging",
            mistakes={_OSC_FIRST: "oscillating"},
        )
    )
    u = _geometric(rng, 20, 0.7, 0.0)
    u[10:] = u[0] * np.linspace(0.5, 1.5, 10)
    cases.append(
        Case(
            (u,),
            "a loss that decreases, then rises above its start",
            intended="diverging",
            mistakes={_OSC_FIRST: "oscillating"},
        )
    )
    e = _geometric(rng, 15, 0.6, 0.0)
    e[7] = np.nan
    cases.append(Case((e,), "a loss history with a nan", intended="diverging"))
    dec = _geometric(rng, 15, 0.8, 0.0)
    cases.append(
        Case(
            (dec,),
            "a decreasing loss with a floor ABOVE its last value",
            kwargs={"floor": float(dec[-3])},
            intended=_RAISES,
        )
    )
    return cases


@pytest.mark.weight(2)
def test_diagnose_loss_curve(student, rng, credit):
    """diagnose_loss_curve applies the seed 001 §9 table: healthy, too_small_lr, plateau, ..."""
    cases = loss_cases(rng)
    outcomes = student.call_many("diagnose_loss_curve", [case.call for case in cases])
    for case, outcome in zip(cases, outcomes, strict=True):
        got = _label(outcome)
        with credit.case():
            _expect_label(
                got,
                _reference_label(ref.diagnose_loss_curve, case),
                what="diagnose_loss_curve(losses)",
                case=case,
            )
    credit.finish()
