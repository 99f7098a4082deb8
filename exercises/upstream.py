"""Exercise `upstream`: designing an objective via upstream gradients.

Where this comes from
---------------------
Seed 000 (Workshop 2, "Designing an Objective via Upstream Gradients") and the autograd
pitfalls of seed 004 §7. Take X ∈ R^{n×d} (the workshop uses n = 5, d = 3) and

    Y = tanh(X Xᵀ),      Y_ij = tanh(x_i · x_j),

a symmetric n×n matrix of pairwise interactions between the rows x_i of X. Y is not a
scalar, so ``Y.backward()`` alone is an error: torch asks for an *upstream gradient*
V (same shape as Y) and computes the vector–Jacobian product ``Vᵀ ∂Y/∂X``.

The key idea: choosing V *is* choosing an objective
--------------------------------------------------
``Y.backward(V)`` computes exactly the gradient of the scalar

    J(X) = Σ_ij V_ij · Y_ij = ⟨V, Y⟩          (the "weighted trace-like functional")

because ∂J/∂Y = V. With A = X Xᵀ and tanh'(a) = 1 − tanh²(a), the chain rule gives

    G = V ⊙ (1 − Y²)                    (elementwise product)
    ∇J(X) = (G + Gᵀ) X                  (= 2 G X when V is symmetric)

since dA = dX Xᵀ + X dXᵀ. Row by row, ∇_{x_i} J = Σ_j (G_ij + G_ji) x_j: a positive weight
V_ii pushes x_i along itself (its norm grows: more self-similarity) and a negative weight
V_ij pushes x_i away from x_j (less cross-similarity). tanh saturates, so rows whose
squared norm is already large barely move (1 − Y_ii² ≈ 0).

The convention of this exercise
-------------------------------
* V = a·I − b·(11ᵀ − I): diagonal entries +a (``diag_weight``), off-diagonal entries −b
  (``off_weight``). Positive on the diagonal = emphasised, negative off it = penalised.
* We MAXIMISE J, so "following the gradient" means gradient ASCENT: X ← X + η ∇J(X).
  (A torch optimiser does descent: it would minimise −J, i.e. ``Y.backward(-V)``, or use
  ``torch.optim.SGD(..., maximize=True)``.)
* Self-similarity is the mean of the diagonal of Y, cross-similarity the mean of its
  off-diagonal entries.
* Everything torch-based uses float64 and builds its OWN leaf tensor from the NumPy input;
  functions take NumPy array-likes and return NumPy arrays (no tensors cross the boundary).

What you will observe
---------------------
``upstream_grad_torch`` and ``analytic_grad`` agree to ~1e-15; the gradient is linear in V.
With random 5×3 X and the default V, one small ascent step always raises J, lowers the
mean cross-similarity and usually raises the self-similarity (not always: the diagonal has
5 entries against 20 off-diagonal ones, and tanh is saturated on the diagonal).

The pitfalls (seed 004 §7) are part of the exercise: torch ADDS into ``.grad`` (Pitfall A:
2.0, then 3.0, then 1.0 after clearing), ``w = w - eta * w.grad`` replaces the tracked leaf
(Pitfall B: step 2 grad None), and a second ``backward`` through the same graph raises
``RuntimeError`` unless the first used ``retain_graph=True`` (Pitfall C).

Import torch inside the functions that need it (or at the top of the module).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "accumulated_upstream_grad",
    "analytic_grad",
    "ascent_effect",
    "ascent_step",
    "backward_twice",
    "design_v",
    "implicit_objective",
    "pitfall_accumulation",
    "pitfall_replaced_leaf",
    "similarity_stats",
    "tanh_gram",
    "upstream_grad_torch",
]


def design_v(n: int, diag_weight: float = 1.0, off_weight: float = 1.0) -> np.ndarray:
    """Build the upstream matrix V = a·I − b·(11ᵀ − I).

    Args:
        n: size of Y (number of rows of X), an integer ≥ 1.
        diag_weight: a, the value placed on every diagonal entry (emphasis).
        off_weight: b, so that every off-diagonal entry is −b (penalty).

    Returns:
        float64 array of shape (n, n): V_ii = a, V_ij = −b for i ≠ j (symmetric).
        Weights are used as given (a negative weight simply flips that block's role).

    Raises:
        ValueError: if n is not an integer ≥ 1.

    Example: ``design_v(3, 2.0, 0.5)`` → [[2, −.5, −.5], [−.5, 2, −.5], [−.5, −.5, 2]].
    """
    raise NotImplementedError


def tanh_gram(X: Any) -> np.ndarray:
    """Return Y = tanh(X Xᵀ), the matrix of pairwise interactions tanh(x_i · x_j).

    Args:
        X: array-like of shape (n, d) (rows are the items x_i).

    Returns:
        float64 array of shape (n, n), symmetric, entries in (−1, 1). X is not modified.

    Raises:
        ValueError: if X is not 2-D.
    """
    raise NotImplementedError


def implicit_objective(X: Any, V: Any) -> float:
    """Return J(X) = Σ_ij V_ij · Y_ij with Y = tanh(X Xᵀ).

    This is the scalar whose gradient ``Y.backward(V)`` computes.

    Args:
        X: array-like of shape (n, d).
        V: array-like of shape (n, n) (any matrix, not necessarily symmetric).

    Returns:
        J as a Python float.

    Raises:
        ValueError: if X is not 2-D or V does not have shape (n, n).
    """
    raise NotImplementedError


def analytic_grad(X: Any, V: Any) -> np.ndarray:
    """Return ∇J(X) = (G + Gᵀ) X with G = V ⊙ (1 − Y²), Y = tanh(X Xᵀ), using NumPy only.

    Use the general formula (G + Gᵀ)X: V may be non-symmetric, and then 2GX is wrong.

    Args:
        X: array-like of shape (n, d).
        V: array-like of shape (n, n).

    Returns:
        float64 array of shape (n, d), same shape as X.

    Raises:
        ValueError: if X is not 2-D or V does not have shape (n, n).
    """
    raise NotImplementedError


def upstream_grad_torch(X: Any, V: Any) -> np.ndarray:
    """Return X.grad after ``Y.backward(V)``, computed by torch autograd in float64.

    Build your own leaf ``torch.tensor(X, dtype=torch.float64, requires_grad=True)``
    (never modify the caller's data), compute Y = tanh(X @ X.T) ONCE, call
    ``Y.backward(V)`` ONCE with V as a float64 tensor, and return ``X.grad`` converted to
    NumPy.

    Args:
        X: array-like of shape (n, d) (a NumPy array, not a tensor).
        V: array-like of shape (n, n).

    Returns:
        float64 NumPy array of shape (n, d); equals :func:`analytic_grad` up to rounding.

    Raises:
        ValueError: if X is not 2-D or V does not have shape (n, n).
    """
    raise NotImplementedError


def ascent_step(X: Any, V: Any, eta: float) -> np.ndarray:
    """Take one gradient-ASCENT step on J: X⁺ = X + η ∇J(X) = X + η (G + Gᵀ) X.

    Plus sign: J is an objective we want to make LARGE (reward the diagonal).

    Args:
        X: array-like of shape (n, d).
        V: array-like of shape (n, n).
        eta: step size η (any float; η = 0 returns a copy of X).

    Returns:
        new float64 array of shape (n, d); X itself is not modified.
    """
    raise NotImplementedError


def similarity_stats(X: Any) -> dict[str, float]:
    """Return the self- and cross-similarity of the rows of X, measured on Y = tanh(X Xᵀ).

    Args:
        X: array-like of shape (n, d) with n ≥ 2.

    Returns:
        ``{"self": mean_i Y_ii, "cross": mean over the n(n−1) entries Y_ij, i ≠ j}``,
        both Python floats.

    Raises:
        ValueError: if X is not 2-D or n < 2 (no off-diagonal entries).
    """
    raise NotImplementedError


def ascent_effect(X: Any, V: Any, eta: float) -> dict[str, float]:
    """Measure what one ascent step does: J, self- and cross-similarity before and after.

    "After" means at X⁺ = :func:`ascent_step` (X, V, eta).

    Args:
        X: array-like of shape (n, d) with n ≥ 2.
        V: array-like of shape (n, n).
        eta: step size η.

    Returns:
        dict of Python floats with exactly the keys ``"J_before"``, ``"J_after"``,
        ``"self_before"``, ``"self_after"``, ``"cross_before"``, ``"cross_after"``
        (J from :func:`implicit_objective`, similarities from :func:`similarity_stats`).
    """
    raise NotImplementedError


def accumulated_upstream_grad(X: Any, V: Any, n_backward: int = 2) -> np.ndarray:
    """Demonstrate Pitfall A on the workshop problem: gradients accumulate in X.grad.

    Build ONE float64 leaf from X, then ``n_backward`` times: recompute
    Y = tanh(X @ X.T) (a fresh graph each time) and call ``Y.backward(V)`` — WITHOUT
    clearing ``X.grad`` in between.

    Args:
        X: array-like of shape (n, d).
        V: array-like of shape (n, n).
        n_backward: number of forward+backward passes, integer ≥ 0.

    Returns:
        X.grad as a float64 array of shape (n, d); it equals n_backward · ∇J(X).
        For n_backward = 0 (X.grad still None) return zeros of shape (n, d).

    Raises:
        ValueError: if n_backward is negative or not an integer.
    """
    raise NotImplementedError


def backward_twice(X: Any, V: Any, retain_graph: bool = False) -> dict[str, Any]:
    """Demonstrate Pitfall C: two ``backward`` calls through ONE forward pass.

    Build a float64 leaf, compute Y = tanh(X @ X.T) once, call
    ``Y.backward(V, retain_graph=retain_graph)`` and then ``Y.backward(V)``. Catch the
    ``RuntimeError`` the second call raises when the graph was not retained.

    Args:
        X: array-like of shape (n, d).
        V: array-like of shape (n, n).
        retain_graph: passed to the FIRST backward call only.

    Returns:
        ``{"raised": bool, "grad": float64 array (n, d)}``: whether the second call raised
        RuntimeError, and X.grad afterwards — ∇J(X) if it raised, 2·∇J(X) if it succeeded.
    """
    raise NotImplementedError


def pitfall_accumulation(w0: float = 2.0) -> dict[str, float]:
    """Reproduce seed 004 §7, Pitfall A, with a float64 scalar leaf w = w0.

    Steps: backward of ½w² (read w.grad), then backward of ½(w − 1)² WITHOUT clearing
    (read w.grad), then ``w.grad = None`` and backward of ½(w − 1)² again (read w.grad).

    Args:
        w0: starting value of the leaf (the seed uses 2.0).

    Returns:
        ``{"after_first": w0, "after_second": 2·w0 − 1, "after_clearing": w0 − 1}`` as
        Python floats (seed: 2.0, 3.0, 1.0).
    """
    raise NotImplementedError


def pitfall_replaced_leaf(w0: float = 2.0, eta: float = 0.1) -> dict[str, float | None]:
    """Reproduce seed 004 §7, Pitfall B: the tracked update ``w = w - eta * w.grad``.

    With a float64 leaf w = w0 and L = ½w²: step 1 clears w.grad, backward, reads w.grad;
    then the WRONG update ``w = w - eta * w.grad`` (a new, non-leaf tensor); step 2 sets
    ``w.grad = None``, recomputes L = ½w², calls backward and reads ``w.grad`` again. Also
    read the ``.grad`` of the ORIGINAL leaf at the end (it was never cleared).

    Args:
        w0: starting value (seed: 2.0).
        eta: step size η (seed: 0.1).

    Returns:
        ``{"step1_grad": w0, "step2_grad": None, "original_leaf_grad": w0 + (1 − η)·w0}``
        (seed: 2.0, None, 3.8); the floats are Python floats. Silence torch's warning
        about reading ``.grad`` of a non-leaf tensor.
    """
    raise NotImplementedError
