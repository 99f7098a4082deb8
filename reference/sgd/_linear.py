"""MSE of a linear model, its gradients, and full-batch GD (seed 001 §3.2, §4.5, §5.1)."""

from __future__ import annotations

import numpy as np

__all__ = ["mse_grad", "mse_loss", "per_sample_grads", "train_linear_gd"]


def _as_data(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """Float64 copies of (X, y) with X of shape (n, d), n ≥ 1, and y of shape (n,)."""
    XX = np.array(X, dtype=float)
    yy = np.array(y, dtype=float)
    if XX.ndim != 2 or XX.shape[0] < 1:
        raise ValueError(f"X must have shape (n, d) with n >= 1, got {XX.shape}")
    if yy.shape != (XX.shape[0],):
        raise ValueError(f"y must have shape ({XX.shape[0]},), got {yy.shape}")
    return XX, yy


def _as_weights(w: object, d: int) -> np.ndarray:
    ww = np.array(w, dtype=float)
    if ww.shape != (d,):
        raise ValueError(f"w must have shape ({d},), got {ww.shape}")
    return ww


def mse_loss(X: object, y: object, w: object) -> float:
    """Mean squared error of the linear model ŷ = Xw (seed 001 §3.2, §4.5).

    L(w) = (1/n)·‖y − Xw‖² = (1/n)·Σᵢ rᵢ²,  r = y − Xw.

    ``X`` has shape (n, d), ``y`` shape (n,), ``w`` shape (d,); there is no bias
    term (append a column of ones to ``X`` for an intercept). Returns a Python
    float; overflow gives ``inf`` without a warning.

    >>> mse_loss([[1.0, 0.0], [0.0, 1.0]], [1.0, 2.0], [0.0, 0.0])
    2.5
    """
    XX, yy = _as_data(X, y)
    ww = _as_weights(w, XX.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):
        r = yy - XX @ ww
        return float(np.mean(r**2))


def mse_grad(X: object, y: object, w: object) -> np.ndarray:
    """Gradient of the MSE, ∇L(w) = −(2/n)·Xᵀr with r = y − Xw (seed 001 §3.2, §4.5).

    Shapes: X (n, d), y (n,), w (d,) → gradient (d,), float64 — the same
    shape as ``w`` (the seed's "shape check").

    >>> mse_grad([[1.0, 0.0], [0.0, 1.0]], [1.0, 2.0], [0.0, 0.0]).tolist()
    [-1.0, -2.0]
    """
    XX, yy = _as_data(X, y)
    ww = _as_weights(w, XX.shape[1])
    n = XX.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        r = yy - XX @ ww
        return -2.0 / n * (XX.T @ r)


def per_sample_grads(X: object, y: object, w: object) -> np.ndarray:
    """Per-sample gradients gᵢ = ∇ℓᵢ(w) = −2·rᵢ·xᵢ of ℓᵢ = (yᵢ − xᵢᵀw)² (seed 001 §5.1).

    Returns an (n, d) float64 array whose row i is gᵢ. Their mean over the rows
    is the full gradient: (1/n)·Σᵢ gᵢ = ∇L(w) (unbiasedness of a uniformly
    drawn sample, seed 001 §5.1).

    >>> per_sample_grads([[1.0, 0.0], [0.0, 1.0]], [1.0, 2.0], [0.0, 0.0]).tolist()
    [[-2.0, -0.0], [-0.0, -4.0]]
    """
    XX, yy = _as_data(X, y)
    ww = _as_weights(w, XX.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):
        r = yy - XX @ ww
        return -2.0 * r[:, None] * XX


def train_linear_gd(
    X: object, y: object, lr: float = 0.01, n_steps: int = 1000
) -> tuple[np.ndarray, np.ndarray]:
    """Full-batch GD for linear regression, exactly the seed's loop (seed 001 §4.5).

    w₀ = 0 and, for t = 0, …, n_steps − 1::

        r = y − X w_t ;  g = −(2/n) Xᵀ r ;  w_{t+1} = w_t − η g ;  losses[t] = mean(r²)

    so ``losses[t]`` is the MSE of w_t, the iterate BEFORE update t (the loss of
    the returned final weights is not in the list). Returns ``(w, losses)``:
    w of shape (d,) after ``n_steps`` updates and losses of shape (n_steps,),
    both float64. ``n_steps = 0`` gives (zeros(d), empty array). A divergent
    run is not stopped: values overflow to inf/nan silently.

    >>> w, losses = train_linear_gd([[1.0], [1.0]], [2.0, 2.0], lr=0.25, n_steps=2)
    >>> w.tolist(), losses.tolist()
    ([1.5], [4.0, 1.0])
    """
    XX, yy = _as_data(X, y)
    n, d = XX.shape
    w = np.zeros(d)
    losses = np.empty(int(n_steps))
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(int(n_steps)):
            r = yy - XX @ w
            grad = -2 / n * XX.T @ r  # the seed's expression, evaluated left to right
            w = w - lr * grad
            losses[t] = np.mean(r**2)
    return w, losses
