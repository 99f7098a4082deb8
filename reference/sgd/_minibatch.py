"""Mini-batches from a permutation and epochs of mini-batch SGD (seed 001 §5.2)."""

from __future__ import annotations

import numpy as np

from ._linear import _as_data, _as_weights, mse_grad

__all__ = ["minibatch_grad", "minibatch_indices", "n_updates_per_epoch", "sgd"]


def _check_batch(n: int, batch_size: int) -> tuple[int, int]:
    n, b = int(n), int(batch_size)
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if b < 1:
        raise ValueError(f"batch_size must be >= 1, got {b}")
    return n, b


def n_updates_per_epoch(n: int, batch_size: int, drop_last: bool = False) -> int:
    """Number of mini-batches (= parameter updates) in one epoch (seed 001 §5.2 table).

    ⌈n/B⌉ when the last, smaller batch is kept (``drop_last=False``, the
    default, as in ``torch.utils.data.DataLoader``), ⌊n/B⌋ when it is dropped.
    B = 1 gives n updates per epoch, B = n gives exactly one (full-batch GD);
    B > n gives one batch of all n samples, or none with ``drop_last=True``.
    Raises ``ValueError`` unless n ≥ 1 and B ≥ 1.

    >>> n_updates_per_epoch(10, 3), n_updates_per_epoch(10, 3, drop_last=True)
    (4, 3)
    """
    n, b = _check_batch(n, batch_size)
    return n // b if drop_last else -(-n // b)


def minibatch_indices(
    n: int, batch_size: int, rng: np.random.Generator, drop_last: bool = False
) -> list[np.ndarray]:
    """The mini-batches of ONE epoch: consecutive slices of a random permutation (seed 001 §5.2).

    Exactly one rng call: ``perm = rng.permutation(n)``; then batch k is
    ``perm[k·B:(k+1)·B]`` for k = 0, 1, … . The last batch has n mod B indices
    when B does not divide n; it is kept (``drop_last=False``, default, like
    ``torch.utils.data.DataLoader``) or dropped (``drop_last=True``). The rng is
    consumed identically in both cases, even when no batch is returned.

    Returns a list of 1-D int64 arrays; with ``drop_last=False`` their
    concatenation is ``perm``, a permutation of 0, …, n − 1.

    >>> batches = minibatch_indices(5, 2, np.random.default_rng(0))
    >>> [len(b) for b in batches]
    [2, 2, 1]
    >>> perm = np.random.default_rng(0).permutation(5)   # the same single draw
    >>> bool(np.array_equal(np.concatenate(batches), perm))
    True
    """
    n, b = _check_batch(n, batch_size)
    perm = rng.permutation(n)
    n_batches = n_updates_per_epoch(n, b, drop_last)
    return [perm[k * b : (k + 1) * b].astype(np.int64) for k in range(n_batches)]


def minibatch_grad(X: object, y: object, w: object, idx: object) -> np.ndarray:
    """Mini-batch gradient g_B = (1/|B|)·Σ_{i∈B} ∇ℓᵢ = −(2/|B|)·X_Bᵀ(y_B − X_B w) (seed 001 §5.2).

    ``idx`` is a non-empty 1-D array of integer sample indices; a repeated index
    counts as many times as it appears (sampling with replacement), so |B| is
    ``len(idx)``. With ``idx = range(n)`` this is the full gradient. Returns
    shape (d,), float64. Raises ``ValueError`` for empty or non-integer ``idx``.

    >>> minibatch_grad([[1.0], [2.0], [3.0]], [0.0, 0.0, 0.0], [1.0], [0, 2]).tolist()
    [10.0]
    """
    XX, yy = _as_data(X, y)
    ii = np.asarray(idx)
    if ii.ndim != 1 or ii.size == 0 or not np.issubdtype(ii.dtype, np.integer):
        raise ValueError("idx must be a non-empty 1-D array of integer indices")
    return mse_grad(XX[ii], yy[ii], w)


def sgd(
    X: object,
    y: object,
    lr: float,
    batch_size: int,
    n_epochs: int,
    rng: np.random.Generator,
    w0: object = None,
    drop_last: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Epochs of mini-batch SGD on the MSE of ŷ = Xw (seed 001 §5.2).

    For each epoch, in order: ``batches = minibatch_indices(n, B, rng, drop_last)``
    (so exactly one ``rng.permutation(n)`` call per epoch and no other rng use),
    then for each batch in order::

        w ← w − η·g_B(w),   g_B = minibatch_grad(X, y, w, batch).

    Returns ``(W, losses)``: W of shape (T + 1, d), row 0 a copy of w₀ (zeros
    when ``w0`` is None) and row t the weights after t updates, with
    T = n_epochs · n_updates_per_epoch(n, B, drop_last); losses of shape
    (T + 1,), ``losses[t]`` the FULL-data MSE ``mse_loss(X, y, W[t])`` (not the
    batch loss), so ``losses[:-1]`` follows the convention of
    :func:`train_linear_gd`. B = n and one epoch is one full-batch GD step.
    Divergent runs are not stopped (inf/nan, no warning).

    >>> W, L = sgd([[1.0], [1.0]], [2.0, 2.0], 0.25, 1, 1, np.random.default_rng(0))
    >>> W[:, 0].tolist(), L.tolist()
    ([0.0, 1.0, 1.5], [4.0, 1.0, 0.25])
    """
    XX, yy = _as_data(X, y)
    n, d = XX.shape
    w = np.zeros(d) if w0 is None else _as_weights(w0, d)
    n_epochs = int(n_epochs)
    if n_epochs < 0:
        raise ValueError(f"n_epochs must be >= 0, got {n_epochs}")
    per_epoch = n_updates_per_epoch(n, batch_size, drop_last)
    W = np.empty((n_epochs * per_epoch + 1, d))
    W[0] = w
    t = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n_epochs):
            for batch in minibatch_indices(n, batch_size, rng, drop_last):
                w = w - lr * minibatch_grad(XX, yy, w, batch)
                t += 1
                W[t] = w
        losses = np.mean((yy[None, :] - W @ XX.T) ** 2, axis=1)
    return W, losses
