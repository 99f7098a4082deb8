"""Reference for exercise ``divergence``: the divergence threshold η_max = 2/λmax.

Seed 001 §4.3, §7.3, §8.1 (notebook Exercise 5) and §8.3 (LR range test); seed 002
Exercise 9 and "Predicting failure via curvature"; seed 004 §8. Float64 throughout:

* when a finite run counts as divergent (``is_divergent``, the project-wide rule);
* 2/λmax from a Hessian (``divergence_threshold``);
* GD on ½xᵀAx, a verdict on a finite run, and an empirical threshold by bisection
  (``gd_quadratic``, ``classify_run``, ``bisect_threshold``);
* λmax without forming the Hessian: Hessian-vector products by double backward and
  power iteration (``hessian_vector_product``, ``power_iteration_lambda_max``; torch
  is imported lazily, only by these two);
* Leslie Smith's LR range test on a linear model with MSE, its cliff, and the MSE
  Hessian (2/n)XᵀX to compare the cliff with (``lr_range_test``,
  ``range_test_cliff``, ``mse_hessian``).

>>> from reference.divergence import classify_run, divergence_threshold
>>> A = [[2.0, 0.0], [0.0, 6.0]]                 # x² + 3y²
>>> round(divergence_threshold(A), 3)
0.333
>>> classify_run(A, [1.0, 1.0], 0.3), classify_run(A, [1.0, 1.0], 0.4)
('converged', 'diverged')
"""

from __future__ import annotations

from ._hvp import hessian_vector_product, power_iteration_lambda_max
from ._range_test import lr_range_test, mse_hessian, range_test_cliff
from ._runs import (
    bisect_threshold,
    classify_run,
    divergence_threshold,
    gd_quadratic,
    is_divergent,
)

__all__ = [
    "bisect_threshold",
    "classify_run",
    "divergence_threshold",
    "gd_quadratic",
    "hessian_vector_product",
    "is_divergent",
    "lr_range_test",
    "mse_hessian",
    "power_iteration_lambda_max",
    "range_test_cliff",
]
