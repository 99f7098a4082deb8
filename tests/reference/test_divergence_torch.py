"""Hessian-vector products and power iteration agree with explicit Hessians (numpy, torch)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.landscapes import DoubleWell, QuadraticForm, Rosenbrock
from reference.divergence import (
    divergence_threshold,
    hessian_vector_product,
    power_iteration_lambda_max,
)

torch = pytest.importorskip("torch")


def _spd(seed: int, d: int, ratio: float) -> np.ndarray:
    """A random symmetric matrix with λmax = 1 + 9u and |λ_others| ≤ ratio·λmax."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    lam_max = 1.0 + 9.0 * rng.uniform()
    eigs = np.concatenate([[lam_max], rng.uniform(0.01, ratio, d - 1) * lam_max])
    a = (q * eigs) @ q.T
    return 0.5 * (a + a.T)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), d=st.integers(1, 6))
def test_hvp_equals_hessian_times_v_on_random_quadratics(seed, d):
    """H·v by double backward equals A @ v for QuadraticForm(A) at any point."""
    rng = np.random.default_rng(seed)
    a = _spd(seed, d, 0.9)
    land = QuadraticForm(A=tuple(map(tuple, a)), b=tuple(rng.standard_normal(d)))
    x, v = rng.standard_normal(d), rng.standard_normal(d)
    hv = hessian_vector_product(land.loss, x, v)
    assert hv.dtype == np.float64 and hv.shape == (d,)
    np.testing.assert_allclose(hv, land.hessian(x) @ v, rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    x=st.floats(-2.0, 2.0),
    y=st.floats(-1.0, 3.0),
    v=st.tuples(st.floats(-1.0, 1.0), st.floats(-1.0, 1.0)),
)
def test_hvp_equals_hessian_times_v_on_rosenbrock(x, y, v):
    """H·v by double backward equals Rosenbrock().hessian(x) @ v."""
    land = Rosenbrock()
    hv = hessian_vector_product(land.loss, [x, y], list(v))
    expected = land.hessian([x, y]) @ np.array(v)
    np.testing.assert_allclose(hv, expected, rtol=1e-12, atol=1e-9)


def test_hvp_matches_torch_functional_hvp():
    """Agreement with torch.autograd.functional.hvp on the Rosenbrock function."""
    land = Rosenbrock()
    x = torch.tensor([-1.2, 1.0], dtype=torch.float64)
    v = torch.tensor([0.3, -0.7], dtype=torch.float64)
    _, expected = torch.autograd.functional.hvp(land.loss, x, v)
    hv = hessian_vector_product(land.loss, x.numpy(), v.numpy())
    np.testing.assert_allclose(hv, expected.numpy(), rtol=1e-14)


def test_hvp_of_a_linear_loss_is_zero():
    """A loss linear in x has H = 0: the HVP is zeros (no autograd error)."""
    hv = hessian_vector_product(lambda t: (t * 3.0).sum(), [1.0, 2.0], [1.0, 1.0])
    assert hv.tolist() == [0.0, 0.0]


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), d=st.integers(1, 6))
def test_power_iteration_equals_eigvalsh_on_random_spd_quadratics(seed, d):
    """Power iteration on HVPs equals numpy.linalg.eigvalsh(A)[-1] to 1e-6 relative."""
    a = _spd(seed, d, 0.7)
    land = QuadraticForm(A=tuple(map(tuple, a)))
    lam = power_iteration_lambda_max(
        land.loss, np.zeros(d), np.random.default_rng(seed), n_iters=60
    )
    assert isinstance(lam, float)
    assert lam == pytest.approx(np.linalg.eigvalsh(a)[-1], rel=1e-6)


@pytest.mark.parametrize("point", [(-1.2, 1.0), (1.0, 1.0), (0.5, 0.25), (2.0, 3.0), (-0.5, 0.5)])
def test_power_iteration_equals_eigvalsh_on_rosenbrock_hessian(point):
    """Power iteration at a point equals eigvalsh(Rosenbrock().hessian(x))[-1] to 1e-6."""
    land = Rosenbrock()
    eigs = np.linalg.eigvalsh(land.hessian(point))
    assert eigs[-1] > abs(eigs[0])  # the dominant eigenvalue is λmax at these points
    lam = power_iteration_lambda_max(land.loss, point, np.random.default_rng(1), n_iters=50)
    assert lam == pytest.approx(eigs[-1], rel=1e-6)


def test_power_iteration_uses_exactly_one_standard_normal_draw():
    """The only rng call is rng.standard_normal(d): afterwards the generator state matches."""
    land = QuadraticForm.diagonal([1.0, 3.0, 5.0])
    rng = np.random.default_rng(7)
    power_iteration_lambda_max(land.loss, [0.0, 0.0, 0.0], rng, n_iters=5)
    twin = np.random.default_rng(7)
    twin.standard_normal(3)
    assert rng.standard_normal() == twin.standard_normal()


def test_power_iteration_zero_iterations_is_rayleigh_quotient_of_start():
    """n_iters = 0 returns v₀ᵀAv₀ with v₀ = g/‖g‖, g = rng.standard_normal(d)."""
    a = np.diag([1.0, 3.0, 5.0])
    land = QuadraticForm(A=tuple(map(tuple, a)))
    g = np.random.default_rng(3).standard_normal(3)
    v = g / np.linalg.norm(g)
    lam = power_iteration_lambda_max(land.loss, np.zeros(3), np.random.default_rng(3), 0)
    assert lam == pytest.approx(v @ a @ v, rel=1e-14)


def test_power_iteration_returns_negative_eigenvalue_when_it_dominates():
    """Power iteration finds the largest |λ|: diag(1, −5) gives ≈ −5, not λmax = 1."""
    land = QuadraticForm.diagonal([1.0, -5.0])
    lam = power_iteration_lambda_max(land.loss, [0.3, 0.2], np.random.default_rng(0), 60)
    assert lam == pytest.approx(-5.0, rel=1e-9)
    with pytest.raises(ValueError, match="no finite divergence threshold"):
        divergence_threshold(-5.0)


def test_power_iteration_zero_hessian_returns_zero():
    """H = 0 (a linear loss): the first HVP is zero and the estimate is 0.0."""
    lam = power_iteration_lambda_max(lambda t: t.sum(), [1.0, 2.0], np.random.default_rng(0))
    assert lam == 0.0


def test_curvature_spike_makes_a_safe_step_unstable():
    """Seed 002 "Predicting failure via curvature": λmax grows away from the minimum.

    On the double well L = ½(w² − 1)², L''(w) = 6w² − 2: at the minimum w = 1 the
    threshold is 2/4 = 0.5, at w = 2 it is 2/22 ≈ 0.0909, so η = 0.1 is safe near the
    minimum and unsafe where the curvature spikes.
    """
    well = DoubleWell()
    rng = np.random.default_rng(0)
    lam_min = power_iteration_lambda_max(well.loss, [1.0], rng, n_iters=3)
    lam_far = power_iteration_lambda_max(well.loss, [2.0], rng, n_iters=3)
    assert lam_min == pytest.approx(4.0, rel=1e-12)
    assert lam_far == pytest.approx(22.0, rel=1e-12)
    assert divergence_threshold(lam_min) > 0.1 > divergence_threshold(lam_far)
