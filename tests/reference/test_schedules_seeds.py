"""Seed acceptance tests for the `schedules` exercise (seed 001 §8.1, §8.2, §11 row 12).

Seed 001 §8.2 gives the schedule formulas in a table but prints no numbers; the expected
values below are worked out by hand from those formulas (and from Smith 2017 for the
cyclical policies), never taken from the reference's output. The landscape checks use
closed forms (GD on a diagonal quadratic multiplies each coordinate by Π(1 − η_k λ_i))
and minimisers found independently by Newton's method.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.landscapes import Multimodal, QuadraticForm
from reference.schedules import (
    constant_lr,
    constant_vs_cyclical,
    cosine_annealing,
    exp_range,
    exponential_decay,
    gd_with_schedule,
    step_decay,
    triangular,
    triangular2,
    warmup_cosine,
)

REL = 1e-12


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-15)


def newton_minimiser(landscape: Multimodal, start: tuple[float, float]) -> np.ndarray:
    """A critical point by Newton's method (independent of the code under test)."""
    x = np.array(start, dtype=float)
    for _ in range(50):
        x = x - np.linalg.solve(landscape.hessian(x), landscape.grad(x))
    return x


@pytest.mark.seed
def test_constant_schedule_is_eta0_at_every_step():
    """Seed 001 §8.2, table row "Constant": η_t = η₀ for all t."""
    for t in (0, 1, 17, 1000):
        assert constant_lr(t, eta0=0.03) == 0.03


@pytest.mark.seed
def test_step_decay_drops_by_gamma_every_s_steps():
    """Seed 001 §8.2, "Step decay" η₀·γ^⌊t/s⌋ with η₀=0.1, γ=0.1, s=10 at t = 0, 9, 10, 25."""
    expected = {0: 0.1, 9: 0.1, 10: 0.01, 19: 0.01, 20: 0.001, 25: 0.001}
    for t, value in expected.items():
        assert close(step_decay(t, eta0=0.1, gamma=0.1, step_size=10), value), t


@pytest.mark.seed
def test_exponential_decay_halves_every_ln2_over_alpha_steps():
    """Seed 001 §8.2, "Exponential decay" η₀·e^(−αt): with α = ln2/10, η halves every 10 steps."""
    alpha = math.log(2.0) / 10
    for t, value in {0: 0.4, 10: 0.2, 20: 0.1, 30: 0.05}.items():
        assert close(exponential_decay(t, eta0=0.4, alpha=alpha), value), t


@pytest.mark.seed
def test_cosine_annealing_start_midpoint_end():
    """Seed 001 §8.2, "Cosine annealing": t=0 → η₀, t=T/2 → (η₀+η_min)/2, t=T → η_min."""
    eta0, eta_min, big_t = 0.1, 0.001, 100
    assert close(cosine_annealing(0, eta0=eta0, total_steps=big_t, eta_min=eta_min), eta0)
    mid = cosine_annealing(50, eta0=eta0, total_steps=big_t, eta_min=eta_min)
    assert close(mid, (eta0 + eta_min) / 2)
    end = cosine_annealing(big_t, eta0=eta0, total_steps=big_t, eta_min=eta_min)
    assert close(end, eta_min)


@pytest.mark.seed
def test_cosine_annealing_at_a_third_of_the_run():
    """Seed 001 §8.2, "Cosine annealing": cos(π/3) = ½ gives η_min + ¾(η₀ − η_min) at t = T/3."""
    value = cosine_annealing(10, eta0=1.0, total_steps=30, eta_min=0.2)
    assert close(value, 0.2 + 0.75 * 0.8)


@pytest.mark.seed
def test_warmup_ramp_endpoints_then_cosine():
    """Seed 001 §8.2, "Warmup + decay": ramp from 0 to η₀ over T_w steps, then cosine decay."""
    kw = {"eta0": 0.5, "warmup_steps": 10, "total_steps": 110, "eta_min": 0.01}
    assert warmup_cosine(0, **kw) == 0.0  # the ramp starts from 0
    assert close(warmup_cosine(5, **kw), 0.25)  # halfway up the ramp
    assert close(warmup_cosine(10, **kw), 0.5)  # top of the ramp = start of the cosine
    assert close(warmup_cosine(60, **kw), (0.5 + 0.01) / 2)  # halfway down the cosine
    assert close(warmup_cosine(110, **kw), 0.01)  # end of the run: η_min


@pytest.mark.seed
def test_triangular_at_cycle_boundaries():
    """Smith 2017 / seed 001 §8.2 "Cyclical": t=0 → base, t=s → max, t=2s → base, t=3s → max."""
    kw = {"base_lr": 0.001, "max_lr": 0.006, "step_size": 2000}
    assert close(triangular(0, **kw), 0.001)
    assert close(triangular(1000, **kw), 0.0035)  # half-way up
    assert close(triangular(2000, **kw), 0.006)
    assert close(triangular(4000, **kw), 0.001)
    assert close(triangular(6000, **kw), 0.006)


@pytest.mark.seed
def test_triangular2_halves_the_amplitude_every_cycle():
    """Smith 2017 / seed 001 §8.2: triangular2 peaks at base + (max − base)/2^(c−1) in cycle c."""
    kw = {"base_lr": 0.1, "max_lr": 0.9, "step_size": 10}
    for c, peak in {1: 0.9, 2: 0.5, 3: 0.3, 4: 0.2}.items():
        assert close(triangular2((2 * c - 1) * 10, **kw), peak), c
        assert close(triangular2(2 * c * 10, **kw), 0.1), c  # back to base at the end


@pytest.mark.seed
def test_exp_range_scales_the_peak_by_gamma_to_the_step():
    """Smith 2017 / seed 001 §8.2: exp_range peak of cycle 1 (t = s) is base + (max − base)·γ^s."""
    value = exp_range(10, base_lr=0.1, max_lr=1.1, step_size=10, gamma=0.5**0.1)
    assert close(value, 0.1 + 1.0 * 0.5)


@pytest.mark.seed
def test_cyclical_oscillates_between_eta_min_and_eta_max():
    """Seed 001 §8.2, row "Cyclical": the rate oscillates between η_min and η_max."""
    lrs = triangular(np.arange(0, 1001), base_lr=0.01, max_lr=0.2, step_size=50)
    assert close(float(lrs.min()), 0.01) and close(float(lrs.max()), 0.2)
    assert np.count_nonzero(np.isclose(lrs, 0.2, rtol=REL)) == 10  # one peak per cycle


@pytest.mark.seed
def test_constant_schedule_on_quadratic_03_converges_04_diverges():
    """Seed 001 §8.1 (notebook Ex. 5): on x² + 3y², η = 0.3 converges, η = 0.4 diverges."""
    bowl = QuadraticForm.diagonal([2.0, 6.0])
    ok = gd_with_schedule(bowl.grad, [1.0, 1.0], np.full(200, 0.3))
    bad = gd_with_schedule(bowl.grad, [1.0, 1.0], np.full(200, 0.4))
    assert np.linalg.norm(ok[-1]) < 1e-6
    assert np.linalg.norm(bad[-1]) > 1e6


@pytest.mark.seed
def test_cyclical_vs_constant_on_the_quadratic_follows_the_product_formula():
    """Seed 001 §8.2 notebook Ex. 3: CLR vs constant on x² + 3y²; y_n = Π(1 − 6η_k)·y_0."""
    bowl = QuadraticForm.diagonal([2.0, 6.0])
    n, s, lo, hi = 80, 10, 0.01, 0.4  # the peak 0.4 exceeds 2/λmax = 1/3 for a few steps
    t = np.arange(n)
    cycle = np.floor(1 + t / (2 * s))
    hand = lo + (hi - lo) * np.maximum(0.0, 1 - np.abs(t / s - 2 * cycle + 1))
    traj = gd_with_schedule(bowl.grad, [1.0, 1.0], hand)
    expected = np.array([np.prod(1 - 2 * hand), np.prod(1 - 6 * hand)])
    assert np.allclose(traj[-1], expected, rtol=1e-10, atol=1e-300)
    out = constant_vs_cyclical(
        bowl.loss, bowl.grad, [1.0, 1.0], lr=0.1, base_lr=lo, max_lr=hi, step_size=s, n_steps=n
    )
    assert np.allclose(out["x_cyclical"], expected, rtol=1e-10, atol=1e-300)
    assert np.allclose(out["x_constant"], [0.8**n, 0.4**n], rtol=1e-10, atol=1e-300)
    assert out["loss_cyclical"] < 1e-6 and out["loss_constant"] < 1e-6  # both converge


@pytest.mark.seed
def test_cyclical_lr_can_escape_a_shallow_basin_of_the_multimodal_loss():
    """Seed 001 §8.2 and §11 row 12: an oscillating LR can escape shallow basins (Multimodal)."""
    land = Multimodal()  # sin(x)cos(y) + 0.1(x² + y²)
    shallow = newton_minimiser(land, (3.8, 0.0))  # loss ≈ 0.83
    deep = newton_minimiser(land, (-1.3, 0.0))  # global minimum, loss ≈ −0.79
    out = constant_vs_cyclical(
        land.loss,
        land.grad,
        [4.5, 0.0],
        lr=0.1,
        base_lr=0.1,
        max_lr=5.0,
        step_size=20,
        n_steps=40,
    )
    # constant η = 0.1: still creeping into the shallow minimum (contraction 0.92 per step)
    assert np.linalg.norm(out["x_constant"] - shallow) < 0.05
    assert math.isclose(out["loss_constant"], land.loss(shallow), abs_tol=1e-3)
    # one triangular cycle up to η = 5 throws the iterate out; it settles in the deep basin
    assert np.linalg.norm(out["x_cyclical"] - deep) < 1e-2
    assert math.isclose(out["loss_cyclical"], land.loss(deep), abs_tol=1e-5)


@pytest.mark.seed
def test_small_cycles_below_the_stability_limit_stay_in_the_shallow_basin():
    """Seed 001 §8.2 "observe whether": with η_max < 2/λ of the basin the CLR stays put."""
    land = Multimodal()
    shallow = newton_minimiser(land, (3.8, 0.0))
    lam_max = float(np.linalg.eigvalsh(land.hessian(shallow)).max())
    hi = 0.8 * 2.0 / lam_max
    out = constant_vs_cyclical(
        land.loss,
        land.grad,
        [4.5, 0.0],
        lr=0.1,
        base_lr=0.1,
        max_lr=hi,
        step_size=20,
        n_steps=80,
    )
    assert np.linalg.norm(out["x_cyclical"] - shallow) < 0.05
    assert np.linalg.norm(out["x_constant"] - shallow) < 0.05
