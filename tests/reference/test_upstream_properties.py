"""Hypothesis properties of the `upstream` mathematics (NumPy reference only)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reference import upstream as up

SETTINGS = settings(max_examples=50, deadline=None)


@st.composite
def problems(draw, symmetric=None):
    n = draw(st.integers(2, 6))
    d = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.floats(0.1, 1.5))
    rng = np.random.default_rng(seed)
    X = scale * rng.standard_normal((n, d))
    V = rng.standard_normal((n, n))
    sym = draw(st.booleans()) if symmetric is None else symmetric
    if sym:
        V = V + V.T
    return X, V


@SETTINGS
@given(problems())
def test_finite_differences_match_analytic_gradient(p):
    X, V = p
    g = up.analytic_grad(X, V)
    h = 1e-6
    fd = np.zeros_like(X)
    for idx in np.ndindex(*X.shape):
        Xp, Xm = X.copy(), X.copy()
        Xp[idx] += h
        Xm[idx] -= h
        fd[idx] = (up.implicit_objective(Xp, V) - up.implicit_objective(Xm, V)) / (2 * h)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6)


@SETTINGS
@given(problems(symmetric=True))
def test_symmetric_v_gives_2gx(p):
    X, V = p
    Y = np.tanh(X @ X.T)
    G = V * (1 - Y**2)
    np.testing.assert_allclose(up.analytic_grad(X, V), 2 * G @ X, rtol=1e-12, atol=1e-12)


@SETTINGS
@given(problems(), st.floats(-3, 3), st.floats(-3, 3), st.integers(0, 2**32 - 1))
def test_gradient_and_objective_are_linear_in_v(p, a, b, seed):
    X, V1 = p
    V2 = np.random.default_rng(seed).standard_normal(V1.shape)
    lhs = up.analytic_grad(X, a * V1 + b * V2)
    rhs = a * up.analytic_grad(X, V1) + b * up.analytic_grad(X, V2)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-10, atol=1e-10)
    j_mix = up.implicit_objective(X, a * V1 + b * V2)
    expected = a * up.implicit_objective(X, V1) + b * up.implicit_objective(X, V2)
    assert j_mix == pytest.approx(expected, rel=1e-10, abs=1e-10)


@SETTINGS
@given(problems())
def test_gradient_only_depends_on_symmetric_part_of_v(p):
    """⟨V, Y⟩ = ⟨(V + Vᵀ)/2, Y⟩ because Y is symmetric, so the gradients agree too."""
    X, V = p
    np.testing.assert_allclose(
        up.analytic_grad(X, V), up.analytic_grad(X, (V + V.T) / 2), rtol=1e-12, atol=1e-12
    )


@SETTINGS
@given(problems())
def test_small_ascent_step_increases_j_to_first_order(p):
    X, V = p
    g = up.analytic_grad(X, V)
    gsq = float(np.sum(g * g))
    assume(gsq > 1e-6)
    eta = 1e-5
    e = up.ascent_effect(X, V, eta)
    assert e["J_after"] > e["J_before"]
    # J(X + ηg) − J(X) = η‖g‖² + O(η²)
    assert (e["J_after"] - e["J_before"]) / eta == pytest.approx(gsq, rel=1e-3)


@SETTINGS
@given(problems(), st.floats(0.01, 0.5))
def test_diagonal_only_objective_increases_self_similarity(p, eta):
    X, _ = p
    norms = np.sum(X**2, axis=1)
    assume(np.all(norms > 1e-3))
    # where tanh saturates (Y_ii = 1 to double precision) no step can raise it any further
    assume(np.all(1.0 - np.tanh(norms) > 1e-6))
    n = X.shape[0]
    e = up.ascent_effect(X, up.design_v(n, 1.0, 0.0), eta)
    assert e["self_after"] > e["self_before"]


@SETTINGS
@given(problems(), st.floats(0.1, 3.0))
def test_off_diagonal_penalty_lowers_cross_similarity_for_small_steps(p, b):
    X, _ = p
    n = X.shape[0]
    V = up.design_v(n, 0.0, b)
    assume(float(np.sum(up.analytic_grad(X, V) ** 2)) > 1e-6)
    e = up.ascent_effect(X, V, 1e-5)
    # J = −b·n(n−1)·cross, so J up ⇔ cross down
    assert e["cross_after"] < e["cross_before"]
    assert e["J_before"] == pytest.approx(-b * n * (n - 1) * e["cross_before"], rel=1e-12)


@SETTINGS
@given(st.integers(1, 8), st.floats(-5, 5), st.floats(-5, 5))
def test_design_v_structure(n, a, b):
    V = up.design_v(n, a, b)
    assert V.shape == (n, n) and V.dtype == np.float64
    np.testing.assert_array_equal(V, V.T)
    np.testing.assert_array_equal(np.diag(V), np.full(n, a))
    assert np.all(V[~np.eye(n, dtype=bool)] == -b)


@SETTINGS
@given(problems())
def test_similarity_stats_definition(p):
    X, _ = p
    Y = np.tanh(X @ X.T)
    n = X.shape[0]
    s = up.similarity_stats(X)
    assert s["self"] == pytest.approx(np.mean(np.diag(Y)), rel=1e-12)
    off = Y[~np.eye(n, dtype=bool)]
    assert s["cross"] == pytest.approx(np.mean(off), rel=1e-9, abs=1e-12)


@SETTINGS
@given(problems(), st.floats(-1, 1))
def test_ascent_step_formula_and_no_mutation(p, eta):
    X, V = p
    X0 = X.copy()
    out = up.ascent_step(X, V, eta)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_allclose(out, X + eta * up.analytic_grad(X, V), rtol=0, atol=0)


def test_validation_errors():
    with pytest.raises(ValueError):
        up.design_v(0)
    with pytest.raises(ValueError):
        up.analytic_grad(np.ones(3), np.eye(3))
    with pytest.raises(ValueError):
        up.implicit_objective(np.ones((3, 2)), np.eye(2))
    with pytest.raises(ValueError):
        up.similarity_stats(np.ones((1, 2)))
