"""Exercise `diagnostics`: reading convergence diagnostics.

Where this comes from
---------------------
Seed 004 §3 ("Iterative algorithms and diagnostics"), seed 004 §8 (time-to-result) and
seed 001 §9 ("Convergence Diagnostics"). An optimiser is judged by what its logs say: the
error e_k (distance to the minimiser, objective gap L(w_k) − L*, or gradient norm) as a
function of the iteration k.

Two models of an error sequence (seed 004 §3)
---------------------------------------------
* Linear ("geometric") convergence:  e_k ≈ C·ρ^k with 0 < ρ < 1.
  Then log e_k ≈ log C + k·log ρ: a STRAIGHT LINE on a semilog-y plot, with slope log ρ.
  So ρ = exp(slope of the least-squares line through (k, log e_k)). Time-to-result grows
  like log(1/ε): each step removes a fixed fraction 1 − ρ of the error.
* Sublinear convergence:  e_k ≈ C/(k+1)^p.
  Then log e_k ≈ log C − p·log(k+1): straight on a log-log plot, BENDING on a semilog plot.
  Time-to-result grows like a power of 1/ε.

"Linear convergence" does not mean the error decreases along a line: it means geometric
decay. For gradient descent on a quadratic with Hessian eigenvalues λ_j, seed 001 §4.3
gives ρ = max_j |1 − ηλ_j|; on x² + 3y² (λ = 2, 6) the best step η* = 0.25 gives ρ* = 0.5,
and seed 004 §5's run on ½w² with η = 0.5 halves |w_k| every step (|w_k| = 5·0.5^k).

Time-to-result (seed 004 §8)
----------------------------
The first k with e_k ≤ target. For e_k = C·ρ^k it is ⌈log(target/C)/log ρ⌉ (0 if the
start already meets the target). When the target is never reached we return −1.

Reading a loss curve (seed 001 §9)
----------------------------------
| curve                                   | label            | action                 |
|-----------------------------------------|------------------|------------------------|
| rapid decrease to a low value           | "healthy"        | none                   |
| very slow, steady decrease              | "too_small_lr"   | increase η             |
| loss swings up and down                 | "oscillating"    | decrease η / momentum  |
| loss ends higher than it started / inf  | "diverging"      | decrease η drastically |
| progress stops at a high value          | "plateau"        | noise, new init, ...   |

What you will observe
---------------------
Run :func:`gd_history` on x² + 3y² (``QuadraticForm.diagonal([2.0, 6.0])``) from (1, 1):
with η = 0.1 both the loss and the gradient norm decay geometrically (ρ ≈ 0.64 for the
loss, 0.8 for the gradient norm, once the fast y-direction has died out); with η = 0.5
they grow (ρ = 4 and 2). With η = 0.25 the distance to the minimum has ρ = 0.5 exactly.
Every rule in this module is deterministic and stated in the function's docstring:
follow the rules exactly (including their ORDER), the grader compares labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = [
    "classify_convergence",
    "diagnose_loss_curve",
    "estimate_power",
    "estimate_rate",
    "gd_history",
    "time_to_result",
]


def estimate_rate(errors: Any, start: int = 0, stop: int | None = None) -> float:
    """Estimate ρ from a semilog slope: ρ = exp(b) for the least-squares line log e_k ≈ a + b·k.

    Window and filtering:
      * the window is ``errors[start:stop]`` with Python slice rules (negative indices
        allowed); k is the ORIGINAL index of each entry (0 for the first element of
        ``errors``), not its position inside the window;
      * inside the window, entries that are nan, ±inf, zero or negative are ignored
        (log is undefined for them);
      * with fewer than two usable entries return ``float("nan")``.

    Args:
        errors: 1-D array-like e_0, e_1, … (float).
        start, stop: the window, as in ``errors[start:stop]``.

    Returns:
        ρ as a Python float (natural log, ordinary least squares). Exactly ρ (up to
        rounding) for e_k = C·ρ^k; ρ > 1 means geometric growth.

    Raises:
        ValueError: if ``errors`` is not 1-D.
    """
    raise NotImplementedError


def estimate_power(errors: Any, start: int = 0, stop: int | None = None) -> float:
    """Estimate p in e_k ≈ C/(k+1)^p: p = −(least-squares slope of log e_k vs log(k+1)).

    Same window and filtering rules as :func:`estimate_rate`: window
    ``errors[start:stop]``, k is the original index, only finite e_k > 0 are used, fewer
    than two usable entries → ``float("nan")``.

    Args:
        errors: 1-D array-like.
        start, stop: the window, as in ``errors[start:stop]``.

    Returns:
        p as a Python float (exactly p, up to rounding, for e_k = C/(k+1)^p).

    Raises:
        ValueError: if ``errors`` is not 1-D.
    """
    raise NotImplementedError


def classify_convergence(errors: Any, stall_ratio: float = 0.99) -> str:
    """Label an error sequence ``"linear"``, ``"sublinear"``, ``"diverging"`` or ``"stalled"``.

    With e_0 … e_{n−1}, apply these rules IN ORDER; the first that applies decides:

    1. any entry nan or ±inf → ``"diverging"``;
    2. any entry negative → raise ``ValueError`` (errors are magnitudes);
    3. e_{n−1} > e_0 → ``"diverging"``;
    4. some entry is exactly 0 → ``"linear"`` (the solution was hit exactly, ρ = 0);
    5. e_{n−1} ≥ stall_ratio · e_h where h = (n − 1) // 2 → ``"stalled"``;
    6. fit two least-squares lines over ALL k = 0 … n−1: log e_k against k (geometric
       model) and log e_k against log(k+1) (power model), and compare their residual
       sums of squares: RSS_geometric ≤ RSS_power → ``"linear"``, else ``"sublinear"``.

    Args:
        errors: 1-D array-like with at least 3 entries.
        stall_ratio: rule 5's threshold (default 0.99: the second half of the run removed
            less than 1 % of the error).

    Returns:
        one of the four strings above.

    Raises:
        ValueError: if ``errors`` is not 1-D, has fewer than 3 entries, or (rule 2) holds
            a negative entry.
    """
    raise NotImplementedError


def time_to_result(errors: Any, target: float) -> int:
    """Return the first step k with e_k ≤ target, or −1 if the target is never reached.

    Args:
        errors: 1-D array-like history e_0, e_1, … (row k = after k updates), e.g. the
            losses L(w_k) or the gradient norms of a run. nan never counts as reached.
        target: the threshold ε (e.g. 1e-5 as in seed 004 §8).

    Returns:
        a Python int: 0 if e_0 ≤ target already, −1 if no entry is ≤ target.

    Raises:
        ValueError: if ``errors`` is not 1-D.
    """
    raise NotImplementedError


def gd_history(
    grad: Callable[[Any], Any],
    loss: Callable[[Any], Any],
    x0: Any,
    eta: float,
    n_steps: int,
) -> dict[str, np.ndarray]:
    """Run gradient descent x_{k+1} = x_k − η ∇L(x_k) and log loss and gradient norm.

    Args:
        grad: callable returning ∇L(x) (a number in 1-D, shape (d,) otherwise), e.g. a
            landscape's ``.grad``.
        loss: callable returning L(x) as a number, e.g. a landscape's ``.loss``.
        x0: start point; a scalar gives a 1-D run (the callables then receive a NumPy
            float64 scalar), shape (d,) gives a d-D run (they receive a float64 array of
            shape (d,)).
        eta: step size η.
        n_steps: number of updates n, an integer ≥ 0.

    Returns:
        ``{"k": int64 array (n+1,) = 0 … n, "x": float64 array (n+1,) in 1-D or (n+1, d),
        "L": float64 (n+1,), "grad_norm": float64 (n+1,)}``. Row k is the state after k
        updates; row 0 is x0 (a copy). ``L[k] = loss(x_k)`` and ``grad_norm[k]`` is the
        Euclidean norm of grad(x_k) (|L'(x_k)| in 1-D), so ``grad`` is called at x_0 … x_n
        (the last call only for the log). Never raises on divergence: keep applying the
        update with IEEE arithmetic (inf/nan) inside
        ``np.errstate(over="ignore", invalid="ignore")``.

    Raises:
        ValueError: if n_steps is negative or not an integer.
    """
    raise NotImplementedError


def diagnose_loss_curve(
    losses: Any,
    floor: float = 0.0,
    healthy_ratio: float = 1e-3,
    plateau_frac: float = 0.1,
    osc_fraction: float = 0.2,
) -> str:
    """Diagnose a loss history L_0 … L_{n−1} with the seed 001 §9 table.

    Let g_k = L_k − floor (the gap to a known lower bound on the optimal loss). Apply
    these rules IN ORDER; the first that applies decides:

    1. any L_k nan or ±inf, or L_{n−1} > L_0 → ``"diverging"``;
    2. the number of steps with L_{k+1} > L_k is > osc_fraction · (n − 1)
       → ``"oscillating"``;
    3. any g_k < 0 → raise ``ValueError`` (floor was not a lower bound);
    4. g_0 == 0, or g_{n−1} ≤ healthy_ratio · g_0 → ``"healthy"``;
    5. with h = (n − 1) // 2, late = g_h − g_{n−1} and early = g_0 − g_h:
       late ≤ plateau_frac · early → ``"plateau"``;
    6. otherwise → ``"too_small_lr"``.

    Args:
        losses: 1-D array-like with at least 3 entries.
        floor: lower bound on the optimal loss L* (0 for the course's quadratics).
        healthy_ratio, plateau_frac, osc_fraction: the thresholds of rules 4, 5 and 2.

    Returns:
        one of ``"healthy"``, ``"too_small_lr"``, ``"oscillating"``, ``"diverging"``,
        ``"plateau"``.

    Raises:
        ValueError: if ``losses`` is not 1-D or has fewer than 3 entries, or by rule 3.
    """
    raise NotImplementedError
