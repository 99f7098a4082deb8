"""Per-direction GD multipliers r = 1 − αλ and their verdicts (seed 002; seed 001 §4.3).

On f(x) = ½xᵀAx − bᵀx + c the error e_k = x_k − x* obeys e_{k+1} = (I − αA)e_k.
In the eigenbasis A = QΛQᵀ, z_k = Qᵀe_k, every coordinate is an independent 1-D
recurrence z^{(i)}_{k+1} = r_i·z^{(i)}_k with r_i = 1 − αλ_i (seed 002, "Discrete-time
stability: oscillation vs divergence").
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from reference.eigen._checks import as_eigenvalues, as_step, as_symmetric

__all__ = [
    "direction_verdicts",
    "multiplier_verdict",
    "multipliers",
    "multipliers_from_matrix",
    "oscillation_thresholds",
    "symmetric_eigenvalues",
]


def symmetric_eigenvalues(matrix: ArrayLike) -> np.ndarray:
    """Eigenvalues λ₁ ≤ … ≤ λ_d of a symmetric matrix, ascending (seed 002 Ex.4; 001 §7.3).

    A = QΛQᵀ; the λᵢ are the curvatures along the principal directions. Computed as
    ``numpy.linalg.eigvalsh(0.5 * (A + A.T))`` (for an exactly symmetric A the
    symmetrisation changes nothing). A scalar is read as a 1×1 matrix (a 1-D second
    derivative). ``ValueError`` if A is not square, not finite, or not symmetric
    (``numpy.allclose(A, A.T)`` false). Returns float64, shape (d,).

    >>> symmetric_eigenvalues([[10.0, 0.0], [0.0, 2.0]]).tolist()   # seed 002 Ex.4
    [2.0, 10.0]
    """
    m = as_symmetric(matrix)
    return np.linalg.eigvalsh(0.5 * (m + m.T))


def multipliers(eigenvalues: ArrayLike, alpha: float) -> np.ndarray:
    """GD multipliers rᵢ = 1 − αλᵢ, one per eigen-direction (seed 002 Ex.7; 001 §4.3).

    z^{(i)}_{k+1} = rᵢ·z^{(i)}_k, hence z^{(i)}_k = rᵢ^k·z^{(i)}_0. Evaluated as the float64
    expression ``1.0 - alpha * lam`` (product rounded, then the difference). Same order
    and shape (d,) as ``eigenvalues``. ``ValueError`` for an empty or non-1-D input,
    non-finite values, or α < 0.

    >>> multipliers([2.0, 10.0], 0.25).tolist()   # seed 002 Ex.7, α = 0.25
    [0.5, -1.5]
    """
    lam = as_eigenvalues(eigenvalues)
    a = as_step(alpha)
    return 1.0 - a * lam


def multipliers_from_matrix(matrix: ArrayLike, alpha: float) -> np.ndarray:
    """Multipliers rᵢ = 1 − αλᵢ(A) of GD on a quadratic with Hessian A (seed 002).

    The eigenvalues of the update matrix M = I − αA, in the order of
    :func:`symmetric_eigenvalues` (λ ascending, so r descending when α > 0):
    ``multipliers(symmetric_eigenvalues(A), alpha)``. Returns float64, shape (d,).

    >>> multipliers_from_matrix([[2.0, 0.0], [0.0, 10.0]], 0.05).tolist()   # seed 002 Ex.7
    [0.9, 0.5]
    """
    return multipliers(symmetric_eigenvalues(matrix), alpha)


def multiplier_verdict(r: float) -> str:
    """The behaviour of z_{k+1} = r·z_k, decided with exact comparisons (seed 002 Ex.7).

    Seed 002, "Discrete-time stability": convergent if |r| < 1, oscillatory if
    −1 < r < 0, divergent if |r| > 1; the boundaries get their own verdicts here.

    ============  ==================  =========================================
    r             verdict             behaviour of z_k = r^k·z_0
    ============  ==================  =========================================
    r < −1        ``"divergent"``     grows, flipping sign every step
    r = −1        ``"marginal"``      ±z_0 forever: oscillates without decay
    −1 < r < 0    ``"oscillatory"``   decays, flipping sign every step
    r = 0         ``"one_step"``      exactly 0 after one step
    0 < r < 1     ``"monotone"``      decays without changing sign
    r = 1         ``"stalled"``       never moves (no progress: αλ = 0)
    r > 1         ``"divergent"``     grows without changing sign (λ < 0)
    ============  ==================  =========================================

    Comparisons are exact (no tolerance). ``ValueError`` for NaN.

    >>> [multiplier_verdict(r) for r in (0.9, -0.2, -1.5, 0.0, -1.0, 1.0)]
    ['monotone', 'oscillatory', 'divergent', 'one_step', 'marginal', 'stalled']
    """
    x = float(r)
    if x != x:
        raise ValueError("the multiplier r is NaN")
    if x < -1.0:
        return "divergent"
    if x == -1.0:
        return "marginal"
    if x < 0.0:
        return "oscillatory"
    if x == 0.0:
        return "one_step"
    if x < 1.0:
        return "monotone"
    if x == 1.0:
        return "stalled"
    return "divergent"


def _direction_verdict(lam: float, alpha: float) -> str:
    if alpha == 0.0 or lam == 0.0:
        return "stalled"  # r = 1 exactly
    if lam < 0.0:
        return "divergent"  # r = 1 + α|λ| > 1
    t1 = np.float64(1.0) / np.float64(lam)
    t2 = np.float64(2.0) / np.float64(lam)
    if alpha < t1:
        return "monotone"
    if alpha == t1:
        return "one_step"
    if alpha < t2:
        return "oscillatory"
    if alpha == t2:
        return "marginal"
    return "divergent"


def direction_verdicts(eigenvalues: ArrayLike, alpha: float) -> list[str]:
    """Verdict of each eigen-direction of GD with step α (seed 002 Ex.7; 001 §4.3, §4.4).

    The verdict of rᵢ = 1 − αλᵢ (vocabulary of :func:`multiplier_verdict`), decided by
    comparing α exactly with the float64 thresholds 1/λᵢ and 2/λᵢ so that it switches
    exactly at the values returned by :func:`oscillation_thresholds` and
    :func:`stable_interval`. For λ > 0 and α > 0:

    α < 1/λ → ``"monotone"``; α = 1/λ → ``"one_step"``; 1/λ < α < 2/λ → ``"oscillatory"``;
    α = 2/λ → ``"marginal"``; α > 2/λ → ``"divergent"``.

    λ = 0 or α = 0 → ``"stalled"`` (r = 1); λ < 0 with α > 0 → ``"divergent"`` (r > 1).
    ``1/λ`` and ``2/λ`` are the float64 quotients ``1.0 / lam`` and ``2.0 / lam`` (``inf``
    when they overflow). Away from those thresholds (beyond a few ulps) this equals
    ``multiplier_verdict(1.0 - alpha * lam)``. Returns a list of str in input order.
    ``ValueError`` as for :func:`multipliers`.

    >>> direction_verdicts([2.0, 10.0], 0.12)   # seed 002 Ex.7: r = (0.76, −0.2)
    ['monotone', 'oscillatory']
    """
    lam = as_eigenvalues(eigenvalues)
    a = as_step(alpha)
    with np.errstate(over="ignore", divide="ignore"):
        return [_direction_verdict(float(v), a) for v in lam]


def oscillation_thresholds(eigenvalues: ArrayLike) -> np.ndarray:
    """Step sizes 1/λᵢ above which direction i oscillates (seed 002, "Discrete-time stability").

    Seed 002, "When does oscillation start?": rᵢ = 1 − αλᵢ < 0 ⟺ α > 1/λᵢ (for
    λᵢ > 0). At α = 1/λᵢ the direction converges in
    one step. A direction with λᵢ ≤ 0 never oscillates for α ≥ 0 (rᵢ ≥ 1): its
    threshold is ``inf``. Same order and shape (d,) as ``eigenvalues``, float64
    (``1.0 / lam``; ``inf`` on overflow).

    >>> oscillation_thresholds([2.0, 10.0, 0.0, -1.0]).tolist()
    [0.5, 0.1, inf, inf]
    """
    lam = as_eigenvalues(eigenvalues)
    out = np.full(lam.shape, np.inf)
    pos = lam > 0.0
    with np.errstate(over="ignore"):
        out[pos] = 1.0 / lam[pos]
    return out
