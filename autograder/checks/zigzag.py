"""Hidden checks for exercise ``zigzag`` (2-D zigzag on ill-conditioned quadratics).

Inputs are random symmetric matrices A = QΛQᵀ with a random rotation Q (so A is not
diagonal unless a check needs it to be), condition numbers from about 1 to 1000, b ≠ 0,
float32 and float64 inputs, and step sizes just below/above 1/λmax and 2/λmax. Every
check scores the fraction of its cases that pass and names the course's common
mistakes (sign of b, the ½ of ½xᵀAx, I + αA, the shallow eigen-coordinate, zeros
counted as flips, an inverted ratio, off-by-one step counts, the loss gap used as a
distance, √λ instead of 1/√λ, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from autograder.compare import expect_close, expect_equal, expect_true, illustrate, policy
from autograder.errors import WrongAnswer
from autograder.landscapes import QuadraticForm
from reference import zigzag as ref

EXERCISE = "zigzag"


# ----------------------------------------------------------------------------- helpers


def _close(
    got: Any,
    expected: Any,
    what: str,
    case: Callable[[], str],
    mistakes: Callable[[], dict[str, Any]] | None = None,
) -> None:
    """``expect_close``; the case text and the mistakes are only built for a wrong answer.

    An answer that is right only to float32 precision (float32 arithmetic returned as
    float64, e.g. inputs not converted with ``dtype=float``) gets its own message.
    """
    try:
        expect_close(got, expected, what=what, case="")
        return
    except WrongAnswer:
        pass
    text = case()
    try:
        expect_close(
            got, expected, what=what, case=text, tolerance=policy().tolerance(np.dtype(np.float32))
        )
        float32_only = True
    except WrongAnswer:
        float32_only = False
    if float32_only:
        raise WrongAnswer(
            f"{what} is only accurate to float32 precision (about 7 digits) for {text}. "
            "It looks like part of the computation ran in float32: convert the inputs with "
            "np.asarray(..., dtype=float) and compute in float64."
        )
    expect_close(got, expected, what=what, case=text, mistakes=mistakes() if mistakes else None)


def _landscape(a: np.ndarray, b: np.ndarray) -> QuadraticForm:
    """The bowl ½xᵀAx − bᵀx the iterates ran on (drawn under them in feedback)."""
    af = np.asarray(a, dtype=float)
    return QuadraticForm(A=tuple(map(tuple, (af + af.T) / 2)), b=tuple(np.asarray(b, float)))


def _equal(
    got: Any,
    expected: Any,
    what: str,
    case: Callable[[], str],
    mistakes: Callable[[], dict[str, Any]] | None = None,
) -> None:
    """``expect_equal``; the case text and the mistakes are only built for a wrong answer."""
    try:
        expect_equal(got, expected, what=what, case="")
    except WrongAnswer:
        expect_equal(
            got, expected, what=what, case=case(), mistakes=mistakes() if mistakes else None
        )
        raise


def _rotation(rng: np.random.Generator, d: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.where(np.diag(r) < 0.0, -1.0, 1.0)


def _log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def _eigenvalues(rng: np.random.Generator, d: int, kappa: float) -> np.ndarray:
    """d eigenvalues with λmin ∈ [0.5, 2] and λmax = κ·λmin, the others in between."""
    lam_min = float(rng.uniform(0.5, 2.0))
    inner = lam_min * kappa ** rng.uniform(0.0, 1.0, d - 2)
    return np.sort(np.concatenate([[lam_min], inner, [lam_min * kappa]]))


def _with_eigenvalues(rng: np.random.Generator, lam: np.ndarray) -> np.ndarray:
    """A = QΛQᵀ for a random rotation Q, exactly symmetric."""
    q = _rotation(rng, len(lam))
    a = (q * lam) @ q.T
    return (a + a.T) / 2.0


def _spd(rng: np.random.Generator, d: int, kappa: float) -> np.ndarray:
    return _with_eigenvalues(rng, _eigenvalues(rng, d, kappa))


def _indefinite(rng: np.random.Generator, d: int) -> np.ndarray:
    """A rotated symmetric matrix with one negative eigenvalue (a saddle)."""
    lam = np.sort(rng.uniform(0.5, 8.0, d))
    lam[0] = -lam[0]
    return _with_eigenvalues(rng, lam)


def _lam_max(a: np.ndarray) -> float:
    return float(np.linalg.eigvalsh(np.asarray(a, dtype=float))[-1])


def _nums(v: Any) -> str:
    arr = np.asarray(v, dtype=float)
    if arr.ndim == 0:
        return f"{float(arr):.4g}"
    return "[" + ", ".join(_nums(x) for x in arr) + "]"


def _bowl(a: np.ndarray, b: np.ndarray | None = None) -> str:
    """A short description of the quadratic for messages."""
    arr = np.asarray(a, dtype=float)
    lam = np.linalg.eigvalsh(arr)
    d = arr.shape[0]
    diagonal = not np.any(arr - np.diag(np.diag(arr)))
    shape = "diagonal" if diagonal else "rotated (non-diagonal)"
    cond = f"κ = {lam[-1] / lam[0]:.4g}" if lam[0] > 0 else "indefinite"
    text = f"a {shape} {d}×{d} A with eigenvalues {_nums(lam)} ({cond})"
    if b is not None:
        text += f", b = {_nums(b)}"
    return text + f", {np.asarray(a).dtype.name} inputs"


def _cast(dtype: type, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(x, dtype=dtype) for x in arrays)


def _gd(x0: np.ndarray, n: int, step: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """A GD-like trajectory x_{k+1} = x_k − step(x_k) (for the mistakes' values)."""
    traj = np.empty((n + 1, len(x0)))
    traj[0] = np.asarray(x0, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            traj[k + 1] = traj[k] - step(traj[k])
    return traj


def _gd_trajectory(
    rng: np.random.Generator, d: int, kappa: float, factor: float, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """A GD run on a random rotated bowl with α = factor/λmax and b ≠ 0."""
    a = _spd(rng, d, kappa)
    b = rng.normal(0.0, 3.0, d)
    x0 = rng.uniform(-5.0, 5.0, d)
    alpha = factor / _lam_max(a)
    return a, b, ref.gd_trajectory(a, x0, alpha, n, b), alpha


# ----------------------------------------------------------------------------- the quadratic


def test_quadratic_loss(student, rng, credit):
    """The value ½xᵀAx − bᵀx + c on rotated, ill-conditioned and indefinite quadratics."""
    setups = [  # (A, dtype, b given, c given)
        (_spd(rng, 2, _log_uniform(rng, 100.0, 1000.0)), np.float64, True, True),
        (_indefinite(rng, 3), np.float64, True, True),
        (_spd(rng, 3, _log_uniform(rng, 1.0, 50.0)), np.float32, False, False),
    ]
    for a, dtype, with_b, with_c in setups:
        d = a.shape[0]
        x = rng.uniform(-3.0, 3.0, d)
        b = np.asarray(rng.normal(0.0, 2.0, d), dtype=dtype) if with_b else None
        c = float(rng.uniform(-3.0, 3.0)) if with_c else 0.0
        a, x = _cast(dtype, a, x)
        args = (a, x, b, c) if with_c else (a, x, b) if with_b else (a, x)
        got = student.call("quadratic_loss", *args)

        def mistakes(
            a: np.ndarray = a, x: np.ndarray = x, b: Any = b, c: float = c
        ) -> dict[str, float]:
            quad = 0.5 * float(x.astype(float) @ a.astype(float) @ x.astype(float))
            lin = 0.0 if b is None else float(b.astype(float) @ x.astype(float))
            return {
                "+bᵀx instead of −bᵀx (the sign of the linear term)": quad + lin + c,
                "xᵀAx without the ½ of f = ½xᵀAx − bᵀx + c": 2 * quad - lin + c,
                "the constant c left out": quad - lin,
            }

        with credit.case():
            _close(
                got,
                ref.quadratic_loss(a, x, b, c),
                "quadratic_loss(A, x, b, c)",
                lambda a=a, x=x, b=b, c=c: f"{_bowl(a, b)}, x = {_nums(x)}, c = {c:.4g}",
                mistakes,
            )
    credit.finish()


def test_quadratic_grad(student, rng, credit):
    """The gradient ∇f = Ax − b with b ≠ 0, rotated and indefinite A, float32 and float64."""
    setups = [  # (A, dtype, b given)
        (_spd(rng, 2, _log_uniform(rng, 100.0, 1000.0)), np.float64, True),
        (_indefinite(rng, 3), np.float64, True),
        (_spd(rng, 3, _log_uniform(rng, 1.0, 50.0)), np.float32, False),
    ]
    for a, dtype, with_b in setups:
        d = a.shape[0]
        x = rng.uniform(-3.0, 3.0, d)
        b = np.asarray(rng.normal(0.0, 2.0, d), dtype=dtype) if with_b else None
        c = float(rng.uniform(-2.0, 2.0))
        a, x = _cast(dtype, a, x)
        got = (
            student.call("quadratic_grad", a, x, b, c)
            if with_b
            else student.call("quadratic_grad", a, x)
        )

        def mistakes(a: np.ndarray = a, x: np.ndarray = x, b: Any = b) -> dict[str, Any]:
            ax = a.astype(float) @ x.astype(float)
            bb = np.zeros(len(x)) if b is None else b.astype(float)
            return {
                "Ax + b (the sign of b: ∇(−bᵀx) = −b)": ax + bb,
                "b − Ax, the negative gradient": bb - ax,
                "(A + Aᵀ)x − b = 2Ax − b (the ½ of ½xᵀAx forgotten)": 2 * ax - bb,
                "½Ax − b (for symmetric A, ∇(½xᵀAx) = ½(A + Aᵀ)x = Ax)": 0.5 * ax - bb,
            }

        with credit.case():
            _close(
                got,
                ref.quadratic_grad(a, x, b, c),
                "quadratic_grad(A, x, b, c)",
                lambda a=a, x=x, b=b: f"{_bowl(a, b)}, x = {_nums(x)}",
                mistakes,
            )
    credit.finish()


def test_quadratic_hessian(student, rng, credit):
    """The Hessian is A itself, the same at every point x (rotated, indefinite, float32)."""
    setups = [
        (_spd(rng, 2, _log_uniform(rng, 100.0, 1000.0)), np.float64),
        (_indefinite(rng, 3), np.float32),
        (_spd(rng, 3, _log_uniform(rng, 1.0, 30.0)), np.float64),
    ]
    for a, dtype in setups:
        d = a.shape[0]
        a, x, b = _cast(dtype, a, rng.uniform(-10.0, 10.0, d), rng.normal(0.0, 2.0, d))
        got = student.call("quadratic_hessian", a, x, b, 1.5)

        def mistakes(a: np.ndarray = a) -> dict[str, Any]:
            af = a.astype(float)
            return {
                "A + Aᵀ = 2A: the Hessian of ½xᵀAx is ½(A + Aᵀ) = A": 2 * af,
                "½A: the Hessian of ½xᵀAx is ½(A + Aᵀ) = A, not ½A": 0.5 * af,
                "only the diagonal of A (the bowl is rotated: keep the off-diagonal "
                "entries)": np.diag(np.diag(af)),
            }

        with credit.case():
            _close(
                got,
                ref.quadratic_hessian(a, x, b, 1.5),
                "quadratic_hessian(A, x, b, c)",
                lambda a=a, x=x, b=b: f"{_bowl(a, b)}, x = {_nums(x)}",
                mistakes,
            )
    credit.finish()


def test_quadratic_minimiser(student, rng, credit):
    """The stationary point x* = A⁻¹b (ill-conditioned, indefinite, b = None)."""
    setups = [  # (A, dtype, b given)
        (_spd(rng, 2, _log_uniform(rng, 300.0, 1000.0)), np.float64, True),
        (_indefinite(rng, 3), np.float32, True),
        (_spd(rng, 3, _log_uniform(rng, 1.0, 50.0)), np.float64, False),
    ]
    for a, dtype, with_b in setups:
        d = a.shape[0]
        b = np.asarray(rng.normal(0.0, 3.0, d), dtype=dtype) if with_b else None
        a = np.asarray(a, dtype=dtype)
        got = (
            student.call("quadratic_minimiser", a, b)
            if with_b
            else student.call("quadratic_minimiser", a)
        )
        expected = ref.quadratic_minimiser(a, b)

        def mistakes(a: np.ndarray = a, b: Any = b, e: np.ndarray = expected) -> dict[str, Any]:
            if b is None:
                return {}
            return {
                "−A⁻¹b (the sign of b: ∇f = Ax − b = 0 gives Ax* = b)": -e,
                "2A⁻¹b (the ½ of ½xᵀAx: ∇f = Ax − b, not ½Ax − b)": 2 * e,
                "b divided by the diagonal of A (A is rotated: solve Ax* = b)": b.astype(float)
                / np.diag(a.astype(float)),
            }

        with credit.case():
            _close(
                got, expected, "quadratic_minimiser(A, b)", lambda a=a, b=b: _bowl(a, b), mistakes
            )
    credit.finish()


# ----------------------------------------------------------------------------- GD as a system


@pytest.mark.weight(2)
def test_gd_trajectory(student, rng, credit):
    """GD iterates from x0 (row 0) on rotated bowls, α just below/above 1/λmax and 2/λmax."""
    setups = [  # (d, κ, α·λmax, n_steps, dtype, b given)
        (
            2,
            _log_uniform(rng, 1.0, 3.0),
            rng.uniform(0.9, 0.98),
            int(rng.integers(8, 15)),
            np.float64,
            True,
        ),
        (
            2,
            _log_uniform(rng, 300.0, 1000.0),
            rng.uniform(1.02, 1.1),
            int(rng.integers(20, 40)),
            np.float32,
            True,
        ),
        (
            3,
            _log_uniform(rng, 10.0, 100.0),
            rng.uniform(1.9, 1.98),
            int(rng.integers(20, 40)),
            np.float64,
            True,
        ),
        (
            2,
            _log_uniform(rng, 10.0, 1000.0),
            rng.uniform(2.02, 2.1),
            int(rng.integers(30, 50)),
            np.float64,
            True,
        ),
        (3, _log_uniform(rng, 1.0, 100.0), rng.uniform(0.5, 1.9), 0, np.float64, False),
    ]
    for d, kappa, factor, n, dtype, with_b in setups:
        a, x0, b = _cast(
            dtype,
            _spd(rng, d, kappa),
            rng.uniform(-5.0, 5.0, d),
            rng.normal(0.0, 3.0, d) if with_b else np.zeros(d),
        )
        alpha = float(factor / _lam_max(a))
        got = (
            student.call("gd_trajectory", a, x0, alpha, n, b)
            if with_b
            else student.call("gd_trajectory", a, x0, alpha, n)
        )

        def mistakes(
            a: np.ndarray = a,
            x0: np.ndarray = x0,
            b: np.ndarray = b,
            n: int = n,
            alpha: float = alpha,
        ) -> dict[str, Any]:
            af, bf = a.astype(float), b.astype(float)
            return {
                "a sign error in the update (x + α∇f instead of x − α∇f)": _gd(
                    x0, n, lambda x: -alpha * (af @ x - bf)
                ),
                "the gradient Ax + b (the sign of b)": _gd(x0, n, lambda x: alpha * (af @ x + bf)),
                "the gradient 2Ax − b (the ½ of ½xᵀAx forgotten)": _gd(
                    x0, n, lambda x: alpha * (2 * af @ x - bf)
                ),
                "only the diagonal of A (diag(A)⊙x instead of Ax: the bowl is rotated)": _gd(
                    x0, n, lambda x: alpha * (np.diag(af) * x - bf)
                ),
            }

        with credit.case(), illustrate(landscape=_landscape(a, b)):
            _close(
                got,
                ref.gd_trajectory(a, x0, alpha, n, b if with_b else None),
                "gd_trajectory(A, x0, α, n_steps, b)",
                lambda a=a, b=b, x0=x0, alpha=alpha, factor=factor, n=n, wb=with_b: (
                    f"{_bowl(a, b if wb else None)}, x0 = {_nums(x0)}, α = {alpha:.6g} "
                    f"(α·λmax = {factor:.3f}), n_steps = {n}"
                ),
                mistakes,
            )
    credit.finish()


def test_iteration_matrix(student, rng, credit):
    """The iteration matrix M = I − αA of e_{k+1} = M·e_k, with a rotated A."""
    setups = [
        (2, _log_uniform(rng, 300.0, 1000.0), rng.uniform(1.9, 1.98), np.float32),
        (3, _log_uniform(rng, 2.0, 30.0), rng.uniform(1.02, 1.1), np.float64),
        (2, _log_uniform(rng, 10.0, 100.0), rng.uniform(2.02, 2.2), np.float64),
    ]
    for d, kappa, factor, dtype in setups:
        a = np.asarray(_spd(rng, d, kappa), dtype=dtype)
        alpha = float(factor / _lam_max(a))
        got = student.call("iteration_matrix", a, alpha)

        def mistakes(a: np.ndarray = a, alpha: float = alpha) -> dict[str, Any]:
            af, eye = a.astype(float), np.eye(len(a))
            return {
                "I + αA (a sign error: e_{k+1} = e_k − αAe_k)": eye + alpha * af,
                "αA − I (the sign of the whole matrix)": alpha * af - eye,
                "1 − αA elementwise (use the identity matrix I, not 1)": 1.0 - alpha * af,
                "I − A (the step size α forgotten)": eye - af,
            }

        with credit.case():
            _close(
                got,
                ref.iteration_matrix(a, alpha),
                "iteration_matrix(A, α)",
                lambda a=a, alpha=alpha, factor=factor: (
                    f"{_bowl(a)}, α = {alpha:.6g} (α·λmax = {factor:.3f})"
                ),
                mistakes,
            )
    credit.finish()


def test_error_after_steps(student, rng, credit):
    """The closed form e_k = (I − αA)^k·e0 on rotated bowls, converging and diverging."""
    setups = [  # (d, κ, α·λmax, k, dtype)
        (
            2,
            _log_uniform(rng, 300.0, 1000.0),
            rng.uniform(1.9, 1.98),
            int(rng.integers(15, 40)),
            np.float64,
        ),
        (
            3,
            _log_uniform(rng, 2.0, 20.0),
            rng.uniform(1.02, 1.1),
            int(rng.integers(3, 7)),
            np.float32,
        ),
        (
            2,
            _log_uniform(rng, 10.0, 100.0),
            rng.uniform(2.02, 2.2),
            int(rng.integers(20, 40)),
            np.float64,
        ),
        (3, _log_uniform(rng, 1.0, 100.0), rng.uniform(0.5, 1.5), 0, np.float64),
    ]
    for d, kappa, factor, k, dtype in setups:
        a, e0 = _cast(dtype, _spd(rng, d, kappa), rng.uniform(-3.0, 3.0, d))
        alpha = float(factor / _lam_max(a))
        got = student.call("error_after_steps", a, alpha, e0, k)

        def mistakes(
            a: np.ndarray = a, e0: np.ndarray = e0, alpha: float = alpha, k: int = k
        ) -> dict[str, Any]:
            if k == 0:
                return {}
            af, ef, eye = a.astype(float), e0.astype(float), np.eye(len(a))
            m = eye - alpha * af
            power = np.linalg.matrix_power
            with np.errstate(over="ignore", invalid="ignore"):
                return {
                    "(I + αA)^k·e0 (a sign error in the iteration matrix)": power(
                        eye + alpha * af, k
                    )
                    @ ef,
                    "one step too few, (I − αA)^(k−1)·e0": power(m, k - 1) @ ef,
                    "one step too many, (I − αA)^(k+1)·e0": power(m, k + 1) @ ef,
                    "the elementwise power (I − αA)**k instead of the matrix power": (m**k) @ ef,
                    "A treated as diagonal, (1 − α·diag(A))^k ⊙ e0 (A is rotated)": (
                        1.0 - alpha * np.diag(af)
                    )
                    ** k
                    * ef,
                }

        with credit.case():
            _close(
                got,
                ref.error_after_steps(a, alpha, e0, k),
                "error_after_steps(A, α, e0, k)",
                lambda a=a, alpha=alpha, factor=factor, e0=e0, k=k: (
                    f"{_bowl(a)}, α = {alpha:.6g} (α·λmax = {factor:.3f}), e0 = {_nums(e0)}, "
                    f"k = {k}"
                ),
                mistakes,
            )
    credit.finish()


def _first_k(
    a: np.ndarray,
    x0: np.ndarray,
    alpha: float,
    b: np.ndarray | None,
    cap: int,
    criterion: str,
    tol: float,
) -> int:
    """Steps to tolerance by the closed form in eigen-coordinates, for a named criterion.

    Only used to name mistakes; k = 0 is evaluated exactly as the reference does.
    """
    af = np.asarray(a, dtype=float)
    bb = np.zeros(len(af)) if b is None else np.asarray(b, dtype=float)
    lam, q = np.linalg.eigh(af)
    e0 = np.asarray(x0, dtype=float) - np.linalg.solve(af, bb)
    z0 = q.T @ e0
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        z = (1.0 - alpha * lam)[None, :] ** np.arange(cap + 1)[:, None] * z0
        if criterion == "gap":
            value = 0.5 * np.sum(lam * z * z, axis=1)
            value[0] = 0.5 * float(e0 @ af @ e0)
        elif criterion == "squared":
            value = np.sum(z * z, axis=1)
            value[0] = float(np.linalg.norm(e0)) ** 2
        else:
            value = np.sqrt(np.sum(z * z, axis=1))
            value[0] = float(np.linalg.norm(e0))
        ok = (value < tol) if criterion == "strict" else (value <= tol)
    hits = np.flatnonzero(ok & np.isfinite(value))
    return int(hits[0]) if hits.size else -1


def _steps_mistakes(
    a: np.ndarray,
    x0: np.ndarray,
    alpha: float,
    tol: float,
    b: np.ndarray | None,
    cap: int,
    expected: int,
) -> dict[str, int]:
    horizon = cap if expected < 0 else min(cap, 4 * expected + 100)
    out = {}
    if expected >= 0:
        out["counting from 1 (k counts updates: k = 0 is x0 itself)"] = expected + 1
    if expected >= 1:
        out["one update too few"] = expected - 1
    for name, criterion in (
        ("the loss gap f(x_k) − f* ≤ tol instead of the distance ‖x_k − x*‖ ≤ tol", "gap"),
        ("the squared distance ‖x_k − x*‖² ≤ tol", "squared"),
        ("a strict ‖x_k − x*‖ < tol (the contract says ≤)", "strict"),
    ):
        k = _first_k(a, x0, alpha, b, horizon, criterion, tol)
        if k >= 0 or horizon == cap:  # a truncated search proves nothing about −1
            out[name] = k
    if expected == -1:
        out["max_steps returned when the tolerance is not reached (return −1)"] = cap
    return out


@pytest.mark.weight(2)
def test_steps_to_tolerance(student, rng, credit):
    """Updates until ‖x_k − x*‖ ≤ tol (b ≠ 0, κ ≫ 1, divergence, the cap, an exact tie)."""
    what = "steps_to_tolerance(A, x0, α, tol, b, max_steps)"

    def one(
        a: np.ndarray,
        x0: np.ndarray,
        alpha: float,
        tol: float,
        b: np.ndarray | None,
        cap: int,
        note: str,
        expected: int | None = None,
        extra: dict[str, int] | None = None,
    ) -> int:
        if expected is None:
            expected = ref.steps_to_tolerance(a, x0, alpha, tol, b, cap)
        got = student.call("steps_to_tolerance", a, x0, alpha, tol, b, cap)
        with credit.case():
            _equal(
                got,
                expected,
                what,
                lambda: (
                    f"{_bowl(a, b)}, x0 = {_nums(x0)}, α = {alpha:.6g} {note}, "
                    f"tol = {tol:.4g}, max_steps = {cap}"
                ),
                lambda: {**(extra or {}), **_steps_mistakes(a, x0, alpha, tol, b, cap, expected)},
            )
        return expected

    # 1. the optimal step on a moderately ill-conditioned rotated bowl
    a = _spd(rng, 2, _log_uniform(rng, 5.0, 20.0))
    lam = np.linalg.eigvalsh(a)
    b, x0 = rng.normal(0.0, 3.0, 2), rng.uniform(-5.0, 5.0, 2)
    alpha = float(2.0 / (lam[0] + lam[-1]))
    tol = float(np.linalg.norm(x0 - np.linalg.solve(a, b)) * 10 ** -rng.uniform(2.0, 4.0))
    needed = one(a, x0, alpha, tol, b, 10_000, "(α* = 2/(λmax + λmin))")
    # 2./3. the cap: exactly enough updates (→ needed), and one too few (→ −1)
    one(
        a,
        x0,
        alpha,
        tol,
        b,
        needed,
        "(α*; max_steps is exactly enough)",
        needed,
        {
            "the last iterate x_{max_steps} never checked (max_steps updates give x_0 … "
            "x_{max_steps}, and every one of them counts)": -1
        },
    )
    one(
        a,
        x0,
        alpha,
        tol,
        b,
        needed - 1,
        "(α*; max_steps is one update short)",
        -1,
        {"more than max_steps updates made": needed},
    )
    # 4. just below 1/λmax, float32 inputs
    a, b, x0 = _cast(
        np.float32,
        _spd(rng, 3, _log_uniform(rng, 2.0, 10.0)),
        rng.normal(0.0, 3.0, 3),
        rng.uniform(-5.0, 5.0, 3),
    )
    factor = rng.uniform(0.9, 0.98)
    tol = float(np.linalg.norm(x0 - ref.quadratic_minimiser(a, b)) * 10 ** -rng.uniform(2, 3))
    one(a, x0, float(factor / _lam_max(a)), tol, b, 10_000, f"(α·λmax = {factor:.3f})")
    # 5. κ ≫ 1, the error mostly along the steep direction
    a = _spd(rng, 2, _log_uniform(rng, 300.0, 1000.0))
    lam, q = np.linalg.eigh(a)
    tol = float(rng.uniform(1e-4, 1e-3))
    z0 = np.array([rng.uniform(0.1, 0.3) * tol, rng.choice([-1.0, 1.0]) * rng.uniform(1, 3)])
    b = rng.normal(0.0, 3.0, 2)
    factor = rng.uniform(0.9, 0.98)
    one(
        a,
        np.linalg.solve(a, b) + q @ z0,
        float(factor / lam[-1]),
        tol,
        b,
        10_000,
        f"(α·λmax = {factor:.3f})",
    )
    # 6. divergence: just above 2/λmax
    a = _spd(rng, 2, _log_uniform(rng, 10.0, 100.0))
    b, x0 = rng.normal(0.0, 3.0, 2), rng.uniform(-5.0, 5.0, 2)
    factor = rng.uniform(2.02, 2.2)
    one(a, x0, float(factor / _lam_max(a)), 1e-3, b, 100, f"(α·λmax = {factor:.3f})")
    # 7. an exact tie ‖x0 − x*‖ = tol: no update is needed
    a = _spd(rng, 2, _log_uniform(rng, 2.0, 100.0))
    tol = float(rng.uniform(0.1, 1.0))
    x0 = np.zeros(2)
    x0[int(rng.integers(0, 2))] = tol * rng.choice([-1.0, 1.0])
    one(
        a,
        x0,
        float(rng.uniform(0.5, 1.5) / _lam_max(a)),
        tol,
        None,
        10_000,
        "(x0 is exactly at distance tol from x* = 0)",
    )
    credit.finish()


def test_steps_vs_kappa(student, rng, credit):
    """κ, α* = 2/(λmax + λmin) and steps for a family of bowls, and with one shared α."""
    what = "steps_vs_kappa(hessians, x0, tol, alpha, max_steps)"
    # 1. the optimal α per bowl as κ grows; 2. one shared α: the steepest bowl diverges
    fam1 = np.stack(
        [
            _spd(rng, 2, _log_uniform(rng, lo, hi))
            for lo, hi in ((1.0, 2.0), (4.0, 8.0), (10.0, 20.0))
        ]
    )
    big = float(rng.uniform(5.0, 20.0))
    fam2 = np.stack(
        [
            _with_eigenvalues(rng, np.sort(rng.uniform(big / 4, big / 2, 3))),
            _with_eigenvalues(
                rng, np.array([big / rng.uniform(3, 10), big * rng.uniform(0.5, 0.9), big])
            ),
            _with_eigenvalues(rng, np.array([1.0, big, big * rng.uniform(1.2, 2.0)])),
        ]
    )
    shared = float(rng.uniform(1.8, 1.95) / big)
    for hs, x0, alpha, cap, note in (
        (fam1, rng.uniform(-5.0, 5.0, 2), None, 10_000, "alpha = None (α* for each bowl)"),
        (fam2, rng.uniform(-5.0, 5.0, 3), shared, 60, f"alpha = {shared:.6g} for all"),
    ):
        tol = float(np.linalg.norm(x0) * 1e-3)
        expected = ref.steps_vs_kappa(hs, x0, tol, alpha, cap)
        got = (
            student.call("steps_vs_kappa", hs, x0, tol)
            if alpha is None
            else student.call("steps_vs_kappa", hs, x0, tol, alpha, cap)
        )
        shape_ok = isinstance(got, dict) and {"kappa", "alpha", "steps"} <= set(got)

        def case(
            hs: np.ndarray = hs,
            x0: np.ndarray = x0,
            tol: float = tol,
            note: str = note,
            cap: int = cap,
        ) -> str:
            lams = np.linalg.eigvalsh(hs)
            return (
                f"{len(hs)} rotated bowls with eigenvalues "
                f"{', '.join(_nums(row) for row in lams)}, x0 = {_nums(x0)}, "
                f"tol = {tol:.4g}, {note}, max_steps = {cap}"
            )

        def mistakes(
            key: str,
            hs: np.ndarray = hs,
            x0: np.ndarray = x0,
            tol: float = tol,
            cap: int = cap,
            fixed: bool = alpha is not None,
            expected: dict[str, np.ndarray] = expected,
        ) -> dict[str, Any]:
            lams = np.linalg.eigvalsh(hs)
            lmin, lmax = lams[:, 0], lams[:, -1]
            steps = expected["steps"]
            if key == "kappa":
                return {"λmin/λmax (κ = λmax/λmin is ≥ 1)": lmin / lmax}
            if key == "alpha":
                return (
                    {}
                    if fixed
                    else {
                        "2/λmax (the stability limit, not the optimal step)": 2.0 / lmax,
                        "1/λmax (α* = 2/(λmax + λmin))": 1.0 / lmax,
                        "1/(λmax + λmin) (α* = 2/(λmax + λmin))": 1.0 / (lmax + lmin),
                        "2/λmin instead of 2/λmax": 2.0 / lmin,
                    }
                )
            gap = [
                _first_k(h, x0, s, None, cap if k < 0 else min(cap, 4 * k + 100), "gap", tol)
                for h, s, k in zip(hs, expected["alpha"], steps, strict=True)
            ]
            return {
                "counting from 1 (k = 0 is x0 itself)": np.where(steps >= 0, steps + 1, -1),
                "the loss gap instead of the distance ‖x_k‖ ≤ tol": gap,
                "max_steps instead of −1 when not reached": np.where(steps >= 0, steps, cap),
            }

        for key in ("kappa", "alpha", "steps"):
            with credit.case():
                if not shape_ok:
                    expect_true(
                        False,
                        f"{what} should return a dict with keys 'kappa', "
                        f"'alpha' and 'steps' for {case()}, but returned "
                        f"{type(got).__name__}"
                        + (f" with keys {sorted(got)}." if isinstance(got, dict) else "."),
                    )
                _close(
                    got[key],
                    expected[key],
                    f"{what}['{key}']",
                    case,
                    lambda key=key, mistakes=mistakes: mistakes(key),
                )
    credit.finish()


# ----------------------------------------------------------------------------- zigzag measures


def _flip_count(z: np.ndarray, strict: bool = True) -> int:
    zz = z if z.ndim == 2 else z[:, None]
    with np.errstate(over="ignore", invalid="ignore"):
        products = np.sum(zz[:-1] * zz[1:], axis=1)
    return int(np.count_nonzero(products < 0.0 if strict else products <= 0.0))


def _flip_mistakes(a: np.ndarray, traj: np.ndarray, b: np.ndarray | None) -> dict[str, int]:
    af = np.asarray(a, dtype=float)
    t = np.asarray(traj, dtype=float)
    x_star = np.linalg.solve(af, np.zeros(len(af)) if b is None else np.asarray(b, float))
    _, q = np.linalg.eigh(af)
    axis = int(np.argmax(np.diag(af)))
    return {
        "the flips of the shallow (λmin) eigen-coordinate, not the steep (λmax) one": _flip_count(
            (t - x_star) @ q[:, 0]
        ),
        "z_k = vᵀx_k without subtracting x* (the coordinate is vᵀ(x_k − x*))": _flip_count(
            t @ q[:, -1]
        ),
        "a raw coordinate x_k[i] instead of the eigen-coordinate (A is rotated)": _flip_count(
            t[:, axis] - x_star[axis]
        ),
    }


@pytest.mark.weight(2)
def test_steep_sign_flips(student, rng, credit):
    """Sign flips of the steep eigen-coordinate: GD above/below 1/λmax, zeros, repeated λmax."""

    def one(
        a: np.ndarray,
        traj: np.ndarray,
        b: np.ndarray | None,
        note: str,
        extra: dict[str, int] | None = None,
    ) -> None:
        got = student.call("steep_sign_flips", a, traj, b)
        with credit.case():
            _equal(
                got,
                ref.steep_sign_flips(a, traj, b),
                "steep_sign_flips(A, trajectory, b)",
                lambda: f"{_bowl(a, b)}, {note} ({len(traj)} points)",
                lambda: {**(extra or {}), **_flip_mistakes(a, traj, b)},
            )

    # 1. GD with 1/λmax < α < 2/λmax on a rotated bowl; vᵀx* is chosen so that forgetting
    #    to subtract x* counts about n/2 flips (neither 0 nor n)
    a = _spd(rng, 2, _log_uniform(rng, 20.0, 1000.0))
    lam, q = np.linalg.eigh(a)
    factor = float(rng.uniform(1.1, 1.9))
    r = abs(1.0 - factor)
    n = int(np.clip(np.floor(np.log(1e-6) / np.log(r)), 4, 25))
    z0 = rng.choice([-1.0, 1.0], 2) * rng.uniform(0.5, 2.0, 2)
    w = rng.uniform(-2.0, 2.0, 2)
    w[-1] = rng.choice([-1.0, 1.0]) * abs(z0[-1]) * r ** (n // 2 + 0.5)
    x_star = q @ w
    b = a @ x_star
    traj = ref.gd_trajectory(a, x_star + q @ z0, factor / lam[-1], n, b)
    one(a, traj, b, f"GD trajectory with α·λmax = {factor:.3f}")
    # 2. GD with α just below 1/λmax (no zigzag), d = 3
    a, b, traj, alpha = _gd_trajectory(
        rng, 3, _log_uniform(rng, 5.0, 300.0), rng.uniform(0.9, 0.98), int(rng.integers(3, 5))
    )
    one(a, traj, b, f"GD trajectory with α·λmax = {alpha * _lam_max(a):.3f}")
    # 3. a hand-made float32 path on a diagonal A whose steep coordinate is sometimes exactly 0
    lam = np.sort(rng.uniform(1.0, 10.0, 3)) * np.array([1.0, 1.0, 10.0])
    a = np.diag(rng.permutation(lam))
    steep = int(np.argmax(np.diag(a)))
    for _ in range(20):
        signs = rng.choice([-1.0, 0.0, 0.0, 1.0, 1.0], 12)
        if _flip_count(signs) != np.count_nonzero(np.diff(signs)):
            break
    traj = rng.uniform(0.5, 3.0, (12, 3)) * rng.choice([-1.0, 1.0], (12, 3))
    traj[:, steep] = signs * rng.uniform(0.5, 3.0, 12)
    traj = traj.astype(np.float32)
    zs = traj[:, steep].astype(float)
    one(
        a,
        traj,
        None,
        f"a path whose steep coordinate is {_nums(zs)}",
        {
            "a change to or from 0 counted as a flip (+, 0, − is no flip: z_k·z_{k+1} < 0)": int(
                np.count_nonzero(np.diff(np.sign(zs)))
            ),
            "z_k·z_{k+1} ≤ 0 (a zero is never part of a flip: use < 0)": _flip_count(
                zs, strict=False
            ),
        },
    )
    # 4. divergent GD just above 2/λmax, d = 3, float32 inputs
    a, b, traj, alpha = _gd_trajectory(
        rng, 3, _log_uniform(rng, 10.0, 300.0), rng.uniform(2.02, 2.3), int(rng.integers(8, 15))
    )
    factor = alpha * _lam_max(a)
    a, b, traj = _cast(np.float32, a, b, traj)
    one(a, traj, b, f"GD trajectory with α·λmax = {factor:.3f} (divergent)")
    # 5. λmax repeated (d = 3): the steep space is a plane, Z_k = Vᵀ(x_k − x*)
    top = float(rng.uniform(5.0, 20.0))
    q = _rotation(rng, 3)
    lam = np.array([top / rng.uniform(3.0, 30.0), top, top])
    a = (q * lam) @ q.T
    a = (a + a.T) / 2.0
    b = rng.normal(0.0, 2.0, 3)
    zs = [rng.normal(0.0, 1.0, 2)]
    while len(zs) < 10:
        z = rng.normal(0.0, 1.0, 2)
        if abs(z @ zs[-1]) >= 0.1 * np.linalg.norm(z) * np.linalg.norm(zs[-1]):
            zs.append(z)
    traj = (
        np.linalg.solve(a, b)
        + np.array(zs) @ q[:, 1:].T
        + np.outer(rng.uniform(-1.0, 1.0, 10), q[:, 0])
    )

    def single(a: np.ndarray = a, traj: np.ndarray = traj, b: np.ndarray = b) -> dict[str, int]:
        _, qa = np.linalg.eigh(a)
        e = traj - np.linalg.solve(a, b)
        text = (
            "only {} eigenvector of the repeated λmax (use all of its eigenvectors V: "
            "Z_k = Vᵀ(x_k − x*), a flip is Z_k·Z_{{k+1}} < 0)"
        )
        return {
            text.format("the last"): _flip_count(e @ qa[:, -1]),
            text.format("one"): _flip_count(e @ qa[:, -2]),
        }

    got = student.call("steep_sign_flips", a, traj, b)
    with credit.case():
        _equal(
            got,
            ref.steep_sign_flips(a, traj, b),
            "steep_sign_flips(A, trajectory, b)",
            lambda: (
                f"{_bowl(a, b)}, a path on a bowl whose largest eigenvalue is repeated "
                f"({len(traj)} points)"
            ),
            single,
        )
    credit.finish()


def _path_mistakes(traj: np.ndarray) -> dict[str, float]:
    t = np.asarray(traj, dtype=float)
    t = t if t.ndim == 2 else t[:, None]
    steps = np.diff(t, axis=0)
    norms = np.linalg.norm(steps, axis=1)
    return {
        "Σ‖x_{k+1} − x_k‖² (squared step lengths)": float(np.sum(norms**2)),
        "Σ‖x_{k+1} − x_k‖₁ (the L1 norm; use the Euclidean norm)": float(np.sum(np.abs(steps))),
        "the straight distance ‖x_n − x_0‖ (the path length sums every step)": float(
            np.linalg.norm(t[-1] - t[0])
        ),
        "one segment missing (every step x_k → x_{k+1} counts, k = 0 … n − 1)": float(
            np.sum(norms[:-1])
        ),
    }


def _ratio_mistakes(traj: np.ndarray) -> dict[str, float]:
    t = np.asarray(traj, dtype=float)
    t = t if t.ndim == 2 else t[:, None]
    length = float(np.sum(np.linalg.norm(np.diff(t, axis=0), axis=1)))
    dist = float(np.linalg.norm(t[-1] - t[0]))
    first = float(np.linalg.norm(t[1] - t[0]))
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "D/L (the ratio inverted: it is path length / distance)": float(
                np.float64(dist) / length
            ),
            "L/‖x_1 − x_0‖ (D is the distance from x_0 to the last point x_n)": float(
                np.float64(length) / first
            ),
        }


def _random_walk(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    return np.cumsum(rng.normal(0.0, 1.0, (n + 1, d)), axis=0)


def test_path_length(student, rng, credit):
    """Path length Σ‖x_{k+1} − x_k‖ of zigzagging GD runs and random paths."""
    _, _, zig, _ = _gd_trajectory(
        rng, 2, _log_uniform(rng, 50.0, 1000.0), rng.uniform(1.5, 1.95), int(rng.integers(20, 40))
    )
    _, _, mono, _ = _gd_trajectory(
        rng, 3, _log_uniform(rng, 2.0, 30.0), rng.uniform(0.3, 0.9), int(rng.integers(5, 15))
    )
    walk = _random_walk(rng, int(rng.integers(5, 12)), 3).astype(np.float32)
    for traj, note in (
        (zig, "a zigzagging GD run"),
        (mono, "a monotone GD run"),
        (walk, "a random path, float32"),
    ):
        got = student.call("path_length", traj)
        with credit.case():
            _close(
                got,
                ref.path_length(traj),
                "path_length(trajectory)",
                lambda note=note, traj=traj: f"{note} of shape {traj.shape}",
                lambda traj=traj: _path_mistakes(traj),
            )
    credit.finish()


def test_path_ratio(student, rng, credit):
    """The zigzag ratio L/D: ≫ 1 for zigzag GD on κ ≫ 1, exactly 1 for a straight run."""
    _, _, zig, _ = _gd_trajectory(
        rng, 2, _log_uniform(rng, 50.0, 1000.0), rng.uniform(1.5, 1.95), int(rng.integers(20, 40))
    )
    lam = float(rng.uniform(0.5, 5.0))
    straight = ref.gd_trajectory(
        lam * np.eye(2),
        rng.uniform(-5, 5, 2),
        float(rng.uniform(0.2, 0.9) / lam),
        int(rng.integers(5, 15)),
        rng.normal(0.0, 2.0, 2),
    )
    walk = _random_walk(rng, int(rng.integers(5, 12)), 3).astype(np.float32)
    for traj, note in (
        (zig, "a zigzagging GD run on κ ≫ 1"),
        (straight, "GD on a round bowl (κ = 1), a straight run"),
        (walk, "a random path, float32"),
    ):
        got = student.call("path_ratio", traj)
        with credit.case():
            _close(
                got,
                ref.path_ratio(traj),
                "path_ratio(trajectory)",
                lambda note=note, traj=traj: f"{note} of shape {traj.shape}",
                lambda traj=traj: _ratio_mistakes(traj),
            )
    credit.finish()


def test_path_boundaries(student, rng, credit):
    """Path measures on 1-D trajectories, a single point (L = 0, ratio 1) and a closed loop."""
    lam = float(rng.uniform(0.5, 5.0))
    one_d = ref.gd_trajectory(
        [[lam]],
        [float(rng.uniform(1.0, 5.0))],
        float(rng.uniform(1.2, 1.8) / lam),
        int(rng.integers(5, 12)),
    )[:, 0]
    point = rng.uniform(-5.0, 5.0, (1, 2))
    p = rng.uniform(-5.0, 5.0, 2)
    loop = np.array([p, p + rng.uniform(0.5, 2.0, 2), p - rng.uniform(0.5, 2.0, 2), p])
    checks = [
        (
            "path_length",
            one_d,
            ref.path_length(one_d),
            f"a 1-D trajectory of shape {one_d.shape} (d = 1)",
            lambda: _path_mistakes(one_d),
        ),
        (
            "path_ratio",
            one_d,
            ref.path_ratio(one_d),
            f"a 1-D trajectory of shape {one_d.shape} (d = 1)",
            lambda: _ratio_mistakes(one_d),
        ),
        ("path_length", point, 0.0, f"a single point {_nums(point[0])} (no step)", None),
        (
            "path_ratio",
            point,
            1.0,
            f"a single point {_nums(point[0])}: L = D = 0",
            lambda: {"0/0 = nan (by convention a path that never moves has ratio 1.0)": np.nan},
        ),
        (
            "path_ratio",
            loop,
            np.inf,
            f"a closed loop {_nums(loop[0])} → … → {_nums(loop[-1])}: L > 0, D = 0",
            lambda: {
                "nan (a closed loop has L > 0 and D = 0: ratio inf)": np.nan,
                "1.0 (only L = D = 0 gives 1.0; a closed loop gives inf)": 1.0,
            },
        ),
    ]
    for function, traj, expected, case, mistakes in checks:
        got = student.call(function, traj)
        with credit.case():
            _close(got, expected, f"{function}(trajectory)", lambda case=case: case, mistakes)
    credit.finish()


# ----------------------------------------------------------------------------- rescaling


def test_rescaled_hessian(student, rng, credit):
    """The Hessian SAS of f(S·u): s_i·A_ij·s_j on rotated and diagonal bowls."""
    a1 = _spd(rng, 2, _log_uniform(rng, 100.0, 1000.0))
    s1 = np.exp(rng.uniform(np.log(0.1), np.log(10.0), 2))
    lam = rng.permutation(_eigenvalues(rng, 3, _log_uniform(rng, 10.0, 1000.0)))
    a2, s2 = np.diag(lam), 1.0 / np.sqrt(lam)
    a3 = _spd(rng, 3, _log_uniform(rng, 2.0, 100.0))
    s3 = np.exp(rng.uniform(np.log(0.2), np.log(5.0), 3))
    s3[int(rng.integers(0, 3))] = 0.0
    a3, s3 = _cast(np.float32, a3, s3)
    for a, s, note in ((a1, s1, ""), (a2, s2, " (s = 1/√λ: SAS = I)"), (a3, s3, " (one s_i = 0)")):
        got = student.call("rescaled_hessian", a, s)

        def mistakes(a: np.ndarray = a, s: np.ndarray = s) -> dict[str, Any]:
            af, sf = a.astype(float), s.astype(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                inv = (1.0 / sf)[:, None] * af * (1.0 / sf)[None, :]
            return {
                "S⁻¹AS⁻¹ (x = S·u multiplies the curvature by s_i·s_j)": inv,
                "S²A (scaled on one side only: SAS has s_i·A_ij·s_j)": (sf**2)[:, None] * af,
                "AS² (scaled on one side only: SAS has s_i·A_ij·s_j)": af * (sf**2)[None, :],
                "S·A (S must appear on both sides: SAS)": sf[:, None] * af,
            }

        with credit.case():
            _close(
                got,
                ref.rescaled_hessian(a, s),
                "rescaled_hessian(A, s)",
                lambda a=a, s=s, note=note: f"{_bowl(a)}, s = {_nums(s)}{note}",
                mistakes,
            )
    credit.finish()


def test_isotropic_scaling(student, rng, credit):
    """s_i = 1/√λ_i for a diagonal bowl with κ ≫ 1 (unsorted diagonal, float32)."""
    setups = [
        (2, _log_uniform(rng, 100.0, 1000.0), np.float64),
        (3, _log_uniform(rng, 10.0, 1000.0), np.float64),
        (4, _log_uniform(rng, 2.0, 100.0), np.float32),
    ]
    for d, kappa, dtype in setups:
        lam = _eigenvalues(rng, d, kappa)
        lam = lam[::-1] if d == 2 else rng.permutation(lam)
        a = np.diag(lam).astype(dtype)
        got = student.call("isotropic_scaling", a)

        def mistakes(a: np.ndarray = a) -> dict[str, Any]:
            lf = np.diag(a).astype(float)
            return {
                "√λ instead of 1/√λ (S must shrink the steep directions)": np.sqrt(lf),
                "1/λ (the square root is missing: s_i²·λ_i = 1)": 1.0 / lf,
                "the matrix S = diag(s) (return the vector s)": np.diag(1.0 / np.sqrt(lf)),
                "1/√λ in sorted order (eigvalsh sorts: keep the order of the diagonal)": 1.0
                / np.sqrt(np.sort(lf)),
            }

        with credit.case():
            _close(
                got,
                ref.isotropic_scaling(a),
                "isotropic_scaling(A)",
                lambda a=a: f"A = diag({_nums(np.diag(a))[1:-1]}), {a.dtype.name} inputs",
                mistakes,
            )
    credit.finish()


def test_gd_rescaled_trajectory(student, rng, credit):
    """Preconditioned GD x − α(s⊙s)⊙(Ax − b): one step to x* when s = 1/√λ and α = 1."""
    lam = rng.permutation(_eigenvalues(rng, 2, _log_uniform(rng, 100.0, 1000.0)))
    setups = [
        (np.diag(lam), 1.0 / np.sqrt(lam), 1.0, 3, np.float64, " (s = 1/√λ, α = 1: x_1 = x*)")
    ]
    for d, lo, hi, dtype in (
        (2, 0.5, 1.9, np.float64),
        (3, 1.02, 1.9, np.float32),
        (2, 2.05, 2.3, np.float64),
    ):
        a = _spd(rng, d, _log_uniform(rng, 10.0, 1000.0))
        s = np.exp(rng.uniform(np.log(0.3), np.log(3.0), d))
        factor = float(rng.uniform(lo, hi))
        alpha = factor / _lam_max(ref.rescaled_hessian(a, s))
        setups.append(
            (a, s, alpha, int(rng.integers(8, 20)), dtype, f" (α·λmax(SAS) = {factor:.3f})")
        )
    for a, s, alpha, n, dtype, note in setups:
        d = a.shape[0]
        a, s, b, x0 = _cast(dtype, a, s, rng.normal(0.0, 3.0, d), rng.uniform(-5.0, 5.0, d))
        got = student.call("gd_rescaled_trajectory", a, s, x0, alpha, n, b)
        expected = ref.gd_rescaled_trajectory(a, s, x0, alpha, n, b)

        def mistakes(
            a: np.ndarray = a,
            s: np.ndarray = s,
            b: np.ndarray = b,
            x0: np.ndarray = x0,
            alpha: float = alpha,
            n: int = n,
            expected: np.ndarray = expected,
        ) -> dict[str, Any]:
            af, sf, bf = a.astype(float), s.astype(float), b.astype(float)
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                u = expected / sf
            return {
                "the step divided by s⊙s (x = S·u gives x − α·S²∇f)": _gd(
                    x0, n, lambda x: alpha * (af @ x - bf) / (sf * sf)
                ),
                "s instead of s⊙s (x = S·u gives x − α·S²∇f)": _gd(
                    x0, n, lambda x: alpha * sf * (af @ x - bf)
                ),
                "plain GD: s ignored": _gd(x0, n, lambda x: alpha * (af @ x - bf)),
                "the iterates in u-coordinates (report x = S·u)": u,
                "the gradient Ax + b (the sign of b)": _gd(
                    x0, n, lambda x: alpha * sf * sf * (af @ x + bf)
                ),
            }

        with credit.case(), illustrate(landscape=_landscape(a, b)):
            _close(
                got,
                expected,
                "gd_rescaled_trajectory(A, s, x0, α, n_steps, b)",
                lambda a=a, b=b, s=s, x0=x0, alpha=alpha, note=note, n=n: (
                    f"{_bowl(a, b)}, s = {_nums(s)}, x0 = {_nums(x0)}, α = {alpha:.6g}{note}, "
                    f"n_steps = {n}"
                ),
                mistakes,
            )
    credit.finish()
