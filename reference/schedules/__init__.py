"""Learning-rate schedules and cyclical learning rates (seed 001 §8.2, §8.3, §10; Smith 2017).

Every schedule is a pure function ``name(step, *, params) -> float`` of the update
index ``step`` (an int ≥ 0; a 1-D integer array gives a float64 array). The value at
step t is the rate used for update t, counting from 0: ``schedule(0)`` is the rate of
the first update, and equals torch's ``optimizer.param_groups[0]["lr"]`` after t calls
to ``scheduler.step()``.

>>> import numpy as np
>>> triangular(np.arange(5), base_lr=0.0, max_lr=1.0, step_size=2).tolist()
[0.0, 0.5, 1.0, 0.5, 0.0]
"""

from .cyclical import exp_range, triangular, triangular2
from .decay import constant_lr, cosine_annealing, exponential_decay, step_decay, warmup_cosine
from .descent import constant_vs_cyclical, gd_with_schedule

__all__ = [
    "constant_lr",
    "constant_vs_cyclical",
    "cosine_annealing",
    "exp_range",
    "exponential_decay",
    "gd_with_schedule",
    "step_decay",
    "triangular",
    "triangular2",
    "warmup_cosine",
]
