"""Hidden checks for exercise ``momentum`` (momentum as a second-order recurrence).

Inputs are drawn from the check's ``rng`` and deliberately cover the regimes of the
course: αλ just below and just above 2(1 + β), β = 0 (plain GD) and β close to 1,
critical damping (a double root, where the discriminant comes out as ±1e-17), ill
conditioned ravines (x² + 50y² and random non-diagonal SPD matrices with κ ≫ 1),
negative curvature (saddles) and float32 inputs. Known mistakes (torch's momentum
buffer taken for the textbook velocity, a first step that is not plain GD, Nesterov's
gradient at θ instead of the lookahead point, wrong root order, 2(1 − β) or GD's
αλ < 2 as the stability bound, an unsquared optimal β, 1/β as the window...) are
computed here, only when an answer is wrong, so the message can name them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from autograder.compare import expect_close, expect_equal, expect_true, illustrate, policy
from autograder.config import Tolerance
from autograder.errors import StudentCodeError, WrongAnswer
from autograder.landscapes import Multimodal, Quadratic1D, QuadraticForm
from reference import momentum as ref

EXERCISE = "momentum"

# A double root is ill-conditioned: rounding of the coefficients (≈ ε) moves it by ≈ √ε,
# so near critical damping roots and spectral radii are compared at this tolerance.
_DOUBLE_ROOT = Tolerance(rtol=1e-6, atol=1e-9)


# ---------------------------------------------------------------------------- helpers


class _Cases:
    """Counts the cases of one check for partial credit; keeps the first failure."""

    def __init__(self) -> None:
        self.passed = 0
        self.total = 0
        self.first: WrongAnswer | None = None

    def run(self, compare: Callable[[], None]) -> bool:
        self.total += 1
        try:
            compare()
        except WrongAnswer as exc:
            if self.first is None:
                self.first = exc
            return False
        self.passed += 1
        return True

    def fail(self, exc: WrongAnswer, count: int) -> None:
        """Record ``count`` cases as failed with one message (e.g. a malformed result)."""
        self.total += count
        if self.first is None:
            self.first = exc

    def settle(self, credit: Any, answers: list[Any] | None = None) -> None:
        """Award partial credit and raise the first failure.

        With ``answers`` (the student's yes/no, verdict or count for each case), the same
        answer for every case is a guess that earns no partial credit.
        """
        guess = answers is not None and len(answers) > 1 and len({repr(a) for a in answers}) == 1
        credit.partial(0 if guess else self.passed, self.total)
        if self.first is not None and guess:
            raise WrongAnswer(
                f"{self.first} (The same answer for every case earns no partial credit.)"
            )
        if self.first is not None:
            raise self.first


def _close(
    got: Any,
    expected: Any,
    *,
    what: str,
    case: str,
    mistakes: Callable[[], dict[str, Any]] | None = None,
    tolerance: Tolerance | None = None,
) -> None:
    """``expect_close``; the known mistakes are only computed when the answer is wrong."""
    if np.iscomplexobj(got) and not np.iscomplexobj(expected):
        with np.errstate(all="ignore"):
            imaginary = np.any(np.imag(np.asarray(got)) != 0)
        if imaginary:
            raise WrongAnswer(
                f"{what} should be real for {case}, but your function returned complex "
                f"numbers ({got!r:.80})."
            )
    try:
        expect_close(got, expected, what=what, case=case, tolerance=tolerance)
    except WrongAnswer:
        if mistakes is None:
            raise
        expect_close(got, expected, what=what, case=case, mistakes=mistakes(), tolerance=tolerance)
        raise


def _traj_tolerance(got: Any, expected: np.ndarray) -> Tolerance:
    """The dtype's tolerance, with an absolute floor relative to the trajectory's scale.

    Two correct implementations (position vs velocity form, torch's buffer, Nesterov
    written on the lookahead point) differ by a few ε times the largest iterate; an
    iterate that happens to pass near 0 must not be held to 1e-7 of its own size.
    """
    try:
        dtype = np.asarray(got).dtype
    except (ValueError, TypeError):
        dtype = np.dtype(np.float64)
    base = policy().tolerance(dtype if dtype.kind == "f" else np.dtype(np.float64))
    finite = np.abs(expected[np.isfinite(expected)])
    scale = float(finite.max()) if finite.size else 1.0
    return Tolerance(rtol=base.rtol, atol=max(base.atol, 1e-2 * base.rtol * scale))


def _verdict(got: Any) -> Any:
    """A NumPy bool is accepted where a Python bool is asked for."""
    return bool(got) if isinstance(got, np.bool_) else got


def _expect_value_error(
    student: Any, function: str, *args: Any, what: str, case: str, why: str
) -> None:
    """The function must raise ValueError (a documented contract)."""
    try:
        got = student.call(function, *args)
    except StudentCodeError as exc:
        if exc.exc_type == "ValueError":
            return
        if exc.exc_type == "NotImplementedError":
            raise
        raise WrongAnswer(
            f"{what} should raise ValueError for {case} ({why}), but it raised "
            f"{exc.exc_type or 'an error'}."
        ) from None
    raise WrongAnswer(
        f"{what} should raise ValueError for {case} ({why}), but it returned {got!r:.80}."
    )


def _f(x: float) -> str:
    return f"{x:.6g}"


def _vec(x: Any) -> str:
    """A short text for a scalar or a small vector (np.array2string is slow)."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0:
        return f"{float(arr):.4g}"
    return "[" + ", ".join(f"{v:.4g}" for v in arr.reshape(-1).tolist()) + "]"


def _rotation(rng: np.random.Generator, d: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.sign(np.diag(r))


def _form(rng: np.random.Generator, eigs: list[float], shift: bool = True) -> QuadraticForm:
    """A non-diagonal symmetric quadratic with the given Hessian eigenvalues."""
    q = _rotation(rng, len(eigs))
    a = q @ np.diag(eigs) @ q.T
    a = 0.5 * (a + a.T)
    b = rng.uniform(-2.0, 2.0, len(eigs)) if shift else np.zeros(len(eigs))
    return QuadraticForm(A=tuple(map(tuple, a)), b=tuple(float(v) for v in b))


def _ravine(
    rng: np.random.Generator, d: int, log_kappa: tuple[float, float]
) -> tuple[QuadraticForm, float]:
    """A random SPD quadratic with κ = 10^U(log_kappa); returns it and λmax."""
    mu = float(rng.uniform(0.5, 2.0))
    big = mu * 10.0 ** float(rng.uniform(*log_kappa))
    eigs = sorted([mu, *rng.uniform(mu, big, d - 2).tolist(), big])
    return _form(rng, eigs), big


def _grad_at(grad: Callable[[Any], Any], x: np.ndarray) -> np.ndarray:
    return np.asarray(grad(float(x) if x.ndim == 0 else x.copy()), dtype=np.float64)


def _run(
    grad: Callable[[Any], Any],
    x0: Any,
    n: int,
    update: Callable[..., tuple],
    prev_zero: bool = False,
) -> np.ndarray:
    """Iterate ``(x, prev, v) -> update(x, prev, v, g)`` from rest; rows include x0."""
    x = np.array(x0, dtype=np.float64)
    prev = np.zeros_like(x) if prev_zero else x.copy()
    v = np.zeros_like(x)
    out = [x.copy()]
    with np.errstate(all="ignore"):
        for _ in range(n):
            x, prev, v = update(x, prev, v, lambda p: _grad_at(grad, p))
            out.append(np.array(x, dtype=np.float64))
    return np.array(out)


def _heavy_ball_mistakes(
    grad: Callable[[Any], Any], x0: Any, a: float, b: float, n: int
) -> dict[str, np.ndarray]:
    """What the common wrong heavy-ball implementations return."""

    def position(beta: float) -> Callable[..., tuple]:
        return lambda x, prev, v, g: (x - a * g(x) + beta * (x - prev), x, v)

    def lagged(x: Any, prev: Any, v: Any, g: Any) -> tuple:
        return x + v, x, b * v - a * g(x)

    def lr_twice(x: Any, prev: Any, v: Any, g: Any) -> tuple:
        buf = b * v + a * g(x)
        return x - a * buf, x, buf

    def buffer_as_velocity(x: Any, prev: Any, v: Any, g: Any) -> tuple:
        buf = b * v + g(x)
        return x + buf, x, buf

    def dampened(x: Any, prev: Any, v: Any, g: Any) -> tuple:
        buf = b * v + (1.0 - b) * g(x)
        return x - a * buf, x, buf

    return {
        "x_{−1} = 0 instead of x_{−1} = x_0: the ball must start at rest, so the first "
        "step is plain GD x_1 = x_0 − α∇f(x_0)": _run(grad, x0, n, position(b), prev_zero=True),
        "a sign error in the momentum term (−β(x_k − x_{k−1}))": _run(grad, x0, n, position(-b)),
        "plain gradient descent (β ignored)": _run(grad, x0, n, position(0.0)),
        "the position updated with the old velocity (x_{k+1} = x_k + v_k before v is "
        "updated)": _run(grad, x0, n, lagged),
        "torch's momentum buffer used as the textbook velocity (v = b with b ← βb + ∇f); the "
        "textbook velocity is v = −α·b": _run(grad, x0, n, buffer_as_velocity),
        "torch's buffer with the step size applied twice (b ← βb + α∇f, x ← x − α·b); torch "
        "uses b ← βb + ∇f, x ← x − α·b": _run(grad, x0, n, lr_twice),
        "a dampened (moving-average) buffer b ← βb + (1 − β)∇f; heavy ball has no (1 − β)": _run(
            grad, x0, n, dampened
        ),
    }


def _nesterov_mistakes(
    grad: Callable[[Any], Any], x0: Any, a: float, b: float, n: int
) -> dict[str, np.ndarray]:
    def minus_lookahead(x: Any, prev: Any, v: Any, g: Any) -> tuple:
        v_new = b * v - a * g(x - b * v)
        return x + v_new, x, v_new

    theta = ref.nesterov(grad, x0, a, b, n)
    return {
        "the gradient evaluated at θ_t instead of the lookahead point θ_t + βv_t (that is "
        "heavy ball)": ref.heavy_ball_velocity(grad, x0, a, b, n),
        "torch's parameter (the lookahead point φ_t = θ_t + βv_t) returned instead of "
        "θ_t": ref.nesterov_to_torch(theta, b),
        "a lookahead θ_t − βv_t (wrong sign)": _run(grad, x0, n, minus_lookahead),
        "plain gradient descent (β ignored)": ref.heavy_ball_velocity(grad, x0, a, 0.0, n),
    }


def _trajectory_check(
    student: Any,
    credit: Any,
    function: str,
    cases: list[tuple[Any, Any, float, float, int, str]],
    mistakes: Callable[..., dict[str, np.ndarray]],
) -> None:
    tally = _Cases()
    outcomes = student.call_many(function, [c[:5] for c in cases])
    for (grad, x0, a, b, n, regime), outcome in zip(cases, outcomes, strict=True):
        got = outcome.get()
        expected = getattr(ref, function)(grad, x0, a, b, n)
        x0_text = _vec(x0)
        case = (
            f"∇f = {grad.__self__}.grad, x0 = {x0_text}"
            f"{' (float32)' if np.asarray(x0).dtype == np.float32 else ''}, α = {_f(a)}, "
            f"β = {_f(b)}, n_steps = {n} [{regime}]"
        )
        with illustrate(landscape=grad.__self__):
            tally.run(
                lambda got=got, expected=expected, case=case, grad=grad, x0=x0, a=a, b=b, n=n: (
                    _close(
                        got,
                        expected,
                        what=f"{function}(grad, x0, α, β, n_steps)",
                        case=case,
                        tolerance=_traj_tolerance(got, expected),
                        mistakes=lambda: mistakes(grad, x0, a, b, n),
                    )
                )
            )
    tally.settle(credit)


# ---------------------------------------------------------------------- trajectories


@pytest.mark.weight(2)
def test_heavy_ball_position(student, rng, credit):
    """Heavy ball in position form from rest (x₋₁ = x₀) in every regime of αλ and β."""
    ravine, big = _ravine(rng, 2, (1.5, 2.5))
    b1 = float(rng.uniform(0.8, 0.95))
    a1 = float(rng.uniform(0.97, 0.995)) * 2.0 * (1.0 + b1) / big
    q = Quadratic1D(lam=float(rng.uniform(1.0, 10.0)), center=float(rng.uniform(-2.0, 2.0)))
    b2 = float(rng.uniform(0.3, 0.7))
    a2 = float(rng.uniform(1.005, 1.03)) * 2.0 * (1.0 + b2) / q.lam
    saddle = _form(
        rng,
        [-float(rng.uniform(0.2, 1.0)), float(rng.uniform(1.0, 3.0)), float(rng.uniform(3.0, 8.0))],
    )
    cases = [
        (
            ravine.grad,
            rng.uniform(-3.0, 3.0, 2),
            a1,
            b1,
            20,
            "non-diagonal ravine, κ ≫ 1, αλmax just below 2(1 + β)",
        ),
        (
            q.grad,
            float(rng.uniform(-3.0, 3.0)),
            a2,
            b2,
            20,
            "αλ just above 2(1 + β): slowly divergent",
        ),
        (
            Multimodal().grad,
            rng.uniform(-3.0, 3.0, 2),
            float(rng.uniform(0.05, 0.3)),
            float(rng.uniform(0.5, 0.9)),
            15,
            "sin(x)cos(y) + 0.1(x² + y²)",
        ),
        (
            saddle.grad,
            rng.uniform(-2.0, 2.0, 3),
            float(rng.uniform(0.05, 0.15)),
            float(rng.uniform(0.97, 0.995)),
            15,
            "saddle (negative curvature), β close to 1",
        ),
    ]
    _trajectory_check(student, credit, "heavy_ball_position", cases, _heavy_ball_mistakes)


@pytest.mark.weight(2)
def test_heavy_ball_velocity(student, rng, credit):
    """Heavy ball in velocity form (v₀ = 0) on x² + 50y², SPD ravines, near-1 β and sin·cos."""
    b1 = float(rng.uniform(0.5, 0.95))
    a1 = float(rng.uniform(0.3, 0.99)) * 2.0 * (1.0 + b1) / 100.0
    ravine, big = _ravine(rng, 3, (2.0, 3.0))
    q = Quadratic1D(lam=float(rng.uniform(0.5, 5.0)), center=float(rng.uniform(-2.0, 2.0)))
    cases = [
        (
            QuadraticForm.diagonal([2.0, 100.0]).grad,
            rng.uniform(-2.0, 2.0, 2).astype(np.float32),
            a1,
            b1,
            20,
            "x² + 50y², κ = 50",
        ),
        (
            ravine.grad,
            rng.uniform(-3.0, 3.0, 3),
            float(rng.uniform(0.95, 0.999)) * 2.0 / big,
            0.0,
            15,
            "β = 0 (plain GD), αλmax just below 2, κ ≫ 1",
        ),
        (
            q.grad,
            float(rng.uniform(-3.0, 3.0)),
            float(rng.uniform(0.02, 0.5)) / q.lam,
            float(rng.uniform(0.97, 0.995)),
            20,
            "β close to 1",
        ),
        (
            Multimodal().grad,
            rng.uniform(-3.0, 3.0, 2),
            float(rng.uniform(0.1, 0.4)),
            float(rng.uniform(0.7, 0.9)),
            15,
            "sin(x)cos(y) + 0.1(x² + y²)",
        ),
    ]
    _trajectory_check(student, credit, "heavy_ball_velocity", cases, _heavy_ball_mistakes)


@pytest.mark.weight(2)
def test_nesterov(student, rng, credit):
    """Nesterov's θ trajectory, with the gradient taken at the lookahead point θ + βv."""
    q = Quadratic1D(lam=float(rng.uniform(1.0, 10.0)), center=float(rng.uniform(-2.0, 2.0)))
    ravine, big = _ravine(rng, 2, (1.0, 2.0))
    saddle = _form(rng, [-float(rng.uniform(0.2, 1.0)), float(rng.uniform(1.0, 5.0))])
    cases = [
        (
            q.grad,
            float(rng.uniform(-3.0, 3.0)),
            float(rng.uniform(0.5, 1.5)) / q.lam,
            float(rng.uniform(0.5, 0.9)),
            15,
            "one eigen-direction",
        ),
        (
            ravine.grad,
            rng.uniform(-3.0, 3.0, 2),
            float(rng.uniform(0.5, 1.0)) / big,
            float(rng.uniform(0.8, 0.95)),
            20,
            "non-diagonal ravine, κ ≫ 1",
        ),
        (
            Multimodal().grad,
            rng.uniform(-3.0, 3.0, 2),
            float(rng.uniform(0.05, 0.3)),
            float(rng.uniform(0.5, 0.9)),
            15,
            "sin(x)cos(y) + 0.1(x² + y²)",
        ),
        (
            saddle.grad,
            rng.uniform(-2.0, 2.0, 2),
            float(rng.uniform(0.05, 0.2)),
            float(rng.uniform(0.3, 0.9)),
            12,
            "saddle (negative curvature)",
        ),
    ]
    _trajectory_check(student, credit, "nesterov", cases, _nesterov_mistakes)


def test_nesterov_to_torch(student, rng, credit):
    """θ trajectory → torch's nesterov=True parameters φₜ = θₜ + β(θₜ − θₜ₋₁), φ₀ = θ₀."""
    q = Quadratic1D(lam=float(rng.uniform(1.0, 10.0)))
    b_traj = float(rng.uniform(0.5, 0.9))
    theta_1d = ref.nesterov(
        q.grad, float(rng.uniform(-3.0, 3.0)), float(rng.uniform(0.3, 1.2)) / q.lam, b_traj, 8
    ).astype(np.float32)
    cases = [
        (
            np.cumsum(rng.normal(0.0, 1.0, (int(rng.integers(6, 11)), 2)), axis=0),
            float(rng.uniform(0.5, 0.99)),
            "a 2-D trajectory",
        ),
        (theta_1d, b_traj, "a 1-D Nesterov trajectory given as float32"),
        (
            rng.uniform(-3.0, 3.0, (1, 3)),
            float(rng.uniform(0.1, 0.9)),
            "n = 0: only θ₀, so φ₀ = θ₀",
        ),
    ]
    tally = _Cases()
    for theta, b, regime in cases:
        expected = ref.nesterov_to_torch(theta, b)
        got = student.call("nesterov_to_torch", theta, b)
        th = np.asarray(theta, dtype=np.float64)

        def mistakes(th: np.ndarray = th, b: float = b) -> dict[str, np.ndarray]:
            minus = th.copy()
            minus[1:] = th[1:] - b * (th[1:] - th[:-1])
            return {
                "θ_t − βv_t (the lookahead is θ_t + βv_t)": minus,
                "θ returned unchanged (torch's parameter is the lookahead point)": th,
            }

        case = f"θ of shape {th.shape}, β = {_f(b)} [{regime}]"
        tally.run(
            lambda got=got, expected=expected, case=case, mistakes=mistakes: _close(
                got, expected, what="nesterov_to_torch(θ, β)", case=case, mistakes=mistakes
            )
        )
    tally.settle(credit)


# ------------------------------------------------------------------ window, recurrence


def test_effective_window(student, rng, credit):
    """The effective window 1/(1 − β) for β ≈ 0, typical β, β close to 1, and β = 1 refused."""
    tally = _Cases()
    # (β = 0 exactly, window 1, is a public case.)
    for b in (
        float(rng.uniform(1e-3, 0.05)),
        float(rng.uniform(0.2, 0.95)),
        float(rng.uniform(0.99, 0.9995)),
    ):
        got = student.call("effective_window", b)

        def mistakes(b: float = b) -> dict[str, float]:
            return {
                "1/β (the window is 1/(1 − β))": 1.0 / b if b else math.inf,
                "β/(1 − β) (the sum Σ βᵏ starts at k = 0, not 1)": b / (1.0 - b),
                "1/(1 + β)": 1.0 / (1.0 + b),
            }

        tally.run(
            lambda got=got, b=b, mistakes=mistakes: _close(
                got,
                ref.effective_window(b),
                what="effective_window(β)",
                case=f"β = {_f(b)}",
                mistakes=mistakes,
            )
        )
    tally.run(
        lambda: _expect_value_error(
            student,
            "effective_window",
            1.0,
            what="effective_window(β)",
            case="β = 1",
            why="the weights βᵏ never decay: an infinite window",
        )
    )
    tally.settle(credit)


@pytest.mark.weight(2)
def test_momentum_recurrence(student, rng, credit):
    """z_{k+1} = (1 − αλ + β)z_k − βz_{k−1} from given z₀, z₁: ringing, divergent, saddle, GD."""
    cases: list[tuple[float, float, float, float, float, int, str]] = []

    def add(al: float, b: float, n: int, regime: str, lam_sign: float = 1.0) -> None:
        alpha = float(rng.uniform(0.05, 0.5))
        z0, z1 = (float(v) for v in rng.uniform(-2.0, 2.0, 2))
        cases.append((lam_sign * al / alpha, alpha, b, z0, z1, n, regime))

    b = float(rng.uniform(0.6, 0.95))
    add(
        float(rng.uniform((1 - math.sqrt(b)) ** 2, (1 + math.sqrt(b)) ** 2)),
        b,
        int(rng.integers(12, 21)),
        "underdamped: complex roots, ringing",
    )
    b = float(rng.uniform(0.2, 0.8))
    add(2 * (1 + b) * float(rng.uniform(1.005, 1.02)), b, 30, "αλ just above 2(1 + β)")
    add(
        float(rng.uniform(0.05, 0.5)),
        float(rng.uniform(0.0, 0.9)),
        15,
        "negative curvature λ < 0",
        lam_sign=-1.0,
    )
    add(2.0 * float(rng.uniform(0.97, 0.995)), 0.0, 10, "β = 0: plain GD, αλ just below 2")
    add(
        float(rng.uniform(0.5, 3.0)),
        float(rng.uniform(0.1, 0.9)),
        int(rng.integers(0, 2)),
        "n_steps ≤ 1: nothing to iterate",
    )
    tally = _Cases()
    for lam, alpha, b, z0, z1, n, regime in cases:
        expected = ref.momentum_recurrence(lam, alpha, b, z0, z1, n)
        got = student.call("momentum_recurrence", lam, alpha, b, z0, z1, n)

        def mistakes(
            lam: float = lam,
            alpha: float = alpha,
            b: float = b,
            z0: float = z0,
            z1: float = z1,
            n: int = n,
        ) -> dict[str, np.ndarray]:
            return {
                "the coefficient 1 − αλ − β (it is 1 − αλ + β)": _recur(
                    1 - alpha * lam - b, b, z0, z1, n
                ),
                "+βz_{k−1} instead of −βz_{k−1}": _recur(1 - alpha * lam + b, -b, z0, z1, n),
                "z₁ replaced by a GD step (1 − αλ)z₀ (z₁ is given)": ref.momentum_recurrence(
                    lam, alpha, b, z0, (1 - alpha * lam) * z0, n
                ),
                "the first-order GD recurrence (1 − αλ)z_k": _recur(
                    1 - alpha * lam, 0.0, z0, z1, n
                ),
            }

        case = (
            f"λ = {_f(lam)}, α = {_f(alpha)}, β = {_f(b)}, z0 = {_f(z0)}, z1 = {_f(z1)}, "
            f"n_steps = {n} (αλ = {_f(alpha * lam)}, 2(1 + β) = {_f(2 * (1 + b))}) "
            f"[{regime}]"
        )
        tally.run(
            lambda got=got, expected=expected, case=case, mistakes=mistakes: _close(
                got,
                expected,
                what="momentum_recurrence(λ, α, β, z0, z1, n_steps)",
                case=case,
                tolerance=_traj_tolerance(got, expected),
                mistakes=mistakes,
            )
        )
    tally.settle(credit)


def _recur(c: float, d: float, z0: float, z1: float, n: int) -> np.ndarray:
    """z_{k+1} = c z_k − d z_{k−1} with entry k = z_k, like ``momentum_recurrence``."""
    out = [z0, z1][: n + 1]
    with np.errstate(all="ignore"):
        while len(out) < n + 1:
            out.append(c * out[-1] - d * out[-2])
    return np.array(out, dtype=np.float64)


# ------------------------------------------------------------- roots and their verdicts


def _on_curve(rng: np.random.Generator, al: float, b: float) -> tuple[float, float]:
    """(λ, α) with α·λ ≈ al."""
    alpha = float(rng.uniform(0.05, 0.5))
    return al / alpha, alpha


def _root_cases(rng: np.random.Generator) -> list[tuple[float, float, float, str, bool]]:
    """(λ, α, β, regime, near a double root) covering every kind of root pair."""
    out = []
    b = float(rng.uniform(0.5, 0.95))
    lo, hi = (1 - math.sqrt(b)) ** 2, (1 + math.sqrt(b)) ** 2
    out.append(
        (
            *_on_curve(rng, float(rng.uniform(lo + 0.1 * (hi - lo), hi - 0.1 * (hi - lo))), b),
            b,
            "underdamped: a complex pair",
            False,
        )
    )
    b = float(rng.uniform(0.01, 0.1))
    out.append(
        (
            *_on_curve(rng, float(rng.uniform(0.01, 0.5)) * (1 - math.sqrt(b)) ** 2, b),
            b,
            "overdamped, both roots positive",
            False,
        )
    )
    b = float(rng.uniform(0.02, 0.15))
    out.append(
        (
            *_on_curve(rng, 2 * (1 + b) * float(rng.uniform(0.97, 1.03)), b),
            b,
            "overdamped with c < 0, αλ near 2(1 + β): a root near −1",
            False,
        )
    )
    out.append(
        (
            *_on_curve(rng, float(rng.uniform(1.2, 2.5)), 0.0),
            0.0,
            "β = 0 (GD) with αλ > 1: roots 1 − αλ < 0 and 0",
            False,
        )
    )
    b = float(rng.uniform(0.1, 0.9))
    lam, alpha = _on_curve(rng, float(rng.uniform(0.05, 0.5)), b)
    out.append((-lam, alpha, b, "negative curvature λ < 0: a root above 1", False))
    b = float(rng.uniform(0.1, 0.9))
    al = (1 + math.sqrt(b)) ** 2 if rng.random() < 0.5 else (1 - math.sqrt(b)) ** 2
    out.append((*_on_curve(rng, al, b), b, "critically damped: a double root", True))
    return out


@pytest.mark.weight(2)
def test_characteristic_roots(student, rng, credit):
    """Roots of r² − (1 − αλ + β)r + β in the order [r₊, r₋]: complex, real, double, λ < 0."""
    tally = _Cases()
    for lam, alpha, b, regime, double in _root_cases(rng):
        expected = ref.characteristic_roots(lam, alpha, b)
        got = student.call("characteristic_roots", lam, alpha, b)

        def mistakes(expected: np.ndarray = expected) -> dict[str, np.ndarray]:
            by_modulus = expected[np.argsort(-np.abs(expected), kind="stable")]
            return {
                "the roots in the wrong order: [r₊, r₋] with r± = (c ± √D)/2 (larger real "
                "part first; for a complex pair, positive imaginary part first)": expected[::-1],
                "the roots sorted by modulus: the order is [r₊, r₋], r± = (c ± √D)/2": by_modulus,
                "the roots of r² + (1 − αλ + β)r + β (sign of the middle coefficient)": -expected[
                    ::-1
                ],
            }

        case = (
            f"λ = {_f(lam)}, α = {_f(alpha)}, β = {_f(b)} (αλ = {_f(alpha * lam)}, "
            f"c = 1 − αλ + β = {_f(1 - alpha * lam + b)}) [{regime}]"
        )
        tally.run(
            lambda got=got, expected=expected, case=case, mistakes=mistakes, double=double: _close(
                got,
                expected,
                what="characteristic_roots(λ, α, β)",
                case=case,
                mistakes=mistakes,
                tolerance=_DOUBLE_ROOT if double else None,
            )
        )
    tally.settle(credit)


def test_spectral_radius(student, rng, credit):
    """ρ = max |r| across the regimes: complex pair (√β), real roots, λ < 0, double root, GD."""
    cases = _root_cases(rng)
    cases[3] = (
        *_on_curve(rng, float(rng.uniform(0.1, 2.5)), 0.0),
        0.0,
        "β = 0 (GD): ρ = |1 − αλ|",
        False,
    )
    tally = _Cases()
    for lam, alpha, b, regime, double in cases:
        expected = ref.spectral_radius(lam, alpha, b)
        got = student.call("spectral_radius", lam, alpha, b)

        def mistakes(lam: float = lam, alpha: float = alpha, b: float = b) -> dict[str, float]:
            roots = ref.characteristic_roots(lam, alpha, b)
            c = 1.0 - alpha * lam + b
            return {
                "√β (true only for a complex pair)": math.sqrt(abs(b)),
                "the largest real part instead of the largest modulus": float(np.max(roots.real)),
                "the smallest modulus instead of the largest": float(np.min(np.abs(roots))),
                "|c|/2 = |1 − αλ + β|/2 (the real part only)": abs(c) / 2.0,
            }

        case = f"λ = {_f(lam)}, α = {_f(alpha)}, β = {_f(b)} (αλ = {_f(alpha * lam)}) [{regime}]"
        tally.run(
            lambda got=got, expected=expected, case=case, mistakes=mistakes, double=double: _close(
                got,
                expected,
                what="spectral_radius(λ, α, β)",
                case=case,
                mistakes=mistakes,
                tolerance=_DOUBLE_ROOT if double else None,
            )
        )
    tally.settle(credit)


def _jury(b: float, al: float, bound: float, lower: bool = True) -> bool:
    return bool(abs(b) < 1.0 and (al > 0.0 or not lower) and al < bound)


def _rounded_roots_stable(lam: float, alpha: float, b: float) -> bool:
    return bool(np.max(np.abs(ref.characteristic_roots(lam, alpha, b))) < 1.0)


_STABILITY_MISTAKES: dict[str, Callable[[float, float, float], bool]] = {
    "the bound 2(1 − β) instead of 2(1 + β)": lambda lam, alpha, b: _jury(
        b, alpha * lam, 2.0 * (1.0 - b)
    ),
    "GD's bound αλ < 2 (momentum enlarges it to 2(1 + β))": lambda lam, alpha, b: _jury(
        b, alpha * lam, 2.0
    ),
    "a missing lower bound (λ ≤ 0 is never stable: αλ must be > 0)": lambda lam, alpha, b: _jury(
        b, alpha * lam, 2.0 * (1.0 + b), lower=False
    ),
    "a missing |β| < 1 (β = 1 puts a root on the unit circle)": lambda lam, alpha, b: bool(
        0.0 < alpha * lam < 2.0 * (1.0 + b)
    ),
    "a verdict from rounded roots (max |r| < 1); on the boundary a root is exactly ±1, so "
    "use the exact test 0 < αλ < 2(1 + β), |β| < 1": _rounded_roots_stable,
}


def _verdict_check(
    student: Any,
    credit: Any,
    function: str,
    cases: list[tuple[float, float, float, str]],
    mistakes: dict[str, Callable[[float, float, float], bool]],
) -> None:
    """Yes/no cases; a known mistake is named when it explains *every* answer."""
    gots = [_verdict(student.call(function, lam, alpha, b)) for lam, alpha, b, _ in cases]
    expected = [getattr(ref, function)(lam, alpha, b) for lam, alpha, b, _ in cases]

    def same(got: Any, want: bool) -> bool:
        return isinstance(got, bool) and got == want

    consistent: dict[str, list[bool]] = {}
    if not all(map(same, gots, expected)):
        for name, rule in mistakes.items():
            predicted = [rule(lam, alpha, b) for lam, alpha, b, _ in cases]
            if all(map(same, gots, predicted)):
                consistent[name] = predicted
    tally = _Cases()
    for i, (lam, alpha, b, regime) in enumerate(cases):
        al = alpha * lam
        case = (
            f"λ = {_f(lam)}, α = {_f(alpha)}, β = {_f(b)} (αλ = {al!r}, 2(1 + β) = "
            f"{2 * (1 + b)!r}) [{regime}]"
        )
        named = {name: predicted[i] for name, predicted in consistent.items()}
        tally.run(
            lambda i=i, case=case, named=named: expect_equal(
                gots[i], expected[i], what=f"{function}(λ, α, β)", case=case, mistakes=named
            )
        )
    tally.settle(credit, answers=gots)


def _stability_cases(rng: np.random.Generator) -> list[tuple[float, float, float, str]]:
    out = []
    b = float(rng.uniform(0.3, 0.95))
    al = 2 * (1 + b) * float(rng.uniform(0.995, 0.9995))
    out.append((*_on_curve(rng, al, b), b, "αλ just below 2(1 + β), above 2"))
    b = float(rng.uniform(0.0, 0.95))
    al = 2 * (1 + b) * float(rng.uniform(1.0005, 1.005))
    out.append((*_on_curve(rng, al, b), b, "αλ just above 2(1 + β)"))
    b = float(rng.uniform(0.1, 0.9))
    out.append((4.0 * (1.0 + b), 0.5, b, "exactly on the boundary αλ = 2(1 + β): a root −1"))
    b = float(rng.uniform(0.3, 0.9))
    al = float(rng.uniform(2 * (1 - b) + 0.05 * b, 2.0 - 0.05 * b))
    out.append((*_on_curve(rng, al, b), b, "2(1 − β) < αλ < 2"))
    out.append((*_on_curve(rng, float(rng.uniform(1.0, 1.99)), 0.0), 0.0, "β = 0 (GD), αλ < 2"))
    b = float(rng.uniform(0.99, 0.999))
    out.append((*_on_curve(rng, float(rng.uniform(2.5, 3.95)), b), b, "β close to 1"))
    lam, alpha = _on_curve(rng, float(rng.uniform(0.05, 1.0)), 0.5)
    out.append((-lam, alpha, float(rng.uniform(0.0, 0.9)), "negative curvature λ < 0"))
    out.append(
        (
            0.0,
            float(rng.uniform(0.05, 0.5)),
            float(rng.uniform(0.0, 0.9)),
            "zero curvature λ = 0: a root exactly 1",
        )
    )
    return out


def test_is_stable(student, rng, credit):
    """Both roots strictly inside the unit circle: 0 < αλ < 2(1 + β), |β| < 1, boundaries out."""
    cases = _stability_cases(rng)
    b = -float(rng.uniform(0.1, 0.9))
    cases.append(
        (
            *_on_curve(rng, float(rng.uniform(0.1, 1.9)) * (1 + b), b),
            b,
            "negative β (still stable: the test holds for any real β)",
        )
    )
    cases.append((*_on_curve(rng, 1.0, 1.0), 1.0, "β = 1: a root on the unit circle"))
    mistakes = dict(_STABILITY_MISTAKES)
    mistakes["β < 0 rejected (the test holds for any real β with |β| < 1)"] = (
        ref.in_stability_region
    )
    _verdict_check(student, credit, "is_stable", cases, mistakes)


def test_in_stability_region(student, rng, credit):
    """The closed-form region 0 ≤ β < 1 and 0 < αλ < 2(1 + β), including β outside [0, 1)."""
    cases = _stability_cases(rng)[:5]
    b = -float(rng.uniform(0.1, 0.9))
    cases.append(
        (
            *_on_curve(rng, float(rng.uniform(0.1, 1.9)) * (1 + b), b),
            b,
            "negative β: outside the region (even though the roots are inside)",
        )
    )
    cases.append(
        (*_on_curve(rng, 1.0, 1.0), float(rng.choice([1.0, 1.5])), "β ≥ 1: outside the region")
    )
    mistakes = {
        name: (lambda lam, alpha, b, rule=rule: bool(0.0 <= b < 1.0 and rule(lam, alpha, b)))
        for name, rule in _STABILITY_MISTAKES.items()
        if "|β| < 1" not in name
    }
    mistakes["no check of 0 ≤ β < 1"] = lambda lam, alpha, b: bool(0 < alpha * lam < 2 * (1 + b))
    mistakes["|β| < 1 instead of 0 ≤ β < 1 (that is is_stable)"] = ref.is_stable
    _verdict_check(student, credit, "in_stability_region", cases, mistakes)


def _discriminant(lam: float, alpha: float, b: float) -> tuple[float, float]:
    """D and S² exactly as the contract computes them."""
    c = 1.0 - alpha * lam + b
    return c * c - 4.0 * b, (1.0 + abs(alpha * lam) + abs(b)) ** 2


def test_damping_regime(student, rng, credit):
    """Over-, critically or underdamped from D = c² − 4β, with the documented |D| ≤ rtol·S²."""
    cases: list[tuple[float, float, float, float | None, str]] = []
    for upper in (False, True):  # double roots on both curves β = (1 ∓ √(αλ))², D ≠ 0 in floats
        for _ in range(20):
            b = float(rng.uniform(0.05, 0.95))
            lam, alpha = _on_curve(
                rng, (1 + math.sqrt(b)) ** 2 if upper else (1 - math.sqrt(b)) ** 2, b
            )
            if _discriminant(lam, alpha, b)[0] != 0.0:
                break
        cases.append((lam, alpha, b, None, "a double root; D is not exactly 0 after rounding"))
    cases.append((2.0, 0.5, 0.0, None, "β = 0 and αλ = 1: GD's double root 0"))
    for scale, rtol, regime in (
        (1e-10, None, "near-critical but not critical"),
        (1e-8, 1e-6, "near-critical with rtol = 1e-6"),
    ):
        b = float(rng.uniform(0.1, 0.9))
        c0 = 2 * math.sqrt(b)
        target = float(rng.choice([-1.0, 1.0])) * float(rng.uniform(2.0, 8.0)) * scale
        al = (1 - math.sqrt(b)) ** 2 - target * (1 + (1 - math.sqrt(b)) ** 2 + b) ** 2 / (2 * c0)
        cases.append((*_on_curve(rng, al, b), b, rtol, regime))
    b = float(rng.uniform(0.5, 0.95))
    lo, hi = (1 - math.sqrt(b)) ** 2, (1 + math.sqrt(b)) ** 2
    cases.append(
        (*_on_curve(rng, float(rng.uniform(lo + 0.1 * (hi - lo), hi)), b), b, None, "complex roots")
    )
    lam, alpha = _on_curve(rng, float(rng.uniform(0.05, 1.0)), 0.5)
    cases.append((-lam, alpha, float(rng.uniform(0.0, 0.9)), None, "negative curvature"))
    tally = _Cases()
    answers = []
    for lam, alpha, b, rtol, regime in cases:
        kwargs = {} if rtol is None else {"rtol": rtol}
        got = student.call("damping_regime", lam, alpha, b, **kwargs)
        answers.append(got)
        expected = ref.damping_regime(lam, alpha, b, **kwargs)
        d, s2 = _discriminant(lam, alpha, b)
        exact = "critically damped" if d == 0.0 else "overdamped" if d > 0.0 else "underdamped"
        loose = "critically damped" if abs(d) <= 1e-8 else exact
        mistakes = {
            "testing D == 0 exactly (rounding makes a double root D = ±1e-17; use "
            "|D| ≤ rtol·S²)": exact,
            "a tolerance too loose (|D| ≤ 1e-8 or np.isclose(D, 0)); use |D| ≤ rtol·S²": loose,
        }
        if rtol is not None:
            mistakes = {"the rtol argument ignored": ref.damping_regime(lam, alpha, b)}
        case = (
            f"λ = {_f(lam)}, α = {_f(alpha)}, β = {_f(b)}"
            f"{'' if rtol is None else f', rtol = {rtol:g}'} (D = {d:.3g}, "
            f"rtol·S² = {(rtol or 1e-12) * s2:.3g}) [{regime}]"
        )
        tally.run(
            lambda got=got, expected=expected, case=case, mistakes=mistakes: expect_equal(
                got, expected, what="damping_regime(λ, α, β)", case=case, mistakes=mistakes
            )
        )
    tally.settle(credit, answers=answers)


def test_optimal_heavy_ball(student, rng, credit):
    """Polyak's optimal α*, β* and rate for [μ, L]: κ ≫ 1, moderate κ, μ = L, μ > L refused."""
    mu = float(rng.uniform(0.01, 2.0))
    cases = [
        (mu, mu * 10.0 ** float(rng.uniform(2.0, 4.0)), "κ ≫ 1"),
        (mu, mu * float(rng.uniform(2.0, 20.0)), "moderate κ"),
    ]
    mu = float(rng.uniform(0.1, 10.0))
    cases.append((mu, mu, "μ = L: one GD step of 1/L, β* = 0"))
    tally = _Cases()
    for mu, big, regime in cases:
        got = student.call("optimal_heavy_ball", mu, big)
        expected = ref.optimal_heavy_ball(mu, big)
        sm, sl = math.sqrt(mu), math.sqrt(big)
        case = f"μ = {_f(mu)}, L = {_f(big)} (κ = {_f(big / mu)}) [{regime}]"
        mistakes = {
            "alpha": {
                "GD's optimal step 2/(L + μ)": 2 / (big + mu),
                "4/(√L + √μ) (the denominator is squared)": 4 / (sl + sm),
            },
            "beta": {
                "β* = (√L − √μ)/(√L + √μ) without squaring": (sl - sm) / (sl + sm),
                "β* = (L − μ)/(L + μ)": (big - mu) / (big + mu),
            },
            "rate": {
                "GD's rate (κ − 1)/(κ + 1)": (big - mu) / (big + mu),
                "β* instead of √β*": expected["beta"],
            },
        }

        def compare(
            got: Any = got, expected: dict = expected, case: str = case, mistakes: dict = mistakes
        ) -> None:
            expect_true(
                isinstance(got, dict) and set(got) == {"alpha", "beta", "rate"},
                f"optimal_heavy_ball(μ, L) should return a dict with exactly the keys "
                f"'alpha', 'beta', 'rate' for {case}; it returned {got!r:.120}.",
            )
            for key in ("alpha", "beta", "rate"):
                _close(
                    got[key],
                    expected[key],
                    what=f"optimal_heavy_ball(μ, L)[{key!r}]",
                    case=case,
                    mistakes=lambda key=key: mistakes[key],
                )

        tally.run(compare)
    tally.run(
        lambda: _expect_value_error(
            student,
            "optimal_heavy_ball",
            4.0,
            1.0,
            what="optimal_heavy_ball(μ, L)",
            case="μ = 4, L = 1",
            why="it needs 0 < μ ≤ L",
        )
    )
    tally.settle(credit)


# ------------------------------------------------------------------------ ravine tools


def _steps_mistakes(tr: np.ndarray, tol: float, x_star: Any) -> dict[str, int]:
    diff = tr - np.asarray(x_star, dtype=np.float64)
    with np.errstate(all="ignore"):
        if tr.ndim == 1:
            dist, signed = np.abs(diff), diff
            other = {"a signed distance x_k − x* ≤ tol (use |x_k − x*|)": signed <= tol}
        else:
            dist = np.linalg.norm(diff, axis=1)
            other = {
                "the max-norm instead of the Euclidean norm ‖x_k − x*‖₂": np.abs(diff).max(axis=1)
                <= tol,
                "the L1 norm instead of the Euclidean norm": np.abs(diff).sum(axis=1) <= tol,
            }
        other["the squared distance compared with tol"] = dist**2 <= tol

    def first(mask: np.ndarray, start: int = 0) -> int:
        hits = np.flatnonzero(mask[start:])
        return int(hits[0]) + start if hits.size else -1

    out = {
        "a strict test distance < tol (the contract is ≤)": first(dist < tol),
        "row 0 skipped (row 0 counts: a start within tol gives 0)": first(dist <= tol, 1),
    }
    if first(dist <= tol) < 0:
        out[f"the number of rows ({len(tr)}) instead of −1 when no row is within tol"] = len(tr)
        out[f"the last index ({len(tr) - 1}) instead of −1 when no row is within tol"] = len(tr) - 1
        out["0 instead of −1 when no row is within tol (np.argmax of an all-False mask)"] = 0
    out.update({name: first(mask) for name, mask in other.items()})
    return out


def test_steps_to_tolerance(student, rng, credit):
    """First k with ‖x_k − x*‖₂ ≤ tol (row 0 counts, ≤ at the boundary), −1 if none."""
    tally = _Cases()
    # (a) 2-D: a row exactly at distance tol, after a row inside tol only in the max-norm.
    x_star = rng.integers(-8, 9, 2) / 4.0
    s = 2.0 ** int(rng.integers(-3, 1))
    tol = 5.0 * s
    signs = rng.choice([-1.0, 1.0], 2)
    angles = rng.uniform(0.0, 2 * math.pi, 4)
    radii = np.sort(rng.uniform(1.5, 10.0, 4))[::-1] * tol
    rows = [
        x_star + r * np.array([math.cos(t), math.sin(t)])
        for r, t in zip(radii, angles, strict=True)
    ]
    rows.append(x_star + 0.8 * tol * signs)  # ‖·‖₂ = 1.13 tol, max-norm 0.8 tol
    rows.append(x_star + np.array([3.0 * s, 4.0 * s]) * signs)  # exactly tol
    rows += [x_star + 0.5 * tol * np.array([1.0, 0.0]), x_star]
    traj_a = np.array(rows)
    # (b) 1-D, default x* = 0: the start is already within tol.
    tol_b = float(rng.uniform(0.1, 1.0))
    traj_b = np.array([float(rng.uniform(-0.9, 0.9)) * tol_b, 3.0 * tol_b, 0.2 * tol_b, 0.0])
    # (c) 2-D float32, never within tol, with inf and nan rows (a divergent run).
    tol_c = float(rng.uniform(0.1, 1.0))
    traj_c = rng.choice([-1.0, 1.0], (6, 2)) * rng.uniform(1.2, 5.0, (6, 2)) * tol_c
    traj_c[4] = np.inf
    traj_c[5] = np.nan
    traj_c = traj_c.astype(np.float32)
    # (d) 1-D ringing around x* ≠ 0 (an underdamped heavy-ball-like run).
    x_d = float(rng.uniform(-2.0, 2.0))
    k = np.arange(31)
    amp, rho, theta = (
        float(rng.uniform(1.0, 3.0)),
        float(rng.uniform(0.7, 0.9)),
        float(rng.uniform(0.5, 2.5)),
    )
    traj_d = x_d + amp * rho**k * np.cos(theta * k)
    tol_d = amp * rho ** float(rng.uniform(8.0, 20.0))
    cases = [
        (traj_a, tol, {"x_star": x_star}, "2-D, one row exactly at distance tol"),
        (traj_b, tol_b, {}, "1-D, default x* = 0, the start already within tol"),
        (traj_c, tol_c, {"x_star": np.zeros(2)}, "2-D float32 with inf/nan rows, never within tol"),
        (traj_d, tol_d, {"x_star": x_d}, "1-D oscillating around x* ≠ 0"),
    ]
    answers = []
    for tr, tol_, kwargs, regime in cases:
        got = student.call("steps_to_tolerance", tr, tol_, **kwargs)
        answers.append(got)
        x_s = kwargs.get("x_star", 0.0)
        expected = ref.steps_to_tolerance(tr, tol_, x_s)
        shown = _vec(x_s)
        case = f"a trajectory of shape {tr.shape}, tol = {tol_:.6g}, x* = {shown} [{regime}]"
        tally.run(
            lambda got=got, expected=expected, case=case, tr=tr, tol_=tol_, x_s=x_s: expect_equal(
                got,
                expected,
                what="steps_to_tolerance(trajectory, tol, x*)",
                case=case,
                mistakes=_steps_mistakes(tr.astype(np.float64), tol_, x_s),
            )
        )
    tally.settle(credit, answers=answers)


def _scaled_gradient(
    x0: Any, alpha: float, beta: float, n: int, eigenvalues: Any
) -> dict[str, np.ndarray]:
    return ref.gd_vs_momentum(x0, alpha, beta, n, 2.0 * np.asarray(eigenvalues, dtype=float))


def test_gd_vs_momentum(student, rng, credit):
    """GD and heavy ball from the same start on x² + 50y² and on a ravine GD cannot handle."""
    b1 = float(rng.uniform(0.5, 0.9))
    big = float(rng.uniform(50.0, 200.0))
    eigs = [float(rng.uniform(0.5, 1.0)), float(rng.uniform(2.0, 10.0)), big]
    b2 = float(rng.uniform(0.6, 0.9))
    cases = [
        (
            rng.uniform(-2.0, 2.0, 2),
            float(rng.uniform(0.9, 0.99)) * 2.0 / 100.0,
            b1,
            25,
            None,
            "default λ = (2, 100): x² + 50y², GD zigzags",
        ),
        (
            rng.uniform(-2.0, 2.0, 3),
            float(rng.uniform(1.05, 1.5)) * 2.0 / big,
            b2,
            20,
            eigs,
            "2 < αλmax < 2(1 + β): GD diverges, momentum converges",
        ),
    ]
    tally = _Cases()
    for x0, alpha, b, n, eig, regime in cases:
        kwargs = {} if eig is None else {"eigenvalues": eig}
        got = student.call("gd_vs_momentum", x0, alpha, b, n, **kwargs)
        expected = ref.gd_vs_momentum(x0, alpha, b, n, **kwargs)
        eig_shown = (
            "(2, 100) (default)" if eig is None else "(" + ", ".join(_f(v) for v in eig) + ")"
        )
        case = (
            f"x0 = {_vec(x0)}, α = {_f(alpha)}, "
            f"β = {_f(b)}, n_steps = {n}, eigenvalues = {eig_shown} [{regime}]"
        )
        if not (isinstance(got, dict) and set(got) == {"gd", "momentum"}):
            tally.fail(
                WrongAnswer(
                    f"gd_vs_momentum should return a dict with exactly the keys "
                    f"'gd' and 'momentum' for {case}; it returned "
                    f"{got!r:.120}."
                ),
                2,
            )
            continue
        eig_used = eig if eig is not None else (2.0, 100.0)
        for key, other in (("gd", "momentum"), ("momentum", "gd")):

            def mistakes(
                key: str = key,
                other: str = other,
                x0: Any = x0,
                alpha: float = alpha,
                b: float = b,
                n: int = n,
                eig_used: Any = eig_used,
                expected: dict = expected,
            ) -> dict[str, np.ndarray]:
                lam = np.asarray(eig_used, dtype=float)
                out = {
                    f"the {other!r} trajectory (the keys swapped, or β used wrongly)": expected[
                        other
                    ],
                    "∇f = 2λ ⊙ x (f is ½ Σ λᵢxᵢ², so ∇f = λ ⊙ x)": _scaled_gradient(
                        x0, alpha, b, n, lam
                    )[key],
                }
                if key == "momentum":
                    out.update(_heavy_ball_mistakes(lambda p: lam * p, x0, alpha, b, n))
                return out

            tally.run(
                lambda got=got, key=key, expected=expected, case=case, mistakes=mistakes: _close(
                    got[key],
                    expected[key],
                    what=f"gd_vs_momentum(...)[{key!r}]",
                    case=case,
                    tolerance=_traj_tolerance(got[key], expected[key]),
                    mistakes=mistakes,
                )
            )
    tally.settle(credit)


def test_beta_sweep(student, rng, credit):
    """Steps to tolerance (−1 if never) and the predicted rate maxᵢ ρ(λᵢ) for several β."""
    # GD and a moderate β get within tol; β close to 1 rings for longer than max_steps.
    eigs = [float(rng.uniform(3.0, 5.0)), float(rng.uniform(15.0, 25.0))]
    alpha = float(rng.uniform(1.2, 1.5)) / eigs[1]
    betas = [0.0, float(rng.uniform(0.3, 0.5)), float(rng.uniform(0.98, 0.995))]
    x0 = rng.choice([-1.0, 1.0], 2) * rng.uniform(0.5, 1.5, 2)
    tol, max_steps = 1e-2, 50
    got = student.call(
        "beta_sweep", x0, alpha, betas, tol=tol, max_steps=max_steps, eigenvalues=eigs
    )
    expected = ref.beta_sweep(x0, alpha, betas, tol=tol, max_steps=max_steps, eigenvalues=eigs)
    case = (
        f"x0 = {_vec(x0)}, α = {_f(alpha)}, "
        f"betas = [{', '.join(_f(b) for b in betas)}], tol = {tol:g}, max_steps = "
        f"{max_steps}, eigenvalues = ({_f(eigs[0])}, {_f(eigs[1])})"
    )
    expect_true(
        isinstance(got, dict) and set(got) == {"beta", "steps", "rate"},
        f"beta_sweep should return a dict with exactly the keys 'beta', 'steps' and "
        f"'rate' for {case}; it returned {got!r:.120}.",
    )
    expect_close(got["beta"], expected["beta"], what="beta_sweep(...)['beta']", case=case)
    tally = _Cases()
    steps = expected["steps"]

    def steps_mistakes() -> dict[str, np.ndarray]:
        doubled = ref.beta_sweep(
            x0, alpha, betas, tol=tol, max_steps=max_steps, eigenvalues=2.0 * np.asarray(eigs)
        )["steps"]
        return {
            f"max_steps ({max_steps}) instead of −1 for a β that never gets within tol": np.where(
                steps < 0, max_steps, steps
            ),
            f"max_steps + 1 ({max_steps + 1}) instead of −1 for a β that never gets "
            "within tol": np.where(steps < 0, max_steps + 1, steps),
            "row 0 not counted (the steps are off by one)": np.where(steps < 0, -1, steps + 1),
            "∇f = 2λ ⊙ x (f is ½ Σ λᵢxᵢ², so ∇f = λ ⊙ x)": doubled,
        }

    def rate_mistakes() -> dict[str, np.ndarray]:
        def rho(lam: float) -> np.ndarray:
            return np.array([ref.spectral_radius(lam, alpha, b) for b in betas])

        return {
            "ρ at λmin only (the rate is the max over all λᵢ)": rho(eigs[0]),
            "ρ at λmax only (the rate is the max over all λᵢ)": rho(eigs[1]),
            "√β (true only for complex roots)": np.sqrt(np.asarray(betas)),
        }

    exact = Tolerance(rtol=0.0, atol=1e-9)
    tally.run(
        lambda: _close(
            got["steps"],
            steps,
            what="beta_sweep(...)['steps']",
            case=case,
            mistakes=steps_mistakes,
            tolerance=exact,
        )
    )
    tally.run(
        lambda: _close(
            got["rate"],
            expected["rate"],
            what="beta_sweep(...)['rate']",
            case=case,
            mistakes=rate_mistakes,
        )
    )
    tally.settle(credit)
