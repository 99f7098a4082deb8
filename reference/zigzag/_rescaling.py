"""Anisotropic rescaling x = S·u: how a change of units changes the Hessian and GD.

Seed 002, FAQ "Why does anisotropic scaling change learning speed?" (GD "is not
invariant to parameterization"); seed 001 §4.4 ("Preconditioning (advanced):
transform the parameter space to improve conditioning").
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_b, as_count, as_square, as_symmetric, as_vector

__all__ = ["gd_rescaled_trajectory", "isotropic_scaling", "rescaled_hessian"]


def rescaled_hessian(A: ArrayLike, s: ArrayLike) -> np.ndarray:
    """Hessian of g(u) = f(S·u) with S = diag(s): ∇²g = SᵀAS = SAS, i.e. (SAS)_ij = s_i A_ij s_j.

    Substituting x = S·u into f(x) = ½xᵀAx − bᵀx + c gives
    g(u) = ½uᵀ(SAS)u − (Sb)ᵀu + c: the curvature along u_i is s_i²·A_ii, so
    rescaling a coordinate by s_i multiplies its curvature by s_i² and changes
    κ. ``A`` symmetric (d, d), ``s`` shape (d,) (the diagonal of S; zeros are
    allowed, they just freeze that coordinate). Returns float64 (d, d).

    >>> rescaled_hessian([[2.0, 0.0], [0.0, 200.0]], [1.0, 0.1]).round(12).tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """
    a = as_symmetric(A)
    ss = as_vector(s, a.shape[0], "s")
    return ss[:, None] * a * ss[None, :]


def isotropic_scaling(A: ArrayLike) -> np.ndarray:
    """The diagonal scaling s = 1/√λ_i that turns a diagonal bowl into a round one.

    For A = diag(λ_1, …, λ_d) with every λ_i > 0, S = diag(1/√λ_i) gives
    SAS = I (κ = 1): in u-coordinates the level sets are circles. Returns the
    vector s (float64, shape (d,)), i.e. the diagonal of S. ``ValueError`` if A
    has a non-zero off-diagonal entry or a diagonal entry ≤ 0 (for a rotated
    bowl no *diagonal* S works; the general whitening is S = A^(−1/2)).

    >>> isotropic_scaling([[4.0, 0.0], [0.0, 100.0]]).tolist()
    [0.5, 0.1]
    """
    a = as_square(A)
    diag = np.diag(a).copy()
    if np.any(a - np.diag(diag) != 0.0):
        raise ValueError("A must be diagonal (all off-diagonal entries exactly 0)")
    if not np.all(diag > 0.0):
        raise ValueError("the diagonal of A must be positive")
    return 1.0 / np.sqrt(diag)


def gd_rescaled_trajectory(
    A: ArrayLike,
    s: ArrayLike,
    x0: ArrayLike,
    alpha: float,
    n_steps: int,
    b: ArrayLike | None = None,
) -> np.ndarray:
    """GD run in the rescaled coordinates u = S⁻¹x, reported in the original x-coordinates.

    GD on g(u) = f(S·u) is u_{k+1} = u_k − α·S(ASu_k − b); multiplying by S gives
    the same run in x = S·u:

        x_{k+1} = x_k − α·S²(Ax_k − b) = x_k − α·(s ⊙ s) ⊙ (Ax_k − b),

    which is *preconditioned* GD. It is computed exactly in this form, from x0
    (row 0 is a copy of x0, no division by s). Returns float64 shape
    (n_steps + 1, d); divergence continues with IEEE arithmetic, warnings silenced.
    ``A`` symmetric (d, d), ``s`` and ``x0`` shape (d,), b=None means b = 0.

    With A diagonal, s = :func:`isotropic_scaling` (A) and α = 1 the first step
    lands on x* = A⁻¹b (up to rounding): S²A = I, so x_1 = x0 − (x0 − x*) = x*.

    >>> A = [[2.0, 0.0], [0.0, 200.0]]                     # x² + 100y², κ = 100
    >>> gd_rescaled_trajectory(A, isotropic_scaling(A), [5.0, 1.0], 1.0, 2).round(12).tolist()
    [[5.0, 1.0], [0.0, 0.0], [0.0, 0.0]]
    """
    a = as_symmetric(A)
    d = a.shape[0]
    ss = as_vector(s, d, "s")
    n = as_count(n_steps, "n_steps")
    bb = as_b(b, d)
    alpha = float(alpha)
    p = ss * ss
    traj = np.empty((n + 1, d), dtype=float)
    traj[0] = as_vector(x0, d, "x0")
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            x = traj[k]
            traj[k + 1] = x - alpha * (p * (a @ x - bb))
    return traj
