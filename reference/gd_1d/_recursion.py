"""The 1-D gradient-descent recursion and its closed form on quadratics.

Seeds: 004 §4 and §8, 003 (first demo and Exercises 1 and 4), 002 Exercise 1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "gd_step",
    "gd_trajectory",
    "quadratic_closed_form",
    "quadratic_multiplier",
    "stability_interval",
]


def gd_step(dL: Callable[[float], float], w: float, eta: float) -> float:
    """One gradient-descent step in 1-D (seed 004 §4; seed 003).

    w_next = w − η·L'(w).

    ``dL`` is called once, with ``w`` as a ``numpy.float64`` scalar, and its result
    is converted with ``float``. Overflow gives ``inf``/``nan`` silently, never an
    exception. Returns a Python float.

    >>> gd_step(lambda w: 2.0 * w, 5.0, 0.1)   # L(x) = x², seed 003
    4.0
    """
    with np.errstate(over="ignore", invalid="ignore"):
        x = np.float64(w)
        return float(x - np.float64(eta) * np.float64(float(dL(x))))


def gd_trajectory(dL: Callable[[float], float], w0: float, eta: float, n_steps: int) -> np.ndarray:
    """``n_steps`` gradient-descent steps from ``w0``: the whole path (seeds 003, 004 §4).

    w_{k+1} = w_k − η·L'(w_k),  k = 0, …, n_steps − 1.

    Returns a float64 array of shape ``(n_steps + 1,)`` whose entry ``k`` is w_k;
    entry 0 is ``w0``. ``dL`` is called ``n_steps`` times, on w_0, …, w_{n−1}, each
    time with a ``numpy.float64`` scalar. A divergent run is iterated to the end with
    IEEE arithmetic (``inf``, then possibly ``nan``), never raising. ``n_steps < 0``
    raises ``ValueError``.

    >>> gd_trajectory(lambda w: w, 5.0, 0.5, 3).tolist()   # L(w) = ½w², seed 004 §5
    [5.0, 2.5, 1.25, 0.625]
    """
    n = int(n_steps)
    if n < 0:
        raise ValueError(f"n_steps must be >= 0, got {n_steps}")
    out = np.empty(n + 1, dtype=np.float64)
    step = np.float64(eta)
    w = np.float64(float(w0))
    out[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            w = w - step * np.float64(float(dL(w)))
            out[k + 1] = w
    return out


def quadratic_multiplier(eta: float, lam: float) -> float:
    """The GD multiplier r = 1 − ηλ of L(w) = ½λ(w − c)² (seed 002 Ex.1; seed 004 §8).

    On that quadratic w_{k+1} − c = (1 − ηλ)(w_k − c): every step multiplies the
    distance to the minimiser c by r. Seed 004 §8: η = 3 on ½w² gives r = −2
    (w_{k+1} = −2·w_k); η = 1 gives r = 0 (w_1 = 0).

    >>> quadratic_multiplier(3.0, 1.0)
    -2.0
    """
    return float(1.0 - float(eta) * float(lam))


def quadratic_closed_form(
    w0: float, eta: float, lam: float, n_steps: int, center: float = 0.0
) -> np.ndarray:
    """Closed-form GD iterates on L(w) = ½λ(w − c)² (seed 002 Ex.1; 004 §8; 003 Ex.1).

    w_k = c + (1 − ηλ)^k·(w0 − c),  k = 0, …, n_steps.

    Returns a float64 array of shape ``(n_steps + 1,)`` (entry 0 is ``w0``), the
    same shape as :func:`gd_trajectory` so the two can be compared. The power is
    evaluated as ``r ** k`` with ``r = 1 − ηλ`` for each ``k`` (not as a running
    product). If ``w0 == c`` every entry is exactly ``c`` (even when r^k overflows).
    Overflow gives ``±inf`` silently. ``n_steps < 0`` raises ``ValueError``.
    Seed 003 Ex.1: L = (x − 3)² is λ = 2, c = 3.

    >>> quadratic_closed_form(-7.0, 0.25, 2.0, 3, center=3.0).tolist()   # r = 1/2
    [-7.0, -2.0, 0.5, 1.75]
    """
    n = int(n_steps)
    if n < 0:
        raise ValueError(f"n_steps must be >= 0, got {n_steps}")
    c = float(center)
    e0 = float(w0) - c
    if e0 == 0.0:
        return np.full(n + 1, c, dtype=np.float64)
    r = quadratic_multiplier(eta, lam)
    with np.errstate(over="ignore", invalid="ignore"):
        powers = np.float64(r) ** np.arange(n + 1, dtype=np.float64)
        out = c + powers * e0
    out[0] = float(w0)
    return out


def stability_interval(lam: float) -> tuple[float, float]:
    """Open interval of step sizes η for which GD converges on ½λw² (seed 004 §8; 002).

    GD on ½λ(w − c)² converges from every start iff |1 − ηλ| < 1, i.e.
    0 < η < 2/λ. Returns ``(0.0, 2/λ)`` for λ > 0 (both ends excluded: η = 2/λ
    gives r = −1, an oscillation that never decays). For λ ≤ 0 no η > 0 works
    (|1 − ηλ| ≥ 1), and the empty interval ``(0.0, 0.0)`` is returned.

    >>> stability_interval(1.0)
    (0.0, 2.0)
    """
    lam = float(lam)
    if not lam > 0.0:
        return (0.0, 0.0)
    return (0.0, 2.0 / lam)
