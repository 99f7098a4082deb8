"""GD vs momentum in the ravine x² + 50y² and the β sweep (seed 001 §6.3).

The landscape is the diagonal quadratic f(x) = ½ Σ λᵢ xᵢ² (minimiser 0);
eigenvalues (2, 100) give x² + 50y², Hessian diag(2, 100), κ = 50.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._iterates import heavy_ball_velocity
from ._recurrence import spectral_radius

__all__ = ["beta_sweep", "gd_vs_momentum", "steps_to_tolerance"]


def _diagonal_problem(x0: ArrayLike, eigenvalues: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    lam = np.array(eigenvalues, dtype=np.float64).reshape(-1)
    x = np.array(x0, dtype=np.float64)
    if x.shape != lam.shape:
        raise ValueError(f"x0 must have shape {lam.shape}, got {x.shape}")
    return x, lam


def steps_to_tolerance(trajectory: ArrayLike, tol: float, x_star: ArrayLike = 0.0) -> int:
    """First k with ‖x_k − x*‖₂ ≤ tol, or −1 if no row gets there (seed 001 §6.3).

    ``trajectory`` has shape (n+1,) (|x_k − x*| is used) or (n+1, d); ``x_star``
    broadcasts against a row (default 0, the minimiser of the course's centred
    quadratics). Row 0 counts, so a start already within ``tol`` gives 0. Non-finite
    rows never satisfy the test. Returns a Python int.

    >>> steps_to_tolerance([4.0, 2.0, 1.0, 0.5], 1.0)
    2
    """
    tr = np.asarray(trajectory, dtype=np.float64)
    if tr.ndim not in (1, 2):
        raise ValueError(f"trajectory must have shape (n+1,) or (n+1, d), got {tr.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        diff = tr - np.asarray(x_star, dtype=np.float64)
        dist = np.abs(diff) if tr.ndim == 1 else np.linalg.norm(diff, axis=1)
    hits = np.flatnonzero(dist <= float(tol))
    return int(hits[0]) if hits.size else -1


def gd_vs_momentum(
    x0: ArrayLike,
    alpha: float,
    beta: float,
    n_steps: int,
    eigenvalues: ArrayLike = (2.0, 100.0),
) -> dict[str, np.ndarray]:
    """GD and heavy-ball trajectories from the same start and step (seed 001 §6.3).

    On f(x) = ½ Σ λᵢ xᵢ² (default λ = (2, 100): x² + 50y²), with ∇f(x) = λ ⊙ x:

    - ``"gd"``: x_{k+1} = x_k − α∇f(x_k),
    - ``"momentum"``: :func:`heavy_ball_velocity` with the same α and the given β.

    Returns a dict of two float64 arrays of shape (n_steps+1, d), row 0 = ``x0``;
    ``x0`` must have the shape of ``eigenvalues``. Divergence gives inf/nan.

    >>> out = gd_vs_momentum([1.0, 1.0], 0.01, 0.9, 2)
    >>> out["gd"].round(12).tolist(), out["momentum"].round(12).tolist()
    ([[1.0, 1.0], [0.98, 0.0], [0.9604, 0.0]], [[1.0, 1.0], [0.98, 0.0], [0.9424, -0.9]])
    """
    x, lam = _diagonal_problem(x0, eigenvalues)

    def grad(p: np.ndarray) -> np.ndarray:
        return lam * p

    return {
        "gd": heavy_ball_velocity(grad, x, alpha, 0.0, n_steps),
        "momentum": heavy_ball_velocity(grad, x, alpha, beta, n_steps),
    }


def beta_sweep(
    x0: ArrayLike,
    alpha: float,
    betas: ArrayLike = (0.0, 0.5, 0.9, 0.99),
    tol: float = 1e-6,
    max_steps: int = 10_000,
    eigenvalues: ArrayLike = (2.0, 100.0),
) -> dict[str, np.ndarray]:
    """Steps to reach ‖x_k‖ ≤ tol for each β, and the predicted rate (seed 001 §6.3).

    For each β (in the given order) runs :func:`heavy_ball_velocity` on
    f(x) = ½ Σ λᵢ xᵢ² from ``x0`` with step α for ``max_steps`` steps and applies
    :func:`steps_to_tolerance` (x* = 0). Returns a dict of 1-D arrays of length
    len(betas):

    - ``"beta"``: the β values (float64),
    - ``"steps"``: first k with ‖x_k‖₂ ≤ tol, −1 if not reached by ``max_steps`` (int64),
    - ``"rate"``: maxᵢ :func:`spectral_radius` (λᵢ, α, β), the predicted
      per-step contraction (float64).

    >>> out = beta_sweep([1.0, 1.0], 0.01)
    >>> out["steps"].tolist()
    [684, 325, 246, 2182]
    """
    x, lam = _diagonal_problem(x0, eigenvalues)
    bs = np.array(betas, dtype=np.float64).reshape(-1)

    def grad(p: np.ndarray) -> np.ndarray:
        return lam * p

    steps = np.empty(bs.size, dtype=np.int64)
    rate = np.empty(bs.size, dtype=np.float64)
    for i, b in enumerate(bs):
        traj = heavy_ball_velocity(grad, x, alpha, float(b), max_steps)
        steps[i] = steps_to_tolerance(traj, tol)
        rate[i] = max(spectral_radius(float(li), alpha, float(b)) for li in lam)
    return {"beta": bs, "steps": steps, "rate": rate}
