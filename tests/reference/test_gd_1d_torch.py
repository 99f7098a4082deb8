"""The 1-D reference agrees with real PyTorch: autograd loop and torch.optim.SGD.

Random cases come from fixed ``numpy.random.default_rng`` seeds, so the suite is
deterministic; step sizes are kept in the stable range of each landscape so that
float64 rounding differences cannot be amplified.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from autograder.landscapes import DoubleWell, Quadratic1D  # noqa: E402
from reference.gd_1d import (  # noqa: E402
    autograd_derivative,
    gd_1d_torch,
    gd_trajectory,
    gradient_descent_1d,
)

TOL = {"rtol": 1e-12, "atol": 1e-12}


def _random_quadratic(rng: np.random.Generator) -> tuple[Quadratic1D, float, float]:
    lam = float(rng.uniform(0.1, 10.0))
    center = float(rng.uniform(-5.0, 5.0))
    eta = float(rng.uniform(0.05, 1.9)) / lam  # ηλ ∈ (0.05, 1.9): stable
    w0 = float(rng.uniform(-10.0, 10.0))
    return Quadratic1D(lam=lam, center=center), eta, w0


def _random_double_well(rng: np.random.Generator) -> tuple[DoubleWell, float, float]:
    eta = float(rng.uniform(0.005, 0.04))
    w0 = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 2.0))
    return DoubleWell(), eta, w0


def _assert_same_run(a: tuple[float, dict], b: tuple[float, dict]) -> None:
    (wa, ha), (wb, hb) = a, b
    assert set(ha) == set(hb) == {"k", "w", "L", "abs_dL"}
    np.testing.assert_array_equal(ha["k"], hb["k"])
    for key in ("w", "L", "abs_dL"):
        np.testing.assert_allclose(ha[key], hb[key], **TOL, err_msg=key)
    np.testing.assert_allclose(wa, wb, **TOL)


@pytest.mark.parametrize("seed", range(12))
def test_numpy_loop_matches_torch_loop_float64_on_quadratics(seed):
    """gradient_descent_1d (hand derivative) = gd_1d_torch (autograd, float64) on ½λ(w − c)²."""
    landscape, eta, w0 = _random_quadratic(np.random.default_rng(seed))
    kwargs = {"max_iters": 150, "eps_grad": 1e-9, "eps_obj": None}
    ref = gradient_descent_1d(landscape.loss, landscape.grad, w0, eta, **kwargs)
    tch = gd_1d_torch(landscape.loss, w0, eta, dtype="float64", **kwargs)
    _assert_same_run(ref, tch)
    assert len(ref[1]["k"]) >= 2


@pytest.mark.parametrize("seed", range(12))
def test_numpy_loop_matches_torch_loop_float64_on_double_wells(seed):
    """gradient_descent_1d = gd_1d_torch (float64) on the double well ½(w² − 1)²."""
    landscape, eta, w0 = _random_double_well(np.random.default_rng(100 + seed))
    kwargs = {"max_iters": 200, "eps_grad": None, "eps_obj": 1e-12}
    ref = gradient_descent_1d(landscape.loss, landscape.grad, w0, eta, **kwargs)
    tch = gd_1d_torch(landscape.loss, w0, eta, dtype="float64", **kwargs)
    _assert_same_run(ref, tch)


def test_torch_loop_float32_by_default():
    """gd_1d_torch computes in float32 unless asked: every recorded w is a float32 value and
    the float32 run differs from the float64 one (seed 004 §7's double well)."""
    dw = DoubleWell()
    w32, h32 = gd_1d_torch(dw.loss, 5.0, 0.02, max_iters=200, eps_grad=1e-10)
    _, h64 = gd_1d_torch(dw.loss, 5.0, 0.02, max_iters=200, eps_grad=1e-10, dtype="float64")
    assert h32["w"].dtype == np.float64
    np.testing.assert_array_equal(h32["w"].astype(np.float32).astype(np.float64), h32["w"])
    assert np.float32(w32) == w32
    assert not np.array_equal(h32["w"], h64["w"])
    np.testing.assert_allclose(h32["w"], h64["w"], rtol=1e-5, atol=1e-6)


def test_torch_loop_rejects_unknown_dtype():
    """dtype must be 'float32' or 'float64'."""
    with pytest.raises(ValueError):
        gd_1d_torch(DoubleWell().loss, 1.5, 0.01, dtype="float16")


def _sgd_path(loss, w0: float, eta: float, n_steps: int, dtype) -> np.ndarray:
    p = torch.tensor(w0, dtype=dtype, requires_grad=True)
    opt = torch.optim.SGD([p], lr=eta)
    out = [p.item()]
    for _ in range(n_steps):
        opt.zero_grad()
        loss(p).backward()
        opt.step()
        out.append(p.item())
    return np.asarray(out)


@pytest.mark.parametrize("seed", range(8))
def test_gd_trajectory_matches_torch_optim_sgd(seed):
    """gd_trajectory(dL, w0, η, n) = the parameter path of torch.optim.SGD(lr=η) (float64),
    on a random quadratic and on the double well."""
    rng = np.random.default_rng(200 + seed)
    for landscape, eta, w0 in (_random_quadratic(rng), _random_double_well(rng)):
        ref = gd_trajectory(landscape.grad, w0, eta, 60)
        sgd = _sgd_path(landscape.loss, w0, eta, 60, torch.float64)
        assert ref.shape == sgd.shape == (61,)
        np.testing.assert_allclose(ref, sgd, **TOL)


def test_torch_loop_matches_torch_optim_sgd_float32():
    """gd_1d_torch in float32 follows torch.optim.SGD in float32 (to float32 rounding)."""
    q = Quadratic1D(lam=3.0, center=-1.0)
    _, hist = gd_1d_torch(q.loss, 4.0, 0.2, max_iters=30, eps_grad=None)
    sgd = _sgd_path(q.loss, 4.0, 0.2, 29, torch.float32)
    np.testing.assert_allclose(hist["w"], sgd, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_autograd_derivative_matches_analytic(seed):
    """autograd_derivative (float64) equals the landscapes' hand-written L'(w)."""
    rng = np.random.default_rng(300 + seed)
    q, _, _ = _random_quadratic(rng)
    for landscape in (q, DoubleWell()):
        w = float(rng.uniform(-3.0, 3.0))
        got = autograd_derivative(landscape.loss, w, dtype="float64")
        assert isinstance(got, float)
        assert got == pytest.approx(landscape.grad(w), rel=1e-12, abs=1e-12)
