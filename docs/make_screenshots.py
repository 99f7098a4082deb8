"""Regenerate the README's pictures of the reports: docs/img/feedback.png, class_report.png.

    .venv/bin/python docs/make_screenshots.py [--out docs/img] [--n 40]

Writes the reports of a synthetic class (:mod:`autograder.views.samples`; the sample
class's hidden-check pictures stay withheld until the due dates, as the feedback policy
says, so they would show none) with
``write_outputs``, opens them in headless Chromium (``apt-get install chromium``) at
1000 px wide and saves the top of each page as an optimised PNG (256 colours).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.config import FeedbackPolicy, load_course  # noqa: E402
from autograder.grading import BatchReport, write_outputs  # noqa: E402
from autograder.views.browser import DevTools, find_chromium  # noqa: E402
from autograder.views.samples import synthetic_results  # noqa: E402

WIDTH = 1000


def optimise(png: Path) -> int:
    """Re-save ``png`` with an adaptive 256-colour palette; returns its size in bytes."""
    with Image.open(png) as img:
        small = img.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)
    return png.stat().st_size


def first_picture_top(dt: DevTools, page: Path) -> float:
    dt.open(page)
    top = dt.evaluate(
        "document.images.length ? document.images[0].getBoundingClientRect().top : 1e9"
    )
    return float(top)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    p.add_argument("--n", type=int, default=40, help="synthetic submissions")
    p.add_argument("--seed", type=int, default=11)
    args = p.parse_args(argv)
    if find_chromium() is None:
        print("needs Chromium: apt-get install chromium", file=sys.stderr)
        return 2
    course = load_course(ROOT / "course.yaml")
    course = dataclasses.replace(course, feedback=FeedbackPolicy(hidden_messages="after_due"))
    results = synthetic_results(args.n, seed=args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        out = Path(tmp)
        # before the due date: hidden checks' details are withheld, public ones pictured
        now = datetime(2026, 12, 1, tzinfo=UTC)
        write_outputs(course, BatchReport(results={"a1": results}), out, now=now)
        base = out / "a1"
        with DevTools(width=WIDTH, height=1500) as dt:
            # the student whose first picture comes earliest on the page (late, warned: #0)
            candidates = [base / "submissions" / r.submission / "feedback.html" for r in results]
            feedback = min(candidates[:12], key=lambda page: first_picture_top(dt, page))
            shots = {
                "feedback.png": (feedback, 1500),
                "class_report.png": (base / "class_report.html", 1700),
            }
            for name, (page, height) in shots.items():
                log = dt.open(page)
                if log.problems():
                    print(f"{page}: {log.problems()}", file=sys.stderr)
                    return 1
                dt.screenshot(args.out / name, full_page=True)
                with Image.open(args.out / name) as img:
                    img.crop((0, 0, WIDTH, min(height, img.height))).save(args.out / name)
                size = optimise(args.out / name)
                print(f"{args.out / name}: {page.relative_to(out)}, {size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
