"""The numbers of seeds 002, 001 and 003 on 2-D quadratics and zigzag, reproduced.

Seed 002's exercises ask questions without printing answers, seed 001 states its numbers
in prose (§3.4, §4.3, §7.3, §8.1) and seed 003 runs its exercise code without showing the
output. Every expected value here therefore comes from the seed's own text (e.g. "∇f at
(1, 1) = (2, 20)", "κ = 100", "η < 2/200 = 0.01") or from the closed form the seed
derives, x_k = x* + (1 − αλ)^k (x_0 − x*) per axis, evaluated independently here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.landscapes import QuadraticForm
from reference.zigzag import (
    error_after_steps,
    gd_trajectory,
    iteration_matrix,
    path_ratio,
    quadratic_grad,
    quadratic_hessian,
    quadratic_loss,
    quadratic_minimiser,
    steep_sign_flips,
    steps_to_tolerance,
    steps_vs_kappa,
)

pytestmark = pytest.mark.seed

REL = 1e-12  # the seeds' numbers are exact decimals; float64 rounding only

# x² + 10y² (seed 002, Ex. 2-3): in the ½xᵀAx convention A = diag(2, 20).
A_002_EX2 = np.diag([2.0, 20.0])
# f = ½(2x² + 10y²) (seed 002, Ex. 4-5): A = diag(2, 10).
A_002_EX5 = np.diag([2.0, 10.0])
X0_002_EX5 = [5.0, 1.0]
# seed 001: x² + 3y², x² + 30y², x² + 100y².
A_001_3 = np.diag([2.0, 6.0])
A_001_30 = np.diag([2.0, 60.0])
A_001_100 = np.diag([2.0, 200.0])

POINTS = [(1.0, 1.0), (0.0, 0.0), (3.0, -7.0), (-2.5, 0.125)]


def _closed_form_steps(lams: list[float], x0: list[float], alpha: float, tol: float) -> int:
    """Smallest k with ‖((1 − αλ_i)^k x0_i)_i‖ ≤ tol, from the seed's geometric sequences."""
    r = 1.0 - alpha * np.asarray(lams)
    for k in range(100_000):
        if math.hypot(*(r**k * np.asarray(x0))) <= tol:
            return k
    raise AssertionError("closed form did not reach the tolerance")


# --------------------------------------------------------------------------------------
# Seed 002
# --------------------------------------------------------------------------------------


def test_002_ex2_gradient_of_x2_plus_10y2_at_1_1():
    """Seed 002, Exercise 2: f = x² + 10y², ∇f = (2x, 20y), ∇f(1, 1) = (2, 20); y is steeper."""
    for p in POINTS:  # A = diag(2, 20) is indeed x² + 10y²
        assert quadratic_loss(A_002_EX2, p) == pytest.approx(p[0] ** 2 + 10 * p[1] ** 2, rel=REL)
    g = quadratic_grad(A_002_EX2, [1.0, 1.0])
    np.testing.assert_allclose(g, [2.0, 20.0], rtol=REL)
    assert abs(g[1]) > abs(g[0])


def test_002_ex3_hessian_is_diag_2_20_everywhere():
    """Seed 002, Exercise 3: the Hessian of x² + 10y² is diag(2, 20), independent of (x, y)."""
    for p in POINTS:
        np.testing.assert_array_equal(quadratic_hessian(A_002_EX2, p), [[2.0, 0.0], [0.0, 20.0]])


def test_002_ex4_axes_are_eigenvectors():
    """Seed 002, Exercise 4.1: A = diag(2, 10) maps (1, 0) to 2(1, 0) and (0, 1) to 10(0, 1)."""
    np.testing.assert_allclose(quadratic_grad(A_002_EX5, [1.0, 0.0]), [2.0, 0.0], rtol=REL)
    np.testing.assert_allclose(quadratic_grad(A_002_EX5, [0.0, 1.0]), [0.0, 10.0], rtol=REL)


def test_002_ex4_a_times_1_1_leaves_the_span():
    """Seed 002, Exercise 4.2: A(1, 1) = (2, 10), not a multiple of (1, 1)."""
    v = quadratic_grad(A_002_EX5, [1.0, 1.0])  # A·x with b = 0
    np.testing.assert_allclose(v, [2.0, 10.0], rtol=REL)
    assert v[0] * 1.0 - v[1] * 1.0 != 0.0  # 2-D cross product with (1, 1)


def test_002_ex5_alpha_0_05_two_steps_no_oscillation():
    """Seed 002, Exercise 5.1: α = 0.05 gives (4.5, 0.5), (4.05, 0.25); y does not oscillate."""
    traj = gd_trajectory(A_002_EX5, X0_002_EX5, 0.05, 2)
    np.testing.assert_allclose(traj, [[5.0, 1.0], [4.5, 0.5], [4.05, 0.25]], rtol=REL)
    assert steep_sign_flips(A_002_EX5, traj) == 0


def test_002_ex5_alpha_0_15_y_multiplier_minus_half():
    """Seed 002, Exercise 5.2: α = 0.15: 1 − 10α = −0.5, (3.5, −0.5), (2.45, 0.25): y zigzags."""
    np.testing.assert_allclose(
        iteration_matrix(A_002_EX5, 0.15), [[0.7, 0.0], [0.0, -0.5]], rtol=REL, atol=1e-15
    )
    traj = gd_trajectory(A_002_EX5, X0_002_EX5, 0.15, 2)
    np.testing.assert_allclose(traj, [[5.0, 1.0], [3.5, -0.5], [2.45, 0.25]], rtol=REL)
    assert steep_sign_flips(A_002_EX5, traj) == 2


def test_002_ex5_alpha_0_25_y_multiplier_minus_1_5_diverges():
    """Seed 002, Exercise 5.3: α = 0.25: 1 − 10α = −1.5, |y_k| = 1.5^k grows: divergence."""
    np.testing.assert_allclose(
        iteration_matrix(A_002_EX5, 0.25), [[0.5, 0.0], [0.0, -1.5]], rtol=REL, atol=1e-15
    )
    traj = gd_trajectory(A_002_EX5, X0_002_EX5, 0.25, 30)
    k = np.arange(31)
    np.testing.assert_allclose(traj[:, 1], (-1.5) ** k, rtol=1e-12)
    np.testing.assert_allclose(traj[:, 0], 5.0 * 0.5**k, rtol=1e-12)
    assert steps_to_tolerance(A_002_EX5, X0_002_EX5, 0.25, 1e-3) == -1


def test_002_error_dynamics_closed_form_ex5():
    """Seed 002, "GD as a discrete-time dynamical system": e_k = (I − αA)^k e_0 on Ex. 5."""
    for alpha in (0.05, 0.15, 0.25):
        for k in (0, 1, 2, 7):
            expected = np.array([(1 - 2 * alpha) ** k * 5.0, (1 - 10 * alpha) ** k * 1.0])
            np.testing.assert_allclose(
                error_after_steps(A_002_EX5, alpha, X0_002_EX5, k), expected, rtol=1e-12
            )


# --------------------------------------------------------------------------------------
# Seed 001
# --------------------------------------------------------------------------------------


def test_001_x2_plus_3y2_hessian_diag_2_6_kappa_3():
    """Seed 001 §4.3/§7.3: x² + 3y² has λ1 = 2, λ2 = 6, H = diag(2, 6), κ = 6/2 = 3."""
    bowl = QuadraticForm.diagonal([2.0, 6.0])
    for p in POINTS:
        assert bowl.loss(p) == pytest.approx(p[0] ** 2 + 3 * p[1] ** 2, rel=REL)
        assert quadratic_loss(A_001_3, p) == pytest.approx(p[0] ** 2 + 3 * p[1] ** 2, rel=REL)
        np.testing.assert_array_equal(quadratic_hessian(A_001_3, p), [[2.0, 0.0], [0.0, 6.0]])
    out = steps_vs_kappa([A_001_3], [1.0, 1.0], 1e-6)
    assert out["kappa"][0] == pytest.approx(3.0, rel=REL)


def test_001_x2_plus_3y2_max_stable_rate_one_third():
    """Seed 001 §4.3: the maximum stable learning rate for x² + 3y² is η < 2/6 ≈ 0.333."""
    for eta, radius in ((0.33, 0.98), (1.0 / 3.0, 1.0), (0.34, 1.04)):
        rho = np.max(np.abs(np.linalg.eigvalsh(iteration_matrix(A_001_3, eta))))
        assert rho == pytest.approx(radius, rel=1e-12)


def test_001_x2_plus_3y2_optimal_rate_quarter_gives_rho_half():
    """Seed 001 §4.3: η* = 2/(2 + 6) = 0.25 and ρ* = (3 − 1)/(3 + 1) = 0.5."""
    out = steps_vs_kappa([A_001_3], [1.0, 1.0], 1e-6)
    assert out["alpha"][0] == pytest.approx(0.25, rel=REL)
    np.testing.assert_allclose(iteration_matrix(A_001_3, 0.25), np.diag([0.5, -0.5]), rtol=REL)
    e0 = np.array([1.0, -3.0])
    for k in range(6):  # every error component is multiplied by ±0.5 per step
        assert np.linalg.norm(error_after_steps(A_001_3, 0.25, e0, k)) == pytest.approx(
            0.5**k * np.linalg.norm(e0), rel=1e-12
        )


def test_001_x2_plus_3y2_eta_0_3_converges_0_4_diverges():
    """Seed 001 §4.3/§8.1: on x² + 3y², η = 0.3 converges (barely) and η = 0.4 diverges."""
    x0 = [1.0, 1.0]
    assert steps_to_tolerance(A_001_3, x0, 0.3, 1e-6) == _closed_form_steps([2, 6], x0, 0.3, 1e-6)
    assert steps_to_tolerance(A_001_3, x0, 0.4, 1e-6) == -1
    traj = gd_trajectory(A_001_3, x0, 0.4, 40)
    assert abs(traj[-1, 1]) == pytest.approx(1.4**40, rel=1e-12)


def test_001_x2_plus_100y2_hessian_diag_2_200_kappa_100():
    """Seed 001 §7.3: x² + 100y² has H = diag(2, 200) and κ = 200/2 = 100."""
    for p in POINTS:
        assert quadratic_loss(A_001_100, p) == pytest.approx(p[0] ** 2 + 100 * p[1] ** 2, rel=REL)
        np.testing.assert_array_equal(quadratic_hessian(A_001_100, p), [[2.0, 0.0], [0.0, 200.0]])
    out = steps_vs_kappa([A_001_100], [1.0, 1.0], 1e-6)
    assert out["kappa"][0] == pytest.approx(100.0, rel=REL)


def test_001_x2_plus_100y2_stable_range_0_to_0_01():
    """Seed 001 §4.3/§7.3: for x² + 100y² the working range of η is (0, 2/200) = (0, 0.01)."""
    x0 = [1.0, 1.0]
    for eta in (0.001, 0.005, 0.0099):
        assert steps_to_tolerance(A_001_100, x0, eta, 1e-6, max_steps=20_000) == (
            _closed_form_steps([2, 200], x0, eta, 1e-6)
        )
    for eta in (0.0101, 0.02):
        assert steps_to_tolerance(A_001_100, x0, eta, 1e-6, max_steps=20_000) == -1
    rho = np.max(np.abs(np.linalg.eigvalsh(iteration_matrix(A_001_100, 0.01))))
    assert rho == pytest.approx(1.0, rel=1e-12)


def test_001_x2_plus_100y2_shallow_direction_tolerates_eta_up_to_1():
    """Seed 001 §7.3: the shallow x-direction alone would tolerate η up to 2/2 = 1."""
    for eta, r_x in ((0.5, 0.0), (0.99, -0.98), (1.0, -1.0)):
        assert iteration_matrix(A_001_100, eta)[0, 0] == pytest.approx(r_x, abs=1e-12)


def test_001_suggested_modification_steps_grow_with_kappa():
    """Seed 001 §3.4 / §4.3: x² + 3y² vs x² + 30y² vs x² + 100y²: more steps at the optimal η."""
    x0, tol = [5.0, 1.0], 1e-6
    out = steps_vs_kappa([A_001_3, A_001_30, A_001_100], x0, tol)
    np.testing.assert_allclose(out["kappa"], [3.0, 30.0, 100.0], rtol=REL)
    np.testing.assert_allclose(out["alpha"], [2 / 8, 2 / 62, 2 / 202], rtol=REL)
    expected = [
        _closed_form_steps([2, 2 * c], x0, 2 / (2 + 2 * c), tol) for c in (3.0, 30.0, 100.0)
    ]
    assert out["steps"].tolist() == expected
    assert expected[0] < expected[1] < expected[2]
    assert out["steps"].dtype == np.int64


def test_001_suggested_modification_elongated_bowl_zigzags_more():
    """Seed 001 §3.4: the elongated bowl shows severe zigzagging (more path per distance)."""
    x0, n = [5.0, 1.0], 50
    ratios, flips = [], []
    for c in (3.0, 30.0, 100.0):
        A = np.diag([2.0, 2 * c])
        traj = gd_trajectory(A, x0, 2 / (2 + 2 * c), n)
        ratios.append(path_ratio(traj))
        flips.append(steep_sign_flips(A, traj))
    assert flips == [n, n, n]  # α* = 2/(λmax + λmin) > 1/λmax: the steep coordinate flips
    assert 1.0 < ratios[0] < ratios[1] < ratios[2]


# --------------------------------------------------------------------------------------
# Seed 003
# --------------------------------------------------------------------------------------


def test_003_exercise3_gd_to_target_2_minus_1():
    """Seed 003, Exercise 3: 20 GD steps with η = 0.1 on ‖x − (2, −1)‖² from (5, 5)."""
    t, x0 = np.array([2.0, -1.0]), np.array([5.0, 5.0])
    A, b, c = 2.0 * np.eye(2), 2.0 * t, float(t @ t)  # ‖x − t‖² = ½xᵀ(2I)x − (2t)ᵀx + ‖t‖²
    for p in POINTS:
        assert quadratic_loss(A, p, b, c) == pytest.approx(
            float(np.sum((np.asarray(p) - t) ** 2)), rel=REL, abs=1e-12
        )
    np.testing.assert_allclose(quadratic_minimiser(A, b), t, rtol=REL)
    traj = gd_trajectory(A, x0, 0.1, 20, b)
    expected = t + 0.8 ** np.arange(21)[:, None] * (x0 - t)
    np.testing.assert_allclose(traj, expected, rtol=1e-12)
    np.testing.assert_allclose(traj[-1], t + 0.8**20 * (x0 - t), rtol=1e-12)


def test_003_vector_demo_final_x_and_norm():
    """Seed 003, vector demo: f = ‖x‖², x0 = (5, −3), η = 0.2, 15 steps: x = 0.6^15·x0."""
    x0 = np.array([5.0, -3.0])
    traj = gd_trajectory(2.0 * np.eye(2), x0, 0.2, 15)
    np.testing.assert_allclose(traj[-1], 0.6**15 * x0, rtol=1e-12)
    assert float(np.linalg.norm(traj[-1])) == pytest.approx(0.6**15 * math.sqrt(34.0), rel=1e-12)
