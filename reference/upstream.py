"""Designing an objective via upstream gradients (reference, float64).

Seed 000 ("Designing an Objective via Upstream Gradients"): for X ∈ R^{n×d} and the
non-scalar output Y = tanh(XXᵀ) ∈ R^{n×n}, calling ``Y.backward(V)`` with an upstream
matrix V computes the gradient of the *implicit* scalar objective

    J(X) = Σ_ij V_ij · Y_ij = ⟨V, Y⟩,

namely ∇J(X) = (G + Gᵀ) X with G = V ⊙ (1 − Y²). Choosing V is choosing the objective.
Seed 004 §7 supplies the autograd pitfalls (accumulation, a replaced leaf, and calling
``backward`` twice on the same graph).

Conventions settled here (see docs/exercises/upstream.md):

* V = a·I − b·(11ᵀ − I): diagonal entries +a ("emphasised"), off-diagonal entries −b
  ("penalised"); a = ``diag_weight``, b = ``off_weight``.
* J is *maximised*: one step is gradient **ascent** X ← X + η ∇J(X).
* Self-similarity = mean of the diagonal of Y, cross-similarity = mean of its off-diagonal
  entries (both measured on Y, the quantity J weights).
* Torch computations use float64 and a fresh leaf tensor built from the NumPy input.
"""

from __future__ import annotations

import warnings
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


def _as_x(X: Any) -> np.ndarray:
    x = np.array(X, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"X must be a 2-D array of shape (n, d), got shape {x.shape}")
    return x


def _as_v(V: Any, n: int) -> np.ndarray:
    v = np.array(V, dtype=float)
    if v.shape != (n, n):
        raise ValueError(f"V must have shape ({n}, {n}), got {v.shape}")
    return v


def design_v(n: int, diag_weight: float = 1.0, off_weight: float = 1.0) -> np.ndarray:
    """Upstream matrix V = a·I − b·(11ᵀ − I) that rewards the diagonal, penalises the rest.

    Seed 000, Task 1: V_ii = a = ``diag_weight`` (emphasised), V_ij = −b = −``off_weight``
    for i ≠ j (penalised). With a, b ≥ 0 the implicit objective J = ⟨V, Y⟩ rewards
    self-similarity Y_ii and punishes cross-similarity Y_ij. The weights are taken as
    given (a negative weight flips the role of that block). Raises ``ValueError`` if n < 1.

    Returns a symmetric float64 array of shape (n, n).

    >>> design_v(3, diag_weight=2.0, off_weight=0.5).tolist()
    [[2.0, -0.5, -0.5], [-0.5, 2.0, -0.5], [-0.5, -0.5, 2.0]]
    """
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    n = int(n)
    eye = np.eye(n)
    return float(diag_weight) * eye - float(off_weight) * (np.ones((n, n)) - eye)


def tanh_gram(X: Any) -> np.ndarray:
    """Pairwise-interaction matrix Y = tanh(XXᵀ), Y_ij = tanh(x_i · x_j) (seed 000).

    X has shape (n, d) (rows x_i are the "items"); Y has shape (n, n), is symmetric and
    its entries lie in (−1, 1). ``ValueError`` if X is not 2-D.

    >>> tanh_gram([[1.0, 0.0], [0.0, 2.0]]).round(6).tolist()
    [[0.761594, 0.0], [0.0, 0.999329]]
    """
    x = _as_x(X)
    return np.tanh(x @ x.T)


def implicit_objective(X: Any, V: Any) -> float:
    """The scalar objective that ``Y.backward(V)`` differentiates: J(X) = Σ_ij V_ij Y_ij.

    Seed 000, "What implicit scalar objective are you optimising?": the hint's "weighted
    trace-like functional" J = ⟨V, tanh(XXᵀ)⟩ (for V = I it is trace(Y)). V must have
    shape (n, n) for X of shape (n, d).

    >>> X = [[1.0, 0.0], [0.0, 1.0]]
    >>> round(implicit_objective(X, design_v(2)), 6)   # 2·tanh(1) − 2·tanh(0)
    1.523188
    """
    x = _as_x(X)
    v = _as_v(V, x.shape[0])
    return float(np.sum(v * np.tanh(x @ x.T)))


def analytic_grad(X: Any, V: Any) -> np.ndarray:
    """∇J(X) = (G + Gᵀ) X with G = V ⊙ (1 − Y²), Y = tanh(XXᵀ) (seed 000, model answer).

    Chain rule: ∂J/∂A = V ⊙ tanh'(A) = G for A = XXᵀ, and dA = dX Xᵀ + X dXᵀ gives
    ⟨G, dA⟩ = ⟨(G + Gᵀ)X, dX⟩. For symmetric V, G is symmetric and ∇J = 2GX.
    Row i: ∇_{x_i} J = Σ_j (G_ij + G_ji) x_j. NumPy only; returns shape (n, d).

    >>> analytic_grad([[1.0, 0.0], [0.0, 0.0]], design_v(2)).round(6).tolist()
    [[0.839949, 0.0], [-2.0, 0.0]]
    """
    x = _as_x(X)
    v = _as_v(V, x.shape[0])
    y = np.tanh(x @ x.T)
    g = v * (1.0 - y**2)
    return (g + g.T) @ x


def upstream_grad_torch(X: Any, V: Any) -> np.ndarray:
    """X.grad after ``Y.backward(V)`` with Y = tanh(X @ X.T), computed by torch in float64.

    Seed 000, Tasks 2-3. Builds its own leaf ``torch.tensor(X, dtype=float64,
    requires_grad=True)`` (the caller's array is never touched), runs the forward pass once,
    calls ``Y.backward(V)`` once and returns ``X.grad`` as a float64 NumPy array of shape
    (n, d). It equals ∇J(X) = (G + Gᵀ)X (:func:`analytic_grad`).

    >>> upstream_grad_torch([[1.0, 0.0], [0.0, 0.0]], design_v(2)).round(6).tolist()
    [[0.839949, 0.0], [-2.0, 0.0]]
    """
    import torch

    x = _as_x(X)
    v = _as_v(V, x.shape[0])
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = torch.tanh(xt @ xt.T)
    y.backward(torch.tensor(v, dtype=torch.float64))
    return xt.grad.detach().numpy().copy()


def ascent_step(X: Any, V: Any, eta: float) -> np.ndarray:
    """One gradient-ascent step on J: X⁺ = X + η ∇J(X) = X + η (G + Gᵀ) X.

    Seed 000: "If I were to optimise this system, what direction would the parameters
    move?" J rewards the diagonal, so we *maximise* it (ascent). Minimising −J by gradient
    descent gives the same step. NumPy only (uses :func:`analytic_grad`); returns a new
    (n, d) array, X is not modified.

    >>> ascent_step([[1.0, 0.0], [0.0, 0.0]], design_v(2), 0.5).round(6).tolist()
    [[1.419974, 0.0], [-1.0, 0.0]]
    """
    x = _as_x(X)
    return x + float(eta) * analytic_grad(x, V)


def similarity_stats(X: Any) -> dict[str, float]:
    """Self- and cross-similarity of the rows of X, measured on Y = tanh(XXᵀ) (seed 000).

    Returns ``{"self": mean_i Y_ii, "cross": mean_{i≠j} Y_ij}`` (the cross mean is over the
    n(n−1) off-diagonal entries). Requires n ≥ 2 (``ValueError`` otherwise).

    >>> similarity_stats([[1.0, 0.0], [0.0, 1.0]])["cross"]
    0.0
    """
    y = tanh_gram(X)
    n = y.shape[0]
    if n < 2:
        raise ValueError("similarity_stats needs at least two rows (n >= 2)")
    diag_sum = float(np.trace(y))
    return {"self": diag_sum / n, "cross": (float(np.sum(y)) - diag_sum) / (n * (n - 1))}


def ascent_effect(X: Any, V: Any, eta: float) -> dict[str, float]:
    """J, self- and cross-similarity before and after one ascent step X + η∇J (seed 000).

    Returns a dict with float values under the keys ``"J_before"``, ``"J_after"``,
    ``"self_before"``, ``"self_after"``, ``"cross_before"``, ``"cross_after"`` (J from
    :func:`implicit_objective`, the similarities from :func:`similarity_stats`, "after"
    evaluated at :func:`ascent_step`). For small η > 0 and ∇J ≠ 0, J_after > J_before.

    >>> e = ascent_effect([[1.0, 0.2], [0.3, 1.0]], design_v(2), 0.05)
    >>> e["self_after"] > e["self_before"], e["cross_after"] < e["cross_before"]
    (True, True)
    """
    x = _as_x(X)
    x_new = ascent_step(x, V, eta)
    before, after = similarity_stats(x), similarity_stats(x_new)
    return {
        "J_before": implicit_objective(x, V),
        "J_after": implicit_objective(x_new, V),
        "self_before": before["self"],
        "self_after": after["self"],
        "cross_before": before["cross"],
        "cross_after": after["cross"],
    }


def accumulated_upstream_grad(X: Any, V: Any, n_backward: int = 2) -> np.ndarray:
    """X.grad after ``n_backward`` forward+backward passes *without clearing* (seed 004 §7 A).

    Each pass rebuilds Y = tanh(X @ X.T) from the same float64 leaf (a fresh graph, so no
    ``retain_graph`` is needed) and calls ``Y.backward(V)``; torch adds into ``X.grad``, so
    the result is n_backward · ∇J(X). ``n_backward = 0`` returns zeros; ``ValueError`` if
    negative. Returns a float64 array of shape (n, d).

    >>> X, V = [[1.0, 0.0], [0.0, 0.0]], design_v(2)
    >>> bool(np.allclose(accumulated_upstream_grad(X, V, 3), 3 * analytic_grad(X, V)))
    True
    """
    import torch

    if int(n_backward) != n_backward or n_backward < 0:
        raise ValueError(f"n_backward must be a non-negative integer, got {n_backward!r}")
    x = _as_x(X)
    v = torch.tensor(_as_v(V, x.shape[0]), dtype=torch.float64)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    for _ in range(int(n_backward)):
        torch.tanh(xt @ xt.T).backward(v)
    if xt.grad is None:
        return np.zeros_like(x)
    return xt.grad.detach().numpy().copy()


def backward_twice(X: Any, V: Any, retain_graph: bool = False) -> dict[str, Any]:
    """Call ``Y.backward(V)`` twice on ONE forward pass (seed 004 §7, Pitfall C).

    The first call is ``Y.backward(V, retain_graph=retain_graph)``; the second is
    ``Y.backward(V)``. Without ``retain_graph`` the saved tensors were freed by the first
    call and the second raises ``RuntimeError`` (caught here). Returns
    ``{"raised": bool, "grad": ndarray (n, d)}`` where ``grad`` is X.grad afterwards:
    ∇J(X) if the second call raised, 2·∇J(X) if it succeeded (accumulation).

    >>> out = backward_twice([[1.0, 0.0], [0.0, 0.0]], design_v(2))
    >>> out["raised"], out["grad"].round(6).tolist()
    (True, [[0.839949, 0.0], [-2.0, 0.0]])
    """
    import torch

    x = _as_x(X)
    v = torch.tensor(_as_v(V, x.shape[0]), dtype=torch.float64)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = torch.tanh(xt @ xt.T)
    y.backward(v, retain_graph=bool(retain_graph))
    raised = False
    try:
        y.backward(v)
    except RuntimeError:
        raised = True
    return {"raised": raised, "grad": xt.grad.detach().numpy().copy()}


def pitfall_accumulation(w0: float = 2.0) -> dict[str, float]:
    """Seed 004 §7, Pitfall A: gradients accumulate in ``w.grad`` unless cleared.

    With a float64 leaf w = w0: backward of ½w² gives w.grad = w0; backward of ½(w − 1)²
    without clearing adds (w0 − 1), so w.grad = 2w0 − 1; after ``w.grad = None`` the same
    backward gives w0 − 1. Returns ``{"after_first", "after_second", "after_clearing"}``
    as Python floats (seed, w0 = 2: 2.0, 3.0, 1.0).

    >>> pitfall_accumulation()
    {'after_first': 2.0, 'after_second': 3.0, 'after_clearing': 1.0}
    """
    import torch

    w = torch.tensor(float(w0), dtype=torch.float64, requires_grad=True)
    (0.5 * w**2).backward()
    first = w.grad.item()
    (0.5 * (w - 1.0) ** 2).backward()
    second = w.grad.item()
    w.grad = None
    (0.5 * (w - 1.0) ** 2).backward()
    return {"after_first": first, "after_second": second, "after_clearing": w.grad.item()}


def pitfall_replaced_leaf(w0: float = 2.0, eta: float = 0.1) -> dict[str, float | None]:
    """Seed 004 §7, Pitfall B: ``w = w - eta * w.grad`` replaces the tracked leaf.

    Step 1 on L = ½w² (float64 leaf w = w0) gives w.grad = w0. The tracked update makes
    w a non-leaf (w0 − η·w0); step 2's backward then leaves ``w.grad`` as None and sends
    dL/dw0 = w0 − η·w0 to the *original* leaf, on top of its uncleared w0. Returns
    ``{"step1_grad": w0, "step2_grad": None, "original_leaf_grad": w0 + (1 − η)·w0}``.

    >>> pitfall_replaced_leaf()
    {'step1_grad': 2.0, 'step2_grad': None, 'original_leaf_grad': 3.8}
    """
    import torch

    leaf = torch.tensor(float(w0), dtype=torch.float64, requires_grad=True)
    w = leaf
    w.grad = None
    (0.5 * w**2).backward()
    step1 = w.grad.item()
    w = w - float(eta) * w.grad
    w.grad = None
    (0.5 * w**2).backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # non-leaf .grad access warning
        g2 = w.grad
    step2 = None if g2 is None else g2.item()
    return {"step1_grad": step1, "step2_grad": step2, "original_leaf_grad": leaf.grad.item()}
