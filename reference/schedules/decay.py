"""Decaying learning-rate schedules as pure functions of the step (seed 001 §8.2).

Step convention (all schedules): the value at step ``t`` is the learning rate used for
update ``t``, counting updates from 0, so ``schedule(0)`` is the rate of the FIRST
update. In PyTorch this is ``optimizer.param_groups[0]["lr"]`` after ``t`` calls to
``scheduler.step()``.
"""

from __future__ import annotations

import math

import numpy as np

from ._steps import as_steps, finish, positive_int


def constant_lr(step: int | np.ndarray, *, eta0: float) -> float | np.ndarray:
    """Constant schedule η_t = η₀ (seed 001 §8.2, "Constant" row).

    ``step`` is an int ≥ 0 (returns a Python float) or a 1-D integer array (returns a
    float64 array of the same length). torch: no scheduler at all (or ``LambdaLR`` with
    ``lambda t: 1.0``).

    >>> constant_lr(7, eta0=0.1)
    0.1
    >>> constant_lr([0, 1, 2], eta0=0.5).tolist()
    [0.5, 0.5, 0.5]
    """
    t, scalar = as_steps(step)
    return finish(np.full(t.shape, float(eta0)), scalar)


def step_decay(
    step: int | np.ndarray, *, eta0: float, gamma: float, step_size: int
) -> float | np.ndarray:
    """Step decay η_t = η₀ · γ^⌊t / s⌋ with s = ``step_size`` ≥ 1 (seed 001 §8.2).

    The rate drops by the factor γ at t = s, 2s, 3s, … . Same values as
    ``torch.optim.lr_scheduler.StepLR(opt, step_size=s, gamma=γ)`` with ``lr=η₀``
    (torch multiplies recursively, so its values agree up to rounding).
    ``step``: int ≥ 0 → float, 1-D integer array → float64 array.

    >>> [step_decay(t, eta0=0.1, gamma=0.1, step_size=10) for t in (0, 9, 10)]
    [0.1, 0.1, 0.010000000000000002]
    """
    t, scalar = as_steps(step)
    s = positive_int("step_size", step_size)
    values = float(eta0) * float(gamma) ** (t // s)
    return finish(values, scalar)


def exponential_decay(step: int | np.ndarray, *, eta0: float, alpha: float) -> float | np.ndarray:
    """Exponential decay η_t = η₀ · e^(−α t) (seed 001 §8.2).

    torch's ``ExponentialLR(opt, gamma=γ)`` gives η₀ · γ^t, the same schedule with
    γ = e^(−α) (α = −ln γ); torch multiplies by γ once per ``scheduler.step()``, so its
    values agree up to rounding (relative error of order t·10⁻¹⁶).
    ``step``: int ≥ 0 → float, 1-D integer array → float64 array.

    >>> exponential_decay(0, eta0=0.2, alpha=0.5)
    0.2
    >>> round(exponential_decay(2, eta0=1.0, alpha=0.5), 12) == round(math.exp(-1.0), 12)
    True
    """
    t, scalar = as_steps(step)
    values = float(eta0) * np.exp(-float(alpha) * t)
    return finish(values, scalar)


def cosine_annealing(
    step: int | np.ndarray, *, eta0: float, total_steps: int, eta_min: float = 0.0
) -> float | np.ndarray:
    """Cosine annealing η_t = η_min + ½(η₀ − η_min)(1 + cos(π t / T)) (seed 001 §8.2).

    T = ``total_steps`` ≥ 1. η_0 = η₀, η_{T/2} = (η₀ + η_min)/2, η_T = η_min, and for
    t > T the rate HOLDS at η_min (t is clipped to T). This is the closed form of
    ``CosineAnnealingLR(opt, T_max=T, eta_min=η_min)`` for 0 ≤ t ≤ T (torch updates it
    recursively; agreement to ~1e-15 relative). Beyond T torch does not hold: it keeps
    following the cosine, so its rate climbs back to η₀ at t = 2T.
    ``step``: int ≥ 0 → float, 1-D integer array → float64 array.

    >>> cosine_annealing(0, eta0=1.0, total_steps=10, eta_min=0.1)
    1.0
    >>> cosine_annealing(10, eta0=1.0, total_steps=10, eta_min=0.1)
    0.1
    >>> cosine_annealing(25, eta0=1.0, total_steps=10, eta_min=0.1)
    0.1
    """
    t, scalar = as_steps(step)
    big_t = positive_int("total_steps", total_steps)
    tc = np.minimum(t, big_t)
    lo, hi = float(eta_min), float(eta0)
    values = lo + (hi - lo) * (1.0 + np.cos(math.pi * tc / big_t)) / 2.0
    return finish(values, scalar)


def warmup_cosine(
    step: int | np.ndarray,
    *,
    eta0: float,
    warmup_steps: int,
    total_steps: int,
    eta_min: float = 0.0,
    start_factor: float = 0.0,
) -> float | np.ndarray:
    """Linear warm-up then cosine decay (seed 001 §8.2, "Warmup + decay" row).

    With T_w = ``warmup_steps`` ≥ 0, T = ``total_steps`` > T_w and f = ``start_factor``
    in [0, 1]:

    * 0 ≤ t < T_w:  η_t = η₀ · (f + (1 − f) · t / T_w)   (f = 0: η_t = η₀ · t / T_w)
    * T_w ≤ t:      η_t = cosine_annealing(t − T_w, η₀, T − T_w, η_min)

    so η_0 = f·η₀ (0 by default: the seed's ramp "from 0", which makes the first
    update a no-op), η_{T_w} = η₀ (the ramp joins the cosine continuously), η_T = η_min
    and the rate holds at η_min after T. The ramp η₀·t/T_w (not η₀·(t+1)/T_w) is the one
    of ``SequentialLR([LinearLR(opt, start_factor=f, total_iters=T_w),
    CosineAnnealingLR(opt, T_max=T − T_w, eta_min=η_min)], milestones=[T_w])``;
    torch's ``LinearLR`` refuses f = 0, so it can only approach the seed's ramp.
    ``step``: int ≥ 0 → float, 1-D integer array → float64 array.

    >>> [warmup_cosine(t, eta0=1.0, warmup_steps=4, total_steps=8) for t in (0, 2, 4, 8)]
    [0.0, 0.5, 1.0, 0.0]
    """
    t, scalar = as_steps(step)
    t_w = positive_int("warmup_steps", warmup_steps, minimum=0)
    big_t = positive_int("total_steps", total_steps)
    if big_t <= t_w:
        raise ValueError(f"total_steps ({big_t}) must exceed warmup_steps ({t_w})")
    f = float(start_factor)
    if not 0.0 <= f <= 1.0:
        raise ValueError(f"start_factor must lie in [0, 1], got {f}")
    hi = float(eta0)
    decay = cosine_annealing(
        np.maximum(t.reshape(-1) - t_w, 0), eta0=hi, total_steps=big_t - t_w, eta_min=eta_min
    ).reshape(t.shape)
    if t_w == 0:
        return finish(decay, scalar)
    ramp = hi * (f + (1.0 - f) * t / t_w)
    return finish(np.where(t < t_w, ramp, decay), scalar)
