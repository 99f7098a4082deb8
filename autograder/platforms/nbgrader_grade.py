"""Grading an nbgrader course's collected notebooks with the sandboxed engine.

``autograder nbgrader-grade COURSE_DIR --assignment a1`` replaces ``nbgrader autograde``.
nbgrader runs its grade cells in the student's own kernel, so one line in the student's
notebook decides the score (``np.allclose = lambda *a, **k: True``, or hiding the
traceback of every failing cell). Here, for each ``submitted/<student>/<assignment>/``:

1. the notebooks of the assignment's exercises are copied (regular files only) into a
   staging folder named after the student, with nbgrader's ``timestamp.txt`` turned
   into the engine's ``SUBMITTED_AT`` (so ``course.yaml``'s late policy applies);
2. :func:`autograder.grading.grade_batch` extracts the graded code of each notebook
   (imports, definitions and constants only: nothing else in the notebook runs), grades
   it with the hidden checks in the sandbox and stores the result in our gradebook;
3. the result is written into nbgrader's gradebook through :class:`nbgrader.api.Gradebook`:
   ``update_or_create_submission`` (which mirrors the assignment's grade cells) and, in
   each notebook, every grade cell's ``auto_score`` set to its ``max_score`` times the
   fraction of the exercise's points our engine awarded (so a notebook's score is the
   exercise's score scaled to the notebook's points) and ``needs_manual_grade`` cleared;
   ``manual_score`` is never touched, so an instructor's override in formgrader survives
   a regrade (nbgrader counts it instead of ``auto_score``). A late
   submission's deduction goes to ``SubmittedNotebook.late_submission_penalty`` (as
   nbgrader's own late-penalty plugins do), and a summary of the checks becomes the
   ``auto_comment`` of the notebook's first solution cell (shown by formgrader and in
   the feedback nbgrader generates).

The assignment must be known to nbgrader's gradebook (``nbgrader generate_assignment``
puts it there, grade cells included).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from autograder.config import Assignment, Course
from autograder.engine.runner import RunOptions
from autograder.errors import GraderError
from autograder.gradebook import Gradebook
from autograder.grading import BatchReport, grade_batch
from autograder.results import SubmissionResult
from autograder.submissions import MAX_MEMBER, _clean_id
from autograder.views import message_visible

__all__ = [
    "NbgraderReport",
    "cell_order",
    "exercise_fraction",
    "find_submissions",
    "grade_nbgrader_course",
    "nbgrader_settings",
    "require_assignment",
    "write_to_nbgrader",
]


@dataclass
class NbgraderReport:
    """What ``nbgrader-grade`` did: the batch, and the scores written to nbgrader."""

    batch: BatchReport
    nbgrader_db: str
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)
    """student → (score, max score) as nbgrader's gradebook now has them."""
    missing: list[str] = field(default_factory=list)
    """Students whose result could not be found (should not happen)."""
    faulty: list[str] = field(default_factory=list)
    """Students not written to nbgrader because the grader hit a fault on their work."""


def nbgrader_settings(course_dir: Path) -> tuple[str, str]:
    """(db_url, course_id) from the course's ``nbgrader_config.py`` (nbgrader's defaults)."""
    course_dir = Path(course_dir).resolve()
    db_url = f"sqlite:///{course_dir / 'gradebook.db'}"
    course_id = ""
    config = course_dir / "nbgrader_config.py"
    if config.is_file():
        from traitlets.config.loader import PyFileConfigLoader

        cfg = PyFileConfigLoader(config.name, path=str(course_dir)).load_config()
        settings = cfg.get("CourseDirectory", {})
        db_url = str(settings.get("db_url", db_url))
        course_id = str(settings.get("course_id", course_id))
    return db_url, course_id or "default_course"


def find_submissions(course_dir: Path, assignment: str) -> dict[str, Path]:
    """student id → ``submitted/<student>/<assignment>`` folder, for every student."""
    root = Path(course_dir) / "submitted"
    if not root.is_dir():
        return {}
    out = {}
    for student in sorted(root.iterdir()):
        folder = student / assignment
        if student.is_dir() and not student.is_symlink() and folder.is_dir():
            if folder.is_symlink():
                continue
            out[student.name] = folder
    return out


def _timestamp(folder: Path) -> datetime | None:
    stamp = folder / "timestamp.txt"
    if not stamp.is_file() or stamp.is_symlink():
        return None
    from nbgrader.utils import parse_utc

    try:
        value = parse_utc(stamp.read_text(encoding="utf-8", errors="replace").strip()[:100])
    except (ValueError, OverflowError, TypeError):
        return None
    return value.replace(tzinfo=UTC) if value is not None else None


def _stage(folder: Path, target: Path, exercises: Sequence[str]) -> datetime | None:
    """Copy the student's exercise notebooks (regular, reasonably small files only)."""
    target.mkdir(parents=True)
    for name in exercises:
        src = folder / f"{name}.ipynb"
        if src.is_file() and not src.is_symlink() and src.stat().st_size <= MAX_MEMBER:
            shutil.copyfile(src, target / src.name)
    when = _timestamp(folder)
    if when is not None:
        (target / "SUBMITTED_AT").write_text(when.isoformat(), encoding="utf-8")
    return when


def exercise_fraction(result: SubmissionResult, exercise: str) -> tuple[float, float]:
    """(points earned before any late penalty, points possible) of one exercise."""
    checks = [c for c in result.checks if c.exercise == exercise]
    return sum(c.points for c in checks), sum(c.max_points for c in checks)


def _summary(result: SubmissionResult, exercise: str, show_messages: bool) -> str:
    earned, possible = exercise_fraction(result, exercise)
    lines = [
        f"Graded by the course's sandboxed autograder (hidden checks): {earned:g}/{possible:g}."
    ]
    if result.late_multiplier != 1.0:
        lines.append(f"Late submission: the score is multiplied by {result.late_multiplier:g}.")
    for c in result.checks:
        if c.exercise != exercise:
            continue
        line = f"- {c.title}: {c.status} ({c.points:g}/{c.max_points:g})"
        if c.status != "passed" and c.message and (show_messages or c.visibility == "visible"):
            line += f": {c.message[:500]}"
        lines.append(line)
    for problem in result.warnings[:5]:
        lines.append(f"Note: {problem[:300]}")
    return "\n".join(lines)


@contextlib.contextmanager
def _alembic_on_path() -> Iterator[None]:
    """nbgrader's Gradebook runs the ``alembic`` command: find it next to this Python."""
    if shutil.which("alembic") is not None:
        yield
        return
    saved = os.environ.get("PATH")
    os.environ["PATH"] = os.pathsep.join(p for p in (os.path.dirname(sys.executable), saved) if p)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PATH", None)
        else:
            os.environ["PATH"] = saved


def _find_assignment(gb: Any, db_url: str, assignment: str) -> Any:
    from nbgrader.api import MissingEntry

    try:
        return gb.find_assignment(assignment)
    except MissingEntry:
        raise GraderError(
            f"nbgrader's gradebook {db_url} has no assignment {assignment!r}: run "
            f"`nbgrader generate_assignment {assignment}` in the course folder first"
        ) from None


def require_assignment(db_url: str, course_id: str, assignment: str) -> None:
    """Raise :class:`GraderError` unless nbgrader's gradebook knows ``assignment``."""
    from nbgrader.api import Gradebook as NbGradebook

    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///") :]).is_file():
        raise GraderError(
            f"there is no nbgrader gradebook at {db_url}: run `nbgrader generate_assignment "
            f"{assignment}` in the course folder first"
        )

    with _alembic_on_path(), NbGradebook(db_url, course_id=course_id) as gb:
        _find_assignment(gb, db_url, assignment)


def write_to_nbgrader(
    db_url: str,
    course_id: str,
    assignment: Assignment,
    results: dict[str, SubmissionResult],
    timestamps: dict[str, datetime | None],
    *,
    show_messages: bool,
    order: dict[str, list[str]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Store ``results`` (student → result) as nbgrader grades; return nbgrader's totals."""
    from nbgrader.api import Gradebook as NbGradebook
    from sqlalchemy.exc import SAWarning

    scores: dict[str, tuple[float, float]] = {}
    order = order or {}
    with _alembic_on_path(), NbGradebook(db_url, course_id=course_id) as gb:
        _find_assignment(gb, db_url, assignment.id)
        for student, result in results.items():
            gb.update_or_create_student(student)
            when = timestamps.get(student)
            kwargs: dict[str, Any] = {}
            if when is not None:
                kwargs["timestamp"] = when.astimezone(UTC).replace(tzinfo=None)
            with warnings.catch_warnings():  # nbgrader's own ORM use warns on SQLAlchemy 2
                warnings.simplefilter("ignore", category=SAWarning)
                submission = gb.update_or_create_submission(assignment.id, student, **kwargs)
            for notebook in submission.notebooks:
                earned, possible = exercise_fraction(result, notebook.name)
                fraction = earned / possible if possible > 0 else 0.0
                notebook_score = 0.0
                for grade in notebook.grades:
                    grade.auto_score = round(float(grade.max_score) * fraction, 6)
                    grade.needs_manual_grade = False
                    notebook_score += (
                        grade.auto_score if grade.manual_score is None else grade.manual_score
                    )
                penalty = notebook_score * (1.0 - result.late_multiplier)
                notebook.late_submission_penalty = round(penalty, 6) if penalty > 0 else None
                first = _first_solution_comment(notebook.comments, order.get(notebook.name, []))
                for comment in notebook.comments:
                    comment.auto_comment = None
                if first is not None:
                    first.auto_comment = _summary(result, notebook.name, show_messages)
            gb.db.commit()
        for student in results:
            sub = gb.find_submission(assignment.id, student)
            scores[student] = (float(sub.score), float(sub.max_score))
    return scores


def _first_solution_comment(comments: Sequence[Any], order: Sequence[str]) -> Any:
    """The comment of the first solution cell (in ``order``, else by name)."""
    rank = {name: i for i, name in enumerate(order)}
    solution = [c for c in comments if getattr(c.cell, "type", "") == "SolutionCell"]
    pool = sorted(
        solution or comments, key=lambda c: (rank.get(c.cell.name, len(rank)), c.cell.name)
    )
    return pool[0] if pool else None


def cell_order(course_dir: Path, assignment: str) -> dict[str, list[str]]:
    """notebook → its cells' grade_ids in order, from ``source/<assignment>/*.ipynb``."""
    out: dict[str, list[str]] = {}
    for path in sorted((Path(course_dir) / "source" / assignment).glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            out[path.stem] = [
                c["metadata"]["nbgrader"]["grade_id"]
                for c in cells
                if "grade_id" in c.get("metadata", {}).get("nbgrader", {})
            ]
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return out


def grade_nbgrader_course(
    course: Course,
    course_dir: Path,
    assignment_id: str,
    gradebook: Gradebook,
    options: RunOptions,
    *,
    nbgrader_db: str | None = None,
    regrade: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> NbgraderReport:
    """Grade every ``submitted/<student>/<assignment>`` and fill both gradebooks."""
    course_dir = Path(course_dir).resolve()
    assignment = course.assignment(assignment_id)
    db_url, course_id = nbgrader_settings(course_dir)
    db_url = nbgrader_db or db_url
    require_assignment(db_url, course_id, assignment.id)  # before grading, not after
    folders = find_submissions(course_dir, assignment.id)
    exercises = [e.name for e in assignment.exercises]
    timestamps: dict[str, datetime | None] = {}
    with tempfile.TemporaryDirectory(prefix="autograder-nbgrader-") as tmp:
        staged = []
        for student, folder in folders.items():
            target = Path(tmp) / student
            timestamps[student] = _stage(folder, target, exercises)
            staged.append(target)
        batch = (
            grade_batch(
                course, staged, [assignment], gradebook, options, regrade=regrade, progress=progress
            )
            if staged
            else BatchReport()
        )
    stored = {r.submission: r for r in gradebook.results(assignment.id)}
    results = {}
    missing = []
    faulty = []
    for student in folders:
        result = stored.get(_clean_id(student))  # the id the engine gave the folder
        if result is None:
            missing.append(student)
        elif any(c.grader_fault for c in result.checks):
            faulty.append(student)  # nbgrader keeps what it had: regrade this one
        else:
            results[student] = result
    show = message_visible(course.feedback, assignment, datetime.now(UTC))
    scores = (
        write_to_nbgrader(
            db_url,
            course_id,
            assignment,
            results,
            timestamps,
            show_messages=show,
            order=cell_order(course_dir, assignment.id),
        )
        if results
        else {}
    )
    return NbgraderReport(
        batch=batch, nbgrader_db=db_url, scores=scores, missing=missing, faulty=faulty
    )
