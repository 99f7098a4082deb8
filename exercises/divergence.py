"""Exercise ``divergence``: how large can the learning rate be?

Where this comes from
---------------------
Seed 001 ("Optimisation Intuition: Loss as Energy") §4.3 and §8.1, notebook Exercise 5;
seed 002 ("Learning & Optimization as a Dynamical System"), Exercise 9 and "Predicting
failure via curvature"; seed 004 ("Optimization and PyTorch Basics in 1D") §8; and the
LR range test of seed 001 §8.3.

The maths
---------
Gradient descent on a quadratic f(x) = ½xᵀAx (minimiser x* = 0) is the linear map

    x_{k+1} = x_k − η A x_k = (I − ηA) x_k.

In the eigenbasis of the symmetric Hessian A every coordinate is multiplied by
rᵢ = 1 − ηλᵢ at every step, so after k steps it is rᵢᵏ times its start value. It
shrinks iff |1 − ηλᵢ| < 1, i.e. 0 < η < 2/λᵢ, and all directions shrink iff

    η < η_max = 2 / λmax.

Above η_max the steepest direction overshoots further each time: it flips sign and
grows by |1 − ηλmax| > 1 per step. Seed 004 §8 shows it in 1-D: for L = ½w² (λ = 1)
the run is stable iff 0 < η < 2, and η = 3 gives w_{k+1} = −2w_k, doubling |w| every
step. Seed 001's notebook bowl x² + 3y² has Hessian diag(2, 6), so η_max = 2/6 ≈ 0.333:
η = 0.3 converges (barely, r = −0.8) while η = 0.4, 0.5, 0.6 diverge. Stretch it to
x² + 100y² and the working range shrinks to (0, 2/200) = (0, 0.01); seed 002's
Exercise 9 asks the same question for λmax ≈ 200: α = 0.02 is not safe.

What you will build
-------------------
1. ``is_divergent``: the course's rule for calling a *finite* run divergent.
2. ``divergence_threshold``: 2/λmax from a Hessian matrix.
3. ``gd_quadratic`` and ``classify_run``: run GD on ½xᵀAx and give a verdict
   ("converged", "diverged" or "undecided").
4. ``bisect_threshold``: find the threshold *empirically*, by bisection on η between
   a learning rate that does not diverge and one that does. You will observe that the
   bracket lands slightly ABOVE 2/λmax and creeps down towards it as you give the
   runs more steps: a finite run only notices divergence once |1 − ηλmax|ⁿ has grown
   past the detection factor, and just above the threshold that takes many steps.
5. ``hessian_vector_product`` and ``power_iteration_lambda_max``: in a real network
   you cannot form the d×d Hessian, but autograd gives H·v for the price of two
   gradients (∇ₓ(∇L(x)·v), "double backward"); repeatedly applying H and normalising
   (power iteration) finds the dominant eigenvalue. Seed 002 warns that curvature
   changes during training: where the largest eigenvalue spikes, a learning rate
   that was safe becomes unstable. These two functions use PyTorch (float64).
6. ``lr_range_test``, ``range_test_cliff`` and ``mse_hessian``: Leslie Smith's LR
   range test (seed 001 §8.3) on linear regression with MSE. The learning rate grows
   geometrically while you record the loss; the "cliff" where the loss shoots up is
   the empirical η_max. Compare it with 2/λmax of the MSE Hessian (2/n)XᵀX on data
   y = 3x + ε: the cliff always comes AFTER 2/λmax (the loss cannot rise before it)
   and, when the run has already converged to rounding level, a few times later.

Conventions (docs/conventions.md): trajectories include their start point, arrays are
float64, runs never raise because they diverge (overflow to inf/NaN is fine; silence
NumPy's warnings with ``np.errstate(over="ignore", invalid="ignore")``), and the only
randomness comes from the ``rng`` you are given. See docs/exercises/divergence.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "bisect_threshold",
    "classify_run",
    "divergence_threshold",
    "gd_quadratic",
    "hessian_vector_product",
    "is_divergent",
    "lr_range_test",
    "mse_hessian",
    "power_iteration_lambda_max",
    "range_test_cliff",
]


def is_divergent(trajectory: ArrayLike, x_star: ArrayLike, factor: float = 1e6) -> bool:
    """Return True iff the finite run ``trajectory`` diverged away from ``x_star``.

    Rule (docs/conventions.md, used across the course): with dₖ = ‖xₖ − x*‖₂ (the
    Euclidean norm; |xₖ − x*| in 1-D), the run is divergent iff for SOME row k

        xₖ has a NaN or ±inf component,   or   dₖ > factor · d₀   (strictly greater).

    Arguments
        trajectory: shape (n+1,) for a 1-D problem or (n+1, d); row 0 is the start x₀.
        x_star: the minimiser, a scalar or shape (d,) (compared with every row).
        factor: > 0; ``float("inf")`` is allowed (then only NaN/inf iterates count).

    Boundaries
        * d₀ = 0 (the run starts at x*): the relative test makes no sense, so only
          the NaN/inf test applies; the run is divergent only if some row is non-finite.
        * A non-finite start row makes the run divergent.
        * A single-row trajectory is divergent only if that row is non-finite.

    Returns a Python bool. Raises ``ValueError`` for an empty trajectory, one with
    more than 2 dimensions, a non-finite ``x_star``, or ``factor`` ≤ 0 (or NaN).

    Example: ``is_divergent([1.0, -2.0, 4.0, -8.0], 0.0, factor=5.0)`` is True
    (8 > 5·1) while ``is_divergent([1.0, -2.0, 4.0], 0.0, factor=5.0)`` is False.
    """
    raise NotImplementedError


def divergence_threshold(hessian: ArrayLike) -> float:
    """Return η_max = 2/λmax, the largest stable GD step size for this Hessian.

    ``hessian`` is either a symmetric (d, d) array-like or a scalar curvature λ (a 1-D
    problem: ``divergence_threshold(1.0) == 2.0``, seed 004 §8). Compute the
    eigenvalues with ``numpy.linalg.eigvalsh`` (it is meant for symmetric matrices and
    returns them in ascending order) and return the Python float 2/λmax.

    Boundaries
        * λmax ≤ 0: there is no finite threshold (|1 − ηλ| ≥ 1 for every η > 0, GD
          never contracts) -> raise ``ValueError`` with a message saying so.
        * Mixed signs (a saddle): return 2/λmax anyway; it only bounds the positively
          curved directions.
        * Raise ``ValueError`` if the matrix is not square, contains NaN/inf, or is
          not symmetric (test with ``np.allclose(H, H.T)``).

    Example: x² + 3y² has Hessian diag(2, 6), so the answer is 2/6 ≈ 0.333.
    """
    raise NotImplementedError


def gd_quadratic(A: ArrayLike, x0: ArrayLike, lr: float, n_steps: int) -> np.ndarray:
    """Return the GD trajectory on f(x) = ½xᵀAx: x_{k+1} = x_k − lr · (A @ x_k).

    The minimiser is x* = 0. (With a linear term, ½xᵀAx − bᵀx, the error xₖ − x*
    follows exactly the same recursion, so nothing is lost.)

    Arguments
        A: square (d, d) array-like, or a scalar curvature λ (a 1-D problem).
        x0: shape (d,), or a scalar when A is a scalar.
        lr: the step size η, any float (no check).
        n_steps: number of updates, an integer ≥ 0.

    Returns a float64 array that INCLUDES the start point: shape (n_steps + 1, d), or
    (n_steps + 1,) when A is a scalar; row 0 is a copy of x0 (do not mutate x0).
    Never raise because the run diverges: let values overflow to inf/NaN inside
    ``np.errstate(over="ignore", invalid="ignore")``. Raise ``ValueError`` for a
    non-square A, an x0 of the wrong shape, or a negative/non-integer n_steps.

    Example: ``gd_quadratic(1.0, 1.0, 3.0, 3)`` is ``[1, -2, 4, -8]`` (seed 004 §8).
    """
    raise NotImplementedError


def classify_run(
    A: ArrayLike,
    x0: ArrayLike,
    lr: float,
    n_steps: int = 100,
    factor: float = 1e6,
    rtol: float = 1e-6,
) -> str:
    """Run ``gd_quadratic(A, x0, lr, n_steps)`` and return a verdict string.

    Decide in this order (x* = 0, norms are Euclidean):

    1. ``"diverged"`` if ``is_divergent(trajectory, 0.0, factor)``;
    2. ``"converged"`` if ‖x_n‖ ≤ rtol · ‖x_0‖ where x_n is the last row (so a run
       that starts at x* = 0 is "converged");
    3. ``"undecided"`` otherwise: the run neither blew up nor got close, e.g. a tiny
       η (seed 004's "stable but slow" η = 0.001) or η within a hair of 2/λmax.

    Same argument shapes as ``gd_quadratic``; ``factor`` > 0 and ``rtol`` ≥ 0, else
    ``ValueError``. Returns one of the three strings above.

    Example (seed 001 §8.1) with A = diag(2, 6), x0 = (1, 1) and the defaults:
    η = 0.3 -> "converged", η = 0.4 -> "diverged", η = 0.001 -> "undecided".
    """
    raise NotImplementedError


def bisect_threshold(
    A: ArrayLike,
    x0: ArrayLike,
    lo: float,
    hi: float,
    n_steps: int = 100,
    tol: float = 1e-3,
    factor: float = 1e6,
) -> tuple[float, float]:
    """Return a bracket (lo, hi), hi − lo ≤ tol, around the empirical divergence threshold.

    The oracle is ``diverged(η) = classify_run(A, x0, η, n_steps, factor) ==
    "diverged"`` ("converged" and "undecided" both count as not diverged; rtol is left
    at its default). First check the inputs, raising ``ValueError`` unless tol > 0,
    lo < hi, ``diverged(lo)`` is False and ``diverged(hi)`` is True. Then bisect
    exactly like this (so everybody takes the same steps)::

        while hi - lo > tol:
            mid = 0.5 * (lo + hi)
            if mid <= lo or mid >= hi:   # floats cannot split the bracket any more
                break
            if diverged(mid):
                hi = mid
            else:
                lo = mid

    Return ``(lo, hi)`` as a tuple of two Python floats: lo never diverged, hi did.

    What to expect: on x² + 3y² from (0.3, 0.4) the bracket sits above 2/6 with
    n_steps = 100 (about 0.359: a 100-step run needs |1 − 6η|¹⁰⁰ > 10⁶ to notice
    anything) but contains 1/3 with n_steps = 10 000.
    """
    raise NotImplementedError


def hessian_vector_product(loss: Callable[[Any], Any], x: ArrayLike, v: ArrayLike) -> np.ndarray:
    """Return H(x) @ v computed with torch autograd, without ever forming H.

    Recipe ("double backward"): make the leaf
    ``xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)``, compute
    ``g = torch.autograd.grad(loss(xt), xt, create_graph=True)[0]`` (keep the graph so
    g can be differentiated again), then differentiate g·v with respect to xt, e.g.
    ``torch.autograd.grad(g, xt, grad_outputs=v_tensor)[0]``; since ∇ₓ(∇L(x)·v) = H v.

    Arguments
        loss: callable taking a float64 tensor of shape (d,) and returning a
            one-element tensor (the course landscapes' ``.loss`` work).
        x: the point, array-like of shape (d,) (a scalar is read as shape (1,)).
        v: the direction, same shape as x.

    Returns a float64 NumPy array of shape (d,) (detach and convert). If the gradient
    does not depend on x at all (a linear loss, H = 0), return zeros. Raise
    ``ValueError`` if v and x differ in shape.
    """
    raise NotImplementedError


def power_iteration_lambda_max(
    loss: Callable[[Any], Any],
    x: ArrayLike,
    rng: np.random.Generator,
    n_iters: int = 100,
) -> float:
    """Estimate the dominant eigenvalue of the Hessian of ``loss`` at ``x`` by power iteration.

    Use ``hessian_vector_product`` for every product H·v, in float64, exactly:

    1. ``g = rng.standard_normal(d)`` (d = size of x; the ONLY call to rng);
       v₀ = g / ‖g‖.
    2. For k = 0, …, n_iters − 1: wₖ = H vₖ; if ‖wₖ‖ == 0 return 0.0 (H vₖ = 0,
       so vₖ is in the null space); otherwise v_{k+1} = wₖ / ‖wₖ‖.
    3. Return the Rayleigh quotient vₙᵀ H vₙ (one more HVP) as a Python float.

    With n_iters = 0 this is just the Rayleigh quotient of v₀.

    Caution: power iteration finds the eigenvalue of largest MAGNITUDE. At a minimum
    that is λmax, but where a negative eigenvalue is larger in size than λmax (strong
    negative curvature) the estimate converges to that NEGATIVE value. Return it as
    is, sign included (then 2/λ is meaningless, see ``divergence_threshold``).
    Whatever happens, a Rayleigh quotient lies between λmin and λmax.
    ``n_iters`` must be an integer ≥ 0, else ``ValueError``.

    Example: for x² + 100y² (Hessian diag(2, 200)) the estimate is 200, so 2/λ = 0.01.
    """
    raise NotImplementedError


def mse_hessian(X: ArrayLike) -> np.ndarray:
    """Return the Hessian of the MSE loss of a linear model: H = (2/n) XᵀX.

    The loss is L(θ) = (1/n)‖y − Xθ‖² with gradient −(2/n)Xᵀ(y − Xθ) (seed 001 §4.5);
    differentiating once more gives (2/n)XᵀX, constant in θ and independent of y.

    ``X`` is an (n, d) array-like (n samples, d features). Returns a symmetric float64
    array of shape (d, d). Raise ``ValueError`` if X is not a non-empty 2-D matrix.
    Example: X = [[1], [2], [3]] gives [[(2/3)·14]] = [[9.333…]].
    """
    raise NotImplementedError


def lr_range_test(
    X: ArrayLike,
    y: ArrayLike,
    lr_start: float = 1e-7,
    lr_end: float = 10.0,
    n_steps: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """Run Leslie Smith's LR range test (seed 001 §8.3) on linear regression with MSE.

    Follow the seed's loop with the model fixed to a linear model and MSE:
    lr_factor = (lr_end / lr_start) ** (1 / n_steps); lr = lr_start; θ = zeros(d);
    then n_steps times, in this order:

        r = y − X @ θ;  loss = mean(r ** 2);  grad = −(2/n) · Xᵀ @ r
        record lr and loss                 # BEFORE the update
        θ = θ − lr · grad;  lr = lr · lr_factor

    Arguments: X of shape (n, d), y of shape (n,), lr_start > 0, lr_end > 0 and an
    integer n_steps ≥ 1 (else ``ValueError``).

    Returns ``(lrs, losses)``: two float64 arrays of shape (n_steps,). lrs[0] is
    lr_start and the last recorded lr is lr_end / lr_factor (lr_end itself is never
    used). Never raise when the loss blows up: overflow to inf/NaN is expected at the
    end (use ``np.errstate(over="ignore", invalid="ignore")``).
    """
    raise NotImplementedError


def range_test_cliff(lrs: ArrayLike, losses: ArrayLike, factor: float = 4.0) -> float | None:
    """Return the lr of the "cliff" in an LR range test, or None if there is none.

    The cliff is at the SMALLEST index k such that

        losses[k] is NaN or ±inf,   or   k ≥ 1 and losses[k] > factor · min(losses[:k])

    (the best loss strictly before k); return ``float(lrs[k])``. If no index qualifies
    return ``None``. factor = 4 is the stop rule of fastai's ``lr_find``.

    Arguments: ``lrs`` and ``losses`` are 1-D array-likes of the same length (e.g. the
    output of ``lr_range_test``); factor ≥ 1, else ``ValueError`` (also for mismatched
    shapes).

    Example: lrs [0.1, 0.2, 0.4, 0.8, 1.6] with losses [5, 2, 1, 3, 9] -> 1.6
    (3 ≤ 4·1 but 9 > 4·1).
    """
    raise NotImplementedError
