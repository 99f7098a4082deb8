"""Public checks for exercise ``schedules``: the worked values of seed 001 §8.2.

Run them with ``autograder check``. Seed 001 §8.2 gives the schedules as formulas; the
expected values below are those formulas worked out by hand (η₀ = 0.1, γ = 0.1, s = 10
for step decay, the ends of a cosine, the corners of Smith's triangle, ...), written
here as numbers or closed forms. The hidden checks use random parameters, whole arrays
of steps over several cycles and many more boundaries, so passing these is necessary,
not sufficient.

Remember the step convention: the value at step t is the rate of update t, counting
from 0, so ``schedule(0)`` is the rate of the very first update.
"""

from __future__ import annotations

import math

import numpy as np

from autograder.compare import expect_close, expect_true
from autograder.landscapes import Quadratic1D, QuadraticForm

EXERCISE = "schedules"

ONE_STEP_LATE = (
    "the schedule read one step late (your value at t is the one of t + 1): "
    "schedule(0) must be the rate of the FIRST update"
)


def test_constant_lr(student):
    """Seed 001 §8.2 "Constant": η_t = η₀ at every step, for an int and for a list of steps."""
    expect_close(
        student.call("constant_lr", 7, eta0=0.1),
        0.1,
        what="constant_lr(step, eta0)",
        case="t = 7, η₀ = 0.1 (η_t = η₀ whatever t)",
    )
    expect_close(
        student.call("constant_lr", [0, 1, 2], eta0=0.5),
        np.array([0.5, 0.5, 0.5]),
        what="constant_lr(step, eta0)",
        case="steps = [0, 1, 2], η₀ = 0.5 (a list of steps gives an array of the same length)",
    )


def test_step_decay(student):
    """Seed 001 §8.2 "Step decay" η₀·γ^⌊t/s⌋ with η₀ = 0.1, γ = 0.1, s = 10 at t = 0, 9, 10, 25."""
    kw = {"eta0": 0.1, "gamma": 0.1, "step_size": 10}
    expect_close(
        student.call("step_decay", np.array([0, 9, 10, 25, 27]), **kw),
        np.array([0.1, 0.1, 0.01, 0.001, 0.001]),
        what="step_decay(steps, eta0=0.1, gamma=0.1, step_size=10)",
        case="steps = [0, 9, 10, 25, 27] (⌊t/10⌋ = 0, 0, 1, 2, 2; an int array in, floats out)",
        mistakes={
            ONE_STEP_LATE: np.array([0.1, 0.01, 0.01, 0.001, 0.001]),
            "rounding t/s instead of taking its floor ⌊t/s⌋": np.array(
                [0.1, 0.01, 0.01, 0.001, 0.0001]
            ),
        },
    )
    for t, value in {0: 0.1, 9: 0.1, 10: 0.01, 25: 0.001}.items():
        expect_close(
            student.call("step_decay", t, **kw),
            value,
            what="step_decay(t, eta0=0.1, gamma=0.1, step_size=10)",
            case=f"t = {t} (⌊{t}/10⌋ = {t // 10}, η = 0.1·0.1^{t // 10}; an int in, a float out)",
        )


def test_exponential_decay(student):
    """Seed 001 §8.2 "Exponential decay" η₀·e^(−αt): with α = ln 2/10, η halves every 10 steps."""
    alpha = math.log(2.0) / 10
    expect_close(
        student.call("exponential_decay", np.array([0, 10, 20, 30]), eta0=0.4, alpha=alpha),
        np.array([0.4, 0.2, 0.1, 0.05]),
        what="exponential_decay(steps, eta0=0.4, alpha=ln2/10)",
        case="steps = [0, 10, 20, 30] (e^(−10α) = ½: 0.4, 0.2, 0.1, 0.05)",
        mistakes={
            "e^(−α(t + 1)) instead of e^(−αt) (one step late)": 0.4
            * np.exp(-alpha * np.array([1.0, 11.0, 21.0, 31.0]))
        },
    )


def test_cosine_annealing(student):
    """Seed 001 §8.2 "Cosine annealing": η₀ at t = 0, the mean at T/2, η_min at T, held after T."""
    kw = {"eta0": 0.1, "total_steps": 100, "eta_min": 0.001}
    expect_close(
        student.call("cosine_annealing", np.array([0, 50, 100, 150]), **kw),
        np.array([0.1, 0.0505, 0.001, 0.001]),
        what="cosine_annealing(steps, eta0=0.1, total_steps=100, eta_min=0.001)",
        case="steps = [0, 50, 100, 150] (cos 0 = 1, cos(π/2) = 0, cos π = −1, then hold)",
        mistakes={
            "a cosine that keeps going after T (PyTorch's CosineAnnealingLR does; here the "
            "rate must hold at η_min for t > T)": np.array([0.1, 0.0505, 0.001, 0.0505])
        },
    )
    expect_close(
        student.call("cosine_annealing", 10, eta0=1.0, total_steps=30, eta_min=0.2),
        0.2 + 0.75 * 0.8,
        what="cosine_annealing(10, eta0=1.0, total_steps=30, eta_min=0.2)",
        case="t = T/3 (cos(π/3) = ½, so η = η_min + ¾(η₀ − η_min) = 0.8)",
    )


def test_warmup_cosine(student):
    """Seed 001 §8.2 "Warmup + decay": ramp from 0 to η₀ over T_w steps, then cosine to η_min."""
    kw = {"eta0": 0.5, "warmup_steps": 10, "total_steps": 110, "eta_min": 0.01}
    steps = np.array([0, 5, 10, 60, 110, 200])
    expect_close(
        student.call("warmup_cosine", steps, **kw),
        np.array([0.0, 0.25, 0.5, 0.255, 0.01, 0.01]),
        what="warmup_cosine(steps, eta0=0.5, warmup_steps=10, total_steps=110, eta_min=0.01)",
        case=(
            "steps = [0, 5, 10, 60, 110, 200] (ramp η₀·t/T_w from exactly 0 to η₀ at t = T_w, "
            "then the cosine over T − T_w = 100 steps: half-way at t = 60, η_min at t = T, held)"
        ),
        mistakes={
            "a ramp η₀·(t + 1)/T_w (it must start from exactly 0)": np.array(
                [0.05, 0.3, 0.5, 0.255, 0.01, 0.01]
            )
        },
    )


def test_triangular(student):
    """Smith 2017 / seed 001 §8.2 "Cyclical": base → max → base at t = 0, s, 2s, and again."""
    kw = {"base_lr": 0.001, "max_lr": 0.006, "step_size": 2000}
    expect_close(
        student.call("triangular", np.array([0, 1000, 2000, 3000, 4000, 6000]), **kw),
        np.array([0.001, 0.0035, 0.006, 0.0035, 0.001, 0.006]),
        what="triangular(steps, base_lr=0.001, max_lr=0.006, step_size=2000)",
        case="steps = [0, 1000, 2000, 3000, 4000, 6000] (base at t = 0, max at t = s, base at 2s)",
    )
    expect_close(
        student.call("triangular", np.arange(9), base_lr=0.0, max_lr=1.0, step_size=2),
        np.array([0.0, 0.5, 1.0, 0.5, 0.0, 0.5, 1.0, 0.5, 0.0]),
        what="triangular(steps, base_lr=0, max_lr=1, step_size=2)",
        case="steps = 0, 1, …, 8 (two whole cycles of period 2s = 4)",
        mistakes={ONE_STEP_LATE: np.array([0.5, 1.0, 0.5, 0.0, 0.5, 1.0, 0.5, 0.0, 0.5])},
    )


def test_triangular2(student):
    """Smith 2017: triangular2 peaks at base + (max − base)/2^(c−1) in cycle c, back to base."""
    kw = {"base_lr": 0.1, "max_lr": 0.9, "step_size": 10}
    expect_close(
        student.call("triangular2", np.array([10, 20, 30, 40, 50, 70]), **kw),
        np.array([0.9, 0.1, 0.5, 0.1, 0.3, 0.2]),
        what="triangular2(steps, base_lr=0.1, max_lr=0.9, step_size=10)",
        case="steps = [10, 20, 30, 40, 50, 70] (peaks of cycles 1, 2, 3, 4: 0.9, 0.5, 0.3, 0.2)",
        mistakes={
            "no halving at all (that is plain triangular)": np.array(
                [0.9, 0.1, 0.9, 0.1, 0.9, 0.9]
            ),
            "halving every half-cycle instead of every cycle": np.array(
                [0.5, 0.1, 0.2, 0.1, 0.125, 0.10625]
            ),
        },
    )


def test_exp_range(student):
    """Smith 2017: exp_range scales the triangle by γ^t with t the global step (not the cycle)."""
    kw = {"base_lr": 0.1, "max_lr": 1.1, "step_size": 10, "gamma": 0.5**0.1}
    expect_close(
        student.call("exp_range", np.array([0, 10, 30]), **kw),
        np.array([0.1, 0.6, 0.225]),
        what="exp_range(steps, base_lr=0.1, max_lr=1.1, step_size=10, gamma=0.5**0.1)",
        case="steps = [0, 10, 30] (γ^10 = ½: peaks 0.1 + 1·½ = 0.6 and 0.1 + 1·⅛ = 0.225)",
        mistakes={
            "γ^cycle instead of γ^t (cycles 1, 1, 2 here)": np.array(
                [0.1, 0.1 + 0.5**0.1, 0.1 + 0.5**0.2]
            )
        },
    )


def test_gd_with_schedule(student):
    """gd_with_schedule: lrs[k] drives update k and the trajectory starts with x0 (x² + 3y²)."""
    bowl = QuadraticForm.diagonal([2.0, 6.0])  # ∇ = (2x, 6y)
    expect_close(
        student.call("gd_with_schedule", bowl.grad, [1.0, 1.0], [0.25, 0.125]),
        np.array([[1.0, 1.0], [0.5, -0.5], [0.375, -0.125]]),
        what="gd_with_schedule(grad, x0, lrs)",
        case=(
            "L = x² + 3y², x0 = (1, 1), lrs = [0.25, 0.125]: x1 = x0 − 0.25·(2, 6) = (0.5, −0.5), "
            "x2 = x1 − 0.125·(1, −3) = (0.375, −0.125)"
        ),
        mistakes={
            "the rates used in the wrong order (update k must use lrs[k])": np.array(
                [[1.0, 1.0], [0.75, 0.25], [0.375, -0.125]]
            )
        },
    )
    line = Quadratic1D(lam=1.0)  # L'(w) = w
    expect_close(
        student.call("gd_with_schedule", line.grad, 5.0, [0.5, 0.5]),
        np.array([5.0, 2.5, 1.25]),
        what="gd_with_schedule(grad, x0, lrs)",
        case="L = ½w², scalar x0 = 5, lrs = [0.5, 0.5] (a scalar x0 gives shape (n + 1,))",
    )


def test_constant_vs_cyclical(student):
    """Seed 001 §8.2 notebook Ex. 3 on x² + 3y²: each coordinate is multiplied by Π(1 − η_k λ)."""
    bowl = QuadraticForm.diagonal([2.0, 6.0])
    lr, base, peak, s, n = 0.05, 0.02, 0.3, 5, 20
    t = np.arange(n)
    cycle = np.floor(1 + t / (2 * s))
    rates = base + (peak - base) * np.maximum(0.0, 1 - np.abs(t / s - 2 * cycle + 1))
    x_const = np.array([(1 - 2 * lr) ** n, (1 - 6 * lr) ** n])
    x_cyc = np.array([np.prod(1 - 2 * rates), np.prod(1 - 6 * rates)])
    got = student.call(
        "constant_vs_cyclical",
        bowl.loss,
        bowl.grad,
        [1.0, 1.0],
        lr=lr,
        base_lr=base,
        max_lr=peak,
        step_size=s,
        n_steps=n,
    )
    case = (
        "L = x² + 3y², x0 = (1, 1), lr = 0.05, triangular 0.02 → 0.3 with step_size 5, "
        "20 steps (x_n = (Π(1 − 2η_k), Π(1 − 6η_k)), loss = x² + 3y²)"
    )
    expected = {
        "x_constant": x_const,
        "x_cyclical": x_cyc,
        "loss_constant": float(x_const[0] ** 2 + 3 * x_const[1] ** 2),
        "loss_cyclical": float(x_cyc[0] ** 2 + 3 * x_cyc[1] ** 2),
    }
    expect_true(
        isinstance(got, dict) and set(got) == set(expected),
        f"constant_vs_cyclical should return a dict with the keys {sorted(expected)}; "
        f"got {type(got).__name__}",
    )
    for key, value in expected.items():
        expect_close(got[key], value, what=f"constant_vs_cyclical(...)[{key!r}]", case=case)
