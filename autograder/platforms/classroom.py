"""GitHub Classroom and other CI: grade one checkout, end with ``Points X/Y``.

``autograder classroom-grade PATH --assignment a1 --out results`` grades the folder
``PATH`` (a student's checkout, whatever its layout: the shallowest ``<exercise>.py``
or notebook anywhere in it is graded, public-check folders excepted) as *one*
submission named after the folder, with the hidden checks in the sandbox; writes the
gradebook, ``results.json`` and feedback under ``--out``; prints a short report; and
ends with the line ``Points X/Y`` — the score after any late penalty. The submission
time is ``$AUTOGRADER_SUBMITTED_AT`` when the workflow sets it (the commit time).

The workflow templates are :data:`GITHUB_TEMPLATE` (GitHub Actions, for the student
repositories GitHub Classroom creates) and :data:`GITLAB_TEMPLATE` (a GitLab CI job).
See the README for where the grader and the secret come from and what a CI grade can
and cannot be trusted for.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from autograder.config import Course

__all__ = ["GITHUB_TEMPLATE", "GITLAB_TEMPLATE", "classroom_grade"]

GITHUB_TEMPLATE = Path(__file__).parent / "templates" / "classroom.yml"
GITLAB_TEMPLATE = Path(__file__).parent / "templates" / "gitlab-ci.yml"


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def classroom_grade(
    course: Course,
    path: Path,
    assignment_id: str,
    out: Path,
    *,
    allow_insecure: bool = False,
    say: Callable[[str], None] = print,
) -> int:
    """Grade ``path`` for one assignment; the last line said is ``Points X/Y``.

    Returns 0 when graded, 1 when the grader hit an internal fault (the Points line is
    still printed), 2 on bad usage (no secret, no such folder). A sandbox that cannot
    be isolated raises :class:`~autograder.errors.GraderError` (exit 3 from the CLI).
    """
    from autograder.engine.runner import RunOptions
    from autograder.gradebook import Gradebook, sqlite_url
    from autograder.grading import grade_batch, write_outputs
    from autograder.platforms.late import explain, parse_time
    from autograder.submissions import _clean_id
    from autograder.views import points_line

    assignment = course.assignment(assignment_id)
    if course.read_secret() is None:
        _err(
            f"error: no course secret: set ${course.secret_env} (in CI: an organisation "
            "or group secret) — the hidden inputs are seeded from it"
        )
        return 2
    path = Path(os.path.abspath(path))  # "." is named after the folder it is
    if not path.exists():
        _err(f"error: no submission at {path}")
        return 2
    sub_id = _clean_id(path.stem if path.is_file() else path.name)
    out.mkdir(parents=True, exist_ok=True)
    gradebook = Gradebook(sqlite_url(out / "gradebook.sqlite"))
    options = RunOptions(
        workers=1, allow_insecure=allow_insecure, extra_hide=(str(out.resolve()), str(path))
    )
    report = grade_batch(course, [path], [assignment], gradebook, options, regrade=True)
    write_outputs(course, report, out, class_report=False)
    result = next(r for r in report.results[assignment.id] if r.submission == sub_id)
    summary = report.summaries.get(assignment.id)

    say(f"{assignment.id}: {assignment.title} — submission {sub_id}")
    titles = {e.name: e.title for e in assignment.exercises}
    per = result.by_exercise()
    for e in assignment.exercises:
        checks = per.get(e.name, [])
        got = sum(c.points for c in checks)
        total = sum(c.max_points for c in checks) or e.points
        bad = [c.status for c in checks if c.status != "passed"]
        tally = ", ".join(f"{bad.count(s)} {s}" for s in ("failed", "error", "timeout") if s in bad)
        say(f"  {titles[e.name]:<34} {got:>6g} / {total:<6g} {tally}".rstrip())
        why = next((c.message for c in checks if c.status in ("error", "timeout")), "")
        if why.strip():  # why the code did not run is always the student's to see
            say(f"      {why.strip().splitlines()[0][:160]}")
    for w in result.warnings:
        say(f"note: {w}")
    note = explain(course.late_policy, parse_time(result.submitted_at), assignment.due)
    if note:
        say(note)
    faults = list(summary.grader_faults) if summary else []
    for f in faults:
        _err(f"GRADER FAULT: {f}")
    folder = out / assignment.id / "submissions" / sub_id
    say(f"feedback: {folder / 'feedback.md'}")
    say(points_line(result))
    return 1 if faults else 0
