"""2D zigzag on ill-conditioned quadratics (seeds 002, 001 §4.3/§7.3, 003): reference, float64.

The quadratic f(x) = ½xᵀAx − bᵀx + c with its gradient Ax − b, Hessian A and
minimiser x* = A⁻¹b; gradient descent on it as the linear discrete-time system
e_{k+1} = (I − αA)e_k; two zigzag measures (sign flips of the steepest
eigen-coordinate, path length over straight distance); steps to a tolerance as
the condition number κ grows; and the anisotropic rescaling x = S·u that makes a
diagonal bowl round, after which GD with α = 1 converges in one step.

>>> A = [[2.0, 0.0], [0.0, 10.0]]                      # f = ½(2x² + 10y²), seed 002 Ex. 5
>>> traj = gd_trajectory(A, [5.0, 1.0], 0.15, 2)
>>> traj.round(12).tolist(), steep_sign_flips(A, traj)
([[5.0, 1.0], [3.5, -0.5], [2.45, 0.25]], 2)
"""

from ._dynamics import (
    error_after_steps,
    gd_trajectory,
    iteration_matrix,
    steps_to_tolerance,
    steps_vs_kappa,
)
from ._measures import path_length, path_ratio, steep_sign_flips
from ._quadratic import quadratic_grad, quadratic_hessian, quadratic_loss, quadratic_minimiser
from ._rescaling import gd_rescaled_trajectory, isotropic_scaling, rescaled_hessian

__all__ = [
    "error_after_steps",
    "gd_rescaled_trajectory",
    "gd_trajectory",
    "isotropic_scaling",
    "iteration_matrix",
    "path_length",
    "path_ratio",
    "quadratic_grad",
    "quadratic_hessian",
    "quadratic_loss",
    "quadratic_minimiser",
    "rescaled_hessian",
    "steep_sign_flips",
    "steps_to_tolerance",
    "steps_vs_kappa",
]
