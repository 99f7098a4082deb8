"""Regenerate the README's pictures of the reports: docs/img/feedback.png, class_report.png.

    .venv/bin/python docs/make_screenshots.py [--out docs/img] [--n 60]

Everything shown is really graded (sandboxed, every hidden check): the feedback page is
that of ``bob`` from the sample class of ``examples/samples.yaml`` (partly right), the
class report that of ``--n`` generated full-course submissions (as in
``benchmarks/grading_throughput.py``: known-right, known-wrong and unimplemented files).
Outputs are written as after the due dates, when the feedback policy shows hidden
checks' messages and pictures. The pages are opened in headless Chromium (``apt-get
install chromium``) at 1000 px wide and the top of each is saved as an optimised PNG
(256 colours).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.config import Course, FeedbackPolicy, load_course  # noqa: E402
from autograder.engine.runner import RunOptions  # noqa: E402
from autograder.gradebook import Gradebook  # noqa: E402
from autograder.grading import BatchReport, grade_batch, write_outputs  # noqa: E402
from autograder.views.browser import DevTools, find_chromium  # noqa: E402

sys.path.insert(0, str(ROOT / "examples"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from build_samples import build  # noqa: E402
from grading_throughput import build_submissions  # noqa: E402

WIDTH = 1000


def optimise(png: Path) -> int:
    """Re-save ``png`` with an adaptive 256-colour palette; returns its size in bytes."""
    with Image.open(png) as img:
        small = img.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)
    return png.stat().st_size


def first_picture_top(dt: DevTools, page: Path) -> float:
    """Where the page's first picture starts (px from the top; huge if it has none)."""
    dt.open(page)
    top = dt.evaluate(
        "document.images.length ? document.images[0].getBoundingClientRect().top : 1e9"
    )
    return float(top)


def graded(course: Course, sources: list[Path], work: Path) -> BatchReport:
    """Grade ``sources`` for every assignment (sandboxed, two workers)."""
    book = Gradebook(f"sqlite:///{work / 'gradebook.sqlite'}")
    try:
        options = RunOptions(workers=2)
        return grade_batch(course, sources, course.assignments, book, options, regrade=True)
    finally:
        book.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    p.add_argument("--n", type=int, default=60, help="generated submissions for the report")
    p.add_argument("--assignment", default="a2", help="whose feedback page is shown (bob's)")
    args = p.parse_args(argv)
    if find_chromium() is None:
        print("needs Chromium: apt-get install chromium", file=sys.stderr)
        return 2
    os.environ.setdefault("AUTOGRADER_SECRET", "screenshots")
    course = load_course(ROOT / "course.yaml")
    course = dataclasses.replace(course, feedback=FeedbackPolicy(hidden_messages="after_due"))
    after_due = datetime(2027, 3, 1, tzinfo=UTC)  # after every due date
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        out = Path(tmp)
        samples = build(out / "samples")
        write_outputs(course, graded(course, samples, out), out / "samples-out", now=after_due)
        generated = build_submissions(args.n, out / "class", np.random.default_rng(3))
        write_outputs(
            course,
            graded(course, generated, out),
            out / "class-out",
            now=after_due,
            feedback=False,
        )
        bob = out / "samples-out" / args.assignment / "submissions" / "bob" / "feedback.html"
        shots = {
            "feedback.png": (bob, 1700),
            "class_report.png": (out / "class-out" / "a1" / "class_report.html", 1700),
        }
        with DevTools(width=WIDTH, height=1500) as dt:
            for name, (page, height) in shots.items():
                log = dt.open(page)
                if log.problems():
                    print(f"{page}: {log.problems()}", file=sys.stderr)
                    return 1
                # from the top, or from just above the first picture if it comes late
                top = max(0, int(first_picture_top(dt, page)) - height + 700)
                dt.screenshot(args.out / name, full_page=True)
                with Image.open(args.out / name) as img:
                    box = (0, min(top, max(0, img.height - height)), WIDTH, 0)
                    box = (0, box[1], WIDTH, min(box[1] + height, img.height))
                    img.crop(box).save(args.out / name)
                size = optimise(args.out / name)
                where = f"{page.relative_to(out)} from y = {box[1]}"
                print(f"{args.out / name}: {where}, {size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
