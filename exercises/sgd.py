"""Exercise `sgd` — stochastic gradient descent (seed 001 §3.2, §4.5, §5, §7.2, §7.4).

Course notes: "Optimisation Intuition: Loss as Energy" (seed 001), sections 3.2 (mean
squared error), 4.5 (full-batch GD in matrix form), 5.1–5.3 (SGD, mini-batches, the
noise–speed trade-off), 7.2 and 7.4 (saddle points) and notebook cells 10–11.

1. The loss and its gradient
----------------------------
A linear model predicts ŷ = Xw from a data matrix X of shape (n, d) (n samples, d
features) and a weight vector w of shape (d,). There is no bias term: if you want an
intercept, append a column of ones to X. The mean squared error and its gradient are

    L(w) = (1/n)·‖y − Xw‖² = (1/n)·Σᵢ rᵢ²,        r = y − Xw      (residuals, shape (n,))
    ∇L(w) = −(2/n)·Xᵀr                                             (shape (d,), like w)

Each sample has its own loss ℓᵢ = (yᵢ − xᵢᵀw)² with gradient gᵢ = −2·rᵢ·xᵢ, and the
full gradient is their average: ∇L = (1/n)·Σᵢ gᵢ. That one line is why SGD works
(§5.1): a gradient computed on a uniformly drawn sample is *unbiased* — on average
it is the true gradient.

2. Full-batch GD, the seed's loop
---------------------------------
``train_linear_gd`` is the seed's own function: w starts at zero and each step
computes r, the gradient and w ← w − η·∇L, appending mean(r²) to the loss list. Read
that loop carefully: the residual is computed BEFORE the update, so losses[t] is
the loss of the weights before step t. Getting this off by one is the most common
mistake in this exercise.

3. Mini-batches and epochs
--------------------------
One epoch (§5.2) shuffles the indices and cuts them into consecutive batches:

    perm = rng.permutation(n)                    # ONE call per epoch, nothing else
    batches: perm[0:B], perm[B:2B], perm[2B:3B], …

When B does not divide n the last batch is smaller; like PyTorch's DataLoader we keep
it by default (``drop_last=False``), or drop it with ``drop_last=True``. Each batch
gives one update w ← w − η·g_B with g_B = (1/|B|)·Σ_{i∈B} gᵢ. So B = 1 gives n noisy
updates per epoch and B = n gives one exact update per epoch: full-batch GD again.
Because the random numbers come from a ``numpy.random.Generator`` used in a precisely
specified way, your run and the reference's run from generators in the same state
visit exactly the same batches.

4. How noisy is a mini-batch gradient?
--------------------------------------
Write σ² = (1/n)·Σᵢ ‖gᵢ − ∇L‖² for the spread of the per-sample gradients. The seed
says (§5.3) Var[g_B] = σ²/B. That is exact when the B indices are drawn i.i.d. WITH
replacement. A batch of a shuffled epoch is drawn WITHOUT replacement, and then

    E‖g_B − ∇L‖² = (σ²/B)·(n − B)/(n − 1)        (finite-population correction)

which is slightly smaller, and exactly 0 at B = n: the full batch has no noise at all.
You will compute both exactly and check them with a Monte-Carlo experiment.

5. Noise helps at saddles
-------------------------
On f(x, y) = x² − y² (Hessian diag(2, −2), a saddle at the origin) GD with step η
multiplies x by (1 − 2η) and y by (1 + 2η) at every step. From (0.01, 0.01) with
η = 0.1 you get x_k = 0.01·0.8^k → 0 while y_k = 0.01·1.2^k runs away from the
saddle. But start exactly on the line y = 0 and GD never leaves it: it converges to
the saddle, a point that is not a minimum. Add a little Gaussian noise to the
gradient, as SGD does, and y is kicked off that line and escapes (§7.2, §7.4).

What you will observe: the loss of SGD with B = 1 is jagged but falls; B = n is
smooth; the Monte-Carlo variance of g_B falls like 1/B (faster near B = n without
replacement); noiseless GD sticks to the saddle from y₀ = 0, noisy GD escapes.

Conventions (docs/conventions.md): arrays in, float64 arrays out; trajectories include
their starting point; never raise because a run diverges; randomness only through the
``rng`` argument, called exactly as each docstring says.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "escape_step",
    "minibatch_grad",
    "minibatch_grad_moments",
    "minibatch_grad_moments_mc",
    "minibatch_indices",
    "mse_grad",
    "mse_loss",
    "n_updates_per_epoch",
    "noisy_gd",
    "per_sample_grad_variance",
    "per_sample_grads",
    "saddle_closed_form",
    "sgd",
    "train_linear_gd",
]


def mse_loss(X: object, y: object, w: object) -> float:
    """Mean squared error of the linear model ŷ = Xw (seed 001 §3.2).

    L(w) = (1/n)·‖y − Xw‖², the mean of the squared residuals r = y − Xw.

    Args:
        X: data matrix, array-like of shape (n, d), n ≥ 1.
        y: targets, array-like of shape (n,).
        w: weights, array-like of shape (d,). No bias term.

    Returns:
        The loss as a Python ``float`` (``inf`` on overflow, without a warning).

    Raises:
        ValueError: if the shapes do not fit together as above.

    Example: ``mse_loss([[1, 0], [0, 1]], [1, 2], [0, 0])`` is 2.5.
    """
    raise NotImplementedError


def mse_grad(X: object, y: object, w: object) -> np.ndarray:
    """Gradient of the MSE: ∇L(w) = −(2/n)·Xᵀr with r = y − Xw (seed 001 §4.5).

    Args:
        X: array-like (n, d); y: array-like (n,); w: array-like (d,).

    Returns:
        ``np.ndarray`` of shape (d,), float64 — the same shape as ``w``.

    Raises:
        ValueError: if the shapes do not fit together.

    Example: ``mse_grad([[1, 0], [0, 1]], [1, 2], [0, 0])`` is ``[-1., -2.]``.
    """
    raise NotImplementedError


def per_sample_grads(X: object, y: object, w: object) -> np.ndarray:
    """All per-sample gradients gᵢ = ∇ℓᵢ(w) = −2·rᵢ·xᵢ of ℓᵢ = (yᵢ − xᵢᵀw)² (seed 001 §5.1).

    Args:
        X: array-like (n, d); y: array-like (n,); w: array-like (d,).

    Returns:
        ``np.ndarray`` of shape (n, d), float64; row i is gᵢ. The mean of the rows
        equals ``mse_grad(X, y, w)``.

    Raises:
        ValueError: if the shapes do not fit together.
    """
    raise NotImplementedError


def train_linear_gd(
    X: object, y: object, lr: float = 0.01, n_steps: int = 1000
) -> tuple[np.ndarray, np.ndarray]:
    """Full-batch GD for linear regression, exactly like the seed's loop (seed 001 §4.5).

    Start from w₀ = zeros(d). For t = 0, …, n_steps − 1:
    r = y − X·w_t; g = −(2/n)·Xᵀr; w_{t+1} = w_t − η·g; losses[t] = mean(r²).
    So ``losses[t]`` is the MSE of w_t, the weights BEFORE update t; the loss of the
    final weights is not recorded.

    Args:
        X: array-like (n, d); y: array-like (n,).
        lr: the step size η.
        n_steps: number of updates, ≥ 0.

    Returns:
        ``(w, losses)``: ``w`` of shape (d,) after ``n_steps`` updates, ``losses`` of
        shape (n_steps,), both float64. ``n_steps = 0`` gives (zeros(d), empty array).
        A divergent run is not stopped: values overflow to inf/nan without warnings.
    """
    raise NotImplementedError


def n_updates_per_epoch(n: int, batch_size: int, drop_last: bool = False) -> int:
    """How many mini-batches (= updates) one epoch has (seed 001 §5.2 table).

    Args:
        n: number of samples, ≥ 1.
        batch_size: B, ≥ 1 (may exceed n).
        drop_last: drop the last, smaller batch when B does not divide n.

    Returns:
        ``int``: ⌈n/B⌉ if ``drop_last`` is False (default), ⌊n/B⌋ if True. So B = 1
        gives n, B = n gives 1, and B > n gives 1 (or 0 with ``drop_last=True``).

    Raises:
        ValueError: if n < 1 or B < 1.
    """
    raise NotImplementedError


def minibatch_indices(
    n: int, batch_size: int, rng: np.random.Generator, drop_last: bool = False
) -> list[np.ndarray]:
    """The mini-batches of ONE epoch, cut from one random permutation (seed 001 §5.2).

    rng use: exactly one call, ``perm = rng.permutation(n)``, even if no batch is
    returned. Batch k is ``perm[k*B:(k+1)*B]``, k = 0, 1, …; the last batch holds the
    n mod B leftover indices and is kept unless ``drop_last=True``.

    Args:
        n: number of samples, ≥ 1.
        batch_size: B, ≥ 1.
        rng: a ``numpy.random.Generator``.
        drop_last: drop a final batch smaller than B (default False, like PyTorch's
            DataLoader).

    Returns:
        A list of ``n_updates_per_epoch(n, B, drop_last)`` 1-D int64 arrays, in order.

    Raises:
        ValueError: if n < 1 or B < 1.
    """
    raise NotImplementedError


def minibatch_grad(X: object, y: object, w: object, idx: object) -> np.ndarray:
    """The mini-batch gradient g_B = (1/|B|)·Σ_{i∈B} gᵢ = −(2/|B|)·X_Bᵀ(y_B − X_B·w) (§5.2).

    Args:
        X: array-like (n, d); y: array-like (n,); w: array-like (d,).
        idx: the batch, a non-empty 1-D array of integer indices into the samples.
            A repeated index counts every time it appears, and |B| = len(idx).

    Returns:
        ``np.ndarray`` of shape (d,), float64. With ``idx = np.arange(n)`` this is
        ``mse_grad(X, y, w)``.

    Raises:
        ValueError: if ``idx`` is empty, not 1-D or not of an integer dtype.
    """
    raise NotImplementedError


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
    """Mini-batch SGD on the MSE of ŷ = Xw, for a number of epochs (seed 001 §5.2).

    For each epoch: ``batches = minibatch_indices(n, batch_size, rng, drop_last)``
    (one ``rng.permutation(n)`` call per epoch, no other use of ``rng``); then, for
    each batch in order, w ← w − η·``minibatch_grad(X, y, w, batch)``.

    Args:
        X: array-like (n, d); y: array-like (n,).
        lr: the step size η.
        batch_size: B ≥ 1.
        n_epochs: number of epochs, ≥ 0.
        rng: a ``numpy.random.Generator``.
        w0: starting weights of shape (d,); ``None`` means zeros(d).
        drop_last: as in :func:`minibatch_indices`.

    Returns:
        ``(W, losses)`` with T = n_epochs·n_updates_per_epoch(n, B, drop_last):
        ``W`` of shape (T + 1, d), row 0 a copy of w0 and row t the weights after t
        updates; ``losses`` of shape (T + 1,), ``losses[t]`` = the FULL-data MSE
        ``mse_loss(X, y, W[t])`` (not the loss of the batch). Both float64. A
        divergent run keeps going (inf/nan, no warnings).
    """
    raise NotImplementedError


def per_sample_grad_variance(X: object, y: object, w: object) -> float:
    """σ² = (1/n)·Σᵢ ‖gᵢ − ∇L(w)‖², the spread of the per-sample gradients (seed 001 §5.3).

    The gᵢ are the rows of :func:`per_sample_grads` and ∇L their mean. Normalise by
    1/n (the whole data set is the population), not 1/(n − 1).

    Args:
        X: array-like (n, d); y: array-like (n,); w: array-like (d,).

    Returns:
        σ² as a Python ``float`` ≥ 0 (0 when n = 1 or when all gᵢ are equal).
    """
    raise NotImplementedError


def minibatch_grad_moments(
    X: object, y: object, w: object, batch_size: int, replace: bool = False
) -> tuple[np.ndarray, float]:
    """Exact mean and total variance of the mini-batch gradient g_B (seed 001 §5.1, §5.3).

    Sampling: ``replace=False`` — B is a uniformly random subset of B distinct
    indices (one batch of a shuffled epoch); ``replace=True`` — B indices drawn
    independently and uniformly. Either way E[g_B] = ∇L(w), and the total variance
    V = E‖g_B − ∇L(w)‖² (the trace of the covariance of g_B) is
    σ²/B with replacement (the seed's law) and (σ²/B)·(n − B)/(n − 1) without.

    Args:
        X: array-like (n, d); y: array-like (n,); w: array-like (d,).
        batch_size: B; 1 ≤ B ≤ n without replacement, B ≥ 1 with replacement.
        replace: the sampling scheme, see above.

    Returns:
        ``(mean, V)``: mean of shape (d,) float64, V a Python ``float``. For n = 1
        the variance is 0.0 (the formula's 0/0 is not evaluated).

    Raises:
        ValueError: if B is out of range.
    """
    raise NotImplementedError


def minibatch_grad_moments_mc(
    X: object,
    y: object,
    w: object,
    batch_size: int,
    n_samples: int,
    rng: np.random.Generator,
    replace: bool = False,
) -> tuple[np.ndarray, float]:
    """Monte-Carlo estimate of the mean and variance of g_B (seed 001 §5.3).

    rng use: S = ``n_samples`` batches, one call each, in order —
    ``rng.permutation(n)[:B]`` without replacement, ``rng.integers(0, n, size=B)``
    with replacement. For each batch compute g_b = ``minibatch_grad(X, y, w, batch)``.

    Args:
        X: array-like (n, d); y: array-like (n,); w: array-like (d,).
        batch_size: B, with the same range as in :func:`minibatch_grad_moments`.
        n_samples: S ≥ 1.
        rng: a ``numpy.random.Generator``.
        replace: the sampling scheme.

    Returns:
        ``((1/S)·Σ_b g_b, (1/S)·Σ_b ‖g_b − ∇L(w)‖²)``: a (d,) float64 array and a
        Python ``float``. The spread is measured around the EXACT gradient ∇L(w), not
        around the sample mean, so no 1/(S − 1) correction.

    Raises:
        ValueError: if B is out of range or S < 1.
    """
    raise NotImplementedError


def saddle_closed_form(p0: object, lr: float, n_steps: int) -> np.ndarray:
    """Closed-form GD trajectory on the saddle f(x, y) = x² − y² (seed 001 §7.2).

    ∇f = (2x, −2y), H = diag(2, −2), so x_k = (1 − 2η)^k·x₀ and y_k = (1 + 2η)^k·y₀.

    Args:
        p0: the start (x₀, y₀), array-like of shape (2,).
        lr: the step size η.
        n_steps: number of GD steps, ≥ 0.

    Returns:
        ``np.ndarray`` of shape (n_steps + 1, 2), float64, row k = (x_k, y_k), row 0 = p0.
        Overflow gives ±inf without warnings.

    Raises:
        ValueError: if p0 does not have shape (2,).
    """
    raise NotImplementedError


def noisy_gd(
    grad: Callable[[np.ndarray], object],
    x0: object,
    lr: float,
    n_steps: int,
    noise_std: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """GD with Gaussian noise added to the gradient, a model of SGD (seed 001 §7.2, §7.4).

    x_{k+1} = x_k − η·(∇f(x_k) + σ·ξ_k) with ξ_k ~ N(0, I).

    rng use: at each step k = 0, …, n_steps − 1, first evaluate ``grad(x_k)``, then
    make exactly ONE call ``rng.standard_normal(x0.shape)`` for ξ_k — also when
    σ = 0 (then the run is plain GD, and the generator still advances).

    Args:
        grad: callable taking an array shaped like x0 and returning ∇f there, e.g.
            ``QuadraticForm.diagonal([2.0, -2.0]).grad`` for x² − y².
        x0: starting point, array-like of shape (d,) (a scalar also works).
        lr: the step size η.
        n_steps: number of steps, ≥ 0.
        noise_std: σ ≥ 0.
        rng: a ``numpy.random.Generator``.

    Returns:
        The trajectory, ``np.ndarray`` of shape (n_steps + 1,) + x0.shape, float64;
        row 0 is a copy of x0. Divergent runs continue with inf/nan, no warnings.
    """
    raise NotImplementedError


def escape_step(trajectory: object, threshold: float, coordinate: int = 1) -> int:
    """The first step at which a trajectory has left the saddle (seed 001 §7.2).

    Args:
        trajectory: array-like of shape (K, d), e.g. from :func:`noisy_gd`.
        threshold: the escape radius along the chosen coordinate.
        coordinate: which column to watch (1 = y, the unstable direction of x² − y²).

    Returns:
        The smallest k with |trajectory[k, coordinate]| > threshold (strictly
        greater), or -1 if there is none. Row 0 counts (a start already outside gives
        0). A NaN entry counts as escaped.

    Raises:
        ValueError: if ``trajectory`` is not 2-D.
    """
    raise NotImplementedError
