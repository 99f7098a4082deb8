"""Reference for exercise ``momentum``: momentum as a second-order recurrence.

Seeds: 002 "Momentum dynamics", FAQ "discrete-time view of momentum",
Exercise 8 and the cheat sheet; 001 §6.2–§6.4 and §10. Float64 NumPy
implementations of heavy-ball momentum (position and velocity forms, the same
trajectory), Nesterov's lookahead and its map to ``torch.optim.SGD``'s
parameters, the scalar recurrence z_{k+1} = (1 − αλ + β)z_k − βz_{k−1} with its
characteristic roots, spectral radius, stability and damping regime, the
optimal heavy-ball parameters for a spectrum [μ, L], and the GD-vs-momentum
experiment on x² + 50y². No torch import anywhere in this package.

>>> from reference.momentum import heavy_ball_position, momentum_recurrence
>>> momentum_recurrence(10.0, 0.1, 0.8, 1.0, 1.0, 4).round(12).tolist()
[1.0, 1.0, 0.0, -0.8, -0.64]
>>> heavy_ball_position(lambda x: 10.0 * x, 1.0, 0.1, 0.8, 3).round(12).tolist()
[1.0, 0.0, -0.8, -0.64]
"""

from __future__ import annotations

from ._iterates import (
    effective_window,
    heavy_ball_position,
    heavy_ball_velocity,
    nesterov,
    nesterov_to_torch,
)
from ._ravine import beta_sweep, gd_vs_momentum, steps_to_tolerance
from ._recurrence import (
    characteristic_roots,
    damping_regime,
    in_stability_region,
    is_stable,
    momentum_recurrence,
    optimal_heavy_ball,
    spectral_radius,
)

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
