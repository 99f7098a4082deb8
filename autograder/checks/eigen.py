"""Hidden checks for exercise ``eigen`` (eigenvalue classification of GD dynamics).

Every check compares the student's functions with ``reference.eigen`` on inputs drawn
from ``rng``, built so that the regimes of the course are always present: steps just
below, exactly at and just above the float64 thresholds ``1.0/λ`` and ``2.0/λ`` (chosen
where a rounded r = 1 − αλ would give another verdict), r = 0 and |r| = 1, κ ≫ 1,
negative and zero curvature, non-diagonal symmetric matrices, unsorted eigenvalues and
float32 inputs. Known mistakes (2/λmin instead of 2/λmax, a closed stable interval,
verdicts read off the rounded r, "monotone"/"oscillatory" swapped, unsorted eigenvalues,
κ inverted, ...) are recomputed here and named in the messages.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

from autograder.compare import expect_close, expect_equal, illustrate, policy
from autograder.config import Tolerance
from autograder.errors import StudentCodeError, WrongAnswer
from autograder.landscapes import DoubleWell, Multimodal, QuadraticForm, Rosenbrock
from reference import eigen as ref

EXERCISE = "eigen"

_UP, _DOWN = math.inf, 0.0


# ----------------------------------------------------------------------------- helpers


def _fmt(values: Any) -> str:
    """Numbers and arrays for messages, 6 significant digits."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 0:
        return f"{float(arr):.6g}"
    if arr.ndim == 1:
        return "[" + ", ".join(f"{v:.6g}" for v in arr) + "]"
    return "[" + ", ".join(_fmt(row) for row in arr) + "]"


def _close(got: Any, expected: Any, *, mistakes: dict[str, Any], **kwargs: Any) -> None:
    """``expect_close``, trying the known mistakes only once the answer is wrong (cheaper)."""
    try:
        expect_close(got, expected, **kwargs)
    except WrongAnswer:
        expect_close(got, expected, mistakes=mistakes, **kwargs)
        raise


def _input_tolerance(x: Any) -> Tolerance | None:
    """A float32 input is judged at float32 precision, whatever dtype comes back."""
    if isinstance(x, np.ndarray) and x.dtype == np.float32:
        return policy().tolerance(np.dtype(np.float32))
    return None


def _exact(x: float) -> str:
    """All 17 digits, for steps one ulp away from a threshold."""
    return f"{x:.17g}"


def _grouped(expected: Any, candidates: dict[str, Any]) -> dict[str, Any]:
    """Wrong answers grouped by value ({"a or b": value}), minus those equal to ``expected``."""
    groups: list[tuple[Any, list[str]]] = []
    for name, value in candidates.items():
        if value == expected:
            continue
        for seen, names in groups:
            if seen == value:
                names.append(name)
                break
        else:
            groups.append((value, [name]))
    return {" or ".join(names): value for value, names in groups}


def _as_bool(got: Any) -> Any:
    """NumPy's bool (e.g. from ``alpha < 2 / lam.max()``) counts as a bool."""
    return bool(got) if isinstance(got, np.bool_) else got


def _rotation(rng: np.random.Generator, d: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.sign(np.diag(r))


def _symmetric(rng: np.random.Generator, eigenvalues: Sequence[float]) -> np.ndarray:
    """Q·diag(λ)·Qᵀ for a random rotation Q, made exactly symmetric (non-diagonal)."""
    lam = np.asarray(eigenvalues, dtype=float)
    q = _rotation(rng, lam.size)
    m = (q * lam) @ q.T
    return 0.5 * (m + m.T)


def _positive(rng: np.random.Generator, d: int, kappa: float, low: float = 0.5) -> np.ndarray:
    """``d`` positive eigenvalues with λmax/λmin = κ, unsorted; for d ≥ 4 both extremes
    sit strictly inside the array (so "first/last" shortcuts are always wrong)."""
    lam_min = float(rng.uniform(low, 2 * low))
    ends = np.array([lam_min, lam_min * kappa][:d])
    inner = lam_min * kappa ** rng.uniform(0.05, 0.95, size=max(d - 2, 0))
    if d >= 4:
        where = rng.choice(np.arange(1, d - 1), size=2, replace=False)
        lam = np.empty(d)
        rest = np.ones(d, dtype=bool)
        rest[where] = False
        lam[where], lam[rest] = ends, inner
        return lam
    lam = np.concatenate([ends, inner])
    rng.shuffle(lam)
    if d >= 2 and np.all(np.diff(lam) >= 0):  # never hand out sorted input by accident
        lam = lam[::-1].copy()
    return lam


def _flip_words(verdict: str) -> str:
    return {"monotone": "oscillatory", "oscillatory": "monotone"}.get(verdict, verdict)


def _three_words(r: float) -> str:
    """The seed's vocabulary only: no special answer at r = −1, 0, 1."""
    if abs(r) < 1:
        return "oscillatory" if r < 0 else "monotone"
    return "divergent"


def _closed_interval(r: float) -> str:
    """|r| ≤ 1 counted as convergent (no "marginal" / "stalled")."""
    if abs(r) <= 1 and r != 0:
        return "oscillatory" if r < 0 else "monotone"
    return ref.multiplier_verdict(r)


def _exposing_lambda(rng: np.random.Generator, rule: Callable[[float], bool]) -> float:
    """A random λ > 0 for which ``rule(λ)`` holds (a rounding trap), else 49."""
    for _ in range(300):
        lam = float(rng.uniform(0.5, 60.0))
        if rule(lam):
            return lam
    return 49.0  # pragma: no cover - 1 − (1/49)·49 = 1.1e-16


def _neighbours(t: float) -> tuple[float, float, float]:
    return float(np.nextafter(t, _DOWN)), t, float(np.nextafter(t, _UP))


def _rounded_r_differs(lam: float, scale: float) -> bool:
    t = scale / lam
    return any(
        ref.multiplier_verdict(1.0 - a * lam) != ref.direction_verdicts([lam], a)[0]
        for a in _neighbours(t)
    )


def _product_rule_differs(lam: float) -> bool:
    return any((a * lam < 2.0) != (a < 2.0 / lam) for a in _neighbours(2.0 / lam))


def _expect_value_error(student: Any, function: str, args: tuple[Any, ...], why: str) -> None:
    """The call must raise ``ValueError``; returning a value or another error is wrong."""
    try:
        got = student.call(function, *args)
    except StudentCodeError as exc:
        if exc.exc_type == "ValueError":
            return
        if exc.exc_type in ("", "NotImplementedError"):
            raise
        raise WrongAnswer(
            f"{function}{_call_text(args)} raised {exc.exc_type}, but the contract asks for "
            f"ValueError: {why}"
        ) from None
    raise WrongAnswer(
        f"{function}{_call_text(args)} returned {repr(got)[:60]} instead of raising ValueError: "
        f"{why}"
    )


def _call_text(args: tuple[Any, ...]) -> str:
    return "(" + ", ".join(_fmt(a) for a in args) + ")"


# ----------------------------------------------------------------------------- eigenvalues


def test_symmetric_eigenvalues(student, rng, credit):
    """Ascending eigenvalues of symmetric Hessians: rotated, ill-conditioned, 1×1, float32."""
    unsorted = _positive(rng, 3, float(rng.uniform(3, 50)))
    cases: list[tuple[Any, str]] = [
        (
            _symmetric(rng, [-rng.uniform(0.5, 3), rng.uniform(0.1, 1), rng.uniform(2, 9)]),
            "a rotated 3×3 indefinite matrix",
        ),
        (np.diag(unsorted), "a diagonal matrix whose diagonal is not sorted"),
        (
            _symmetric(rng, [rng.uniform(1e-3, 1e-2), rng.uniform(1e2, 1e3)]),
            "a rotated 2×2 matrix with κ ≫ 1",
        ),
        (DoubleWell().hessian(float(rng.uniform(-2, 2))), "a scalar (1-D second derivative)"),
        (Rosenbrock().hessian(rng.uniform(-1.5, 1.5, size=2)), "a Rosenbrock Hessian"),
        (_symmetric(rng, rng.uniform(-3, 3, size=4)).astype(np.float32), "a float32 4×4 matrix"),
    ]
    for matrix, label in cases:
        a64 = np.asarray(matrix, dtype=float)
        expected = ref.symmetric_eigenvalues(a64)
        arg = matrix.tolist() if label.startswith("a diagonal") else matrix
        with credit.case():
            got = student.call("symmetric_eigenvalues", arg)
            square = a64.reshape(1, 1) if a64.ndim == 0 else a64
            _close(
                got,
                expected,
                what="symmetric_eigenvalues(A)",
                case=f"{label}, A = {_fmt(a64)}",
                tolerance=_input_tolerance(matrix),
                mistakes={
                    "unsorted eigenvalues (numpy.linalg.eigvals does not sort; the contract "
                    "is ascending order, as eigvalsh returns)": np.linalg.eigvals(square).real,
                    "eigenvalues in descending order (the contract is ascending)": expected[::-1],
                    "the diagonal entries of A instead of its eigenvalues": np.diag(square),
                    "the sorted diagonal entries of A instead of its eigenvalues": np.sort(
                        np.diag(square)
                    ),
                },
            )
    credit.finish()


# ----------------------------------------------------------------------------- multipliers


def _multiplier_mistakes(lam: np.ndarray, alpha: float, expected: np.ndarray) -> dict[str, Any]:
    return {
        "a sign error (1 + αλ instead of 1 − αλ)": 1.0 + alpha * lam,
        "a sign error (αλ − 1 instead of 1 − αλ)": alpha * lam - 1.0,
        "multipliers sorted instead of kept in the eigenvalues' order": np.sort(expected),
        "multipliers in descending order instead of the eigenvalues' order": np.sort(expected)[
            ::-1
        ],
    }


def test_multipliers(student, rng, credit):
    """rᵢ = 1 − αλᵢ in input order: mixed signs, α = 1/λ, α = 0, κ ≫ 1, float32 input."""
    mixed = np.array(
        [rng.uniform(0.5, 5), -rng.uniform(0.1, 2), rng.uniform(5, 20), 0.0, rng.uniform(0.01, 0.5)]
    )
    rng.shuffle(mixed)
    pos = _positive(rng, 4, float(rng.uniform(5, 30)))
    big = _positive(rng, 3, 1e6, low=1e-3)
    cases = [
        (mixed, float(rng.uniform(0.05, 0.3)), "mixed-sign eigenvalues"),
        (pos, 1.0 / float(pos[1]), "α = 1/λ for one eigenvalue (r = 0 there)"),
        (pos, 0.0, "α = 0 (nothing moves: every r = 1)"),
        (big, 1.9 / float(big.max()), "κ = 10⁶, α = 1.9/λmax"),
        (
            pos.astype(np.float32),
            float(rng.uniform(0.5, 1.5)) / float(pos.max()),
            "float32 eigenvalues",
        ),
    ]
    for lam, alpha, label in cases:
        expected = ref.multipliers(lam, alpha)
        lam64 = np.asarray(lam, dtype=float)
        with credit.case(), illustrate("multipliers", eigenvalues=lam64, alpha=alpha):
            got = student.call("multipliers", lam, alpha)
            _close(
                got,
                expected,
                what="multipliers(eigenvalues, α)",
                case=f"{label}: λ = {_fmt(lam64)}, α = {alpha:.6g}",
                tolerance=_input_tolerance(lam),
                mistakes=_multiplier_mistakes(lam64, alpha, expected),
            )
    credit.finish()


def test_multipliers_from_matrix(student, rng, credit):
    """Multipliers of I − αA for non-diagonal and unsorted-diagonal Hessians, λ ascending."""
    spd = _positive(rng, 3, float(rng.uniform(5, 40)))
    diag = _positive(rng, 3, float(rng.uniform(2, 10)))
    cases: list[tuple[Any, float, str]] = [
        (
            _symmetric(rng, spd),
            float(rng.uniform(1.2, 1.9)) / float(spd.max()),
            "a rotated positive definite 3×3 matrix, α between 1/λmax and 2/λmax",
        ),
        (
            np.diag(diag),
            float(rng.uniform(2.1, 3.0)) / float(diag.max()),
            "a diagonal matrix with unsorted diagonal, α > 2/λmax",
        ),
        (
            Multimodal().hessian(rng.uniform(-3, 3, size=2)),
            float(rng.uniform(0.1, 1.0)),
            "a Multimodal Hessian",
        ),
        (
            QuadraticForm.diagonal([2.0, -2.0]).hessian(np.zeros(2)) * rng.uniform(0.5, 3),
            float(rng.uniform(0.1, 0.4)),
            "a saddle x² − y² (scaled)",
        ),
    ]
    for matrix, alpha, label in cases:
        expected = ref.multipliers_from_matrix(matrix, alpha)
        lam = ref.symmetric_eigenvalues(matrix)
        with credit.case(), illustrate("multipliers", eigenvalues=lam, alpha=alpha):
            got = student.call("multipliers_from_matrix", matrix, alpha)
            mistakes = {
                "multipliers in the unsorted order of numpy.linalg.eigvals (the contract "
                "orders them like the ascending eigenvalues)": 1.0
                - alpha * np.linalg.eigvals(matrix).real,
                "the diagonal entries of A used as eigenvalues": 1.0 - alpha * np.diag(matrix),
                **_multiplier_mistakes(ref.symmetric_eigenvalues(matrix), alpha, expected),
            }
            _close(
                got,
                expected,
                what="multipliers_from_matrix(A, α)",
                case=f"{label}: A = {_fmt(matrix)}, α = {alpha:.6g}",
                mistakes=mistakes,
            )
    credit.finish()


# ----------------------------------------------------------------------------- verdicts


@pytest.mark.weight(2)
def test_multiplier_verdict(student, rng, credit):
    """The verdict of z_{k+1} = r·z_k exactly at, just below and just above r = −1, 0, 1."""
    values: list[Any] = []
    for edge in (-1.0, 0.0, 1.0):
        values += [float(np.nextafter(edge, -math.inf)), edge, float(np.nextafter(edge, math.inf))]
    values += [
        float(rng.uniform(-4, -1.01)),
        float(rng.uniform(-0.99, -0.01)),
        float(rng.uniform(0.01, 0.99)),
        float(rng.uniform(1.01, 4)),
        -0.0,
        2,
    ]
    order = rng.permutation(len(values))
    for i in order:
        r = values[int(i)]
        expected = ref.multiplier_verdict(r)
        with credit.case():
            got = student.call("multiplier_verdict", r)
            candidates = {
                "'monotone' and 'oscillatory' swapped (r < 0 flips the sign every step: "
                "that is the oscillation)": _flip_words(expected),
                "only the seed's three words (r = −1 is 'marginal', r = 0 'one_step', "
                "r = 1 'stalled')": _three_words(float(r)),
                "a closed convergence interval (|r| = 1 never converges: r = −1 is "
                "'marginal', r = 1 'stalled')": _closed_interval(float(r)),
            }
            expect_equal(
                got,
                expected,
                what="multiplier_verdict(r)",
                case=f"r = {_exact(float(r))}",
                mistakes=_grouped(expected, candidates),
            )
    credit.finish()


def _verdict_mistakes(lam: np.ndarray, alpha: float, expected: list[str]) -> dict[str, Any]:
    rounded = [ref.multiplier_verdict(1.0 - alpha * v) for v in lam]
    closed = [
        "oscillatory" if e == "marginal" else "monotone" if e == "one_step" else e for e in expected
    ]
    candidates = {
        "verdicts read off the rounded multiplier 1 − αλ (compare α itself with the float64 "
        "thresholds 1.0/λ and 2.0/λ: the rounded r is not exactly 0 or −1 there)": rounded,
        "'monotone' and 'oscillatory' swapped (α > 1/λ makes r < 0: oscillation)": [
            _flip_words(e) for e in expected
        ],
        "no verdict of its own at the thresholds (α = 1/λ is 'one_step', α = 2/λ "
        "'marginal')": closed,
        "only the seed's three words (no 'one_step', 'marginal' or 'stalled')": [
            _three_words(1.0 - alpha * v)
            if e not in ("monotone", "oscillatory", "divergent")
            else e
            for v, e in zip(lam, expected, strict=True)
        ],
    }
    return _grouped(expected, candidates)


@pytest.mark.weight(3)
def test_direction_verdicts(student, rng, credit):
    """Per-direction verdicts exactly at, one ulp below and one ulp above α = 1/λ and 2/λ."""
    lam_a = _exposing_lambda(rng, lambda v: _rounded_r_differs(v, 1.0))
    lam_b = _exposing_lambda(rng, lambda v: _rounded_r_differs(v, 2.0) and v != lam_a)
    lam = np.array([lam_a, lam_b, 0.0, -float(rng.uniform(0.1, 5)), float(rng.uniform(0.1, 1))])
    rng.shuffle(lam)
    ia, ib = int(np.flatnonzero(lam == lam_a)[0]), int(np.flatnonzero(lam == lam_b)[0])
    t1, t2 = 1.0 / lam_a, 2.0 / lam_b
    below, above = "one ulp below", "one ulp above"
    cases: list[tuple[np.ndarray, float, str]] = [
        (lam, float(np.nextafter(t1, _DOWN)), f"α {below} 1.0/λ[{ia}]"),
        (lam, t1, f"α = 1.0/λ[{ia}] exactly (r = 0 in that direction)"),
        (lam, float(np.nextafter(t1, _UP)), f"α {above} 1.0/λ[{ia}]"),
        (lam, float(np.nextafter(t2, _DOWN)), f"α {below} 2.0/λ[{ib}]"),
        (lam, t2, f"α = 2.0/λ[{ib}] exactly (r = −1 in that direction)"),
        (lam, float(np.nextafter(t2, _UP)), f"α {above} 2.0/λ[{ib}]"),
        (lam, 0.0, "α = 0"),
    ]
    wide = _positive(rng, 4, 1e4, low=0.01)
    cases.append((wide, 1.5 / float(wide.max()), "κ = 10⁴, α = 1.5/λmax"))
    for values, alpha, label in cases:
        expected = ref.direction_verdicts(values, alpha)
        with credit.case():
            got = student.call("direction_verdicts", values, alpha)
            expect_equal(
                got,
                expected,
                what="direction_verdicts(eigenvalues, α)",
                case=f"λ = {_fmt(values)}, {label}: α = {_exact(alpha)}",
                mistakes=_verdict_mistakes(values, alpha, expected),
            )
    credit.finish()


def test_oscillation_thresholds(student, rng, credit):
    """1/λ where λ > 0 and inf where λ ≤ 0: mixed signs, κ ≫ 1, overflow, float32 input."""
    mixed = np.array(
        [rng.uniform(0.5, 5), 0.0, -rng.uniform(0.1, 3), rng.uniform(5, 50), -rng.uniform(3, 9)]
    )
    rng.shuffle(mixed)
    cases = [
        (mixed, "mixed signs and a zero"),
        (_positive(rng, 3, 1e8, low=1e-4), "κ = 10⁸"),
        (
            np.array([float(rng.uniform(1, 4)) * 1e-310, float(rng.uniform(1, 9))]),
            "a subnormal λ (1/λ overflows to inf)",
        ),
        (_positive(rng, 3, 20.0).astype(np.float32), "float32 eigenvalues"),
    ]
    for lam, label in cases:
        expected = ref.oscillation_thresholds(lam)
        lam64 = np.asarray(lam, dtype=float)
        pos = lam64 > 0
        with np.errstate(divide="ignore", over="ignore"):
            mistakes = {
                "2/λ (that is where divergence starts; oscillation starts at 1/λ)": np.where(
                    pos, 2.0 / np.where(pos, lam64, 1.0), np.inf
                ),
                "1/λ also where λ ≤ 0 (a flat or negatively curved direction never "
                "oscillates: its threshold is inf)": 1.0 / lam64,
                "0 instead of inf where λ ≤ 0": np.where(pos, expected, 0.0),
                "nan instead of inf where λ ≤ 0": np.where(pos, expected, np.nan),
            }
        with credit.case():
            got = student.call("oscillation_thresholds", lam)
            _close(
                got,
                expected,
                what="oscillation_thresholds(eigenvalues)",
                case=f"{label}: λ = {_fmt(lam64)}",
                tolerance=_input_tolerance(lam),
                mistakes=mistakes,
            )
    credit.finish()


# ----------------------------------------------------------------------------- stability


def test_stable_interval(student, rng, credit):
    """(0, 2/λmax) for positive λ, empty for a zero or negative λ; unsorted, κ ≫ 1, d = 1."""
    mixed = np.array([rng.uniform(0.5, 3), -rng.uniform(0.1, 2), rng.uniform(4, 9)])
    rng.shuffle(mixed)
    cases = [
        (_positive(rng, 4, float(rng.uniform(3, 1e3))), "unsorted positive eigenvalues"),
        (_positive(rng, 2, 1e6, low=1e-3), "κ = 10⁶"),
        (np.array([float(rng.uniform(0.5, 20))]), "one eigenvalue"),
        (mixed, "a negative eigenvalue"),
        (np.array([float(rng.uniform(1, 9)), 0.0]), "a zero eigenvalue"),
    ]
    for lam, label in cases:
        expected = ref.stable_interval(lam)
        with np.errstate(divide="ignore"):
            if np.all(lam > 0):
                mistakes = {
                    "2/λmin instead of 2/λmax (the steepest direction sets the limit)": (
                        0.0,
                        float(2.0 / np.min(lam)),
                    ),
                    "1/λmax (where oscillation starts) instead of 2/λmax": (0.0, 1 / lam.max()),
                    "2/λ of the last eigenvalue (the eigenvalues are not sorted)": (
                        0.0,
                        float(2.0 / lam[-1]),
                    ),
                }
            else:
                mistakes = {
                    "ignoring λ ≤ 0 (negative or zero curvature never converges: the "
                    "interval is empty, (0.0, 0.0))": (0.0, float(2.0 / lam.max())),
                    "2/λmin with a λ ≤ 0 (no α > 0 converges: the interval is empty)": (
                        0.0,
                        float(2.0 / np.min(lam)),
                    ),
                }
        with credit.case():
            got = student.call("stable_interval", lam)
            _close(
                got,
                expected,
                what="stable_interval(eigenvalues)",
                case=f"{label}: λ = {_fmt(lam)}",
                mistakes=mistakes,
            )
    credit.finish()


_STABILITY_MISTAKES = {
    "min": "2/λmin instead of 2/λmax (the steepest direction sets the limit)",
    "half": "1/λmax (where oscillation starts) instead of 2/λmax as the limit",
    "closed": "a closed interval (α = 2/λmax gives r = −1: it never converges)",
    "product": "deciding from the rounded product αλmax < 2 instead of α < 2.0/λmax",
    "zero": "α = 0 counted as stable (nothing moves at α = 0)",
    "sign": "ignoring λ ≤ 0 (such a direction never converges, whatever α > 0)",
}


def _stability_mistakes(values: np.ndarray, alpha: float, keys: str) -> dict[str, bool]:
    """What each known wrong rule answers; only the rules this case is built to expose."""
    hi, lo = float(values.max()), float(values.min())
    pos = lo > 0
    rules = {
        "min": pos and 0.0 < alpha < 2.0 / lo,
        "half": pos and 0.0 < alpha < 1.0 / hi,
        "closed": pos and 0.0 < alpha <= 2.0 / hi,
        "product": pos and alpha > 0.0 and alpha * hi < 2.0,
        "zero": pos and 0.0 <= alpha < 2.0 / hi,
        "sign": hi > 0 and 0.0 < alpha < 2.0 / hi,
    }
    return {_STABILITY_MISTAKES[k]: rules[k] for k in keys.split()}


@pytest.mark.weight(2)
def test_is_stable(student, rng, credit):
    """GD stability exactly at, one ulp below and above 2/λmax; 2/λmin; α = 0; λ ≤ 0."""
    lam_max = _exposing_lambda(rng, _product_rule_differs)
    lam = np.array([lam_max, lam_max / float(rng.uniform(3, 30)), lam_max / 2.5])
    rng.shuffle(lam)
    t = 2.0 / lam_max
    small = float(rng.uniform(0.01, 0.1))
    cases: list[tuple[np.ndarray, float, str, str]] = [
        (lam, float(np.nextafter(t, _DOWN)), "α one ulp below 2.0/λmax", "product"),
        (lam, t, "α = 2.0/λmax exactly (r = −1: marginal)", "closed product"),
        (lam, float(np.nextafter(t, _UP)), "α one ulp above 2.0/λmax", "product"),
        (lam, 0.5 * (t + 2.0 / float(lam.min())), "2/λmax < α < 2/λmin", "min"),
        (lam, float(rng.uniform(1.1, 1.9)) / lam_max, "1/λmax < α < 2/λmax", "half"),
        (lam, 0.0, "α = 0 (nothing moves)", "zero"),
        (np.array([float(rng.uniform(1, 5)), -small]), small, "a negative eigenvalue", "sign"),
        (np.array([0.0, float(rng.uniform(1, 5))]), small, "a zero eigenvalue", "sign"),
    ]
    for values, alpha, label, keys in cases:
        expected = ref.is_stable(values, alpha)
        with credit.case():
            got = _as_bool(student.call("is_stable", values, alpha))
            expect_equal(
                got,
                expected,
                what="is_stable(eigenvalues, α)",
                case=f"λ = {_fmt(values)}, {label}: α = {_exact(alpha)}",
                mistakes=_grouped(expected, _stability_mistakes(values, alpha, keys)),
            )
    credit.finish()


def test_convergence_factor(student, rng, credit):
    """ρ(α) = max|1 − αλᵢ| on both sides of α*, beyond 2/λmax, at α = 0, with λ < 0."""
    lam = _positive(rng, 3, float(rng.uniform(4, 50)))
    a_star = 2.0 / (lam.max() + lam.min())
    t = 2.0 / lam.max()
    mixed = np.array([rng.uniform(1, 5), -rng.uniform(0.5, 2), rng.uniform(0.1, 1)])
    cases = [
        (lam, float(a_star), "α = α* (the optimal step)"),
        (lam, float(rng.uniform(0.2, 0.8)) * a_star, "α < α* (the slow direction dominates)"),
        (
            lam,
            float(a_star + rng.uniform(0.2, 0.8) * (t - a_star)),
            "α* < α < 2/λmax (the steep direction dominates, r < 0)",
        ),
        (lam, float(rng.uniform(1.1, 1.5)) * t, "α > 2/λmax (ρ > 1)"),
        (lam, 0.0, "α = 0"),
        (mixed, float(rng.uniform(0.05, 0.3)), "a negative eigenvalue"),
        (lam.astype(np.float32), float(a_star), "float32 eigenvalues, α = α*"),
    ]
    for values, alpha, label in cases:
        expected = ref.convergence_factor(values, alpha)
        v = np.asarray(values, dtype=float)
        r = 1.0 - alpha * v
        with credit.case():
            got = student.call("convergence_factor", values, alpha)
            _close(
                got,
                expected,
                what="convergence_factor(eigenvalues, α)",
                case=f"{label}: λ = {_fmt(v)}, α = {alpha:.6g}",
                tolerance=_input_tolerance(values),
                mistakes={
                    "max(1 − αλ) without the absolute value (r < 0 counts by |r|)": float(
                        np.max(r)
                    ),
                    "only the slowest direction |1 − αλmin|": float(abs(1.0 - alpha * v.min())),
                    "only the steepest direction |1 − αλmax|": float(abs(1.0 - alpha * v.max())),
                    "min instead of max (ρ is the worst direction)": float(np.min(np.abs(r))),
                    "a sign error (|1 + αλ|)": float(np.max(np.abs(1.0 + alpha * v))),
                },
            )
    credit.finish()


# ----------------------------------------------------------------------------- conditioning


def _kappa_mistakes(lam: np.ndarray) -> dict[str, float]:
    return {
        "κ inverted (λmin/λmax instead of λmax/λmin)": float(lam.min() / lam.max()),
        "the last over the first eigenvalue (the eigenvalues are not sorted)": float(
            lam[-1] / lam[0]
        ),
        "the first over the last eigenvalue (the eigenvalues are not sorted)": float(
            lam[0] / lam[-1]
        ),
    }


def _conditioning_cases(rng: np.random.Generator) -> list[tuple[Any, str]]:
    two = _positive(rng, 2, float(rng.uniform(2, 20)))
    return [
        (_positive(rng, 5, float(rng.uniform(10, 1e3))), "five unsorted eigenvalues"),
        (two, "two eigenvalues, largest first"),
        (_positive(rng, 3, 1e6, low=1e-3), "κ = 10⁶"),
        (np.array([float(rng.uniform(0.5, 9))]), "one eigenvalue"),
        (np.full(3, float(rng.uniform(0.5, 9))), "equal eigenvalues (a round bowl)"),
        (_positive(rng, 3, float(rng.uniform(2, 50))).astype(np.float32), "float32 eigenvalues"),
    ]


def test_condition_number(student, rng, credit):
    """κ = λmax/λmin on unsorted eigenvalues, κ ≫ 1, κ = 1, d = 1, float32 input."""
    for lam, label in _conditioning_cases(rng):
        lam64 = np.asarray(lam, dtype=float)
        expected = ref.condition_number(lam)
        with credit.case():
            got = student.call("condition_number", lam)
            _close(
                got,
                expected,
                what="condition_number(eigenvalues)",
                case=f"{label}: λ = {_fmt(lam64)}",
                tolerance=_input_tolerance(lam),
                mistakes=_kappa_mistakes(lam64),
            )
    credit.finish()


def test_optimal_step(student, rng, credit):
    """α* = 2/(λmax + λmin) on unsorted eigenvalues (d ≥ 3), κ ≫ 1, d = 1."""
    for lam, label in _conditioning_cases(rng):
        lam64 = np.asarray(lam, dtype=float)
        expected = ref.optimal_step(lam)
        hi, lo = float(lam64.max()), float(lam64.min())
        with credit.case():
            got = student.call("optimal_step", lam)
            _close(
                got,
                expected,
                what="optimal_step(eigenvalues)",
                case=f"{label}: λ = {_fmt(lam64)}",
                tolerance=_input_tolerance(lam),
                mistakes={
                    "1/(λmax + λmin) (the factor 2 is missing)": 1.0 / (hi + lo),
                    "2/λmax (the stability limit, not the optimal step)": 2.0 / hi,
                    "2/(first + last eigenvalue) (the eigenvalues are not sorted)": 2.0
                    / float(lam64[0] + lam64[-1]),
                    "2/(sum of all eigenvalues) instead of 2/(λmax + λmin)": 2.0
                    / float(lam64.sum()),
                    "1/λmax instead of 2/(λmax + λmin)": 1.0 / hi,
                },
            )
    credit.finish()


def test_optimal_rate(student, rng, credit):
    """ρ* = (κ − 1)/(κ + 1) on unsorted eigenvalues, κ ≫ 1 (ρ* → 1), κ = 1 (ρ* = 0)."""
    for lam, label in _conditioning_cases(rng):
        lam64 = np.asarray(lam, dtype=float)
        expected = ref.optimal_rate(lam)
        k = float(lam64.max() / lam64.min())
        s = math.sqrt(k)

        def rate(kappa: float) -> float:
            return (kappa - 1.0) / (kappa + 1.0)

        mistakes = {
            "κ inverted (λmin/λmax)": rate(1.0 / k),
            "the heavy-ball momentum rate (√κ − 1)/(√κ + 1) (plain GD gets (κ − 1)/(κ + 1))": (
                s - 1.0
            )
            / (s + 1.0),
            "1 − 1/κ instead of (κ − 1)/(κ + 1)": 1.0 - 1.0 / k,
            **{
                f"κ taken as {name.split(' (')[0]}": rate(v)
                for name, v in _kappa_mistakes(lam64).items()
                if "sorted" in name
            },
        }
        with credit.case():
            got = student.call("optimal_rate", lam)
            _close(
                got,
                expected,
                what="optimal_rate(eigenvalues)",
                case=f"{label}: λ = {_fmt(lam64)} (κ = {k:.6g})",
                tolerance=_input_tolerance(lam),
                mistakes=mistakes,
            )
    credit.finish()


def test_positive_definite_required(student, rng, credit):
    """κ, α* and ρ* raise ValueError unless every eigenvalue is > 0 (λmin = 0 included)."""
    a, b = float(rng.uniform(0.5, 5)), float(rng.uniform(5, 20))
    cases = [
        (
            "condition_number",
            np.array([b, 0.0, a]),
            "κ = λmax/λmin is defined for positive definite Hessians only (λmin = 0 here)",
        ),
        (
            "condition_number",
            np.array([-a, b]),
            "a negative eigenvalue: the Hessian is not positive definite, κ is undefined",
        ),
        (
            "optimal_step",
            np.array([a, -b]),
            "no constant step converges when some λ < 0, so α* is undefined",
        ),
        (
            "optimal_rate",
            np.array([-b, -a]),
            "all eigenvalues negative (a maximum): λmax/λmin is positive but means nothing",
        ),
        ("optimal_rate", np.array([0.0, a]), "λmin = 0: κ would be infinite"),
    ]
    for function, lam, why in cases:
        with credit.case():
            _expect_value_error(student, function, (lam,), why)
    credit.finish()


# ----------------------------------------------------------------------------- critical points


def _classify(
    lam: np.ndarray, tol: float, *, strict: bool = False, zero_first: bool = False
) -> str:
    """The rules with one variation, to recognise wrong orders and tolerances."""
    pos = lam > tol
    neg = lam < -tol
    zero = ~(pos | neg) if not strict else np.abs(lam) < tol
    if strict:
        pos, neg = (lam > 0) & ~zero, (lam < 0) & ~zero
    if zero_first and np.any(zero):
        return "degenerate"
    if np.any(pos) and np.any(neg):
        return "saddle"
    if np.any(zero):
        return "degenerate"
    return "minimum" if np.all(pos) else "maximum"


def _critical_mistakes(lam: np.ndarray, tol: float, expected: str) -> dict[str, str]:
    return _grouped(
        expected,
        {
            "tol ignored (signs tested exactly: an eigenvalue within tol of 0 is zero)": _classify(
                lam, 0.0
            ),
            "a zero eigenvalue checked before the sign mix (an indefinite Hessian is a saddle "
            "even with a zero eigenvalue)": _classify(lam, tol, zero_first=True),
            "|λ| < tol instead of |λ| ≤ tol for zero": _classify(lam, tol, strict=True),
            "the tol argument ignored (1e-9 used whatever tol is passed)": _classify(lam, 1e-9),
        },
    )


@pytest.mark.weight(2)
def test_critical_point_type(student, rng, credit):
    """Minimum / maximum / saddle / degenerate, with zeros, |λ| at and near tol, custom tol."""
    p = lambda: float(rng.uniform(0.1, 10))  # noqa: E731
    tiny = float(rng.uniform(1e-13, 1e-10)) * float(rng.choice([-1.0, 1.0]))
    custom = float(rng.uniform(0.2, 0.9))
    cases: list[tuple[list[float], float | None, str]] = [
        ([p(), p(), p()], None, "all positive"),
        ([-p(), -p()], None, "all negative"),
        ([p(), -p(), p()], None, "mixed signs"),
        ([p(), 0.0, -p()], None, "mixed signs and an exact zero"),
        ([0.0, p()], None, "a zero and a positive eigenvalue"),
        ([-p(), tiny, -p()], None, "a tiny eigenvalue well inside the default tol"),
        ([p(), 1e-9], None, "an eigenvalue exactly equal to the default tol 1e-9"),
        ([p(), float(rng.uniform(2e-9, 1e-7))], None, "an eigenvalue just above the default tol"),
        ([-custom * float(rng.uniform(0.2, 0.9)), p()], custom, "a custom tol"),
        ([0.0, -p()], 0.0, "tol = 0 and an exact zero"),
        ([-p()], None, "one eigenvalue"),
    ]
    order = rng.permutation(len(cases))
    for i in order:
        values, tol, label = cases[int(i)]
        lam = np.array(values)
        rng.shuffle(lam)
        kwargs = {} if tol is None else {"tol": tol}
        t = 1e-9 if tol is None else tol
        expected = ref.critical_point_type(lam, t)
        with credit.case():
            got = student.call("critical_point_type", lam, **kwargs)
            tol_text = "default tol" if tol is None else f"tol = {tol:.6g}"
            expect_equal(
                got,
                expected,
                what="critical_point_type(eigenvalues, tol)",
                case=f"{label}: λ = {[float(v) for v in lam]}, {tol_text}",
                mistakes=_critical_mistakes(lam, t, expected),
            )
    credit.finish()


def _indefinite_positive_diagonal(rng: np.random.Generator) -> np.ndarray:
    """A rotated 3×3 saddle whose diagonal entries are all positive."""
    for _ in range(200):
        m = _symmetric(rng, [rng.uniform(2, 6), rng.uniform(1, 4), -rng.uniform(0.2, 1)])
        if np.all(np.diag(m) > 0):
            return m
    return np.array([[1.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]])  # pragma: no cover


def test_classify_critical_point(student, rng, credit):
    """Critical points from non-diagonal Hessians, 1×1 Hessians and landscapes' Hessians."""
    a = float(rng.uniform(0.5, 2))
    sign = float(rng.choice([-1.0, 1.0]))
    tiny = sign * float(rng.uniform(1e-12, 1e-10))
    cases: list[tuple[Any, float | None, str]] = [
        (_indefinite_positive_diagonal(rng), None, "a rotated saddle with positive diagonal"),
        (_symmetric(rng, rng.uniform(0.5, 5, size=3)), None, "a rotated positive definite 3×3"),
        (_symmetric(rng, -rng.uniform(0.5, 5, size=3)), None, "a rotated negative definite 3×3"),
        (
            _symmetric(rng, [rng.uniform(1, 5), rng.uniform(1, 5), 0.0]),
            None,
            "a rotated singular positive semi-definite 3×3",
        ),
        (
            _symmetric(rng, [rng.uniform(1, 5), tiny, rng.uniform(1, 5)]),
            None,
            "a rotated positive semi-definite 3×3 with a tiny eigenvalue (|λ| ≪ tol)",
        ),
        (DoubleWell().hessian(0.0), None, "DoubleWell at w = 0 (a 1×1 Hessian)"),
        (
            DoubleWell().hessian(float(rng.choice([-1.0, 1.0]))),
            None,
            "DoubleWell at one of its minima",
        ),
        (
            Rosenbrock(a=a, b=float(rng.uniform(10, 100))).hessian([a, a * a]),
            None,
            "Rosenbrock at its minimum (a, a²)",
        ),
        (
            _symmetric(rng, [rng.uniform(1, 5), float(rng.uniform(1e-3, 5e-3))]),
            1e-2,
            "a rotated 2×2 with a small eigenvalue below a custom tol",
        ),
    ]
    for matrix, tol, label in cases:
        kwargs = {} if tol is None else {"tol": tol}
        t = 1e-9 if tol is None else tol
        square = np.asarray(matrix, dtype=float).reshape(np.shape(matrix) or (1, 1))
        lam = ref.symmetric_eigenvalues(square)
        expected = ref.critical_point_type(lam, t)  # = ref.classify_critical_point(matrix, t)
        with credit.case():
            got = student.call("classify_critical_point", matrix, **kwargs)
            candidates = {
                "the signs of the diagonal entries instead of the eigenvalues (a Hessian "
                "with positive diagonal can still be indefinite)": ref.critical_point_type(
                    np.diag(square), t
                ),
                "tol ignored (an eigenvalue within tol of 0 is zero: degenerate)": _classify(
                    lam, 0.0
                ),
            }
            tol_text = "default tol" if tol is None else f"tol = {tol:.6g}"
            expect_equal(
                got,
                expected,
                what="classify_critical_point(H, tol)",
                case=f"{label}: H = {_fmt(square)}, {tol_text}",
                mistakes=_grouped(expected, candidates),
            )
    credit.finish()
