"""``write_outputs`` writes feedback (Markdown and HTML) and the class report by default."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from autograder.cli import _parser
from autograder.config import FeedbackPolicy, load_course
from autograder.grading import BatchReport, write_outputs

from .helpers import assert_safe, check, submission, zigzag_evidence

ROOT = Path(__file__).resolve().parents[2]
BEFORE_DUE = datetime(2026, 12, 1, tzinfo=UTC)
AFTER_DUE = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def course():
    c = load_course(ROOT / "course.yaml")
    return dataclasses.replace(c, feedback=FeedbackPolicy(hidden_messages="after_due"))


def batch() -> BatchReport:
    results = []
    for name, status in (("ann", "passed"), ("bob", "failed")):
        checks = [
            check(
                submission=name,
                exercise="zigzag",
                check="pub",
                status=status,
                message="public why",
                evidence=zigzag_evidence(),
            ),
            check(
                submission=name,
                exercise="gd_1d",
                check="hid",
                status=status,
                visibility="hidden",
                message="HIDDEN-WHY",
            ),
        ]
        results.append(submission(checks, details={"seconds": 0.5}))
    return BatchReport(results={"a1": results})


def test_everything_is_written(course, tmp_path):
    written = write_outputs(course, batch(), tmp_path, now=BEFORE_DUE)
    base = tmp_path / "a1"
    expected = {
        base / "grades.csv",
        base / "class_report.html",
        base / "class_report.csv",
        *(
            base / "submissions" / n / f
            for n in ("ann", "bob")
            for f in ("results.json", "feedback.md", "feedback.html")
        ),
    }
    assert set(written) == expected and all(p.stat().st_size > 0 for p in written)
    bob = (base / "submissions" / "bob" / "feedback.html").read_text(encoding="utf-8")
    text = assert_safe(bob).all_text
    assert "public why" in text and "HIDDEN-WHY" not in text  # before the due date
    assert "data:image/png;base64," in bob
    assert "2D zigzag" in text and "Optimisation Dynamics" in text  # titles from course.yaml
    report = (base / "class_report.html").read_text(encoding="utf-8")
    assert "Gradient descent as a dynamical system" in assert_safe(report).all_text


def test_after_the_due_date_hidden_messages_are_shown(course, tmp_path):
    write_outputs(course, batch(), tmp_path, now=AFTER_DUE)
    for name in ("feedback.html", "feedback.md"):
        assert "HIDDEN-WHY" in (tmp_path / "a1" / "submissions" / "bob" / name).read_text()


def test_feedback_and_class_report_can_be_left_out(course, tmp_path):
    written = write_outputs(course, batch(), tmp_path, feedback=False, class_report=False)
    names = sorted(p.name for p in written)
    assert names == ["grades.csv", "results.json", "results.json"]
    assert not list(tmp_path.rglob("feedback.*")) and not list(tmp_path.rglob("class_report*"))


def test_grade_accepts_no_feedback():
    args = _parser().parse_args(["grade", "subs", "--no-feedback"])
    assert args.no_feedback and not args.no_reports


def test_feedback_pages_written_by_a_pool_are_the_same_files(tmp_path):
    from autograder.views.feedback_files import FeedbackPage, write_feedback_pages
    from autograder.views.samples import synthetic_results

    results = synthetic_results(6, seed=3)
    written = {}
    for workers in (1, 2):
        pages = [FeedbackPage(r, tmp_path / str(workers) / r.submission, True) for r in results]
        paths = write_feedback_pages(pages, workers=workers)
        assert [p.parent.name for p in paths[::2]] == [r.submission for r in results]
        written[workers] = [p.read_bytes() for p in paths]
    assert written[1] == written[2]
    assert any(b"<img " in page for page in written[2])
