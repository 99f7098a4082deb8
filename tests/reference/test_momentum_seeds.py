"""Numbers and statements of the course seeds about momentum, reproduced by the reference.

Expected values are worked out by hand from the seeds' formulas (the seeds pose the
questions without printing the answers); each derivation is in the test docstring.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.landscapes import Quadratic1D
from reference.momentum import (
    damping_regime,
    effective_window,
    heavy_ball_position,
    heavy_ball_velocity,
    is_stable,
    momentum_recurrence,
    spectral_radius,
)

pytestmark = pytest.mark.seed


def test_ex8_part1_x2_x3_x4():
    """Seed 002, Exercise 8 part 1: λ = 10, α = 0.1, β = 0.8, x0 = x1 = 1.

    1 − αλ + β = 0.8, so x2 = 0.8·1 − 0.8·1 = 0, x3 = 0.8·0 − 0.8·1 = −0.8,
    x4 = 0.8·(−0.8) − 0.8·0 = −0.64.
    """
    z = momentum_recurrence(10.0, 0.1, 0.8, 1.0, 1.0, 4)
    assert z.shape == (5,)
    np.testing.assert_allclose(z, [1.0, 1.0, 0.0, -0.8, -0.64], rtol=0, atol=1e-12)


def test_ex8_part2_shrinking():
    """Seed 002, Exercise 8 part 2: shrinking or growing? Roots of r² − 0.8r + 0.8 are
    0.4 ± 0.8i, modulus √0.8 ≈ 0.894 < 1: shrinking (while oscillating)."""
    assert spectral_radius(10.0, 0.1, 0.8) == pytest.approx(math.sqrt(0.8), rel=1e-12)
    assert is_stable(10.0, 0.1, 0.8)
    assert damping_regime(10.0, 0.1, 0.8) == "underdamped"
    z = momentum_recurrence(10.0, 0.1, 0.8, 1.0, 1.0, 200)
    assert abs(z[-1]) < 1e-6  # 0.894^200 ≈ 2e-10, times a bounded amplitude


def test_ex8_part3_beta_0_3():
    """Seed 002, Exercise 8 part 3: β = 0.3 gives coefficient 1 − 1 + 0.3 = 0.3,
    x2 = 0.3 − 0.3 = 0, x3 = 0.3·0 − 0.3·1 = −0.3, x4 = 0.3·(−0.3) − 0.3·0 = −0.09;
    spectral radius √0.3 < √0.8: shrinks faster."""
    z = momentum_recurrence(10.0, 0.1, 0.3, 1.0, 1.0, 4)
    np.testing.assert_allclose(z, [1.0, 1.0, 0.0, -0.3, -0.09], rtol=0, atol=1e-12)
    rho = spectral_radius(10.0, 0.1, 0.3)
    assert rho == pytest.approx(math.sqrt(0.3), rel=1e-12)
    assert rho < spectral_radius(10.0, 0.1, 0.8)


def test_seed001_effective_window_beta_0_9():
    """Seed 001 §6.2: the effective window 1/(1 − β) is ~10 for β = 0.9."""
    assert effective_window(0.9) == pytest.approx(10.0, rel=1e-12)


def test_seed002_faq_velocity_form_reproduces_ex8():
    """Seed 002 FAQ "discrete-time view of momentum": v_{t+1} = βv_t − η∇L(θ_t),
    θ_{t+1} = θ_t + v_{t+1}. By hand on L = 5θ² (λ = 10), η = 0.1, β = 0.8, θ0 = 1, v0 = 0:
    v1 = −1, θ1 = 0; v2 = −0.8, θ2 = −0.8; v3 = −0.64 + 0.8 = 0.16, θ3 = −0.64,
    i.e. Exercise 8's 1, 0, −0.8, −0.64 (its x1 = x0 = 1 is "start at rest")."""
    grad = Quadratic1D(lam=10.0).grad
    expected = [1.0, 0.0, -0.8, -0.64]
    np.testing.assert_allclose(heavy_ball_velocity(grad, 1.0, 0.1, 0.8, 3), expected, atol=1e-12)
    np.testing.assert_allclose(heavy_ball_position(grad, 1.0, 0.1, 0.8, 3), expected, atol=1e-12)


def test_seed001_notebook_cell7_velocity_form_2d():
    """Seed 001 §6.2 (notebook cell 7): per-coordinate vx = m·vx − lr·gx, x += vx, with the
    trajectory starting at (x0, y0) and n_steps + 1 points. By hand on x² + y²
    (grad (2x, 2y)), lr = 0.1, momentum = 0.9, from (1, 2): v1 = (−0.2, −0.4), p1 = (0.8, 1.6);
    v2 = 0.9·v1 − 0.1·(1.6, 3.2) = (−0.34, −0.68), p2 = (0.46, 0.92)."""
    traj = heavy_ball_velocity(lambda p: 2.0 * p, [1.0, 2.0], 0.1, 0.9, 2)
    assert traj.shape == (3, 2)
    np.testing.assert_allclose(traj, [[1.0, 2.0], [0.8, 1.6], [0.46, 0.92]], atol=1e-12)


def test_seed001_sec10_gd_overdamped_momentum_underdamped():
    """Seed 001 §10: GD without momentum is an overdamped system, GD with momentum an
    underdamped one. β = 0: roots 1 − αλ and 0, real and distinct (αλ ≠ 1); β = 0.9
    (the typical value, §6.2) is underdamped for (1 − √0.9)² < αλ < (1 + √0.9)²,
    e.g. αλ = 0.1, 1, 3."""
    for al in (0.1, 0.5, 1.5, 1.9):
        assert damping_regime(al, 1.0, 0.0) == "overdamped"
    for al in (0.1, 1.0, 3.0):
        assert damping_regime(al, 1.0, 0.9) == "underdamped"
