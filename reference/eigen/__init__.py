"""Eigenvalue classification of gradient-descent dynamics (reference, float64).

Exercise ``eigen`` (DESIGN §4 item 3). Seeds: 002 ("Discrete-time stability",
"Condition number", Exercises 4, 6, 7, 9) and 001 (§4.3, §4.4, §7.2, §7.3).

On a quadratic with Hessian A = QΛQᵀ, GD's error in the eigenbasis evolves as
z^{(i)}_{k+1} = (1 − αλᵢ)·z^{(i)}_k: each direction is a 1-D geometric sequence whose
multiplier rᵢ = 1 − αλᵢ predicts monotone decay, oscillation or divergence.

>>> direction_verdicts([2.0, 10.0], 0.25)   # seed 002 Ex.7
['monotone', 'divergent']
"""

from reference.eigen._critical import classify_critical_point, critical_point_type
from reference.eigen._multipliers import (
    direction_verdicts,
    multiplier_verdict,
    multipliers,
    multipliers_from_matrix,
    oscillation_thresholds,
    symmetric_eigenvalues,
)
from reference.eigen._stability import (
    condition_number,
    convergence_factor,
    is_stable,
    optimal_rate,
    optimal_step,
    stable_interval,
)

__all__ = [
    "classify_critical_point",
    "condition_number",
    "convergence_factor",
    "critical_point_type",
    "direction_verdicts",
    "is_stable",
    "multiplier_verdict",
    "multipliers",
    "multipliers_from_matrix",
    "optimal_rate",
    "optimal_step",
    "oscillation_thresholds",
    "stable_interval",
    "symmetric_eigenvalues",
]
