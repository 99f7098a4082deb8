"""Input validation shared by the ``eigen`` reference modules (private)."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike


def as_eigenvalues(eigenvalues: ArrayLike) -> np.ndarray:
    """A float64 copy of a non-empty 1-D array of finite eigenvalues, else ``ValueError``."""
    lam = np.array(eigenvalues, dtype=float)
    if lam.ndim != 1 or lam.size == 0:
        raise ValueError(f"eigenvalues must be a non-empty 1-D array, got shape {lam.shape}")
    if not np.all(np.isfinite(lam)):
        raise ValueError(f"eigenvalues must be finite, got {lam.tolist()}")
    return lam


def as_step(alpha: float) -> float:
    """The step size α as a Python float; ``ValueError`` unless finite and α ≥ 0."""
    a = float(alpha)
    if not math.isfinite(a) or a < 0.0:
        raise ValueError(f"the step size α must be finite and >= 0, got {alpha!r}")
    return a


def as_tolerance(tol: float) -> float:
    """The zero tolerance as a Python float; ``ValueError`` unless finite and ≥ 0."""
    t = float(tol)
    if not math.isfinite(t) or t < 0.0:
        raise ValueError(f"tol must be finite and >= 0, got {tol!r}")
    return t


def as_symmetric(matrix: ArrayLike) -> np.ndarray:
    """A float64 copy of a finite symmetric (d, d) matrix; a scalar becomes (1, 1)."""
    m = np.array(matrix, dtype=float)
    if m.ndim == 0:
        m = m.reshape(1, 1)
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] == 0:
        raise ValueError(f"expected a square (d, d) matrix with d >= 1, got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise ValueError("the matrix must have finite entries")
    if not np.allclose(m, m.T):
        raise ValueError("the matrix must be symmetric (a Hessian is): got A != Aᵀ")
    return m


def require_positive(lam: np.ndarray, what: str) -> None:
    """``ValueError`` unless every eigenvalue is > 0 (the SPD case of seed 002)."""
    if not np.all(lam > 0.0):
        raise ValueError(
            f"{what} needs a symmetric positive definite Hessian (all eigenvalues > 0); "
            f"got λmin = {float(np.min(lam))!r}"
        )
