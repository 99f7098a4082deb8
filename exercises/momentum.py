"""Exercise ``momentum``: momentum as a second-order recurrence.

Course notes: seed 002 ("Learning & Optimization as a Dynamical System"),
section "Momentum dynamics: second-order discrete-time system", the FAQ "What is
the discrete-time view of momentum?", Exercise 8 and the cheat sheet; seed 001
("Optimisation Intuition: Loss as Energy") §6.2 momentum update, §6.3 why
momentum helps, §6.4 Nesterov, §10 the physical analogy.

1. A ball with inertia
----------------------
Gradient descent forgets everything but the current gradient. Heavy-ball
(Polyak) momentum remembers where it came from. In *position form* (seed 002):

    x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1}),        0 ≤ β < 1.

In *velocity form* (seed 001 §6.2, seed 002 FAQ):

    v_{k+1} = β v_k − α∇f(x_k),      x_{k+1} = x_k + v_{k+1},      v_0 = 0.

They are the same algorithm: from the second line v_k = x_k − x_{k−1}, and
substituting into the first gives the position form. The position form needs
x_{−1}; this course sets **x_{−1} = x_0** (the ball starts at rest, which is what
v_0 = 0 says), so the **first step is plain GD**: x_1 = x_0 − α∇f(x_0).
Unrolling the velocity, v_k = −α Σ_{s<k} β^{k−1−s} ∇f(x_s): an exponentially
weighted sum of past gradients whose weights add up to 1/(1 − β), the
*effective window* (β = 0.9 remembers ~10 gradients, seed 001 §6.2).
With β = 0 both forms are exactly gradient descent.

2. One eigen-direction: a second-order recurrence
-------------------------------------------------
On a quadratic with Hessian eigenvalue λ (f(z) = ½λz²), ∇f(z) = λz and the
position form becomes (seed 002)

    z_{k+1} = (1 − αλ + β) z_k − β z_{k−1}.

It depends on two past values, so it is *second order*. Trying z_k = r^k gives
the characteristic equation

    r² − (1 − αλ + β) r + β = 0,      r± = (c ± √(c² − 4β)) / 2,  c = 1 − αλ + β.

By Vieta r₊ + r₋ = c and r₊ r₋ = β. The solution is z_k = A r₊^k + B r₋^k
(or (A + Bk) r^k for a double root), so it shrinks to 0 iff both |r| < 1; the
spectral radius ρ = max |r| is the asymptotic rate. For 0 ≤ β < 1 this happens
exactly when

    0 < αλ < 2(1 + β)            (GD's 0 < αλ < 2 is the case β = 0),

so momentum *enlarges* the range of usable step sizes. The sign of the
discriminant D = c² − 4β decides the shape of the motion, in the language of a
damped oscillator (seed 001 §10):

* D > 0, two real roots: **overdamped** (GD itself, β = 0, is overdamped);
* D = 0, a double root: **critically damped**;
* D < 0, a complex pair of modulus √β: **underdamped**, the iterates spiral /
  ring, and the rate √β no longer depends on λ.

Work seed 002 Exercise 8 by hand first: λ = 10, α = 0.1, β = 0.8 and
z_0 = z_1 = 1 give c = 0.8 and z_2 = 0, z_3 = −0.8, z_4 = −0.64; the roots are
0.4 ± 0.8i, ρ = √0.8 < 1, so it shrinks while oscillating. With β = 0.3,
c = 0.3, z_2 = 0, z_3 = −0.3, z_4 = −0.09, ρ = √0.3: it shrinks faster. (The
seed's start z_0 = z_1 is our "start at rest" convention shifted by one index.)

3. The ravine x² + 50y² (seed 001 §6.3)
---------------------------------------
The Hessian is diag(2, 100), κ = 50. GD must keep α < 2/100, so along x it
crawls with factor 1 − 2α per step while it zigzags across y. From (1, 1) with
α = 0.01 the steps to reach ‖x_k‖ ≤ 1e-6 are 684 (β = 0), 325 (β = 0.5),
246 (β = 0.9) and 2182 (β = 0.99): more momentum helps, until it overshoots
and rings for thousands of steps. With α = 0.02 GD never gets there (the y
multiplier is exactly −1) while β = 0.5 needs 151 steps. The predicted rate
maxᵢ ρ(λᵢ, α, β) tells you all of this before running anything.

The best fixed heavy ball for eigenvalues in [μ, L] is
α* = 4/(√L + √μ)², β* = ((√L − √μ)/(√L + √μ))², with rate
√β* = (√κ − 1)/(√κ + 1) instead of GD's (κ − 1)/(κ + 1): on the ravine
α* ≈ 0.0307, β* ≈ 0.566, rate ≈ 0.752, 66 steps, while GD with that α diverges.

4. Nesterov and PyTorch
-----------------------
Nesterov (seed 001 §6.4) evaluates the gradient at the lookahead point:
v_{t+1} = βv_t − α∇f(θ_t + βv_t), θ_{t+1} = θ_t + v_{t+1}, v_0 = 0.
``torch.optim.SGD(momentum=β)`` keeps a buffer b_{t+1} = βb_t + g_t and steps
p ← p − lr·b, which is our velocity form with v = −lr·b (as long as lr is
constant and dampening = 0). With ``nesterov=True`` torch's parameter is the
lookahead point φ_t = θ_t + βv_t, not θ_t: :func:`nesterov_to_torch` converts.

Conventions: trajectories include their start (n_steps updates → n_steps + 1
rows, row 0 a copy of x0), are float64, and never raise on divergence (inf/nan
propagate). A gradient ``grad`` is a plain callable, for instance
``autograder.landscapes.QuadraticForm.diagonal([2.0, 100.0]).grad``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "beta_sweep",
    "characteristic_roots",
    "damping_regime",
    "effective_window",
    "gd_vs_momentum",
    "heavy_ball_position",
    "heavy_ball_velocity",
    "in_stability_region",
    "is_stable",
    "momentum_recurrence",
    "nesterov",
    "nesterov_to_torch",
    "optimal_heavy_ball",
    "spectral_radius",
    "steps_to_tolerance",
]


def heavy_ball_position(
    grad: Callable[[Any], ArrayLike], x0: ArrayLike, alpha: float, beta: float, n_steps: int
) -> np.ndarray:
    """Heavy-ball momentum in position form (seed 002, "Momentum dynamics").

    x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1}),   k = 0, …, n_steps − 1,
    with the convention x_{−1} = x_0, so that x_1 = x_0 − α∇f(x_0) (plain GD).

    Args:
        grad: the gradient ∇f. It is called exactly ``n_steps`` times, on x_0, …,
            x_{n_steps−1} in order: with a Python ``float`` when ``x0`` is a scalar,
            with a fresh float64 array of shape (d,) when ``x0`` is a vector. Its
            result (converted with ``np.asarray(..., dtype=float)``) must have the
            shape of ``x0``, otherwise raise ``ValueError``.
        x0: start point, a scalar or a 1-D vector of length d (not modified).
        alpha: step size α.  beta: momentum coefficient β (any float is iterated).
        n_steps: number of updates, an integer ≥ 0 (``ValueError`` otherwise).

    Returns:
        float64 array of shape (n_steps + 1,) for a scalar ``x0`` or
        (n_steps + 1, d) for a vector; row k is x_k, row 0 a copy of ``x0``.
        A divergent run keeps iterating with IEEE inf/nan; no exception, no warning.

    Example: ``heavy_ball_position(lambda x: 10.0 * x, 1.0, 0.1, 0.8, 3)`` gives
    [1, 0, −0.8, −0.64] (up to rounding).
    """
    raise NotImplementedError


def heavy_ball_velocity(
    grad: Callable[[Any], ArrayLike], x0: ArrayLike, alpha: float, beta: float, n_steps: int
) -> np.ndarray:
    """Heavy-ball momentum in velocity form (seed 001 §6.2; seed 002 FAQ).

    v_{k+1} = β v_k − α∇f(x_k),   x_{k+1} = x_k + v_{k+1},   v_0 = 0 (same shape as x0).

    Same arguments, calls to ``grad`` (on x_0, …, x_{n_steps−1}), errors and return
    contract as :func:`heavy_ball_position`: return the positions only, shape
    (n_steps + 1,) or (n_steps + 1, d), float64, row 0 = ``x0``. In exact arithmetic
    the result equals :func:`heavy_ball_position`'s (v_k = x_k − x_{k−1}); in
    floating point they agree to rounding. Divergence: inf/nan, never an exception.
    """
    raise NotImplementedError


def nesterov(
    grad: Callable[[Any], ArrayLike], x0: ArrayLike, alpha: float, beta: float, n_steps: int
) -> np.ndarray:
    """Nesterov accelerated gradient with the lookahead gradient (seed 001 §6.4).

    v_{t+1} = β v_t − α∇f(θ_t + β v_t),   θ_{t+1} = θ_t + v_{t+1},   v_0 = 0.

    ``grad`` is called ``n_steps`` times, at the lookahead points θ_t + βv_t for
    t = 0, …, n_steps − 1 (a float for a scalar ``x0``, a fresh float64 (d,) array
    otherwise). The first step is plain GD. Returns the θ trajectory (not the
    lookahead points), float64 of shape (n_steps + 1,) or (n_steps + 1, d), row 0 =
    ``x0``; errors and divergence as in :func:`heavy_ball_position`.

    Example: with ∇f(θ) = 10θ, θ_0 = 1, α = 0.05, β = 0.5, three steps give
    [1, 0.5, 0.125, −0.03125].
    """
    raise NotImplementedError


def nesterov_to_torch(theta: ArrayLike, beta: float) -> np.ndarray:
    """Convert a Nesterov θ trajectory to the parameters torch.optim.SGD(nesterov=True) holds.

    torch keeps the lookahead point φ_t = θ_t + β v_t as its parameter (seed 001 §6.4
    in torch's parameterisation). Since v_0 = 0 and v_t = θ_t − θ_{t−1}:

        φ_0 = θ_0,    φ_t = θ_t + β(θ_t − θ_{t−1})   for t ≥ 1.

    Args:
        theta: a trajectory of shape (n+1,) or (n+1, d) with n ≥ 0, as returned by
            :func:`nesterov` (not modified). Other shapes raise ``ValueError``.
        beta: the momentum coefficient β used for that trajectory.

    Returns:
        a new float64 array with the shape of ``theta``; row t is φ_t. Non-finite
        values propagate (no warnings).

    Example: ``nesterov_to_torch([1.0, 0.5, 0.125, -0.03125], 0.5)`` is
    [1.0, 0.25, −0.0625, −0.109375].
    """
    raise NotImplementedError


def effective_window(beta: float) -> float:
    """The effective averaging window 1/(1 − β) of the momentum velocity (seed 001 §6.2).

    A gradient from k steps ago enters the velocity with weight β^k; the weights sum
    to Σ_k β^k = 1/(1 − β). Requires 0 ≤ β < 1, otherwise raise ``ValueError``
    (β = 1 would be an infinite memory). Returns a Python float; β = 0.9 gives 10
    (up to rounding), β = 0 gives 1 (plain GD remembers only the current gradient).
    """
    raise NotImplementedError


def momentum_recurrence(
    lam: float, alpha: float, beta: float, z0: float, z1: float, n_steps: int
) -> np.ndarray:
    """Iterate z_{k+1} = (1 − αλ + β) z_k − β z_{k−1} from z_0 and z_1 (seed 002, Ex. 8).

    Compute the coefficient once as ``c = 1.0 - alpha * lam + beta`` and then apply
    z_{k+1} = c·z_k − β·z_{k−1} for k = 1, …, n_steps − 1.

    Args:
        lam: the eigenvalue λ (curvature of f(z) = ½λz²).  alpha: step α.  beta: β.
        z0, z1: the two starting values (seed 002 Ex. 8 uses z_0 = z_1 = 1, which is
            "start at rest"; heavy ball from rest in our convention has
            z_1 = (1 − αλ) z_0).
        n_steps: the last index to return, an integer ≥ 0 (``ValueError`` otherwise).

    Returns:
        float64 array of shape (n_steps + 1,), entry k = z_k: [z_0, z_1, z_2, …,
        z_{n_steps}]. ``n_steps = 0`` gives [z_0]; ``n_steps = 1`` gives [z_0, z_1].
        Divergence gives inf/nan without an exception.

    Example: λ = 10, α = 0.1, β = 0.8, z_0 = z_1 = 1, n_steps = 4 gives
    [1, 1, 0, −0.8, −0.64].
    """
    raise NotImplementedError


def characteristic_roots(lam: float, alpha: float, beta: float) -> np.ndarray:
    """The two roots of r² − (1 − αλ + β) r + β = 0 (seed 002, "Characteristic equation").

    With c = 1 − αλ + β and D = c² − 4β: r₊ = (c + √D)/2, r₋ = (c − √D)/2, where √
    is the principal complex square root (so √D = i√(−D) when D < 0).

    Returns:
        a complex128 array of shape (2,) in the order [r₊, r₋]: for real roots the
        larger one first, for a complex-conjugate pair the one with positive
        imaginary part first; a double root appears twice. Real roots have imaginary
        part exactly 0.

    Numerical advice: when D ≥ 0, compute the root of larger modulus as
    (c + sign(c)·√D)/2 and the other as β divided by it (Vieta), to avoid
    cancellation (if c = β = 0 both roots are 0). β = 0 gives [1 − αλ, 0] when
    1 − αλ ≥ 0 and [0, 1 − αλ] otherwise. Example: λ = 10, α = 0.1, β = 0.8 gives
    [0.4+0.8j, 0.4−0.8j].
    """
    raise NotImplementedError


def spectral_radius(lam: float, alpha: float, beta: float) -> float:
    """The spectral radius ρ = max(|r₊|, |r₋|) of the momentum recurrence (seed 002).

    |z_k| behaves like ρ^k for large k: ρ < 1 means shrinking, ρ > 1 growing. For a
    complex pair ρ = √β. Compute it as the largest absolute value of
    :func:`characteristic_roots` (λ, α, β). Returns a Python float ≥ 0.
    Example: seed 002 Ex. 8 (λ = 10, α = 0.1, β = 0.8) gives √0.8 ≈ 0.894.
    """
    raise NotImplementedError


def is_stable(lam: float, alpha: float, beta: float) -> bool:
    """True iff both characteristic roots satisfy |r| < 1 (seed 002, momentum section).

    Do not decide this from rounded roots: on the boundary a root has |r| = 1 exactly
    (e.g. λ = 0 gives the root 1) but the quadratic formula may return
    0.9999999999999999. Use the exact Schur–Cohn (Jury) test for r² + a₁r + a₀ with
    a₁ = −(1 − αλ + β), a₀ = β — both roots inside the unit circle iff |a₀| < 1 and
    |a₁| < 1 + a₀ — which here reads, evaluated exactly as written,

        abs(beta) < 1  and  0 < alpha * lam < 2 * (1 + beta).

    Returns a Python bool; every boundary case (αλ = 0, αλ = 2(1 + β), |β| = 1) is
    False. Valid for any real β, including −1 < β < 0.
    """
    raise NotImplementedError


def in_stability_region(lam: float, alpha: float, beta: float) -> bool:
    """Membership of the closed-form momentum stability region (seed 002, momentum section).

    S = {(λ, α, β) : 0 ≤ β < 1 and 0 < αλ < 2(1 + β)}, evaluated exactly as written
    with the product ``alpha * lam``. Returns a Python bool. For β in [0, 1) this
    agrees with :func:`is_stable`; for β < 0 or β ≥ 1 it returns False (outside the
    course's momentum range). With β = 0 it is GD's 0 < αλ < 2.
    """
    raise NotImplementedError


def damping_regime(lam: float, alpha: float, beta: float, rtol: float = 1e-12) -> str:
    """Classify the characteristic roots: over-, critically or underdamped (seed 002; 001 §10).

    Let c = 1.0 - alpha * lam + beta, D = c*c - 4*beta and
    S = 1 + abs(alpha * lam) + abs(beta). Return

    * ``"critically damped"`` if |D| ≤ rtol·S²  (a double root, "D = 0");
    * otherwise ``"overdamped"`` if D > 0 (two distinct real roots);
    * otherwise ``"underdamped"`` (D < 0, a complex pair of modulus √β).

    Why a tolerance, and why S²: c is computed from terms as large as S, so it is off
    by a few ε·S (ε ≈ 2.2e-16) and D by a few ε·S². An exact double root (for
    example λ = 1, α = 0.25, β = 0.25, or the optimal parameters of
    :func:`optimal_heavy_ball`) can come out with D = ±1e-17 instead of 0, and
    testing ``D == 0`` would call it over- or underdamped at random. With the default
    rtol = 1e-12, roots closer than about 1e-6·S count as a double root.

    The regime describes the roots, not stability (an overdamped recurrence can
    diverge). β = 0 (GD) is overdamped except at αλ = 1. Example: seed 002 Ex. 8
    (λ = 10, α = 0.1, β = 0.8) is underdamped; λ = 1, α = 0.25, β = 0.25 is critical.
    """
    raise NotImplementedError


def optimal_heavy_ball(mu: float, L: float) -> dict[str, float]:
    """Optimal heavy-ball parameters for Hessian eigenvalues in [μ, L] (Polyak).

        α* = 4 / (√L + √μ)²,   β* = ((√L − √μ)/(√L + √μ))²,
        rate √β* = (√L − √μ)/(√L + √μ) = (√κ − 1)/(√κ + 1),  κ = L/μ.

    Requires 0 < μ ≤ L, otherwise raise ``ValueError``. Returns a dict with exactly
    the keys ``"alpha"``, ``"beta"``, ``"rate"``, each a Python float. (With these,
    every λ in [μ, L] has spectral radius √β*; λ = μ and λ = L are critically
    damped.) Example: μ = 1, L = 9 gives α* = 0.25, β* = 0.25, rate 0.5.
    """
    raise NotImplementedError


def steps_to_tolerance(trajectory: ArrayLike, tol: float, x_star: ArrayLike = 0.0) -> int:
    """Index of the first iterate within ``tol`` of x*, or −1 (seed 001 §6.3).

    Args:
        trajectory: shape (n+1,) (distance |x_k − x*|) or (n+1, d) (Euclidean
            distance ‖x_k − x*‖₂ per row); other shapes raise ``ValueError``.
        tol: the tolerance; the test is distance ≤ tol.
        x_star: the minimiser, broadcast against one row (default 0).

    Returns:
        a Python int: the smallest k with distance ≤ tol (row 0 counts, so a start
        already within tol gives 0), or −1 if no row qualifies. Rows containing
        inf/nan never qualify. Example: ([4, 2, 1, 0.5], tol=1) gives 2.
    """
    raise NotImplementedError


def gd_vs_momentum(
    x0: ArrayLike,
    alpha: float,
    beta: float,
    n_steps: int,
    eigenvalues: ArrayLike = (2.0, 100.0),
) -> dict[str, np.ndarray]:
    """GD and heavy ball from the same start and step on ½Σλᵢxᵢ² (seed 001 §6.3).

    The landscape is f(x) = ½ Σᵢ λᵢ xᵢ², ∇f(x) = λ ⊙ x; the default λ = (2, 100) is
    x² + 50y² (Hessian diag(2, 100)). ``x0`` must have the shape of ``eigenvalues``
    (d,), otherwise raise ``ValueError``.

    Returns:
        ``{"gd": ..., "momentum": ...}``, two float64 arrays of shape
        (n_steps + 1, d), row 0 = ``x0``: "gd" is x_{k+1} = x_k − α∇f(x_k), and
        "momentum" is :func:`heavy_ball_velocity` with the same α and the given β.
        Divergence gives inf/nan, no exception.
    """
    raise NotImplementedError


def beta_sweep(
    x0: ArrayLike,
    alpha: float,
    betas: ArrayLike = (0.0, 0.5, 0.9, 0.99),
    tol: float = 1e-6,
    max_steps: int = 10_000,
    eigenvalues: ArrayLike = (2.0, 100.0),
) -> dict[str, np.ndarray]:
    """Steps to tolerance and predicted rate for several β on ½Σλᵢxᵢ² (seed 001 §6.3).

    For each β in ``betas`` (in order), run :func:`heavy_ball_velocity` from ``x0``
    with step α for ``max_steps`` steps on f(x) = ½ Σ λᵢ xᵢ² (default x² + 50y²) and
    measure :func:`steps_to_tolerance` with x* = 0 and the given ``tol``.

    Returns:
        a dict of 1-D arrays of length len(betas):
        ``"beta"`` (float64, the β values), ``"steps"`` (int64, first k with
        ‖x_k‖₂ ≤ tol, −1 if not reached within ``max_steps`` steps) and ``"rate"``
        (float64, maxᵢ spectral_radius(λᵢ, α, β), the predicted contraction per step).
        Example: x0 = (1, 1), α = 0.01 gives steps [684, 325, 246, 2182].
    """
    raise NotImplementedError
