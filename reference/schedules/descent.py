"""Gradient descent driven by a learning-rate schedule (seed 001 §8.2, §11 row 12)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._steps import positive_int
from .cyclical import triangular


def _point(x: np.ndarray) -> float | np.ndarray:
    """What the user's callables receive: a float for a scalar problem, else a fresh array."""
    return float(x) if x.ndim == 0 else x.copy()


def gd_with_schedule(
    grad: Callable[[np.ndarray], np.ndarray], x0: ArrayLike, lrs: ArrayLike
) -> np.ndarray:
    """Gradient descent with per-step rates: x_{k+1} = x_k − η_k ∇L(x_k) (seed 001 §8.2).

    ``lrs`` is a 1-D array of the n rates, ``lrs[k]`` = η_k used for update k (build it
    from a schedule: ``lrs = triangular(np.arange(n), ...)``). ``x0`` is a scalar or a
    vector of shape (d,); ``grad`` receives a Python float (scalar problem) or a float64
    array of shape (d,) and must return the same shape. Returns the trajectory including
    its start: shape (n + 1,) for a scalar x0, (n + 1, d) otherwise, float64, row 0 a
    copy of x0. Never raises on divergence (IEEE inf/nan propagate, warnings silenced).
    A constant ``lrs`` gives plain gradient descent.

    >>> from autograder.landscapes import QuadraticForm
    >>> bowl = QuadraticForm.diagonal([2.0, 6.0])            # x² + 3y²
    >>> gd_with_schedule(bowl.grad, [1.0, 1.0], [0.25, 0.125]).tolist()
    [[1.0, 1.0], [0.5, -0.5], [0.375, -0.125]]
    """
    x = np.array(x0, dtype=np.float64)
    if x.ndim > 1:
        raise ValueError(f"x0 must be a scalar or a 1-D vector, got shape {x.shape}")
    rates = np.asarray(lrs, dtype=np.float64)
    if rates.ndim != 1:
        raise ValueError(f"lrs must be a 1-D array of learning rates, got shape {rates.shape}")
    traj = np.empty((rates.size + 1, *x.shape), dtype=np.float64)
    traj[0] = x
    with np.errstate(over="ignore", invalid="ignore"):
        for k, eta in enumerate(rates):
            g = np.asarray(grad(_point(x)), dtype=np.float64)
            if g.shape != x.shape:
                raise ValueError(f"grad returned shape {g.shape}, expected {x.shape}")
            x = x - eta * g
            traj[k + 1] = x
    return traj


def constant_vs_cyclical(
    loss: Callable[[np.ndarray], float],
    grad: Callable[[np.ndarray], np.ndarray],
    x0: ArrayLike,
    *,
    lr: float,
    base_lr: float,
    max_lr: float,
    step_size: int,
    n_steps: int,
) -> dict[str, float | np.ndarray]:
    """Run GD from ``x0`` with a constant rate and with Smith's triangular schedule.

    Both runs take ``n_steps`` updates with :func:`gd_with_schedule`: the constant run
    uses η_k = ``lr``; the cyclical run uses η_k = ``triangular(k, base_lr=…,
    max_lr=…, step_size=…)`` for k = 0 … n_steps − 1. Seed 001 §8.2 and §11 row 12:
    "observe whether the cyclical LR escapes shallow basins". Returns a dict::

        {"x_constant": final iterate of the constant run,
         "x_cyclical": final iterate of the cyclical run,
         "loss_constant": float, loss(x_constant),
         "loss_cyclical": float, loss(x_cyclical)}

    Final iterates are float64 arrays of shape (d,) (a Python float for a scalar x0);
    ``loss`` is called on them as ``grad`` is (float or fresh array). Divergent runs give
    inf/nan, never an exception. Tip: choose ``n_steps`` a multiple of 2·step_size so
    that the cyclical run ends at the bottom of a cycle.

    >>> from autograder.landscapes import QuadraticForm
    >>> bowl = QuadraticForm.diagonal([2.0, 6.0])
    >>> out = constant_vs_cyclical(bowl.loss, bowl.grad, [1.0, 1.0], lr=0.1,
    ...                            base_lr=0.05, max_lr=0.3, step_size=5, n_steps=20)
    >>> sorted(out)
    ['loss_constant', 'loss_cyclical', 'x_constant', 'x_cyclical']
    >>> out["loss_cyclical"] < out["loss_constant"]
    True
    """
    n = positive_int("n_steps", n_steps, minimum=0)
    cyc = triangular(np.arange(n), base_lr=base_lr, max_lr=max_lr, step_size=step_size)
    traj_const = gd_with_schedule(grad, x0, np.full(n, float(lr)))
    traj_cyc = gd_with_schedule(grad, x0, cyc)
    x_const, x_cyc = _point(traj_const[-1]), _point(traj_cyc[-1])
    with np.errstate(over="ignore", invalid="ignore"):
        loss_const = float(loss(_point(traj_const[-1])))
        loss_cyc = float(loss(_point(traj_cyc[-1])))
    return {
        "x_constant": x_const,
        "x_cyclical": x_cyc,
        "loss_constant": loss_const,
        "loss_cyclical": loss_cyc,
    }
