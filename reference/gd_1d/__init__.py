"""Reference for exercise ``gd_1d``: 1-D gradient-descent recursions (seeds 004, 003, 002).

Float64 NumPy implementations of the GD step and trajectory, the closed form
w_k = c + (1 − ηλ)^k (w0 − c) on ½λ(w − c)², the stability interval 0 < η < 2/λ,
seed 004's logged loop with ``max_iters``/``eps_grad``/``eps_obj`` stopping,
time-to-result and step-size sweeps, the double well, and the same loop driven by
PyTorch autograd (torch is imported lazily, only by the two autograd functions).

>>> from reference.gd_1d import gd_trajectory, quadratic_closed_form
>>> gd_trajectory(lambda w: w - 1.0, 5.0, 0.5, 2).tolist()
[5.0, 3.0, 2.0]
>>> quadratic_closed_form(5.0, 0.5, 1.0, 2, center=1.0).tolist()
[5.0, 3.0, 2.0]
"""

from __future__ import annotations

from ._autograd import autograd_derivative, gd_1d_torch
from ._loop import double_well_limit, gradient_descent_1d, step_size_sweep, time_to_result
from ._recursion import (
    gd_step,
    gd_trajectory,
    quadratic_closed_form,
    quadratic_multiplier,
    stability_interval,
)

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
