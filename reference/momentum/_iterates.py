"""Heavy-ball and Nesterov trajectories, and the link to ``torch.optim.SGD``.

Seeds: 002 "Momentum dynamics" and FAQ "What is the discrete-time view of
momentum?"; 001 §6.2 (velocity form, unrolled velocity, effective window) and
§6.4 (Nesterov's lookahead).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "effective_window",
    "heavy_ball_position",
    "heavy_ball_velocity",
    "nesterov",
    "nesterov_to_torch",
]


def _start(x0: ArrayLike, n_steps: int) -> tuple[np.ndarray, int]:
    """A float64 copy of ``x0`` (0-d or 1-d) and the validated step count."""
    x = np.array(x0, dtype=np.float64)
    if x.ndim > 1:
        raise ValueError(f"x0 must be a scalar or a 1-D vector, got shape {x.shape}")
    n = int(n_steps)
    if n != n_steps or n < 0:
        raise ValueError(f"n_steps must be a non-negative integer, got {n_steps!r}")
    return x, n


def _grad_at(grad: Callable[[Any], ArrayLike], x: np.ndarray) -> np.ndarray:
    """Call ``grad`` on a float (scalar problem) or a fresh copy of ``x``; check the shape."""
    g = np.asarray(grad(float(x) if x.ndim == 0 else x.copy()), dtype=np.float64)
    if g.shape != x.shape:
        raise ValueError(f"grad returned shape {g.shape}, expected {x.shape}")
    return g


def heavy_ball_position(
    grad: Callable[[Any], ArrayLike], x0: ArrayLike, alpha: float, beta: float, n_steps: int
) -> np.ndarray:
    """Heavy ball (Polyak) momentum in position form (seed 002, "Momentum dynamics").

    x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1}),  with x_{−1} = x_0,

    so the first step is plain gradient descent, x_1 = x_0 − α∇f(x_0) (the ball
    starts at rest). This is the same trajectory as :func:`heavy_ball_velocity`
    with v_0 = 0, because v_k = x_k − x_{k−1}.

    ``grad`` is called ``n_steps`` times, on x_0, …, x_{n−1}: with a Python float
    when ``x0`` is a scalar, with a fresh float64 copy of shape (d,) otherwise; its
    result must have ``x0``'s shape. Returns float64 of shape (n_steps+1,) for a
    scalar ``x0``, (n_steps+1, d) for a vector; row 0 is ``x0``. Divergent runs
    continue with IEEE inf/nan, never raising.

    >>> from autograder.landscapes import Quadratic1D
    >>> heavy_ball_position(Quadratic1D(lam=10.0).grad, 1.0, 0.1, 0.8, 3).round(12).tolist()
    [1.0, 0.0, -0.8, -0.64]
    """
    x, n = _start(x0, n_steps)
    a, b = float(alpha), float(beta)
    out = np.empty((n + 1, *x.shape), dtype=np.float64)
    out[0] = x
    x_prev = x.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            x_next = x - a * _grad_at(grad, x) + b * (x - x_prev)
            x_prev, x = x, x_next
            out[k + 1] = x
    return out


def heavy_ball_velocity(
    grad: Callable[[Any], ArrayLike], x0: ArrayLike, alpha: float, beta: float, n_steps: int
) -> np.ndarray:
    """Heavy ball in velocity form (seed 001 §6.2; seed 002 FAQ "discrete-time view").

    v_{k+1} = β v_k − α∇f(x_k),   x_{k+1} = x_k + v_{k+1},   v_0 = 0.

    Unrolled (seed 001 §6.2): v_k = −α Σ_{s<k} β^{k−1−s} ∇f(x_s). Returns the
    positions only (velocities are v_k = x_k − x_{k−1}); same calling and shape
    contract as :func:`heavy_ball_position`, whose trajectory this equals.

    >>> from autograder.landscapes import Quadratic1D
    >>> heavy_ball_velocity(Quadratic1D(lam=10.0).grad, 1.0, 0.1, 0.8, 3).round(12).tolist()
    [1.0, 0.0, -0.8, -0.64]
    """
    x, n = _start(x0, n_steps)
    a, b = float(alpha), float(beta)
    out = np.empty((n + 1, *x.shape), dtype=np.float64)
    out[0] = x
    v = np.zeros_like(x)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            v = b * v - a * _grad_at(grad, x)
            x = x + v
            out[k + 1] = x
    return out


def nesterov(
    grad: Callable[[Any], ArrayLike], x0: ArrayLike, alpha: float, beta: float, n_steps: int
) -> np.ndarray:
    """Nesterov accelerated gradient with the lookahead gradient (seed 001 §6.4).

    v_{t+1} = β v_t − α∇f(θ_t + β v_t),   θ_{t+1} = θ_t + v_{t+1},   v_0 = 0.

    The first step is plain GD (the lookahead point θ_0 + β·0 is θ_0). Returns the
    θ trajectory (not the lookahead points: see :func:`nesterov_to_torch`); ``grad``
    is called on the lookahead points θ_t + βv_t, t = 0, …, n−1. Same calling and
    shape contract as :func:`heavy_ball_position`.

    >>> from autograder.landscapes import Quadratic1D
    >>> nesterov(Quadratic1D(lam=10.0).grad, 1.0, 0.05, 0.5, 3).tolist()
    [1.0, 0.5, 0.125, -0.03125]
    """
    x, n = _start(x0, n_steps)
    a, b = float(alpha), float(beta)
    out = np.empty((n + 1, *x.shape), dtype=np.float64)
    out[0] = x
    v = np.zeros_like(x)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            v = b * v - a * _grad_at(grad, x + b * v)
            x = x + v
            out[k + 1] = x
    return out


def nesterov_to_torch(theta: ArrayLike, beta: float) -> np.ndarray:
    """Map a Nesterov θ trajectory to the parameters ``torch.optim.SGD`` stores (seed 001 §6.4).

    torch's ``SGD(momentum=β, nesterov=True)`` keeps the lookahead point as its
    parameter: φ_t = θ_t + β v_t. With v_0 = 0 and v_t = θ_t − θ_{t−1}:

    φ_0 = θ_0,   φ_t = θ_t + β(θ_t − θ_{t−1})  (t ≥ 1).

    ``theta`` has shape (n+1,) or (n+1, d), as returned by :func:`nesterov`; the
    result is a new float64 array of the same shape (the input is not modified).

    >>> nesterov_to_torch([1.0, 0.5, 0.125, -0.03125], 0.5).tolist()   # see nesterov()
    [1.0, 0.25, -0.0625, -0.109375]
    """
    th = np.array(theta, dtype=np.float64)
    if th.ndim not in (1, 2) or th.shape[0] == 0:
        raise ValueError(f"theta must have shape (n+1,) or (n+1, d), got {th.shape}")
    out = th.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        out[1:] = th[1:] + float(beta) * (th[1:] - th[:-1])
    return out


def effective_window(beta: float) -> float:
    """Effective averaging window 1/(1 − β) of the momentum velocity (seed 001 §6.2).

    The velocity weights a gradient from k steps ago by β^k; these weights sum to
    Σ_k β^k = 1/(1 − β), the number of recent gradients that "dominate". Requires
    0 ≤ β < 1 (``ValueError`` otherwise). Seed 001 §6.2: β = 0.9 gives ~10.

    >>> round(effective_window(0.9), 12)
    10.0
    """
    b = float(beta)
    if not 0.0 <= b < 1.0:
        raise ValueError(f"the effective window needs 0 <= beta < 1, got {beta}")
    return 1.0 / (1.0 - b)
