"""Leslie Smith's cyclical learning rates (Smith 2017; seed 001 §8.2 "Cyclical", §11 row 12).

Smith's formula with s = ``step_size``::

    cycle = ⌊1 + t / (2s)⌋,   x = |t/s − 2·cycle + 1|,
    η_t   = base + (max − base) · max(0, 1 − x) · scale

The implementation uses torch's ``CyclicLR`` arithmetic, which is the same function
written for a possibly asymmetric cycle (s_up = ``step_size`` steps rising,
s_down = ``step_size_down`` steps falling, L = s_up + s_down, r = s_up / L)::

    cycle = ⌊1 + t/L⌋,   x = 1 + t/L − cycle ∈ [0, 1),
    h = x / r  if x ≤ r  else  (x − 1)/(r − 1),
    η_t = base + (max − base) · h · scale

For s_up = s_down = s, h = 1 − |2x − 1| = max(0, 1 − |t/s − 2·cycle + 1|).
"""

from __future__ import annotations

import numpy as np

from ._steps import as_steps, finish, positive_int


def _cycle_and_height(
    t: np.ndarray, step_size: int, step_size_down: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Return (cycle number ≥ 1, height h ∈ [0, 1]) exactly as torch's CyclicLR computes them."""
    up = float(positive_int("step_size", step_size))
    down = up if step_size_down is None else float(positive_int("step_size_down", step_size_down))
    total = up + down
    ratio = up / total
    cycle = np.floor(1 + t / total)
    x = 1.0 + t / total - cycle
    height = np.where(x <= ratio, x / ratio, (x - 1) / (ratio - 1))
    return cycle, height


def triangular(
    step: int | np.ndarray,
    *,
    base_lr: float,
    max_lr: float,
    step_size: int,
    step_size_down: int | None = None,
) -> float | np.ndarray:
    """Smith's triangular policy: η_t = base + (max − base)·max(0, 1 − x) (Smith 2017).

    cycle = ⌊1 + t/(2s)⌋, x = |t/s − 2·cycle + 1| with s = ``step_size`` ≥ 1; the rate
    rises linearly from ``base_lr`` (t = 0) to ``max_lr`` (t = s) and falls back to
    ``base_lr`` (t = 2s), period 2s (s + ``step_size_down`` if that is given). Seed 001
    §8.2 ("Cyclical": oscillate between η_min and η_max) and §11 row 12. Same values as
    ``CyclicLR(opt, base_lr, max_lr, step_size_up=s, step_size_down=…,
    mode="triangular", cycle_momentum=False)``.
    ``step``: int ≥ 0 → float, 1-D integer array → float64 array.

    >>> [triangular(t, base_lr=0.1, max_lr=0.5, step_size=4) for t in (0, 2, 4, 6, 8)]
    [0.1, 0.30000000000000004, 0.5, 0.30000000000000004, 0.1]
    """
    t, scalar = as_steps(step)
    _, height = _cycle_and_height(t, step_size, step_size_down)
    lo = float(base_lr)
    values = lo + (float(max_lr) - lo) * height
    return finish(values, scalar)


def triangular2(
    step: int | np.ndarray,
    *,
    base_lr: float,
    max_lr: float,
    step_size: int,
    step_size_down: int | None = None,
) -> float | np.ndarray:
    """Smith's triangular2: the triangle's amplitude halves every cycle (Smith 2017).

    η_t = base + (max − base)·max(0, 1 − x)/2^(cycle − 1), with cycle and x as in
    :func:`triangular`; the peak of cycle c (at t = (2c − 1)s) is
    base + (max − base)/2^(c − 1). Seed 001 §8.2 "Cyclical". Same values as
    ``CyclicLR(..., mode="triangular2", cycle_momentum=False)``. The factor 2^(1 − c) is
    exact (``np.ldexp``) and underflows quietly to 0 after ~1075 cycles, where the rate
    is base_lr (torch's ``2.0 ** (c − 1)`` raises OverflowError from cycle 1026 on).
    ``step``: int ≥ 0 → float, 1-D integer array → float64 array.

    >>> [triangular2(t, base_lr=0.0, max_lr=1.0, step_size=2) for t in (2, 6, 10)]
    [1.0, 0.5, 0.25]
    """
    t, scalar = as_steps(step)
    cycle, height = _cycle_and_height(t, step_size, step_size_down)
    lo = float(base_lr)
    values = lo + (float(max_lr) - lo) * height * np.ldexp(1.0, (1 - cycle).astype(np.int64))
    return finish(values, scalar)


def exp_range(
    step: int | np.ndarray,
    *,
    base_lr: float,
    max_lr: float,
    step_size: int,
    gamma: float,
    step_size_down: int | None = None,
) -> float | np.ndarray:
    """Smith's exp_range: the amplitude decays as γ^t (t = global step) (Smith 2017).

    η_t = base + (max − base)·max(0, 1 − x)·γ^t, with cycle and x as in
    :func:`triangular`. Note the exponent is the step t itself, not the cycle number.
    Seed 001 §8.2 "Cyclical". Same values as
    ``CyclicLR(..., mode="exp_range", gamma=γ, cycle_momentum=False)``.
    ``step``: int ≥ 0 → float, 1-D integer array → float64 array.

    >>> exp_range(2, base_lr=0.0, max_lr=1.0, step_size=2, gamma=0.5)
    0.25
    >>> exp_range(0, base_lr=0.1, max_lr=1.0, step_size=2, gamma=0.5)
    0.1
    """
    t, scalar = as_steps(step)
    _, height = _cycle_and_height(t, step_size, step_size_down)
    lo = float(base_lr)
    values = lo + (float(max_lr) - lo) * height * (float(gamma) ** t)
    return finish(values, scalar)
