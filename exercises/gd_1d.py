"""Exercise gd_1d — gradient descent in one dimension, as a recursion.

Course notes: seed 004 "Optimization and PyTorch Basics in 1D" (§4-§8), seed 003
(the gradient-descent blog post, its first demo and Exercises 1 and 4) and seed 002
"Learning & Optimization as a Dynamical System" (Exercise 1).

The update
----------
Gradient descent with step size (learning rate) η > 0 replaces w by

    w_{k+1} = w_k − η·L'(w_k).

It comes from the first-order Taylor model L(w + Δ) ≈ L(w) + L'(w)·Δ: moving
against the slope decreases the model, and L(w − ηL') ≈ L(w) − η·|L'(w)|² shows
the loss goes down to first order when η is small enough. Run it from w_0 and you
get a sequence w_0, w_1, w_2, … — a discrete-time dynamical system. In this
course a *trajectory* always includes its start point: n steps give n + 1 numbers.

Quadratics: a closed form
-------------------------
On L(w) = ½·λ·(w − c)² the derivative is L'(w) = λ·(w − c), so

    w_{k+1} − c = (1 − ηλ)·(w_k − c)      ⇒      w_k = c + (1 − ηλ)^k·(w_0 − c).

Everything about the run is in the multiplier r = 1 − ηλ:

* 0 < ηλ < 1  (0 < r < 1): w_k creeps monotonically towards c;
* ηλ = 1      (r = 0):     one step lands exactly on c (seed 004: η = 1 on ½w²);
* 1 < ηλ < 2  (−1 < r < 0): w_k jumps from one side of c to the other, shrinking;
* ηλ = 2      (r = −1):    it bounces between w_0 and 2c − w_0 forever;
* ηλ > 2      (r < −1):    |w_k − c| grows geometrically — divergence
  (seed 004 §8: η = 3 on ½w² gives w_{k+1} = −2·w_k).

So GD converges on this quadratic exactly when 0 < η < 2/λ. Seed 003 writes its
loss as (x − 3)², which is λ = 2 and c = 3: from x = −7 with η = 0.2 the multiplier
is 0.6, with η = 1.0 it is −1 (oscillation forever) and with η = 1.5 it is −2.

Logging and stopping (seed 004 §5)
----------------------------------
A real loop logs k, w, L(w) and |L'(w)| at every iterate and stops on a rule:
|L'(w)| ≤ eps_grad, L(w) ≤ eps_obj, or a cap of max_iters. The check happens
*before* the update, so the iterate that triggered the stop is the one returned.
On ½w² from w0 = 5 with η = 0.5 and eps_grad = 1e-10 you will see 37 iterations
and a final w of 7.275958e-11 = 5/2³⁶.

Autograd (seed 004 §6-§7)
-------------------------
With PyTorch you only write the loss; ``backward()`` fills ``w.grad``. Three
rules: clear ``w.grad`` every step (gradients accumulate otherwise), call
``backward()`` once per forward pass, and update in place under
``torch.no_grad()`` (``w = w - eta * w.grad`` would replace the tracked tensor).
In float32 (torch's default) the seed's runs take 37 iterations on ½w², 27 on
½(w − 1)² and hit the cap of 200 on the double well ½(w² − 1)² with η = 0.02.

Choosing η (seed 004 §8)
------------------------
"Time-to-result" is the number of steps until L(w_k) ≤ 10⁻⁵; sweep η over a grid
and the winner on ½w² is η = 1 (one step). The double well ½(w² − 1)² has two
minimisers, −1 and +1, and a local maximum at 0; which one GD reaches depends on
w_0 and η (from w_0 = 2, η = 0.25 lands exactly on −1 in one step!).

Conventions: numbers in, Python ``float``/``int`` or float64 NumPy arrays out; the
functions you are given as arguments (``L``, ``dL``) are plain callables that you
call with a float (the course landscapes' ``.loss`` and ``.grad`` work too). A run
that diverges is never an error: keep iterating, ``inf`` and ``nan`` are allowed
(silence NumPy's warnings with ``np.errstate(over="ignore", invalid="ignore")``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = [
    "autograd_derivative",
    "double_well_limit",
    "gd_1d_torch",
    "gd_step",
    "gd_trajectory",
    "gradient_descent_1d",
    "quadratic_closed_form",
    "quadratic_multiplier",
    "stability_interval",
    "step_size_sweep",
    "time_to_result",
]


def gd_step(dL: Callable[[float], float], w: float, eta: float) -> float:
    """Take one gradient-descent step: return w − η·L'(w) (seed 004 §4).

    Args:
        dL: the derivative L'. Call it exactly once, on ``w``; it returns a number.
        w: the current iterate (a float).
        eta: the step size η (any float; η ≤ 0 is not checked).

    Returns:
        The new iterate as a Python ``float``. If the numbers overflow, return
        ``inf``/``nan`` rather than raising.

    Example: on L(x) = x² (dL = 2x) from x = 5 with η = 0.1 the step gives 4.0.
    """
    raise NotImplementedError


def gd_trajectory(dL: Callable[[float], float], w0: float, eta: float, n_steps: int) -> np.ndarray:
    """Run ``n_steps`` GD steps from ``w0`` and return every iterate (seeds 003, 004).

    w_{k+1} = w_k − η·L'(w_k) for k = 0, …, n_steps − 1.

    Args:
        dL: the derivative L'; call it once per step, on w_0, …, w_{n_steps−1}.
        w0: the start point.
        eta: the step size η.
        n_steps: the number of updates (an int ≥ 0; raise ``ValueError`` if negative).

    Returns:
        A float64 array of shape ``(n_steps + 1,)``: entry k is w_k and entry 0 is
        ``w0`` itself (so ``n_steps = 0`` gives ``[w0]``). A divergent run is
        iterated to the end: entries may become ``inf`` or ``nan``, no exception.

    Example (seed 003's first demo): L(x) = x², x0 = 5, η = 0.1, 20 steps ends at
    5·0.8²⁰ ≈ 0.0576.
    """
    raise NotImplementedError


def quadratic_multiplier(eta: float, lam: float) -> float:
    """The multiplier r = 1 − ηλ of GD on L(w) = ½λ(w − c)² (seed 002 Ex.1; 004 §8).

    Each step multiplies the distance to the minimiser: w_{k+1} − c = r·(w_k − c).

    Args:
        eta: the step size η.
        lam: the curvature λ = L''(w).

    Returns:
        r = 1 − η·λ as a Python ``float`` (any sign; no checks). Seed 004 §8:
        η = 3, λ = 1 gives −2.0; η = 1, λ = 1 gives 0.0.
    """
    raise NotImplementedError


def quadratic_closed_form(
    w0: float, eta: float, lam: float, n_steps: int, center: float = 0.0
) -> np.ndarray:
    """The GD iterates on L(w) = ½λ(w − c)² without iterating (seed 002 Ex.1; 003 Ex.1).

    w_k = c + (1 − ηλ)^k·(w0 − c),  for k = 0, 1, …, n_steps.

    Args:
        w0: the start point.
        eta: the step size η.
        lam: the curvature λ.
        n_steps: the last k (an int ≥ 0; raise ``ValueError`` if negative).
        center: the minimiser c (default 0, i.e. L = ½λw²).

    Returns:
        A float64 array of shape ``(n_steps + 1,)``, entry k = w_k, entry 0 exactly
        ``w0`` — the same shape as ``gd_trajectory`` so you can compare them.
        Compute each power directly as r**k with r = 1 − ηλ (not by repeated
        multiplication). If ``w0 == center`` every entry is exactly ``center``
        (even if r**k overflows). Overflow gives ``±inf`` without an exception.

    Example: seed 003 Ex.1 is L = (x − 3)², i.e. λ = 2, c = 3; from −7 with η = 0.2
    after 20 steps: 3 + 0.6²⁰·(−10) ≈ 2.9996.
    """
    raise NotImplementedError


def stability_interval(lam: float) -> tuple[float, float]:
    """The open interval of step sizes for which GD converges on ½λw² (seed 004 §8).

    Convergence from every start ⇔ |1 − ηλ| < 1 ⇔ 0 < η < 2/λ.

    Args:
        lam: the curvature λ.

    Returns:
        A tuple ``(0.0, 2/λ)`` of Python floats for λ > 0; both ends are excluded
        (η = 2/λ makes r = −1: an oscillation that never decays). For λ ≤ 0 there
        is no good η > 0, and you return the empty interval ``(0.0, 0.0)``.
        Example: λ = 1 → ``(0.0, 2.0)``; seed 003's (x − 3)² has λ = 2 → ``(0.0, 1.0)``.
    """
    raise NotImplementedError


def gradient_descent_1d(
    L: Callable[[float], float],
    dL: Callable[[float], float],
    w0: float,
    eta: float,
    max_iters: int = 200,
    eps_grad: float | None = 1e-8,
    eps_obj: float | None = None,
) -> tuple[float, dict[str, np.ndarray]]:
    """Seed 004 §5's gradient-descent loop with logging and stopping rules.

    Start with w = w0. For k = 0, 1, …, max_iters − 1:

    1. compute L(w) and L'(w); record k, w, L(w) and |L'(w)| in the history;
    2. stop if ``eps_grad`` is not None and |L'(w)| ≤ eps_grad, or if ``eps_obj``
       is not None and L(w) ≤ eps_obj (either rule may be switched off with None);
    3. otherwise update w ← w − η·L'(w).

    The check comes BEFORE the update: the iterate that triggered the stop is in
    the history and is returned. If nothing triggers, the loop makes
    ``max_iters`` updates and returns w_{max_iters}, which is NOT in the history
    (the history stops at k = max_iters − 1). ``max_iters = 0`` returns ``w0`` and
    empty arrays. Call ``L`` and ``dL`` once each per recorded iterate. ``nan``
    never satisfies a rule; a divergent run is not an error.

    Returns:
        ``(w_final, hist)``: ``w_final`` a Python float; ``hist`` a dict with keys
        ``"k"`` (int64), ``"w"``, ``"L"``, ``"abs_dL"`` (float64), all 1-D arrays of
        the same length — the seed's "Iterations" is ``len(hist["k"])``.

    Example (seed 004 §5): ½w², w0 = 5, η = 0.5, max_iters = 80, eps_grad = 1e-10
    gives w_final = 7.275958e-11, hist["L"][-1] = 2.646978e-21 and 37 iterations.
    """
    raise NotImplementedError


def gd_1d_torch(
    L_fn: Callable[[Any], Any],
    w0: float,
    eta: float,
    max_iters: int = 200,
    eps_grad: float | None = 1e-8,
    eps_obj: float | None = None,
    dtype: str = "float32",
) -> tuple[float, dict[str, np.ndarray]]:
    """The same loop as ``gradient_descent_1d``, with L'(w) from PyTorch autograd (seed 004 §7).

    Make ``w = torch.tensor(float(w0), dtype=torch.float32 or torch.float64,
    requires_grad=True)`` (``dtype`` is the string ``"float32"`` — torch's default,
    as in the seed — or ``"float64"``; raise ``ValueError`` for anything else).
    Then for k = 0, …, max_iters − 1:

    1. clear the gradient (``w.grad = None``), compute ``loss = L_fn(w)`` (a 0-d
       tensor) and call ``loss.backward()``;
    2. record k, ``w.item()``, ``loss.item()`` and ``abs(w.grad.item())``;
    3. stop exactly as ``gradient_descent_1d`` does (eps_grad, then eps_obj,
       checked before the update);
    4. otherwise update in place under ``torch.no_grad()``: ``w -= eta * w.grad``.

    Returns:
        ``(w.item(), hist)`` with exactly the structure of ``gradient_descent_1d``:
        a Python float and a dict of 1-D NumPy arrays ``"k"`` (int64), ``"w"``,
        ``"L"``, ``"abs_dL"`` (float64 arrays holding the float32/float64 values).
        Seed 004 §7 (w0 = 5, η = 0.5, eps_grad = 1e-10, max_iters = 80, float32):
        37 iterations on ½w², 27 on ½(w − 1)²; the double well with η = 0.02 and
        max_iters = 200 runs all 200 and returns w ≈ 0.9999991.
    """
    raise NotImplementedError


def autograd_derivative(L_fn: Callable[[Any], Any], w: float, dtype: str = "float32") -> float:
    """L'(w) by ``backward()`` on a scalar tensor (seed 004 §6's sanity check).

    Create ``t = torch.tensor(float(w), dtype=..., requires_grad=True)`` with
    ``dtype`` ``"float32"`` (default) or ``"float64"`` (anything else:
    ``ValueError``), call ``L_fn(t).backward()`` once, and return ``t.grad.item()``.

    Returns:
        The derivative as a Python ``float``. Example: the double well
        ½(w² − 1)² at w = 2 gives 12.0, which matches 2w(w² − 1).
    """
    raise NotImplementedError


def time_to_result(
    L: Callable[[float], float],
    dL: Callable[[float], float],
    w0: float,
    eta: float,
    target: float = 1e-5,
    max_iters: int = 1000,
) -> int:
    """How many GD steps until L(w_k) ≤ target? (seed 004 §8, "time-to-result").

    Iterate w_{k+1} = w_k − η·L'(w_k) from w0 and return the FIRST k in
    {0, 1, …, max_iters − 1} with L(w_k) ≤ target. k counts updates, so the answer
    is 0 if L(w0) ≤ target already, and 1 if the first step gets there.

    The cap: if none of w_0, …, w_{max_iters−1} reaches the target, return
    ``max_iters`` itself (the "ceiling" in the seed's sweep plots). Because a
    reached count is always smaller than ``max_iters``, the value ``max_iters``
    means "not reached". ``nan`` never reaches the target; never raise on divergence.

    Returns:
        A Python ``int``. Example: ½w² from w0 = 5 with η = 1 returns 1; with
        η = 0.5 it returns 11; with η = 3 (divergent) it returns ``max_iters``.
    """
    raise NotImplementedError


def step_size_sweep(
    L: Callable[[float], float],
    dL: Callable[[float], float],
    w0: float,
    etas: np.ndarray,
    target: float = 1e-5,
    max_iters: int = 1000,
) -> np.ndarray:
    """Time-to-result for every step size of a grid (seed 004 §8, Figures 1.6-1.7).

    counts[i] = time_to_result(L, dL, w0, etas[i], target, max_iters).

    Args:
        etas: any array-like of step sizes; flatten it to 1-D (a single number
            counts as a grid of one).
        The other arguments are those of ``time_to_result``.

    Returns:
        An int64 array with one count per η, in the order given. Entries equal to
        ``max_iters`` did not reach the target. Example: ½w² from w0 = 5 with
        etas [0.5, 1.0, 3.0] gives [11, 1, 1000].
    """
    raise NotImplementedError


def double_well_limit(w0: float, eta: float, n_steps: int = 1000, tol: float = 1e-6) -> float:
    """Which stationary point GD on the double well ½(w² − 1)² ends at (seed 004 §8).

    Run ``n_steps`` steps of w_{k+1} = w_k − η·2w_k(w_k² − 1) from ``w0`` and
    compare the last iterate w_n with the stationary points −1, 0 and +1 (the two
    minimisers and the local maximum).

    Returns:
        The point p among −1.0, 0.0, 1.0 with |w_n − p| ≤ tol, as a Python float,
        or ``nan`` if w_n is within ``tol`` of none of them (the run diverged,
        is cycling, or has not settled yet). Examples: w0 = 5, η = 0.02 → 1.0;
        w0 = 2, η = 0.25 → −1.0 (the first step lands exactly on −1).
    """
    raise NotImplementedError
