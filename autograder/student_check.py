"""``autograder check``: the public checks on a student's working copy, explained.

Public checks run through the same engine and sandbox as grading, on fixed cases
from the course notes; their messages show the expected values.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from autograder.config import Course
from autograder.engine.plugin import Job
from autograder.engine.runner import RunOptions, check_files, run_jobs
from autograder.results import SubmissionResult
from autograder.submissions import prepare

__all__ = ["format_check_report", "run_check"]

_MARK = {"passed": "✔", "failed": "✘", "error": "!", "timeout": "⏱", "skipped": "-"}


def format_check_report(result: SubmissionResult, titles: dict[str, str]) -> str:
    """The text a student sees after ``autograder check``."""
    lines: list[str] = []
    for exercise, checks in result.by_exercise().items():
        passed = sum(c.status == "passed" for c in checks)
        lines.append(f"{exercise} — {titles.get(exercise, exercise)}")
        for c in checks:
            lines.append(f"  {_MARK.get(c.status, '?')} {c.title}")
            if c.status != "passed" and c.message:
                lines.extend("      " + ln for ln in c.message.strip().splitlines())
        lines.append(f"  {passed}/{len(checks)} public checks passed\n")
    if result.output.strip():
        lines.append("Your code printed:\n" + result.output.strip()[-2000:])
    return "\n".join(lines)


def run_check(course: Course, exercises: Sequence[str], path: Path) -> int:
    """Run the public checks of ``exercises`` (default: all) on the files in ``path``."""
    names = list(exercises) or list(course.exercises)
    unknown = [n for n in names if n not in course.exercises]
    if unknown:
        print(
            f"unknown exercise(s): {', '.join(unknown)}; the course has "
            f"{', '.join(course.exercises)}",
            file=sys.stderr,
        )
        return 2
    names = [n for n in names if check_files(course, "public", [n])]
    if not names:
        print("there are no public checks for these exercises yet", file=sys.stderr)
        return 2
    collected: list[SubmissionResult] = []
    with tempfile.TemporaryDirectory(prefix="autograder-check-") as staging:
        sub = prepare(Path(path), Path(staging), names)
        job = Job(id="your-work", files=sub.files, seed=0, problems=sub.problems)
        assignment = next(
            a.id for a in course.assignments if any(e.name in names for e in a.exercises)
        )
        summary = run_jobs(
            course,
            assignment,
            [job],
            RunOptions(
                workers=1, visibility="public", allow_insecure=True, exercises=frozenset(names)
            ),
            collected.append,
        )
    for w in summary.warnings:
        print(f"note: running with reduced sandboxing ({w.split(' (')[0]})", file=sys.stderr)
    result = collected[0]
    titles = {n: e.title for n, e in course.exercises.items()}
    print(format_check_report(result, titles))
    ok = all(c.status == "passed" for c in result.checks)
    print(
        "All public checks pass. The hidden checks test more cases when you submit."
        if ok
        else "Some checks do not pass yet: read the messages above."
    )
    return 0 if ok else 1
