"""Hypothesis properties of the momentum mathematics (reference implementation)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograder.landscapes import Multimodal, Quadratic1D, QuadraticForm
from reference.momentum import (
    beta_sweep,
    characteristic_roots,
    damping_regime,
    effective_window,
    gd_vs_momentum,
    heavy_ball_position,
    heavy_ball_velocity,
    in_stability_region,
    is_stable,
    momentum_recurrence,
    nesterov,
    nesterov_to_torch,
    optimal_heavy_ball,
    spectral_radius,
    steps_to_tolerance,
)

FAST = settings(max_examples=50, deadline=None)


def fl(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def quadratic_2d(draw: st.DrawFn) -> QuadraticForm:
    """A random symmetric 2×2 quadratic (possibly indefinite) with a random b."""
    lam = [draw(fl(-1.0, 20.0)), draw(fl(-1.0, 20.0))]
    t = draw(fl(0.0, math.pi))
    q = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
    a = q @ np.diag(lam) @ q.T
    a = 0.5 * (a + a.T)
    b = [draw(fl(-3.0, 3.0)), draw(fl(-3.0, 3.0))]
    return QuadraticForm(A=tuple(map(tuple, a)), b=tuple(b))


def _close_to_scale(a: np.ndarray, b: np.ndarray, rtol: float) -> None:
    """Row k agrees within rtol × (largest |entry| of either trajectory up to row k)."""
    flat_a, flat_b = a.reshape(len(a), -1), b.reshape(len(b), -1)
    scale = np.maximum.accumulate(np.maximum(np.abs(flat_a), np.abs(flat_b)).max(axis=1))
    err = np.abs(flat_a - flat_b).max(axis=1)
    assert np.all(err <= rtol * np.maximum(scale, 1.0)), (err / np.maximum(scale, 1.0)).max()


# --- position form, velocity form, GD -------------------------------------------------


@FAST
@given(
    land=quadratic_2d(),
    x0=st.lists(fl(-5.0, 5.0), min_size=2, max_size=2),
    alpha=fl(0.0, 0.2),
    beta=fl(0.0, 0.999),
    n=st.integers(0, 40),
)
def test_position_form_equals_velocity_form_2d(land, x0, alpha, beta, n):
    pos = heavy_ball_position(land.grad, x0, alpha, beta, n)
    vel = heavy_ball_velocity(land.grad, x0, alpha, beta, n)
    assert pos.shape == vel.shape == (n + 1, 2)
    assert pos.dtype == vel.dtype == np.float64
    assert np.array_equal(pos[0], x0) and np.array_equal(vel[0], x0)
    _close_to_scale(pos, vel, 1e-9)


@FAST
@given(
    lam=fl(-2.0, 50.0),
    center=fl(-3.0, 3.0),
    x0=fl(-5.0, 5.0),
    alpha=fl(0.0, 0.1),
    beta=fl(0.0, 0.999),
    n=st.integers(0, 40),
)
def test_position_form_equals_velocity_form_scalar(lam, center, x0, alpha, beta, n):
    grad = Quadratic1D(lam=lam, center=center).grad
    pos = heavy_ball_position(grad, x0, alpha, beta, n)
    vel = heavy_ball_velocity(grad, x0, alpha, beta, n)
    assert pos.shape == vel.shape == (n + 1,)
    _close_to_scale(pos, vel, 1e-9)


@FAST
@given(
    x0=st.lists(fl(-3.0, 3.0), min_size=2, max_size=2),
    alpha=fl(0.0, 0.5),
    beta=fl(0.0, 0.95),
    n=st.integers(1, 30),
)
def test_position_equals_velocity_on_multimodal(x0, alpha, beta, n):
    grad = Multimodal().grad
    _close_to_scale(
        heavy_ball_position(grad, x0, alpha, beta, n),
        heavy_ball_velocity(grad, x0, alpha, beta, n),
        1e-9,
    )


@FAST
@given(
    land=quadratic_2d(),
    x0=st.lists(fl(-5.0, 5.0), min_size=2, max_size=2),
    alpha=fl(0.0, 0.1),
    beta=fl(0.0, 0.99),
)
def test_first_step_is_plain_gd(land, x0, alpha, beta):
    gd1 = np.asarray(x0) - alpha * land.grad(np.asarray(x0))
    for f in (heavy_ball_position, heavy_ball_velocity, nesterov):
        np.testing.assert_allclose(f(land.grad, x0, alpha, beta, 1)[1], gd1, rtol=1e-13, atol=1e-13)


@FAST
@given(
    land=quadratic_2d(),
    x0=st.lists(fl(-5.0, 5.0), min_size=2, max_size=2),
    alpha=fl(0.0, 0.08),
    n=st.integers(0, 30),
)
def test_beta_zero_is_gradient_descent(land, x0, alpha, n):
    x = np.array(x0)
    gd = [x.copy()]
    for _ in range(n):
        x = x - alpha * land.grad(x)
        gd.append(x.copy())
    gd = np.array(gd)
    for f in (heavy_ball_position, heavy_ball_velocity, nesterov):
        np.testing.assert_allclose(f(land.grad, x0, alpha, 0.0, n), gd, rtol=1e-13, atol=1e-13)
    np.testing.assert_array_equal(
        gd_vs_momentum(x0, alpha, 0.0, n)["momentum"], gd_vs_momentum(x0, alpha, 0.5, n)["gd"]
    )


@FAST
@given(
    land=quadratic_2d(),
    x0=st.lists(fl(-5.0, 5.0), min_size=2, max_size=2),
    alpha=fl(0.0, 0.1),
    beta=fl(0.0, 0.99),
    n=st.integers(1, 25),
)
def test_velocity_is_the_unrolled_gradient_sum(land, x0, alpha, beta, n):
    """Seed 001 §6.2: v_k = −α Σ_{s<k} β^{k−1−s} ∇f(x_s), with v_k = x_k − x_{k−1}."""
    traj = heavy_ball_velocity(land.grad, x0, alpha, beta, n)
    grads = np.array([land.grad(row) for row in traj[:-1]])
    weights = beta ** np.arange(n - 1, -1, -1.0)
    v_n = -alpha * (weights[:, None] * grads).sum(axis=0)
    scale = max(1.0, np.abs(traj).max())
    np.testing.assert_allclose(traj[-1] - traj[-2], v_n, rtol=0, atol=1e-9 * scale)


@FAST
@given(beta=fl(0.0, 0.99))
def test_effective_window_is_the_sum_of_the_weights(beta):
    assert effective_window(beta) == pytest.approx(sum(beta**k for k in range(5000)), rel=1e-9)


def test_effective_window_rejects_beta_outside_0_1():
    for bad in (1.0, 1.5, -0.1):
        with pytest.raises(ValueError):
            effective_window(bad)


def test_trajectory_contract_and_divergence():
    land = QuadraticForm.diagonal([2.0, 100.0])
    x0 = np.array([1.0, 1.0])
    traj = heavy_ball_position(land.grad, x0, 1.0, 0.9, 400)  # αλ = 100 ≫ 2(1 + β)
    assert traj.shape == (401, 2) and not np.all(np.isfinite(traj[-1]))
    assert np.array_equal(x0, [1.0, 1.0])
    assert heavy_ball_velocity(land.grad, x0, 0.01, 0.9, 0).shape == (1, 2)
    with pytest.raises(ValueError):
        heavy_ball_velocity(land.grad, x0, 0.01, 0.9, -1)
    with pytest.raises(ValueError):
        nesterov(lambda p: np.zeros(3), x0, 0.01, 0.9, 2)


# --- the scalar recurrence, its roots and its stability ------------------------------


@FAST
@given(
    lam=fl(-2.0, 50.0),
    alpha=fl(0.0, 0.2),
    beta=fl(0.0, 0.999),
    z0=fl(-5.0, 5.0),
    n=st.integers(0, 40),
)
def test_recurrence_is_heavy_ball_on_one_eigen_direction(lam, alpha, beta, z0, n):
    """z_1 = (1 − αλ)z_0 is heavy ball from rest; then the recurrence is the position form."""
    z = momentum_recurrence(lam, alpha, beta, z0, (1.0 - alpha * lam) * z0, n)
    hb = heavy_ball_position(Quadratic1D(lam=lam).grad, z0, alpha, beta, n)
    assert z.shape == (n + 1,)
    _close_to_scale(z, hb, 1e-9)


@FAST
@given(lam1=fl(0.1, 20.0), lam2=fl(0.1, 20.0), alpha=fl(0.0, 0.2), beta=fl(0.0, 0.99))
def test_diagonal_heavy_ball_decouples_into_recurrences(lam1, lam2, alpha, beta):
    traj = gd_vs_momentum([1.0, -2.0], alpha, beta, 25, eigenvalues=(lam1, lam2))["momentum"]
    for i, (lam, z0) in enumerate(((lam1, 1.0), (lam2, -2.0))):
        z = momentum_recurrence(lam, alpha, beta, z0, (1.0 - alpha * lam) * z0, 25)
        _close_to_scale(traj[:, i], z, 1e-9)


@FAST
@given(lam=fl(-5.0, 20.0), alpha=fl(-0.2, 1.0), beta=fl(-2.0, 2.0))
def test_roots_satisfy_vieta_and_the_documented_order(lam, alpha, beta):
    r = characteristic_roots(lam, alpha, beta)
    assert r.shape == (2,) and r.dtype == np.complex128
    c = 1.0 - alpha * lam + beta
    scale = max(1.0, abs(c), abs(beta))
    assert abs(r[0] + r[1] - c) <= 1e-12 * scale
    assert abs(r[0] * r[1] - beta) <= 1e-12 * scale**2
    if c * c - 4 * beta < 0:
        assert r[0].imag > 0 and r[1] == np.conj(r[0])
    else:
        assert r[0].imag == 0 == r[1].imag and r[0].real >= r[1].real


@FAST
@given(lam=fl(0.01, 100.0), alpha=fl(-0.1, 1.0), beta=fl(0.0, 1.0 - 1e-6))
def test_roots_inside_unit_circle_iff_closed_form_region(lam, alpha, beta):
    """Seed 002: |r| < 1 for both roots ⇔ 0 < αλ < 2(1 + β), for 0 ≤ β < 1 (off the boundary)."""
    al = alpha * lam
    assume(abs(al) > 1e-6 and abs(al - 2 * (1 + beta)) > 1e-6)
    assert (spectral_radius(lam, alpha, beta) < 1.0) == in_stability_region(lam, alpha, beta)
    assert in_stability_region(lam, alpha, beta) == is_stable(lam, alpha, beta)


@FAST
@given(lam=fl(0.01, 100.0), alpha=fl(-0.1, 1.0), beta=fl(-1.5, 1.5))
def test_is_stable_matches_root_moduli_for_any_beta(lam, alpha, beta):
    al = alpha * lam
    assume(abs(al) > 1e-6 and abs(al - 2 * (1 + beta)) > 1e-6 and abs(abs(beta) - 1) > 1e-6)
    assert is_stable(lam, alpha, beta) == (spectral_radius(lam, alpha, beta) < 1.0)
    if beta < 0 or beta >= 1:
        assert not in_stability_region(lam, alpha, beta)


def test_stability_boundaries_are_exactly_unstable():
    assert not is_stable(0.0, 0.1, 0.9)  # λ = 0: root 1
    assert not is_stable(10.0, 0.38, 0.9)  # αλ = 3.8 = 2(1 + β): root −1
    assert not is_stable(1.0, 0.5, 1.0)  # β = 1: |r| = 1
    assert is_stable(1.0, 1.0, -0.25)  # −1 < β < 0 can be stable ...
    assert not in_stability_region(1.0, 1.0, -0.25)  # ... but is outside the course region
    assert in_stability_region(10.0, 0.379, 0.9) and not in_stability_region(10.0, 0.381, 0.9)


@FAST
@given(
    lam=fl(0.01, 100.0), alpha=fl(0.0, 1.0), beta=fl(0.0, 0.99), z0=fl(-1.0, 1.0), z1=fl(-1.0, 1.0)
)
def test_stable_recurrence_decays_unstable_grows(lam, alpha, beta, z0, z1):
    rho = spectral_radius(lam, alpha, beta)
    z = momentum_recurrence(lam, alpha, beta, z0, z1, 300)
    if rho < 0.9:
        assert abs(z[-1]) < 1e-6
    elif rho > 1.1:
        r = characteristic_roots(lam, alpha, beta)
        sub = r[np.argmin(np.abs(r))]
        # the growing mode is excited unless z1 = r_sub·z0 (a real subdominant root)
        assume(sub.imag != 0 or abs(z1 - sub.real * z0) > 1e-3)
        assert np.nanmax(np.abs(z[2:])) > 1.0  # (a fast blow-up ends in inf, then nan)


@FAST
@given(
    lam=fl(0.01, 50.0), alpha=fl(0.0, 0.5), beta=fl(0.0, 0.95), z0=fl(-2.0, 2.0), z1=fl(-2.0, 2.0)
)
def test_recurrence_matches_closed_form_with_distinct_roots(lam, alpha, beta, z0, z1):
    r = characteristic_roots(lam, alpha, beta)
    # well-separated roots, and no fast-growing mode to amplify rounding in a and b
    assume(abs(r[0] - r[1]) > 1e-2 and spectral_radius(lam, alpha, beta) < 1.2)
    a = (z1 - r[1] * z0) / (r[0] - r[1])
    b = z0 - a
    k = np.arange(21)
    closed = (a * r[0] ** k + b * r[1] ** k).real
    np.testing.assert_allclose(
        momentum_recurrence(lam, alpha, beta, z0, z1, 20), closed, rtol=1e-7, atol=1e-7
    )


@FAST
@given(lam=fl(0.01, 50.0), alpha=fl(-0.1, 1.0), beta=fl(-0.5, 1.5))
def test_damping_regime_agrees_with_the_roots(lam, alpha, beta):
    c = 1.0 - alpha * lam + beta
    d = c * c - 4 * beta
    assume(abs(d) > 1e-9 * (1 + abs(alpha * lam) + abs(beta)) ** 2)
    regime = damping_regime(lam, alpha, beta)
    r = characteristic_roots(lam, alpha, beta)
    if regime == "underdamped":
        assert r[0].imag > 0
        assert spectral_radius(lam, alpha, beta) == pytest.approx(math.sqrt(beta), rel=1e-12)
    else:
        assert regime == "overdamped" and r[0].imag == 0 and r[0].real > r[1].real


@FAST
@given(lam=fl(0.01, 50.0), s=fl(1e-3, 0.999))
def test_critical_damping_curves(lam, s):
    """β = (1 ∓ √(αλ))² is exactly a double root; the tolerance absorbs the rounding.
    (s = √(αλ) ≥ 1e-3: near s = 0 the two curves meet at β = 1 and D is flat in β.)"""
    alpha = s * s / lam
    for beta in ((1 - s) ** 2, (1 + s) ** 2):
        assert damping_regime(lam, alpha, beta) == "critically damped"
        assert damping_regime(lam, alpha, beta * (1 + 1e-6) + 1e-6) != "critically damped"


def test_damping_regime_boundaries():
    assert damping_regime(1.0, 1.0, 0.0) == "critically damped"  # GD with αλ = 1: double root 0
    assert damping_regime(1.0, 0.5, 0.0) == "overdamped"
    assert damping_regime(1.0, 0.25, 0.25) == "critically damped"  # c = 1, 4β = 1
    assert damping_regime(1.0, 0.3, 0.25) == "underdamped"


# --- optimal parameters, Nesterov, the ravine ----------------------------------------


@FAST
@given(mu=fl(0.01, 10.0), kappa=fl(1.0, 1e4), t=fl(0.0, 1.0))
def test_optimal_heavy_ball_has_radius_sqrt_beta_on_the_whole_spectrum(mu, kappa, t):
    big = mu * kappa
    opt = optimal_heavy_ball(mu, big)
    assert set(opt) == {"alpha", "beta", "rate"}
    sk = math.sqrt(kappa)
    assert opt["rate"] == pytest.approx((sk - 1) / (sk + 1), rel=1e-9, abs=1e-12)
    assert opt["beta"] == pytest.approx(opt["rate"] ** 2, rel=1e-12, abs=1e-15)
    lam = mu + t * (big - mu)
    assert spectral_radius(lam, opt["alpha"], opt["beta"]) == pytest.approx(opt["rate"], abs=1e-6)
    for end in (mu, big):
        assert damping_regime(end, opt["alpha"], opt["beta"], rtol=1e-9) == "critically damped"
    # any other β with the same α is no better on [μ, L]
    worse = max(spectral_radius(x, opt["alpha"], 0.9 * opt["beta"]) for x in (mu, big))
    assert worse >= opt["rate"] - 1e-9


def test_optimal_heavy_ball_rejects_bad_spectra():
    for mu, big in ((0.0, 1.0), (2.0, 1.0), (-1.0, 1.0)):
        with pytest.raises(ValueError):
            optimal_heavy_ball(mu, big)


@FAST
@given(
    land=quadratic_2d(),
    x0=st.lists(fl(-5.0, 5.0), min_size=2, max_size=2),
    alpha=fl(0.0, 0.1),
    beta=fl(0.01, 0.99),
    n=st.integers(1, 30),
)
def test_nesterov_to_torch_gives_the_gradient_evaluation_points(land, x0, alpha, beta, n):
    """torch's parameter is where Nesterov evaluates the gradient: φ_t = θ_t + βv_t."""
    calls = []

    def grad(p):
        calls.append(np.array(p, copy=True))
        return land.grad(p)

    theta = nesterov(grad, x0, alpha, beta, n)
    assert len(calls) == n
    phi = nesterov_to_torch(theta, beta)
    assert phi.shape == theta.shape
    _close_to_scale(phi[:-1], np.array(calls), 1e-9)


@FAST
@given(
    land=quadratic_2d(),
    x0=st.lists(fl(-5.0, 5.0), min_size=2, max_size=2),
    alpha=fl(0.0, 0.1),
    beta=fl(0.01, 0.99),
    n=st.integers(1, 30),
)
def test_nesterov_position_form(land, x0, alpha, beta, n):
    """θ_{t+1} = θ_t + β(θ_t − θ_{t−1}) − α∇f(θ_t + β(θ_t − θ_{t−1})), θ_{−1} = θ_0."""
    theta = nesterov(land.grad, x0, alpha, beta, n)
    prev, x, rows = np.array(x0), np.array(x0), [np.array(x0)]
    for _ in range(n):
        look = x + beta * (x - prev)
        prev, x = x, look - alpha * land.grad(look)
        rows.append(x)
    _close_to_scale(theta, np.array(rows), 1e-9)


def test_steps_to_tolerance_contract():
    assert steps_to_tolerance([0.5, 0.1], 1.0) == 0
    assert steps_to_tolerance([4.0, -2.0, np.nan, 0.5], 1.0) == 3
    assert steps_to_tolerance([[3.0, 4.0], [0.6, 0.8], [0.0, 0.1]], 1.0) == 1  # norm 5, 1, .1
    assert steps_to_tolerance([[1.0, 1.0], [2.0, 2.0]], 0.5, x_star=[2.0, 2.0]) == 1
    assert steps_to_tolerance([np.inf, 5.0], 1.0) == -1


def test_ravine_momentum_beats_gd_until_it_overshoots():
    """Seed 001 §6.3 suggested experiment on x² + 50y² from (1, 1), α = 0.01: β = 0.5 and
    0.9 need fewer steps than GD, β = 0.99 overshoots and needs more; the measured steps
    follow the predicted rate maxᵢ ρ(λᵢ, α, β)."""
    out = beta_sweep([1.0, 1.0], 0.01)
    assert out["beta"].tolist() == [0.0, 0.5, 0.9, 0.99]
    assert out["steps"].dtype == np.int64 and out["rate"].dtype == np.float64
    s, rate = out["steps"], out["rate"]
    assert s[1] < s[0] and s[2] < s[0] and s[3] > s[0] and np.all(s > 0)
    assert rate[0] == pytest.approx(0.98, rel=1e-12)  # GD: max |1 − αλ| = 1 − 0.02
    assert rate[2] == pytest.approx(math.sqrt(0.9), rel=1e-12)
    predicted = np.log(1e-6 / math.sqrt(2)) / np.log(rate)
    assert np.all(np.abs(s - predicted) < 0.35 * predicted)
    np.testing.assert_array_equal(np.argsort(s), np.argsort(rate))


def test_ravine_momentum_converges_where_gd_cannot():
    """α = 0.02 puts GD's y-multiplier at −1 exactly (never converges); heavy ball's
    region 0 < αλ < 2(1 + β) still contains αλ = 2. The optimal (α*, β*) beat the sweep."""
    out = beta_sweep([1.0, 1.0], 0.02, betas=[0.0, 0.5])
    assert out["steps"].tolist()[0] == -1 and out["steps"][1] > 0
    opt = optimal_heavy_ball(2.0, 100.0)
    best = beta_sweep([1.0, 1.0], opt["alpha"], betas=[0.0, opt["beta"]])
    assert best["steps"][0] == -1  # GD diverges at α* > 2/100
    assert 0 < best["steps"][1] < beta_sweep([1.0, 1.0], 0.01)["steps"].min()
    traj = gd_vs_momentum([1.0, 1.0], 0.02, 0.5, 50)
    assert traj["gd"].shape == traj["momentum"].shape == (51, 2)
    np.testing.assert_allclose(np.abs(traj["gd"][:, 1]), 1.0)  # y bounces between ±1
