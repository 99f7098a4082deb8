"""Shared pieces of the platform tests: a two-assignment course and a right answer."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SMALL_COURSE = """
course: {name: Platforms test, code: PT}
secret: {env: AUTOGRADER_SECRET, file: .course-secret}
exercises:
  eigen: {title: "Eigenvalue classification", points: 15}
  zigzag: {title: "2D zigzag", points: 15}
assignments:
  - {id: t1, title: "Eigenvalues", due: "2026-12-11T23:59:00+00:00", exercises: [eigen]}
  - {id: t2, title: "Zigzag", due: "2027-01-15T23:59:00+00:00", exercises: [zigzag]}
late_policy: {grace_minutes: 15, penalty_per_day: 0.10, max_late_days: 5}
feedback: {hidden_messages: after_due}
"""


def _write_course(folder: Path, text: str = SMALL_COURSE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "course.yaml"
    path.write_text(textwrap.dedent(text))
    return path


@pytest.fixture(scope="session")
def write_course() -> Callable[..., Path]:
    """``write_course(folder, text=SMALL_COURSE)`` writes a course.yaml there."""
    return _write_course


@pytest.fixture
def small_course(tmp_path: Path) -> Path:
    """course.yaml of a small course (numpy-only exercises: fast to grade)."""
    return _write_course(tmp_path / "course")


@pytest.fixture(scope="session")
def eigen_right() -> str:
    """A known-right eigen module (full marks on the hidden checks)."""
    return (ROOT / "tests" / "fixtures" / "eigen" / "right" / "loops.py").read_text()
