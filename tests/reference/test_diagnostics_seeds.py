"""Seed numbers and statements of the `diagnostics` exercise.

Seeds 001 §4.3 and §9; seed 004 §3, §5 and §8.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.landscapes import Quadratic1D, QuadraticForm
from reference import diagnostics as dg

pytestmark = pytest.mark.seed

# Seed 004 §5, "Minimal version: update + printing" (L = ½w², w0 = 5, η = 0.5), verbatim.
SEED004_S5_TABLE = """\
k= 0  w=+5.000000  L(w)=1.250e+01  |L'(w)|=5.000e+00
k= 1  w=+2.500000  L(w)=3.125e+00  |L'(w)|=2.500e+00
k= 2  w=+1.250000  L(w)=7.812e-01  |L'(w)|=1.250e+00
k= 3  w=+0.625000  L(w)=1.953e-01  |L'(w)|=6.250e-01
k= 4  w=+0.312500  L(w)=4.883e-02  |L'(w)|=3.125e-01
k= 5  w=+0.156250  L(w)=1.221e-02  |L'(w)|=1.562e-01
k= 6  w=+0.078125  L(w)=3.052e-03  |L'(w)|=7.812e-02
k= 7  w=+0.039062  L(w)=7.629e-04  |L'(w)|=3.906e-02
k= 8  w=+0.019531  L(w)=1.907e-04  |L'(w)|=1.953e-02
k= 9  w=+0.009766  L(w)=4.768e-05  |L'(w)|=9.766e-03""".splitlines()

HALF_W2 = Quadratic1D(lam=1.0)
BOWL = QuadraticForm.diagonal([2.0, 6.0])  # x² + 3y²


def _seed004_run(n_steps: int = 80) -> dict:
    return dg.gd_history(HALF_W2.grad, HALF_W2.loss, 5.0, 0.5, n_steps)


@pytest.mark.parametrize("line", SEED004_S5_TABLE, ids=[f"k={i}" for i in range(10)])
def test_seed004_s5_minimal_loop_printed_row(line):
    """Seed 004 §5, minimal loop output: each printed row k, w, L(w), |L'(w)|."""
    h = _seed004_run(10)
    k = int(line[2:4])
    row = (
        f"k={h['k'][k]:2d}  w={h['x'][k]:+.6f}  L(w)={h['L'][k]:.3e}  "
        f"|L'(w)|={h['grad_norm'][k]:.3e}"
    )
    assert row == line


def test_seed004_s5_minimal_loop_final_line():
    """Seed 004 §5, minimal loop output: final w=+0.004883  final L(w)=1.192e-05."""
    h = _seed004_run(10)
    assert f"final w={h['x'][10]:+.6f}  final L(w)={h['L'][10]:.3e}" == (
        "final w=+0.004883  final L(w)=1.192e-05"
    )


def test_seed004_s5_full_loop_iterations_37():
    """Seed 004 §5, full loop (eps_grad=1e-10): Iterations: 37 = time-to-result 36, plus one."""
    k = dg.time_to_result(_seed004_run()["grad_norm"], 1e-10)
    assert k + 1 == 37


def test_seed004_s5_full_loop_final_w():
    """Seed 004 §5, full loop: Final w: 7.275958e-11 (the iterate at the time-to-result)."""
    h = _seed004_run()
    k = dg.time_to_result(h["grad_norm"], 1e-10)
    assert f"{h['x'][k]:.6e}" == "7.275958e-11"


def test_seed004_s5_full_loop_final_loss():
    """Seed 004 §5, full loop: Final L(w): 2.646978e-21."""
    h = _seed004_run()
    k = dg.time_to_result(h["grad_norm"], 1e-10)
    assert f"{h['L'][k]:.6e}" == "2.646978e-21"


def test_seed004_s5_errors_halve_rho_is_one_half():
    """Seed 004 §5/§8: w_{k+1} = (1 − η)w_k, |w_k| = 5·0.5^k, so the semilog slope gives ρ = 0.5."""
    h = _seed004_run(40)
    assert dg.estimate_rate(np.abs(h["x"])) == pytest.approx(0.5, rel=1e-14)
    assert dg.estimate_rate(h["L"]) == pytest.approx(0.25, rel=1e-14)
    assert dg.classify_convergence(np.abs(h["x"])) == "linear"


def test_seed004_s3_semilog_straight_line_vs_bend():
    """Seed 004 §3 (Figure 1.2): geometric decay is a straight semilog line, sublinear bends."""
    k = np.arange(50)
    assert dg.classify_convergence(3.0 * 0.8**k) == "linear"
    assert dg.classify_convergence(3.0 / (k + 1.0) ** 2) == "sublinear"


def test_seed004_s8_eta_3_doubles_every_step():
    """Seed 004 §8: η = 3 gives w_{k+1} = −2w_k, so |w_k| doubles every step (ρ = 2, diverges)."""
    h = dg.gd_history(HALF_W2.grad, HALF_W2.loss, 5.0, 3.0, 20)
    np.testing.assert_array_equal(h["x"][1:] / h["x"][:-1], np.full(20, -2.0))
    assert dg.estimate_rate(np.abs(h["x"])) == pytest.approx(2.0, rel=1e-14)
    assert dg.classify_convergence(np.abs(h["x"])) == "diverging"
    assert dg.diagnose_loss_curve(h["L"]) == "diverging"


def test_seed004_s8_eta_1_reaches_target_in_one_step():
    """Seed 004 §8: η = 1 sends w_1 = 0 from any w_0, so the time-to-result is 1."""
    h = dg.gd_history(HALF_W2.grad, HALF_W2.loss, 5.0, 1.0, 10)
    assert dg.time_to_result(h["L"], 1e-5) == 1


def test_seed004_s8_step_size_comparison():
    """Seed 004 §8 (Figure 1.5): η = 0.001 slow, η = 0.5 fast, η = 3 diverges."""
    labels = {}
    for eta in (0.001, 0.5, 3.0):
        labels[eta] = dg.diagnose_loss_curve(
            dg.gd_history(HALF_W2.grad, HALF_W2.loss, 5.0, eta, 50)["L"]
        )
    assert labels == {0.001: "too_small_lr", 0.5: "healthy", 3.0: "diverging"}


def test_seed004_s8_time_to_result_target_1e_5():
    """Seed 004 §8: time-to-result of L(w_k) ≤ 1e-5 at η = 0.5 is ⌈log(1e-5/12.5)/log 0.25⌉."""
    expected = math.ceil(math.log(1e-5 / 12.5) / math.log(0.25))
    assert dg.time_to_result(_seed004_run(40)["L"], 1e-5) == expected == 11


def test_seed001_s4_3_optimal_step_gives_rho_one_half():
    """Seed 001 §4.3: x² + 3y², η* = 2/(2 + 6) = 0.25 gives ρ* = (3 − 1)/(3 + 1) = 0.5."""
    h = dg.gd_history(BOWL.grad, BOWL.loss, [1.0, 1.0], 0.25, 60)
    dist = np.linalg.norm(h["x"], axis=1)
    assert dg.estimate_rate(dist) == pytest.approx(0.5, rel=1e-12)
    assert dg.estimate_rate(h["grad_norm"]) == pytest.approx(0.5, rel=1e-12)


@pytest.mark.parametrize("eta", [0.01, 0.05, 0.1, 0.2, 0.25])
def test_seed001_s4_3_lr_sweep_rho_is_max_abs_multiplier(eta):
    """Seed 001 §4.3 (Cell 8 sweep): ρ = max_j |1 − ηλ_j| with λ = 2, 6; 0.25 is the best."""
    h = dg.gd_history(BOWL.grad, BOWL.loss, [1.0, 1.0], eta, 400)
    rho = max(abs(1 - 2 * eta), abs(1 - 6 * eta))
    assert dg.estimate_rate(np.linalg.norm(h["x"], axis=1), start=200) == pytest.approx(
        rho, rel=1e-6
    )
    assert rho >= 0.5


@pytest.mark.parametrize(
    ("eta", "label"), [(0.3, "linear"), (0.4, "diverging"), (0.5, "diverging"), (0.6, "diverging")]
)
def test_seed001_s4_3_exercise5_threshold(eta, label):
    """Seed 001 §4.3, Exercise 5: η < 2/6 ≈ 0.333 converges (0.3); η ≥ 0.4 diverges."""
    h = dg.gd_history(BOWL.grad, BOWL.loss, [1.0, 1.0], eta, 60)
    assert dg.classify_convergence(np.linalg.norm(h["x"], axis=1)) == label


def test_seed001_s9_eta_0_1_loss_and_grad_norm_decay_geometrically():
    """Seed 001 §9: on x² + 3y² with η = 0.1 loss and gradient norm both decay exponentially."""
    h = dg.gd_history(BOWL.grad, BOWL.loss, [1.0, 1.0], 0.1, 80)
    assert dg.classify_convergence(h["grad_norm"]) == "linear"
    assert dg.classify_convergence(h["L"]) == "linear"
    # asymptotic rates: |1 − 0.1·2| = 0.8 for the gradient norm, 0.8² for the loss
    assert dg.estimate_rate(h["grad_norm"], start=40) == pytest.approx(0.8, rel=1e-9)
    assert dg.estimate_rate(h["L"], start=40) == pytest.approx(0.64, rel=1e-9)
    assert dg.diagnose_loss_curve(h["L"]) == "healthy"


def test_seed001_s9_eta_0_5_grad_norm_grows():
    """Seed 001 §9: with η = 0.5 the gradient norm grows, confirming instability (ρ = 2)."""
    h = dg.gd_history(BOWL.grad, BOWL.loss, [1.0, 1.0], 0.5, 40)
    assert dg.classify_convergence(h["grad_norm"]) == "diverging"
    assert dg.classify_convergence(h["L"]) == "diverging"
    assert dg.estimate_rate(h["grad_norm"], start=1) == pytest.approx(2.0, rel=1e-12)
    assert dg.estimate_rate(h["L"], start=1) == pytest.approx(4.0, rel=1e-12)
    assert dg.diagnose_loss_curve(h["L"]) == "diverging"
