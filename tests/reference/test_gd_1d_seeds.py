"""Every number seeds 004, 003 and 002 (Ex.1) print for 1-D gradient descent, reproduced.

Where a seed prints a value, the expected value is the seed's printed text (compared as
the formatted string, with the seed's format). Where a seed runs code without printing
its output (seed 003) or states a fact in prose (seed 004 §8), the expected value comes
from the closed form w_k = c + (1 − ηλ)^k (w0 − c) computed here independently.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.landscapes import DoubleWell, Quadratic1D
from reference.gd_1d import (
    autograd_derivative,
    double_well_limit,
    gd_1d_torch,
    gd_step,
    gd_trajectory,
    gradient_descent_1d,
    quadratic_closed_form,
    quadratic_multiplier,
    stability_interval,
    step_size_sweep,
    time_to_result,
)

pytestmark = pytest.mark.seed

HALF_SQUARE = Quadratic1D(lam=1.0)  # L(w) = ½w², L'(w) = w (seed 004 §5)
SHIFTED = Quadratic1D(lam=1.0, center=1.0)  # ½(w − 1)²
SEED003 = Quadratic1D(lam=2.0, center=3.0)  # (x − 3)² of seed 003's exercises
SQUARE = Quadratic1D(lam=2.0)  # x² of seed 003's demos

# ---------------------------------------------------------------------------------------
# Seed 004 §5, minimal pure-Python loop: w0 = 5, η = 0.5, 10 iterations, printed table.
# ---------------------------------------------------------------------------------------

SEED004_MINIMAL_TABLE = [
    "k= 0  w=+5.000000  L(w)=1.250e+01  |L'(w)|=5.000e+00",
    "k= 1  w=+2.500000  L(w)=3.125e+00  |L'(w)|=2.500e+00",
    "k= 2  w=+1.250000  L(w)=7.812e-01  |L'(w)|=1.250e+00",
    "k= 3  w=+0.625000  L(w)=1.953e-01  |L'(w)|=6.250e-01",
    "k= 4  w=+0.312500  L(w)=4.883e-02  |L'(w)|=3.125e-01",
    "k= 5  w=+0.156250  L(w)=1.221e-02  |L'(w)|=1.562e-01",
    "k= 6  w=+0.078125  L(w)=3.052e-03  |L'(w)|=7.812e-02",
    "k= 7  w=+0.039062  L(w)=7.629e-04  |L'(w)|=3.906e-02",
    "k= 8  w=+0.019531  L(w)=1.907e-04  |L'(w)|=1.953e-02",
    "k= 9  w=+0.009766  L(w)=4.768e-05  |L'(w)|=9.766e-03",
]


def _minimal_run() -> tuple[float, dict[str, np.ndarray]]:
    return gradient_descent_1d(
        HALF_SQUARE.loss, HALF_SQUARE.grad, 5.0, 0.5, max_iters=10, eps_grad=None, eps_obj=None
    )


@pytest.mark.parametrize("k", range(10))
def test_seed004_s5_minimal_loop_table_line(k):
    """Seed 004 §5 (minimal version): printed line k of the η = 0.5 table on ½w²."""
    _, hist = _minimal_run()
    assert len(hist["k"]) == 10
    line = (
        f"k={int(hist['k'][k]):2d}  w={hist['w'][k]:+.6f}  L(w)={hist['L'][k]:.3e}  "
        f"|L'(w)|={hist['abs_dL'][k]:.3e}"
    )
    assert line == SEED004_MINIMAL_TABLE[k]


def test_seed004_s5_minimal_loop_final_line():
    """Seed 004 §5 (minimal version): 'final w=+0.004883  final L(w)=1.192e-05'."""
    w, _ = _minimal_run()
    assert f"final w={w:+.6f}  final L(w)={HALF_SQUARE.loss(w):.3e}" == (
        "final w=+0.004883  final L(w)=1.192e-05"
    )


# ---------------------------------------------------------------------------------------
# Seed 004 §5, full version: max_iters = 80, eps_grad = 1e-10.
# ---------------------------------------------------------------------------------------


def _full_run() -> tuple[float, dict[str, np.ndarray]]:
    return gradient_descent_1d(
        HALF_SQUARE.loss, HALF_SQUARE.grad, w0=5.0, eta=0.5, max_iters=80, eps_grad=1e-10
    )


def test_seed004_s5_full_loop_final_w():
    """Seed 004 §5 (full version): 'Final w: 7.275958e-11'."""
    w, _ = _full_run()
    assert f"Final w: {w:.6e}" == "Final w: 7.275958e-11"


def test_seed004_s5_full_loop_final_L():
    """Seed 004 §5 (full version): 'Final L(w): 2.646978e-21'."""
    _, hist = _full_run()
    assert f"Final L(w): {hist['L'][-1]:.6e}" == "Final L(w): 2.646978e-21"


def test_seed004_s5_full_loop_iterations():
    """Seed 004 §5 (full version): 'Iterations: 37'."""
    _, hist = _full_run()
    assert f"Iterations: {len(hist['k'])}" == "Iterations: 37"


# ---------------------------------------------------------------------------------------
# Seed 004 §6 and §7: autograd.
# ---------------------------------------------------------------------------------------


def test_seed004_s6_backward_on_half_square():
    """Seed 004 §6: w = 2.0, L = 2.0, dL/dw = 2.0 for L = ½w² via backward()."""
    assert HALF_SQUARE.loss(2.0) == 2.0
    assert autograd_derivative(HALF_SQUARE.loss, 2.0) == 2.0


def test_seed004_s6_autograd_double_well_at_2():
    """Seed 004 §6 sanity check: 'autograd: 12.0' for ½(w² − 1)² at w = 2."""
    assert f"autograd: {autograd_derivative(DoubleWell().loss, 2.0)}" == "autograd: 12.0"


def test_seed004_s6_analytic_double_well_at_2():
    """Seed 004 §6 sanity check: 'analytic: 12.0' = 2w(w² − 1) at w = 2, equal to autograd."""
    analytic = 2.0 * 2.0 * (2.0**2 - 1.0)
    assert f"analytic: {analytic}" == "analytic: 12.0"
    assert autograd_derivative(DoubleWell().loss, 2.0, dtype="float64") == analytic


def test_seed004_s7_pitfall_a_after_clearing():
    """Seed 004 §7 Pitfall A: 'after clearing, w.grad = 1.0' (½(w − 1)² at w = 2)."""
    assert f"after clearing, w.grad = {autograd_derivative(SHIFTED.loss, 2.0)}" == (
        "after clearing, w.grad = 1.0"
    )


def test_seed004_s7_pitfall_b_step1_grad():
    """Seed 004 §7 Pitfall B: 'step 1 grad: 2.0' (½w² at w = 2, η = 0.1), and the correct
    loop's second gradient is 1.8 = 0.9·2 (not None, not accumulated)."""
    _, hist = gd_1d_torch(HALF_SQUARE.loss, 2.0, 0.1, max_iters=2, eps_grad=None)
    assert f"step 1 grad: {hist['abs_dL'][0]}" == "step 1 grad: 2.0"
    assert hist["abs_dL"][1] == pytest.approx(1.8, rel=1e-6)


SEED004_TORCH_LINES = {
    "quadratic": (HALF_SQUARE, 0.5, 80, "final w=7.275958e-11, final L=2.646978e-21, iters=37"),
    "shifted": (SHIFTED, 0.5, 80, "final w=1.000000e+00, final L=0.000000e+00, iters=27"),
    "doublewell": (
        DoubleWell(),
        0.02,
        200,
        "final w=9.999991e-01, final L=1.818989e-12, iters=200",
    ),
}


@pytest.mark.parametrize("name", list(SEED004_TORCH_LINES))
def test_seed004_s7_torch_loop_printed_line(name):
    """Seed 004 §7 output: '[quadratic] … iters=37', '[shifted] … iters=27',
    '[doublewell] … iters=200' (float32, w0 = 5, eps_grad = 1e-10)."""
    landscape, eta, max_iters, expected = SEED004_TORCH_LINES[name]
    w, hist = gd_1d_torch(landscape.loss, w0=5.0, eta=eta, max_iters=max_iters, eps_grad=1e-10)
    line = f"final w={w:.6e}, final L={hist['L'][-1]:.6e}, iters={len(hist['k'])}"
    assert line == expected


# ---------------------------------------------------------------------------------------
# Seed 004 §8: tuning a step size (statements in prose; expected values from the closed form).
# ---------------------------------------------------------------------------------------


def test_seed004_s8_stability_interval_of_half_square():
    """Seed 004 §8: 'For this specific quadratic, the stability condition is 0 < η < 2'."""
    assert stability_interval(1.0) == (0.0, 2.0)


def test_seed004_s8_eta3_doubles_with_sign_flip():
    """Seed 004 §8: 'if η = 3, then w_{k+1} = −2w_k, so |w_k| doubles every step'."""
    assert quadratic_multiplier(3.0, 1.0) == -2.0
    path = gd_trajectory(HALF_SQUARE.grad, 5.0, 3.0, 10)
    np.testing.assert_array_equal(path, 5.0 * (-2.0) ** np.arange(11))


@pytest.mark.parametrize("w0", [5.0, -3.25, 1e6, 2.0])
def test_seed004_s8_eta1_sends_w1_to_zero(w0):
    """Seed 004 §8: 'η = 1 is special: it sends w_1 = 0 from any w_0'."""
    assert quadratic_multiplier(1.0, 1.0) == 0.0
    assert gd_step(HALF_SQUARE.grad, w0, 1.0) == 0.0
    assert time_to_result(HALF_SQUARE.loss, HALF_SQUARE.grad, w0, 1.0) == 1


def test_seed004_s8_small_reasonable_large_step():
    """Seed 004 §8 Figure 1.5: η = 0.001 stable but slow, η = 0.5 stable and fast, η = 3
    diverges (w0 = 5, 50 steps; closed form 5·(1 − η)^k)."""
    runs = {eta: gd_trajectory(HALF_SQUARE.grad, 5.0, eta, 50) for eta in (0.001, 0.5, 3.0)}
    for eta, path in runs.items():
        np.testing.assert_allclose(path, 5.0 * (1.0 - eta) ** np.arange(51), rtol=1e-12)
    assert 4.7 < runs[0.001][-1] < 5.0  # barely moved: 5·0.999⁵⁰ ≈ 4.756
    assert abs(runs[0.5][-1]) < 1e-14  # 5·2⁻⁵⁰
    assert abs(runs[3.0][-1]) > 1e15  # 5·2⁵⁰


def test_seed004_s8_sweep_winner_is_eta_1():
    """Seed 004 §8 Figure 1.6: on ½w² 'the winner is near η = 1' (exactly 1 step), the
    target being L(w_k) ≤ 1e-5; η ≥ 2 never reaches it (the max-iteration ceiling)."""
    etas = np.array([0.1, 0.5, 0.9, 1.0, 1.1, 1.5, 1.9, 2.0, 3.0])
    counts = step_size_sweep(HALF_SQUARE.loss, HALF_SQUARE.grad, 5.0, etas, max_iters=500)

    def closed_form_count(eta: float) -> int:
        # smallest k with ½·25·|1 − η|^{2k} ≤ 1e-5; η = 1 is one step, |1 − η| ≥ 1 the cap
        r = abs(1.0 - eta)
        if r == 0.0:
            return 1
        if r >= 1.0:
            return 500
        return math.ceil(math.log(2e-5 / 25.0) / (2.0 * math.log(r)))

    expected = [closed_form_count(float(e)) for e in etas]
    assert counts.tolist() == expected
    assert etas[int(np.argmin(counts))] == 1.0


def test_seed004_s8_double_well_sweep_from_2():
    """Seed 004 §8 Figure 1.7: the double-well sweep from w0 = 2. From w0 = 2, L'(2) = 12:
    η = 0.25 lands on w_1 = −1 (1 step); η = 1/6 lands on w_1 = 0, the local maximum, and
    stays there (ceiling); a large η diverges (ceiling); a small η reaches +1."""
    dw = DoubleWell()
    counts = step_size_sweep(dw.loss, dw.grad, 2.0, [0.25, 1.0 / 6.0, 1.0, 0.02], max_iters=300)
    assert counts[0] == 1
    assert counts[1] == 300
    assert counts[2] == 300
    assert 0 < counts[3] < 300
    assert double_well_limit(2.0, 0.25) == -1.0
    assert double_well_limit(2.0, 1.0 / 6.0) == 0.0
    assert double_well_limit(2.0, 0.02) == 1.0
    assert math.isnan(double_well_limit(2.0, 1.0))


def test_seed004_s7_double_well_run_settles_at_plus_one():
    """Seed 004 §7: the double-well run from w0 = 5 with η = 0.02 approaches the minimiser
    +1 (printed final w = 9.999991e-01)."""
    assert double_well_limit(5.0, 0.02) == 1.0


# ---------------------------------------------------------------------------------------
# Seed 003 (code without printed output: expected values from the closed form).
# ---------------------------------------------------------------------------------------


def test_seed003_first_demo_x_squared():
    """Seed 003 first demo: x = 5, η = 0.1, 20 steps on x² ('Final x:') ends at 5·0.8²⁰."""
    path = gd_trajectory(SQUARE.grad, 5.0, 0.1, 20)
    assert path.shape == (21,)
    assert path[0] == 5.0
    assert path[-1] == pytest.approx(5.0 * 0.8**20, rel=1e-12)


def test_seed003_learning_rate_demo():
    """Seed 003 learning-rate demo on x² from 5, 12 steps, LR in [0.05, 0.2, 0.8, 1.01]:
    multipliers 0.9, 0.6, −0.6, −1.02 — the last one oscillates with growing amplitude."""
    for lr, r in [(0.05, 0.9), (0.2, 0.6), (0.8, -0.6), (1.01, -1.02)]:
        assert quadratic_multiplier(lr, 2.0) == pytest.approx(r, abs=1e-15)
        path = gd_trajectory(SQUARE.grad, 5.0, lr, 12)
        np.testing.assert_allclose(path, 5.0 * r ** np.arange(13), rtol=1e-12)
    big = gd_trajectory(SQUARE.grad, 5.0, 1.01, 12)
    assert np.all(np.diff(np.abs(big)) > 0)
    assert np.all(big[1:] * big[:-1] < 0)


def test_seed003_exercise1_shifted_quadratic():
    """Seed 003 Exercise 1: (x − 3)² from x = −7, η = 0.2, 20 steps; print f'x = {x:.4f}'
    gives 3 − 10·0.6²⁰ = 2.9996 (λ = 2, c = 3, multiplier 0.6)."""
    path = gd_trajectory(SEED003.grad, -7.0, 0.2, 20)
    closed = quadratic_closed_form(-7.0, 0.2, 2.0, 20, center=3.0)
    np.testing.assert_allclose(path, closed, rtol=1e-12)
    assert path[-1] == pytest.approx(3.0 - 10.0 * 0.6**20, rel=1e-12)
    assert f"x = {path[-1]:.4f}" == "x = 2.9996"


def test_seed003_exercise4_learning_rates():
    """Seed 003 Exercise 4: LRs [0.01, 0.1, 1.0, 1.5] on (x − 3)² from −7, 15 steps.
    Multipliers 0.98, 0.8 (monotone), −1 (oscillates between −7 and 13 forever),
    −2 (diverges, |x − 3| doubles)."""
    paths = {lr: gd_trajectory(SEED003.grad, -7.0, lr, 15) for lr in (0.01, 0.1, 1.0, 1.5)}
    for lr, r in [(0.01, 0.98), (0.1, 0.8), (1.0, -1.0), (1.5, -2.0)]:
        assert quadratic_multiplier(lr, 2.0) == pytest.approx(r, abs=1e-15)
        np.testing.assert_allclose(paths[lr], 3.0 - 10.0 * r ** np.arange(16), rtol=1e-12)
    for lr in (0.01, 0.1):
        assert np.all(np.diff(paths[lr]) > 0) and np.all(paths[lr] < 3.0)
    np.testing.assert_array_equal(paths[1.0], np.where(np.arange(16) % 2 == 0, -7.0, 13.0))
    err = np.abs(paths[1.5] - 3.0)
    np.testing.assert_array_equal(err, 10.0 * 2.0 ** np.arange(16))
    assert stability_interval(2.0) == (0.0, 1.0)


# ---------------------------------------------------------------------------------------
# Seed 002 Exercise 1.
# ---------------------------------------------------------------------------------------


def test_seed002_exercise1_recursion():
    """Seed 002 Exercise 1: f = ½λx², x_{k+1} = x_k − αλx_k = (1 − αλ)x_k."""
    lam, alpha = 4.0, 0.125
    assert quadratic_multiplier(alpha, lam) == 0.5
    f = Quadratic1D(lam=lam)
    path = gd_trajectory(f.grad, 3.0, alpha, 6)
    np.testing.assert_array_equal(path, 3.0 * 0.5 ** np.arange(7))
    np.testing.assert_array_equal(quadratic_closed_form(3.0, alpha, lam, 6), path)
