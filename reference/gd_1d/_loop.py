"""Seed 004's logged GD loop with stopping rules, time-to-result, sweeps, the double well.

Seeds: 004 §3 (termination criteria), §5 (the loop), §8 (tuning a step size).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._recursion import gd_trajectory

__all__ = [
    "double_well_limit",
    "gradient_descent_1d",
    "step_size_sweep",
    "time_to_result",
]


def gradient_descent_1d(
    L: Callable[[float], float],
    dL: Callable[[float], float],
    w0: float,
    eta: float,
    max_iters: int = 200,
    eps_grad: float | None = 1e-8,
    eps_obj: float | None = None,
) -> tuple[float, dict[str, np.ndarray]]:
    """Seed 004 §5's logged gradient-descent loop with its stopping rules.

    For k = 0, 1, …, max_iters − 1 (w = w0 at k = 0):

    1. evaluate L(w) and L'(w) and append k, w, L(w), |L'(w)| to the history;
    2. stop if ``eps_grad`` is not None and |L'(w)| ≤ eps_grad,
       or if ``eps_obj`` is not None and L(w) ≤ eps_obj;
    3. otherwise update w ← w − η·L'(w).

    The check comes *before* the update, so the iterate that triggers a stop is
    recorded and returned. If no rule triggers, the loop makes ``max_iters``
    updates and the returned w is w_{max_iters}, which is *not* in the history
    (the history then holds k = 0, …, max_iters − 1). ``max_iters = 0`` returns
    ``(float(w0), empty history)``. ``L`` and ``dL`` are each called once per
    visited iterate with a ``numpy.float64`` scalar. NaN never satisfies a stopping
    rule; divergence is iterated with IEEE arithmetic, never raising.

    Returns ``(w_final, hist)``: ``w_final`` a Python float, ``hist`` a dict with
    keys ``"k"`` (int64), ``"w"``, ``"L"``, ``"abs_dL"`` (float64), 1-D arrays of the
    same length (the seed's "Iterations" is that length).

    >>> w, hist = gradient_descent_1d(lambda w: 0.5 * w * w, lambda w: w, 5.0, 0.5,
    ...                               max_iters=80, eps_grad=1e-10)
    >>> f"{w:.6e}", len(hist["k"])   # seed 004 §5
    ('7.275958e-11', 37)
    """
    n = int(max_iters)
    ks: list[int] = []
    ws: list[float] = []
    Ls: list[float] = []
    gs: list[float] = []
    eta64 = np.float64(eta)
    w = np.float64(float(w0))
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            lw = float(L(w))
            gw = float(dL(w))
            ks.append(k)
            ws.append(float(w))
            Ls.append(lw)
            gs.append(abs(gw))
            if eps_grad is not None and abs(gw) <= eps_grad:
                break
            if eps_obj is not None and lw <= eps_obj:
                break
            w = w - eta64 * np.float64(gw)
    hist = {
        "k": np.asarray(ks, dtype=np.int64),
        "w": np.asarray(ws, dtype=np.float64),
        "L": np.asarray(Ls, dtype=np.float64),
        "abs_dL": np.asarray(gs, dtype=np.float64),
    }
    return float(w), hist


def time_to_result(
    L: Callable[[float], float],
    dL: Callable[[float], float],
    w0: float,
    eta: float,
    target: float = 1e-5,
    max_iters: int = 1000,
) -> int:
    """Number of GD updates until L(w_k) ≤ target, capped (seed 004 §8 "time-to-result").

    Returns the smallest k in {0, …, max_iters − 1} with L(w_k) ≤ target, where
    w_{k+1} = w_k − η·L'(w_k); k counts *updates* (0 if L(w0) ≤ target already).
    If no such k exists the run "hits the ceiling" and ``max_iters`` is returned:
    a reached count is always < max_iters, so the value ``max_iters`` means "not
    reached". The target is on L itself (the toy losses have L* = 0). This equals
    ``hist["k"][-1]`` of ``gradient_descent_1d(L, dL, w0, eta, max_iters,
    eps_grad=None, eps_obj=target)`` when that run stops on the target. NaN never
    reaches the target. ``L`` and ``dL`` receive ``numpy.float64`` scalars.

    >>> time_to_result(lambda w: 0.5 * w * w, lambda w: w, 5.0, 1.0)   # η = 1: w_1 = 0
    1
    """
    n = int(max_iters)
    eta64 = np.float64(eta)
    t = np.float64(target)
    w = np.float64(float(w0))
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            if float(L(w)) <= t:
                return k
            w = w - eta64 * np.float64(float(dL(w)))
    return n


def step_size_sweep(
    L: Callable[[float], float],
    dL: Callable[[float], float],
    w0: float,
    etas: np.ndarray,
    target: float = 1e-5,
    max_iters: int = 1000,
) -> np.ndarray:
    """Time-to-result for each step size of a sweep (seed 004 §8, Figures 1.6 and 1.7).

    counts[i] = time_to_result(L, dL, w0, etas[i], target, max_iters).

    ``etas`` is any array-like of step sizes (flattened to 1-D; a scalar counts as
    one η). Returns an int64 array of the same length; entries equal to
    ``max_iters`` are runs that did not reach the target (the seed's ceiling).
    On ½w² from any w0 with L(w0) > target the winner is η = 1 with 1 step.

    >>> step_size_sweep(lambda w: 0.5 * w * w, lambda w: w, 5.0, [0.5, 1.0, 3.0]).tolist()
    [11, 1, 1000]
    """
    grid = np.asarray(etas, dtype=float).reshape(-1)
    counts = [time_to_result(L, dL, w0, float(eta), target, max_iters) for eta in grid]
    return np.asarray(counts, dtype=np.int64)


def double_well_limit(w0: float, eta: float, n_steps: int = 1000, tol: float = 1e-6) -> float:
    """Where GD on the double well L(w) = ½(w² − 1)² ends up (seed 004 §1, §5, §8).

    Runs ``n_steps`` GD steps w_{k+1} = w_k − η·2w_k(w_k² − 1) from ``w0`` and
    compares the last iterate w_n with the three stationary points −1, 0, +1
    (minimisers ±1, local maximum 0). Returns the one with |w_n − p| ≤ tol as a
    float (−1.0, 0.0 or 1.0); returns ``nan`` when w_n is within ``tol`` of none
    of them (divergence, a cycle, or not yet settled after ``n_steps``).
    Seed 004 §7: w0 = 5, η = 0.02 settles at +1.

    >>> double_well_limit(2.0, 0.25)   # w_1 = 2 − 0.25·12 = −1 exactly
    -1.0
    """
    path = gd_trajectory(lambda w: 2.0 * w * (w * w - 1.0), w0, eta, n_steps)
    last = float(path[-1])
    for p in (-1.0, 0.0, 1.0):
        if abs(last - p) <= tol:
            return p
    return float("nan")
