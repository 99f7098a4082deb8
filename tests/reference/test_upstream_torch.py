"""The `upstream` reference agrees with real PyTorch autograd (float64)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from reference import upstream as up

CASES = [(5, 3), (4, 2), (6, 6), (1, 3), (7, 1)]


def _random(seed: int, n: int, d: int, symmetric: bool) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    V = rng.standard_normal((n, n))
    if symmetric:
        V = V + V.T
    return X, V


def _torch_grad_of_j(X: np.ndarray, V: np.ndarray) -> np.ndarray:
    xt = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    J = (torch.tensor(V, dtype=torch.float64) * torch.tanh(xt @ xt.T)).sum()
    (g,) = torch.autograd.grad(J, xt)
    return g.numpy()


@pytest.mark.parametrize("symmetric", [True, False])
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("shape", CASES)
def test_backward_v_equals_analytic_gradient(shape, seed, symmetric):
    X, V = _random(seed, *shape, symmetric)
    got = up.upstream_grad_torch(X, V)
    assert got.dtype == np.float64 and got.shape == X.shape
    np.testing.assert_allclose(got, up.analytic_grad(X, V), rtol=0, atol=1e-10)


@pytest.mark.parametrize("symmetric", [True, False])
@pytest.mark.parametrize("seed", range(5))
def test_backward_v_equals_autograd_grad_of_implicit_objective(seed, symmetric):
    X, V = _random(100 + seed, 5, 3, symmetric)
    np.testing.assert_allclose(
        up.upstream_grad_torch(X, V), _torch_grad_of_j(X, V), rtol=0, atol=1e-10
    )
    xt = torch.tensor(X, dtype=torch.float64)
    J_torch = float((torch.tensor(V) * torch.tanh(xt @ xt.T)).sum())
    assert up.implicit_objective(X, V) == pytest.approx(J_torch, rel=1e-12, abs=1e-12)


def test_non_symmetric_v_needs_g_plus_g_transpose():
    """2GX is wrong when V is not symmetric: the torch gradient is (G + Gᵀ)X."""
    X, V = _random(7, 5, 3, symmetric=False)
    Y = np.tanh(X @ X.T)
    G = V * (1 - Y**2)
    got = up.upstream_grad_torch(X, V)
    assert not np.allclose(got, 2 * G @ X, atol=1e-6)
    np.testing.assert_allclose(got, (G + G.T) @ X, atol=1e-10)


def test_torch_gradient_is_linear_in_v():
    X, V1 = _random(8, 5, 3, symmetric=False)
    _, V2 = _random(9, 5, 3, symmetric=True)
    a, b = 0.7, -2.3
    lhs = up.upstream_grad_torch(X, a * V1 + b * V2)
    rhs = a * up.upstream_grad_torch(X, V1) + b * up.upstream_grad_torch(X, V2)
    np.testing.assert_allclose(lhs, rhs, atol=1e-12)


def test_gradcheck_of_implicit_objective():
    X, V = _random(10, 5, 3, symmetric=False)
    Vt = torch.tensor(V)

    def J(x: torch.Tensor) -> torch.Tensor:
        return (Vt * torch.tanh(x @ x.T)).sum()

    xt = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(J, (xt,))


def test_input_is_not_modified_and_a_fresh_leaf_is_used():
    X, V = _random(11, 5, 3, symmetric=True)
    X_copy, V_copy = X.copy(), V.copy()
    g1 = up.upstream_grad_torch(X, V)
    g2 = up.upstream_grad_torch(X, V)  # no accumulation across calls
    np.testing.assert_array_equal(g1, g2)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(V, V_copy)


@pytest.mark.parametrize("n_backward", [0, 1, 2, 5])
def test_accumulation_is_n_times_the_single_gradient(n_backward):
    X, V = _random(12, 5, 3, symmetric=True)
    single = up.upstream_grad_torch(X, V)
    got = up.accumulated_upstream_grad(X, V, n_backward)
    np.testing.assert_allclose(got, n_backward * single, rtol=1e-14, atol=1e-14)


def test_accumulated_twice_differs_from_single():
    X, V = _random(13, 5, 3, symmetric=True)
    single = up.upstream_grad_torch(X, V)
    assert not np.allclose(up.accumulated_upstream_grad(X, V), single)


def test_backward_twice_without_retain_raises_and_keeps_first_grad():
    X, V = _random(14, 5, 3, symmetric=True)
    out = up.backward_twice(X, V, retain_graph=False)
    assert out["raised"] is True
    np.testing.assert_allclose(out["grad"], up.analytic_grad(X, V), atol=1e-10)


def test_backward_twice_with_retain_graph_accumulates():
    X, V = _random(15, 5, 3, symmetric=False)
    out = up.backward_twice(X, V, retain_graph=True)
    assert out["raised"] is False
    np.testing.assert_allclose(out["grad"], 2 * up.analytic_grad(X, V), atol=1e-10)


def test_torch_really_raises_on_second_backward():
    """The behaviour the pitfall relies on holds in the installed torch."""
    xt = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    y = torch.tanh(xt @ xt.T)
    y.backward(torch.ones(5, 5, dtype=torch.float64))
    with pytest.raises(RuntimeError):
        y.backward(torch.ones(5, 5, dtype=torch.float64))


def test_descent_on_minus_j_with_torch_optimizer_matches_ascent_step():
    """torch.optim.SGD minimising −J (i.e. Y.backward(-V)) takes our ascent step."""
    X, V = _random(16, 5, 3, symmetric=True)
    xt = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([xt], lr=0.05)
    opt.zero_grad()
    torch.tanh(xt @ xt.T).backward(-torch.tensor(V))
    opt.step()
    np.testing.assert_allclose(xt.detach().numpy(), up.ascent_step(X, V, 0.05), atol=1e-12)


def test_sgd_maximize_matches_ascent_step():
    X, V = _random(17, 5, 3, symmetric=False)
    xt = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([xt], lr=0.05, maximize=True)
    opt.zero_grad()
    torch.tanh(xt @ xt.T).backward(torch.tensor(V))
    opt.step()
    np.testing.assert_allclose(xt.detach().numpy(), up.ascent_step(X, V, 0.05), atol=1e-12)


@pytest.mark.parametrize("w0", [2.0, -1.5, 0.0, 7.25])
def test_pitfall_accumulation_matches_torch_formulas(w0):
    out = up.pitfall_accumulation(w0)
    assert out == {"after_first": w0, "after_second": 2 * w0 - 1, "after_clearing": w0 - 1}
    assert all(type(v) is float for v in out.values())


@pytest.mark.parametrize(("w0", "eta"), [(2.0, 0.1), (-3.0, 0.5), (1.0, 1.0)])
def test_pitfall_replaced_leaf_formulas(w0, eta):
    out = up.pitfall_replaced_leaf(w0, eta)
    assert out["step1_grad"] == pytest.approx(w0, rel=1e-15)
    assert out["step2_grad"] is None
    assert out["original_leaf_grad"] == pytest.approx(w0 + (w0 - eta * w0), rel=1e-15, abs=0)
