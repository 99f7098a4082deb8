"""Leslie Smith's LR range test on a linear model with MSE, and its "cliff" (seed 001 §8.3).

Pure NumPy, float64. The model and its gradient are fixed (no callables):
L(θ) = (1/n)‖y − Xθ‖², ∇L(θ) = −(2/n)Xᵀr with r = y − Xθ (seed 001 §4.5), whose
Hessian is the constant (2/n)XᵀX.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["lr_range_test", "mse_hessian", "range_test_cliff"]


def _as_data(X: ArrayLike) -> np.ndarray:
    x = np.asarray(X, dtype=float)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"X must be a non-empty (n, d) matrix, got shape {x.shape}")
    return x


def mse_hessian(X: ArrayLike) -> np.ndarray:
    """Hessian of the MSE loss (1/n)‖y − Xθ‖² of a linear model: H = (2/n)XᵀX.

    Seed 001 §4.5 (∇L = −(2/n)Xᵀr, differentiate once more) and §8.3 ("compare to the
    theoretical 2/λmax from the Hessian"). H does not depend on θ or y. ``X`` has shape
    (n, d); returns a symmetric float64 array of shape (d, d).

    >>> mse_hessian([[1.0], [2.0], [3.0]]).tolist()      # (2/3)(1 + 4 + 9)
    [[9.333333333333332]]
    """
    x = _as_data(X)
    return (2.0 / x.shape[0]) * (x.T @ x)


def lr_range_test(
    X: ArrayLike,
    y: ArrayLike,
    lr_start: float = 1e-7,
    lr_end: float = 10.0,
    n_steps: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """LR range test: GD on MSE with η growing geometrically from lr_start towards lr_end.

    Seed 001 §8.3, the seed's ``lr_range_test`` with the linear model fixed:
    lr_factor = (lr_end/lr_start)^(1/n_steps), θ₀ = 0 (shape (d,)), and for
    k = 0, …, n_steps − 1 (in this order):

        r = y − Xθ;  loss = mean(r²);  grad = −(2/n) Xᵀ r
        record (lr, loss)            # BEFORE the update, as in the seed
        θ ← θ − lr·grad;  lr ← lr·lr_factor

    So lrs[k] = lr_start·lr_factor^k (by repeated multiplication) and the last
    recorded lr is lr_end/lr_factor (lr_end itself is never used). Returns
    ``(lrs, losses)``, two float64 arrays of shape (n_steps,). Never raises on
    divergence: losses overflow to inf/NaN. ``X``: (n, d), ``y``: (n,);
    lr_start, lr_end > 0 and n_steps ≥ 1, else ``ValueError``.

    >>> lrs, losses = lr_range_test([[1.0], [1.0]], [2.0, 2.0], 0.25, 1.0, 2)
    >>> lrs.tolist(), losses.tolist()                # θ: 0 → 0.25·4 = 1
    ([0.25, 0.5], [4.0, 1.0])
    """
    x = _as_data(X)
    t = np.asarray(y, dtype=float)
    if t.shape != (x.shape[0],):
        raise ValueError(f"y must have shape ({x.shape[0]},), got {t.shape}")
    start, end = float(lr_start), float(lr_end)
    if not (start > 0.0 and end > 0.0):
        raise ValueError("lr_start and lr_end must be > 0")
    if int(n_steps) != n_steps or n_steps < 1:
        raise ValueError(f"n_steps must be a positive integer, got {n_steps!r}")
    n = int(n_steps)
    lr_factor = (end / start) ** (1.0 / n)
    lr = start
    theta = np.zeros(x.shape[1])
    lrs = np.empty(n)
    losses = np.empty(n)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            r = t - x @ theta
            grad = -2.0 / x.shape[0] * (x.T @ r)
            lrs[k] = lr
            losses[k] = np.mean(r**2)
            theta = theta - lr * grad
            lr *= lr_factor
    return lrs, losses


def range_test_cliff(lrs: ArrayLike, losses: ArrayLike, factor: float = 4.0) -> float | None:
    """The "cliff" of an LR range test: the first lr whose loss blows past the best so far.

    Seed 001 §8.3: "Identify the cliff where the loss starts rising — this is your
    empirical η_max." Canonical choice: the smallest k such that

        losses[k] is NaN or ±inf,   or   k ≥ 1 and losses[k] > factor · min(losses[:k]),

    and the result is the Python float lrs[k]; ``None`` if there is no such k. The
    default factor 4 is the stop rule of fastai's ``lr_find``. (The lr at the
    minimum loss is not used: on a converged plateau it is set by rounding noise.)

    For MSE, before any lr exceeds 2/λmax every step shrinks the excess loss, so the
    cliff always comes after the first lrs[j] > 2/λmax (and in float64, after a run
    has converged to rounding level, a few-fold later: growth must first lift the
    error from ~1e-16). ``lrs`` and ``losses``: 1-D, same length; factor ≥ 1, else
    ``ValueError``.

    >>> range_test_cliff([0.1, 0.2, 0.4, 0.8, 1.6], [5.0, 2.0, 1.0, 3.0, 9.0])
    1.6
    >>> range_test_cliff([0.1, 0.2], [5.0, 2.0]) is None
    True
    """
    lr_arr = np.asarray(lrs, dtype=float)
    loss_arr = np.asarray(losses, dtype=float)
    if lr_arr.ndim != 1 or lr_arr.shape != loss_arr.shape:
        raise ValueError(
            f"lrs and losses must be 1-D of the same length, got {lr_arr.shape}, {loss_arr.shape}"
        )
    f = float(factor)
    if not f >= 1.0:
        raise ValueError(f"factor must be >= 1, got {factor!r}")
    best = np.inf
    for k in range(loss_arr.shape[0]):
        value = loss_arr[k]
        if not np.isfinite(value):
            return float(lr_arr[k])
        if k >= 1 and value > f * best:
            return float(lr_arr[k])
        best = min(best, value)
    return None
