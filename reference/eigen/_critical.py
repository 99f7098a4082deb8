"""Critical points classified by the signs of the Hessian eigenvalues (seed 001 §7.2)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from reference.eigen._checks import as_eigenvalues, as_tolerance
from reference.eigen._multipliers import symmetric_eigenvalues

__all__ = ["classify_critical_point", "critical_point_type"]


def critical_point_type(eigenvalues: ArrayLike, tol: float = 1e-9) -> str:
    """Classify a critical point from its Hessian eigenvalues (seed 001 §7.2; 002).

    An eigenvalue counts as zero when |λ| ≤ ``tol`` (absolute), positive when λ > tol,
    negative when λ < −tol. Rules, in this order:

    1. some λ > tol and some λ < −tol → ``"saddle"`` (indefinite: true even when other
       eigenvalues are zero, since the loss goes up along one direction and down
       along another);
    2. some |λ| ≤ tol → ``"degenerate"`` (semi-definite: the second-order test is
       inconclusive);
    3. all λ > tol → ``"minimum"``;
    4. all λ < −tol → ``"maximum"``.

    ``ValueError`` for bad eigenvalues or a negative/non-finite ``tol``.

    >>> critical_point_type([2.0, -2.0])   # x² − y² at the origin, seed 001 §7.2
    'saddle'
    """
    lam = as_eigenvalues(eigenvalues)
    t = as_tolerance(tol)
    pos = lam > t
    neg = lam < -t
    if np.any(pos) and np.any(neg):
        return "saddle"
    if not np.all(pos | neg):
        return "degenerate"
    return "minimum" if np.all(pos) else "maximum"


def classify_critical_point(hessian: ArrayLike, tol: float = 1e-9) -> str:
    """Classify a critical point from its Hessian matrix (seed 001 §7.2).

    ``critical_point_type(symmetric_eigenvalues(hessian), tol)``: positive definite →
    ``"minimum"``, negative definite → ``"maximum"``, indefinite → ``"saddle"``, otherwise
    (a zero eigenvalue, |λ| ≤ tol, and no sign mix) → ``"degenerate"``. A scalar is a
    1×1 Hessian (1-D problems). ``ValueError`` for a non-square or non-symmetric matrix.

    >>> classify_critical_point([[2.0, 0.0], [0.0, -2.0]])   # seed 001 §7.2
    'saddle'
    """
    return critical_point_type(symmetric_eigenvalues(hessian), tol)
