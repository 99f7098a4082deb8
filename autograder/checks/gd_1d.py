"""Hidden checks for exercise ``gd_1d`` (1-D recursions, seed 004's loop, autograd).

Every check compares the student's functions with ``reference.gd_1d`` on inputs drawn
from ``rng``, built so that the regimes of the course are always present: ηλ just below
and above 1 and 2 (and exactly 2), far above 2 until float64 overflows, negative
curvature, η = 0 and n_steps = 0, w0 at the minimiser, every stopping rule of seed 004's
loop (gradient, objective, the max_iters cap, max_iters = 0), torch in float32 (the
seed's default) and float64, and double-well runs that settle, cycle, diverge or have
not settled yet. Inputs whose answer a rounding could flip are redrawn: double-well
verdicts must survive moving w0 or η by 1e-9, and no logged |L'| or L may sit within
1e-6 (relative) of a stopping threshold.

Known mistakes are recomputed here, only once an answer is already wrong (grading stays
cheap), and named in the message (see ``_M``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import numpy as np
import pytest

from autograder.compare import expect_close, expect_equal, expect_true, policy
from autograder.config import Tolerance
from autograder.engine.student import Args
from autograder.errors import WrongAnswer
from autograder.landscapes import DoubleWell, Quadratic1D
from reference import gd_1d as ref

EXERCISE = "gd_1d"

_KEYS = ("k", "w", "L", "abs_dL")
Run = tuple[float, dict[str, np.ndarray]]
Fn = Callable[[Any], Any]

_M = {
    "sign": "a sign error: w + η·L'(w) climbs the slope (gradient ascent) instead of descending",
    "no_eta": "a forgotten step size: w − L'(w) (η missing)",
    "step_only": "returning the step −η·L'(w) instead of the new iterate w − η·L'(w)",
    "frozen": "using L'(w0), the slope at the start point, in every step",
    "r_flip": "the sign of r flipped: ηλ − 1 instead of 1 − ηλ",
    "one_plus": "1 + ηλ instead of 1 − ηλ",
    "divide": "1 − η/λ: the curvature divides instead of multiplying",
    "shifted": "the exponent shifted by one: (1 − ηλ)^(k+1) instead of (1 − ηλ)^k",
    "no_center": "a forgotten centre: (1 − ηλ)^k·w0 instead of c + (1 − ηλ)^k·(w0 − c)",
    "no_add_c": "(1 − ηλ)^k·(w0 − c) without adding the centre c back",
    "nan_at_c": "0·∞ = nan at w0 = c: the docstring asks for exactly c there, even where "
    "r^k overflows",
    "one_over": "(0, 1/λ): ηλ < 1 is the monotone regime, the stability limit is ηλ < 2",
    "two_lam": "(0, 2λ): the limit is 2/λ",
    "neg_lam": ": there |1 − ηλ| ≥ 1 for every η > 0, so no step size converges and the "
    "interval is empty, (0.0, 0.0)",
    "update_first": "updating w before testing the stopping rule: the returned w must be "
    "the iterate that triggered the stop (the last one in the history)",
    "signed": "logging the signed slope L'(w) in hist['abs_dL'] instead of |L'(w)|",
    "log_after": "logging the iterate after the update: hist['w'][k] must be w_k, the point "
    "where L and L' were evaluated",
    "extra_iter": "one iteration too many (range(max_iters + 1)): the cap allows max_iters "
    "updates and logs k = 0 … max_iters − 1",
    "cap_logged": "returning the last logged iterate w_{max_iters−1} when the cap stops the "
    "loop; seed 004's loop returns w_{max_iters}, after the last update (not in the history)",
    "grad_kept": "w.grad not cleared between steps: backward() adds into w.grad, so each step "
    "used the sum of all gradients so far (set w.grad = None before each forward pass)",
    "as_f64": "float64 arithmetic: the default dtype is float32, torch's default, as in seed "
    "004's torch.tensor(float(w0))",
    "as_f32": "float32 arithmetic: dtype='float64' asks for a float64 tensor",
    "f32_start": "a float32 start value: torch.tensor(float(w)) is float32, and casting it to "
    "float64 afterwards cannot bring back the lost digits",
    "plus_one": "counting iterates instead of updates: k counts the steps taken, w0 is k = 0",
    "after_update": "testing the target only after an update: L(w0) ≤ target must give 0",
    "cap_minus_one": "returning max_iters − 1 (the loop variable) when the target is never "
    "reached; the ceiling is max_iters itself",
    "cap_neg": "returning −1 when the target is never reached; the ceiling is max_iters",
    "warm": "not restarting from w0 for each η: every run of the sweep starts at w0",
    "sorted": "the counts sorted by η: keep the order of the grid you were given",
    "half_grad": "a derivative without its factor 2 (w(w² − 1) instead of 2w(w² − 1)): every "
    "step is half as long",
    "ascent": "a sign error (w + η·L'(w)): gradient ascent runs to the local maximum or away",
    "last": "returning the last iterate w_n instead of the stationary point it settled at",
    "never_nan": "never returning nan: the nearest stationary point is the answer only when "
    "w_n is within tol of it (a cycle, a divergence or an unsettled run give nan)",
}
"""The mistakes the checks recognise, in course language."""


# ----------------------------------------------------------------------------- helpers


Mistakes = Callable[[], Mapping[str, Any]] | None


def _close(
    got: Any, expected: Any, *, what: str, case: str, mistakes: Mistakes = None,
    tolerance: Tolerance | None = None,
) -> None:  # fmt: skip
    """``expect_close``; the known mistakes are computed only once the answer is wrong."""
    try:
        expect_close(got, expected, what=what, case=case, tolerance=tolerance)
    except WrongAnswer:
        if mistakes is None:
            raise
        with np.errstate(all="ignore"):
            named = _grouped(mistakes())
        expect_close(got, expected, what=what, case=case, mistakes=named, tolerance=tolerance)
        raise


def _grouped(candidates: Mapping[str, Any]) -> dict[str, Any]:
    """Mistakes with identical values merged into one name ("a, or b"): no false precision."""
    groups: list[tuple[Any, list[str]]] = []
    for name, value in candidates.items():
        arr = np.asarray(value, dtype=float)
        for seen, names in groups:
            if seen.shape == arr.shape and np.array_equal(seen, arr, equal_nan=True):
                names.append(name)
                break
        else:
            groups.append((arr, [name]))
    return {", or ".join(names): value for value, names in groups}


def _equal(got: Any, expected: Any, *, what: str, case: str, mistakes: Mistakes = None) -> None:
    """``expect_equal`` with lazily computed mistakes (those equal to ``expected`` dropped)."""
    try:
        expect_equal(got, expected, what=what, case=case)
    except WrongAnswer:
        if mistakes is None:
            raise
        with np.errstate(all="ignore"):
            named = {k: v for k, v in mistakes().items() if v != expected}
        expect_equal(got, expected, what=what, case=case, mistakes=named)
        raise


def _quadratic(rng: np.random.Generator, low: float = 0.5, high: float = 8.0) -> Quadratic1D:
    return Quadratic1D(lam=float(rng.uniform(low, high)), center=float(rng.uniform(-3, 3)))


def _concave(rng: np.random.Generator) -> Quadratic1D:
    return Quadratic1D(lam=-float(rng.uniform(0.5, 3.0)), center=float(rng.uniform(-2, 2)))


def _away(rng: np.random.Generator, center: float, low: float = 1.0, high: float = 4.0) -> float:
    """A start point at distance U(low, high) from ``center``, on a random side."""
    return center + float(rng.choice([-1.0, 1.0]) * rng.uniform(low, high))


def _signed_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(rng.choice([-1.0, 1.0]) * rng.uniform(low, high))


def _land(landscape: Any) -> str:
    if isinstance(landscape, Quadratic1D):
        lam, c = landscape.lam, landscape.center
        shift = f"w − {c:.6g}" if c >= 0 else f"w + {-c:.6g}"
        return f"L(w) = ½·{lam:.6g}·({shift})²" if lam >= 0 else f"L(w) = ½·({lam:.6g})·({shift})²"
    return "L(w) = ½(w² − 1)²"


def _opts(kw: Mapping[str, Any]) -> str:
    return "".join(
        f", {k} = {v:.3g}" if isinstance(v, float) else f", {k} = {v!r}" for k, v in kw.items()
    )


# ----------------------------------------------------------------------------- gd_step


def _step_mistakes(w: float, eta: float, g: float) -> dict[str, float]:
    return {_M["sign"]: w + eta * g, _M["no_eta"]: w - g, _M["step_only"]: -eta * g}


def test_gd_step(student, rng, credit):
    """One GD step w − η·L'(w): descent, overshoot, negative curvature, double well, η = 0."""
    q1, q2, neg = _quadratic(rng), _quadratic(rng), _concave(rng)
    cases = [
        (q1, _away(rng, q1.center), float(rng.uniform(0.2, 0.9)) / q1.lam),
        (q2, _away(rng, q2.center), float(rng.uniform(2.05, 3.0)) / q2.lam),
        (neg, _away(rng, neg.center), float(rng.uniform(0.05, 0.3))),
        (DoubleWell(), _signed_uniform(rng, 0.2, 2.0), float(rng.uniform(0.01, 0.3))),
        (q1, _away(rng, q1.center), 0.0),
    ]
    outcomes = student.call_many("gd_step", [(land.grad, w, eta) for land, w, eta in cases])
    for (landscape, w, eta), outcome in zip(cases, outcomes, strict=True):
        with credit.case():
            got = outcome.get()
            g = float(landscape.grad(np.float64(w)))
            _close(
                got,
                ref.gd_step(landscape.grad, w, eta),
                what="gd_step(dL, w, η)",
                case=f"{_land(landscape)}, w = {w:.6g}, η = {eta:.6g}",
                mistakes=partial(_step_mistakes, w, eta, g),
            )
    credit.finish()


# ----------------------------------------------------------------------------- trajectory


def _trajectory_mistakes(dL: Fn, w0: float, eta: float, n: int) -> dict[str, np.ndarray]:
    frozen = w0 - np.arange(n + 1) * (eta * float(dL(np.float64(w0))))
    return {
        _M["sign"]: ref.gd_trajectory(lambda w: -float(dL(w)), w0, eta, n),
        _M["frozen"]: frozen,
    }


@pytest.mark.weight(2)
def test_gd_trajectory(student, rng, credit):
    """A whole GD trajectory w_0..w_n (start point included) in every regime of ηλ."""
    cases: list[tuple[Any, float, float, int, str]] = []
    for low, high, n, regime in [
        (0.1, 0.9, int(rng.integers(5, 25)), "monotone, 0 < ηλ < 1"),
        (0.97, 0.999, 12, "just below ηλ = 1"),
        (1.001, 1.03, 12, "just above ηλ = 1"),
        (1.97, 1.999, 30, "just below ηλ = 2"),
        (2.0, 2.0, 20, "ηλ = 2: the 2-cycle"),
        (2.001, 2.03, 40, "just above ηλ = 2: slow divergence"),
        (40.0, 80.0, 200, "ηλ ≫ 2: divergence until float64 overflows"),
        (0.1, 0.9, 0, "n_steps = 0"),
    ]:
        q = _quadratic(rng)
        cases.append((q, _away(rng, q.center), float(rng.uniform(low, high)) / q.lam, n, regime))
    neg = _concave(rng)
    cases.append((neg, _away(rng, neg.center), float(rng.uniform(0.05, 0.3)), 15, "λ < 0"))
    w0_dw, eta_dw = _signed_uniform(rng, 0.3, 1.8), float(rng.uniform(0.02, 0.1))
    cases.append((DoubleWell(), w0_dw, eta_dw, 30, "the double well"))
    outcomes = student.call_many(
        "gd_trajectory", [(land.grad, w0, eta, n) for land, w0, eta, n, _ in cases]
    )
    for (landscape, w0, eta, n, regime), outcome in zip(cases, outcomes, strict=True):
        with credit.case():
            got = outcome.get()
            lam = getattr(landscape, "lam", None)
            prod = f" (ηλ = {eta * lam:.6g})" if lam is not None else ""
            _close(
                got,
                ref.gd_trajectory(landscape.grad, w0, eta, n),
                what="gd_trajectory(dL, w0, η, n_steps)",
                case=f"{_land(landscape)}, w0 = {w0:.6g}, η = {eta:.6g}{prod}, n_steps = {n} "
                f"[{regime}]",
                mistakes=partial(_trajectory_mistakes, landscape.grad, w0, eta, n),
            )
    credit.finish()


# ----------------------------------------------------------------------------- multiplier


def _multiplier_mistakes(eta: float, lam: float) -> dict[str, float]:
    return {
        _M["r_flip"]: eta * lam - 1.0,
        _M["one_plus"]: 1.0 + eta * lam,
        _M["divide"]: 1.0 - eta / lam if lam else math.inf,
    }


def test_quadratic_multiplier(student, rng, credit):
    """The multiplier r = 1 − ηλ for every sign of λ and η = 0."""
    cases = [
        (float(rng.uniform(0.01, 0.5)), float(rng.uniform(0.5, 10.0))),
        (float(rng.uniform(0.2, 1.0)), float(rng.uniform(2.5, 10.0))),
        (float(rng.uniform(0.05, 1.0)), -float(rng.uniform(0.5, 5.0))),
        (0.0, float(rng.uniform(0.5, 10.0))),
        (float(rng.uniform(0.1, 2.0)), 0.0),
    ]
    outcomes = student.call_many("quadratic_multiplier", cases)
    for (eta, lam), outcome in zip(cases, outcomes, strict=True):
        with credit.case():
            got = outcome.get()
            _close(
                got,
                ref.quadratic_multiplier(eta, lam),
                what="quadratic_multiplier(η, λ)",
                case=f"η = {eta:.6g}, λ = {lam:.6g}",
                mistakes=partial(_multiplier_mistakes, eta, lam),
            )
    credit.finish()


# ----------------------------------------------------------------------------- closed form


def _closed_form_mistakes(
    w0: float, eta: float, lam: float, n: int, c: float
) -> dict[str, np.ndarray]:
    r, e0, k = 1.0 - eta * lam, w0 - c, np.arange(n + 1, dtype=np.float64)
    if e0 == 0.0:  # every formula gives c here, except through 0·∞
        return {_M["nan_at_c"]: c + r**k * e0}
    shifted = c + r ** (k + 1) * e0
    return {
        _M["shifted"]: shifted,
        _M["shifted"] + " (after w0 itself)": np.concatenate([[w0], shifted[1:]]),
        _M["no_center"]: r**k * w0,
        _M["no_add_c"]: r**k * e0,
        _M["r_flip"]: c + (-r) ** k * e0,
        _M["one_plus"]: c + (1.0 + eta * lam) ** k * e0,
    }


@pytest.mark.weight(2)
def test_quadratic_closed_form(student, rng, credit):
    """Closed form c + (1 − ηλ)^k (w0 − c): every regime, w0 = c, overflow, n_steps = 0."""
    cases: list[tuple[float, float, float, int, float, str]] = []
    for low, high, n, sign, at_c, regime in [
        (0.1, 0.9, int(rng.integers(5, 20)), 1.0, False, "monotone, 0 < ηλ < 1"),
        (1.1, 1.9, int(rng.integers(5, 20)), 1.0, False, "oscillating, 1 < ηλ < 2"),
        (2.0, 2.0, 15, 1.0, False, "ηλ = 2: the 2-cycle"),
        (2.2, 3.0, 30, 1.0, False, "divergent, ηλ > 2"),
        (0.05, 0.5, 15, -1.0, False, "negative curvature"),
        (6.0, 9.0, 500, 1.0, True, "w0 = c while r^k overflows"),
        (6.0, 9.0, 500, 1.0, False, "r^k overflows to ±inf"),
        (0.1, 0.9, 0, 1.0, False, "n_steps = 0"),
    ]:
        lam, c = sign * float(rng.uniform(0.5, 8.0)), float(rng.uniform(-3, 3))
        eta = float(rng.uniform(low, high)) / abs(lam)
        cases.append((c if at_c else _away(rng, c), eta, lam, n, c, regime))
    outcomes = student.call_many(
        "quadratic_closed_form",
        [Args(w0, eta, lam, n, center=c) for w0, eta, lam, n, c, _ in cases],
    )
    for (w0, eta, lam, n, c, regime), outcome in zip(cases, outcomes, strict=True):
        with credit.case():
            got = outcome.get()
            _close(
                got,
                ref.quadratic_closed_form(w0, eta, lam, n, center=c),
                what="quadratic_closed_form(w0, η, λ, n_steps, center)",
                case=f"w0 = {w0:.6g}, η = {eta:.6g}, λ = {lam:.6g} (1 − ηλ = {1 - eta * lam:.6g})"
                f", n_steps = {n}, center = {c:.6g} [{regime}]",
                mistakes=partial(_closed_form_mistakes, w0, eta, lam, n, c),
            )
    credit.finish()


# ----------------------------------------------------------------------------- stability


def _stability_mistakes(lam: float) -> dict[str, list[float]]:
    if lam > 0:
        return {_M["one_over"]: [0.0, 1.0 / lam], _M["two_lam"]: [0.0, 2.0 * lam]}
    return {"(0, 2/λ) for λ < 0" + _M["neg_lam"]: [0.0, 2.0 / lam if lam else math.inf],
            "(0, ∞) for λ ≤ 0" + _M["neg_lam"]: [0.0, math.inf]}  # fmt: skip


def test_stability_interval(student, rng, credit):
    """The stability interval (0, 2/λ) for small, moderate and huge λ; empty for λ ≤ 0."""
    lams = [
        float(rng.uniform(0.5, 10.0)),
        float(10 ** rng.uniform(-3, -1)),
        float(10 ** rng.uniform(2, 4)),
        -float(rng.uniform(0.1, 5.0)),
        0.0,
    ]
    outcomes = student.call_many("stability_interval", [(lam,) for lam in lams])
    for lam, outcome in zip(lams, outcomes, strict=True):
        with credit.case():
            got = outcome.get()
            case = f"λ = {lam:.6g}"
            expect_true(
                isinstance(got, (tuple, list)) and len(got) == 2,
                f"stability_interval(λ) should return a pair (low, high) for {case}; your "
                f"function returned {type(got).__name__}.",
            )
            _close(
                list(got),
                list(ref.stability_interval(lam)),
                what="stability_interval(λ) = (low, high)",
                case=case,
                mistakes=partial(_stability_mistakes, lam),
            )
    credit.finish()


# ----------------------------------------------------------------------------- logged runs


def _as_1d(value: Any, what: str, case: str) -> np.ndarray:
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):
        arr = np.asarray([], dtype=object)
    if arr.ndim != 1 or arr.dtype == object or (arr.dtype.kind not in "fiu" and arr.size):
        raise WrongAnswer(
            f"{what} should be a 1-D array of numbers for {case}; your function returned "
            f"{type(value).__name__} of shape {np.shape(arr)}."
        )
    return arr


def _unpack_run(got: Any, what: str, case: str) -> tuple[Any, dict[str, np.ndarray]]:
    """Validate ``(w_final, hist)``: a pair, a dict with the four keys, equal-length arrays."""
    expect_true(
        isinstance(got, (tuple, list)) and len(got) == 2,
        f"{what} should return a pair (w_final, hist) for {case}; your function returned "
        f"{type(got).__name__}.",
    )
    w, hist = got
    keys = f" with keys {sorted(hist)}" if isinstance(hist, dict) else ""
    expect_true(
        isinstance(hist, dict) and all(k in hist for k in _KEYS),
        f"{what}: hist should be a dict with keys 'k', 'w', 'L', 'abs_dL' for {case}; your "
        f"function returned {type(hist).__name__}{keys}.",
    )
    arrays = {k: _as_1d(hist[k], f"{what}: hist[{k!r}]", case) for k in _KEYS}
    lengths = {k: len(v) for k, v in arrays.items()}
    expect_true(
        len(set(lengths.values())) == 1,
        f"{what}: the history arrays should all have the same length for {case}; got lengths "
        f"{lengths}.",
    )
    return w, arrays


def _compare_run(
    got: tuple[Any, dict[str, np.ndarray]], expected: Run, what: str, case: str,
    tolerance: Tolerance | None,
) -> None:  # fmt: skip
    w, hist = got
    ew, eh = expected
    expect_equal(len(hist["k"]), len(eh["k"]), what=f"{what}: the number of iterations", case=case)
    for key in _KEYS:
        expect_close(
            hist[key], eh[key], what=f"{what}: hist[{key!r}]", case=case, tolerance=tolerance
        )
    expect_close(w, ew, what=f"{what}: the returned w_final", case=case, tolerance=tolerance)


def _same_run(got: Any, expected: Run, tolerance: Tolerance | None) -> bool:
    try:
        _compare_run(got, expected, "", "", tolerance)
    except WrongAnswer:
        return False
    return True


def _check_run(
    got: Any, expected: Run, *, what: str, case: str,
    mistakes: Callable[[], Mapping[str, Run]], tolerance: Tolerance | None = None,
) -> None:  # fmt: skip
    """Compare a ``(w_final, hist)`` run: iterations, every history array, w_final."""
    run = _unpack_run(got, what, case)
    try:
        _compare_run(run, expected, what, case, tolerance)
    except WrongAnswer as exc:
        with np.errstate(all="ignore"):
            candidates = mistakes()
        for name, candidate in candidates.items():
            if _same_run(run, candidate, tolerance) and not _same_run(
                candidate, expected, tolerance
            ):
                raise WrongAnswer(
                    f"{what} is wrong for {case}: it looks like {name}.\n{exc}"
                ) from None
        raise


def _history(ks: list, ws: list, Ls: list, gs: list) -> dict[str, np.ndarray]:
    return {
        "k": np.asarray(ks, dtype=np.int64),
        "w": np.asarray(ws, dtype=np.float64),
        "L": np.asarray(Ls, dtype=np.float64),
        "abs_dL": np.asarray(gs, dtype=np.float64),
    }


def _stops(g: float, loss: float, eps_grad: float | None, eps_obj: float | None) -> bool:
    """Seed 004's stopping rules, tested before the update."""
    return (eps_grad is not None and abs(g) <= eps_grad) or (
        eps_obj is not None and loss <= eps_obj
    )


def _loop_variant(
    L: Fn, dL: Fn, w0: float, eta: float, max_iters: int, eps_grad: float | None,
    eps_obj: float | None, *, update_first: bool = False, signed: bool = False,
    log_after: bool = False,
) -> Run:  # fmt: skip
    """Seed 004's loop with one known mistake switched on."""
    ks: list[int] = []
    ws: list[float] = []
    Ls: list[float] = []
    gs: list[float] = []
    w = np.float64(w0)
    for k in range(max_iters):
        lw, gw = float(L(w)), float(dL(w))
        new = w - np.float64(eta) * np.float64(gw)
        ks.append(k)
        ws.append(float(new if log_after else w))
        Ls.append(lw)
        gs.append(gw if signed else abs(gw))
        if _stops(gw, lw, eps_grad, eps_obj):
            if update_first:
                w = new
            break
        w = new
    return float(w), _history(ks, ws, Ls, gs)


def _loop_mistakes(
    L: Fn, dL: Fn, w0: float, eta: float, max_iters: int, eps_grad: float | None,
    eps_obj: float | None,
) -> dict[str, Run]:  # fmt: skip
    args = (L, dL, w0, eta, max_iters, eps_grad, eps_obj)
    w_cap, hist = ref.gradient_descent_1d(*args)
    logged = (float(hist["w"][-1]) if len(hist["w"]) else w_cap), hist
    return {
        _M["update_first"]: _loop_variant(*args, update_first=True),
        _M["signed"]: _loop_variant(*args, signed=True),
        _M["log_after"]: _loop_variant(*args, log_after=True),
        _M["extra_iter"]: ref.gradient_descent_1d(L, dL, w0, eta, max_iters + 1, eps_grad, eps_obj),
        _M["cap_logged"]: logged,
    }  # fmt: skip


def _near(values: np.ndarray, threshold: float | None, rel: float = 1e-6) -> bool:
    """Does some value sit within ``rel`` of a stopping threshold (a rounding coin-flip)?"""
    if threshold is None or not len(values):
        return False
    with np.errstate(all="ignore"):
        return bool(np.any(np.abs(values - threshold) <= rel * threshold))


def _robust_run(run: Run, eps_grad: float | None, eps_obj: float | None) -> bool:
    return not (_near(run[1]["abs_dL"], eps_grad) or _near(run[1]["L"], eps_obj))


def _run_loop_cases(student: Any, credit: Any, cases: list) -> None:
    outcomes = student.call_many(
        "gradient_descent_1d",
        [Args(land.loss, land.grad, w0, eta, **kw) for land, w0, eta, kw, _ in cases],
    )
    for (landscape, w0, eta, kw, regime), outcome in zip(cases, outcomes, strict=True):
        with credit.case():
            got = outcome.get()
            args = (w0, eta, kw.get("max_iters", 200), kw.get("eps_grad", 1e-8), kw.get("eps_obj"))
            _check_run(
                got,
                ref.gradient_descent_1d(landscape.loss, landscape.grad, *args),
                what="gradient_descent_1d(L, dL, w0, η, …)",
                case=f"{_land(landscape)}, w0 = {w0:.6g}, η = {eta:.6g}{_opts(kw)} [{regime}]",
                mistakes=partial(_loop_mistakes, landscape.loss, landscape.grad, *args),
            )  # fmt: skip


def _stopping_case(
    rng: np.random.Generator, rho: tuple[float, float], kw: Callable[[], dict[str, Any]],
    regime: str,
) -> tuple[Any, float, float, dict[str, Any], str]:  # fmt: skip
    """A quadratic run that stops on a rule, with no |L'| or L near its threshold."""
    for _ in range(20):
        q = _quadratic(rng, 0.5, 4.0)
        w0, eta, opts = _away(rng, q.center), float(rng.uniform(*rho)) / q.lam, kw()
        run = ref.gradient_descent_1d(q.loss, q.grad, w0, eta, **opts)
        if _robust_run(run, opts.get("eps_grad", 1e-8), opts.get("eps_obj")):
            break
    return q, w0, eta, opts, regime


@pytest.mark.weight(2)
def test_gradient_descent_1d(student, rng, credit):
    """Seed 004's logged loop: stops on |L'| ≤ eps_grad or L ≤ eps_obj, tested before updating."""

    def by_objective() -> dict[str, Any]:
        return {"max_iters": 100, "eps_grad": 1e-12, "eps_obj": float(10 ** rng.uniform(-7, -4))}

    def by_gradient() -> dict[str, Any]:
        return {"max_iters": 100, "eps_grad": float(10 ** rng.uniform(-7, -4)), "eps_obj": None}

    cases = [
        _stopping_case(rng, (0.4, 0.8), dict, "defaults: max_iters = 200, eps_grad = 1e-8"),
        _stopping_case(rng, (1.2, 1.7), by_objective, "oscillating; the objective rule stops it"),
        _stopping_case(rng, (0.3, 0.7), by_gradient, "the gradient rule stops it"),
    ]
    dw = DoubleWell()
    for _ in range(20):
        w0, eta = _signed_uniform(rng, 0.3, 1.8), float(rng.uniform(0.05, 0.15))
        kw = {"max_iters": 100, "eps_grad": 1e-6, "eps_obj": None}
        if _robust_run(ref.gradient_descent_1d(dw.loss, dw.grad, w0, eta, **kw), 1e-6, None):
            break
    cases.append((dw, w0, eta, kw, "the double well"))
    q = _quadratic(rng)
    kw = {"max_iters": 50, "eps_grad": 1e-8, "eps_obj": None}
    eta = float(rng.uniform(0.1, 0.9)) / q.lam
    cases.append((q, q.center, eta, kw, "w0 is the minimiser: stop at k = 0"))
    _run_loop_cases(student, credit, cases)
    credit.finish()


def test_gradient_descent_1d_cap(student, rng, credit):
    """The max_iters cap: w_{max_iters} is returned but not logged; max_iters = 0 logs nothing."""
    q1, q2, q3, neg = (_quadratic(rng, 0.5, 4.0), _quadratic(rng, 0.5, 4.0), _quadratic(rng),
                       _concave(rng))  # fmt: skip
    no_rule = {"max_iters": int(rng.integers(4, 13)), "eps_grad": None, "eps_obj": None}
    cases = [
        (q1, _away(rng, q1.center), float(rng.uniform(0.2, 0.8)) / q1.lam, no_rule,
         "no stopping rule: the cap"),
        (q2, _away(rng, q2.center), float(rng.uniform(2.2, 2.8)) / q2.lam,
         {"max_iters": int(rng.integers(10, 26))}, "divergent, ηλ > 2"),
        (neg, _away(rng, neg.center), float(rng.uniform(0.05, 0.2)),
         {"max_iters": int(rng.integers(5, 12)), "eps_obj": 1e-6}, "negative curvature"),
        (DoubleWell(), _signed_uniform(rng, 0.3, 1.8), float(rng.uniform(0.02, 0.1)),
         {"max_iters": 8, "eps_grad": 1e-12}, "the double well, capped"),
        (q3, _away(rng, q3.center), 0.5 / q3.lam, {"max_iters": 0}, "max_iters = 0"),
    ]  # fmt: skip
    _run_loop_cases(student, credit, cases)
    credit.finish()


# ----------------------------------------------------------------------------- torch


def _torch_accumulating(
    L_fn: Fn, w0: float, eta: float, max_iters: int, eps_grad: float | None,
    eps_obj: float | None, dtype: str,
) -> Run:  # fmt: skip
    """Seed 004 §7's loop without ``w.grad = None``: every gradient adds to the old ones."""
    import torch

    w = torch.tensor(float(w0), dtype=getattr(torch, dtype), requires_grad=True)
    ks: list[int] = []
    ws: list[float] = []
    Ls: list[float] = []
    gs: list[float] = []
    for k in range(max_iters):
        loss = L_fn(w)
        loss.backward()
        g, lw = w.grad.item(), loss.item()
        ks.append(k)
        ws.append(w.item())
        Ls.append(lw)
        gs.append(abs(g))
        if _stops(g, lw, eps_grad, eps_obj):
            break
        with torch.no_grad():
            w -= float(eta) * w.grad
    return float(w.item()), _history(ks, ws, Ls, gs)


def _torch_mistakes(
    L_fn: Fn, w0: float, eta: float, max_iters: int, eps_grad: float | None,
    eps_obj: float | None, dtype: str,
) -> dict[str, Run]:  # fmt: skip
    args = (L_fn, w0, eta, max_iters, eps_grad, eps_obj)
    other, name = ("float64", "as_f64") if dtype == "float32" else ("float32", "as_f32")
    return {
        _M["grad_kept"]: _torch_accumulating(*args, dtype),
        _M[name]: ref.gd_1d_torch(*args, dtype=other),
    }


def _run_torch_cases(student: Any, credit: Any, cases: list, dtype: str) -> None:
    tol = policy().tolerance(np.dtype(dtype))
    outcomes = student.call_many(
        "gd_1d_torch", [Args(land.loss, w0, eta, **kw) for land, w0, eta, kw, _, _ in cases]
    )
    for (landscape, w0, eta, kw, regime, expected), outcome in zip(cases, outcomes, strict=True):
        with credit.case():
            got = outcome.get()
            args = (w0, eta, kw["max_iters"], kw["eps_grad"], kw.get("eps_obj"))
            _check_run(
                got,
                expected or ref.gd_1d_torch(landscape.loss, *args, dtype=dtype),
                what="gd_1d_torch(L_fn, w0, η, …)",
                case=f"{_land(landscape)}, w0 = {w0:.6g}, η = {eta:.6g}{_opts(kw)} [{regime}]",
                tolerance=tol,
                mistakes=partial(_torch_mistakes, landscape.loss, *args, dtype),
            )


@pytest.mark.weight(2)
def test_gd_1d_torch_float32(student, rng, credit):
    """Seed 004 §7's autograd loop in float32 (the default dtype): w, iterations, history."""
    for _ in range(20):
        # η = 2^-m makes η·L'(w) exact in float32, so every reasonable way of writing the
        # update (w -= η·g, w.sub_(g, alpha=η), torch.optim.SGD) rounds alike. With ηλ near
        # 1, float32 stalls near c within a few steps while float64 reaches eps_grad.
        eta = float(2.0 ** -rng.integers(1, 4))
        q = Quadratic1D(lam=(1.0 + _signed_uniform(rng, 0.03, 0.1)) / eta,
                        center=float(rng.uniform(-3, 3)))  # fmt: skip
        w0, kw_q = _away(rng, q.center, 2.0, 4.0), {"max_iters": 12, "eps_grad": 1e-8}
        f64 = ref.gradient_descent_1d(q.loss, q.grad, w0, eta, **kw_q)
        if len(f64[1]["k"]) == 12 or not _robust_run(f64, 1e-8, None):
            continue
        f32 = ref.gd_1d_torch(q.loss, w0, eta, **kw_q)
        if len(f32[1]["k"]) != len(f64[1]["k"]):
            break  # the iteration count tells float32 from float64
    dw = DoubleWell()
    for _ in range(20):
        w0_dw, eta_dw = _signed_uniform(rng, 0.4, 1.8), float(2.0 ** -rng.integers(4, 6))
        eps_obj = float(10 ** rng.uniform(-3, -1))
        kw_dw = {"max_iters": 6, "eps_grad": 1e-10, "eps_obj": eps_obj, "dtype": "float32"}
        run = ref.gradient_descent_1d(dw.loss, dw.grad, w0_dw, eta_dw, 6, 1e-10, eps_obj)
        if _robust_run(run, 1e-10, eps_obj):
            break
    cases = [
        (q, w0, eta, kw_q, "default dtype, η a power of two, ηλ near 1", f32),
        (dw, w0_dw, eta_dw, kw_dw, "the double well", None),
    ]
    _run_torch_cases(student, credit, cases, "float32")
    credit.finish()


def test_gd_1d_torch_float64(student, rng, credit):
    """The autograd loop with dtype='float64': w, iterations and history in float64."""
    for _ in range(20):
        q = _quadratic(rng, 0.5, 4.0)
        w0, eta = _away(rng, q.center, 2.0, 4.0), float(rng.uniform(0.85, 0.95)) / q.lam
        eps = float(10 ** rng.uniform(-9, -7))
        kw_q = {"max_iters": 14, "eps_grad": eps, "dtype": "float64"}
        f64 = ref.gradient_descent_1d(q.loss, q.grad, w0, eta, 14, eps)
        if len(f64[1]["k"]) < 14 and _robust_run(f64, eps, None):
            break
    kw_dw = {"max_iters": 5, "eps_grad": None, "dtype": "float64"}
    cases = [
        (q, w0, eta, kw_q, "float64; stops on the gradient rule", None),
        (DoubleWell(), _signed_uniform(rng, 0.5, 1.5), float(rng.uniform(0.05, 0.12)), kw_dw,
         "float64; the double well, no stopping rule", None),
    ]  # fmt: skip
    _run_torch_cases(student, credit, cases, "float64")
    credit.finish()


def _autograd_mistakes(L_fn: Fn, w: float, used: str) -> dict[str, float]:
    other, name = ("float64", "as_f64") if used == "float32" else ("float32", "as_f32")
    return {
        _M[name]: ref.autograd_derivative(L_fn, w, other),
        _M["f32_start"]: ref.autograd_derivative(L_fn, float(np.float32(w)), "float64"),
    }


def _dtype_sensitive(landscape: Any, draw: Callable[[], float], used: str) -> tuple[float, float]:
    """A point where float32 and float64 derivatives differ by > 1e-5 (relative)."""
    for _ in range(20):
        w = draw()
        f32, f64 = (ref.autograd_derivative(landscape.loss, w, d) for d in ("float32", "float64"))
        if abs(f32 - f64) > 1e-5 * abs(f64):
            break
    return w, f32 if used == "float32" else f64


def test_autograd_derivative(student, rng, credit):
    """L'(w) from backward(), in float32 (default) and float64, where rounding shows."""
    dw, q = DoubleWell(), _quadratic(rng)
    big = Quadratic1D(lam=float(rng.uniform(0.5, 4.0)), center=float(rng.uniform(100, 1000)))
    w_c, at_c = _dtype_sensitive(big, lambda: big.center + float(rng.uniform(0.01, 0.1)), "float32")
    w_1, at_1 = _dtype_sensitive(dw, lambda: 1.0 + _signed_uniform(rng, 2e-4, 1e-3), "float64")
    cases = [
        (dw, _signed_uniform(rng, 0.2, 2.5), None, "default dtype (float32)", None),
        (big, w_c, None, "default dtype (float32), w close to a large centre: float32 rounding "
         "shows", at_c),
        (dw, w_1, "float64", "near the minimiser +1: float32 would lose digits in w² − 1", at_1),
        (q, _away(rng, q.center), "float64", "float64", None),
    ]  # fmt: skip
    outcomes = student.call_many(
        "autograd_derivative",
        [Args(land.loss, w, **({} if d is None else {"dtype": d})) for land, w, d, _, _ in cases],
    )
    for (landscape, w, dtype, regime, expected), outcome in zip(cases, outcomes, strict=True):
        with credit.case():
            kwargs = {} if dtype is None else {"dtype": dtype}
            got = outcome.get()
            used = dtype or "float32"
            if expected is None:
                expected = ref.autograd_derivative(landscape.loss, w, used)
            _close(
                got,
                expected,
                what="autograd_derivative(L_fn, w)",
                case=f"{_land(landscape)}, w = {w:.9g}{_opts(kwargs)} [{regime}]",
                mistakes=partial(_autograd_mistakes, landscape.loss, w, used),
            )  # fmt: skip
    credit.finish()


# ----------------------------------------------------------------------------- time-to-result


def _ttr_variant(
    L: Fn, dL: Fn, w0: float, eta: float, target: float, max_iters: int, *,
    after_update: bool = False, cap: int | None = None, plus_one: bool = False,
) -> int:  # fmt: skip
    """time_to_result with one known mistake."""
    w = np.float64(w0)
    for k in range(max_iters):
        if not after_update and float(L(w)) <= target:
            return k + 1 if plus_one else k
        w = w - np.float64(eta) * np.float64(float(dL(w)))
        if after_update and float(L(w)) <= target:
            return k + 1
    return max_iters if cap is None else cap


def _ttr_mistakes(
    L: Fn, dL: Fn, w0: float, eta: float, target: float, max_iters: int
) -> dict[str, int]:
    args = (L, dL, w0, eta, target, max_iters)
    return {
        _M["plus_one"]: _ttr_variant(*args, plus_one=True),
        _M["after_update"]: _ttr_variant(*args, after_update=True),
        _M["cap_minus_one"]: _ttr_variant(*args, cap=max_iters - 1),
        _M["cap_neg"]: _ttr_variant(*args, cap=-1),
    }


def _robust_ttr(landscape: Any, w0: float, eta: float, target: float, max_iters: int) -> bool:
    """Bounded run (no overflow in L) and no L(w_k) within 1e-6 (relative) of the target."""
    path = ref.gd_trajectory(landscape.grad, w0, eta, max_iters)
    if not np.all(np.abs(path) < 1e100):
        return False
    losses = np.asarray(landscape.loss(path), dtype=np.float64)  # elementwise, same rounding
    return not _near(losses, target)


@pytest.mark.weight(2)
def test_time_to_result(student, rng, credit):
    """Time-to-result: updates until L(w_k) ≤ target, or the ceiling max_iters."""
    cases: list[tuple[Any, float, float, float, int, str]] = []
    for low, high, regime in [
        (0.3, 0.9, "monotone"),
        (1.1, 1.7, "oscillating"),
        (1.0, 1.0, "ηλ = 1: one step"),
        (2.1, 2.6, "divergent: the ceiling"),
        (0.005, 0.02, "tiny step: the ceiling although it converges"),
    ]:
        for _ in range(20):
            q = _quadratic(rng, 0.5, 4.0)
            w0, eta = _away(rng, q.center), float(rng.uniform(low, high)) / q.lam
            target, max_iters = float(10 ** rng.uniform(-6, -3)), int(rng.integers(20, 60))
            if _robust_ttr(q, w0, eta, target, max_iters):
                break
        cases.append((q, w0, eta, target, max_iters, regime))
    q, target = _quadratic(rng), float(10 ** rng.uniform(-5, -3))
    w0 = q.center + math.sqrt(target / q.lam) * float(rng.uniform(0.2, 0.9))  # L(w0) < target/2
    eta = float(rng.uniform(0.2, 0.9)) / q.lam
    cases.append((q, w0, eta, target, 30, "L(w0) ≤ target already: 0 updates"))
    dw = DoubleWell()
    for _ in range(20):
        w0, eta = _signed_uniform(rng, 0.3, 1.8), float(rng.uniform(0.05, 0.2))
        if _robust_ttr(dw, w0, eta, 1e-6, 80):
            break
    cases.append((dw, w0, eta, 1e-6, 80, "the double well"))
    outcomes = student.call_many(
        "time_to_result",
        [
            Args(land.loss, land.grad, w0, eta, target=target, max_iters=max_iters)
            for land, w0, eta, target, max_iters, _ in cases
        ],
    )
    for (landscape, w0, eta, target, max_iters, regime), outcome in zip(
        cases, outcomes, strict=True
    ):
        with credit.case():
            args = (landscape.loss, landscape.grad, w0, eta, target, max_iters)
            got = outcome.get()
            _equal(
                got,
                ref.time_to_result(*args),
                what="time_to_result(L, dL, w0, η, target, max_iters)",
                case=f"{_land(landscape)}, w0 = {w0:.6g}, η = {eta:.6g}, target = {target:.3g}, "
                f"max_iters = {max_iters} [{regime}]",
                mistakes=partial(_ttr_mistakes, *args),
            )
    credit.finish()


# ----------------------------------------------------------------------------- sweep


def _sweep_mistakes(
    L: Fn, dL: Fn, w0: float, etas: np.ndarray, target: float, max_iters: int,
    expected: np.ndarray,
) -> dict[str, np.ndarray]:  # fmt: skip
    warm, w = [], np.float64(w0)  # each run starts where the previous one stopped
    for eta in etas:
        n = max_iters
        for k in range(max_iters):
            if float(L(w)) <= target:
                n = k
                break
            w = w - np.float64(eta) * np.float64(float(dL(w)))
        warm.append(n)
    return {
        _M["warm"]: np.asarray(warm, dtype=np.int64),
        _M["sorted"]: expected[np.argsort(etas, kind="stable")],
        _M["plus_one"]: np.where(expected < max_iters, expected + 1, expected),
        _M["cap_minus_one"]: np.where(expected == max_iters, max_iters - 1, expected),
    }


def test_step_size_sweep(student, rng, credit):
    """Step-size sweep: one count per η in the given order, restarted from w0 every time."""
    for _ in range(20):
        q = _quadratic(rng, 0.5, 4.0)
        w0 = _away(rng, q.center)
        rhos = np.array([rng.uniform(0.3, 0.6), rng.uniform(0.9, 0.99), 1.0,
                         rng.uniform(1.2, 1.6), 2.0, rng.uniform(2.2, 2.6)])  # fmt: skip
        rng.shuffle(rhos)
        etas = rhos / q.lam
        if all(_robust_ttr(q, w0, float(e), 1e-5, 40) for e in etas):
            break
    dw = DoubleWell()
    for _ in range(20):
        w0_dw = _signed_uniform(rng, 0.5, 1.8)
        etas_dw = rng.permutation([0.03125, 0.0625, 0.125, 0.25]).astype(np.float32)
        if all(_robust_ttr(dw, w0_dw, float(e), 1e-6, 40) for e in etas_dw):
            break
    q1 = _quadratic(rng)
    cases = [
        (q, w0, etas, 1e-5, "quadratic, ηλ in every regime, unsorted, float64 array"),
        (dw, w0_dw, etas_dw, 1e-6, "the double well, a float32 array of η"),
        (q1, _away(rng, q1.center), float(rng.uniform(0.3, 0.9)) / q1.lam, 1e-5,
         "a single η given as a number: a grid of one"),
    ]  # fmt: skip
    outcomes = student.call_many(
        "step_size_sweep",
        [
            Args(land.loss, land.grad, w0, grid, target=target, max_iters=40)
            for land, w0, grid, target, _ in cases
        ],
    )
    for (landscape, w0, grid, target, regime), outcome in zip(cases, outcomes, strict=True):
        with credit.case():
            got = outcome.get()
            flat = np.asarray(grid, dtype=float).reshape(-1)
            args = (landscape.loss, landscape.grad, w0, flat, target, 40)
            expected = ref.step_size_sweep(*args)
            shown = np.array2string(flat, precision=4, separator=", ")
            _close(
                got,
                expected,
                what="step_size_sweep(L, dL, w0, etas, target, max_iters)",
                case=f"{_land(landscape)}, w0 = {w0:.6g}, etas = {shown}, target = {target:.3g}"
                f", max_iters = 40 [{regime}]",
                mistakes=partial(_sweep_mistakes, *args, expected),
            )
    credit.finish()


# ----------------------------------------------------------------------------- double well


def _dw_last(w0: float, eta: float, n: int) -> float:
    """w_n of GD on the double well, with the reference's arithmetic (Python floats are IEEE
    doubles too: overflow gives inf, then nan, and never raises for * and −)."""
    w = float(w0)
    for _ in range(n):
        new = w - eta * (2.0 * w * (w * w - 1.0))
        if new == w or new != new:  # a fixed point, or nan: nothing changes any more
            return new
        w = new
    return w


def _classify(x: float, tol: float) -> float:
    hits = [p for p in (-1.0, 0.0, 1.0) if abs(x - p) <= tol]
    return hits[0] if hits else math.nan


def _robust_dw(w0: float, eta: float, n: int, tol: float) -> bool:
    """Same verdict when w0 or η move by 1e-9 (relative), and w_n not within 100× of tol."""
    d = 1e-9
    runs = [(w0, eta), (w0 * (1 + d), eta), (w0 * (1 - d), eta), (w0, eta * (1 + d)),
            (w0, eta * (1 - d))]  # fmt: skip
    last = [_dw_last(a, b, n) for a, b in runs]
    verdicts = {str(_classify(x, tol)) for x in last}
    if len(verdicts) != 1 or not math.isfinite(last[0]):
        return len(verdicts) == 1
    dist = min(abs(last[0] - p) for p in (-1.0, 0.0, 1.0))
    return dist <= tol / 100 or dist >= tol * 100


def _dw_mistakes(w0: float, eta: float, n: int, tol: float) -> dict[str, float]:
    last, ascent = _dw_last(w0, eta, n), _dw_last(w0, -eta, n)
    finite = math.isfinite(last)
    nearest = min((-1.0, 0.0, 1.0), key=lambda p: abs(last - p)) if finite else math.nan
    return {
        _M["half_grad"]: ref.double_well_limit(w0, eta / 2.0, n, tol),
        _M["ascent"]: _classify(ascent, tol),
        _M["last"]: last,
        _M["never_nan"]: nearest,
    }


@pytest.mark.weight(2)
def test_double_well_limit(student, rng, credit):
    """Where GD on ½(w² − 1)² ends: −1, 0, +1, or nan (a cycle, a divergence, not settled)."""

    def draw(w: tuple[float, float], eta: tuple[float, float], n: int, tol: float = 1e-6,
             ) -> tuple[float, float, int, float]:  # fmt: skip
        for _ in range(30):
            w0, step = _signed_uniform(rng, *w), float(rng.uniform(*eta))
            if _robust_dw(w0, step, n, tol):
                break
        return w0, step, n, tol

    cases = [
        (*draw((0.2, 1.6), (0.08, 0.2), 100), "small η: the minimiser of its own well"),
        (*draw((1.6, 2.4), (0.15, 0.3), 100), "a large first step may jump to the other well"),
        (*draw((0.3, 1.5), (0.52, 0.6), 100), "η > 1/2: a 2-cycle around a minimiser"),
        (*draw((2.5, 4.0), (0.3, 0.6), 100), "divergence"),
        (*draw((0.2, 0.8), (0.01, 0.03), int(rng.integers(3, 8))), "not settled yet"),
        (*draw((0.3, 1.6), (0.1, 0.2), 30, 1e-3), "tol = 1e-3"),
        (0.0, float(rng.uniform(0.05, 0.5)), 50, 1e-6, "w0 = 0: the local maximum"),
    ]
    outcomes = student.call_many(
        "double_well_limit",
        [Args(w0, eta, n_steps=n, tol=tol) for w0, eta, n, tol, _ in cases],
    )
    for (w0, eta, n, tol, regime), outcome in zip(cases, outcomes, strict=True):
        with credit.case():
            got = outcome.get()
            _close(
                got,
                ref.double_well_limit(w0, eta, n, tol),
                what="double_well_limit(w0, η, n_steps, tol)",
                case=f"w0 = {w0:.6g}, η = {eta:.6g}, n_steps = {n}, tol = {tol:.3g} [{regime}]",
                mistakes=partial(_dw_mistakes, w0, eta, n, tol),
            )
    credit.finish()
