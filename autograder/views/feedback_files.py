"""Writing every submission's feedback files, on all cores when there are many.

Feedback pages are independent of each other and their pictures are most of the
cost (matplotlib's Agg canvas, one core per process), so a class is split into
contiguous chunks written by a pool of fresh processes (``spawn``: nothing of the
grader's state, e.g. torch's threads, is inherited). A small batch, or ``workers=1``,
is written in this process.

>>> import tempfile
>>> from pathlib import Path
>>> from autograder.results import CheckResult, SubmissionResult
>>> check = CheckResult("s1", "a1", "gd_1d", "test_step", "One step", "passed", 1, 1, "", 1, 0.0)
>>> folder = Path(tempfile.mkdtemp())
>>> page = FeedbackPage(SubmissionResult("s1", "a1", (check,), 1), folder, show_hidden=False)
>>> [p.name for p in write_feedback_pages([page])]
['feedback.md', 'feedback.html']
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from autograder.results import SubmissionResult
from autograder.views.feedback import feedback_markdown
from autograder.views.feedback_html import MAX_PLOTS, feedback_html

__all__ = ["PAGES_PER_PROCESS", "FeedbackPage", "feedback_workers", "write_feedback_pages"]

PAGES_PER_PROCESS = 40
"""Below this many pages per extra process, starting it (~1 s) costs more than it saves."""


@dataclass(frozen=True)
class FeedbackPage:
    """One submission's feedback: its result, its folder and what it may show."""

    result: SubmissionResult
    folder: Path
    show_hidden: bool
    titles: Mapping[str, str] = field(default_factory=dict)
    assignment_title: str = ""
    course_name: str = ""
    max_plots: int = MAX_PLOTS


def _write_one(page: FeedbackPage) -> list[Path]:
    """``feedback.md`` and ``feedback.html`` of one submission."""
    titles = dict(page.titles)
    md = feedback_markdown(page.result, show_hidden=page.show_hidden, titles=titles)
    html = feedback_html(
        page.result,
        show_hidden=page.show_hidden,
        titles=titles,
        assignment_title=page.assignment_title,
        course_name=page.course_name,
        max_plots=page.max_plots,
    )
    page.folder.mkdir(parents=True, exist_ok=True)
    paths = (page.folder / "feedback.md", page.folder / "feedback.html")
    paths[0].write_text(md, encoding="utf-8")
    paths[1].write_text(html, encoding="utf-8")
    return list(paths)


def _write_chunk(pages: Sequence[FeedbackPage]) -> list[Path]:
    return [path for page in pages for path in _write_one(page)]


def feedback_workers(pages: int, cpus: int | None = None) -> int:
    """How many processes write ``pages`` pages: one per core, each with enough pages.

    >>> feedback_workers(10, 8), feedback_workers(200, 2), feedback_workers(200, 8)
    (1, 2, 5)
    """
    cpus = cpus if cpus is not None else len(os.sched_getaffinity(0))
    return max(1, min(cpus, pages // PAGES_PER_PROCESS))


def write_feedback_pages(pages: Sequence[FeedbackPage], workers: int | None = None) -> list[Path]:
    """Write every page (Markdown and HTML); the paths written, in the order of ``pages``."""
    n = feedback_workers(len(pages)) if workers is None else max(1, workers)
    if n == 1 or len(pages) < 2:
        return _write_chunk(pages)
    size = -(-len(pages) // n)
    chunks = [pages[i : i + size] for i in range(0, len(pages), size)]
    with ProcessPoolExecutor(len(chunks), mp_context=mp.get_context("spawn")) as pool:
        return [path for paths in pool.map(_write_chunk, chunks) for path in paths]
