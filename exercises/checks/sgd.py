"""Public checks for exercise ``sgd`` — run them with ``autograder check sgd``.

Every expected value here is worked out by hand from seed 001 ("Optimisation Intuition:
Loss as Energy"): the MSE and its gradient (§3.2, §4.5), the seed's own GD loop (§4.5),
unbiasedness and the batch-size table (§5.1, §5.2), the variance law σ²/B (§5.3) and
the saddle x² − y² (§7.2). Passing them does not prove your code right: the grader
also tries random data, batch sizes that do not divide n, drop_last both ways and
many generators.
"""

from __future__ import annotations

import math

import numpy as np

from autograder.compare import expect_close, expect_equal, expect_true
from autograder.landscapes import QuadraticForm

EXERCISE = "sgd"

# A tiny data set worked by hand: with w = (0.5, −0.5) the predictions are
# Xw = (−0.5, −0.5, −0.5), so the residuals are r = y − Xw = (1.5, 2.5, 3.5).
X_SMALL = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
Y_SMALL = [1.0, 2.0, 3.0]
W_SMALL = [0.5, -0.5]
SMALL = "X = [[1, 2], [3, 4], [5, 6]], y = [1, 2, 3], w = [0.5, −0.5]"


def _pair(got, what):
    """The two parts of a returned pair, or a clear failure."""
    expect_true(
        isinstance(got, (tuple, list)) and len(got) == 2,
        f"{what} should return a pair, got {type(got).__name__}.",
    )
    return got[0], got[1]


def _sizes(got):
    """The batch sizes of a list of index arrays, or None if it is not one."""
    if not isinstance(got, (list, tuple)):
        return None
    sizes = []
    for b in got:
        arr = np.asarray(b) if isinstance(b, (np.ndarray, list, tuple)) else None
        if arr is None or arr.ndim != 1 or arr.dtype.kind not in "iu":
            return None
        sizes.append(len(arr))
    return sizes


def test_mse_by_hand(student):
    """§3.2: the MSE is the mean of the squared residuals (1.5² + 2.5² + 3.5²)/3."""
    expected = (1.5**2 + 2.5**2 + 3.5**2) / 3  # = 20.75/3 ≈ 6.9167
    got = student.call("mse_loss", X_SMALL, Y_SMALL, W_SMALL)
    expect_close(
        got,
        expected,
        what="mse_loss(X, y, w)",
        case=SMALL,
        mistakes={"the sum of squared residuals (divide by n = 3)": 20.75},
    )


def test_mse_grad_by_hand(student):
    """§3.2, §4.5: ∇L = −(2/n)·Xᵀr = −(2/3)·(26.5, 34), the same shape (d,) as w."""
    # Xᵀr = (1·1.5 + 3·2.5 + 5·3.5, 2·1.5 + 4·2.5 + 6·3.5) = (26.5, 34)
    expected = np.array([-2 / 3 * 26.5, -2 / 3 * 34.0])
    got = student.call("mse_grad", X_SMALL, Y_SMALL, W_SMALL)
    expect_close(
        got,
        expected,
        what="mse_grad(X, y, w)",
        case=SMALL,
        mistakes={"a sign error: +(2/n)·Xᵀr points uphill": -expected},
    )


def test_mse_grad_of_the_notebook_bowl(student):
    """§3.2 note: x² + 3y² is an MSE (X = diag(√2, √6), y = 0), so ∇L = (2x, 6y)."""
    X = [[math.sqrt(2.0), 0.0], [0.0, math.sqrt(6.0)]]  # (1/2)(2x² + 6y²) = x² + 3y²
    for x, y in ((1.0, 1.0), (0.5, -2.0)):
        got = student.call("mse_grad", X, [0.0, 0.0], [x, y])
        expect_close(
            got, np.array([2 * x, 6 * y]), what="mse_grad(X, 0, w)", case=f"w = ({x}, {y})"
        )


def test_per_sample_grads_average_to_the_gradient(student):
    """§5.1: gᵢ = −2·rᵢ·xᵢ, and their mean is ∇L (a random sample is unbiased)."""
    # g₁ = −2·1.5·(1, 2), g₂ = −2·2.5·(3, 4), g₃ = −2·3.5·(5, 6)
    expected = np.array([[-3.0, -6.0], [-15.0, -20.0], [-35.0, -42.0]])
    got = student.call("per_sample_grads", X_SMALL, Y_SMALL, W_SMALL)
    expect_close(got, expected, what="per_sample_grads(X, y, w)", case=SMALL)
    expect_close(
        np.mean(got, axis=0),
        np.array([-53 / 3, -68 / 3]),
        what="the mean of your per-sample gradients",
        case=SMALL,
    )


def test_train_linear_gd_closed_form(student):
    """§4.5: the seed's loop on x = 1, y = 2: w_t = 2(1 − (1 − 2η)^t), losses[t] = 4(1 − 2η)^2t."""
    lr, n_steps = 0.1, 10
    t = np.arange(n_steps)
    got = student.call("train_linear_gd", [[1.0]] * 4, [2.0] * 4, lr, n_steps)
    w, losses = _pair(got, "train_linear_gd (w, losses)")
    case = "X = four rows [1], y = [2, 2, 2, 2], lr = 0.1, n_steps = 10"
    expect_close(
        w,
        np.array([2.0 * (1 - 0.8**n_steps)]),
        what="the final w of train_linear_gd",
        case=case,
    )
    expect_close(
        losses,
        4.0 * 0.8 ** (2 * t),
        what="the losses of train_linear_gd",
        case=case,
        mistakes={
            "the loss recorded AFTER the update: losses[0] must be the loss of w₀ = 0, "
            "which is mean(y²) = 4": 4.0 * 0.8 ** (2 * t + 2)
        },
    )


def test_updates_per_epoch_table(student):
    """§5.2 table: B = 1 → n updates, B = n → 1, else n/B; a partial batch counts unless dropped."""
    for n, b, drop, expected in (
        (64, 1, False, 64),
        (64, 64, False, 1),
        (64, 16, False, 4),
        (10, 3, False, 4),
        (10, 3, True, 3),
    ):
        got = student.call("n_updates_per_epoch", n, b, drop)
        expect_equal(
            got,
            expected,
            what="n_updates_per_epoch(n, B, drop_last)",
            case=f"n={n}, B={b}, {drop=}",
        )


def test_one_epoch_is_one_permutation(student):
    """§5.2: an epoch cuts ONE rng.permutation(n) into consecutive batches of size B."""
    perm = np.random.default_rng(7).permutation(10)  # what the rng draws first
    got = student.call("minibatch_indices", 10, 4, np.random.default_rng(7), False)
    expect_true(
        _sizes(got) == [4, 4, 2],
        "minibatch_indices(10, 4, rng) should give a list of integer index arrays of sizes "
        f"[4, 4, 2], got {_sizes(got) or type(got).__name__}.",
    )
    expect_true(
        np.array_equal(np.concatenate([np.asarray(b) for b in got]), perm),
        f"the batches should be perm[0:4], perm[4:8], perm[8:10] with "
        f"perm = rng.permutation(10) = {perm.tolist()} (one call per epoch, nothing else).",
    )
    dropped = student.call("minibatch_indices", 10, 4, np.random.default_rng(7), True)
    expect_true(
        _sizes(dropped) == [4, 4],
        "with drop_last=True the last, smaller batch of 2 indices is dropped: sizes [4, 4].",
    )


def test_minibatch_grad_by_hand(student):
    """§5.2: g_B = −(2/|B|)·X_Bᵀr_B: for B = {0, 2}, −(2/2)·(19, 24); for all samples, ∇L."""
    got = student.call("minibatch_grad", X_SMALL, Y_SMALL, W_SMALL, np.array([0, 2]))
    # X_Bᵀ r_B = (1·1.5 + 5·3.5, 2·1.5 + 6·3.5) = (19, 24)
    expect_close(
        got,
        np.array([-19.0, -24.0]),
        what="minibatch_grad(X, y, w, [0, 2])",
        case=SMALL,
        mistakes={"dividing by n = 3 instead of the batch size |B| = 2": np.array([-38, -48]) / 3},
    )
    full = student.call("minibatch_grad", X_SMALL, Y_SMALL, W_SMALL, np.array([0, 1, 2]))
    expect_close(
        full,
        np.array([-53 / 3, -68 / 3]),
        what="minibatch_grad(X, y, w, [0, 1, 2])",
        case=SMALL + " (the full batch is the full gradient)",
    )


def test_sgd_on_identical_samples(student):
    """§5.2: two identical samples (x = 1, y = 2), η = 1/4: w = 0 → 1 → 1.5, whatever the order."""
    got = student.call("sgd", [[1.0], [1.0]], [2.0, 2.0], 0.25, 1, 1, np.random.default_rng(0))
    W, losses = _pair(got, "sgd (W, losses)")
    case = "X = [[1], [1]], y = [2, 2], lr = 0.25, B = 1, one epoch"
    expect_close(W, np.array([[0.0], [1.0], [1.5]]), what="W of sgd", case=case)
    expect_close(
        losses,
        np.array([4.0, 1.0, 0.25]),
        what="the losses of sgd (full-data MSE of every row of W)",
        case=case,
    )


def test_variance_law(student):
    """§5.3: with σ² = 4, V = σ²/B with replacement; without, (σ²/B)(n − B)/(n − 1): 0 at B = n."""
    X, y, w = [[1.0], [1.0]], [1.0, 3.0], [0.0]  # g₁ = −2, g₂ = −6: ∇L = −4, σ² = 4
    sigma2 = student.call("per_sample_grad_variance", X, y, w)
    expect_close(
        sigma2,
        4.0,
        what="per_sample_grad_variance",
        case="g = (−2, −6)",
        mistakes={"the 1/(n − 1) normalisation (use 1/n)": 8.0},
    )
    for b, replace, expected in (
        (1, True, 4.0),
        (2, True, 2.0),
        (4, True, 1.0),
        (1, False, 4.0),
        (2, False, 0.0),
    ):
        mean, v = _pair(
            student.call("minibatch_grad_moments", X, y, w, b, replace),
            "minibatch_grad_moments (mean, V)",
        )
        case = f"g = (−2, −6), B = {b}, replace = {replace}"
        expect_close(mean, np.array([-4.0]), what="E[g_B]", case=case)
        expect_close(v, expected, what="the variance V", case=case)


def test_full_batch_has_no_noise(student):
    """§5.3: Monte-Carlo with B = n without replacement: every batch is the full data, V = 0."""
    got = student.call(
        "minibatch_grad_moments_mc",
        [[1.0], [1.0]],
        [1.0, 3.0],
        [0.0],
        2,
        10,
        np.random.default_rng(0),
        False,
    )
    mean, v = _pair(got, "minibatch_grad_moments_mc (mean, V)")
    expect_close(mean, np.array([-4.0]), what="the Monte-Carlo mean", case="B = n = 2")
    expect_close(v, 0.0, what="the Monte-Carlo spread", case="B = n = 2")


def test_saddle_closed_form(student):
    """§7.2: GD on x² − y² from (0.01, 0.01), η = 0.1: x_k = 0.01·0.8^k, y_k = 0.01·1.2^k."""
    k = np.arange(31)
    expected = np.column_stack([0.01 * 0.8**k, 0.01 * 1.2**k])
    got = student.call("saddle_closed_form", [0.01, 0.01], 0.1, 30)
    expect_close(
        got,
        expected,
        what="saddle_closed_form",
        case="p0 = (0.01, 0.01), η = 0.1",
        mistakes={"x and y swapped: x² − y² contracts x and repels y": expected[:, ::-1]},
    )


def test_noiseless_gd_on_the_saddle(student):
    """§7.2: with σ = 0, noisy_gd is GD: the closed form, and from y₀ = 0 it never leaves y = 0."""
    saddle = QuadraticForm.diagonal([2.0, -2.0])  # f(x, y) = x² − y²
    k = np.arange(31)
    got = student.call(
        "noisy_gd", saddle.grad, [0.01, 0.01], 0.1, 30, 0.0, np.random.default_rng(0)
    )
    expect_close(
        got,
        np.column_stack([0.01 * 0.8**k, 0.01 * 1.2**k]),
        what="noisy_gd with σ = 0",
        case="x² − y², x0 = (0.01, 0.01), η = 0.1",
    )
    stuck = student.call(
        "noisy_gd", saddle.grad, [0.01, 0.0], 0.1, 30, 0.0, np.random.default_rng(0)
    )
    expect_close(
        stuck,
        np.column_stack([0.01 * 0.8**k, 0.0 * k]),
        what="noisy_gd with σ = 0",
        case="x² − y², x0 = (0.01, 0), η = 0.1 (the stable line y = 0)",
    )


def test_escape_time(student):
    """§7.2: |y_k| = 0.01·1.2^k first exceeds 1 at k = ⌈ln 100 / ln 1.2⌉ = 26; from y₀ = 0 never."""
    k = np.arange(41)
    escaping = np.column_stack([0.01 * 0.8**k, 0.01 * 1.2**k])
    got = student.call("escape_step", escaping, 1.0)
    expect_equal(got, 26, what="escape_step(trajectory, 1.0)", case="y_k = 0.01·1.2^k")
    never = np.column_stack([0.01 * 0.8**k, 0.0 * k])
    got = student.call("escape_step", never, 1.0)
    expect_equal(got, -1, what="escape_step(trajectory, 1.0)", case="y_k = 0 for every k")
