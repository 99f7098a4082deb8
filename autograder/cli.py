"""The ``autograder`` command line.

Commands
--------
``check``     a student runs the public checks on their working copy
``grade``     an instructor grades one submission or a folder of them
``export``    write grades from the gradebook as CSV, Gradescope JSON or Points lines,
              or build the Gradescope autograder zip (``export gradescope-zip``)
``validate``  prove the checks: reference full marks, stubs zero, fixtures as expected
``release``   build the student bundle (stubs, notebooks, public checks, ``check``)
``classroom-grade``  grade one CI checkout, ending with ``Points X/Y`` (GitHub Classroom)

Exit codes
----------
0 success (for ``check``: every public check passed) · 1 some checks failed (``check``)
or the grader hit internal faults (``grade``) · 2 bad usage or a bad ``course.yaml`` ·
3 refused to grade without sandbox isolation · 4 ``validate`` found a problem.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INSECURE, EXIT_INVALID = 0, 1, 2, 3, 4


def _default_course() -> Path:
    env = os.environ.get("AUTOGRADER_COURSE")
    if env:
        return Path(env)
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "course.yaml").is_file():
            return folder / "course.yaml"
    return Path(__file__).resolve().parent.parent / "course.yaml"


class _Progress:
    """A one-line progress bar on a terminal, a line per 10 % elsewhere."""

    def __init__(self, label: str, enabled: bool = True) -> None:
        self.label, self.enabled = label, enabled
        self.tty = sys.stderr.isatty()
        self.start = time.monotonic()
        self.last_decile = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        rate = done / max(time.monotonic() - self.start, 1e-9)
        if self.tty:
            width = 30
            filled = int(width * done / total)
            sys.stderr.write(
                f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                f"{done}/{total}  {rate:5.1f}/s"
            )
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()
        else:
            decile = 10 * done // total
            if decile != self.last_decile:
                self.last_decile = decile
                print(f"{self.label}: {done}/{total} ({rate:.1f}/s)", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="autograder",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("Exit codes", 1)[1].strip("\n -"),
    )
    p.add_argument(
        "--course",
        type=Path,
        default=None,
        help="course.yaml to use (default: found upwards from here)",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser(
        "check",
        help="run the public checks on your work",
        description="Run the public checks of one exercise (or all) on the "
        "files in your working folder and explain what is wrong.",
    )
    c.add_argument("exercise", nargs="*", help="exercise name(s), e.g. gd_1d (default: all)")
    c.add_argument(
        "--path",
        type=Path,
        default=Path("."),
        help="folder with your exercise files (default: the current folder)",
    )

    g = sub.add_parser(
        "grade",
        help="grade submissions into the gradebook",
        description="Grade one submission (a folder, .zip or .ipynb) or a "
        "folder of submissions, store results in the gradebook and write "
        "grades.csv, results.json, feedback (Markdown and HTML with plots) for each and "
        "a class report (HTML and CSV) per assignment.",
    )
    g.add_argument("submissions", type=Path, help="a submission or a folder of submissions")
    g.add_argument(
        "--assignment",
        action="append",
        default=None,
        help="assignment id (repeatable; default: every assignment)",
    )
    g.add_argument("--out", type=Path, default=Path("build/grades"), help="output folder")
    g.add_argument(
        "--db", default=None, help="gradebook database URL (default: sqlite in the output folder)"
    )
    g.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 2,
        help="parallel workers (default: number of CPUs)",
    )
    g.add_argument(
        "--regrade",
        action="store_true",
        help="grade again even if the gradebook has this exact submission",
    )
    g.add_argument(
        "--allow-insecure",
        action="store_true",
        help="grade even where sandbox isolation is unavailable (trusted code only)",
    )
    g.add_argument(
        "--create-secret", action="store_true", help="create a course secret file if none exists"
    )
    g.add_argument("--no-reports", action="store_true", help="only fill the gradebook")
    g.add_argument(
        "--no-feedback",
        action="store_true",
        help="no per-student feedback.md/feedback.html (grades.csv, results.json and the "
        "class report are still written)",
    )
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    # -- platforms: roster (see autograder/roster.py) --
    g.add_argument(
        "--roster",
        type=Path,
        default=None,
        help="roster CSV (student_id,name,email,submission): students in grades.csv, "
        "missing and unknown submissions reported",
    )

    e = sub.add_parser(
        "export",
        help="export grades from the gradebook",
        description="Write the stored grades of an assignment.",
    )
    e.add_argument("format", choices=["csv", "gradescope", "classroom", "gradescope-zip"])
    e.add_argument(
        "--assignment",
        default=None,
        help="assignment id (required, except for gradescope-zip: default any assignment)",
    )
    # -- platforms: gradescope-zip builds the autograder zip (autograder/platforms/) --
    e.add_argument(
        "--allow-insecure",
        action="store_true",
        help="gradescope-zip: let run_autograder grade without sandbox isolation",
    )
    e.add_argument("--db", default=None, help="gradebook URL (default: build/grades sqlite)")
    e.add_argument("--out", type=Path, default=Path("build/grades"))
    e.add_argument("--submission", default=None, help="only this submission")

    # -- platforms: GitHub Classroom / CI (autograder/platforms/classroom.py) --
    cg = sub.add_parser(
        "classroom-grade",
        help="grade one checkout in CI; the last line is 'Points X/Y'",
        description="Grade one submission (a CI checkout) for one assignment, write "
        "results.json and feedback under --out and end with the 'Points X/Y' line that "
        "GitHub Classroom reads.",
    )
    cg.add_argument("path", type=Path, help="the submission (e.g. the student's checkout)")
    cg.add_argument("--assignment", required=True)
    cg.add_argument("--out", type=Path, default=Path("results"), help="output folder")
    cg.add_argument(
        "--allow-insecure",
        action="store_true",
        help="grade even where sandbox isolation is unavailable (trusted code only)",
    )

    r = sub.add_parser(
        "release",
        help="build the student bundle",
        description="Write the self-contained bundle students receive: stubs, "
        "notebooks, public checks and the check command; audited to contain no "
        "reference code, hidden check or secret.",
    )
    r.add_argument("--out", type=Path, default=Path("build/student"), help="bundle folder")

    v = sub.add_parser(
        "validate",
        help="prove the checks against reference, stubs, fixtures",
        description="Grade the reference (must get full marks), the stubs "
        "(must get zero) and every known-wrong and known-right fixture.",
    )
    v.add_argument("exercise", nargs="*", help="exercise name(s) (default: all)")
    v.add_argument(
        "--fixtures",
        type=Path,
        default=None,
        help="fixtures folder (default: tests/fixtures next to course.yaml)",
    )
    v.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    # --- nbgrader / JupyterHub (autograder/platforms/nbgrader_cli.py) ---
    from autograder.platforms.nbgrader_cli import add_nbgrader_commands

    add_nbgrader_commands(sub)
    return p


def _load(args: argparse.Namespace):
    from autograder.config import load_course

    return load_course(args.course or _default_course())


def _db_url(db: str | None, out: Path) -> str:
    from autograder.gradebook import sqlite_url

    if db:
        return db
    out.mkdir(parents=True, exist_ok=True)
    return sqlite_url(out / "gradebook.sqlite")


def cmd_grade(args: argparse.Namespace) -> int:
    from autograder.engine.runner import RunOptions
    from autograder.gradebook import Gradebook
    from autograder.grading import ensure_secret, grade_batch, write_outputs
    from autograder.submissions import discover

    course = _load(args)
    assignments = (
        [course.assignment(a) for a in args.assignment]
        if args.assignment
        else list(course.assignments)
    )
    ensure_secret(course, create=args.create_secret, say=lambda m: print(m, file=sys.stderr))
    roster = None
    if args.roster is not None:  # platforms: roster
        from autograder.roster import load_roster

        roster = load_roster(args.roster)
    names = [e.name for a in assignments for e in a.exercises]
    sources = discover(args.submissions, names)
    if not sources:
        print(f"no submissions found in {args.submissions}", file=sys.stderr)
        return EXIT_USAGE
    gradebook = Gradebook(_db_url(args.db, args.out))
    options = RunOptions(
        workers=max(1, args.workers),
        allow_insecure=args.allow_insecure,
        extra_hide=(str(args.out.resolve()), str(args.submissions.resolve())),
    )
    report = grade_batch(
        course,
        sources,
        assignments,
        gradebook,
        options,
        regrade=args.regrade,
        progress=_Progress("grading", enabled=not args.quiet),
        roster=roster,
    )
    faults = 0
    reported: set[int] = set()
    for a in assignments:
        summary = report.summaries.get(a.id)
        results = report.results.get(a.id, [])
        skipped = report.skipped.get(a.id, [])
        print(
            f"\n{a.id}: {a.title}  ({len(results)} in gradebook, "
            f"{len(results) - len(skipped)} graded now, {len(skipped)} unchanged)"
        )
        _table(results)
        if summary and id(summary) not in reported:
            reported.add(id(summary))
            for w in summary.warnings:
                print(f"WARNING: {w}", file=sys.stderr)
            faults += len(summary.grader_faults)
            for f in summary.grader_faults[:10]:
                print(f"GRADER FAULT: {f}", file=sys.stderr)
        if roster is not None:  # platforms: roster
            for line in roster.match(r.submission for r in results).problems():
                print(f"ROSTER: {line}", file=sys.stderr)
    if not args.no_reports:
        written = write_outputs(course, report, args.out, feedback=not args.no_feedback)
        print(f"\nwrote {len(written)} files under {args.out}/ and the gradebook {gradebook.url}")
    graded = sum(len(r) for r in report.results.values())
    print(f"{graded} submission-assignments in {report.seconds:.1f} s")
    return EXIT_FAILED if faults else EXIT_OK


def _table(results: Sequence) -> None:
    if not results:
        return
    width = max(10, *(len(r.submission) for r in results))
    print(f"  {'submission':<{width}}  {'score':>13}  passed failed errors timeouts")
    rows = results if len(results) <= 60 else results[:60]
    for r in rows:
        s = [c.status for c in r.checks]
        late = "" if r.late_multiplier == 1.0 else f"  late ×{r.late_multiplier:g}"
        print(
            f"  {r.submission:<{width}}  {r.score:>6g}/{r.max_score:<6g}  "
            f"{s.count('passed'):>6} {s.count('failed'):>6} {s.count('error'):>6} "
            f"{s.count('timeout'):>8}{late}"
        )
    if len(results) > 60:
        scores = sorted(r.score for r in results)
        print(f"  ... {len(results) - 60} more; median score {scores[len(scores) // 2]:g}")


def cmd_export(args: argparse.Namespace) -> int:
    import json

    from autograder.gradebook import Gradebook
    from autograder.views import gradescope_results, points_line, write_csv
    from autograder.views.gradescope import HIDDEN_VISIBILITY

    course = _load(args)
    if args.format == "gradescope-zip":  # platforms: the Gradescope autograder zip
        from autograder.platforms.gradescope import export_zip_command

        return export_zip_command(course, args)
    if args.assignment is None:
        print(f"error: export {args.format} needs --assignment", file=sys.stderr)
        return EXIT_USAGE
    assignment = course.assignment(args.assignment)
    gb = Gradebook(_db_url(args.db, args.out))
    results = gb.results(assignment.id, args.submission)
    if not results:
        print(f"no grades stored for {assignment.id}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "csv":
        path = write_csv(
            results, args.out / assignment.id / "grades.csv", [e.name for e in assignment.exercises]
        )
        print(path)
    elif args.format == "classroom":
        for r in results:
            print(points_line(r) if args.submission else f"{r.submission}: {points_line(r)}")
    else:
        vis = HIDDEN_VISIBILITY[course.feedback.hidden_messages]
        for r in results:
            path = args.out / assignment.id / "submissions" / r.submission / "results.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(gradescope_results(r, hidden_visibility=vis), indent=2))
            print(path)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from autograder.student_check import run_check

    return run_check(_load(args), args.exercise, args.path)


def cmd_release(args: argparse.Namespace) -> int:
    try:
        from autograder.release import audit_release, build_release
    except ImportError:
        print(
            "error: release is an instructor command (not in the student bundle)", file=sys.stderr
        )
        return EXIT_USAGE

    course = _load(args)
    bundle = build_release(course, args.out)
    problems = audit_release(bundle, course)
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if problems:
        return EXIT_INVALID
    print(f"student bundle written to {bundle}/ ({sum(1 for _ in bundle.rglob('*'))} files)")
    return EXIT_OK


def cmd_classroom_grade(args: argparse.Namespace) -> int:
    """platforms: grade one CI checkout; the last line printed is ``Points X/Y``."""
    from autograder.platforms.classroom import classroom_grade

    return classroom_grade(
        _load(args), args.path, args.assignment, args.out, allow_insecure=args.allow_insecure
    )


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        from autograder.validate import run_validate
    except ImportError:
        print(
            "error: validate is an instructor command (not in the student bundle)", file=sys.stderr
        )
        return EXIT_USAGE

    course = _load(args)
    fixtures = args.fixtures or course.root / "tests" / "fixtures"
    return EXIT_OK if run_validate(course, args.exercise, fixtures, args.workers) else EXIT_INVALID


# --- nbgrader / JupyterHub (autograder/platforms/nbgrader_cli.py) ---
def _nbgrader_handlers() -> dict:
    try:
        from autograder.platforms.nbgrader_cli import HANDLERS
    except ImportError:  # the student bundle
        return {}
    return dict(HANDLERS)


def main(argv: Sequence[str] | None = None) -> int:
    from autograder.errors import ConfigError, GraderError

    args = _parser().parse_args(argv)
    handler = {
        "grade": cmd_grade,
        "export": cmd_export,
        "check": cmd_check,
        "validate": cmd_validate,
        "release": cmd_release,
        "classroom-grade": cmd_classroom_grade,
        # --- nbgrader / JupyterHub (autograder/platforms/nbgrader_cli.py) ---
        **_nbgrader_handlers(),
    }[args.command]
    try:
        return handler(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except GraderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INSECURE if "Refusing to grade" in str(exc) else EXIT_FAILED
    except (FileNotFoundError, KeyError) as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
