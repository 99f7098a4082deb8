"""The ``nbgrader-course`` and ``nbgrader-grade`` commands (nbgrader / JupyterHub courses).

Kept apart from :mod:`autograder.cli`, which only registers them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["HANDLERS", "add_nbgrader_commands", "cmd_nbgrader_course", "cmd_nbgrader_grade"]


def add_nbgrader_commands(sub: Any) -> None:
    """Add the two commands to the ``autograder`` subparsers ``sub``."""
    n = sub.add_parser(
        "nbgrader-course",
        help="generate an nbgrader course folder (solution + grade cells)",
        description="Write nbgrader_config.py and source/<assignment>/<exercise>.ipynb: "
        "each function a solution cell holding the reference between ### BEGIN/END "
        "SOLUTION, then locked grade cells with the public checks' cases. Next: "
        "`nbgrader generate_assignment <assignment>` in that folder.",
    )
    n.add_argument("--out", type=Path, required=True, help="the nbgrader course folder")
    n.add_argument(
        "--assignment",
        action="append",
        default=None,
        help="assignment id (repeatable; default: every assignment)",
    )
    n.add_argument(
        "--exercise",
        action="append",
        default=None,
        help="only this exercise of the assignment(s) (repeatable)",
    )

    g = sub.add_parser(
        "nbgrader-grade",
        help="grade nbgrader submissions securely into nbgrader's gradebook",
        description="Grade every submitted/<student>/<assignment>/ notebook of an nbgrader "
        "course with the sandboxed engine and the hidden checks (instead of `nbgrader "
        "autograde`, which runs the tests in the student's kernel), store the results "
        "in the course gradebook and write them into nbgrader's gradebook as the "
        "auto scores of the grade cells.",
    )
    g.add_argument("course_dir", type=Path, help="the nbgrader course folder")
    g.add_argument("--assignment", required=True, help="assignment id, e.g. a1")
    g.add_argument(
        "--db", default=None, help="our gradebook URL (default: sqlite in the output folder)"
    )
    g.add_argument(
        "--nbgrader-db",
        default=None,
        help="nbgrader's gradebook URL (default: from nbgrader_config.py, else "
        "COURSE_DIR/gradebook.db)",
    )
    g.add_argument(
        "--out",
        type=Path,
        default=None,
        help="grades.csv, results.json and feedback (default: COURSE_DIR/autograder)",
    )
    g.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    g.add_argument("--regrade", action="store_true", help="grade unchanged submissions again")
    g.add_argument(
        "--allow-insecure",
        action="store_true",
        help="grade even where sandbox isolation is unavailable (trusted code only)",
    )
    g.add_argument(
        "--create-secret", action="store_true", help="create a course secret file if none exists"
    )
    g.add_argument("--no-reports", action="store_true", help="only fill the gradebooks")
    g.add_argument("--quiet", action="store_true", help="no progress bar")


def cmd_nbgrader_course(args: argparse.Namespace) -> int:
    from autograder.cli import EXIT_OK, _load
    from autograder.platforms.nbgrader_course import write_nbgrader_course

    course = _load(args)
    written = write_nbgrader_course(
        course, args.out, args.assignment, exercises=args.exercise, say=print
    )
    notebooks = [p for p in written if p.suffix == ".ipynb"]
    print(f"{len(notebooks)} source notebooks in {args.out / 'source'}/")
    print(
        f"next: cd {args.out} && nbgrader generate_assignment <assignment> "
        "(then release, collect, and `autograder nbgrader-grade`)"
    )
    return EXIT_OK


def cmd_nbgrader_grade(args: argparse.Namespace) -> int:
    from autograder.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, _db_url, _load, _Progress, _table
    from autograder.engine.runner import RunOptions
    from autograder.gradebook import Gradebook
    from autograder.grading import ensure_secret, write_outputs
    from autograder.platforms.nbgrader_grade import find_submissions, grade_nbgrader_course

    try:
        import nbgrader.api  # noqa: F401
    except ImportError:
        print(
            "error: nbgrader is not installed (pip install 'optdyn-course[nbgrader]')",
            file=sys.stderr,
        )
        return EXIT_USAGE
    course = _load(args)
    assignment = course.assignment(args.assignment)
    if not find_submissions(args.course_dir, assignment.id):
        print(f"no submissions in {args.course_dir}/submitted/*/{assignment.id}/", file=sys.stderr)
        return EXIT_USAGE
    ensure_secret(course, create=args.create_secret, say=lambda m: print(m, file=sys.stderr))
    out = args.out or args.course_dir / "autograder"
    gradebook = Gradebook(_db_url(args.db, out))
    options = RunOptions(
        workers=max(1, args.workers),
        allow_insecure=args.allow_insecure,
        extra_hide=(str(args.course_dir.resolve()), str(out.resolve())),
    )
    report = grade_nbgrader_course(
        course,
        args.course_dir,
        assignment.id,
        gradebook,
        options,
        nbgrader_db=args.nbgrader_db,
        regrade=args.regrade,
        progress=_Progress("grading", enabled=not args.quiet),
    )
    batch = report.batch
    summary = batch.summaries.get(assignment.id)
    faults = len(summary.grader_faults) if summary else 0
    if summary:
        for w in summary.warnings:
            print(f"WARNING: {w}", file=sys.stderr)
        for f in summary.grader_faults[:10]:
            print(f"GRADER FAULT: {f}", file=sys.stderr)
    print(f"\n{assignment.id}: {assignment.title}")
    _table([r for r in batch.results.get(assignment.id, []) if r.submission in report.scores])
    print(f"\nnbgrader gradebook {report.nbgrader_db}:")
    for student, (score, max_score) in sorted(report.scores.items()):
        print(f"  {student:<20} {score:>8g}/{max_score:g}")
    for student in report.missing:
        print(f"  {student:<20} no result found: not written", file=sys.stderr)
    for student in report.faulty:
        print(f"  {student:<20} grader fault: not written (regrade)", file=sys.stderr)
    if not args.no_reports and batch.results:
        written = write_outputs(course, batch, out)
        print(f"\nwrote {len(written)} files under {out}/ and the gradebook {gradebook.url}")
    return EXIT_FAILED if faults or report.missing or report.faulty else EXIT_OK


HANDLERS = {"nbgrader-course": cmd_nbgrader_course, "nbgrader-grade": cmd_nbgrader_grade}
