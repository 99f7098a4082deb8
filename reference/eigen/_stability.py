"""Global stability, conditioning and the optimal constant step (seed 002; seed 001 §4.3, §7.3)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from reference.eigen._checks import as_eigenvalues, as_step, require_positive

__all__ = [
    "condition_number",
    "convergence_factor",
    "is_stable",
    "optimal_rate",
    "optimal_step",
    "stable_interval",
]


def stable_interval(eigenvalues: ArrayLike) -> tuple[float, float]:
    """Open interval (lo, hi) of the step sizes α for which GD converges (seed 002; 001 §4.3).

    Seed 002, "Discrete-time stability" ("Global GD stability condition").

    GD converges from every start iff |1 − αλᵢ| < 1 for all i; for λᵢ > 0 this is
    0 < α < 2/λmax. Returns ``(0.0, 2.0 / λmax)`` when every λᵢ > 0 (both ends
    excluded: α = 2/λmax gives r = −1). If some λᵢ ≤ 0 no α > 0 works (rᵢ ≥ 1 in that
    direction) and the empty interval ``(0.0, 0.0)`` is returned. A tuple of two floats.

    >>> stable_interval([2.0, 10.0])   # seed 002 Ex.6: 2/λmax = 0.2
    (0.0, 0.2)
    """
    lam = as_eigenvalues(eigenvalues)
    if not np.all(lam > 0.0):
        return (0.0, 0.0)
    with np.errstate(over="ignore"):
        hi = np.float64(2.0) / np.float64(np.max(lam))
    return (0.0, float(hi))


def is_stable(eigenvalues: ArrayLike, alpha: float) -> bool:
    """Whether GD with step α converges on every direction (seed 002 Ex.9; 001 §4.3).

    True iff lo < α < hi for ``(lo, hi) = stable_interval(eigenvalues)``, i.e. all
    λᵢ > 0 and 0 < α < 2/λmax (float64 ``2.0 / λmax``, compared exactly). Equivalently:
    every verdict of :func:`direction_verdicts` is ``"monotone"``, ``"one_step"`` or
    ``"oscillatory"``. ``ValueError`` for α < 0 or bad eigenvalues. Returns a bool.

    >>> is_stable([200.0], 0.02)   # seed 002 Ex.9: 2/200 = 0.01, so 0.02 is not safe
    False
    """
    a = as_step(alpha)
    lo, hi = stable_interval(eigenvalues)
    return bool(lo < a < hi)


def convergence_factor(eigenvalues: ArrayLike, alpha: float) -> float:
    """ρ(α) = maxᵢ |1 − αλᵢ|, the worst per-step error ratio (seed 001 §4.3).

    ‖e_k‖ ≤ ρ(α)^k·‖e_0‖ and the bound is attained along the worst eigen-direction;
    GD converges iff ρ(α) < 1. Any sign of λ is accepted. Evaluated as
    ``max(abs(1.0 - alpha * lam))`` in float64; returns a Python float.

    >>> convergence_factor([2.0, 6.0], 0.25)   # seed 001 §4.3: ρ* = 0.5
    0.5
    """
    lam = as_eigenvalues(eigenvalues)
    a = as_step(alpha)
    return float(np.max(np.abs(1.0 - a * lam)))


def condition_number(eigenvalues: ArrayLike) -> float:
    """κ = λmax/λmin of a symmetric positive definite Hessian (seed 002 Ex.6; 001 §7.3).

    κ ≈ 1: round bowl, GD efficient; κ ≫ 1: narrow valley, zigzag and slow
    convergence. Defined only when every λᵢ > 0 (seed 002: "assume A is symmetric
    positive definite"): otherwise ``ValueError`` (this includes λmin = 0). Returns a
    Python float.

    >>> condition_number([2.0, 10.0]), condition_number([5.0, 6.0])   # seed 002 Ex.6
    (5.0, 1.2)
    """
    lam = as_eigenvalues(eigenvalues)
    require_positive(lam, "the condition number κ = λmax/λmin")
    return float(np.max(lam) / np.min(lam))


def optimal_step(eigenvalues: ArrayLike) -> float:
    """α* = 2/(λmax + λmin), the constant step minimising ρ(α) (seed 001 §4.3).

    At α* the extreme multipliers balance: 1 − α*λmin = −(1 − α*λmax) = (κ−1)/(κ+1).
    Needs every λᵢ > 0 (``ValueError`` otherwise). Evaluated as
    ``2.0 / (λmax + λmin)``; returns a Python float.

    >>> optimal_step([2.0, 6.0])   # seed 001 §4.3: x² + 3y²
    0.25
    """
    lam = as_eigenvalues(eigenvalues)
    require_positive(lam, "the optimal step 2/(λmax + λmin)")
    return float(2.0 / (np.max(lam) + np.min(lam)))


def optimal_rate(eigenvalues: ArrayLike) -> float:
    """ρ* = (κ − 1)/(κ + 1) = ρ(α*), the best constant-step rate (seed 001 §4.3).

    κ = λmax/λmin; ρ* → 1 as κ → ∞ (ill-conditioning makes GD slow). Evaluated as
    ``(kappa - 1.0) / (kappa + 1.0)`` with ``kappa = condition_number(eigenvalues)``.
    Needs every λᵢ > 0 (``ValueError`` otherwise). Returns a Python float.

    >>> optimal_rate([2.0, 6.0])   # seed 001 §4.3: κ = 3, ρ* = 0.5
    0.5
    """
    kappa = condition_number(eigenvalues)
    return float((kappa - 1.0) / (kappa + 1.0))
