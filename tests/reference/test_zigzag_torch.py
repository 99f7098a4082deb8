"""The zigzag gradient and Hessian agree with PyTorch autograd on the same quadratic (float64)."""

from __future__ import annotations

import numpy as np
import pytest

from reference.zigzag import gd_trajectory, quadratic_grad, quadratic_hessian, quadratic_loss

torch = pytest.importorskip("torch")


def _problem(seed: int, d: int) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    A = (q * rng.uniform(0.1, 50.0, d)) @ q.T
    A = 0.5 * (A + A.T)  # symmetric, non-diagonal
    return A, rng.uniform(-5.0, 5.0, d), float(rng.uniform(-3.0, 3.0)), rng.uniform(-4.0, 4.0, d)


def _torch_f(A: np.ndarray, b: np.ndarray, c: float):
    At = torch.tensor(A, dtype=torch.float64)
    bt = torch.tensor(b, dtype=torch.float64)
    return lambda x: 0.5 * (x @ (At @ x)) - bt @ x + c


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("d", [1, 2, 5])
def test_gradient_matches_autograd(seed, d):
    """quadratic_grad(A, x, b, c) equals x.grad after backward() of ½xᵀAx − bᵀx + c."""
    A, b, c, x = _problem(seed, d)
    f = _torch_f(A, b, c)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    value = f(xt)
    value.backward()
    assert value.item() == pytest.approx(quadratic_loss(A, x, b, c), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(quadratic_grad(A, x, b, c), xt.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_hessian_matches_autograd(seed):
    """quadratic_hessian equals torch.autograd.functional.hessian of the same quadratic."""
    A, b, c, x = _problem(seed, 3)
    H = torch.autograd.functional.hessian(_torch_f(A, b, c), torch.tensor(x, dtype=torch.float64))
    np.testing.assert_allclose(quadratic_hessian(A, x, b, c), H.numpy(), rtol=1e-12, atol=1e-12)


def test_gd_trajectory_matches_a_torch_autograd_loop():
    """GD with autograd gradients (update under no_grad, grad cleared) gives the same path."""
    A, b, c, x = _problem(11, 3)
    alpha = 1.0 / np.linalg.eigvalsh(A)[-1]
    f = _torch_f(A, b, c)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    rows = [xt.detach().clone()]
    for _ in range(25):
        f(xt).backward()
        with torch.no_grad():
            xt -= alpha * xt.grad
        xt.grad = None
        rows.append(xt.detach().clone())
    np.testing.assert_allclose(
        gd_trajectory(A, x, alpha, 25, b), torch.stack(rows).numpy(), rtol=1e-10, atol=1e-10
    )
