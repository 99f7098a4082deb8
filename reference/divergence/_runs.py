"""Divergence of a finite run, the 2/λmax threshold and its empirical bisection.

Seed 001 §4.3, §7.3, §8.1 (notebook Exercise 5, Cell 14); seed 002 Exercise 9 and
"Predicting failure via curvature"; seed 004 §8. Pure NumPy, float64.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "bisect_threshold",
    "classify_run",
    "divergence_threshold",
    "gd_quadratic",
    "is_divergent",
]


def _check_factor(factor: float) -> float:
    f = float(factor)
    if not f > 0.0:
        raise ValueError(f"factor must be > 0, got {factor!r}")
    return f


def is_divergent(trajectory: ArrayLike, x_star: ArrayLike, factor: float = 1e6) -> bool:
    """Whether a finite run diverged: an iterate is non-finite or ‖x_k − x*‖ > factor·‖x_0 − x*‖.

    The project-wide rule (docs/conventions.md; seed 001 §8.1 and notebook Exercise 5):
    with dₖ = ‖xₖ − x*‖₂ (Euclidean norm, |xₖ − x*| in 1-D), the run is divergent iff
    for some k

        xₖ has a NaN or ±inf component,   or   dₖ > factor · d₀   (strict).

    Zero initial distance (x₀ = x*): the relative test is meaningless, so only the
    non-finite test applies (a run started at the minimiser is divergent only if it
    produces NaN/inf). A non-finite row 0 makes the run divergent.

    ``trajectory`` has shape (n+1,) for a 1-D problem or (n+1, d); ``x_star`` is a
    scalar or shape (d,) (broadcast against every row). ``factor`` > 0 (``inf`` is
    allowed: then only non-finite iterates count). Raises ``ValueError`` for an empty
    trajectory, a trajectory with more than 2 dimensions, a non-finite ``x_star``
    or ``factor`` ≤ 0.

    >>> is_divergent([1.0, -2.0, 4.0, -8.0], 0.0, factor=5.0)
    True
    >>> is_divergent([1.0, -2.0, 4.0], 0.0, factor=5.0)
    False
    >>> is_divergent([[0.0, 0.0], [0.0, 1e-3]], [0.0, 0.0])   # d0 = 0: only NaN/inf count
    False
    """
    traj = np.asarray(trajectory, dtype=float)
    if traj.ndim == 0 or traj.ndim > 2 or traj.shape[0] == 0:
        raise ValueError(f"trajectory must have shape (n+1,) or (n+1, d), got {traj.shape}")
    f = _check_factor(factor)
    star = np.asarray(x_star, dtype=float)
    if not np.all(np.isfinite(star)):
        raise ValueError("x_star must be finite")
    rows = traj.reshape(traj.shape[0], -1)
    finite = np.all(np.isfinite(rows), axis=1)
    if not finite.all():
        return True
    with np.errstate(over="ignore", invalid="ignore"):
        dist = np.linalg.norm(rows - star.reshape(1, -1), axis=1)
        if dist[0] == 0.0:
            return False
        return bool(np.any(dist > f * dist[0]))


def divergence_threshold(hessian: ArrayLike) -> float:
    """The maximum stable step size η_max = 2/λmax of gradient descent on a quadratic.

    GD on ½xᵀHx multiplies the eigen-coordinate i by rᵢ = 1 − ηλᵢ each step, so
    the λmax direction stops overshooting-and-growing iff η < 2/λmax (seed 001 §4.3,
    §8.1; seed 002 "Discrete-time stability" and Exercise 9; seed 004 §8 for 1-D).

    ``hessian`` is a symmetric (d, d) array (checked with ``np.allclose(H, H.T)``)
    whose eigenvalues are taken with ``numpy.linalg.eigvalsh``, or a scalar curvature
    λ (a 1-D problem). Returns the Python float 2/λmax.

    If λmax ≤ 0 there is no finite threshold (|1 − ηλ| ≥ 1 for every η > 0: no step
    size contracts), and ``ValueError`` is raised. With mixed signs the value 2/λmax is
    returned; it bounds the positively curved directions only (GD still escapes
    along λ < 0). Also raises ``ValueError`` for a non-square, non-symmetric or
    non-finite matrix.

    >>> divergence_threshold([[2.0, 0.0], [0.0, 6.0]])     # x² + 3y²: 2/6
    0.3333333333333333
    >>> divergence_threshold(200.0)                       # seed 002 Ex. 9
    0.01
    """
    h = np.asarray(hessian, dtype=float)
    if h.ndim == 0:
        h = h.reshape(1, 1)
    if h.ndim != 2 or h.shape[0] != h.shape[1] or h.shape[0] == 0:
        raise ValueError(f"hessian must be a square (d, d) matrix or a scalar, got {h.shape}")
    if not np.all(np.isfinite(h)):
        raise ValueError("hessian must be finite")
    if not np.allclose(h, h.T):
        raise ValueError("hessian must be symmetric")
    lam_max = float(np.linalg.eigvalsh(h)[-1])
    if lam_max <= 0.0:
        raise ValueError(
            f"no finite divergence threshold: λmax = {lam_max:g} ≤ 0, so |1 − ηλ| ≥ 1 "
            "for every η > 0 (gradient descent never contracts)"
        )
    return 2.0 / lam_max


def _as_problem(A: ArrayLike, x0: ArrayLike) -> tuple[np.ndarray, np.ndarray, bool]:
    a = np.asarray(A, dtype=float)
    x = np.array(x0, dtype=float)
    if a.ndim == 0:
        if x.ndim != 0:
            raise ValueError(f"a scalar A needs a scalar x0, got shape {x.shape}")
        return a.reshape(1, 1), x.reshape(1), True
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"A must be a square (d, d) matrix or a scalar, got {a.shape}")
    if x.shape != (a.shape[0],):
        raise ValueError(f"x0 must have shape ({a.shape[0]},), got {x.shape}")
    return a, x, False


def _check_steps(n_steps: int) -> int:
    if int(n_steps) != n_steps or n_steps < 0:
        raise ValueError(f"n_steps must be a non-negative integer, got {n_steps!r}")
    return int(n_steps)


def gd_quadratic(A: ArrayLike, x0: ArrayLike, lr: float, n_steps: int) -> np.ndarray:
    """Gradient-descent trajectory on f(x) = ½xᵀAx: x_{k+1} = x_k − η·A x_k.

    The minimiser is x* = 0 (for ½xᵀAx − bᵀx the error eₖ = xₖ − x* obeys the same
    recursion e_{k+1} = (I − ηA)eₖ, seed 002 "GD as a discrete-time dynamical
    system"), so this is the run used to test step sizes (seed 001 §4.3, §8.1).

    ``A``: (d, d) array (the gradient used is ``A @ x``), ``x0``: shape (d,); or a
    scalar curvature λ with a scalar ``x0`` (1-D problem, seed 004 §8). Returns the
    float64 trajectory including the start: shape (n_steps+1, d), or (n_steps+1,) for
    a scalar A; row 0 is a copy of ``x0``. Never raises on divergence (IEEE overflow
    to inf/NaN, warnings silenced). ``lr`` may be any float.

    >>> gd_quadratic(1.0, 1.0, 3.0, 3).tolist()        # seed 004 §8: w_{k+1} = −2 w_k
    [1.0, -2.0, 4.0, -8.0]
    >>> gd_quadratic([[2.0, 0.0], [0.0, 6.0]], [1.0, 1.0], 0.25, 1).tolist()
    [[1.0, 1.0], [0.5, -0.5]]
    """
    a, x, scalar = _as_problem(A, x0)
    n = _check_steps(n_steps)
    eta = float(lr)
    traj = np.empty((n + 1, x.shape[0]), dtype=float)
    traj[0] = x
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            x = x - eta * (a @ x)
            traj[k + 1] = x
    return traj[:, 0] if scalar else traj


def classify_run(
    A: ArrayLike,
    x0: ArrayLike,
    lr: float,
    n_steps: int = 100,
    factor: float = 1e6,
    rtol: float = 1e-6,
) -> str:
    """Verdict on a finite GD run on ½xᵀAx: ``"diverged"``, ``"converged"`` or ``"undecided"``.

    Runs ``gd_quadratic(A, x0, lr, n_steps)`` (x* = 0) and, in this order:

    * ``"diverged"`` if ``is_divergent(trajectory, 0, factor)``;
    * ``"converged"`` if ‖x_n‖ ≤ rtol·‖x_0‖ (so a start at x* = 0 is converged);
    * ``"undecided"`` otherwise (too few steps to tell: e.g. η tiny, or η within a
      hair of 2/λmax where |1 − ηλmax| ≈ 1).

    Seed 001 §8.1 / notebook Exercise 5: on x² + 3y² (A = diag(2, 6)) η = 0.3
    converges (barely: r = −0.8) and η = 0.4, 0.5, 0.6 diverge; seed 004 §8: η = 0.001
    is "stable but slow" (undecided after 100 steps). Same shapes as ``gd_quadratic``;
    raises ``ValueError`` for factor ≤ 0 or rtol < 0.

    >>> A = [[2.0, 0.0], [0.0, 6.0]]
    >>> [classify_run(A, [1.0, 1.0], eta) for eta in (0.3, 0.4, 0.001)]
    ['converged', 'diverged', 'undecided']
    """
    f = _check_factor(factor)
    r = float(rtol)
    if not r >= 0.0:
        raise ValueError(f"rtol must be >= 0, got {rtol!r}")
    traj = gd_quadratic(A, x0, lr, n_steps)
    if is_divergent(traj, 0.0, f):
        return "diverged"
    rows = traj.reshape(traj.shape[0], -1)
    if np.linalg.norm(rows[-1]) <= r * np.linalg.norm(rows[0]):
        return "converged"
    return "undecided"


def bisect_threshold(
    A: ArrayLike,
    x0: ArrayLike,
    lo: float,
    hi: float,
    n_steps: int = 100,
    tol: float = 1e-3,
    factor: float = 1e6,
) -> tuple[float, float]:
    """Empirical divergence threshold by bisection on η: a bracket (lo, hi) with hi − lo ≤ tol.

    Seed 001 §8.1 (notebook Exercise 5): find where runs start to diverge. The oracle
    is ``classify_run(A, x0, η, n_steps, factor) == "diverged"`` ("converged" and
    "undecided" both count as *not* diverged). Requires lo < hi, lo not diverged,
    hi diverged and tol > 0 (``ValueError`` otherwise). Then, exactly::

        while hi − lo > tol:
            mid = 0.5 * (lo + hi)
            if mid <= lo or mid >= hi: break      # float resolution reached
            if diverged(mid): hi = mid
            else:             lo = mid

    so the number of bisection steps, max(0, ⌈log₂((hi₀ − lo₀)/tol)⌉) in exact
    arithmetic, is fixed by the inputs; the returned pair (lo, hi) of Python floats
    keeps lo not diverged and hi diverged.

    A finite run can only reveal growth |1 − ηλmax|ⁿ > factor, so the bracket
    approaches 2/λmax from above as n_steps grows: for a start along the top
    eigenvector the empirical threshold is exactly (1 + factor^{1/n})/λmax.

    >>> lo, hi = bisect_threshold([[2.0, 0.0], [0.0, 6.0]], [1.0, 1.0], 0.3, 0.4,
    ...                           n_steps=10_000)
    >>> lo < 1 / 3 < hi, hi - lo <= 1e-3
    (True, True)
    """
    lo_f, hi_f, t = float(lo), float(hi), float(tol)
    if not t > 0.0:
        raise ValueError(f"tol must be > 0, got {tol!r}")
    if not lo_f < hi_f:
        raise ValueError(f"need lo < hi, got lo={lo!r}, hi={hi!r}")

    def diverged(eta: float) -> bool:
        return classify_run(A, x0, eta, n_steps, factor) == "diverged"

    if diverged(lo_f):
        raise ValueError(f"lo = {lo_f:g} must not diverge, but the run at lo diverged")
    if not diverged(hi_f):
        raise ValueError(f"hi = {hi_f:g} must diverge, but the run at hi did not")
    while hi_f - lo_f > t:
        mid = 0.5 * (lo_f + hi_f)
        if mid <= lo_f or mid >= hi_f:
            break
        if diverged(mid):
            hi_f = mid
        else:
            lo_f = mid
    return lo_f, hi_f
