"""The checks of exercise ``upstream`` are themselves tested.

* hidden checks: the reference gets full marks, the stub zero, every wrong fixture is
  caught by the check its ``CAUGHT_BY`` names, every right fixture gets full marks;
* public checks: full marks for the reference and for the hard-coded fixture (so the
  hidden checks really are what stops it), zero for the stub;
* the mistakes the hidden checks name really differ from the right answers on the
  inputs they draw (a non-symmetric V separates 2GX from (G + Gᵀ)X, and so on).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.checks import upstream as checks
from autograder.config import load_course
from autograder.validate import validate_exercise
from reference import upstream as ref

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = "upstream"
FIXTURES = ROOT / "tests" / "fixtures" / EXERCISE


def test_upstream_checks_are_proven():
    rows = validate_exercise(
        load_course(ROOT / "course.yaml"), EXERCISE, ROOT / "tests" / "fixtures", workers=1
    )
    problems = {e.label: p for e, p, _ in rows if p}
    assert not problems, problems
    kinds = [e.kind for e, _, _ in rows]
    assert kinds.count("wrong") >= 6 and kinds.count("right") >= 2
    hardcoded = [r for e, _, r in rows if e.label == "wrong/hardcoded_public"]
    assert hardcoded and sum(c.points for c in hardcoded[0].checks) == 0


def test_upstream_public_checks_grade_reference_stub_and_hardcoded(
    tmp_path, reference_shim, grade_public
):
    files = {
        "reference": reference_shim(EXERCISE, tmp_path),
        "stub": ROOT / "exercises" / f"{EXERCISE}.py",
        "hardcoded": FIXTURES / "wrong" / "hardcoded_public.py",
    }
    results = grade_public(EXERCISE, files, seed=0)
    for name in ("reference", "hardcoded"):
        checks_ = results[name].checks
        assert len(checks_) >= 12
        assert all(c.status == "passed" for c in checks_), [
            (c.check, c.message) for c in checks_ if c.status != "passed"
        ]
    assert all(c.status != "passed" and c.points == 0 for c in results["stub"].checks)


@pytest.mark.parametrize("seed", range(20))
def test_named_gradient_mistakes_differ_from_the_gradient(seed):
    """On a non-symmetric V every named mistake is a different array from (G + Gᵀ)X."""
    rng = np.random.default_rng(seed)
    n, d = checks._shape(rng)
    X, V = checks._x(rng, n, d), checks._nonsym_v(rng, n)
    right = ref.analytic_grad(X, V)
    for name, wrong in checks._grad_mistakes(X, V).items():
        assert not np.allclose(wrong, right, rtol=1e-6, atol=1e-9), name


@pytest.mark.parametrize("seed", range(20))
def test_pitfall_inputs_are_exact_and_never_the_seed_values(seed):
    """w0 and η are dyadic (exact in float32 and float64) and w0 ≠ 2 (the seed's value)."""
    rng = np.random.default_rng(seed)
    w0, eta = checks._dyadic(rng, -40, -4, 8, 2.0), checks._dyadic(rng, 1, 16, 16, 0.1)
    assert w0 != 2.0 and 0 < eta < 1
    assert float(np.float32(w0)) == w0 and float(np.float32(eta)) == eta
