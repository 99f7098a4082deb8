"""Boundary cases and conventions settled by the zigzag exercise (docs/exercises/zigzag.md)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

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
    steps_vs_kappa,
)

A2 = np.diag([2.0, 10.0])
ROTATED = np.array([[6.0, 2.0], [2.0, 3.0]])  # eigenvalues 2 and 7


# ----- the quadratic ---------------------------------------------------------------------


def test_scalar_and_array_return_types():
    assert type(quadratic_loss(A2, [1.0, 1.0])) is float
    g = quadratic_grad(A2, [1, 1])
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == (2,)
    assert type(steep_sign_flips(A2, [[1.0, 1.0], [1.0, -1.0]])) is int
    assert type(path_ratio([[0.0, 0.0], [1.0, 0.0]])) is float
    assert type(steps_to_tolerance(A2, [1.0, 1.0], 0.1, 1e-3)) is int


def test_c_shifts_the_loss_only():
    assert quadratic_loss(A2, [1.0, 1.0], None, 3.5) == 6.0 + 3.5
    np.testing.assert_array_equal(quadratic_grad(A2, [1.0, 1.0], None, 3.5), [2.0, 10.0])
    np.testing.assert_array_equal(quadratic_grad(A2, [1.0, 1.0], [1.0, 4.0]), [1.0, 6.0])


def test_hessian_is_a_copy():
    A = np.diag([2.0, 10.0])
    H = quadratic_hessian(A, [0.0, 0.0])
    H[0, 0] = 99.0
    assert A[0, 0] == 2.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: quadratic_grad([[1.0, 2.0], [0.0, 1.0]], [1.0, 1.0]),  # not symmetric
        lambda: quadratic_loss([1.0, 2.0], [1.0]),  # not a matrix
        lambda: quadratic_grad(A2, [1.0, 1.0, 1.0]),  # wrong x
        lambda: quadratic_grad(A2, [1.0, 1.0], [1.0]),  # wrong b
        lambda: quadratic_hessian(A2, [1.0]),  # x checked even if unused
        lambda: gd_trajectory(A2, [1.0, 1.0], 0.1, -1),
        lambda: error_after_steps(A2, 0.1, [1.0, 1.0], -2),
        lambda: steps_to_tolerance(A2, [1.0, 1.0], 0.1, -1e-3),
        lambda: steps_to_tolerance(A2, [1.0, 1.0], 0.1, 1e-3, max_steps=-1),
        lambda: steps_vs_kappa([[1.0, 0.0], [0.0, 1.0]], [1.0, 1.0], 1e-3),  # not (m, d, d)
        lambda: steps_vs_kappa([np.diag([1.0, -1.0])], [1.0, 1.0], 1e-3),  # not SPD
        lambda: steep_sign_flips(A2, [[1.0, 1.0, 1.0]]),
        lambda: isotropic_scaling(ROTATED),
        lambda: isotropic_scaling(np.diag([1.0, 0.0])),
        lambda: rescaled_hessian(A2, [1.0]),
    ],
)
def test_invalid_inputs_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_minimiser_of_singular_a_raises_linalg_error():
    with pytest.raises(np.linalg.LinAlgError):
        quadratic_minimiser(np.diag([1.0, 0.0]), [1.0, 1.0])
    np.testing.assert_array_equal(quadratic_minimiser(ROTATED), [0.0, 0.0])


# ----- trajectories ----------------------------------------------------------------------


def test_trajectory_includes_start_and_copies_it():
    x0 = np.array([1.0, 2.0])
    traj = gd_trajectory(ROTATED, x0, 0.1, 0)
    assert traj.shape == (1, 2)
    traj[0, 0] = 5.0
    assert x0[0] == 1.0
    traj = gd_trajectory(ROTATED, x0, 0.1, 3, [1.0, -1.0])
    assert traj.shape == (4, 2)
    np.testing.assert_array_equal(traj[0], x0)
    np.testing.assert_array_equal(traj[1], x0 - 0.1 * (ROTATED @ x0 - [1.0, -1.0]))


def test_divergent_runs_do_not_raise_or_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = gd_trajectory(A2, [1.0, 1.0], 1.0, 2000)
        assert not np.all(np.isfinite(traj[-1]))
        assert not np.all(np.isfinite(error_after_steps(A2, 1.0, [1.0, 1.0], 2000)))
        assert steps_to_tolerance(A2, [1.0, 1.0], 1.0, 1e-3) == -1
        r = gd_rescaled_trajectory(A2, [1.0, 1.0], [1.0, 1.0], 1.0, 2000)
        assert not np.all(np.isfinite(r[-1]))
        steep_sign_flips(A2, traj)
        path_ratio(traj)


def test_error_after_zero_steps_is_e0():
    e0 = np.array([0.3, -0.7])
    e = error_after_steps(ROTATED, 0.2, e0, 0)
    np.testing.assert_array_equal(e, e0)
    assert e is not e0
    np.testing.assert_allclose(
        error_after_steps(ROTATED, 0.2, e0, 3),
        np.linalg.matrix_power(np.eye(2) - 0.2 * ROTATED, 3) @ e0,
    )
    np.testing.assert_allclose(iteration_matrix(ROTATED, 0.2), np.eye(2) - 0.2 * ROTATED)


# ----- steps to tolerance ----------------------------------------------------------------


def test_steps_to_tolerance_counts_and_cap():
    A = np.diag([2.0, 6.0])
    assert steps_to_tolerance(A, [1e-4, 0.0], 0.25, 1e-3) == 0  # x0 already close enough
    assert steps_to_tolerance(A, [1.0, 1.0], 0.25, 1e-3) == 11  # √2·0.5^11 ≤ 1e-3 < √2·0.5^10
    assert steps_to_tolerance(A, [1.0, 1.0], 0.25, 1e-3, max_steps=11) == 11
    assert steps_to_tolerance(A, [1.0, 1.0], 0.25, 1e-3, max_steps=10) == -1
    assert steps_to_tolerance(A, [1.0, 1.0], 0.25, 1e-3, max_steps=0) == -1
    assert steps_to_tolerance(2.0 * np.eye(2), [3.0, -1.0], 0.5, 0.0) == 1  # exact landing
    assert steps_to_tolerance(A, [np.nan, 0.0], 0.25, 1e-3) == -1
    b = [2.0, 6.0]  # x* = (1, 1): distance is measured to x*, not to 0
    assert steps_to_tolerance(A, [1.0, 1.0], 0.25, 0.0, b) == 0


def test_steps_vs_kappa_with_a_shared_alpha():
    out = steps_vs_kappa([np.diag([2.0, 6.0]), np.diag([2.0, 200.0])], [1.0, 1.0], 1e-6, 0.009)
    assert set(out) == {"kappa", "alpha", "steps"}
    np.testing.assert_array_equal(out["alpha"], [0.009, 0.009])
    assert out["steps"].dtype == np.int64 and out["kappa"].dtype == np.float64
    # the flat direction (λ = 2) sets the count when α is shared: both are equal
    assert out["steps"][0] == out["steps"][1] > 0
    out = steps_vs_kappa([np.diag([2.0, 6.0]), np.diag([2.0, 200.0])], [1.0, 1.0], 1e-6, 0.3)
    assert out["steps"][0] > 0 and out["steps"][1] == -1


# ----- zigzag measures -------------------------------------------------------------------


def test_sign_flip_zero_and_nan_conventions():
    A = np.diag([1.0, 4.0])
    assert steep_sign_flips(A, [[0.0, 1.0], [0.0, 0.0], [0.0, -1.0]]) == 0  # +, 0, −
    assert steep_sign_flips(A, [[0.0, 1.0], [0.0, -1.0], [0.0, 0.0], [0.0, 2.0]]) == 1
    assert steep_sign_flips(A, [[0.0, 1.0], [0.0, np.nan], [0.0, -1.0]]) == 0
    assert steep_sign_flips(A, [[5.0, 1.0]]) == 0
    # only the steep (y) coordinate counts, measured from x* = A⁻¹b = (1, 1)
    b = [1.0, 4.0]
    assert steep_sign_flips(A, [[-3.0, 2.0], [5.0, 1.5], [-3.0, 2.0]], b) == 0
    assert steep_sign_flips(A, [[1.0, 2.0], [1.0, 0.5], [1.0, 2.0]], b) == 2


def test_sign_flips_on_a_rotated_bowl_and_in_1d():
    _, q = np.linalg.eigh(ROTATED)
    v = q[:, -1]
    traj = np.array([v, -0.5 * v + q[:, 0], 0.25 * v + 3 * q[:, 0]])
    assert steep_sign_flips(ROTATED, traj) == 2
    assert steep_sign_flips(ROTATED, -traj) == 2
    assert steep_sign_flips([[3.0]], [1.0, -1.0, 2.0, 0.5]) == 2  # 1-D trajectory, d = 1


def test_sign_flips_with_repeated_top_eigenvalue():
    A = np.diag([5.0, 5.0, 1.0])  # λmax = 5 twice: the steep space is the (x, y) plane
    traj = [[1.0, 0.0, 1.0], [0.0, -1.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.1, 1.0]]
    # dot products of consecutive (x, y): 0, 0, 1 -> no flips; then a real reversal
    assert steep_sign_flips(A, traj) == 0
    assert steep_sign_flips(A, [[1.0, 1.0, 0.0], [-1.0, -2.0, 0.0], [0.5, 0.1, 0.0]]) == 2
    iso = gd_trajectory(2.0 * np.eye(2), [3.0, 4.0], 0.75, 6)  # r = −0.5 in every direction
    assert steep_sign_flips(2.0 * np.eye(2), iso) == 6


def test_path_measures_boundaries():
    assert path_length([[1.0, 2.0]]) == 0.0
    assert path_ratio([[1.0, 2.0]]) == 1.0
    assert path_ratio([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]) == 1.0  # never moves
    assert path_ratio([[0.0, 0.0], [1.0, 0.0], [0.0, 0.0]]) == np.inf  # closed loop
    assert path_ratio([0.0, 2.0, 1.0]) == 3.0  # 1-D: L = 3, D = 1
    assert path_ratio([[0.0, 0.0], [3.0, 4.0]]) == 1.0
    assert np.isnan(path_ratio([[0.0, 0.0], [np.nan, 1.0], [1.0, 0.0]]))
    assert np.isnan(path_ratio([[0.0, 0.0], [np.nan, 1.0], [0.0, 0.0]]))


# ----- rescaling -------------------------------------------------------------------------


def test_rescaling_examples():
    np.testing.assert_allclose(rescaled_hessian(ROTATED, [1.0, 2.0]), [[6.0, 4.0], [4.0, 12.0]])
    np.testing.assert_allclose(isotropic_scaling(np.diag([4.0, 100.0])), [0.5, 0.1])
    x0 = np.array([0.3, 0.7])
    traj = gd_rescaled_trajectory(A2, [1.0, 0.0], x0, 0.1, 3)
    np.testing.assert_array_equal(traj[0], x0)
    np.testing.assert_array_equal(traj[:, 1], 0.7)  # s = 0 freezes that coordinate
    np.testing.assert_allclose(traj[:, 0], 0.3 * 0.8 ** np.arange(4))
    # s = 1 is plain GD
    np.testing.assert_array_equal(
        gd_rescaled_trajectory(ROTATED, [1.0, 1.0], x0, 0.1, 5, [1.0, 2.0]),
        gd_trajectory(ROTATED, x0, 0.1, 5, [1.0, 2.0]),
    )
