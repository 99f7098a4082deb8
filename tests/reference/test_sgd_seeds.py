"""Seed results of the `sgd` exercise reproduced by the reference (seed 001 §3.2–§7.4).

Seed 001 states its results as formulas and tables rather than printed decimals;
each test checks one of them on concrete inputs, with expected values derived by
hand or from the seed's own code, never from the reference.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.landscapes import QuadraticForm
from reference.sgd import (
    escape_step,
    minibatch_grad,
    minibatch_grad_moments,
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

pytestmark = pytest.mark.seed

X_SMALL = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
Y_SMALL = np.array([1.0, 2.0, 3.0])
W_SMALL = np.array([0.5, -0.5])
SADDLE = QuadraticForm.diagonal([2.0, -2.0])  # f(x, y) = x² − y²


def _seed_train_linear_gd(X, y, lr=0.01, n_steps=1000):
    """The seed's code, verbatim (seed 001 §4.5)."""
    n, d = X.shape
    w = np.zeros(d)  # initialise at origin
    losses = []
    for _t in range(n_steps):
        r = y - X @ w  # residuals:    (n,)
        grad = -2 / n * X.T @ r  # gradient:     (d,)
        w = w - lr * grad  # update:       (d,)
        loss = np.mean(r**2)  # MSE loss:     scalar
        losses.append(loss)
    return w, losses


def test_mse_is_mean_of_squared_residuals():
    """Seed 001 §3.2: L = (1/n)Σ(yᵢ − ŷᵢ)²; here r = (1.5, 2.5, 3.5), L = 20.75/3."""
    assert mse_loss(X_SMALL, Y_SMALL, W_SMALL) == pytest.approx(20.75 / 3, rel=1e-15)


def test_gradient_formula_matches_finite_differences():
    """Seed 001 §4.5: ∇L = −(2/n)Xᵀr equals the central finite-difference gradient."""
    h = 1e-6
    fd = np.array(
        [
            (
                mse_loss(X_SMALL, Y_SMALL, W_SMALL + h * e)
                - mse_loss(X_SMALL, Y_SMALL, W_SMALL - h * e)
            )
            / (2 * h)
            for e in np.eye(2)
        ]
    )
    # by hand: r = (1.5, 2.5, 3.5), Xᵀr = (26.5, 34), −(2/3)Xᵀr = (−53/3, −68/3)
    np.testing.assert_allclose(mse_grad(X_SMALL, Y_SMALL, W_SMALL), [-53 / 3, -68 / 3], rtol=1e-14)
    np.testing.assert_allclose(mse_grad(X_SMALL, Y_SMALL, W_SMALL), fd, rtol=1e-6)


def test_gradient_shape_check():
    """Seed 001 §4.5 "Shape check": X (n, d), r (n,) → Xᵀr and the gradient have shape (d,)."""
    rng = np.random.default_rng(1)
    X, y, w = rng.standard_normal((5, 3)), rng.standard_normal(5), rng.standard_normal(3)
    g = mse_grad(X, y, w)
    assert g.shape == (3,) == w.shape
    assert g.dtype == np.float64


def test_train_linear_gd_is_the_seed_loop():
    """Seed 001 §4.5 `train_linear_gd`: same final w and same loss list as the seed's code."""
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((20, 3)), rng.standard_normal(20)
    w_seed, losses_seed = _seed_train_linear_gd(X, y, lr=0.05, n_steps=200)
    w, losses = train_linear_gd(X, y, lr=0.05, n_steps=200)
    np.testing.assert_allclose(w, w_seed, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(losses, np.array(losses_seed), rtol=1e-12)
    assert losses.shape == (200,)
    assert losses[0] == pytest.approx(np.mean(y**2))  # loss of w₀ = 0: recorded BEFORE the update


def test_mean_of_per_sample_gradients_is_full_gradient():
    """Seed 001 §5.1: E_i[∇ℓᵢ] = (1/n)Σ∇ℓᵢ = ∇L (unbiasedness of one random sample)."""
    g = per_sample_grads(X_SMALL, Y_SMALL, W_SMALL)
    assert g.shape == (3, 2)
    # by hand: gᵢ = −2rᵢxᵢ = (−3, −6), (−15, −20), (−35, −42); their mean is (−53/3, −68/3)
    np.testing.assert_allclose(g, [[-3.0, -6.0], [-15.0, -20.0], [-35.0, -42.0]], rtol=1e-15)
    np.testing.assert_allclose(g.mean(axis=0), [-53 / 3, -68 / 3], rtol=1e-14)
    np.testing.assert_allclose(g.mean(axis=0), mse_grad(X_SMALL, Y_SMALL, W_SMALL), rtol=1e-14)


def test_saddle_hessian_is_diag_2_minus_2():
    """Seed 001 §7.2: f = x² − y² has Hessian diag(2, −2); one GD step is I − ηH."""
    lr = 0.1
    step = np.column_stack([saddle_closed_form(e, lr, 1)[1] for e in np.eye(2)])
    np.testing.assert_allclose((np.eye(2) - step) / lr, np.diag([2.0, -2.0]), atol=1e-12)


def test_saddle_gd_closed_forms():
    """Seed 001 §7.2: GD from (0.01, 0.01), η = 0.1: x_k = 0.01·0.8^k, y_k = 0.01·1.2^k."""
    k = np.arange(51)
    expected = np.column_stack([0.01 * 0.8**k, 0.01 * 1.2**k])
    traj = noisy_gd(SADDLE.grad, [0.01, 0.01], 0.1, 50, 0.0, np.random.default_rng(0))
    np.testing.assert_allclose(traj, expected, rtol=1e-12)
    np.testing.assert_allclose(saddle_closed_form([0.01, 0.01], 0.1, 50), expected, rtol=1e-12)
    assert abs(traj[-1, 0]) < 1e-6 and abs(traj[-1, 1]) > 10  # x → 0, y repelled


def test_gd_from_y0_zero_converges_to_the_saddle():
    """Seed 001 §7.2 / notebook cell 11: with y₀ = 0 GD stays on y = 0 and stalls at the saddle."""
    traj = noisy_gd(SADDLE.grad, [0.01, 0.0], 0.1, 200, 0.0, np.random.default_rng(0))
    assert np.all(traj[:, 1] == 0.0)
    assert abs(traj[-1, 0]) < 1e-20
    assert escape_step(traj, 1.0) == -1


def test_gradient_noise_escapes_the_saddle():
    """Seed 001 §7.2, §7.4: Gaussian gradient noise kicks GD off y = 0 and it escapes."""
    for seed in range(5):
        traj = noisy_gd(SADDLE.grad, [0.01, 0.0], 0.1, 200, 0.01, np.random.default_rng(seed))
        k = escape_step(traj, 1.0)
        assert k > 0
        assert abs(traj[k, 1]) > 1.0 and np.all(np.abs(traj[:k, 1]) <= 1.0)


def test_noiseless_escape_time_from_closed_form():
    """Seed 001 §7.2: y_k = 0.01·1.2^k first exceeds 1 at k = ⌈log 100 / log 1.2⌉ = 26."""
    traj = noisy_gd(SADDLE.grad, [0.01, 0.01], 0.1, 60, 0.0, np.random.default_rng(0))
    assert escape_step(traj, 1.0) == math.ceil(math.log(100) / math.log(1.2)) == 26


def test_variance_scales_as_one_over_b():
    """Seed 001 §5.3: Var[g_B] = σ_g²/B (i.i.d. sampling): the std falls as 1/√B."""
    rng = np.random.default_rng(3)
    X, y, w = rng.standard_normal((12, 3)), rng.standard_normal(12), rng.standard_normal(3)
    sigma2 = per_sample_grad_variance(X, y, w)
    assert sigma2 > 0
    for b in (1, 2, 4, 16, 64):
        assert minibatch_grad_moments(X, y, w, b, replace=True)[1] == pytest.approx(sigma2 / b)
    v1 = minibatch_grad_moments(X, y, w, 1, replace=True)[1]
    v4 = minibatch_grad_moments(X, y, w, 4, replace=True)[1]
    assert math.sqrt(v1 / v4) == pytest.approx(2.0)


def test_batch_size_table():
    """Seed 001 §5.2 table: B = 1 → n updates/epoch; B → n/B; B = n → 1 update and zero noise."""
    rng = np.random.default_rng(4)
    n = 64
    X, y, w = rng.standard_normal((n, 2)), rng.standard_normal(n), rng.standard_normal(2)
    assert n_updates_per_epoch(n, 1) == n
    assert n_updates_per_epoch(n, 32) == n // 32
    assert n_updates_per_epoch(n, n) == 1
    assert minibatch_grad_moments(X, y, w, n)[1] == 0.0
    (batch,) = minibatch_indices(n, n, np.random.default_rng(0))
    np.testing.assert_allclose(minibatch_grad(X, y, w, batch), mse_grad(X, y, w), rtol=1e-12)
    W, _ = sgd(X, y, 0.1, n, 3, np.random.default_rng(0))
    assert W.shape == (3 + 1, 2)  # one update per epoch
