"""Input validation shared by the zigzag reference (private)."""

from __future__ import annotations

import operator

import numpy as np
from numpy.typing import ArrayLike


def as_square(A: ArrayLike) -> np.ndarray:
    """A as a float64 (d, d) array, d ≥ 1; ``ValueError`` otherwise."""
    a = np.array(A, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValueError(f"A must be a non-empty square matrix, got shape {a.shape}")
    return a


def as_symmetric(A: ArrayLike) -> np.ndarray:
    """A as a float64 (d, d) array that passes ``np.allclose(A, A.T)``."""
    a = as_square(A)
    if not np.allclose(a, a.T):
        raise ValueError("A must be symmetric (np.allclose(A, A.T) failed)")
    return a


def as_vector(v: ArrayLike, d: int, name: str) -> np.ndarray:
    """v as a float64 array of shape (d,) (a copy); ``ValueError`` otherwise."""
    arr = np.array(v, dtype=float)
    if arr.shape != (d,):
        raise ValueError(f"{name} must have shape ({d},), got {arr.shape}")
    return arr


def as_b(b: ArrayLike | None, d: int) -> np.ndarray:
    """b as shape (d,); ``None`` means the zero vector."""
    return np.zeros(d) if b is None else as_vector(b, d, "b")


def as_trajectory(trajectory: ArrayLike, d: int | None = None) -> np.ndarray:
    """A trajectory as float64 (n + 1, d); a 1-D array is read as d = 1."""
    t = np.array(trajectory, dtype=float)
    if t.ndim == 1:
        t = t[:, None]
    if t.ndim != 2 or t.shape[0] == 0 or t.shape[1] == 0:
        raise ValueError(f"trajectory must have shape (n_steps + 1, d), got {t.shape}")
    if d is not None and t.shape[1] != d:
        raise ValueError(f"trajectory points must have dimension {d}, got {t.shape[1]}")
    return t


def as_count(n: int, name: str) -> int:
    """A non-negative Python int (``TypeError`` for non-integers, ``ValueError`` if < 0)."""
    k = operator.index(n)
    if k < 0:
        raise ValueError(f"{name} must be >= 0, got {k}")
    return k
