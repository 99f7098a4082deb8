"""The scalar momentum recurrence, its characteristic roots and their verdicts.

Seeds: 002 "Momentum dynamics" (per-eigenvalue recurrence and characteristic
equation), Exercise 8 and the cheat sheet; 001 §10 (over/underdamped language).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "characteristic_roots",
    "damping_regime",
    "in_stability_region",
    "is_stable",
    "momentum_recurrence",
    "optimal_heavy_ball",
    "spectral_radius",
]


def momentum_recurrence(
    lam: float, alpha: float, beta: float, z0: float, z1: float, n_steps: int
) -> np.ndarray:
    """Iterate z_{k+1} = (1 − αλ + β) z_k − β z_{k−1} from z_0, z_1 (seed 002, Exercise 8).

    This is heavy-ball momentum on f(z) = ½λz² (one eigen-direction of a
    quadratic). The coefficient is computed once as ``1.0 - alpha*lam + beta``.
    Returns float64 of shape (n_steps+1,) whose entry k is z_k: z_0, z_1 (given),
    z_2, …, z_{n_steps}; ``n_steps = 0`` gives [z_0] and ``n_steps = 1`` gives
    [z_0, z_1]. Starting from rest in the position form (x_{−1} = x_0) means
    z_1 = (1 − αλ) z_0; seed 002's z_0 = z_1 is the same convention shifted by one
    index (z_2 = (1 − αλ)z_1 is then a plain GD step). Divergence gives inf/nan,
    never an exception.

    >>> momentum_recurrence(10.0, 0.1, 0.8, 1.0, 1.0, 4).round(12).tolist()   # seed 002 Ex.8
    [1.0, 1.0, 0.0, -0.8, -0.64]
    """
    n = int(n_steps)
    if n != n_steps or n < 0:
        raise ValueError(f"n_steps must be a non-negative integer, got {n_steps!r}")
    b = float(beta)
    c = 1.0 - float(alpha) * float(lam) + b
    out = np.empty(n + 1, dtype=np.float64)
    out[0] = float(z0)
    if n >= 1:
        out[1] = float(z1)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, n):
            out[k + 1] = c * out[k] - b * out[k - 1]
    return out


def characteristic_roots(lam: float, alpha: float, beta: float) -> np.ndarray:
    """Roots of r² − (1 − αλ + β) r + β = 0 (seed 002, "Characteristic equation").

    With c = 1 − αλ + β and discriminant D = c² − 4β, the roots are
    r₊ = (c + √D)/2 and r₋ = (c − √D)/2, √ the principal complex square root.
    Returned as complex128 of shape (2,) in the order [r₊, r₋]: for real roots the
    larger first, for a complex pair the one with positive imaginary part first.
    Real roots are computed without cancellation: the root of larger modulus is
    (c + sign(c)√D)/2 and the other is β divided by it (Vieta: r₊r₋ = β), with
    both roots 0 when c = β = 0. β = 0 gives the GD multiplier 1 − αλ and 0.

    >>> characteristic_roots(10.0, 0.1, 0.8).round(12).tolist()   # seed 002 Ex.8
    [(0.4+0.8j), (0.4-0.8j)]
    >>> characteristic_roots(1.0, 0.5, 0.0).tolist()               # GD: 1 − αλ and 0
    [(0.5+0j), 0j]
    """
    b = float(beta)
    c = 1.0 - float(alpha) * float(lam) + b
    d = c * c - 4.0 * b
    if d < 0.0:
        re, im = 0.5 * c, 0.5 * math.sqrt(-d)
        return np.array([complex(re, im), complex(re, -im)], dtype=np.complex128)
    s = math.sqrt(d)
    big = 0.5 * (c + s) if c >= 0.0 else 0.5 * (c - s)
    small = b / big + 0.0 if big != 0.0 else 0.0  # + 0.0 turns -0.0 into 0.0
    plus, minus = (big, small) if c >= 0.0 else (small, big)
    return np.array([plus, minus], dtype=np.complex128)


def spectral_radius(lam: float, alpha: float, beta: float) -> float:
    """ρ = max(|r₊|, |r₋|) over the characteristic roots (seed 002, momentum section).

    Asymptotically |z_k| shrinks (ρ < 1) or grows (ρ > 1) like ρ^k. For a complex
    pair |r₊| = |r₋| = √β. Computed as the largest ``abs`` of
    :func:`characteristic_roots`; returns a Python float.

    >>> round(spectral_radius(10.0, 0.1, 0.8) ** 2, 12)   # seed 002 Ex.8: ρ = √0.8
    0.8
    """
    return float(np.max(np.abs(characteristic_roots(lam, alpha, beta))))


def is_stable(lam: float, alpha: float, beta: float) -> bool:
    """True iff both characteristic roots satisfy |r| < 1 (seed 002, momentum section).

    Decided exactly, without computing roots, by the Schur–Cohn (Jury) test for
    r² + a₁r + a₀ (here a₁ = −(1 − αλ + β), a₀ = β): both roots lie strictly
    inside the unit circle iff |a₀| < 1 and |a₁| < 1 + a₀, i.e.

        |β| < 1  and  0 < αλ < 2(1 + β)   (evaluated as written, with ``alpha*lam``).

    Boundaries (a root on the unit circle: αλ = 0, αλ = 2(1 + β), |β| = 1) are
    not stable. Valid for any real β, including −1 < β < 0.

    >>> is_stable(10.0, 0.1, 0.8), is_stable(10.0, 0.4, 0.8)   # αλ = 1 and 4 > 3.6
    (True, False)
    """
    b = float(beta)
    al = float(alpha) * float(lam)
    return bool(abs(b) < 1.0 and 0.0 < al < 2.0 * (1.0 + b))


def in_stability_region(lam: float, alpha: float, beta: float) -> bool:
    """Membership of the closed-form momentum stability region (seed 002; DESIGN §4.4).

    S = {0 ≤ β < 1 and 0 < αλ < 2(1 + β)}, evaluated as written with
    ``alpha*lam``. For β in the course's range [0, 1) this is exactly
    :func:`is_stable`; outside that range (β < 0 or β ≥ 1) the answer is False.
    With β = 0 it is GD's interval 0 < αλ < 2; momentum stretches it to 2(1 + β).

    >>> in_stability_region(10.0, 0.35, 0.8), in_stability_region(10.0, 0.35, 0.0)
    (True, False)
    """
    b = float(beta)
    al = float(alpha) * float(lam)
    return bool(0.0 <= b < 1.0 and 0.0 < al < 2.0 * (1.0 + b))


def damping_regime(lam: float, alpha: float, beta: float, rtol: float = 1e-12) -> str:
    """Damping regime from the discriminant D = c² − 4β, c = 1 − αλ + β (seed 002; 001 §10).

    - ``"overdamped"``: two distinct real roots (D > 0),
    - ``"critically damped"``: a double real root (D = 0),
    - ``"underdamped"``: a complex-conjugate pair (D < 0), |r| = √β.

    Tolerance argument: c is computed from terms of size up to
    S = 1 + |αλ| + |β|, so c carries an absolute rounding error of a few ε·S
    (ε ≈ 2.2e-16) and D one of a few ε·S²; an exact double root may therefore come
    out with D slightly positive or negative. Hence "D = 0" is tested as
    |D| ≤ rtol·S², rtol = 1e-12 by default (thousands of ε, so rounding never
    splits a double root; roots closer than about √rtol·S = 1e-6·S count as double).
    The regime describes the roots only, not stability. β = 0 (plain GD, roots
    1 − αλ and 0) is overdamped except at αλ = 1 (double root 0).

    >>> damping_regime(10.0, 0.1, 0.8), damping_regime(1.0, 0.25, 0.25)
    ('underdamped', 'critically damped')
    """
    b = float(beta)
    c = 1.0 - float(alpha) * float(lam) + b
    d = c * c - 4.0 * b
    scale = 1.0 + abs(float(alpha) * float(lam)) + abs(b)
    if abs(d) <= float(rtol) * scale * scale:
        return "critically damped"
    return "overdamped" if d > 0.0 else "underdamped"


def optimal_heavy_ball(mu: float, L: float) -> dict[str, float]:
    """Optimal heavy-ball parameters for a spectrum in [μ, L] (Polyak; DESIGN §4.4).

    α* = 4/(√L + √μ)²,  β* = ((√L − √μ)/(√L + √μ))²,
    rate √β* = (√L − √μ)/(√L + √μ) = (√κ − 1)/(√κ + 1), κ = L/μ.

    With these, λ = μ and λ = L both give a double root (±√β*) and every λ in
    between a complex pair of modulus √β*: the spectral radius is √β* across the
    whole spectrum. Requires 0 < μ ≤ L (``ValueError`` otherwise). Returns a dict
    with float values under keys "alpha", "beta", "rate".

    >>> {k: round(v, 12) for k, v in optimal_heavy_ball(1.0, 9.0).items()}
    {'alpha': 0.25, 'beta': 0.25, 'rate': 0.5}
    """
    m, big = float(mu), float(L)
    if not 0.0 < m <= big:
        raise ValueError(f"need 0 < mu <= L, got mu={mu}, L={L}")
    sm, sl = math.sqrt(m), math.sqrt(big)
    rate = (sl - sm) / (sl + sm)
    return {"alpha": 4.0 / (sl + sm) ** 2, "beta": rate * rate, "rate": rate}
