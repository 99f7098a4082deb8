"""Zigzag measures on a trajectory: sign flips of the steep coordinate, path ratio.

Seed 002, "Ill-conditioning, condition number, anisotropy, zigzag" (the y-component
"can flip sign each step (bouncing across the valley), while x decays slowly");
seed 001 §3.4 and §7.3 ("severe zigzagging").
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_b, as_symmetric, as_trajectory

__all__ = ["path_length", "path_ratio", "steep_sign_flips"]

STEEP_RTOL = 1e-10
"""Eigenvalues within STEEP_RTOL·max|λ| of λmax count as λmax (a repeated top eigenvalue)."""


def steep_sign_flips(A: ArrayLike, trajectory: ArrayLike, b: ArrayLike | None = None) -> int:
    """Number of sign flips of the steepest eigen-coordinate along a trajectory (seed 002).

    The steep coordinate is z_k = vᵀ(x_k − x*), where v is a unit eigenvector of
    the symmetric A for its largest eigenvalue λmax and x* = ``np.linalg.solve(A, b)``
    (b=None: b = 0). It is the component of z = Qᵀ(x − x*) of seed 002 that
    GD multiplies by r = 1 − αλmax each step. Step k → k+1 is a **flip** when
    z_k·z_{k+1} < 0, i.e. both are non-zero with opposite signs. A zero is never
    part of a flip (+, 0, − counts 0), and a ``nan`` product is not a flip. The
    sign of v is irrelevant (it changes both factors).

    If λmax is repeated (eigenvalues within 1e-10·max|λ| of λmax, found with
    ``np.linalg.eigh``), the steep coordinates form a vector Z_k = Vᵀ(x_k − x*)
    with V the (d, m) orthonormal eigenvectors of that group, and a flip is
    Z_k·Z_{k+1} < 0 (independent of the basis chosen for the eigenspace).

    ``trajectory`` has shape (n + 1, d) (a 1-D array is read as d = 1). Returns a
    Python int in {0, …, n}. For GD on this quadratic it is 0 when 0 < α < 1/λmax
    (r > 0: monotone) and n when α > 1/λmax (r < 0: zigzag), if z_0 ≠ 0.

    >>> A = [[2.0, 0.0], [0.0, 10.0]]                     # seed 002, Exercise 5
    >>> steep_sign_flips(A, [[5.0, 1.0], [4.5, 0.5], [4.05, 0.25]])      # α = 0.05
    0
    >>> steep_sign_flips(A, [[5.0, 1.0], [3.5, -0.5], [2.45, 0.25]])     # α = 0.15
    2
    """
    a = as_symmetric(A)
    d = a.shape[0]
    traj = as_trajectory(trajectory, d)
    x_star = np.linalg.solve(a, as_b(b, d))
    lam, q = np.linalg.eigh(a)
    scale = float(np.max(np.abs(lam)))
    v = q[:, lam >= lam[-1] - STEEP_RTOL * scale]
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        z = (traj - x_star) @ v
        products = np.sum(z[:-1] * z[1:], axis=1)
        return int(np.count_nonzero(products < 0.0))


def path_length(trajectory: ArrayLike) -> float:
    """Length of the polygonal path: L = Σ_{k=0}^{n−1} ‖x_{k+1} − x_k‖₂.

    ``trajectory`` has shape (n + 1, d) (1-D means d = 1). A single point has
    length 0.0. Non-finite points propagate (``inf``/``nan``) without warnings.
    Returns a Python float.

    >>> path_length([[0.0, 0.0], [3.0, 4.0], [3.0, 0.0]])
    9.0
    """
    traj = as_trajectory(trajectory)
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.sum(np.linalg.norm(np.diff(traj, axis=0), axis=1)))


def path_ratio(trajectory: ArrayLike) -> float:
    """Zigzag ratio L/D: path length over straight-line distance D = ‖x_n − x_0‖₂.

    A straight run has ratio 1; bouncing across a valley makes it larger (seed
    002 / seed 001 §7.3 zigzag). By the triangle inequality L ≥ D, so the ratio
    is ≥ 1 (up to rounding). When D = 0: the ratio is 1.0 if L = 0 too (a single
    point or a path that never moves) and ``inf`` if L > 0 (a closed loop);
    otherwise the ratio is the IEEE quotient L/D, so non-finite points give
    ``nan`` or ``inf`` (no warnings). Returns a Python float.

    >>> path_ratio([[0.0, 0.0], [3.0, 4.0], [3.0, 0.0]])   # L = 9, D = 3
    3.0
    >>> path_ratio([[1.0, 1.0]]), path_ratio([[0.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
    (1.0, inf)
    """
    traj = as_trajectory(trajectory)
    length = path_length(traj)
    with np.errstate(over="ignore", invalid="ignore"):
        straight = float(np.linalg.norm(traj[-1] - traj[0]))
    if straight == 0.0 and length == 0.0:
        return 1.0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return float(np.float64(length) / np.float64(straight))
