"""Exercise `zigzag`: gradient descent zigzagging on ill-conditioned quadratics.

Course notes: seed 002 ("Learning & Optimization as a Dynamical System": sections
"Quadratic loss: gradient and Hessian", "Gradient descent as a discrete-time
dynamical system", "Ill-conditioning, condition number, anisotropy, zigzag" and
Exercises 2, 3, 4, 5), seed 001 ("Loss as Energy": §3.4, §4.3, §7.3) and seed 003
(Exercise 3).

1. The quadratic "physics lab"
------------------------------
Every smooth loss looks, near a minimum, like the quadratic

    f(x) = ½·xᵀAx − bᵀx + c,      A symmetric (d × d), b ∈ Rᵈ, c ∈ R.

Its gradient is ∇f(x) = Ax − b, its Hessian is ∇²f(x) = A -- the same at every
point: a quadratic has constant curvature -- and its minimiser solves
∇f(x*) = 0, i.e. x* = A⁻¹b (when A is positive definite). Mind the ½: the bowl
x² + 3y² of seed 001 is A = diag(2, 6), and x² + 10y² of seed 002 is
A = diag(2, 20), so ∇f(1, 1) = (2, 20). A need not be diagonal: a rotated bowl
has off-diagonal entries, and its principal axes are the eigenvectors of A.

2. GD is a linear dynamical system
----------------------------------
Gradient descent x_{k+1} = x_k − α(Ax_k − b) looks like it depends on b, but
write the error e_k = x_k − x*. Because b = Ax*, the gradient is Ax_k − b = Ae_k,
and

    e_{k+1} = (I − αA)·e_k,      so      e_k = (I − αA)^k · e_0.

M = I − αA is the iteration matrix. Diagonalise A = QΛQᵀ and use the
eigen-coordinates z = Qᵀe: every coordinate evolves on its own,

    z_k^(i) = (1 − αλ_i)^k · z_0^(i),     multiplier r_i = 1 − αλ_i.

* 0 < r_i < 1 (α < 1/λ_i): that coordinate shrinks monotonically;
* −1 < r_i < 0 (1/λ_i < α < 2/λ_i): it flips sign every step while shrinking;
* |r_i| > 1 (α > 2/λ_i): it grows -- divergence.

3. Zigzag
---------
With κ = λmax/λmin ≫ 1 the bowl is a narrow valley. The step size is limited by
the steep direction (α < 2/λmax), so along the flat direction progress is slow
(r close to 1), and as soon as α > 1/λmax the steep coordinate bounces from one
wall of the valley to the other: the path zigzags. You will measure this two
ways: the number of sign flips of the steep eigen-coordinate, and the ratio
"length of the path / distance between its ends" (1 for a straight run). Seed
002, Exercise 5 (f = ½(2x² + 10y²) from (5, 1)): with α = 0.05 the iterates are
(4.5, 0.5), (4.05, 0.25) -- no zigzag; with α = 0.15 they are (3.5, −0.5),
(2.45, 0.25) -- y flips each step (multiplier −0.5); with α = 0.25 the y
multiplier is −1.5 and the run diverges.

4. The price of ill-conditioning
--------------------------------
Seed 001 §4.3: the best single step is α* = 2/(λmax + λmin), giving the rate
ρ* = (κ − 1)/(κ + 1). For x² + 3y² (κ = 3) that is α* = 0.25, ρ* = 0.5; for
x² + 100y² (κ = 100) GD only works for α in (0, 0.01) and ρ* ≈ 0.98. Counting
the steps needed to get within a tolerance of x*, you will see the count grow
roughly linearly with κ (x² + 3y², x² + 30y², x² + 100y²: about 21, 213 and 709
steps from (1, 1) to 10⁻⁶).

5. Change the units, change the dynamics
----------------------------------------
GD is not invariant to a rescaling of the parameters (seed 002 FAQ). Put
x = S·u with S = diag(s): f(S·u) = ½uᵀ(SAS)u − (Sb)ᵀu + c, so the Hessian
becomes SAS and the curvature along u_i is s_i²·A_ii. For a diagonal A the
choice s_i = 1/√λ_i gives SAS = I: a perfectly round bowl, κ = 1, where GD with
α = 1 jumps to the minimum in ONE step. In x-coordinates this is the
"preconditioned" update x_{k+1} = x_k − α·S²(Ax_k − b).

Conventions (also in docs/exercises/zigzag.md)
----------------------------------------------
* Inputs are array-likes, converted with ``np.asarray(..., dtype=float)``;
  vectors have shape (d,), matrices (d, d). A must be symmetric
  (``np.allclose(A, A.T)``), otherwise raise ``ValueError``. ``b=None`` means
  b = 0. Never modify the caller's arrays.
* Trajectories include their start point: n_steps updates give an array of
  shape (n_steps + 1, d), row 0 a copy of x0, float64.
* A divergent run is not an error: keep iterating with IEEE arithmetic inside
  ``np.errstate(over="ignore", invalid="ignore")``.
* Scalars are returned as Python ``float``/``int``.

What to try when you are done: plot ``gd_trajectory`` for A = diag(2, 200) at
α = 0.0045, 0.0075 and 0.0099 over the contours of f, print the sign flips and
path ratios, and then replay the worst one with ``gd_rescaled_trajectory``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "error_after_steps",
    "gd_rescaled_trajectory",
    "gd_trajectory",
    "isotropic_scaling",
    "iteration_matrix",
    "path_length",
    "path_ratio",
    "quadratic_grad",
    "quadratic_hessian",
    "quadratic_loss",
    "quadratic_minimiser",
    "rescaled_hessian",
    "steep_sign_flips",
    "steps_to_tolerance",
    "steps_vs_kappa",
]


# ---------------------------------------------------------------------------
# 1. The quadratic
# ---------------------------------------------------------------------------


def quadratic_loss(A: ArrayLike, x: ArrayLike, b: ArrayLike | None = None, c: float = 0.0) -> float:
    """Value of f(x) = ½·xᵀAx − bᵀx + c (seed 002, "Quadratic loss").

    Args:
        A: symmetric matrix, shape (d, d). Not symmetric (``np.allclose(A, A.T)``
            is False), not square or empty: raise ``ValueError``.
        x: the point, shape (d,). Wrong shape: ``ValueError``.
        b: linear term, shape (d,), or ``None`` for b = 0.
        c: constant term.

    Returns:
        f(x) as a Python ``float``.

    Example: A = diag(2, 6) is the seed-001 bowl x² + 3y², so
    ``quadratic_loss([[2, 0], [0, 6]], [1, 1])`` is 4.0.
    """
    raise NotImplementedError


def quadratic_grad(
    A: ArrayLike, x: ArrayLike, b: ArrayLike | None = None, c: float = 0.0
) -> np.ndarray:
    """Gradient ∇f(x) = Ax − b of f(x) = ½·xᵀAx − bᵀx + c (seed 002, Exercise 2).

    Same arguments and validation as :func:`quadratic_loss` (A symmetric, else
    ``ValueError``). ``c`` is accepted so that the loss, gradient and Hessian share
    one signature, but it does not change the gradient.

    Returns:
        a new float64 array of shape (d,).

    Example (seed 002, Exercise 2): f(x, y) = x² + 10y² is A = diag(2, 20);
    ``quadratic_grad([[2, 0], [0, 20]], [1, 1])`` is [2.0, 20.0].
    """
    raise NotImplementedError


def quadratic_hessian(
    A: ArrayLike, x: ArrayLike, b: ArrayLike | None = None, c: float = 0.0
) -> np.ndarray:
    """Hessian ∇²f(x) of f(x) = ½·xᵀAx − bᵀx + c: it is A, whatever x is.

    Same arguments and validation as :func:`quadratic_loss` (shapes of x and b
    are checked, ``ValueError`` if wrong), but the result does not depend on x, b
    or c -- that is the lesson of seed 002, Exercise 3.

    Returns:
        a new float64 array of shape (d, d) equal to A (not the caller's object).

    Example: for x² + 10y², ``quadratic_hessian([[2, 0], [0, 20]], [3, -7])`` is
    [[2, 0], [0, 20]] -- the same at every point.
    """
    raise NotImplementedError


def quadratic_minimiser(A: ArrayLike, b: ArrayLike | None = None) -> np.ndarray:
    """The stationary point x* = A⁻¹b, solution of ∇f(x*) = Ax* − b = 0 (seed 002).

    Use ``np.linalg.solve(A, b)`` (never form the inverse). It is the minimiser
    when A is positive definite; do not check definiteness. ``b=None`` means
    b = 0 (then x* = 0). A must be symmetric (else ``ValueError``); a singular A
    makes ``np.linalg.solve`` raise ``numpy.linalg.LinAlgError`` (a subclass of
    ``ValueError``) -- let it propagate.

    Returns:
        float64 array of shape (d,).

    Example (seed 003, Exercise 3): ‖x − (2, −1)‖² is A = 2I, b = (4, −2),
    c = 5, and ``quadratic_minimiser([[2, 0], [0, 2]], [4, -2])`` is [2.0, -1.0].
    """
    raise NotImplementedError


# ---------------------------------------------------------------------------
# 2. GD as a linear dynamical system
# ---------------------------------------------------------------------------


def gd_trajectory(
    A: ArrayLike, x0: ArrayLike, alpha: float, n_steps: int, b: ArrayLike | None = None
) -> np.ndarray:
    """Gradient descent on the quadratic: x_{k+1} = x_k − α(Ax_k − b), from x0.

    Args:
        A: symmetric (d, d), any symmetric matrix (it may be rotated, i.e. have
            off-diagonal entries). Not symmetric: ``ValueError``.
        x0: start point, shape (d,).
        alpha: the step size α (any float; no check).
        n_steps: number of updates, an integer ≥ 0 (``ValueError`` if negative).
        b: shape (d,) or ``None`` for b = 0.

    Returns:
        float64 array of shape (n_steps + 1, d): row 0 is a copy of x0, row k is
        x_k. Compute each step as ``x - alpha * (A @ x - b)``. A divergent run
        must not raise: keep iterating inside
        ``np.errstate(over="ignore", invalid="ignore")`` (``inf``/``nan`` may appear).

    Example (seed 002, Exercise 5): A = diag(2, 10), x0 = (5, 1), α = 0.05,
    2 steps gives [[5, 1], [4.5, 0.5], [4.05, 0.25]].
    """
    raise NotImplementedError


def iteration_matrix(A: ArrayLike, alpha: float) -> np.ndarray:
    """The iteration matrix M = I − αA of the error dynamics e_{k+1} = M·e_k (seed 002).

    Args:
        A: symmetric (d, d) (else ``ValueError``).
        alpha: the step size α.

    Returns:
        float64 array of shape (d, d). Its eigenvalues are the multipliers
        r_i = 1 − αλ_i.

    Example (seed 002, Exercise 5): A = diag(2, 10), α = 0.25 gives
    diag(0.5, −1.5): the y-multiplier −1.5 means y flips sign and grows.
    """
    raise NotImplementedError


def error_after_steps(A: ArrayLike, alpha: float, e0: ArrayLike, k: int) -> np.ndarray:
    """The closed form e_k = (I − αA)^k · e_0 of the GD error after k steps (seed 002).

    You may evaluate it either way (they agree up to rounding):

    * with a matrix power: ``np.linalg.matrix_power(I - alpha * A, k) @ e0``;
    * with the eigendecomposition A = QΛQᵀ (``np.linalg.eigh``):
      e_k = Q · ((1 − αλ)^k ⊙ (Qᵀe_0)), i.e. every eigen-coordinate is
      multiplied by its own r_i^k.

    Args:
        A: symmetric (d, d) (else ``ValueError``).
        alpha: the step size α.
        e0: initial error x_0 − x*, shape (d,).
        k: number of steps, an integer ≥ 0 (``ValueError`` if negative); k = 0
            returns a copy of e0.

    Returns:
        float64 array of shape (d,). Multipliers with |r_i| > 1 may overflow to
        ``inf``/``nan`` for large k: do not raise, silence the warnings.

    Example: A = diag(2, 10), α = 0.15, e0 = (5, 1), k = 2 gives (2.45, 0.25).
    """
    raise NotImplementedError


def steps_to_tolerance(
    A: ArrayLike,
    x0: ArrayLike,
    alpha: float,
    tol: float,
    b: ArrayLike | None = None,
    max_steps: int = 10_000,
) -> int:
    """How many GD steps until the iterate is within ``tol`` of the minimiser.

    Iterate x_{k+1} = x_k − α(Ax_k − b) in float64 from x0 (exactly as in
    :func:`gd_trajectory`) and return the smallest k in {0, 1, …, max_steps}
    with ‖x_k − x*‖₂ ≤ tol, where x* = ``np.linalg.solve(A, b)``.

    * k = 0 if x0 already qualifies; at most ``max_steps`` updates are made.
    * Return **−1** if no iterate x_0, …, x_{max_steps} qualifies (too slow for
      the cap, or divergent). A non-finite distance can never qualify, so you may
      stop at the first ``nan``/``inf`` iterate and return −1.
    * The criterion is the distance to x*, NOT the loss gap f(x_k) − f* =
      ½·e_kᵀAe_k (which weighs each direction by its curvature).
    * ``ValueError`` if tol < 0, max_steps < 0, A not symmetric or shapes wrong.

    Returns:
        a Python ``int`` (−1 or a step count).

    Example: x² + 3y² (A = diag(2, 6)) from (1, 1) at α = 0.25 needs 11 steps
    to reach tol = 1e-3 (error × 0.5 per step); at α = 0.4 > 2/6 it returns −1.
    """
    raise NotImplementedError


def steps_vs_kappa(
    hessians: ArrayLike,
    x0: ArrayLike,
    tol: float,
    alpha: float | None = None,
    max_steps: int = 10_000,
) -> dict[str, np.ndarray]:
    """Steps-to-tolerance for several bowls ½xᵀAx (x* = 0) as the condition number grows.

    Args:
        hessians: shape (m, d, d), m symmetric positive definite matrices
            (``ValueError`` if the shape is wrong, a matrix is not symmetric or
            its smallest eigenvalue is ≤ 0).
        x0: common start point, shape (d,).
        tol: tolerance on ‖x_k‖₂, as in :func:`steps_to_tolerance`.
        alpha: one step size for all bowls, or ``None`` to use each bowl's
            optimal α* = 2/(λmax + λmin) (seed 001 §4.3).
        max_steps: cap passed to :func:`steps_to_tolerance`.

    For matrix i: λ from ``np.linalg.eigvalsh``, κ_i = λmax/λmin, α_i as above,
    steps_i = ``steps_to_tolerance(A_i, x0, α_i, tol, None, max_steps)``.

    Returns:
        ``{"kappa": float64 (m,), "alpha": float64 (m,), "steps": int64 (m,)}``
        (−1 in "steps" where the tolerance was not reached).

    Example: for diag(2, 6), diag(2, 60), diag(2, 200) from (1, 1) with
    tol = 1e-6 and α = None: kappa [3, 30, 100], steps [21, 213, 709].
    """
    raise NotImplementedError


# ---------------------------------------------------------------------------
# 3. Measuring the zigzag
# ---------------------------------------------------------------------------


def steep_sign_flips(A: ArrayLike, trajectory: ArrayLike, b: ArrayLike | None = None) -> int:
    """Count the sign flips of the steepest eigen-coordinate along a trajectory.

    The steep coordinate is z_k = vᵀ(x_k − x*), with v a unit eigenvector of A
    for its largest eigenvalue λmax and x* = ``np.linalg.solve(A, b)`` (b = None:
    b = 0). Step k → k + 1 is a flip when z_k · z_{k+1} < 0 (strictly: both
    non-zero, opposite signs). Conventions:

    * a zero is never part of a flip: the sequence +, 0, − counts 0 flips;
    * a ``nan`` product is not a flip;
    * the sign of v does not matter (it changes both factors);
    * if λmax is repeated -- the eigenvalues from ``np.linalg.eigh`` that are
      ≥ λmax − 1e-10·max|λ| -- take all their eigenvectors as the columns of V
      (d, m), Z_k = Vᵀ(x_k − x*), and count the k with Z_k · Z_{k+1} < 0 (the
      dot product does not depend on the basis chosen inside the eigenspace).

    Args:
        A: symmetric (d, d) (else ``ValueError``).
        trajectory: shape (n + 1, d); a 1-D array is read as d = 1.
        b: shape (d,) or ``None``.

    Returns:
        a Python ``int`` between 0 and n. For GD on this same quadratic it is 0
        when 0 < α < 1/λmax and n when 1/λmax < α (if z_0 ≠ 0).

    Example (seed 002, Exercise 5): A = diag(2, 10), trajectory
    [[5, 1], [3.5, −0.5], [2.45, 0.25]] (α = 0.15) has 2 flips.
    """
    raise NotImplementedError


def path_length(trajectory: ArrayLike) -> float:
    """Length of the polygonal path through the iterates: L = Σ_k ‖x_{k+1} − x_k‖₂.

    Args:
        trajectory: shape (n + 1, d); a 1-D array is read as d = 1.

    Returns:
        a Python ``float``; 0.0 for a single point. Non-finite points give
        ``inf``/``nan`` (no warnings, no exception).

    Example: [[0, 0], [3, 4], [3, 0]] has length 5 + 4 = 9.0.
    """
    raise NotImplementedError


def path_ratio(trajectory: ArrayLike) -> float:
    """Zigzag ratio L/D: path length over the straight distance D = ‖x_n − x_0‖₂.

    1 for a straight run, larger when the path bounces across a valley. Always
    ≥ 1 by the triangle inequality (up to rounding).

    Boundary cases:
        * D = 0 and L = 0 (a single point, or a path that never moves): 1.0;
        * D = 0 and L > 0 (the path comes back to its start): ``inf``;
        * otherwise the IEEE quotient L/D, so non-finite points give ``nan`` or
          ``inf`` -- without warnings or exceptions.

    Args:
        trajectory: shape (n + 1, d); a 1-D array is read as d = 1.

    Returns:
        a Python ``float``.

    Example: [[0, 0], [3, 4], [3, 0]] has L = 9, D = 3, ratio 3.0.
    """
    raise NotImplementedError


# ---------------------------------------------------------------------------
# 4. Anisotropic rescaling
# ---------------------------------------------------------------------------


def rescaled_hessian(A: ArrayLike, s: ArrayLike) -> np.ndarray:
    """Hessian of g(u) = f(S·u), S = diag(s): it is SAS, with entries s_i·A_ij·s_j.

    Args:
        A: symmetric (d, d) (else ``ValueError``).
        s: the diagonal of S, shape (d,) (zeros allowed).

    Returns:
        float64 array of shape (d, d).

    Example: A = diag(2, 200) (x² + 100y², κ = 100) with s = (1, 0.1) gives
    diag(2, 2): a round bowl, κ = 1.
    """
    raise NotImplementedError


def isotropic_scaling(A: ArrayLike) -> np.ndarray:
    """The diagonal scaling s_i = 1/√λ_i that makes a diagonal bowl round (SAS = I).

    Args:
        A: a diagonal (d, d) matrix diag(λ_1, …, λ_d) with every λ_i > 0.
            ``ValueError`` if A is not square, has a non-zero off-diagonal entry
            (a rotated bowl cannot be made round by a *diagonal* S) or has a
            diagonal entry ≤ 0.

    Returns:
        float64 array of shape (d,): the diagonal of S (not the matrix S).

    Example: diag(4, 100) gives [0.5, 0.1].
    """
    raise NotImplementedError


def gd_rescaled_trajectory(
    A: ArrayLike,
    s: ArrayLike,
    x0: ArrayLike,
    alpha: float,
    n_steps: int,
    b: ArrayLike | None = None,
) -> np.ndarray:
    """GD in the rescaled coordinates u (x = S·u), reported in the original x-coordinates.

    GD on g(u) = f(S·u) is u_{k+1} = u_k − α·S(ASu_k − b). Multiply by S to see
    the same run in x: the preconditioned update

        x_{k+1} = x_k − α · (s ⊙ s) ⊙ (Ax_k − b).

    Compute it in exactly this form, starting from x0 (do not divide by s).

    Args:
        A: symmetric (d, d) (else ``ValueError``).
        s: the diagonal of S, shape (d,).
        x0: start point in x-coordinates, shape (d,).
        alpha: step size α in u-coordinates.
        n_steps: number of updates, integer ≥ 0 (``ValueError`` if negative).
        b: shape (d,) or ``None`` for b = 0.

    Returns:
        float64 array of shape (n_steps + 1, d); row 0 is a copy of x0. A
        divergent run continues with IEEE arithmetic, warnings silenced.

    Example: A = diag(2, 200), s = ``isotropic_scaling(A)``, α = 1: the first
    step lands on x* (here the origin), up to rounding.
    """
    raise NotImplementedError
