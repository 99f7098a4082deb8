"""Saddle escape with gradient noise on f(x, y) = x² − y² (seed 001 §7.2, §7.4)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["escape_step", "noisy_gd", "saddle_closed_form"]


def saddle_closed_form(p0: object, lr: float, n_steps: int) -> np.ndarray:
    """Closed-form GD trajectory on the saddle f(x, y) = x² − y² (seed 001 §7.2).

    ∇f = (2x, −2y) and H = diag(2, −2), so GD with step η decouples into
    x_k = (1 − 2η)^k·x₀ and y_k = (1 + 2η)^k·y₀: for 0 < η < 1 the x-coordinate
    contracts to the saddle while any y₀ ≠ 0 is amplified away from it (and
    y₀ = 0 stays exactly 0 — the stable manifold). Returns shape
    (n_steps + 1, 2) float64, row 0 = p0; overflow gives ±inf silently.

    >>> saddle_closed_form([0.01, 0.01], 0.1, 2).round(6).tolist()
    [[0.01, 0.01], [0.008, 0.012], [0.0064, 0.0144]]
    """
    p = np.array(p0, dtype=float)
    if p.shape != (2,):
        raise ValueError(f"p0 must have shape (2,), got {p.shape}")
    k = np.arange(int(n_steps) + 1, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        x = (1.0 - 2.0 * lr) ** k * p[0]
        y = (1.0 + 2.0 * lr) ** k * p[1]
    return np.stack([x, y], axis=1)


def noisy_gd(
    grad: Callable[[np.ndarray], object],
    x0: object,
    lr: float,
    n_steps: int,
    noise_std: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """GD with Gaussian gradient noise, a model of SGD's noise (seed 001 §7.2, §7.4, §10).

    x_{k+1} = x_k − η·(∇f(x_k) + σ·ξ_k),  ξ_k ~ N(0, I).

    rng use: for each step k = 0, …, n_steps − 1, first ``grad(x_k)`` is
    evaluated, then exactly one call ``rng.standard_normal(x0.shape)`` gives ξ_k
    — also when σ = 0, so runs with different σ from the same generator state
    share the same ξ_k and leave the generator in the same state. With σ = 0 the
    run is plain GD. ``grad`` is any callable taking an array shaped like x0
    (e.g. ``QuadraticForm.diagonal([2.0, -2.0]).grad`` for x² − y²).

    Returns the trajectory: shape (n_steps + 1,) + x0.shape, float64, row 0 a
    copy of x0 (so (n_steps + 1, d) for x0 of shape (d,)). Divergent runs keep
    iterating with IEEE arithmetic, without warnings.

    >>> saddle = lambda p: np.array([2.0 * p[0], -2.0 * p[1]])
    >>> traj = noisy_gd(saddle, [0.01, 0.01], 0.1, 2, 0.0, np.random.default_rng(0))
    >>> traj.round(6).tolist()
    [[0.01, 0.01], [0.008, 0.012], [0.0064, 0.0144]]
    """
    x = np.array(x0, dtype=float)
    n_steps = int(n_steps)
    traj = np.empty((n_steps + 1, *x.shape))
    traj[0] = x
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n_steps):
            g = np.asarray(grad(x), dtype=float)
            xi = rng.standard_normal(x.shape)
            x = x - lr * (g + noise_std * xi)
            traj[k + 1] = x
    return traj


def escape_step(trajectory: object, threshold: float, coordinate: int = 1) -> int:
    """First step at which a trajectory has left the saddle along one coordinate (seed 001 §7.2).

    Returns the smallest k with |trajectory[k, coordinate]| > threshold (strict),
    or −1 if that never happens. A NaN coordinate counts as escaped (it only
    arises after an overflow). ``trajectory`` has shape (K, d), e.g. the output
    of :func:`noisy_gd`; ``coordinate = 1`` is y, the unstable direction of
    x² − y². Row 0 counts: a start already beyond the threshold gives 0.

    >>> escape_step([[0.0, 0.5], [0.0, 1.0], [0.0, 1.5]], 1.0)
    2
    >>> escape_step([[0.0, 0.5]], 1.0)
    -1
    """
    t = np.asarray(trajectory, dtype=float)
    if t.ndim != 2:
        raise ValueError(f"trajectory must have shape (K, d), got {t.shape}")
    escaped = ~(np.abs(t[:, coordinate]) <= threshold)
    hits = np.flatnonzero(escaped)
    return int(hits[0]) if hits.size else -1
