"""The zigzag checks are proven: hidden checks against the reference, stub and fixtures;
public checks against the reference (full marks) and the stub (zero)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.config import load_course
from autograder.engine.plugin import Job
from autograder.engine.runner import RunOptions, run_jobs
from autograder.results import SubmissionResult
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


def _grade_public(path: Path) -> SubmissionResult:
    course = load_course(ROOT / "course.yaml")
    assignment = next(
        a.id for a in course.assignments if any(e.name == EXERCISE for e in a.exercises)
    )
    results: list[SubmissionResult] = []
    options = RunOptions(
        visibility="public",
        exercises=frozenset({EXERCISE}),
        hide_instructor_paths=False,
        workers=1,
    )
    run_jobs(
        course,
        assignment,
        [Job(id="P", files={f"{EXERCISE}.py": str(path)}, seed=7)],
        options,
        results.append,
    )
    assert len(results) == 1
    return results[0]


@pytest.fixture
def reference_shim(tmp_path: Path) -> Path:
    shim = tmp_path / f"{EXERCISE}.py"
    shim.write_text(
        f"from reference.{EXERCISE} import *  # noqa: F403\n"
        f"from reference.{EXERCISE} import __all__  # noqa: F401\n"
    )
    return shim


def test_public_checks_give_the_reference_full_marks(reference_shim):
    result = _grade_public(reference_shim)
    assert len(result.checks) >= 8
    failing = {c.check: c.message for c in result.checks if c.status != "passed"}
    assert not failing, failing


def test_public_checks_give_the_stub_zero():
    result = _grade_public(ROOT / "exercises" / f"{EXERCISE}.py")
    assert result.checks
    passing = [c.check for c in result.checks if c.status == "passed"]
    assert not passing, passing
    assert sum(c.points for c in result.checks) == 0.0


def test_public_checks_are_all_passed_by_the_hardcoded_fixture():
    """The lookup-table fixture answers the public cases verbatim (so it passes them all)."""
    result = _grade_public(ROOT / "tests" / "fixtures" / EXERCISE / "wrong" / "hardcoded_public.py")
    failing = {c.check: c.message for c in result.checks if c.status != "passed"}
    assert not failing, failing
