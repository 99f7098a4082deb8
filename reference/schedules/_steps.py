"""Validation helpers shared by the schedule functions (private)."""

from __future__ import annotations

import numbers

import numpy as np


def as_steps(step: int | np.ndarray) -> tuple[np.ndarray, bool]:
    """Return ``(t, is_scalar)``: the step(s) as an int64 array and whether a scalar was given.

    Accepts a Python or NumPy integer (not ``bool``) or a 1-D array-like of integers,
    all ≥ 0. An empty sequence gives an empty int64 array.

    >>> as_steps(3)
    (array(3), True)
    >>> as_steps([0, 5])
    (array([0, 5]), False)
    """
    if isinstance(step, (bool, np.bool_)):
        raise TypeError("step must be an integer, not a bool")
    arr = np.asarray(step)
    if arr.ndim > 1:
        raise ValueError(f"step must be an int or a 1-D array of ints, got shape {arr.shape}")
    if arr.ndim == 1 and arr.size == 0:
        return np.zeros(0, dtype=np.int64), False
    if arr.dtype.kind not in "iu":
        raise TypeError(f"step must be an integer or an integer array, got dtype {arr.dtype}")
    if np.any(arr < 0):
        raise ValueError("step must be ≥ 0")
    return arr.astype(np.int64), arr.ndim == 0


def finish(values: np.ndarray, is_scalar: bool) -> float | np.ndarray:
    """Python float for a scalar step, float64 array otherwise."""
    if is_scalar:
        return float(values)
    return np.asarray(values, dtype=np.float64)


def positive_int(name: str, value: int, minimum: int = 1) -> int:
    """Check that ``value`` is an integer ≥ ``minimum`` and return it as ``int``.

    >>> positive_int("step_size", 10)
    10
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be ≥ {minimum}, got {value}")
    return int(value)
