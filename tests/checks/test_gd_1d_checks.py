"""The checks of exercise ``gd_1d`` are themselves tested.

* hidden checks: ``autograder validate`` — the reference gets full marks, the stub zero,
  every known-wrong fixture fails the checks named in its ``CAUGHT_BY``, every known-right
  fixture gets full marks;
* public checks: the reference passes all of them, the stub none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.config import load_course
from autograder.validate import validate_exercise

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = "gd_1d"


def test_gd_1d_checks_are_proven():
    """Reference full marks, stub zero, ≥ 6 wrong fixtures caught, ≥ 2 right ones full marks."""
    rows = validate_exercise(
        load_course(ROOT / "course.yaml"), EXERCISE, ROOT / "tests" / "fixtures", workers=1
    )
    problems = {e.label: p for e, p, _ in rows if p}
    assert not problems, problems
    kinds = [e.kind for e, _, _ in rows]
    assert kinds.count("wrong") >= 6 and kinds.count("right") >= 2


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory, reference_shim) -> Path:
    return reference_shim(EXERCISE, tmp_path_factory.mktemp("shim"))


def test_gd_1d_public_checks_pass_on_the_reference(shim, grade_one):
    """Every public check passes on the reference (its expected values are the seeds')."""
    result = grade_one(EXERCISE, shim, seed=0)
    assert len(result.checks) >= 11
    failing = {c.check: c.message for c in result.checks if c.status != "passed"}
    assert not failing, failing
    assert result.raw_score == pytest.approx(result.max_score)


def test_gd_1d_public_checks_give_zero_to_the_stub(grade_one):
    """The untouched stub passes no public check."""
    result = grade_one(EXERCISE, ROOT / "exercises" / f"{EXERCISE}.py", seed=0)
    assert result.checks
    assert all(c.status != "passed" for c in result.checks)
    assert result.raw_score == 0
