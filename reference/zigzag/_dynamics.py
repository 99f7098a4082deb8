"""GD on the quadratic as a linear discrete-time system, and steps to a tolerance.

Seed 002, "Gradient descent as a discrete-time dynamical system", "Discrete-time
stability" and Exercise 5; seed 001 §3.4 (suggested modification), §4.3, §7.3;
seed 003, Exercise 3.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_b, as_count, as_symmetric, as_vector

__all__ = [
    "error_after_steps",
    "gd_trajectory",
    "iteration_matrix",
    "steps_to_tolerance",
    "steps_vs_kappa",
]


def gd_trajectory(
    A: ArrayLike, x0: ArrayLike, alpha: float, n_steps: int, b: ArrayLike | None = None
) -> np.ndarray:
    """Gradient descent on f(x) = ½xᵀAx − bᵀx + c: x_{k+1} = x_k − α(Ax_k − b) (seed 002).

    ``A`` symmetric (d, d) (any symmetric matrix, not necessarily diagonal: the
    bowl may be rotated), ``x0`` shape (d,), ``b=None`` means b = 0 (c never
    matters). Returns the float64 trajectory of shape (n_steps + 1, d); row 0 is
    a copy of x0 and row k is x_k, computed exactly as ``x - alpha * (A @ x - b)``.
    A divergent run is not an error: the recursion continues with IEEE
    arithmetic (``inf``/``nan`` may appear), warnings silenced.
    ``ValueError`` for n_steps < 0 or mismatched shapes.

    Seed 002, Exercise 5: f = ½(2x² + 10y²) from (5, 1) with α = 0.05 gives
    (4.5, 0.5) then (4.05, 0.25): x shrinks by 1 − 2α = 0.9, y by 1 − 10α = 0.5.

    >>> gd_trajectory([[2.0, 0.0], [0.0, 10.0]], [5.0, 1.0], 0.05, 2).round(12).tolist()
    [[5.0, 1.0], [4.5, 0.5], [4.05, 0.25]]
    """
    a = as_symmetric(A)
    d = a.shape[0]
    n = as_count(n_steps, "n_steps")
    bb = as_b(b, d)
    alpha = float(alpha)
    traj = np.empty((n + 1, d), dtype=float)
    traj[0] = as_vector(x0, d, "x0")
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            x = traj[k]
            traj[k + 1] = x - alpha * (a @ x - bb)
    return traj


def iteration_matrix(A: ArrayLike, alpha: float) -> np.ndarray:
    """The GD iteration matrix M = I − αA of the error dynamics e_{k+1} = M e_k (seed 002).

    With e_k = x_k − x* and b = Ax*, the gradient is Ax_k − b = Ae_k, so one GD
    step maps e_k to (I − αA)e_k: a linear discrete-time dynamical system. Its
    eigenvalues are the per-direction multipliers r_i = 1 − αλ_i. Returns a
    float64 (d, d) array; ``A`` must be symmetric.

    Seed 002, Exercise 5: A = diag(2, 10) with α = 0.15 gives M = diag(0.7, −0.5)
    (y flips sign each step), with α = 0.25 gives diag(0.5, −1.5) (y diverges).

    >>> iteration_matrix([[2.0, 0.0], [0.0, 10.0]], 0.25).tolist()
    [[0.5, 0.0], [0.0, -1.5]]
    """
    a = as_symmetric(A)
    return np.eye(a.shape[0]) - float(alpha) * a


def error_after_steps(A: ArrayLike, alpha: float, e0: ArrayLike, k: int) -> np.ndarray:
    """Closed form of the error after k GD steps: e_k = (I − αA)^k e_0 (seed 002).

    Two equivalent ways to evaluate it (they agree to rounding):

    * matrix power: ``np.linalg.matrix_power(np.eye(d) - alpha * A, k) @ e0``;
    * eigendecomposition (used here): A = QΛQᵀ (``np.linalg.eigh``), so
      (I − αA)^k = Q·diag((1 − αλ_i)^k)·Qᵀ and e_k = Q·((1 − αλ)^k ⊙ (Qᵀe_0)).
      In eigen-coordinates z = Qᵀe each component evolves on its own,
      z_k^(i) = (1 − αλ_i)^k z_0^(i) (seed 002, "Discrete-time stability").

    ``A`` symmetric (d, d), ``e0`` shape (d,), ``k`` an integer ≥ 0 (k = 0 returns a
    copy of e0). Returns float64 shape (d,). Multipliers with |r| > 1 overflow to
    ``inf``/``nan`` for large k without raising.

    >>> error_after_steps([[2.0, 0.0], [0.0, 10.0]], 0.15, [5.0, 1.0], 2).round(12).tolist()
    [2.45, 0.25]
    """
    a = as_symmetric(A)
    d = a.shape[0]
    e = as_vector(e0, d, "e0")
    kk = as_count(k, "k")
    if kk == 0:
        return e
    lam, q = np.linalg.eigh(a)
    with np.errstate(over="ignore", invalid="ignore"):
        r_k = (1.0 - float(alpha) * lam) ** kk
        return q @ (r_k * (q.T @ e))


def steps_to_tolerance(
    A: ArrayLike,
    x0: ArrayLike,
    alpha: float,
    tol: float,
    b: ArrayLike | None = None,
    max_steps: int = 10_000,
) -> int:
    """Number of GD steps until the iterate is within ``tol`` of the minimiser.

    Returns the smallest k in {0, 1, …, max_steps} with ‖x_k − x*‖₂ ≤ tol, where
    x_{k+1} = x_k − α(Ax_k − b) is iterated in float64 from x0 (as in
    :func:`gd_trajectory`) and x* = ``np.linalg.solve(A, b)`` (b=None: b = 0).
    k = 0 when x0 is already close enough. Returns **−1** when no iterate up to
    x_{max_steps} qualifies: too slow for the cap, divergent, or non-finite
    (a ``nan``/``inf`` iterate ends the run at once, as it can never qualify).

    The criterion is the *distance* to x*, not the loss gap f(x_k) − f* =
    ½e_kᵀAe_k, which weighs the error by curvature (λ_min/2·‖e‖² ≤ f − f* ≤
    λ_max/2·‖e‖²). ``ValueError`` if tol < 0 or max_steps < 0.

    Seed 001 §4.3/§3.4: on x² + 3y² at the optimal α = 2/(λmax + λmin) = 0.25
    every error component shrinks by exactly ρ* = 0.5 per step.

    >>> steps_to_tolerance([[2.0, 0.0], [0.0, 6.0]], [1.0, 1.0], 0.25, 1e-3)
    11
    >>> steps_to_tolerance([[2.0, 0.0], [0.0, 6.0]], [1.0, 1.0], 0.4, 1e-3)   # 0.4 > 2/6
    -1
    """
    a = as_symmetric(A)
    d = a.shape[0]
    cap = as_count(max_steps, "max_steps")
    tol = float(tol)
    if not tol >= 0.0:
        raise ValueError(f"tol must be >= 0, got {tol}")
    bb = as_b(b, d)
    x_star = np.linalg.solve(a, bb)
    x = as_vector(x0, d, "x0")
    alpha = float(alpha)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(cap + 1):
            dist = float(np.linalg.norm(x - x_star))
            if dist <= tol:
                return k
            if not np.isfinite(dist):
                return -1
            x = x - alpha * (a @ x - bb)
    return -1


def steps_vs_kappa(
    hessians: ArrayLike,
    x0: ArrayLike,
    tol: float,
    alpha: float | None = None,
    max_steps: int = 10_000,
) -> dict[str, np.ndarray]:
    """Steps-to-tolerance for a family of bowls ½xᵀAx, to see the cost of ill-conditioning.

    ``hessians`` has shape (m, d, d): m symmetric positive definite matrices
    (``ValueError`` otherwise). For each A (minimiser x* = 0, b = 0):
    κ = λmax/λmin from ``np.linalg.eigvalsh``; the step is ``alpha`` if given,
    else the optimal α* = 2/(λmax + λmin) of seed 001 §4.3; and
    steps = ``steps_to_tolerance(A, x0, α, tol, None, max_steps)`` (−1 if not reached).

    Returns ``{"kappa": float64 (m,), "alpha": float64 (m,), "steps": int64 (m,)}``.
    At α* the rate is ρ* = (κ − 1)/(κ + 1), so the step count grows roughly like
    (κ/2)·ln(‖x0‖/tol): linear in κ (seed 001 §3.4 suggested modification:
    x² + 3y² vs x² + 30y² vs x² + 100y²). At one fixed small α shared by all,
    the count is set by λmin alone, but that α must satisfy α < 2/λmax of the
    steepest bowl.

    >>> out = steps_vs_kappa([[[2.0, 0.0], [0.0, 6.0]], [[2.0, 0.0], [0.0, 200.0]]],
    ...                      [1.0, 1.0], 1e-6)
    >>> out["kappa"].tolist(), out["alpha"].tolist(), out["steps"].tolist()
    ([3.0, 100.0], [0.25, 0.009900990099009901], [21, 709])
    """
    hs = np.array(hessians, dtype=float)
    if hs.ndim != 3 or hs.shape[1] != hs.shape[2] or hs.shape[0] == 0 or hs.shape[1] == 0:
        raise ValueError(f"hessians must have shape (m, d, d), got {hs.shape}")
    m = hs.shape[0]
    kappa = np.empty(m, dtype=float)
    alphas = np.empty(m, dtype=float)
    steps = np.empty(m, dtype=np.int64)
    for i in range(m):
        a = as_symmetric(hs[i])
        lam = np.linalg.eigvalsh(a)
        if not lam[0] > 0.0:
            raise ValueError(f"hessians[{i}] is not positive definite (λmin = {lam[0]})")
        kappa[i] = lam[-1] / lam[0]
        alphas[i] = 2.0 / (lam[-1] + lam[0]) if alpha is None else float(alpha)
        steps[i] = steps_to_tolerance(a, x0, alphas[i], tol, None, max_steps)
    return {"kappa": kappa, "alpha": alphas, "steps": steps}
