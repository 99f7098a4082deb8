"""The quadratic loss f(x) = ½xᵀAx − bᵀx + c: value, gradient, Hessian, minimiser.

Seed 002, sections "Quadratic loss: gradient and Hessian" and Exercises 2–4;
seed 001 §4.3 and §7.3.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_b, as_symmetric, as_vector

__all__ = ["quadratic_grad", "quadratic_hessian", "quadratic_loss", "quadratic_minimiser"]


def quadratic_loss(A: ArrayLike, x: ArrayLike, b: ArrayLike | None = None, c: float = 0.0) -> float:
    """Value of the quadratic f(x) = ½·xᵀAx − bᵀx + c (seed 002, "Quadratic loss").

    ``A`` is a symmetric (d, d) matrix (``np.allclose(A, A.T)``, else ``ValueError``),
    ``x`` and ``b`` have shape (d,); ``b=None`` means b = 0. Returns a Python float.
    The seed-001 bowl x² + 3y² is A = diag(2, 6) (the ½ in front is why the
    diagonal holds *twice* the coefficients).

    >>> quadratic_loss([[2.0, 0.0], [0.0, 6.0]], [1.0, 1.0])   # x² + 3y² at (1, 1)
    4.0
    >>> quadratic_loss([[2.0, 0.0], [0.0, 2.0]], [5.0, 5.0], b=[4.0, -2.0], c=5.0)  # ‖x − (2, −1)‖²
    45.0
    """
    a = as_symmetric(A)
    d = a.shape[0]
    xx = as_vector(x, d, "x")
    bb = as_b(b, d)
    return float(0.5 * (xx @ (a @ xx)) - bb @ xx + float(c))


def quadratic_grad(
    A: ArrayLike, x: ArrayLike, b: ArrayLike | None = None, c: float = 0.0
) -> np.ndarray:
    """Gradient ∇f(x) = Ax − b of f(x) = ½·xᵀAx − bᵀx + c (seed 002, "Quadratic loss").

    Needs A symmetric: for symmetric A, ∇(½xᵀAx) = ½(A + Aᵀ)x = Ax. The constant
    ``c`` does not change the gradient; it is accepted so that loss, gradient and
    Hessian share one signature. Returns a new float64 array of shape (d,).

    Seed 002, Exercise 2: f(x, y) = x² + 10y² is A = diag(2, 20), and
    ∇f(1, 1) = (2x, 20y) = (2, 20): the y-direction is ten times steeper.

    >>> quadratic_grad([[2.0, 0.0], [0.0, 20.0]], [1.0, 1.0]).tolist()
    [2.0, 20.0]
    """
    a = as_symmetric(A)
    d = a.shape[0]
    xx = as_vector(x, d, "x")
    return a @ xx - as_b(b, d)


def quadratic_hessian(
    A: ArrayLike, x: ArrayLike, b: ArrayLike | None = None, c: float = 0.0
) -> np.ndarray:
    """Hessian ∇²f(x) = A of f(x) = ½·xᵀAx − bᵀx + c: constant, the same at every x.

    Seed 002, Exercise 3 (x² + 10y² has Hessian diag(2, 20) everywhere); seed 001
    §7.3 (x² + 3y² → diag(2, 6), x² + 100y² → diag(2, 200)). ``x``, ``b`` and ``c``
    are validated (shapes) but do not change the result: that is the point.
    Returns a new float64 (d, d) array equal to A.

    >>> quadratic_hessian([[2.0, 0.0], [0.0, 20.0]], [3.0, -7.0]).tolist()
    [[2.0, 0.0], [0.0, 20.0]]
    """
    a = as_symmetric(A)
    d = a.shape[0]
    as_vector(x, d, "x")
    as_b(b, d)
    return a


def quadratic_minimiser(A: ArrayLike, b: ArrayLike | None = None) -> np.ndarray:
    """The stationary point x* = A⁻¹b, where ∇f(x*) = Ax* − b = 0 (seed 002, "Minimizer").

    It is the minimiser when A is positive definite (no check is made; for an
    indefinite A it is a saddle or maximum). Computed with ``np.linalg.solve(A, b)``
    (never by forming A⁻¹); ``b=None`` means b = 0 (then x* = 0). A singular A
    raises ``numpy.linalg.LinAlgError`` (a subclass of ``ValueError``). Returns a
    float64 array of shape (d,).

    Seed 003, Exercise 3: ‖x − t‖² with t = (2, −1) is A = 2I, b = 2t, c = ‖t‖²,
    so x* = t.

    >>> quadratic_minimiser([[2.0, 0.0], [0.0, 2.0]], [4.0, -2.0]).tolist()
    [2.0, -1.0]
    """
    a = as_symmetric(A)
    bb = as_b(b, a.shape[0])
    return np.linalg.solve(a, bb)
