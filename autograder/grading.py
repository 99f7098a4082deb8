"""Grading a batch: from a folder of submissions to the gradebook and the files it feeds.

:func:`grade_batch` discovers and stages submissions, derives their seeds from the
course secret, skips those already graded with the same fingerprint (unless told to
regrade), grades the rest in parallel and stores each result the moment it arrives.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from autograder.config import Assignment, Course
from autograder.engine.plugin import Job, Part
from autograder.engine.runner import RunOptions, RunSummary, grade_parallel
from autograder.engine.seeding import submission_seed
from autograder.errors import GraderError
from autograder.gradebook import Gradebook
from autograder.platforms.late import with_platform_time
from autograder.results import SubmissionResult
from autograder.roster import Roster, write_roster_csv
from autograder.submissions import Submission, prepare
from autograder.views import (
    gradescope_results,
    message_visible,
    write_csv,
)
from autograder.views.class_report import class_report_html, class_stats, write_pass_rates_csv
from autograder.views.feedback_files import FeedbackPage, write_feedback_pages
from autograder.views.gradescope import HIDDEN_VISIBILITY

__all__ = ["BatchReport", "ensure_secret", "grade_batch", "write_outputs"]


@dataclass
class BatchReport:
    """What a batch did: per assignment, the stored results and the run summary."""

    results: dict[str, list[SubmissionResult]] = field(default_factory=dict)
    summaries: dict[str, RunSummary] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    roster: Roster | None = None
    """The roster the batch was matched against (``--roster``), if any."""


def ensure_secret(course: Course, *, create: bool, say: Callable[[str], None]) -> bytes:
    """The course secret; with ``create``, make a new secret file if there is none."""
    secret = course.read_secret()
    if secret is not None:
        return secret
    if not create:
        raise GraderError(
            f"no course secret: set ${course.secret_env} or create "
            f"{course.secret_file} (autograder grade --create-secret does this)"
        )
    value = secrets.token_hex(32)
    fd = os.open(course.secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    say(f"created a new course secret in {course.secret_file} (keep it; regrades need it)")
    return value.encode()


def _late_multiplier(course: Course, assignment: Assignment, sub: Submission) -> float:
    if sub.submitted_at is None or assignment.due is None:
        return 1.0
    return course.late_policy.multiplier(sub.submitted_at - assignment.due)


def grade_batch(
    course: Course,
    sources: Sequence[Path],
    assignments: Sequence[Assignment],
    gradebook: Gradebook,
    options: RunOptions,
    *,
    regrade: bool = False,
    progress: Callable[[int, int], None] | None = None,
    roster: Roster | None = None,
) -> BatchReport:
    """Grade every submission in ``sources`` for each assignment into ``gradebook``.

    With a ``roster``, every result carries its student in ``details["student"]`` and
    :func:`write_outputs` adds the students (and those without a submission) to
    ``grades.csv``. The submission time comes from the platform (see
    :func:`~autograder.platforms.late.with_platform_time`).
    """
    report = BatchReport(roster=roster)
    start = time.monotonic()
    secret = course.read_secret()
    if secret is None:
        raise GraderError("no course secret available")
    all_names = [e.name for a in assignments for e in a.exercises]
    with tempfile.TemporaryDirectory(prefix="autograder-stage-") as staging:
        staged: dict[str, Submission] = {}
        for src in sources:
            sub = prepare(src, Path(staging), all_names)
            sub = with_platform_time(sub, single=len(sources) == 1)
            if sub.id in staged:
                raise GraderError(f"two submissions are both called {sub.id!r}")
            staged[sub.id] = sub
        known = {a.id: ({} if regrade else gradebook.fingerprints(a.id)) for a in assignments}
        jobs: list[Job] = []
        total = len(staged) * len(assignments)
        done = 0
        for sub in staged.values():
            parts = []
            for assignment in assignments:
                names = frozenset(e.name for e in assignment.exercises)
                files = {k: v for k, v in sub.files.items() if k[:-3] in names}
                fingerprint = _fp(sub, files)
                if known[assignment.id].get(sub.id) == fingerprint:
                    report.skipped.setdefault(assignment.id, []).append(sub.id)
                    done += 1
                    continue
                parts.append(
                    Part(
                        assignment=assignment.id,
                        exercises=names,
                        seed=submission_seed(secret, assignment.id, sub.id),
                        late_multiplier=_late_multiplier(course, assignment, sub),
                        fingerprint=fingerprint,
                    )
                )
            if parts:
                jobs.append(
                    Job(
                        id=sub.id,
                        files=sub.files,
                        problems=sub.problems,
                        submitted_at=sub.submitted_at.isoformat() if sub.submitted_at else None,
                        parts=tuple(parts),
                    )
                )
        if progress:
            progress(done, total)

        def store(result: SubmissionResult) -> None:
            nonlocal done
            if roster is not None:
                result = roster.stamp(result)
            gradebook.record(result)
            done += 1
            if progress:
                progress(done, total)

        summary = grade_parallel(course, None, jobs, options, store)
        for assignment in assignments:
            report.summaries[assignment.id] = summary
            report.skipped.setdefault(assignment.id, [])
            stored = gradebook.results(assignment.id)
            report.results[assignment.id] = [roster.stamp(r) for r in stored] if roster else stored
    report.seconds = time.monotonic() - start
    return report


def _fp(sub: Submission, files: dict[str, str]) -> str:
    import hashlib

    h = hashlib.sha256(sub.fingerprint.encode())
    for name in sorted(files):
        h.update(name.encode())
    return h.hexdigest()[:20]


def write_outputs(
    course: Course,
    report: BatchReport,
    out: Path,
    *,
    now: datetime | None = None,
    feedback: bool = True,
    class_report: bool = True,
    feedback_workers: int | None = None,
) -> list[Path]:
    """Write the files of every stored result of the batch; returns the paths written.

    Per assignment: ``grades.csv``; with ``class_report``, ``class_report.html`` and
    ``class_report.csv``; per submission ``results.json`` and, with ``feedback``,
    ``feedback.md`` and ``feedback.html`` (their pictures take most of the time: see
    :data:`autograder.views.feedback_html.MAX_PLOTS`), written by one process per core
    for a large class (``feedback_workers`` overrides, see
    :func:`autograder.views.feedback_files.feedback_workers`).
    """
    written: list[Path] = []
    titles = {name: e.title for name, e in course.exercises.items()}
    when = now or datetime.now(UTC)
    vis = HIDDEN_VISIBILITY[course.feedback.hidden_messages]
    pages: list[FeedbackPage] = []
    for assignment_id, results in report.results.items():
        assignment = course.assignment(assignment_id)
        exercises = [e.name for e in assignment.exercises]
        base = out / assignment_id
        if report.roster is not None:  # students in front, those without a submission at 0
            path, _ = write_roster_csv(
                results,
                report.roster,
                base / "grades.csv",
                exercises,
                assignment=assignment_id,
                max_score=assignment.total_points,
            )
            written.append(path)
        else:
            written.append(write_csv(results, base / "grades.csv", exercises))
        show = message_visible(course.feedback, assignment, when)
        for r in results:
            folder = base / "submissions" / r.submission
            folder.mkdir(parents=True, exist_ok=True)
            gs = gradescope_results(r, hidden_visibility=vis)
            if "student" in r.details:  # from the roster
                gs["extra_data"] = {**gs.get("extra_data", {}), "student": r.details["student"]}
            written.append(_write(folder / "results.json", json.dumps(gs, indent=2)))
            if feedback:
                pages.append(FeedbackPage(r, folder, show, titles, assignment.title, course.name))
        if class_report:
            stats = class_stats(results, exercises=exercises, titles=titles)
            html = class_report_html(
                stats, assignment_title=assignment.title, course_name=course.name, now=when
            )
            written += [
                _write(base / "class_report.html", html),
                write_pass_rates_csv(stats, base / "class_report.csv"),
            ]
    written += write_feedback_pages(pages, workers=feedback_workers)
    return written


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
