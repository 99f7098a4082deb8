"""Agreement of the reference momentum with the real ``torch.optim.SGD`` (float64).

torch's heavy ball keeps a buffer b_{t+1} = βb_t + g_t (first step b_1 = g_0) and
steps p ← p − lr·b_{t+1}; that is our velocity form with v = −lr·b as long as lr is
constant and dampening = 0. With ``nesterov=True`` torch's parameter is the
lookahead point φ_t = θ_t + βv_t.
"""

from __future__ import annotations

import numpy as np
import pytest

from autograder.landscapes import Multimodal, QuadraticForm
from reference.momentum import heavy_ball_position, heavy_ball_velocity, nesterov, nesterov_to_torch

torch = pytest.importorskip("torch")

LANDSCAPES = [
    QuadraticForm.diagonal([2.0, 100.0]),  # x² + 50y², seed 001 §6.3
    QuadraticForm(A=((3.0, 1.0), (1.0, 2.0)), b=(1.0, -1.0)),  # non-diagonal SPD
    QuadraticForm.diagonal([1.0, 10.0], b=[2.0, 0.5]),
]
PARAMS = [(0.01, 0.9), (0.015, 0.5), (0.005, 0.99), (0.02, 0.0), (0.03, 0.7)]
X0 = [1.5, -2.0]
N = 60


def _torch_sgd(landscape, x0, lrs, **sgd_kwargs):
    """Run torch.optim.SGD on ``landscape.loss`` with autograd; lrs[t] is used at step t.

    Returns the parameter trajectory (n+1, d) and the momentum buffers (n, d)."""
    p = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([p], lr=float(lrs[0]), **sgd_kwargs)
    params, bufs = [p.detach().clone().numpy()], []
    for lr in lrs:
        for group in opt.param_groups:
            group["lr"] = float(lr)
        opt.zero_grad()
        landscape.loss(p).backward()
        opt.step()
        params.append(p.detach().clone().numpy())
        buf = opt.state[p].get("momentum_buffer")  # torch keeps none when momentum = 0
        bufs.append(np.full(len(x0), np.nan) if buf is None else buf.detach().clone().numpy())
    return np.array(params), np.array(bufs)


@pytest.mark.parametrize("landscape", LANDSCAPES, ids=["ravine", "nondiag", "shifted"])
@pytest.mark.parametrize(("alpha", "beta"), PARAMS)
def test_heavy_ball_equals_torch_sgd_momentum(landscape, alpha, beta):
    """Constant lr: torch's parameters equal our heavy ball, and v_t = −lr·b_t."""
    theirs, bufs = _torch_sgd(landscape, X0, [alpha] * N, momentum=beta)
    ours = heavy_ball_velocity(landscape.grad, X0, alpha, beta, N)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(
        heavy_ball_position(landscape.grad, X0, alpha, beta, N), theirs, rtol=1e-10, atol=1e-12
    )
    if beta > 0:
        velocities = np.diff(ours, axis=0)  # v_t = x_t − x_{t−1}, t = 1..N
        np.testing.assert_allclose(velocities, -alpha * bufs, rtol=1e-8, atol=1e-12)


def test_heavy_ball_equals_torch_on_a_nonquadratic_landscape():
    """The identity is algebraic, not quadratic-specific: sin(x)cos(y) + 0.1(x²+y²)."""
    land = Multimodal()
    theirs, _ = _torch_sgd(land, [0.5, -1.0], [0.1] * 40, momentum=0.8)
    np.testing.assert_allclose(
        heavy_ball_velocity(land.grad, [0.5, -1.0], 0.1, 0.8, 40), theirs, rtol=1e-10, atol=1e-12
    )


@pytest.mark.parametrize("landscape", LANDSCAPES, ids=["ravine", "nondiag", "shifted"])
@pytest.mark.parametrize(("alpha", "beta"), [p for p in PARAMS if p[1] > 0])
def test_nesterov_lookahead_equals_torch_nesterov(landscape, alpha, beta):
    """torch's nesterov=True parameters are φ_t = θ_t + βv_t, not θ_t."""
    theirs, _ = _torch_sgd(landscape, X0, [alpha] * N, momentum=beta, nesterov=True)
    theta = nesterov(landscape.grad, X0, alpha, beta, N)
    np.testing.assert_allclose(nesterov_to_torch(theta, beta), theirs, rtol=1e-9, atol=1e-11)
    # ... and θ itself is a different sequence (after the first, plain-GD step).
    assert np.abs(theta[2:] - theirs[2:]).max() > 1e-6


def test_torch_differs_from_textbook_when_lr_changes():
    """With a changing lr torch rescales the whole buffer by the current lr
    (p ← p − lr_t·b), whereas the textbook velocity keeps the old steps
    (v ← βv − lr_t·g): the trajectories then differ."""
    land = LANDSCAPES[1]
    lrs = np.linspace(0.05, 0.01, 30)
    beta = 0.9
    theirs, _ = _torch_sgd(land, X0, lrs, momentum=beta)
    x, v, b = np.array(X0), np.zeros(2), np.zeros(2)
    textbook, buffer_form = [x.copy()], [x.copy()]
    xb = x.copy()
    for lr in lrs:
        v = beta * v - lr * land.grad(x)
        x = x + v
        textbook.append(x.copy())
        b = beta * b + land.grad(xb)
        xb = xb - lr * b
        buffer_form.append(xb.copy())
    np.testing.assert_allclose(np.array(buffer_form), theirs, rtol=1e-10, atol=1e-12)
    assert np.abs(np.array(textbook) - theirs).max() > 1e-3


def test_torch_dampening_differs_and_skips_the_first_step():
    """dampening τ: torch uses b_1 = g_0 (undamped), then b ← βb + (1 − τ)g, so it is
    not our heavy ball; the first step is still plain GD."""
    land = LANDSCAPES[0]
    alpha, beta, tau = 0.01, 0.9, 0.5
    theirs, _ = _torch_sgd(land, X0, [alpha] * 20, momentum=beta, dampening=tau)
    ours = heavy_ball_velocity(land.grad, X0, alpha, beta, 20)
    np.testing.assert_allclose(theirs[1], ours[1], rtol=1e-12, atol=1e-15)
    assert np.abs(ours - theirs).max() > 1e-3
    b, x = None, np.array(X0)
    for t in range(20):
        g = land.grad(x)
        b = g if b is None else beta * b + (1 - tau) * g
        x = x - alpha * b
        np.testing.assert_allclose(x, theirs[t + 1], rtol=1e-10, atol=1e-12)
