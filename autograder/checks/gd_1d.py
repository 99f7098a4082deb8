"""Hidden checks for exercise ``gd_1d`` (1D recursions)."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.compare import expect_close
from autograder.landscapes import DoubleWell, Quadratic1D
from reference import gd_1d as ref

EXERCISE = "gd_1d"


def _quadratic(rng: np.random.Generator) -> Quadratic1D:
    return Quadratic1D(lam=float(rng.uniform(0.5, 10.0)), center=float(rng.uniform(-3, 3)))


def test_gd_step(student, rng):
    """One GD step w − η·L'(w) on random quadratics and the double well."""
    for landscape in (_quadratic(rng), _quadratic(rng), DoubleWell()):
        w, eta = float(rng.uniform(-4, 4)), float(rng.uniform(0.01, 0.3))
        got = student.call("gd_step", landscape.grad, w, eta)
        expect_close(got, ref.gd_step(landscape.grad, w, eta), what="gd_step(dL, w, η)",
                     case=f"L = {landscape}, w = {w:.4g}, η = {eta:.4g}",
                     mistakes={"a sign error (w + η·L'(w))": w + eta * landscape.grad(w)})


@pytest.mark.weight(2)
def test_gd_trajectory(student, rng):
    """A whole GD trajectory, including its start point, in every regime of ηλ."""
    for product in (0.5, 1.5, 2.5):  # monotone, oscillating, divergent
        q = _quadratic(rng)
        eta, w0, n = product / q.lam, float(rng.uniform(-5, 5)), int(rng.integers(5, 30))
        expected = ref.gd_trajectory(q.grad, w0, eta, n)
        got = student.call("gd_trajectory", q.grad, w0, eta, n)
        expect_close(got, expected, what="gd_trajectory(dL, w0, η, n_steps)",
                     case=f"L = {q}, w0 = {w0:.4g}, η = {eta:.4g}, n_steps = {n}")
