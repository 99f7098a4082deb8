"""The class report's numbers, checked on a class whose answers are known by hand."""

from __future__ import annotations

import csv

import pytest

from autograder.views.class_report import (
    CSV_COLUMNS,
    class_report_html,
    class_stats,
    slow_threshold,
    write_pass_rates_csv,
)

from .helpers import HOSTILE, assert_safe, check, submission

# (status of s1, s2, z1) per student; s1 and s2 are gd_1d checks worth 1 and 2, z1 zigzag's.
CLASS = {
    "ann": (("passed", "passed", "passed"), 1.0),
    "bob": (("failed", "passed", "failed"), 1.1),
    "cat": (("timeout", "timeout", "timeout"), 30.0),
    "dan": (("fault", "passed", "passed"), 1.2),
    "eve": (("error", "failed", "skipped"), 0.9),
}


def build_class():
    results = []
    for name, (statuses, seconds) in CLASS.items():
        checks = []
        for (exercise, key, points, duration), status in zip(
            [("gd_1d", "s1", 1.0, 0.1), ("gd_1d", "s2", 2.0, 0.2), ("zigzag", "z1", 1.0, 0.3)],
            statuses,
            strict=True,
        ):
            fault = status == "fault"
            status = "error" if fault else status
            checks.append(
                check(
                    submission=name,
                    exercise=exercise,
                    check=key,
                    title=f"check {key}",
                    status=status,
                    points=points if status == "passed" else 0.0,
                    max_points=points,
                    duration=10.0 if status == "timeout" else duration,
                    grader_fault=fault,
                    visibility="hidden" if key == "s2" else "public",
                )
            )
        results.append(submission(checks, details={"seconds": seconds}))
    return results


@pytest.fixture(scope="module")
def stats():
    return class_stats(build_class(), exercises=["gd_1d", "zigzag"], titles={"gd_1d": "1D"})


def test_pass_rates_lowest_first(stats):
    rows = [(s.check, s.pass_rate, s.ran, dict(s.counts), s.grader_faults) for s in stats.checks]
    assert rows == [
        ("s1", 0.2, 5, {"passed": 1, "failed": 1, "error": 2, "timeout": 1, "skipped": 0}, 1),
        ("z1", 0.5, 4, {"passed": 2, "failed": 1, "error": 0, "timeout": 1, "skipped": 1}, 0),
        ("s2", 0.6, 5, {"passed": 3, "failed": 1, "error": 0, "timeout": 1, "skipped": 0}, 0),
    ]
    s2 = stats.checks[2]
    assert s2.mean_points == pytest.approx(1.2) and s2.max_points == 2.0
    assert s2.median_seconds == pytest.approx(0.2) and s2.visibility == "hidden"


def test_scores_and_totals(stats):
    assert stats.assignment == "a1" and stats.n == 5
    assert stats.scores == (4.0, 2.0, 0.0, 3.0, 0.0) and stats.max_score == 4.0
    assert dict(stats.totals) == {
        "passed": 6,
        "failed": 3,
        "error": 1,  # eve's; dan's error is the grader's fault, counted apart
        "timeout": 3,
        "skipped": 1,
        "grader_faults": 1,
    }


def test_exercises(stats):
    gd, zz = stats.exercises
    assert (gd.exercise, gd.title, zz.title) == ("gd_1d", "1D", "zigzag")
    assert (gd.max_points, gd.mean_points, gd.full_marks) == (3.0, 1.4, 1)
    assert (zz.max_points, zz.mean_points, zz.full_marks) == (1.0, 0.4, 2)
    assert gd.seconds == (0.3, 0.3, 20.0, 0.3, 0.3) and gd.median_seconds == pytest.approx(0.3)
    assert gd.median_check_seconds == pytest.approx(0.2)
    assert (gd.timeouts, gd.errors, gd.grader_faults) == (2, 1, 1)
    assert (zz.timeouts, zz.errors, zz.grader_faults) == (1, 0, 0)


def test_submissions_that_stand_out(stats):
    assert stats.submission_seconds == (1.0, 1.1, 30.0, 1.2, 0.9)
    assert slow_threshold(stats.submission_seconds) == pytest.approx(2.2)
    got = [(s.submission, s.reasons) for s in stats.standouts]
    assert got == [
        ("dan", ("grader faults on 1 check (check s1)",)),
        ("cat", ("every check timed out", "zero score", "slow: 30 s (median 1.1 s)")),
        ("eve", ("zero score",)),
    ]


def test_no_checks_and_no_timing():
    empty = submission([], submission="fay")
    stats = class_stats([empty])
    assert [(s.submission, s.reasons) for s in stats.standouts] == [("fay", ("no check ran",))]
    assert stats.submission_seconds == () and stats.checks == ()
    assert_safe(class_report_html(stats))
    page = class_report_html(class_stats([]))
    assert "No submission graded yet" in assert_safe(page).all_text


def test_csv(stats, tmp_path):
    path = write_pass_rates_csv(stats, tmp_path / "class_report.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["check"], r["pass_rate"], r["ran"], r["grader_faults"]) for r in rows] == [
        ("s1", "0.2", "5", "1"),
        ("z1", "0.5", "4", "0"),
        ("s2", "0.6", "5", "0"),
    ]
    assert rows[1]["skipped"] == "1" and rows[2]["mean_points"] == "1.2"


def test_html_shows_the_numbers(stats):
    page = class_report_html(stats, assignment_title="GD", course_name="Optimisation Dynamics")
    doc = assert_safe(page)
    text = doc.all_text
    assert "Class report — a1" in text and "Optimisation Dynamics · GD" in text
    assert len(doc.named("img")) == 3  # histogram, pass rates, timing
    # table order: lowest pass rate first
    assert text.index("check s1") < text.index("check z1") < text.index("check s2")
    for shown in ("20%", "50%", "60%", "grader faults on 1 check", "every check timed out"):
        assert shown in text
    links = [a["href"] for a in doc.named("a")]
    assert links == [f"submissions/{n}/feedback.html" for n in ("dan", "cat", "eve")]
    cards = text[: text.index("Submissions that stand out")]
    for number, label in [
        ("5", "submissions"),
        ("1.8", "mean score"),
        ("2", "median score"),
        ("1", "full marks"),
        ("3", "check timeouts"),
        ("1", "grader faults"),
    ]:
        assert f"{number}{label}" in cards.replace(" / 4", ""), label


def test_hostile_titles_and_ids_are_escaped():
    c = check(submission="x y" + HOSTILE, title=HOSTILE, status="failed", message=HOSTILE)
    page = class_report_html(class_stats([submission([c], details={"seconds": 1.0})]))
    doc = assert_safe(page)
    assert "<script" not in page
    assert HOSTILE in doc.all_text
    (href,) = [a["href"] for a in doc.named("a")]
    assert href.startswith("submissions/x%20y%3Cscript%3E") and "<" not in href
