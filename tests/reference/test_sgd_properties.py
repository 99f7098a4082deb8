"""Hypothesis properties of the `sgd` reference (seed 001 §4.5, §5.1–5.3, §7.2)."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from autograder.landscapes import QuadraticForm
from reference.sgd import (
    escape_step,
    minibatch_grad,
    minibatch_grad_moments,
    minibatch_grad_moments_mc,
    minibatch_indices,
    mse_grad,
    mse_loss,
    n_updates_per_epoch,
    noisy_gd,
    per_sample_grad_variance,
    per_sample_grads,
    saddle_closed_form,
    sgd,
    train_linear_gd,
)

FAST = settings(max_examples=50, deadline=None)
ELEM = st.floats(-3.0, 3.0, allow_nan=False, allow_subnormal=False)
SADDLE = QuadraticForm.diagonal([2.0, -2.0])


@st.composite
def problems(draw, max_n=8, max_d=4):
    """(X, y, w) with X of shape (n, d), y (n,), w (d,)."""
    n = draw(st.integers(1, max_n))
    d = draw(st.integers(1, max_d))
    X = draw(arrays(np.float64, (n, d), elements=ELEM))
    y = draw(arrays(np.float64, (n,), elements=ELEM))
    w = draw(arrays(np.float64, (d,), elements=ELEM))
    return X, y, w


def _scale(X, y, w):
    """A magnitude for absolute tolerances: |g| ≤ 2(|y| + |X||w|)|X|."""
    return 1.0 + np.abs(X).max() * (np.abs(y).max() + np.abs(X).max() * np.abs(w).sum())


# ---- loss and gradients -------------------------------------------------------


@FAST
@given(problems())
def test_mse_grad_is_the_derivative_of_mse_loss(p):
    """Central differences of the (quadratic) MSE reproduce −(2/n)Xᵀr."""
    X, y, w = p
    h = 1e-3
    fd = [(mse_loss(X, y, w + h * e) - mse_loss(X, y, w - h * e)) / (2 * h) for e in np.eye(len(w))]
    tol = 1e-9 * _scale(X, y, w) ** 2 / h
    np.testing.assert_allclose(mse_grad(X, y, w), fd, rtol=0, atol=tol)


@FAST
@given(problems())
def test_per_sample_grads_average_to_full_gradient(p):
    """Rows are the one-sample gradients, their mean is ∇L (seed 001 §5.1)."""
    X, y, w = p
    g = per_sample_grads(X, y, w)
    atol = 1e-12 * _scale(X, y, w)
    np.testing.assert_allclose(g.mean(axis=0), mse_grad(X, y, w), rtol=1e-12, atol=atol)
    for i in range(len(y)):
        np.testing.assert_allclose(g[i], mse_grad(X[i : i + 1], y[i : i + 1], w), atol=atol)


@FAST
@given(problems())
def test_mse_loss_is_zero_exactly_on_a_perfect_fit(p):
    """L ≥ 0 and L(w) = 0 with a zero gradient when y = Xw exactly representable."""
    X, _, w = p
    y = X @ w
    assert mse_loss(X, y, w) == 0.0
    assert np.all(mse_grad(X, y, w) == 0.0)
    assert math.isclose(mse_loss(X, y + 1.0, w), 1.0, rel_tol=1e-12)


# ---- mini-batches ---------------------------------------------------------------


@FAST
@given(st.integers(1, 30), st.integers(1, 35), st.booleans(), st.integers(0, 2**32 - 1))
def test_batches_are_consecutive_slices_of_one_permutation(n, b, drop_last, seed):
    """The documented rng use: one permutation(n), consecutive slices of size B."""
    batches = minibatch_indices(n, b, np.random.default_rng(seed), drop_last)
    replay = np.random.default_rng(seed)
    perm = replay.permutation(n)
    assert len(batches) == n_updates_per_epoch(n, b, drop_last)
    assert len(batches) == (n // b if drop_last else math.ceil(n / b))
    for k, batch in enumerate(batches):
        assert batch.dtype == np.int64
        np.testing.assert_array_equal(batch, perm[k * b : (k + 1) * b])
    used = np.concatenate(batches) if batches else np.array([], dtype=np.int64)
    assert len(set(used.tolist())) == len(used) == (n // b * b if drop_last else n)


@FAST
@given(problems(max_n=12), st.integers(1, 14), st.integers(0, 2**32 - 1))
def test_epoch_average_of_batch_gradients_is_full_gradient(p, b, seed):
    """Σ_k (|B_k|/n)·g_{B_k} over one epoch's partition equals ∇L (drop_last=False)."""
    X, y, w = p
    batches = minibatch_indices(len(y), b, np.random.default_rng(seed))
    avg = sum(len(bk) / len(y) * minibatch_grad(X, y, w, bk) for bk in batches)
    np.testing.assert_allclose(avg, mse_grad(X, y, w), rtol=1e-10, atol=1e-12 * _scale(X, y, w))


@FAST
@given(problems(max_n=6), st.data())
def test_exact_moments_without_replacement_by_enumerating_subsets(p, data):
    """Over all C(n, B) subsets: mean g_B = ∇L and mean ‖g_B − ∇L‖² = (σ²/B)(n−B)/(n−1)."""
    X, y, w = p
    n = len(y)
    b = data.draw(st.integers(1, n))
    full = mse_grad(X, y, w)
    gs = np.array(
        [minibatch_grad(X, y, w, np.array(s)) for s in itertools.combinations(range(n), b)]
    )
    mean, var = minibatch_grad_moments(X, y, w, b)
    scale = _scale(X, y, w)
    np.testing.assert_allclose(mean, full, rtol=1e-12, atol=1e-12 * scale)
    np.testing.assert_allclose(gs.mean(axis=0), full, rtol=1e-10, atol=1e-11 * scale)
    exact = np.mean(np.sum((gs - full) ** 2, axis=1))
    assert math.isclose(var, exact, rel_tol=1e-9, abs_tol=1e-10 * scale**2)


@FAST
@given(problems(max_n=4, max_d=3), st.integers(1, 3))
def test_exact_moments_with_replacement_by_enumerating_tuples(p, b):
    """Over all nᴮ ordered i.i.d. draws: mean g_B = ∇L and mean ‖g_B − ∇L‖² = σ²/B."""
    X, y, w = p
    n = len(y)
    full = mse_grad(X, y, w)
    gs = np.array(
        [minibatch_grad(X, y, w, np.array(t)) for t in itertools.product(range(n), repeat=b)]
    )
    mean, var = minibatch_grad_moments(X, y, w, b, replace=True)
    scale = _scale(X, y, w)
    np.testing.assert_allclose(gs.mean(axis=0), mean, rtol=1e-10, atol=1e-11 * scale)
    exact = np.mean(np.sum((gs - full) ** 2, axis=1))
    assert math.isclose(var, exact, rel_tol=1e-9, abs_tol=1e-10 * scale**2)
    assert math.isclose(var, per_sample_grad_variance(X, y, w) / b, rel_tol=1e-12)


@FAST
@given(problems(max_n=10), st.data())
def test_finite_population_correction_only_reduces_variance(p, data):
    """(n−B)/(n−1) ≤ 1: equal at B = 1 (both σ²), zero at B = n, never above σ²/B."""
    X, y, w = p
    n = len(y)
    b = data.draw(st.integers(1, n))
    sigma2 = per_sample_grad_variance(X, y, w)
    v_without = minibatch_grad_moments(X, y, w, b)[1]
    v_with = minibatch_grad_moments(X, y, w, b, replace=True)[1]
    assert v_without <= v_with * (1 + 1e-12)
    assert math.isclose(minibatch_grad_moments(X, y, w, 1)[1], sigma2, rel_tol=1e-12)
    assert minibatch_grad_moments(X, y, w, n)[1] == 0.0


@settings(max_examples=20, deadline=None, derandomize=True)
@given(problems(max_n=10), st.data(), st.booleans(), st.integers(0, 2**32 - 1))
def test_monte_carlo_moments_approach_the_exact_ones(p, data, replace, seed):
    """With S samples the MC estimates lie within 8 standard errors of the exact values.

    The standard errors are bounded without knowing the distribution: each
    ‖g_b − ∇L‖ ≤ M = maxᵢ‖gᵢ − ∇L‖, so Var‖g_b − ∇L‖² ≤ M²·V.
    """
    X, y, w = p
    n = len(y)
    b = data.draw(st.integers(1, n if not replace else 2 * n))
    s = 1500
    mean, var = minibatch_grad_moments(X, y, w, b, replace)
    mc_mean, mc_var = minibatch_grad_moments_mc(X, y, w, b, s, np.random.default_rng(seed), replace)
    m = np.max(np.linalg.norm(per_sample_grads(X, y, w) - mean, axis=1))
    eps = 1e-9 * _scale(X, y, w) ** 2
    assert np.linalg.norm(mc_mean - mean) <= 8 * math.sqrt(var / s) + eps
    assert abs(mc_var - var) <= 8 * m * math.sqrt(var / s) + eps


@FAST
@given(problems(max_n=8), st.integers(1, 10), st.booleans(), st.integers(0, 2**32 - 1))
def test_monte_carlo_rng_sequence(p, b, replace, seed):
    """MC uses one permutation(n)[:B] (or integers(0, n, B)) per sample, nothing else."""
    X, y, w = p
    n = len(y)
    if not replace:
        b = min(b, n)
    rng = np.random.default_rng(seed)
    mc_mean, mc_var = minibatch_grad_moments_mc(X, y, w, b, 3, rng, replace)
    replay = np.random.default_rng(seed)
    full = mse_grad(X, y, w)
    gs = []
    for _ in range(3):
        idx = replay.integers(0, n, size=b) if replace else replay.permutation(n)[:b]
        gs.append(minibatch_grad(X, y, w, idx))
    gs = np.array(gs)
    atol = 1e-12 * _scale(X, y, w) ** 2
    np.testing.assert_allclose(mc_mean, gs.mean(axis=0), rtol=1e-12, atol=atol)
    assert math.isclose(
        mc_var, np.mean(np.sum((gs - full) ** 2, axis=1)), rel_tol=1e-10, abs_tol=atol
    )
    assert rng.random() == replay.random()


# ---- SGD --------------------------------------------------------------------------


@FAST
@given(problems(max_n=10), st.floats(0.001, 0.2), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_full_batch_sgd_is_full_batch_gd(p, lr, n_epochs, seed):
    """B = n (or larger): each epoch is one GD step; k epochs = train_linear_gd with k steps."""
    X, y, _ = p
    n = len(y)
    for b in (n, n + 3):
        W, losses = sgd(X, y, lr, b, n_epochs, np.random.default_rng(seed))
        w_gd, losses_gd = train_linear_gd(X, y, lr, n_epochs)
        assert W.shape == (n_epochs + 1, X.shape[1])
        atol = 1e-10 * _scale(X, y, W[-1])
        np.testing.assert_allclose(W[-1], w_gd, rtol=1e-10, atol=atol)
        np.testing.assert_allclose(losses[:-1], losses_gd, rtol=1e-9, atol=atol**2)


@FAST
@given(
    problems(max_n=9),
    st.floats(0.001, 0.3),
    st.integers(1, 10),
    st.integers(0, 3),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)
def test_sgd_follows_the_documented_updates(p, lr, b, n_epochs, drop_last, seed):
    """W[t+1] = W[t] − η·g_{B_t}(W[t]) on the replayed batches; losses[t] = L(W[t])."""
    X, y, w0 = p
    n = len(y)
    rng = np.random.default_rng(seed)
    W, losses = sgd(X, y, lr, b, n_epochs, rng, w0, drop_last)
    replay = np.random.default_rng(seed)
    batches = [bk for _ in range(n_epochs) for bk in minibatch_indices(n, b, replay, drop_last)]
    assert (
        W.shape
        == (len(batches) + 1, X.shape[1])
        == (
            n_epochs * n_updates_per_epoch(n, b, drop_last) + 1,
            X.shape[1],
        )
    )
    assert losses.shape == (len(batches) + 1,)
    np.testing.assert_array_equal(W[0], w0)
    for t, bk in enumerate(batches):
        step = W[t] - lr * minibatch_grad(X, y, W[t], bk)
        np.testing.assert_allclose(W[t + 1], step, rtol=1e-12, atol=1e-12 * _scale(X, y, W[t]))
    for t in range(len(W)):
        assert math.isclose(losses[t], mse_loss(X, y, W[t]), rel_tol=1e-10, abs_tol=1e-300)
    assert rng.random() == replay.random()  # same rng state afterwards


@FAST
@given(problems(max_n=9), st.integers(1, 10), st.integers(0, 2**32 - 1))
def test_sgd_is_reproducible_from_the_seed(p, b, seed):
    """Same generator state → bit-identical trajectory and losses; inputs not mutated."""
    X, y, w0 = p
    X0, y0, w00 = X.copy(), y.copy(), w0.copy()
    W1, L1 = sgd(X, y, 0.05, b, 2, np.random.default_rng(seed), w0)
    W2, L2 = sgd(X, y, 0.05, b, 2, np.random.default_rng(seed), w0)
    np.testing.assert_array_equal(W1, W2)
    np.testing.assert_array_equal(L1, L2)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(w0, w00)
    W1[0, 0] += 1.0
    assert w0[0] == w00[0]  # row 0 is a copy


# ---- saddle -----------------------------------------------------------------------


@FAST
@given(
    arrays(np.float64, (2,), elements=ELEM),
    st.floats(0.0, 1.5),
    st.integers(0, 40),
    st.integers(0, 2**32 - 1),
)
def test_noiseless_gd_on_the_saddle_is_the_closed_form(p0, lr, n_steps, seed):
    """σ = 0: noisy_gd on x² − y² is plain GD, x_k = (1−2η)^k x₀, y_k = (1+2η)^k y₀."""
    rng = np.random.default_rng(seed)
    traj = noisy_gd(SADDLE.grad, p0, lr, n_steps, 0.0, rng)
    closed = saddle_closed_form(p0, lr, n_steps)
    assert traj.shape == closed.shape == (n_steps + 1, 2)
    np.testing.assert_allclose(traj, closed, rtol=1e-11, atol=1e-300)
    replay = np.random.default_rng(seed)
    for _ in range(n_steps):
        replay.standard_normal(2)  # drawn even though σ = 0
    assert rng.random() == replay.random()


@FAST
@given(
    arrays(np.float64, (2,), elements=ELEM),
    st.floats(0.0, 0.5),
    st.integers(0, 30),
    st.floats(0.0, 2.0),
    st.integers(0, 2**32 - 1),
)
def test_noisy_gd_follows_the_documented_noise(p0, lr, n_steps, sigma, seed):
    """x_{k+1} = x_k − η(∇f(x_k) + σξ_k), ξ_k = rng.standard_normal(2) once per step."""
    traj = noisy_gd(SADDLE.grad, p0, lr, n_steps, sigma, np.random.default_rng(seed))
    replay = np.random.default_rng(seed)
    np.testing.assert_array_equal(traj[0], p0)
    for k in range(n_steps):
        expected = traj[k] - lr * (SADDLE.grad(traj[k]) + sigma * replay.standard_normal(2))
        np.testing.assert_allclose(traj[k + 1], expected, rtol=1e-12, atol=1e-12)


@FAST
@given(
    st.integers(1, 20).flatmap(lambda k: arrays(np.float64, (k, 2), elements=st.floats(-5, 5))),
    st.floats(0.0, 4.0),
)
def test_escape_step_is_the_first_crossing(traj, threshold):
    """escape_step = first k with |y_k| > threshold, −1 if none."""
    k = escape_step(traj, threshold)
    outside = np.abs(traj[:, 1]) > threshold
    if k == -1:
        assert not outside.any()
    else:
        assert outside[k] and not outside[:k].any()
    assert escape_step(traj, threshold, coordinate=0) == (
        int(np.argmax(np.abs(traj[:, 0]) > threshold))
        if (np.abs(traj[:, 0]) > threshold).any()
        else -1
    )


@FAST
@given(st.floats(0.05, 0.4), st.floats(1e-4, 0.1), st.integers(0, 2**32 - 1))
def test_noise_escapes_from_the_stable_manifold(lr, sigma, seed):
    """From y₀ = 0, GD never escapes (y stays 0); with σ > 0 it escapes (seed 001 §7.2)."""
    n_steps = math.ceil(40 / math.log1p(2 * lr)) + 5  # (1+2η)^k ≥ e^40 growth
    plain = noisy_gd(SADDLE.grad, [0.5, 0.0], lr, n_steps, 0.0, np.random.default_rng(seed))
    assert escape_step(plain, 1.0) == -1
    noisy = noisy_gd(SADDLE.grad, [0.5, 0.0], lr, n_steps, sigma, np.random.default_rng(seed))
    assert escape_step(noisy, 1.0) > 0
