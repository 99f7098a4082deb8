"""Shared helpers of the tests of the checks: grade submissions on the public checks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from autograder.config import load_course
from autograder.engine.plugin import Job
from autograder.engine.runner import RunOptions, run_jobs
from autograder.results import SubmissionResult

ROOT = Path(__file__).resolve().parents[2]


def _reference_shim(exercise: str, directory: Path) -> Path:
    """A submission file ``<exercise>.py`` in ``directory`` that re-exports the reference."""
    shim = Path(directory) / f"{exercise}.py"
    shim.write_text(
        f"from reference.{exercise} import *  # noqa: F403\n"
        f"from reference.{exercise} import __all__  # noqa: F401\n"
    )
    return shim


def _grade_public(
    exercise: str, files: Mapping[str, Path | str], *, seed: int = 7, seed_step: int = 0
) -> dict[str, SubmissionResult]:
    """Grade each ``{job id: file}`` on the public checks of ``exercise`` (the i-th job with
    seed ``seed + i * seed_step``); the results by job id."""
    course = load_course(ROOT / "course.yaml")
    assignment = next(
        a.id for a in course.assignments if any(e.name == exercise for e in a.exercises)
    )
    jobs = [
        Job(id=name, files={f"{exercise}.py": str(path)}, seed=seed + i * seed_step)
        for i, (name, path) in enumerate(files.items())
    ]
    results: dict[str, SubmissionResult] = {}
    options = RunOptions(
        visibility="public",
        exercises=frozenset({exercise}),
        hide_instructor_paths=False,
        workers=1,
    )
    run_jobs(course, assignment, jobs, options, lambda r: results.__setitem__(r.submission, r))
    assert len(results) == len(jobs)
    return results


def _grade_one(exercise: str, path: Path | str, *, seed: int = 7) -> SubmissionResult:
    """Grade one file on the public checks of ``exercise``."""
    return _grade_public(exercise, {"P": path}, seed=seed)["P"]


@pytest.fixture(scope="session")
def reference_shim():
    """``reference_shim(exercise, directory) -> Path``: a file re-exporting the reference."""
    return _reference_shim


@pytest.fixture(scope="session")
def grade_public():
    """``grade_public(exercise, {job id: file}, seed=7, seed_step=0) -> {job id: result}``."""
    return _grade_public


@pytest.fixture(scope="session")
def grade_one():
    """``grade_one(exercise, file, seed=7) -> SubmissionResult`` on the public checks."""
    return _grade_one
