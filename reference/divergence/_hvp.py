"""λmax without forming the Hessian: Hessian-vector products by double backward, power iteration.

Seed 002 "Predicting failure via curvature" and Exercise 9 (an *estimate* of the largest
curvature gives the safe step 2/λmax); seed 001 §8.1 (η_max = 2/L). torch is imported
inside the functions, never at module import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["hessian_vector_product", "power_iteration_lambda_max"]


def _as_point(x: ArrayLike) -> np.ndarray:
    p = np.atleast_1d(np.array(x, dtype=float))
    if p.ndim != 1 or p.shape[0] == 0:
        raise ValueError(f"x must be a point of shape (d,), got shape {p.shape}")
    return p


def _hvp(loss: Callable[[Any], Any], x: np.ndarray, v: np.ndarray) -> np.ndarray:
    import torch

    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    vt = torch.tensor(v, dtype=torch.float64)
    value = loss(xt)
    (g,) = torch.autograd.grad(value, xt, create_graph=True)
    if not g.requires_grad:  # the gradient does not depend on x: H = 0
        return np.zeros_like(x)
    (hv,) = torch.autograd.grad(g, xt, grad_outputs=vt, allow_unused=True)
    if hv is None:
        return np.zeros_like(x)
    return hv.detach().numpy().astype(float, copy=True)


def hessian_vector_product(loss: Callable[[Any], Any], x: ArrayLike, v: ArrayLike) -> np.ndarray:
    """H(x)·v = ∇ₓ(∇L(x)·v), by two reverse passes of torch autograd (no Hessian formed).

    Builds the leaf ``xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)``,
    computes ``g = torch.autograd.grad(loss(xt), xt, create_graph=True)[0]`` and then
    the gradient of g·v with respect to ``xt`` (``grad_outputs=v``). Costs about two
    gradient evaluations and O(d) memory instead of the d² entries of H.

    ``loss`` maps a float64 tensor of shape (d,) to a one-element tensor (the course
    landscapes' ``.loss`` do). ``x`` and ``v`` are array-likes of shape (d,) (a scalar
    is read as shape (1,)). Returns a float64 NumPy array of shape (d,). If the
    gradient does not depend on x (a linear loss), H = 0 and zeros are returned.

    >>> from autograder.landscapes import QuadraticForm
    >>> q = QuadraticForm(A=((2.0, 1.0), (1.0, 3.0)))
    >>> hessian_vector_product(q.loss, [0.5, -1.0], [1.0, 0.0]).tolist()
    [2.0, 1.0]
    """
    p = _as_point(x)
    w = np.atleast_1d(np.array(v, dtype=float))
    if w.shape != p.shape:
        raise ValueError(f"v must have the shape of x, {p.shape}, got {w.shape}")
    return _hvp(loss, p, w)


def power_iteration_lambda_max(
    loss: Callable[[Any], Any],
    x: ArrayLike,
    rng: np.random.Generator,
    n_iters: int = 100,
) -> float:
    """Dominant Hessian eigenvalue at x by power iteration on Hessian-vector products.

    Seed 002 Exercise 9 needs "an estimate of the largest curvature"; this obtains it
    with HVPs only. Exactly (d = size of x, H = H(x), products by
    ``hessian_vector_product``):

    1. ``g = rng.standard_normal(d)`` (the only rng call); v₀ = g/‖g‖;
    2. for k = 0, …, n_iters − 1: wₖ = H vₖ; if ‖wₖ‖ = 0 return 0.0 (vₖ is in the
       null space); v_{k+1} = wₖ/‖wₖ‖;
    3. return the Rayleigh quotient λ̂ = vₙᵀ H vₙ (one more HVP) as a Python float.

    All in float64. Power iteration converges to the eigenvalue of largest
    *magnitude* |λ|, with error ∝ (|λ₂|/|λ₁|)^{2n} for symmetric H. So λ̂ is λmax when
    λmax ≥ |λmin| (e.g. at a minimum), but where negative curvature dominates
    (|λmin| > λmax) it returns that negative eigenvalue: a negative λ̂ means "no
    finite 2/λ threshold here" (compare ``divergence_threshold``). λ̂ is returned
    as is, sign included. In any case λmin ≤ λ̂ ≤ λmax (a Rayleigh quotient).

    >>> import numpy as np
    >>> from autograder.landscapes import QuadraticForm
    >>> bowl = QuadraticForm.diagonal([2.0, 200.0])     # x² + 100 y²
    >>> lam = power_iteration_lambda_max(bowl.loss, [1.0, 1.0], np.random.default_rng(0))
    >>> round(lam, 9), round(2 / lam, 9)
    (200.0, 0.01)
    """
    p = _as_point(x)
    n = int(n_iters)
    if n != n_iters or n < 0:
        raise ValueError(f"n_iters must be a non-negative integer, got {n_iters!r}")
    g = np.asarray(rng.standard_normal(p.shape[0]), dtype=float)
    v = g / np.linalg.norm(g)
    for _ in range(n):
        w = _hvp(loss, p, v)
        norm = float(np.linalg.norm(w))
        if norm == 0.0:
            return 0.0
        v = w / norm
    return float(v @ _hvp(loss, p, v))
