"""Boundary cases and documented contracts of the divergence exercise's reference."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from reference.divergence import (
    bisect_threshold,
    classify_run,
    divergence_threshold,
    gd_quadratic,
    hessian_vector_product,
    is_divergent,
    lr_range_test,
    mse_hessian,
    power_iteration_lambda_max,
    range_test_cliff,
)

A26 = np.diag([2.0, 6.0])

# ---------------------------------------------------------------- is_divergent


def test_is_divergent_strict_inequality_at_the_factor():
    """dₖ = factor·d₀ exactly is not divergent; just above is."""
    assert not is_divergent([1.0, 4.0], 0.0, factor=4.0)
    assert is_divergent([1.0, 4.000001], 0.0, factor=4.0)


def test_is_divergent_uses_euclidean_distance_to_x_star():
    """d₀ = ‖(3, 4)‖ = 5; a row at distance 5·10 = 50 is not divergent, 50.5 is."""
    star = np.array([1.0, -1.0])
    traj = np.array([np.add(star, [3.0, 4.0]), np.add(star, [30.0, 40.0])])
    assert not is_divergent(traj, star, factor=10.0)
    traj[1] = np.add(star, [30.3, 40.4])
    assert is_divergent(traj, star, factor=10.0)


def test_is_divergent_zero_initial_distance_counts_only_non_finite():
    """A run started at x*: finite iterates never count, NaN/inf do."""
    assert not is_divergent([2.0, 2.0 + 1e-9, 1e6], 2.0)
    assert is_divergent([2.0, np.nan], 2.0)
    assert is_divergent([[0.0, 0.0], [np.inf, 0.0]], [0.0, 0.0])


def test_is_divergent_non_finite_start_and_single_row():
    """A non-finite start is divergent; a finite single row is not."""
    assert is_divergent([np.nan, 0.0], 0.0)
    assert not is_divergent([3.0], 0.0)
    assert is_divergent([[np.inf, 1.0]], [0.0, 0.0])


def test_is_divergent_default_factor_is_1e6():
    """The project default: 10⁶ times the initial distance."""
    assert not is_divergent([1.0, -1e6], 0.0)
    assert is_divergent([1.0, -1.0000001e6], 0.0)


def test_is_divergent_infinite_factor_counts_only_non_finite():
    """factor = inf: only NaN/inf iterates count."""
    assert not is_divergent([1.0, 1e300], 0.0, factor=np.inf)
    assert is_divergent([1.0, np.inf], 0.0, factor=np.inf)


@pytest.mark.parametrize(
    ("traj", "star", "factor"),
    [([], 0.0, 1e6), (np.zeros((2, 2, 2)), 0.0, 1e6), ([1.0], np.nan, 1e6), ([1.0], 0.0, 0.0)],
)
def test_is_divergent_rejects_bad_inputs(traj, star, factor):
    """Empty or 3-D trajectory, non-finite x*, factor ≤ 0: ValueError."""
    with pytest.raises(ValueError):
        is_divergent(traj, star, factor)


def test_is_divergent_returns_python_bool():
    """The verdict is a Python bool (JSON-friendly), not numpy.bool_."""
    assert type(is_divergent([1.0, 2.0], 0.0)) is bool
    assert type(is_divergent([1.0, 1e7], 0.0)) is bool


# ---------------------------------------------------------------- divergence_threshold


def test_threshold_non_diagonal_matrix_uses_eigenvalues():
    """[[2, 1], [1, 2]] has eigenvalues 1 and 3: the threshold is 2/3, not 2/2."""
    assert divergence_threshold([[2.0, 1.0], [1.0, 2.0]]) == pytest.approx(2 / 3, rel=1e-14)


def test_threshold_saddle_returns_two_over_positive_lambda_max():
    """Mixed signs (x² − y²: eigenvalues 2, −2): 2/λmax = 1 is returned."""
    assert divergence_threshold(np.diag([2.0, -2.0])) == pytest.approx(1.0)


@pytest.mark.parametrize("h", [np.diag([-1.0, -3.0]), np.zeros((2, 2)), 0.0, -2.0])
def test_threshold_no_finite_threshold_when_lambda_max_not_positive(h):
    """λmax ≤ 0: ValueError whose message says there is no finite threshold."""
    with pytest.raises(ValueError, match="no finite divergence threshold"):
        divergence_threshold(h)


@pytest.mark.parametrize(
    "h", [[[1.0, 2.0], [0.0, 1.0]], np.ones((2, 3)), [1.0, 2.0], [[np.nan, 0.0], [0.0, 1.0]]]
)
def test_threshold_rejects_non_symmetric_non_square_non_finite(h):
    """Non-symmetric, non-square, 1-D or non-finite input: ValueError."""
    with pytest.raises(ValueError):
        divergence_threshold(h)


def test_threshold_returns_python_float():
    """A Python float, not a NumPy scalar."""
    assert type(divergence_threshold(A26)) is float


# ---------------------------------------------------------------- gd_quadratic / classify_run


def test_gd_quadratic_includes_start_as_a_copy():
    """Row 0 is x0, the caller's array is not mutated nor aliased."""
    x0 = np.array([1.0, 1.0])
    traj = gd_quadratic(A26, x0, 0.1, 3)
    assert traj.shape == (4, 2) and traj.dtype == np.float64
    traj[0, 0] = 99.0
    assert x0.tolist() == [1.0, 1.0]
    assert gd_quadratic(A26, x0, 0.1, 0).tolist() == [[1.0, 1.0]]


def test_gd_quadratic_overflows_quietly():
    """A diverging run reaches inf/NaN without raising or warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = gd_quadratic(A26, [1.0, 1.0], 10.0, 2000)
    assert not np.all(np.isfinite(traj))
    assert classify_run(A26, [1.0, 1.0], 10.0, n_steps=2000) == "diverged"


@pytest.mark.parametrize(
    ("A", "x0", "n"),
    [(np.ones((2, 3)), [1.0, 1.0], 3), (A26, [1.0, 1.0, 1.0], 3), (A26, [1.0, 1.0], -1),
     (A26, [1.0, 1.0], 2.5), (2.0, [1.0, 1.0], 3)],
)  # fmt: skip
def test_gd_quadratic_rejects_bad_shapes_and_steps(A, x0, n):
    """Non-square A, mismatched x0, bad n_steps: ValueError."""
    with pytest.raises(ValueError):
        gd_quadratic(A, x0, 0.1, n)


def test_classify_run_start_at_minimiser_is_converged():
    """x0 = x* = 0 stays there: "converged" (0 ≤ rtol·0)."""
    assert classify_run(A26, [0.0, 0.0], 0.4) == "converged"


def test_classify_run_zero_and_negative_step():
    """η = 0 never moves ("undecided"); η < 0 is ascent and diverges."""
    assert classify_run(A26, [1.0, 1.0], 0.0) == "undecided"
    assert classify_run(A26, [1.0, 1.0], -0.5) == "diverged"


def test_classify_run_exactly_at_threshold_is_undecided():
    """η = 2/λmax: |r| = 1, the steep coordinate flips sign forever without growing."""
    assert classify_run(A26, [0.0, 1.0], 1 / 3) == "undecided"


def test_classify_run_rtol_boundary():
    """‖x_n‖ = rtol·‖x_0‖ exactly counts as converged (≤)."""
    assert classify_run(1.0, 1.0, 0.5, n_steps=2, rtol=0.25) == "converged"
    assert classify_run(1.0, 1.0, 0.5, n_steps=2, rtol=0.2) == "undecided"


# ---------------------------------------------------------------- bisect_threshold


def test_bisect_threshold_rejects_bad_brackets():
    """lo diverging, hi not diverging, lo ≥ hi or tol ≤ 0: ValueError."""
    with pytest.raises(ValueError, match="lo"):
        bisect_threshold(A26, [1.0, 1.0], 0.5, 0.6)
    with pytest.raises(ValueError, match="hi"):
        bisect_threshold(A26, [1.0, 1.0], 0.1, 0.2)
    with pytest.raises(ValueError):
        bisect_threshold(A26, [1.0, 1.0], 0.4, 0.3)
    with pytest.raises(ValueError):
        bisect_threshold(A26, [1.0, 1.0], 0.3, 0.4, tol=0.0)


def test_bisect_threshold_no_steps_when_bracket_already_tight():
    """hi − lo ≤ tol from the start: the inputs are returned as floats."""
    lo, hi = bisect_threshold(A26, [1.0, 1.0], 0.3, 0.4, tol=0.2)
    assert (lo, hi) == (0.3, 0.4)
    assert type(lo) is float and type(hi) is float


def test_bisect_threshold_stops_at_float_resolution():
    """A tol below float spacing ends when the midpoint cannot split the bracket."""
    lo, hi = bisect_threshold(1.0, 1.0, 1.5, 2.5, n_steps=1, tol=1e-300, factor=1.0)
    assert lo < 2.0 < hi or lo == 2.0 or hi == 2.0
    assert np.nextafter(lo, np.inf) == hi


def test_bisect_threshold_default_n_steps_sits_above_one_third():
    """With n_steps = 100 the empirical threshold is ≈ (1 + (10⁶√2)^{1/100})/6 ≈ 0.3587."""
    lo, hi = bisect_threshold(A26, [1.0, 1.0], 0.3, 0.4)
    assert 1 / 3 < lo < hi < (1 + (1e6 * np.sqrt(2)) ** 0.01) / 6 + 1e-3


# ---------------------------------------------------------------- HVP / power iteration


def test_hvp_rejects_mismatched_shapes():
    """v must have the shape of x."""
    with pytest.raises(ValueError):
        hessian_vector_product(lambda t: (t**2).sum(), [1.0, 2.0], [1.0])


def test_hvp_accepts_a_scalar_point():
    """A scalar x is read as shape (1,): L = w⁴ at w = 2 has L'' = 48."""
    assert hessian_vector_product(lambda t: (t**4).sum(), 2.0, 1.0).tolist() == [48.0]


def test_power_iteration_rejects_negative_iterations():
    """n_iters must be a non-negative integer."""
    with pytest.raises(ValueError):
        power_iteration_lambda_max(lambda t: (t**2).sum(), [1.0], np.random.default_rng(0), -1)


# ---------------------------------------------------------------- LR range test


def test_mse_hessian_shape_and_symmetry():
    """(2/n)XᵀX has shape (d, d), is symmetric, and ignores y."""
    X = np.arange(12.0).reshape(4, 3)
    h = mse_hessian(X)
    assert h.shape == (3, 3)
    np.testing.assert_allclose(h, 0.5 * X.T @ X)
    with pytest.raises(ValueError):
        mse_hessian([1.0, 2.0])


def test_lr_range_test_records_loss_before_update():
    """Two steps by hand: θ₁ = lr₀·(2/n)Xᵀy, loss₁ = mean((y − Xθ₁)²)."""
    X = np.array([[1.0, 0.0], [1.0, 2.0], [0.0, 1.0]])
    y = np.array([1.0, 2.0, -1.0])
    lrs, losses = lr_range_test(X, y, 0.01, 1.0, 2)
    theta1 = 0.01 * (2 / 3) * X.T @ y
    np.testing.assert_allclose(lrs, [0.01, 0.1])
    np.testing.assert_allclose(losses, [np.mean(y**2), np.mean((y - X @ theta1) ** 2)])


def test_lr_range_test_overflows_quietly():
    """A range reaching far above 2/λmax overflows to inf/NaN without warnings."""
    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lrs, losses = lr_range_test(X, [1.0, 0.0, 2.0, 5.0], 1e-3, 1e6, 400)
    assert not np.all(np.isfinite(losses))
    assert range_test_cliff(lrs, losses) is not None


@pytest.mark.parametrize(
    "args", [((np.ones(3), np.ones(3)), {}), ((np.ones((3, 1)), np.ones(2)), {}),
             ((np.ones((3, 1)), np.ones(3)), {"lr_start": 0.0}),
             ((np.ones((3, 1)), np.ones(3)), {"n_steps": 0})],
)  # fmt: skip
def test_lr_range_test_rejects_bad_inputs(args):
    """1-D X, mismatched y, lr_start ≤ 0 or n_steps < 1: ValueError."""
    pos, kw = args
    with pytest.raises(ValueError):
        lr_range_test(*pos, **kw)


def test_cliff_non_finite_loss_counts_and_boundary_is_strict():
    """NaN/inf is a cliff; exactly factor·best is not."""
    assert range_test_cliff([1.0, 2.0, 3.0], [1.0, 4.0, np.nan]) == 3.0
    assert range_test_cliff([1.0, 2.0], [np.inf, 1.0]) == 1.0
    assert range_test_cliff([1.0, 2.0], [1.0, 4.0]) is None
    assert range_test_cliff([1.0, 2.0], [1.0, 4.0], factor=1.0) == 2.0


def test_cliff_uses_best_so_far_not_previous():
    """The reference is the minimum of all earlier losses."""
    lrs = [1.0, 2.0, 3.0, 4.0]
    assert range_test_cliff(lrs, [1.0, 3.0, 3.9, 4.5]) == 4.0


def test_cliff_rejects_bad_inputs():
    """Mismatched lengths or factor < 1: ValueError."""
    with pytest.raises(ValueError):
        range_test_cliff([1.0, 2.0], [1.0])
    with pytest.raises(ValueError):
        range_test_cliff([1.0, 2.0], [1.0, 2.0], factor=0.5)
