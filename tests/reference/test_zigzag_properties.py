"""Hypothesis properties of the zigzag reference: GD on quadratics as a linear system.

Random symmetric positive definite matrices are built as A = Q·diag(λ)·Qᵀ from a random
orthogonal Q (QR of a Gaussian matrix, seeded by Hypothesis) and positive eigenvalues λ.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograder.landscapes import QuadraticForm
from reference.zigzag import (
    error_after_steps,
    gd_rescaled_trajectory,
    gd_trajectory,
    isotropic_scaling,
    iteration_matrix,
    path_length,
    path_ratio,
    quadratic_grad,
    quadratic_hessian,
    quadratic_loss,
    quadratic_minimiser,
    rescaled_hessian,
    steep_sign_flips,
    steps_to_tolerance,
)

FAST = settings(max_examples=50, deadline=None)


def _orthogonal(d: int, seed: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
    return q * np.sign(np.diag(r))


def _spd(q: np.ndarray, lam: np.ndarray) -> np.ndarray:
    a = (q * lam) @ q.T
    return 0.5 * (a + a.T)


@st.composite
def spd_problems(draw, d_min: int = 1, d_max: int = 4, lam_min: float = 0.1, lam_max: float = 50):
    """(A, b, Q, λ): A = Q diag(λ) Qᵀ SPD with λ ascending, b in [−5, 5]^d."""
    d = draw(st.integers(d_min, d_max))
    lam = np.sort(
        np.array(draw(st.lists(st.floats(lam_min, lam_max), min_size=d, max_size=d)), dtype=float)
    )
    seed = draw(st.integers(0, 2**32 - 1))
    q = _orthogonal(d, seed)
    b = np.random.default_rng(seed + 1).uniform(-5.0, 5.0, d)
    return _spd(q, lam), b, q, lam


@given(spd_problems(), st.floats(0.0, 1.0), st.integers(0, 25), st.integers(0, 2**32 - 1))
@FAST
def test_gd_iterates_equal_minimiser_plus_closed_form_error(problem, frac, n, seed):
    """x_k = x* + (I − αA)^k e₀ for every k (α up to 2/λmax)."""
    A, b, _, lam = problem
    alpha = 2.0 * frac / lam[-1]
    x0 = np.random.default_rng(seed).uniform(-5.0, 5.0, A.shape[0])
    x_star = np.linalg.solve(A, b)
    traj = gd_trajectory(A, x0, alpha, n, b)
    assert traj.shape == (n + 1, A.shape[0]) and traj.dtype == np.float64
    np.testing.assert_array_equal(traj[0], x0)
    scale = np.linalg.norm(x0 - x_star) + np.linalg.norm(x_star) + 1.0
    m = np.eye(A.shape[0]) - alpha * A
    for k in range(n + 1):
        closed = x_star + error_after_steps(A, alpha, x0 - x_star, k)
        np.testing.assert_allclose(traj[k], closed, rtol=0, atol=1e-10 * scale)
        by_power = np.linalg.matrix_power(m, k) @ (x0 - x_star)
        np.testing.assert_allclose(
            error_after_steps(A, alpha, x0 - x_star, k), by_power, rtol=0, atol=1e-10 * scale
        )


@given(spd_problems(), st.floats(-1.0, 1.0))
@FAST
def test_iteration_matrix_eigenvalues_are_multipliers(problem, alpha):
    """M = I − αA has eigenvalues r_i = 1 − αλ_i and maps e to e − α·∇f."""
    A, _, _, lam = problem
    m = iteration_matrix(A, alpha)
    np.testing.assert_allclose(np.linalg.eigvalsh(m), np.sort(1 - alpha * lam), atol=1e-9)
    e = np.linspace(-1.0, 2.0, A.shape[0])
    np.testing.assert_allclose(m @ e, e - alpha * quadratic_grad(A, e), atol=1e-12)


@st.composite
def steep_problems(draw):
    """SPD A with a clear top eigenvalue, x0 whose steep component is bounded away from 0."""
    d = draw(st.integers(1, 4))
    lam_max = draw(st.floats(0.5, 50.0))
    others = np.array(
        draw(st.lists(st.floats(0.01, 0.8), min_size=d - 1, max_size=d - 1)), dtype=float
    )
    lam = np.sort(np.append(others * lam_max, lam_max))
    seed = draw(st.integers(0, 2**32 - 1))
    q = _orthogonal(d, seed)
    rng = np.random.default_rng(seed + 1)
    b = rng.uniform(-3.0, 3.0, d)
    c_steep = draw(st.floats(0.3, 3.0)) * draw(st.sampled_from([-1.0, 1.0]))
    w = rng.uniform(-1.0, 1.0, d)
    w -= (w @ q[:, -1]) * q[:, -1]
    e0 = c_steep * q[:, -1] + w
    return _spd(q, lam), b, lam, e0


@given(steep_problems(), st.floats(0.05, 0.9), st.integers(0, 8))
@FAST
def test_no_sign_flips_below_one_over_lambda_max(problem, frac, n):
    """0 < α < 1/λmax: r = 1 − αλmax > 0, the steep coordinate never changes sign."""
    A, b, lam, e0 = problem
    x0 = np.linalg.solve(A, b) + e0
    traj = gd_trajectory(A, x0, frac / lam[-1], n, b)
    assert steep_sign_flips(A, traj, b) == 0


@given(steep_problems(), st.floats(1.1, 3.0), st.integers(0, 8))
@FAST
def test_every_step_flips_above_one_over_lambda_max(problem, frac, n):
    """α > 1/λmax: r = 1 − αλmax < 0, the steep coordinate flips at every step."""
    A, b, lam, e0 = problem
    x0 = np.linalg.solve(A, b) + e0
    traj = gd_trajectory(A, x0, frac / lam[-1], n, b)
    flips = steep_sign_flips(A, traj, b)
    assert isinstance(flips, int) and flips == n


@given(steep_problems(), st.integers(0, 2**32 - 1), st.integers(0, 6))
@FAST
def test_sign_flips_do_not_depend_on_the_frame(problem, seed, n):
    """Rotating the problem (A → RARᵀ, x → Rx, b → Rb) leaves the flip count unchanged."""
    A, b, lam, e0 = problem
    d = A.shape[0]
    r = _orthogonal(d, seed)
    x0 = np.linalg.solve(A, b) + e0
    traj = gd_trajectory(A, x0, 1.5 / lam[-1], n, b)
    rotated = steep_sign_flips(0.5 * (r @ A @ r.T + (r @ A @ r.T).T), traj @ r.T, r @ b)
    assert rotated == steep_sign_flips(A, traj, b) == n


@given(
    st.integers(1, 4).flatmap(
        lambda d: st.lists(
            st.lists(st.floats(-1e3, 1e3), min_size=d, max_size=d), min_size=1, max_size=12
        )
    )
)
@FAST
def test_path_ratio_at_least_one(points):
    """Path length ≥ straight distance (triangle inequality): the ratio is ≥ 1."""
    traj = np.array(points, dtype=float)
    ratio = path_ratio(traj)
    assert ratio >= 1.0 - 1e-12
    assert path_length(traj) >= 0.0


@given(spd_problems(d_min=2), st.floats(0.01, 1.99), st.integers(1, 30), st.floats(0.1, 10.0))
@FAST
def test_path_ratio_of_gd_runs_and_its_invariances(problem, frac, n, scale):
    """GD runs have ratio ≥ 1; the ratio ignores translation and uniform scaling."""
    A, b, _, lam = problem
    traj = gd_trajectory(A, np.full(A.shape[0], 2.0), frac / lam[-1], n, b)
    assume(np.linalg.norm(traj[-1] - traj[0]) > 1e-6)
    ratio = path_ratio(traj)
    assert ratio >= 1.0 - 1e-12
    assert path_ratio(scale * traj + 7.0) == pytest.approx(ratio, rel=1e-9)


@given(spd_problems(), st.integers(0, 2**32 - 1), st.floats(-3.0, 3.0))
@FAST
def test_gradient_hessian_minimiser_agree(problem, seed, c):
    """∇f matches central differences of f, agrees with QuadraticForm, and vanishes at x*."""
    A, b, _, _ = problem
    d = A.shape[0]
    x = np.random.default_rng(seed).uniform(-3.0, 3.0, d)
    g = quadratic_grad(A, x, b, c)
    h = 1e-4
    fd = np.array(
        [
            (quadratic_loss(A, x + h * ei, b, c) - quadratic_loss(A, x - h * ei, b, c)) / (2 * h)
            for ei in np.eye(d)
        ]
    )
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6)
    bowl = QuadraticForm(A=tuple(map(tuple, A)), b=tuple(b), c=c)
    assert quadratic_loss(A, x, b, c) == pytest.approx(bowl.loss(x), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(g, bowl.grad(x), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(quadratic_hessian(A, x, b, c), A)
    x_star = quadratic_minimiser(A, b)
    np.testing.assert_allclose(quadratic_grad(A, x_star, b), 0.0, atol=1e-9)
    assert quadratic_loss(A, x, b, c) >= quadratic_loss(A, x_star, b, c) - 1e-9


@given(spd_problems(), st.floats(0.05, 1.9), st.floats(1e-6, 1e-1))
@FAST
def test_steps_to_tolerance_is_the_first_qualifying_iterate(problem, frac, tol):
    """steps_to_tolerance = first k of the GD trajectory with ‖x_k − x*‖ ≤ tol."""
    A, b, _, lam = problem
    alpha = frac / lam[-1]
    x0 = np.full(A.shape[0], 3.0)
    cap = 400
    k = steps_to_tolerance(A, x0, alpha, tol, b, cap)
    dist = np.linalg.norm(gd_trajectory(A, x0, alpha, cap, b) - np.linalg.solve(A, b), axis=1)
    hits = np.flatnonzero(dist <= tol)
    assert k == (int(hits[0]) if hits.size else -1)


@given(
    st.integers(1, 4).flatmap(lambda d: st.lists(st.floats(0.1, 1e3), min_size=d, max_size=d)),
    st.integers(0, 2**32 - 1),
)
@FAST
def test_isotropic_rescaling_converges_in_one_step(lams, seed):
    """With s = 1/√λ: SAS = I and GD in u-coordinates with α = 1 lands on x* at step 1."""
    lam = np.array(lams)
    A = np.diag(lam)
    rng = np.random.default_rng(seed)
    b, x0 = rng.uniform(-5.0, 5.0, lam.size), rng.uniform(-5.0, 5.0, lam.size)
    s = isotropic_scaling(A)
    np.testing.assert_allclose(rescaled_hessian(A, s), np.eye(lam.size), atol=1e-14)
    traj = gd_rescaled_trajectory(A, s, x0, 1.0, 3, b)
    np.testing.assert_array_equal(traj[0], x0)
    x_star = b / lam
    np.testing.assert_allclose(traj[1:], np.broadcast_to(x_star, (3, lam.size)), atol=1e-12)


@given(spd_problems(), st.floats(0.1, 1.9), st.integers(0, 15), st.integers(0, 2**32 - 1))
@FAST
def test_rescaled_gd_is_gd_on_the_rescaled_quadratic(problem, frac, n, seed):
    """S·(GD on g(u) = ½uᵀ(SAS)u − (Sb)ᵀu from S⁻¹x0) equals gd_rescaled_trajectory."""
    A, b, _, _ = problem
    rng = np.random.default_rng(seed)
    s = rng.uniform(0.2, 3.0, A.shape[0])
    x0 = rng.uniform(-3.0, 3.0, A.shape[0])
    H = rescaled_hessian(A, s)
    np.testing.assert_allclose(H, np.diag(s) @ A @ np.diag(s), rtol=1e-12, atol=1e-12)
    alpha = frac / np.linalg.eigvalsh(H)[-1]
    u = gd_trajectory(H, x0 / s, alpha, n, s * b)
    x = gd_rescaled_trajectory(A, s, x0, alpha, n, b)
    np.testing.assert_allclose(x, u * s, rtol=1e-9, atol=1e-9)
