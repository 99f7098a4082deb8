"""Reading convergence diagnostics (reference, float64).

Seed 004 §3 models an error sequence as linear (geometric) decay e_k ≈ C·ρ^k — a straight
line on a semilog-y plot with slope log ρ — or sublinear decay e_k ≈ C/(k+1)^p, which bends
on a semilog plot and is straight on a log-log plot. Seed 004 §8 measures an optimiser by
its *time-to-result* (first k with e_k ≤ target), and seed 001 §9 reads the training loss
and gradient-norm curves (healthy, learning rate too small, oscillation, divergence,
plateau). This module turns those readings into deterministic functions.

Conventions settled here (see docs/exercises/diagnostics.md): step indices start at 0;
fits use natural logarithms and ordinary least squares; ρ is exp(slope); verdicts are
strings from small fixed vocabularies with the rules written in each docstring.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = [
    "classify_convergence",
    "diagnose_loss_curve",
    "estimate_power",
    "estimate_rate",
    "gd_history",
    "time_to_result",
]


def _as_1d(values: Any, name: str) -> np.ndarray:
    arr = np.array(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence, got shape {arr.shape}")
    return arr


def _ls_slope(t: np.ndarray, y: np.ndarray) -> float:
    """Least-squares slope of y against t (t not all equal)."""
    tc = t - t.mean()
    return float(np.dot(tc, y - y.mean()) / np.dot(tc, tc))


def _ls_rss(t: np.ndarray, y: np.ndarray) -> float:
    """Residual sum of squares of the least-squares line y ≈ a + b·t."""
    b = _ls_slope(t, y)
    a = y.mean() - b * t.mean()
    r = y - (a + b * t)
    return float(np.dot(r, r))


def _window(errors: Any, start: int, stop: int | None) -> tuple[np.ndarray, np.ndarray]:
    e = _as_1d(errors, "errors")
    k = np.arange(e.size, dtype=float)[start:stop]
    w = e[start:stop]
    keep = np.isfinite(w) & (w > 0)
    return k[keep], w[keep]


def estimate_rate(errors: Any, start: int = 0, stop: int | None = None) -> float:
    """ρ = exp(slope) of the least-squares line log e_k ≈ a + k·log ρ (seed 004 §3).

    The window is ``errors[start:stop]`` (Python slice rules, negative indices allowed),
    with k the ORIGINAL step index. Inside the window, entries that are not finite or not
    strictly positive are ignored. Fewer than two usable points → ``nan``. For
    e_k = C·ρ^k the estimate is ρ exactly (up to rounding); ρ < 1 means geometric decay,
    ρ > 1 geometric growth (seed 001 §4.3: ρ = max_j |1 − ηλ_j| on a quadratic).

    >>> estimate_rate([5.0 * 0.5**k for k in range(10)])
    0.5
    >>> estimate_rate([1.0, 0.0, 0.25, float("nan"), 0.0625])   # k = 0, 2, 4 are used
    0.5
    """
    k, w = _window(errors, start, stop)
    if k.size < 2:
        return float("nan")
    return float(np.exp(_ls_slope(k, np.log(w))))


def estimate_power(errors: Any, start: int = 0, stop: int | None = None) -> float:
    """p in e_k ≈ C/(k+1)^p: minus the least-squares slope of log e_k against log(k+1).

    Seed 004 §3 (sublinear model). Same window and filtering rules as
    :func:`estimate_rate` (``errors[start:stop]``, original k, only finite e_k > 0 used,
    fewer than two usable points → ``nan``).

    >>> round(estimate_power([3.0 / (k + 1) ** 2 for k in range(20)]), 12)
    2.0
    """
    k, w = _window(errors, start, stop)
    if k.size < 2:
        return float("nan")
    return -_ls_slope(np.log(k + 1.0), np.log(w))


def classify_convergence(errors: Any, stall_ratio: float = 0.99) -> str:
    """Label an error sequence "linear", "sublinear", "diverging" or "stalled" (seed 004 §3).

    e_0 … e_{n−1} (n ≥ 3, else ``ValueError``). Rules, applied in this order:

    1. any entry nan or ±inf → ``"diverging"``;
    2. any entry negative → ``ValueError`` (errors are magnitudes);
    3. e_{n−1} > e_0 → ``"diverging"``;
    4. some e_k == 0 → ``"linear"`` (the solution was hit exactly: ρ = 0);
    5. e_{n−1} ≥ stall_ratio · e_h with h = (n − 1) // 2 → ``"stalled"`` (the second half
       of the run removed less than 1 − stall_ratio of the error);
    6. otherwise compare residual sums of squares of two least-squares lines over all k:
       log e_k vs k (geometric model) and log e_k vs log(k+1) (power model);
       RSS_geometric ≤ RSS_power → ``"linear"``, else ``"sublinear"``.

    >>> classify_convergence([0.5**k for k in range(20)])
    'linear'
    >>> classify_convergence([1.0 / (k + 1) for k in range(20)])
    'sublinear'
    >>> classify_convergence([1.0, 2.0, 4.0]), classify_convergence([1.0, 1.0, 1.0])
    ('diverging', 'stalled')
    """
    e = _as_1d(errors, "errors")
    n = e.size
    if n < 3:
        raise ValueError("classify_convergence needs at least 3 errors")
    if not np.all(np.isfinite(e)):
        return "diverging"
    if np.any(e < 0):
        raise ValueError("errors must be non-negative")
    if e[-1] > e[0]:
        return "diverging"
    if np.any(e == 0):
        return "linear"
    if e[-1] >= stall_ratio * e[(n - 1) // 2]:
        return "stalled"
    k = np.arange(n, dtype=float)
    y = np.log(e)
    return "linear" if _ls_rss(k, y) <= _ls_rss(np.log(k + 1.0), y) else "sublinear"


def time_to_result(errors: Any, target: float) -> int:
    """First step k with e_k ≤ target, or −1 if no entry reaches it (seed 004 §8).

    ``errors`` is a history e_0, e_1, … (row k = after k updates), e.g. losses L(w_k) or
    gradient norms. nan entries never count as reached. For e_k = C·ρ^k with 0 < ρ < 1 and
    0 < target < C this is ⌈log(target/C) / log ρ⌉; a target ≥ e_0 gives 0.

    >>> time_to_result([12.5 * 0.25**k for k in range(20)], 1e-5)   # seed 004 §8
    11
    >>> time_to_result([1.0, 2.0, 4.0], 0.5)
    -1
    """
    e = _as_1d(errors, "errors")
    hits = np.flatnonzero(e <= float(target))
    return int(hits[0]) if hits.size else -1


def gd_history(
    grad: Callable[[Any], Any],
    loss: Callable[[Any], Any],
    x0: Any,
    eta: float,
    n_steps: int,
) -> dict[str, np.ndarray]:
    """Gradient descent x_{k+1} = x_k − η ∇L(x_k) with its loss and gradient-norm history.

    Seed 001 §9 (track ``np.linalg.norm(grad)`` next to the loss) and seed 004 §5 (the
    logged table k, w, L(w), |L'(w)|). A scalar x0 gives 1-D iterates (each call receives a
    NumPy float64 scalar); an x0 of shape (d,) gives d-D iterates (each call receives a
    float64 array of shape (d,)). ``grad`` is called at x_0 … x_n (n + 1 calls, the last one
    only for the history), ``loss`` likewise. Never raises on divergence (IEEE inf/nan).

    Returns ``{"k": int64 (n+1,), "x": (n+1,) or (n+1, d), "L": (n+1,),
    "grad_norm": (n+1,)}``: row k is after k updates (row 0 = x0); grad_norm is the
    Euclidean norm (|L'| in 1-D).

    >>> h = gd_history(lambda w: w, lambda w: 0.5 * w * w, 5.0, 0.5, 3)
    >>> h["x"].tolist(), h["L"].tolist(), h["grad_norm"].tolist()
    ([5.0, 2.5, 1.25, 0.625], [12.5, 3.125, 0.78125, 0.1953125], [5.0, 2.5, 1.25, 0.625])
    """
    n = int(n_steps)
    if n != n_steps or n < 0:
        raise ValueError(f"n_steps must be a non-negative integer, got {n_steps!r}")
    x = np.array(x0, dtype=float)
    xs = np.empty((n + 1, *x.shape))
    losses = np.empty(n + 1)
    norms = np.empty(n + 1)
    xs[0] = x
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n + 1):
            xk = np.float64(xs[k]) if x.ndim == 0 else xs[k].copy()
            g = np.asarray(grad(xk), dtype=float).reshape(x.shape)
            losses[k] = float(loss(xk))
            norms[k] = float(np.sqrt(np.sum(g * g)))
            if k < n:
                xs[k + 1] = xs[k] - float(eta) * g
    return {"k": np.arange(n + 1, dtype=np.int64), "x": xs, "L": losses, "grad_norm": norms}


def diagnose_loss_curve(
    losses: Any,
    floor: float = 0.0,
    healthy_ratio: float = 1e-3,
    plateau_frac: float = 0.1,
    osc_fraction: float = 0.2,
) -> str:
    """Seed 001 §9 diagnosis table as rules on a loss history L_0 … L_{n−1} (n ≥ 3).

    Labels ``"diverging"``, ``"oscillating"``, ``"healthy"``, ``"plateau"``,
    ``"too_small_lr"``; with gaps g_k = L_k − floor (floor = a known lower bound on L*,
    0 for the course's quadratics), the first rule that applies wins:

    1. any L_k nan or ±inf, or L_{n−1} > L_0 → ``"diverging"`` (ended above the start);
    2. #{k : L_{k+1} > L_k} > osc_fraction·(n − 1) → ``"oscillating"`` (loss swings up);
    3. any g_k < 0 → ``ValueError`` (floor is not a lower bound);
    4. g_0 == 0 or g_{n−1} ≤ healthy_ratio·g_0 → ``"healthy"`` (reached a low value);
    5. with h = (n − 1)//2: late = g_h − g_{n−1}, early = g_0 − g_h;
       late ≤ plateau_frac·early → ``"plateau"`` (progress stopped at a high value);
    6. otherwise → ``"too_small_lr"`` (still decreasing steadily, but slowly).

    >>> diagnose_loss_curve([12.5 * 0.25**k for k in range(20)])
    'healthy'
    >>> diagnose_loss_curve([12.5 * 0.998**k for k in range(20)])
    'too_small_lr'
    >>> diagnose_loss_curve([4.0, 2.0, 1.0, 1.0, 1.0])
    'plateau'
    """
    L = _as_1d(losses, "losses")
    n = L.size
    if n < 3:
        raise ValueError("diagnose_loss_curve needs at least 3 losses")
    if not np.all(np.isfinite(L)) or L[-1] > L[0]:
        return "diverging"
    if np.count_nonzero(np.diff(L) > 0) > osc_fraction * (n - 1):
        return "oscillating"
    g = L - float(floor)
    if np.any(g < 0):
        raise ValueError("a loss lies below `floor`: pass a lower bound on the optimal loss")
    if g[0] == 0 or g[-1] <= healthy_ratio * g[0]:
        return "healthy"
    h = (n - 1) // 2
    if g[h] - g[-1] <= plateau_frac * (g[0] - g[h]):
        return "plateau"
    return "too_small_lr"
