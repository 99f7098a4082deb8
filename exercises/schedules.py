"""Exercise `schedules`: learning-rate schedules and cyclical learning rates.

Where this comes from
---------------------
Seed 001 ("Optimisation Intuition: Loss as Energy") §8.2 argues that a single fixed
learning rate η is a compromise: you want big steps early (fast progress) and small
steps late (settle into the minimum without bouncing). A *schedule* makes η depend on
the update index t. The seed's table lists the classic ones, which you implement here:

    constant            η_t = η₀
    step decay          η_t = η₀ · γ^⌊t/s⌋                  (drop by γ every s steps)
    exponential decay   η_t = η₀ · e^(−α t)
    cosine annealing    η_t = η_min + ½(η₀ − η_min)(1 + cos(π t / T))
    warm-up + cosine    ramp linearly from 0 to η₀ over T_w steps, then cosine to η_min
    cyclical (Smith)    oscillate between η_min ("base") and η_max ("max")

Leslie Smith's cyclical learning rates (Smith 2017, "Cyclical Learning Rates for
Training Neural Networks"; seed 001 §8.2 and the notebook's Exercise 3) use a triangle
wave with half-period s = ``step_size``:

    cycle = ⌊1 + t/(2s)⌋,   x = |t/s − 2·cycle + 1|,
    η_t   = base + (max − base) · max(0, 1 − x) · scale

with scale = 1 ("triangular"), 1/2^(cycle−1) ("triangular2": the triangle's height
halves every cycle) or γ^t ("exp_range": the height decays with the step t). So
η_0 = base, η_s = max, η_2s = base, and so on. Optionally the falling half can have its
own length ``step_size_down`` (PyTorch's ``CyclicLR`` allows that): see the docstring of
:func:`triangular` for the general formula.

Conventions you must follow
---------------------------
* A schedule is a *pure function of the step*: ``name(step, *, params) -> float``.
  ``step`` is an int ≥ 0; you must also accept a 1-D integer array (or list of ints)
  and then return a float64 array of the same length, equal elementwise to the scalar
  calls. Negative steps raise ``ValueError``; non-integer steps (floats, bools) raise
  ``TypeError``. Tip: write the formula once with NumPy on ``np.asarray(step)`` and
  return ``float(...)`` when the input was a scalar.
* **Step counting**: the value at step t is the learning rate used for update t,
  counting updates from 0. So ``schedule(0)`` is the rate of the FIRST update. In
  PyTorch terms: ``optimizer.param_groups[0]["lr"]`` after t calls to
  ``scheduler.step()`` (torch applies the value at construction time to the first
  update, then you call ``scheduler.step()`` after each ``optimizer.step()``). This
  off-by-one is the classic scheduler bug: the checks look for it.
* Cosine annealing holds at η_min for t > T (PyTorch's ``CosineAnnealingLR`` instead
  keeps following the cosine, so its rate climbs back up to η₀ at t = 2T).
* The warm-up ramp is η₀·t/T_w (so the ramp starts at exactly 0 as the seed says, and
  reaches η₀ at t = T_w, where the cosine begins). An optional ``start_factor`` f
  gives η₀·(f + (1 − f)·t/T_w), which is exactly PyTorch's ``LinearLR`` (torch
  refuses f = 0).

Gradient descent with a schedule
--------------------------------
``gd_with_schedule(grad, x0, lrs)`` runs x_{k+1} = x_k − η_k ∇L(x_k) with ``lrs[k]``
= η_k. It takes an *array* of rates (build it with ``triangular(np.arange(n), ...)``),
not a schedule function. Try it on the course landscapes in
``autograder.landscapes``: the quadratic x² + 3y² (``QuadraticForm.diagonal([2, 6])``)
and the multimodal sin(x)cos(y) + 0.1(x² + y²) (``Multimodal()``).

What you will observe
---------------------
* On x² + 3y² a cyclical rate whose peak exceeds the stability limit 2/λmax = 1/3 for a
  few steps still converges: what matters on a quadratic is the product of the
  multipliers (1 − η_k λ) over the run, not each one.
* On the multimodal loss, ``constant_vs_cyclical`` answers the seed's question "does
  the cyclical LR escape shallow basins?". Starting at (4.5, 0) with η = 0.1, constant
  GD settles in the shallow minimum near (3.84, 0) (loss ≈ 0.83); one triangular cycle
  from 0.1 up to 5.0 and back (step_size 20) throws the iterate out and it settles in
  the deep minimum near (−1.31, 0) (loss ≈ −0.79). But try a peak of 4.9: it does NOT
  escape. Once η is far above 2/λ the iterate is thrown around chaotically and where it
  lands is close to a lottery; with a peak below 2/λ of the basin it never leaves.
  (On this landscape the deepest minimum is also the sharpest, λ ≈ 1.17 against
  0.84, so large rates do not favour it: they favour flat minima.)

Fill in each function below: replace ``raise NotImplementedError`` with your code.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "constant_lr",
    "constant_vs_cyclical",
    "cosine_annealing",
    "exp_range",
    "exponential_decay",
    "gd_with_schedule",
    "step_decay",
    "triangular",
    "triangular2",
    "warmup_cosine",
]


def constant_lr(step: int | np.ndarray, *, eta0: float) -> float | np.ndarray:
    """Constant schedule η_t = η₀ (seed 001 §8.2, row "Constant").

    Args:
        step: update index t, an int ≥ 0, or a 1-D array/list of such ints.
        eta0: the learning rate η₀.

    Returns:
        ``eta0`` as a Python float for a scalar step; for an array of steps a float64
        array of the same shape filled with ``eta0``.

    Raises:
        ValueError for a negative step, TypeError for a non-integer step.
    """
    raise NotImplementedError


def step_decay(
    step: int | np.ndarray, *, eta0: float, gamma: float, step_size: int
) -> float | np.ndarray:
    """Step decay η_t = η₀ · γ^⌊t / s⌋ (seed 001 §8.2, row "Step decay").

    Args:
        step: update index t (int ≥ 0) or a 1-D integer array of them.
        eta0: initial rate η₀ (used for t = 0 … s − 1).
        gamma: decay factor γ applied at t = s, 2s, 3s, ….
        step_size: s, an int ≥ 1 (ValueError otherwise).

    Returns:
        Python float for a scalar step, float64 array (same shape) for an array.
        Example: η₀ = 0.1, γ = 0.1, s = 10 gives 0.1 at t = 9 and 0.01 at t = 10.
        torch counterpart: ``StepLR(optimizer, step_size=s, gamma=γ)``.
    """
    raise NotImplementedError


def exponential_decay(step: int | np.ndarray, *, eta0: float, alpha: float) -> float | np.ndarray:
    """Exponential decay η_t = η₀ · e^(−α t) (seed 001 §8.2, row "Exponential decay").

    Args:
        step: update index t (int ≥ 0) or a 1-D integer array of them.
        eta0: initial rate η₀ (the value at t = 0).
        alpha: decay rate α (per step).

    Returns:
        Python float for a scalar step, float64 array (same shape) for an array.
        torch counterpart: ``ExponentialLR(optimizer, gamma=math.exp(-alpha))``, which
        computes η₀·γ^t by multiplying by γ once per ``scheduler.step()``.
    """
    raise NotImplementedError


def cosine_annealing(
    step: int | np.ndarray, *, eta0: float, total_steps: int, eta_min: float = 0.0
) -> float | np.ndarray:
    """Cosine annealing η_t = η_min + ½(η₀ − η_min)(1 + cos(π t / T)) (seed 001 §8.2).

    Args:
        step: update index t (int ≥ 0) or a 1-D integer array of them.
        eta0: the starting rate η₀ (value at t = 0).
        total_steps: T, an int ≥ 1: the rate reaches η_min at t = T.
        eta_min: the final rate η_min (default 0).

    Returns:
        Python float for a scalar step, float64 array (same shape) for an array.
        Boundaries: t = 0 → η₀, t = T/2 → (η₀ + η_min)/2, t = T → η_min, and for t > T
        the rate HOLDS at η_min (use min(t, T) in the formula). torch's
        ``CosineAnnealingLR(optimizer, T_max=T, eta_min=η_min)`` agrees for 0 ≤ t ≤ T
        but keeps following the cosine after T.
    """
    raise NotImplementedError


def warmup_cosine(
    step: int | np.ndarray,
    *,
    eta0: float,
    warmup_steps: int,
    total_steps: int,
    eta_min: float = 0.0,
    start_factor: float = 0.0,
) -> float | np.ndarray:
    """Linear warm-up then cosine decay (seed 001 §8.2, row "Warmup + decay").

    With T_w = ``warmup_steps`` (int ≥ 0), T = ``total_steps`` (int > T_w, ValueError
    otherwise) and f = ``start_factor`` in [0, 1] (ValueError otherwise):

    * for 0 ≤ t < T_w:  η_t = η₀ · (f + (1 − f) · t / T_w)    (default f = 0: η₀·t/T_w)
    * for t ≥ T_w:      η_t = cosine_annealing(t − T_w, eta0=η₀, total_steps=T − T_w,
      eta_min=η_min)

    So η_0 = f·η₀ (exactly 0 by default, which makes the first update a no-op),
    η_{T_w} = η₀, η_T = η_min, and the rate holds at η_min after T. With T_w = 0 this
    is plain cosine annealing.

    Returns:
        Python float for a scalar step, float64 array (same shape) for an array.
        torch counterpart: ``SequentialLR(optimizer, [LinearLR(optimizer,
        start_factor=f, total_iters=T_w), CosineAnnealingLR(optimizer, T_max=T − T_w,
        eta_min=η_min)], milestones=[T_w])`` (it requires f > 0).
    """
    raise NotImplementedError


def triangular(
    step: int | np.ndarray,
    *,
    base_lr: float,
    max_lr: float,
    step_size: int,
    step_size_down: int | None = None,
) -> float | np.ndarray:
    """Smith's triangular cyclical rate (Smith 2017; seed 001 §8.2 "Cyclical").

    Symmetric case (``step_size_down`` is None), with s = ``step_size`` (int ≥ 1):
    cycle = ⌊1 + t/(2s)⌋, x = |t/s − 2·cycle + 1|,
    η_t = base_lr + (max_lr − base_lr) · max(0, 1 − x).
    So t = 0 → base_lr, t = s → max_lr, t = 2s → base_lr; the period is 2s.

    General case (s_up = ``step_size``, s_down = ``step_size_down`` ≥ 1, torch's
    ``CyclicLR`` arithmetic): L = s_up + s_down, r = s_up / L, cycle = ⌊1 + t/L⌋,
    x = 1 + t/L − cycle, h = x/r if x ≤ r else (x − 1)/(r − 1),
    η_t = base_lr + (max_lr − base_lr) · h. Rises for s_up steps, falls for s_down.

    Returns:
        Python float for a scalar step, float64 array (same shape) for an array.
        torch counterpart: ``CyclicLR(optimizer, base_lr, max_lr, step_size_up=s,
        step_size_down=…, mode="triangular", cycle_momentum=False)``.
    """
    raise NotImplementedError


def triangular2(
    step: int | np.ndarray,
    *,
    base_lr: float,
    max_lr: float,
    step_size: int,
    step_size_down: int | None = None,
) -> float | np.ndarray:
    """Smith's triangular2: a triangle whose height halves every cycle (Smith 2017).

    η_t = base_lr + (max_lr − base_lr) · h · 1/2^(cycle − 1), with cycle and the
    triangle height h ∈ [0, 1] exactly as in :func:`triangular` (same arguments, same
    optional asymmetric ``step_size_down``). The peak of cycle c = 1, 2, 3, … (at
    t = (2c − 1)s in the symmetric case) is base_lr + (max_lr − base_lr)/2^(c − 1).
    After very many cycles the factor underflows to 0 and the rate is base_lr (no
    warning, no error).

    Returns:
        Python float for a scalar step, float64 array (same shape) for an array.
        torch counterpart: ``CyclicLR(..., mode="triangular2", cycle_momentum=False)``.
    """
    raise NotImplementedError


def exp_range(
    step: int | np.ndarray,
    *,
    base_lr: float,
    max_lr: float,
    step_size: int,
    gamma: float,
    step_size_down: int | None = None,
) -> float | np.ndarray:
    """Smith's exp_range: a triangle whose height decays as γ^t (Smith 2017).

    η_t = base_lr + (max_lr − base_lr) · h · γ^t, with the triangle height h ∈ [0, 1]
    as in :func:`triangular`. Careful: the exponent is the step t itself (the number of
    updates so far), not the cycle number. With γ = 1 this is :func:`triangular`.

    Returns:
        Python float for a scalar step, float64 array (same shape) for an array.
        torch counterpart: ``CyclicLR(..., mode="exp_range", gamma=γ,
        cycle_momentum=False)``.
    """
    raise NotImplementedError


def gd_with_schedule(
    grad: Callable[[np.ndarray], np.ndarray], x0: ArrayLike, lrs: ArrayLike
) -> np.ndarray:
    """Gradient descent with per-step rates: x_{k+1} = x_k − η_k ∇L(x_k) (seed 001 §8.2).

    Args:
        grad: the gradient ∇L as a plain callable, e.g. ``QuadraticForm.diagonal([2, 6])
            .grad`` or ``Multimodal().grad``. For a vector x0 it receives a float64
            array of shape (d,) (a fresh copy each call) and must return shape (d,); for
            a scalar x0 it receives a Python float and returns a number.
        x0: the start, a scalar or a 1-D array-like of shape (d,). Not modified.
        lrs: 1-D array-like of the n learning rates; ``lrs[k]`` is used for update k
            (k = 0 … n − 1). A constant array gives plain gradient descent.

    Returns:
        The trajectory INCLUDING its start: float64 array of shape (n + 1, d) for a
        vector x0, (n + 1,) for a scalar x0; row 0 is a copy of x0, row k the iterate
        after k updates. With n = 0 it is just x0.

    Divergence never raises: keep iterating with IEEE arithmetic (inf/nan propagate)
    inside ``np.errstate(over="ignore", invalid="ignore")``. ValueError if ``lrs`` is not
    1-D, x0 has more than one dimension, or grad returns the wrong shape.
    """
    raise NotImplementedError


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
    """Constant η versus Smith's triangular schedule from the same start (seed 001 §8.2).

    Runs :func:`gd_with_schedule` twice from ``x0`` for ``n_steps`` (int ≥ 0) updates:
    once with η_k = ``lr`` for every k, once with η_k = ``triangular(k, base_lr=base_lr,
    max_lr=max_lr, step_size=step_size)`` for k = 0 … n_steps − 1.

    Args:
        loss, grad: the landscape's loss and gradient (e.g. ``Multimodal().loss`` and
            ``Multimodal().grad``); both receive what :func:`gd_with_schedule` passes.
        x0: common start (scalar or shape (d,)).

    Returns:
        A dict with exactly these keys:
        ``"x_constant"`` and ``"x_cyclical"``: the final iterates (float64 arrays of
        shape (d,), or Python floats for a scalar x0); ``"loss_constant"`` and
        ``"loss_cyclical"``: Python floats, ``loss`` evaluated at those iterates.
        Divergent runs give inf/nan values, never an exception.
    """
    raise NotImplementedError
