"""Report speed: feedback and class reports for a graded class, against the grading itself.

    .venv/bin/python benchmarks/report_speed.py [--n 200] [--runs 3] [--workers 2]

1. Builds ``--n`` full-course submissions (as ``grading_throughput.py`` does: every
   exercise, a mix of known-right, known-wrong and unimplemented files) and grades them
   (all three assignments, every hidden check, sandboxed, ``--workers`` processes):
   the anchor, in seconds for the class.
2. Writes, ``--runs`` times into a fresh folder, from those real results (after the due
   date, so hidden checks' messages and pictures are shown: the most work):

   * every submission's ``feedback.html`` and ``feedback.md`` with one process per core
     (what ``autograder grade`` does), in one process, and without pictures;
   * the class reports (``class_report.html`` and ``.csv``);
   * everything ``write_outputs`` writes (also ``grades.csv`` and ``results.json``).

Prints the median over runs, milliseconds per submission and the ratio to grading time.
The picture cache is emptied before each run, so each run draws every picture afresh.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from grading_throughput import build_submissions, jobs_for  # noqa: E402

from autograder.config import load_course  # noqa: E402
from autograder.engine.runner import RunOptions, grade_parallel  # noqa: E402
from autograder.grading import BatchReport, write_outputs  # noqa: E402
from autograder.results import SubmissionResult  # noqa: E402
from autograder.views.class_report import (  # noqa: E402
    class_report_html,
    class_stats,
    write_pass_rates_csv,
)
from autograder.views.feedback_files import FeedbackPage, write_feedback_pages  # noqa: E402
from autograder.views.feedback_html import _picture  # noqa: E402

AFTER_DUE = datetime(2027, 1, 1, tzinfo=UTC)


def grade_class(n: int, workers: int, tmp: Path) -> tuple[float, dict[str, list[SubmissionResult]]]:
    course = load_course(ROOT / "course.yaml")
    folders = build_submissions(n, tmp / "subs", np.random.default_rng(0))
    results: dict[str, list[SubmissionResult]] = defaultdict(list)
    start = time.perf_counter()
    grade_parallel(
        course,
        None,
        jobs_for(course, folders),
        RunOptions(workers=workers),
        lambda r: results[r.assignment].append(r),
    )
    return time.perf_counter() - start, dict(results)


def pages_of(course: Any, results: dict[str, list[SubmissionResult]], out: Path) -> list:
    titles = {name: e.title for name, e in course.exercises.items()}
    return [
        FeedbackPage(r, out / a / r.submission, True, titles, course.assignment(a).title)
        for a, rs in results.items()
        for r in rs
    ]


def pictures_in(paths: list[Path]) -> int:
    return sum(p.read_text().count("<img ") for p in paths if p.suffix == ".html")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    _picture.cache_clear()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=200, help="submissions (default 200)")
    p.add_argument("--runs", type=int, default=3, help="repetitions; the median is shown")
    p.add_argument("--workers", type=int, default=2, help="grading workers (default 2)")
    args = p.parse_args(argv)
    os.environ.setdefault("AUTOGRADER_SECRET", "benchmark")
    course = load_course(ROOT / "course.yaml")
    cores = len(os.sched_getaffinity(0))

    with tempfile.TemporaryDirectory(prefix="report-speed-") as tmp:
        grading, results = grade_class(args.n, args.workers, Path(tmp))
    n = args.n
    failed = sum(c.status != "passed" for rs in results.values() for r in rs for c in r.checks)
    drawn = sum(
        bool(c.evidence) and c.status != "passed"
        for rs in results.values()
        for r in rs
        for c in r.checks
    )
    print(
        f"graded {n} full-course submissions ({sum(map(len, results.values()))} results over "
        f"{len(results)} assignments) with {args.workers} workers in {grading:.1f} s "
        f"({1000 * grading / n:.0f} ms/submission); per submission {failed / n:.1f} checks "
        f"not passed, {drawn / n:.1f} with evidence; {cores} cores"
    )
    timings: dict[str, list[float]] = defaultdict(list)
    pictures = 0
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="report-speed-") as tmp:
            out = Path(tmp)
            pages = pages_of(course, results, out / "pool")
            seconds, paths = timed(lambda pages=pages: write_feedback_pages(pages))
            timings["feedback, one process per core"].append(seconds)
            pictures = pictures_in(paths)
            pages = pages_of(course, results, out / "one")
            timings["feedback, one process"].append(
                timed(lambda pages=pages: write_feedback_pages(pages, workers=1))[0]
            )

            def text_only(out: Path = out) -> None:
                pages = pages_of(course, results, out / "text")
                write_feedback_pages([replace(pg, max_plots=0) for pg in pages], workers=1)

            timings["  the same without pictures"].append(timed(text_only)[0])

            def reports(out: Path = out) -> None:
                titles = {name: e.title for name, e in course.exercises.items()}
                for a, rs in results.items():
                    exercises = [e.name for e in course.assignment(a).exercises]
                    stats = class_stats(rs, exercises=exercises, titles=titles)
                    (out / f"{a}_report.html").write_text(class_report_html(stats))
                    write_pass_rates_csv(stats, out / f"{a}_report.csv")

            timings["class reports (HTML + CSV)"].append(timed(reports)[0])
            batch = BatchReport(results=results)
            timings["write_outputs (all files)"].append(
                timed(lambda b=batch, o=out: write_outputs(course, b, o / "all", now=AFTER_DUE))[0]
            )
        print(
            f"  run {run + 1}: "
            + ", ".join(f"{k.strip()} {v[-1]:.2f} s" for k, v in timings.items()),
            flush=True,
        )
    print(f"\nmedian of {args.runs} runs ({pictures} pictures on {n} × {len(results)} pages):")
    print(f"  {'grading (the anchor)':<34} {grading:7.2f} s   {1000 * grading / n:7.1f} ms/sub")
    for label, values in timings.items():
        med = statistics.median(values)
        print(
            f"  {label:<34} {med:7.2f} s   {1000 * med / n:7.1f} ms/sub   "
            f"{100 * med / grading:5.1f} % of grading"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
