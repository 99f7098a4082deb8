"""Public checks for exercise ``momentum``: the worked examples of the course notes.

Every expected value here is a number printed in (or worked by hand from) the seeds —
seed 002 Exercise 8 and its FAQ on the velocity form, seed 001 §6.2 (effective window,
notebook cell 7), §6.4 (Nesterov) and §10 — or a small closed form written out in the
check. Run them with ``autograder check momentum``; the hidden checks use other inputs.
"""

from __future__ import annotations

import math

import numpy as np

from autograder.compare import expect_close, expect_equal, expect_true
from autograder.landscapes import Quadratic1D, QuadraticForm

EXERCISE = "momentum"

EX8 = "seed 002 Ex. 8: λ = 10, α = 0.1"


def _verdict(student, function, *args):
    """Call a yes/no function; a NumPy bool is accepted as a bool."""
    got = student.call(function, *args)
    return bool(got) if isinstance(got, np.bool_) else got


def test_ex8_recurrence(student):
    """Seed 002 Ex. 8: z₂, z₃, z₄ of z_{k+1} = (1 − αλ + β)z_k − βz_{k−1} from z₀ = z₁ = 1."""
    expect_close(
        student.call("momentum_recurrence", 10.0, 0.1, 0.8, 1.0, 1.0, 4),
        [1.0, 1.0, 0.0, -0.8, -0.64],
        what="momentum_recurrence(λ, α, β, z0, z1, n_steps)",
        case=f"{EX8}, β = 0.8, z0 = z1 = 1, n_steps = 4 (c = 1 − αλ + β = 0.8, so "
        "z2 = 0.8·1 − 0.8·1 = 0, z3 = 0.8·0 − 0.8·1 = −0.8, z4 = 0.8·(−0.8) − 0.8·0 = −0.64; "
        "the array is [z0, z1, z2, z3, z4])",
        mistakes={
            "the coefficient 1 − αλ − β (it is 1 − αλ + β)": [1.0, 1.0, -1.6, 0.48, 0.896],
            "+βz_{k−1} instead of −βz_{k−1}": [1.0, 1.0, 1.6, 2.08, 2.944],
        },
    )
    expect_close(
        student.call("momentum_recurrence", 10.0, 0.1, 0.3, 1.0, 1.0, 4),
        [1.0, 1.0, 0.0, -0.3, -0.09],
        what="momentum_recurrence(λ, α, β, z0, z1, n_steps)",
        case=f"{EX8}, β = 0.3, z0 = z1 = 1, n_steps = 4 (c = 0.3: z2 = 0, z3 = −0.3, z4 = −0.09)",
    )


def test_ex8_roots_and_spectral_radius(student):
    """Seed 002 Ex. 8: the roots 0.4 ± 0.8i, ρ = √0.8 < 1 (shrinking); with β = 0.3, ρ = √0.3."""
    expect_close(
        student.call("characteristic_roots", 10.0, 0.1, 0.8),
        [0.4 + 0.8j, 0.4 - 0.8j],
        what="characteristic_roots(λ, α, β)",
        case=f"{EX8}, β = 0.8 (r² − 0.8r + 0.8 = 0, D = 0.64 − 3.2 < 0; the order is "
        "[r₊, r₋]: positive imaginary part first)",
        mistakes={
            "the roots in the wrong order (r₊ = (c + √D)/2 comes first)": [0.4 - 0.8j, 0.4 + 0.8j]
        },
    )
    half = math.sqrt(1.2 - 0.09) / 2.0
    expect_close(
        student.call("characteristic_roots", 10.0, 0.1, 0.3),
        [complex(0.15, half), complex(0.15, -half)],
        what="characteristic_roots(λ, α, β)",
        case=f"{EX8}, β = 0.3 (r² − 0.3r + 0.3 = 0: 0.15 ± i·√1.11/2)",
    )
    for beta in (0.8, 0.3):
        expect_close(
            student.call("spectral_radius", 10.0, 0.1, beta),
            math.sqrt(beta),
            what="spectral_radius(λ, α, β)",
            case=f"{EX8}, β = {beta} (a complex pair has |r₊| = |r₋| = √(r₊r₋) = √β)",
        )


def test_ex8_stability_and_damping(student):
    """Seed 002 Ex. 8 is stable and underdamped; GD (β = 0) is overdamped (seed 001 §10)."""
    for beta in (0.8, 0.3):
        case = f"{EX8}, β = {beta} (αλ = 1 < 2(1 + β))"
        expect_equal(
            _verdict(student, "is_stable", 10.0, 0.1, beta),
            True,
            what="is_stable(λ, α, β)",
            case=case,
        )
        expect_equal(
            _verdict(student, "in_stability_region", 10.0, 0.1, beta),
            True,
            what="in_stability_region(λ, α, β)",
            case=case,
        )
        expect_equal(
            student.call("damping_regime", 10.0, 0.1, beta),
            "underdamped",
            what="damping_regime(λ, α, β)",
            case=f"{EX8}, β = {beta} (D = c² − 4β < 0: complex roots)",
        )
    expect_equal(
        _verdict(student, "is_stable", 10.0, 0.4, 0.8),
        False,
        what="is_stable(λ, α, β)",
        case="λ = 10, α = 0.4, β = 0.8 (αλ = 4 > 2(1 + β) = 3.6)",
    )
    expect_equal(
        _verdict(student, "in_stability_region", 10.0, 0.35, 0.8),
        True,
        what="in_stability_region(λ, α, β)",
        case="λ = 10, α = 0.35, β = 0.8 (αλ = 3.5 < 3.6: momentum allows it)",
        mistakes={"GD's bound αλ < 2 (momentum enlarges it to 2(1 + β))": False},
    )
    expect_equal(
        _verdict(student, "in_stability_region", 10.0, 0.35, 0.0),
        False,
        what="in_stability_region(λ, α, β)",
        case="λ = 10, α = 0.35, β = 0 (plain GD needs αλ < 2)",
    )
    expect_equal(
        student.call("damping_regime", 10.0, 0.05, 0.0),
        "overdamped",
        what="damping_regime(λ, α, β)",
        case="seed 001 §10, GD: λ = 10, α = 0.05, β = 0 (roots 0.5 and 0)",
    )
    expect_equal(
        student.call("damping_regime", 1.0, 0.25, 0.25),
        "critically damped",
        what="damping_regime(λ, α, β)",
        case="λ = 1, α = β = 0.25 (c = 1, D = 1 − 4·0.25 = 0: a double root 0.5)",
    )


def test_heavy_ball_from_rest(student):
    """Heavy ball from rest reproduces Ex. 8 shifted by one: 1, 0, −0.8, −0.64 (seed 002 FAQ)."""
    grad = Quadratic1D(lam=10.0).grad
    for function in ("heavy_ball_position", "heavy_ball_velocity"):
        expect_close(
            student.call(function, grad, 1.0, 0.1, 0.8, 3),
            [1.0, 0.0, -0.8, -0.64],
            what=f"{function}(grad, x0, α, β, n_steps)",
            case="∇f(x) = 10x, x0 = 1, α = 0.1, β = 0.8, n_steps = 3 (the ball starts at "
            "rest: x1 = x0 − α∇f(x0) = 0 is a plain GD step; then x2 = 0 − 0 + 0.8·(0 − 1) = "
            "−0.8; the trajectory includes x0)",
            mistakes={"x_{−1} = 0 (the first step must be plain GD)": [1.0, 0.8, -0.16, -0.768]},
        )
        expect_close(
            student.call(function, grad, 1.0, 0.1, 0.3, 3),
            [1.0, 0.0, -0.3, -0.09],
            what=f"{function}(grad, x0, α, β, n_steps)",
            case="∇f(x) = 10x, x0 = 1, α = 0.1, β = 0.3, n_steps = 3 (Ex. 8 with β = 0.3)",
        )


def test_notebook_cell7_velocity_form(student):
    """Seed 001 §6.2, notebook cell 7: two velocity-form steps on x² + y² from (1, 2)."""
    expect_close(
        student.call(
            "heavy_ball_velocity", QuadraticForm.diagonal([2.0, 2.0]).grad, [1.0, 2.0], 0.1, 0.9, 2
        ),
        [[1.0, 2.0], [0.8, 1.6], [0.46, 0.92]],
        what="heavy_ball_velocity(grad, x0, α, β, n_steps)",
        case="∇f = (2x, 2y), x0 = (1, 2), lr = 0.1, momentum = 0.9, n_steps = 2 (v1 = −0.1·(2, "
        "4) = (−0.2, −0.4), x1 = (0.8, 1.6); v2 = 0.9·v1 − 0.1·(1.6, 3.2) = (−0.34, −0.68), "
        "x2 = (0.46, 0.92); shape (n_steps + 1, 2))",
    )


def test_effective_window(student):
    """Seed 001 §6.2: β = 0.9 averages over the last ~10 gradients, 1/(1 − β)."""
    expect_close(
        student.call("effective_window", 0.9),
        10.0,
        what="effective_window(β)",
        case="β = 0.9 (Σ 0.9ᵏ = 1/(1 − 0.9) = 10)",
        mistakes={"1/β (the window is 1/(1 − β))": 1.0 / 0.9},
    )
    expect_close(
        student.call("effective_window", 0.0),
        1.0,
        what="effective_window(β)",
        case="β = 0 (plain GD remembers only the current gradient)",
    )


def test_nesterov_lookahead(student):
    """Seed 001 §6.4: Nesterov takes the gradient at the lookahead point θ + βv."""
    expect_close(
        student.call("nesterov", Quadratic1D(lam=10.0).grad, 1.0, 0.05, 0.5, 3),
        [1.0, 0.5, 0.125, -0.03125],
        what="nesterov(grad, x0, α, β, n_steps)",
        case="∇f(θ) = 10θ, θ0 = 1, α = 0.05, β = 0.5, n_steps = 3 (v1 = −0.5, θ1 = 0.5; the "
        "lookahead θ1 + βv1 = 0.25 gives v2 = −0.25 − 0.05·2.5 = −0.375, θ2 = 0.125; then "
        "θ3 = −0.03125)",
        mistakes={
            "the gradient at θ instead of the lookahead point (that is heavy ball)": [
                1.0,
                0.5,
                0.0,
                -0.25,
            ],
            "the lookahead points φ_t = θ_t + βv_t (torch's parameter) instead of θ_t": [
                1.0,
                0.25,
                -0.0625,
                -0.109375,
            ],
        },
    )


def test_nesterov_to_torch(student):
    """torch's nesterov=True parameter is the lookahead point φₜ = θₜ + β(θₜ − θₜ₋₁)."""
    expect_close(
        student.call("nesterov_to_torch", [1.0, 0.5, 0.125, -0.03125], 0.5),
        [1.0, 0.25, -0.0625, -0.109375],
        what="nesterov_to_torch(θ, β)",
        case="θ = [1, 0.5, 0.125, −0.03125] (the Nesterov run above), β = 0.5 (φ0 = θ0; "
        "φ1 = 0.5 + 0.5·(0.5 − 1) = 0.25, ...)",
        mistakes={"θ_t − βv_t (the lookahead is θ_t + βv_t)": [1.0, 0.75, 0.3125, 0.046875]},
    )


def test_optimal_heavy_ball(student):
    """Polyak's parameters for [μ, L] = [1, 9]: α* = 4/(3 + 1)², β* = ((3 − 1)/(3 + 1))²."""
    got = student.call("optimal_heavy_ball", 1.0, 9.0)
    case = "μ = 1, L = 9 (√L = 3, √μ = 1: α* = 4/16, β* = (2/4)² = 0.25, rate √β* = 0.5)"
    expect_true(
        isinstance(got, dict) and set(got) == {"alpha", "beta", "rate"},
        f"optimal_heavy_ball should return a dict with the keys 'alpha', 'beta', 'rate' "
        f"for {case}; it returned {got!r:.120}.",
    )
    for key, value in (("alpha", 0.25), ("beta", 0.25), ("rate", 0.5)):
        expect_close(
            got[key],
            value,
            what=f"optimal_heavy_ball(μ, L)[{key!r}]",
            case=case,
            mistakes={"β* without the square": 0.5} if key == "beta" else None,
        )


def test_steps_to_tolerance(student):
    """The first k with ‖x_k − x*‖ ≤ tol: row 0 counts, −1 when never reached."""
    traj = [4.0, 2.0, 1.0, 0.5]
    for tol, expected, why in (
        (1.0, 2, "|x_2| = 1 ≤ 1: the test is ≤"),
        (10.0, 0, "x0 is already within tol"),
        (0.1, -1, "no row gets within 0.1"),
    ):
        expect_equal(
            student.call("steps_to_tolerance", traj, tol),
            expected,
            what="steps_to_tolerance(trajectory, tol)",
            case=f"trajectory = {traj}, tol = {tol} ({why})",
        )


def test_ravine_gd_vs_momentum(student):
    """Seed 001 §6.3 on x² + 50y² (∇f = (2x, 100y)): two steps of GD and of heavy ball."""
    got = student.call("gd_vs_momentum", [1.0, 1.0], 0.01, 0.9, 2)
    case = (
        "x0 = (1, 1), α = 0.01, β = 0.9, n_steps = 2, default eigenvalues (2, 100) "
        "(step 1 is the same GD step for both: (0.98, 0); then momentum adds 0.9·v1 = "
        "(−0.018, −0.9))"
    )
    expect_true(
        isinstance(got, dict) and set(got) == {"gd", "momentum"},
        f"gd_vs_momentum should return a dict with the keys 'gd' and 'momentum' for "
        f"{case}; it returned {got!r:.120}.",
    )
    expect_close(
        got["gd"],
        [[1.0, 1.0], [0.98, 0.0], [0.9604, 0.0]],
        what="gd_vs_momentum(...)['gd']",
        case=case,
    )
    expect_close(
        got["momentum"],
        [[1.0, 1.0], [0.98, 0.0], [0.9424, -0.9]],
        what="gd_vs_momentum(...)['momentum']",
        case=case,
    )


def test_beta_sweep(student):
    """β sweep on ½x² with α = 1: one GD step lands on 0 for every β; the rate is √β."""
    got = student.call(
        "beta_sweep", [1.0], 1.0, [0.0, 0.25, 0.64], tol=0.1, max_steps=5, eigenvalues=[1.0]
    )
    case = (
        "x0 = [1], α = 1, betas = [0, 0.25, 0.64], tol = 0.1, max_steps = 5, eigenvalues "
        "= [1] (αλ = 1: x1 = x0 − α∇f(x0) = 0 whatever β; c = β and D = β² − 4β, so the "
        "roots are complex with modulus √β, or 0 and 0 for β = 0)"
    )
    expect_true(
        isinstance(got, dict) and set(got) == {"beta", "steps", "rate"},
        f"beta_sweep should return a dict with the keys 'beta', 'steps', 'rate' for "
        f"{case}; it returned {got!r:.120}.",
    )
    expect_close(got["beta"], [0.0, 0.25, 0.64], what="beta_sweep(...)['beta']", case=case)
    expect_close(
        got["steps"],
        [1, 1, 1],
        what="beta_sweep(...)['steps']",
        case=case,
        mistakes={"row 0 not counted (off by one)": [2, 2, 2]},
    )
    expect_close(got["rate"], [0.0, 0.5, 0.8], what="beta_sweep(...)['rate']", case=case)
    never = student.call(
        "beta_sweep", [1.0], 1.0, [0.0, 0.5], tol=0.1, max_steps=0, eigenvalues=[1.0]
    )
    expect_true(
        isinstance(never, dict) and "steps" in never,
        "beta_sweep should return a dict with a 'steps' key.",
    )
    expect_close(
        never["steps"],
        [-1, -1],
        what="beta_sweep(...)['steps']",
        case="the same with max_steps = 0: the trajectory is just x0 = [1], never "
        "within tol = 0.1, so every β gets −1",
    )
