"""Report speed: feedback (HTML + Markdown) and the class report for a synthetic class.

    .venv/bin/python benchmarks/report_speed.py [--n 200] [--runs 3] [--seed 0]

Builds ``--n`` synthetic results of assignment a1 (about 110 checks each; abilities
vary; failed and passed checks carry evidence as the checks attach it, the public case
with the same inputs for everyone and hidden cases with per-student inputs; one
submission times out everywhere, one crashes, one hits a grader fault...) and writes,
``--runs`` times into a fresh folder:

1. every submission's ``feedback.html`` and ``feedback.md`` (and again without pictures,
   ``max_plots=0``, to show what the pictures cost);
2. the class report (``class_report.html`` and ``class_report.csv``);
3. everything ``write_outputs`` writes (also ``grades.csv`` and ``results.json``), as
   ``autograder grade`` does.

Hidden checks' details and pictures are shown (after the due date: the most work).
Prints the median over runs of each, and milliseconds per submission. The picture
cache is emptied before every run, so each run draws its pictures from scratch.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.config import load_course  # noqa: E402
from autograder.grading import BatchReport, write_outputs  # noqa: E402
from autograder.views.class_report import (  # noqa: E402
    class_report_html,
    class_stats,
    write_pass_rates_csv,
)
from autograder.views.feedback import feedback_markdown  # noqa: E402
from autograder.views.feedback_html import MAX_PLOTS, _picture, feedback_html  # noqa: E402
from autograder.views.samples import EXERCISES, synthetic_results  # noqa: E402

TITLES = {name: title for name, (title, _) in EXERCISES.items()}
AFTER_DUE = datetime(2027, 1, 1, tzinfo=UTC)


def write_feedback(results, out: Path, max_plots: int = MAX_PLOTS) -> int:
    """Write every feedback page; returns the number of pictures on them."""
    pictures = 0
    for r in results:
        folder = out / r.submission
        folder.mkdir(parents=True, exist_ok=True)
        page = feedback_html(
            r, show_hidden=True, titles=TITLES, course_name="Optimisation", max_plots=max_plots
        )
        pictures += page.count("<img ")
        (folder / "feedback.html").write_text(page, encoding="utf-8")
        md = feedback_markdown(r, show_hidden=True, titles=TITLES)
        (folder / "feedback.md").write_text(md, encoding="utf-8")
    return pictures


def write_report(results, out: Path) -> None:
    stats = class_stats(results, exercises=list(EXERCISES), titles=TITLES)
    (out / "class_report.html").write_text(class_report_html(stats), encoding="utf-8")
    write_pass_rates_csv(stats, out / "class_report.csv")


def timed(fn, *args) -> tuple[float, object]:
    _picture.cache_clear()
    start = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - start, value


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=200, help="submissions (default 200)")
    p.add_argument("--runs", type=int, default=3, help="repetitions; the median is shown")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)

    results = synthetic_results(args.n, seed=args.seed)
    checks = sum(len(r.checks) for r in results)
    with_evidence = sum(
        bool(c.evidence) and c.status != "passed" for r in results for c in r.checks
    )
    print(
        f"{args.n} submissions, {checks / args.n:.0f} checks each, "
        f"{with_evidence / args.n:.1f} failed checks with evidence each"
    )
    course = load_course(ROOT / "course.yaml")
    feedback, text_only, report, everything = [], [], [], []
    pictures = 0
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="report-speed-") as tmp:
            out = Path(tmp)
            seconds, pictures = timed(write_feedback, results, out / "feedback")
            feedback.append(seconds)
            text_only.append(timed(write_feedback, results, out / "text", 0)[0])
            report.append(timed(write_report, results, out)[0])
            batch = BatchReport(results={"a1": results})
            everything.append(
                timed(lambda b=batch, o=out: write_outputs(course, b, o / "all", now=AFTER_DUE))[0]
            )
        print(
            f"  run {run + 1}: feedback {feedback[-1]:.2f} s (without pictures "
            f"{text_only[-1]:.2f} s), class report {report[-1]:.2f} s, "
            f"write_outputs {everything[-1]:.2f} s",
            flush=True,
        )
    n = args.n
    print(f"\nmedian of {args.runs} runs ({pictures} pictures drawn per run):")
    for label, values in (
        ("feedback (HTML + Markdown)", feedback),
        ("  the same without pictures", text_only),
        ("class report (HTML + CSV)", report),
        ("write_outputs (all files)", everything),
    ):
        med = statistics.median(values)
        print(f"  {label:<28} {med:7.2f} s   {1000 * med / n:7.1f} ms/submission")
    return 0


if __name__ == "__main__":
    sys.exit(main())
