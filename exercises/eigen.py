"""Exercise ``eigen``: predict what gradient descent will do from eigenvalues alone.

Seeds: 002 "Learning & Optimization as a Dynamical System" (sections "Discrete-time
stability: oscillation vs divergence" and "Ill-conditioning, condition number",
Exercises 4, 6, 7 and 9) and 001 "Optimisation Intuition: Loss as Energy" (§4.3
convergence analysis for quadratic losses, §4.4 the learning rate, §7.2 saddle
points, §7.3 conditioning and the Hessian).

The idea
--------
Gradient descent x_{k+1} = x_k − α∇f(x_k) on the quadratic f(x) = ½xᵀAx − bᵀx + c is a
*linear* dynamical system. Write e_k = x_k − x* for the error (x* = A⁻¹b). Because
∇f(x_k) = Ae_k, every step is

    e_{k+1} = (I − αA) e_k.

A symmetric A has orthonormal eigenvectors: A = QΛQᵀ. In eigen-coordinates z_k = Qᵀe_k
the matrix becomes diagonal and the system splits into d independent 1-D recurrences

    z^{(i)}_{k+1} = rᵢ · z^{(i)}_k,   rᵢ = 1 − αλᵢ,   so   z^{(i)}_k = rᵢ^k · z^{(i)}_0.

Everything GD does on a quadratic is in the numbers rᵢ, the *multipliers*:

* 0 < r < 1: the error shrinks and keeps its sign — **monotone** convergence;
* r = 0: the error is exactly zero after **one step** (α = 1/λ);
* −1 < r < 0: the error shrinks but flips sign every step — **oscillatory** (this is the
  zigzag across a narrow valley); it starts as soon as α > 1/λ;
* r = −1: the error flips sign forever without shrinking — **marginal** (α = 2/λ);
* r = 1: nothing moves (λ = 0, a flat direction, or α = 0) — **stalled**;
* |r| > 1: the error grows — **divergent** (α > 2/λ for λ > 0, with sign flips; or any
  α > 0 along a direction of negative curvature λ < 0, without sign flips).

All directions converge iff every |rᵢ| < 1, which for positive λᵢ is 0 < α < 2/λmax: the
steepest direction alone sets the safe step. The slowest direction sets the speed: the
error shrinks like ρ(α)^k with ρ(α) = maxᵢ |1 − αλᵢ|. The best constant step balances the
two ends of the spectrum, α* = 2/(λmax + λmin), and gives ρ* = (κ − 1)/(κ + 1) with the
condition number κ = λmax/λmin. For x² + 3y² (Hessian diag(2, 6), seed 001 §4.3):
2/λmax ≈ 0.333, κ = 3, α* = 0.25, ρ* = 0.5. For x² + 100y² (diag(2, 200), §7.3): κ = 100,
the step must stay below 0.01 although the shallow x direction alone would accept up to 1.

The same eigenvalues classify a critical point (∇f = 0): all positive → minimum, all
negative → maximum, mixed signs → saddle (x² − y², Hessian diag(2, −2), seed 001 §7.2).

What you will observe
---------------------
With λ = (2, 10) (seed 002 Ex.7): α = 0.05 gives r = (0.9, 0.5), both monotone; α = 0.12
gives r = (0.76, −0.2): the steep direction now zigzags while the shallow one still
creeps; α = 0.25 gives r = (0.5, −1.5): the steep direction blows up although the
shallow one is perfectly happy. Sweep α and watch ρ(α): it falls, bottoms out at α*,
then climbs back to 1 at 2/λmax.

Conventions you must follow (they are what the grader compares)
---------------------------------------------------------------
* Eigenvalue arguments are non-empty 1-D array-likes of finite numbers; results keep
  their order. Matrix arguments are symmetric (d, d); their eigenvalues come from
  ``numpy.linalg.eigvalsh``, in ascending order.
* The step size α must be finite and ≥ 0 (α = 0 is allowed: nothing moves).
  Anything else raises ``ValueError``, as do malformed eigenvalues or matrices.
* Verdicts are strings from the vocabulary "monotone", "one_step", "oscillatory",
  "marginal", "stalled", "divergent" (per direction) and "minimum", "maximum",
  "saddle", "degenerate" (critical points). Boundaries are decided *exactly*, without a
  tolerance: read each docstring for how.
* Scalars come back as Python ``float``/``bool``/``str``, vectors as float64 arrays.

Floating point bites at the boundaries: 1/49 is not a float, and ``1 - (1/49) * 49`` is
1.1e-16, not 0. That is why :func:`direction_verdicts` compares α with the thresholds
1/λ and 2/λ themselves instead of looking at the sign of a rounded r.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "classify_critical_point",
    "condition_number",
    "convergence_factor",
    "critical_point_type",
    "direction_verdicts",
    "is_stable",
    "multiplier_verdict",
    "multipliers",
    "multipliers_from_matrix",
    "optimal_rate",
    "optimal_step",
    "oscillation_thresholds",
    "stable_interval",
    "symmetric_eigenvalues",
]


def symmetric_eigenvalues(matrix: ArrayLike) -> np.ndarray:
    """Eigenvalues of a symmetric matrix (a Hessian), in ascending order.

    Seed 002 Ex.4: A = diag(2, 10) has eigenvalues 2 and 10 (eigenvectors (1, 0) and
    (0, 1)); seed 001 §7.3: the Hessian of x² + 100y² is diag(2, 200).

    Args:
        matrix: a symmetric (d, d) array-like with d ≥ 1 (a Python or NumPy scalar is
            read as a 1×1 matrix, the second derivative of a 1-D problem).

    Returns:
        float64 array of shape (d,): λ₁ ≤ λ₂ ≤ … ≤ λ_d, computed as
        ``numpy.linalg.eigvalsh(0.5 * (A + A.T))`` (for an exactly symmetric A the
        symmetrisation changes nothing).

    Raises:
        ValueError: if the matrix is not square, is empty, has non-finite entries, or is
            not symmetric (``numpy.allclose(A, A.T)`` is false).
    """
    raise NotImplementedError


def multipliers(eigenvalues: ArrayLike, alpha: float) -> np.ndarray:
    """The GD multipliers rᵢ = 1 − αλᵢ, one per eigen-direction.

    Along eigen-direction i the error obeys z_{k+1} = rᵢ·z_k (seed 002 "Discrete-time
    stability"; seed 001 §4.3). Example (seed 002 Ex.7): eigenvalues (2, 10) with
    α = 0.25 give r = (0.5, −1.5).

    Args:
        eigenvalues: non-empty 1-D array-like of finite numbers λᵢ (any sign).
        alpha: step size α, finite and ≥ 0.

    Returns:
        float64 array with the same shape (d,) and order as ``eigenvalues``, evaluated
        as ``1.0 - alpha * lam`` in float64.

    Raises:
        ValueError: empty or non-1-D or non-finite eigenvalues; α < 0 or non-finite.
    """
    raise NotImplementedError


def multipliers_from_matrix(matrix: ArrayLike, alpha: float) -> np.ndarray:
    """The multipliers rᵢ = 1 − αλᵢ(A) for GD on a quadratic with symmetric Hessian A.

    These are the eigenvalues of the error-update matrix M = I − αA of
    e_{k+1} = (I − αA)e_k (seed 002). Equal to
    ``multipliers(symmetric_eigenvalues(matrix), alpha)``.

    Args:
        matrix: symmetric (d, d) array-like (see :func:`symmetric_eigenvalues`).
        alpha: step size α, finite and ≥ 0.

    Returns:
        float64 array of shape (d,), ordered like the ascending eigenvalues of A (so
        the multipliers are in descending order when α > 0).

    Raises:
        ValueError: as :func:`symmetric_eigenvalues` and :func:`multipliers`.
    """
    raise NotImplementedError


def multiplier_verdict(r: float) -> str:
    """What the 1-D recurrence z_{k+1} = r·z_k does, as one word.

    Exact comparisons, no tolerance (seed 002 "Discrete-time stability" and Ex.7, with
    an explicit answer for each boundary):

    * r < −1  → "divergent"   (grows, flipping sign every step)
    * r = −1  → "marginal"    (flips sign forever, never shrinks)
    * −1 < r < 0 → "oscillatory" (shrinks, flipping sign every step)
    * r = 0   → "one_step"    (exactly zero after one step)
    * 0 < r < 1 → "monotone"  (shrinks, keeps its sign)
    * r = 1   → "stalled"     (never moves)
    * r > 1   → "divergent"   (grows, keeps its sign: negative curvature)

    Args:
        r: the multiplier, a real number (float-convertible).

    Returns:
        one of the six strings above.

    Raises:
        ValueError: if r is NaN.
    """
    raise NotImplementedError


def direction_verdicts(eigenvalues: ArrayLike, alpha: float) -> list[str]:
    """The verdict of every eigen-direction of GD with step α (seed 002 Ex.7).

    Same vocabulary as :func:`multiplier_verdict` for rᵢ = 1 − αλᵢ, but decided by
    comparing α *exactly* with the float64 thresholds ``1.0 / lam`` and ``2.0 / lam``,
    so that the verdict switches exactly at the values returned by
    :func:`oscillation_thresholds` and :func:`stable_interval`. For λ > 0 and α > 0:

    * α < 1/λ → "monotone";  α == 1/λ → "one_step";
    * 1/λ < α < 2/λ → "oscillatory";  α == 2/λ → "marginal";  α > 2/λ → "divergent".

    Otherwise: λ == 0 or α == 0 → "stalled" (r = 1); λ < 0 with α > 0 → "divergent"
    (r > 1, growth without sign flips). If ``1.0 / lam`` overflows it is ``inf``.
    Away from the thresholds (farther than a few ulps) the result equals
    ``multiplier_verdict(1.0 - alpha * lam)``; at them, the rounded r may not be exactly
    0 or −1 (try 1 − (1/49)·49), which is why the thresholds decide.

    Example (seed 002 Ex.7): eigenvalues (2, 10) with α = 0.12 →
    ["monotone", "oscillatory"].

    Args:
        eigenvalues: non-empty 1-D array-like of finite λᵢ (any sign).
        alpha: step size α, finite and ≥ 0.

    Returns:
        a list of str, one per eigenvalue, in input order.

    Raises:
        ValueError: as :func:`multipliers`.
    """
    raise NotImplementedError


def oscillation_thresholds(eigenvalues: ArrayLike) -> np.ndarray:
    """The step size 1/λᵢ above which direction i starts to oscillate.

    Seed 002 "When does oscillation start?": rᵢ = 1 − αλᵢ < 0 ⟺ α > 1/λᵢ (λᵢ > 0).
    A direction with λᵢ ≤ 0 never oscillates for α ≥ 0 (rᵢ ≥ 1): its threshold is
    ``inf``. Example: eigenvalues (2, 10, 0, −1) → (0.5, 0.1, inf, inf).

    Args:
        eigenvalues: non-empty 1-D array-like of finite λᵢ.

    Returns:
        float64 array, same shape (d,) and order as ``eigenvalues``: ``1.0 / lam`` where
        λ > 0 (``inf`` if that overflows), ``inf`` where λ ≤ 0.

    Raises:
        ValueError: empty, non-1-D or non-finite eigenvalues.
    """
    raise NotImplementedError


def stable_interval(eigenvalues: ArrayLike) -> tuple[float, float]:
    """The open interval (lo, hi) of step sizes for which GD converges.

    GD converges from every start iff |1 − αλᵢ| < 1 for all i, i.e. 0 < α < 2/λmax when
    every λᵢ > 0 (seed 002 "Global GD stability condition"; seed 001 §4.3). Example:
    eigenvalues (2, 10) → (0.0, 0.2) (seed 002 Ex.6).

    Args:
        eigenvalues: non-empty 1-D array-like of finite λᵢ.

    Returns:
        a tuple of two Python floats: ``(0.0, 2.0 / λmax)`` if every λᵢ > 0 (both ends
        excluded: α = 2/λmax gives r = −1); the empty interval ``(0.0, 0.0)`` if some
        λᵢ ≤ 0 (that direction has r ≥ 1 for every α ≥ 0).

    Raises:
        ValueError: empty, non-1-D or non-finite eigenvalues.
    """
    raise NotImplementedError


def is_stable(eigenvalues: ArrayLike, alpha: float) -> bool:
    """Whether GD with step α converges along every eigen-direction.

    True iff lo < α < hi with ``(lo, hi) = stable_interval(eigenvalues)``: all λᵢ > 0
    and 0 < α < 2/λmax, compared exactly with the float64 ``2.0 / λmax``. Equivalently,
    every verdict of :func:`direction_verdicts` is "monotone", "one_step" or
    "oscillatory". Seed 002 Ex.9: λmax ≈ 200 gives 2/λmax = 0.01, so α = 0.02 is not
    safe.

    Args:
        eigenvalues: non-empty 1-D array-like of finite λᵢ.
        alpha: step size α, finite and ≥ 0.

    Returns:
        a Python bool.

    Raises:
        ValueError: bad eigenvalues, α < 0 or non-finite.
    """
    raise NotImplementedError


def convergence_factor(eigenvalues: ArrayLike, alpha: float) -> float:
    """The convergence factor ρ(α) = maxᵢ |1 − αλᵢ| (seed 001 §4.3).

    The error shrinks (at worst) like ρ(α)^k; GD converges iff ρ(α) < 1. Any sign of λ is
    accepted. Example: eigenvalues (2, 6) with α = 0.25 → 0.5.

    Args:
        eigenvalues: non-empty 1-D array-like of finite λᵢ.
        alpha: step size α, finite and ≥ 0.

    Returns:
        a Python float, evaluated as ``max(abs(1.0 - alpha * lam))`` in float64.

    Raises:
        ValueError: bad eigenvalues, α < 0 or non-finite.
    """
    raise NotImplementedError


def condition_number(eigenvalues: ArrayLike) -> float:
    """The condition number κ = λmax/λmin of a positive definite Hessian.

    κ ≈ 1 means a round bowl and fast, direct GD; κ ≫ 1 a narrow valley, zigzag and slow
    convergence (seed 002 "Condition number", Ex.6: diag(2, 10) has κ = 5, diag(5, 6)
    has κ = 1.2 and is better conditioned; seed 001 §7.3: x² + 100y² has κ = 100).

    Args:
        eigenvalues: non-empty 1-D array-like of finite λᵢ, all > 0.

    Returns:
        a Python float, ``λmax / λmin``.

    Raises:
        ValueError: if some λᵢ ≤ 0 (κ is defined for symmetric positive definite
            matrices only, as in seed 002; this includes λmin = 0), or bad eigenvalues.
    """
    raise NotImplementedError


def optimal_step(eigenvalues: ArrayLike) -> float:
    """The constant step α* = 2/(λmax + λmin) that minimises ρ(α) (seed 001 §4.3).

    At α* the slowest and the steepest directions shrink at the same rate:
    1 − α*λmin = −(1 − α*λmax). Example: x² + 3y² (eigenvalues 2, 6) → 0.25.

    Args:
        eigenvalues: non-empty 1-D array-like of finite λᵢ, all > 0.

    Returns:
        a Python float, evaluated as ``2.0 / (λmax + λmin)``.

    Raises:
        ValueError: if some λᵢ ≤ 0, or bad eigenvalues.
    """
    raise NotImplementedError


def optimal_rate(eigenvalues: ArrayLike) -> float:
    """The best constant-step rate ρ* = (κ − 1)/(κ + 1) = ρ(α*) (seed 001 §4.3).

    ρ* → 1 as κ → ∞: ill-conditioning makes even the best constant step slow. Example:
    x² + 3y² has κ = 3 and ρ* = 0.5.

    Args:
        eigenvalues: non-empty 1-D array-like of finite λᵢ, all > 0.

    Returns:
        a Python float, evaluated as ``(kappa - 1.0) / (kappa + 1.0)`` with
        ``kappa = condition_number(eigenvalues)``.

    Raises:
        ValueError: if some λᵢ ≤ 0, or bad eigenvalues.
    """
    raise NotImplementedError


def critical_point_type(eigenvalues: ArrayLike, tol: float = 1e-9) -> str:
    """Classify a critical point (∇f = 0) from its Hessian eigenvalues (seed 001 §7.2).

    An eigenvalue is *zero* if |λ| ≤ tol (absolute tolerance), *positive* if λ > tol,
    *negative* if λ < −tol. Apply these rules in order:

    1. some positive and some negative → "saddle" (even if others are zero: the loss
       goes up along one direction and down along another);
    2. some zero → "degenerate" (the second-order test cannot decide);
    3. all positive → "minimum";
    4. all negative → "maximum".

    Example: x² − y² at the origin has eigenvalues (2, −2) → "saddle".

    Args:
        eigenvalues: non-empty 1-D array-like of finite λᵢ.
        tol: the zero tolerance, finite and ≥ 0.

    Returns:
        one of "minimum", "maximum", "saddle", "degenerate".

    Raises:
        ValueError: bad eigenvalues, or tol < 0 or non-finite.
    """
    raise NotImplementedError


def classify_critical_point(hessian: ArrayLike, tol: float = 1e-9) -> str:
    """Classify a critical point from its Hessian matrix (seed 001 §7.2).

    Positive definite → "minimum", negative definite → "maximum", indefinite →
    "saddle", otherwise (a zero eigenvalue and no sign mix) → "degenerate". Exactly
    ``critical_point_type(symmetric_eigenvalues(hessian), tol)``. Example: the Hessian
    diag(2, −2) of x² − y² → "saddle".

    Args:
        hessian: symmetric (d, d) array-like, or a scalar for a 1-D problem (e.g.
            ``DoubleWell().hessian(0.0)``, which is −2 → "maximum").
        tol: the zero tolerance for eigenvalues, finite and ≥ 0.

    Returns:
        one of "minimum", "maximum", "saddle", "degenerate".

    Raises:
        ValueError: as :func:`symmetric_eigenvalues` and :func:`critical_point_type`.
    """
    raise NotImplementedError
