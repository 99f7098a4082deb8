"""Every number the seeds print about the divergence threshold, reproduced by the reference."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.landscapes import Quadratic1D, QuadraticForm
from reference.divergence import (
    bisect_threshold,
    classify_run,
    divergence_threshold,
    gd_quadratic,
    is_divergent,
    lr_range_test,
)

# x² + 3y² = ½ xᵀ diag(2, 6) x, the notebook's quadratic (seed 001 §4.3, §7.3, §8.1).
NOTEBOOK = QuadraticForm.diagonal([2.0, 6.0])
X0 = np.array([1.0, 1.0])


@pytest.mark.seed
def test_seed001_s81_threshold_prints_0_333():
    """Seed 001 §8.1 (and §4.3): η_max = 2/6 ≈ 0.333 for x² + 3y²."""
    eta_max = divergence_threshold(NOTEBOOK.hessian(X0))
    assert f"{eta_max:.3f}" == "0.333"
    assert eta_max == pytest.approx(2 / 6, rel=1e-15)


@pytest.mark.seed
def test_seed001_s81_eta_0_3_converges():
    """Seed 001 §8.1 (notebook Exercise 5): η = 0.3 converges (barely) on x² + 3y²."""
    assert classify_run(NOTEBOOK.matrix(), X0, 0.3, n_steps=100) == "converged"


@pytest.mark.seed
def test_seed001_s81_eta_0_3_converges_barely():
    """Seed 001 §8.1: "barely": |1 − 0.3·6| = 0.8, so the y error after k steps is 0.8ᵏ."""
    traj = gd_quadratic(NOTEBOOK.matrix(), X0, 0.3, 10)
    np.testing.assert_allclose(traj[:, 1], (-0.8) ** np.arange(11), rtol=1e-12)
    assert classify_run(NOTEBOOK.matrix(), X0, 0.3, n_steps=50) == "undecided"


@pytest.mark.seed
@pytest.mark.parametrize("eta", [0.4, 0.5, 0.6])
def test_seed001_s43_eta_at_least_0_4_diverges(eta):
    """Seed 001 §4.3 / §8.1: Exercise 5 tests η ∈ {0.3, 0.4, 0.5, 0.6}; η ≥ 0.4 diverges."""
    assert classify_run(NOTEBOOK.matrix(), X0, eta, n_steps=100) == "diverged"
    traj = gd_quadratic(NOTEBOOK.matrix(), X0, eta, 100)
    assert is_divergent(traj, NOTEBOOK.minimiser())
    # the steep coordinate flips sign and grows by |1 − 6η| each step
    np.testing.assert_allclose(traj[:20, 1], (1 - 6 * eta) ** np.arange(20), rtol=1e-12)


@pytest.mark.seed
def test_seed001_s81_bisection_bracket_contains_one_third():
    """Seed 001 §8.1: bisecting between 0.3 (converges) and 0.4 (diverges) brackets 2/6.

    Independent maths: with x0 = (1, 1) the y error is (1 − 6η)ᵏ, so an n-step run is
    flagged divergent at most for η > η_up = (1 + (10⁶·√2)^{1/n})/6 and never for
    η ≤ 1/3. With n = 10 000, η_up ≈ 0.333569; the bisection points from (0.3, 0.4)
    with tol 1e-3 are 0.35, 0.325, 0.3375, 0.33125, 0.334375, 0.3328125, 0.33359375,
    all on the same side of both 1/3 and η_up, so the bracket is exactly
    (0.3328125, 0.33359375).
    """
    lo, hi = bisect_threshold(NOTEBOOK.matrix(), X0, 0.3, 0.4, n_steps=10_000, tol=1e-3)
    assert lo < 1 / 3 < hi
    assert hi - lo <= 1e-3
    assert (lo, hi) == pytest.approx((0.3328125, 0.33359375), rel=1e-12)


@pytest.mark.seed
def test_seed001_s43_kappa_100_threshold_0_01():
    """Seed 001 §4.3 / §7.3: x² + 100y² has Hessian diag(2, 200), working range (0, 0.01)."""
    eta_max = divergence_threshold(QuadraticForm.diagonal([2.0, 200.0]).matrix())
    assert eta_max == pytest.approx(0.01, rel=1e-15)


@pytest.mark.seed
def test_seed001_s73_shallow_direction_would_allow_1():
    """Seed 001 §7.3: the shallow x-direction alone would allow η up to 2/2 = 1."""
    assert divergence_threshold(2.0) == 1.0


@pytest.mark.seed
def test_seed002_ex9_lambda_200_gives_0_01():
    """Seed 002 Exercise 9: λmax ≈ 200 gives the safe bound 2/λmax = 0.01."""
    assert divergence_threshold(200.0) == pytest.approx(0.01, rel=1e-15)


@pytest.mark.seed
def test_seed002_ex9_alpha_0_02_unsafe():
    """Seed 002 Exercise 9: α = 0.02 is not safe (0.02 > 0.01; r = 1 − 0.02·200 = −3)."""
    assert divergence_threshold(200.0) < 0.02
    traj = gd_quadratic(200.0, 1.0, 0.02, 4)
    np.testing.assert_allclose(traj, (-3.0) ** np.arange(5), rtol=1e-12)
    assert classify_run(200.0, 1.0, 0.02, n_steps=100) == "diverged"


@pytest.mark.seed
def test_seed004_s8_half_w_squared_stable_iff_eta_below_2():
    """Seed 004 §8: for L = ½w², GD is stable iff 0 < η < 2."""
    curvature = Quadratic1D(lam=1.0).hessian(5.0)
    assert divergence_threshold(curvature) == 2.0
    assert classify_run(1.0, 5.0, 1.9, n_steps=200) == "converged"
    assert classify_run(1.0, 5.0, 2.1, n_steps=200) == "diverged"


@pytest.mark.seed
def test_seed004_s8_eta_3_doubles():
    """Seed 004 §8: η = 3 gives w_{k+1} = −2 w_k, so |w_k| doubles every step."""
    traj = gd_quadratic(1.0, 5.0, 3.0, 10)
    assert traj.tolist() == [5.0 * (-2.0) ** k for k in range(11)]
    assert classify_run(1.0, 5.0, 3.0, n_steps=100) == "diverged"


@pytest.mark.seed
def test_seed004_s8_eta_0_001_stable_but_slow():
    """Seed 004 §8: η = 0.001 is stable but slow (w_k = 0.999ᵏ w_0)."""
    traj = gd_quadratic(1.0, 5.0, 0.001, 100)
    np.testing.assert_allclose(traj, 5.0 * 0.999 ** np.arange(101), rtol=1e-12)
    assert classify_run(1.0, 5.0, 0.001, n_steps=100) == "undecided"
    assert classify_run(1.0, 5.0, 0.001, n_steps=20_000) == "converged"


@pytest.mark.seed
def test_seed004_s8_eta_0_5_stable_and_fast():
    """Seed 004 §8: η = 0.5 is stable (and fast): w_k = 0.5ᵏ w_0."""
    traj = gd_quadratic(1.0, 5.0, 0.5, 30)
    np.testing.assert_allclose(traj, 5.0 * 0.5 ** np.arange(31), rtol=1e-15)
    assert classify_run(1.0, 5.0, 0.5, n_steps=30) == "converged"


@pytest.mark.seed
def test_seed001_s83_range_test_defaults_are_the_seeds():
    """Seed 001 §8.3: lr_start = 1e-7, lr_end = 10, n_steps = 200, lr_factor = (1e8)^(1/200)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(50)
    lrs, losses = lr_range_test(x[:, None], 3.0 * x)
    assert lrs.shape == losses.shape == (200,)
    factor = (10.0 / 1e-7) ** (1 / 200)
    assert lrs[0] == 1e-7
    np.testing.assert_allclose(lrs, 1e-7 * factor ** np.arange(200), rtol=1e-12)
    assert lrs[-1] * factor == pytest.approx(10.0, rel=1e-12)
    # recorded BEFORE the update: the first loss is at θ = 0, i.e. mean(y²)
    assert losses[0] == pytest.approx(float(np.mean((3.0 * x) ** 2)), rel=1e-15)
    assert math.isclose(factor, 10**0.04, rel_tol=1e-12)
