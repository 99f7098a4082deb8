"""Unbiasedness and variance of the mini-batch gradient against B (seed 001 §5.1, §5.3)."""

from __future__ import annotations

import numpy as np

from ._linear import _as_data, mse_grad, per_sample_grads

__all__ = ["minibatch_grad_moments", "minibatch_grad_moments_mc", "per_sample_grad_variance"]


def per_sample_grad_variance(X: object, y: object, w: object) -> float:
    """σ² = (1/n)·Σᵢ ‖gᵢ − ∇L(w)‖², the spread of the per-sample gradients (seed 001 §5.3).

    gᵢ = −2·rᵢ·xᵢ are the rows of :func:`per_sample_grads` and ∇L(w) = (1/n)Σᵢ gᵢ
    is their mean. σ² is the trace of their population covariance (normalised
    by 1/n, not 1/(n − 1)): the σ_g² of the seed, a Python float ≥ 0, equal to 0
    when all samples agree (e.g. n = 1 or a perfect fit y = Xw).

    >>> per_sample_grad_variance([[1.0], [1.0]], [1.0, 3.0], [0.0])
    4.0
    """
    g = per_sample_grads(X, y, w)
    dev = g - g.mean(axis=0)
    return float(np.mean(np.sum(dev**2, axis=1)))


def minibatch_grad_moments(
    X: object, y: object, w: object, batch_size: int, replace: bool = False
) -> tuple[np.ndarray, float]:
    """Exact mean and total variance of the mini-batch gradient g_B (seed 001 §5.1, §5.3).

    ``replace=False``: B is a uniformly random B-subset of {0, …, n − 1}
    (what one batch of a shuffled epoch is); ``replace=True``: B indices drawn
    i.i.d. uniformly (with replacement). In both cases g_B is unbiased,
    E[g_B] = ∇L(w), and its total variance V = E‖g_B − ∇L(w)‖² = tr Cov(g_B) is

    * with replacement:     V = σ²/B            (the seed's law σ_g²/B)
    * without replacement:  V = (σ²/B)·(n − B)/(n − 1)   (finite-population correction)

    with σ² from :func:`per_sample_grad_variance`. The seed's σ²/B refers to
    i.i.d. sampling WITH replacement; without replacement the noise is smaller
    and vanishes at B = n (full batch). Returns ``(mean, V)``: mean of shape
    (d,) float64, V a Python float. Requires B ≥ 1, and B ≤ n when
    ``replace=False`` (``ValueError`` otherwise); for n = 1 the variance is 0.

    >>> mean, var = minibatch_grad_moments([[1.0], [1.0]], [1.0, 3.0], [0.0], 1)
    >>> mean.tolist(), var
    ([-4.0], 4.0)
    >>> minibatch_grad_moments([[1.0], [1.0]], [1.0, 3.0], [0.0], 2)[1]
    0.0
    """
    XX, yy = _as_data(X, y)
    n = XX.shape[0]
    b = int(batch_size)
    if b < 1 or (not replace and b > n):
        raise ValueError(f"batch_size must be in 1..{n} without replacement, >= 1 with; got {b}")
    sigma2 = per_sample_grad_variance(XX, yy, w)
    # finite-population correction (n − B)/(n − 1); for n = 1 (so B = 1) it is 0/0, σ² = 0 anyway
    fpc = 1.0 if replace else (0.0 if n == 1 else (n - b) / (n - 1))
    var = sigma2 / b * fpc
    return mse_grad(XX, yy, w), float(var)


def minibatch_grad_moments_mc(
    X: object,
    y: object,
    w: object,
    batch_size: int,
    n_samples: int,
    rng: np.random.Generator,
    replace: bool = False,
) -> tuple[np.ndarray, float]:
    """Monte-Carlo estimate of the mean and variance of g_B, for demonstration (seed 001 §5.3).

    Draws ``n_samples`` batches b = 1, …, S, one rng call each, in order:
    ``rng.permutation(n)[:B]`` without replacement (a uniform B-subset) or
    ``rng.integers(0, n, size=B)`` with replacement. With g_b the mini-batch
    gradient of batch b (:func:`minibatch_grad`, repeats counted), returns

        ( (1/S)·Σ_b g_b ,  (1/S)·Σ_b ‖g_b − ∇L(w)‖² )

    — the spread is measured around the EXACT full gradient, so the second
    entry is an unbiased estimate of V from :func:`minibatch_grad_moments`
    (no Bessel correction). Shapes: (d,) float64 and a Python float. Requires
    S ≥ 1 and the batch-size range of :func:`minibatch_grad_moments`.

    >>> X, y, w = [[1.0], [1.0]], [1.0, 3.0], [0.0]
    >>> m, v = minibatch_grad_moments_mc(X, y, w, 2, 10, np.random.default_rng(0))
    >>> m.tolist(), v
    ([-4.0], 0.0)
    """
    XX, yy = _as_data(X, y)
    n = XX.shape[0]
    b, s = int(batch_size), int(n_samples)
    if b < 1 or (not replace and b > n):
        raise ValueError(f"batch_size must be in 1..{n} without replacement, >= 1 with; got {b}")
    if s < 1:
        raise ValueError(f"n_samples must be >= 1, got {s}")
    full = mse_grad(XX, yy, w)
    total = np.zeros_like(full)
    sq = 0.0
    for _ in range(s):
        idx = rng.integers(0, n, size=b) if replace else rng.permutation(n)[:b]
        g = mse_grad(XX[idx], yy[idx], w)
        total += g
        sq += float(np.sum((g - full) ** 2))
    return total / s, sq / s
