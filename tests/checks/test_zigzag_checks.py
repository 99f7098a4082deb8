"""The zigzag checks are proven: hidden checks against the reference, stub and fixtures;
public checks against the reference (full marks) and the stub (zero)."""

from __future__ import annotations

from pathlib import Path

from autograder.config import load_course
from autograder.validate import validate_exercise

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = "zigzag"


def test_zigzag_checks_are_proven():
    rows = validate_exercise(
        load_course(ROOT / "course.yaml"), EXERCISE, ROOT / "tests" / "fixtures", workers=1
    )
    problems = {e.label: p for e, p, _ in rows if p}
    assert not problems, problems
    kinds = [e.kind for e, _, _ in rows]
    assert kinds.count("wrong") >= 6 and kinds.count("right") >= 2


def test_public_checks_give_the_reference_full_marks(tmp_path, reference_shim, grade_one):
    result = grade_one(EXERCISE, reference_shim(EXERCISE, tmp_path))
    assert len(result.checks) >= 8
    failing = {c.check: c.message for c in result.checks if c.status != "passed"}
    assert not failing, failing


def test_public_checks_give_the_stub_zero(grade_one):
    result = grade_one(EXERCISE, ROOT / "exercises" / f"{EXERCISE}.py")
    assert result.checks
    passing = [c.check for c in result.checks if c.status == "passed"]
    assert not passing, passing
    assert sum(c.points for c in result.checks) == 0.0


def test_public_checks_are_all_passed_by_the_hardcoded_fixture(grade_one):
    """The lookup-table fixture answers the public cases verbatim (so it passes them all)."""
    hardcoded = ROOT / "tests" / "fixtures" / EXERCISE / "wrong" / "hardcoded_public.py"
    result = grade_one(EXERCISE, hardcoded)
    failing = {c.check: c.message for c in result.checks if c.status != "passed"}
    assert not failing, failing
