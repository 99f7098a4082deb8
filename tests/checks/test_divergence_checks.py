"""The checks of exercise ``divergence`` are themselves tested.

* ``autograder validate divergence`` holds: the reference gets full marks, the stub zero,
  every wrong fixture is caught by the checks it names, every right fixture gets full marks;
* the public checks give the reference full marks and the stub zero;
* the NumPy mirrors the hidden checks use for the two autograd functions (analytic
  Hessians instead of torch on the grader side) equal the reference's torch results.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.checks import divergence as checks
from autograder.config import load_course
from autograder.landscapes import DoubleWell, Multimodal, QuadraticForm, Rosenbrock
from autograder.validate import validate_exercise

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = "divergence"


def test_divergence_checks_are_proven():
    rows = validate_exercise(
        load_course(ROOT / "course.yaml"), EXERCISE, ROOT / "tests" / "fixtures", workers=1
    )
    problems = {e.label: p for e, p, _ in rows if p}
    assert not problems, problems
    kinds = [e.kind for e, _, _ in rows]
    assert kinds.count("wrong") >= 6 and kinds.count("right") >= 2


def test_public_checks_give_the_reference_full_marks(tmp_path, reference_shim, grade_one):
    results = list(grade_one(EXERCISE, reference_shim(EXERCISE, tmp_path)).checks)
    assert len(results) >= 8
    bad = {c.check: c.message for c in results if c.status != "passed"}
    assert not bad, bad


def test_public_checks_give_the_stub_zero(grade_one):
    results = list(grade_one(EXERCISE, ROOT / "exercises" / f"{EXERCISE}.py").checks)
    assert results
    assert [c.check for c in results if c.status == "passed"] == []
    assert sum(c.points for c in results) == 0


@pytest.mark.parametrize("seed", range(6))
def test_hvp_mirror_equals_the_reference(seed):
    """The hidden checks' H(x)·v (analytic Hessian) equals the reference's double backward."""
    pytest.importorskip("torch")
    from reference.divergence import hessian_vector_product

    rng = np.random.default_rng(seed)
    quad = QuadraticForm(
        A=tuple(map(tuple, checks._sym(rng, rng.uniform(-2, 6, 3)))),
        b=tuple(rng.standard_normal(3)),
    )
    for land, x in (
        (quad, rng.standard_normal(3)),
        (Rosenbrock(), np.array([rng.uniform(-1.5, 1.5), rng.uniform(-0.5, 2.0)])),
        (Multimodal(), rng.uniform(-2, 2, 2)),
        (DoubleWell(), np.array([rng.uniform(-2, 2)])),
    ):
        v = rng.standard_normal(x.shape[0])
        np.testing.assert_allclose(
            checks._hessian(land, x) @ v,
            hessian_vector_product(land.loss, x, v),
            rtol=1e-12,
            atol=1e-12,
        )


@pytest.mark.parametrize("seed", range(6))
def test_power_iteration_mirror_equals_the_reference(seed):
    """The hidden checks' power iteration (analytic Hessian) equals the reference's."""
    pytest.importorskip("torch")
    from reference.divergence import power_iteration_lambda_max

    rng = np.random.default_rng(100 + seed)
    quad = QuadraticForm(A=tuple(map(tuple, checks._sym(rng, [-7.0, 3.0, 2.5, 0.5]))))
    flat = QuadraticForm(A=((0.0, 0.0), (0.0, 0.0)), b=(1.0, -2.0))
    for land, x, n in (
        (quad, rng.standard_normal(4), 7),
        (quad, rng.standard_normal(4), 0),
        (Rosenbrock(), np.array([rng.uniform(-1.5, 1.5), 1.0]), 5),
        (DoubleWell(), np.array([0.3]), 2),
        (flat, np.ones(2), 3),
    ):
        s = int(rng.integers(2**32))
        expected = power_iteration_lambda_max(land.loss, x, np.random.default_rng(s), n)
        got = checks._power_iteration(checks._hessian(land, x), s, n)
        assert got == pytest.approx(expected, rel=1e-10, abs=1e-12)
