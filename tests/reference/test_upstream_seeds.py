"""Seed numbers and statements of the `upstream` exercise (seeds 000 and 004 §7)."""

from __future__ import annotations

import numpy as np
import pytest

from reference import upstream as up

pytestmark = pytest.mark.seed


def test_seed000_shapes_y_is_5x5_and_grad_is_5x3():
    """Seed 000, Problem: X is 5×3, Y = tanh(X @ X.T) is a symmetric 5×5 tensor, X.grad is 5×3."""
    X = np.random.default_rng(0).standard_normal((5, 3))
    Y = up.tanh_gram(X)
    assert Y.shape == (5, 5)
    np.testing.assert_allclose(Y, Y.T, rtol=0, atol=0)
    assert up.upstream_grad_torch(X, up.design_v(5)).shape == (5, 3)
    assert up.analytic_grad(X, up.design_v(5)).shape == (5, 3)


def test_seed000_v_emphasises_diagonal_and_penalises_off_diagonal():
    """Seed 000, Task 1: V has positive diagonal entries and negative off-diagonal entries."""
    V = up.design_v(5, diag_weight=1.0, off_weight=0.25)
    assert np.all(np.diag(V) == 1.0)
    off = V[~np.eye(5, dtype=bool)]
    assert np.all(off == -0.25)


def test_seed000_hint_identity_v_gives_trace_objective():
    """Seed 000, Hint: with V = I the implicit objective is trace(Y) ("weighted trace-like")."""
    X = np.random.default_rng(1).standard_normal((5, 3))
    expected = float(np.sum(np.tanh(np.sum(X**2, axis=1))))
    V = up.design_v(5, diag_weight=1.0, off_weight=0.0)
    assert up.implicit_objective(X, V) == pytest.approx(expected, rel=1e-14)


def test_seed000_pure_diagonal_emphasis_grows_every_row():
    """Seed 000, "which entries of X grow": with V = I every row x_i is scaled up along itself."""
    X = np.random.default_rng(2).standard_normal((5, 3))
    X_new = up.ascent_step(X, up.design_v(5, 1.0, 0.0), 0.1)
    # closed form: x_i ← (1 + 2η(1 − tanh²|x_i|²)) x_i
    factor = 1.0 + 0.2 * (1.0 - np.tanh(np.sum(X**2, axis=1)) ** 2)
    np.testing.assert_allclose(X_new, factor[:, None] * X, rtol=1e-13)
    assert np.all(np.linalg.norm(X_new, axis=1) > np.linalg.norm(X, axis=1))


def test_seed004_s7_pitfall_a_after_first_backward_is_2():
    """Seed 004 §7, Pitfall A prints: after first backward, w.grad = 2.0."""
    assert f"{up.pitfall_accumulation(2.0)['after_first']}" == "2.0"


def test_seed004_s7_pitfall_a_after_second_backward_is_3():
    """Seed 004 §7, Pitfall A prints: after second backward, w.grad = 3.0 (accumulated)."""
    assert f"{up.pitfall_accumulation(2.0)['after_second']}" == "3.0"


def test_seed004_s7_pitfall_a_after_clearing_is_1():
    """Seed 004 §7, Pitfall A prints: after clearing, w.grad = 1.0."""
    assert f"{up.pitfall_accumulation(2.0)['after_clearing']}" == "1.0"


def test_seed004_s7_pitfall_b_step1_grad_is_2():
    """Seed 004 §7, Pitfall B prints: step 1 grad: 2.0."""
    assert f"{up.pitfall_replaced_leaf(2.0, 0.1)['step1_grad']}" == "2.0"


def test_seed004_s7_pitfall_b_step2_grad_is_none():
    """Seed 004 §7, Pitfall B prints: step 2 grad: None."""
    assert up.pitfall_replaced_leaf(2.0, 0.1)["step2_grad"] is None


def test_seed004_s7_pitfall_b_gradient_went_to_the_original_leaf():
    """Seed 004 §7, Pitfall B: the original leaf received dL/dw0 = 0.9·2 on top of its 2.0."""
    got = up.pitfall_replaced_leaf(2.0, 0.1)["original_leaf_grad"]
    assert got == pytest.approx(2.0 + (2.0 - 0.1 * 2.0), rel=1e-15)


def test_seed004_s7_pitfall_c_backward_twice_raises():
    """Seed 004 §7, Pitfall C: backward twice on the same graph raises without retain_graph."""
    X = np.random.default_rng(3).standard_normal((5, 3))
    V = up.design_v(5)
    assert up.backward_twice(X, V)["raised"] is True
    assert up.backward_twice(X, V, retain_graph=True)["raised"] is False
