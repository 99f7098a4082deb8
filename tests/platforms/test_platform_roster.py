"""Rosters: matching submissions to students, and who is missing or unknown."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest

from autograder.errors import ConfigError
from autograder.results import CheckResult, SubmissionResult
from autograder.roster import Roster, Student, load_roster, write_roster_csv

ROSTER = """\ufeffStudent_ID,Name,Email,Submission,Section
s1,Ann Lee,ann@uni.edu,ann,A
s2,Bob Ray,bob@uni.edu,bobgh,B

s3,Cy Dow,cy@uni.edu,,A
s4,Di Fox,di@uni.edu,x-bobgh,B
"""


@pytest.fixture
def roster(tmp_path) -> Roster:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return load_roster(path)


def test_load_reads_excel_csv_headers_in_any_case(roster):
    assert [s.student_id for s in roster.students] == ["s1", "s2", "s3", "s4"]
    assert roster.students[0] == Student("s1", "Ann Lee", "ann@uni.edu", "ann")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("student_id,name,email\ns1,A,a@x\n", "submission missing"),
        ("student_id,name,email,submission\ns1,A,a@x,a\ns1,B,b@x,b\n", "unique student id"),
        ("student_id,name,email,submission\n,A,a@x,a\n", "a student id"),
    ],
)
def test_bad_rosters_name_the_file_and_the_problem(tmp_path, text, match):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ConfigError, match=match) as info:
        load_roster(path)
    assert "bad.csv" in str(info.value)


def test_matching_by_folder_id_email_and_classroom_repository(roster):
    m = roster.match(["ANN", "s3", "a1-bobgh", "a1-x-bobgh", "zed"])
    assert {k: s.student_id for k, s in m.by_submission.items()} == {
        "ANN": "s1",  # the submission column, ignoring case
        "s3": "s3",  # the student id itself
        "a1-bobgh": "s2",  # GitHub Classroom's <assignment>-<username>
        "a1-x-bobgh": "s4",  # the longest username that fits wins
    }
    assert m.unknown == ["zed"] and m.missing == []
    assert roster.match(["di@uni.edu"]).by_submission["di@uni.edu"].student_id == "s4"


def test_missing_duplicate_and_ambiguous_are_reported(roster, tmp_path):
    m = roster.match(["ann", "s1", "zed"])
    assert [s.student_id for s in m.missing] == ["s2", "s3", "s4"]
    assert m.duplicates == {"s1": ["ann", "s1"]}
    problems = m.problems()
    assert "submission 'zed' is not on the roster" in problems
    assert "student s1 has several submissions: ann, s1" in problems
    assert "student s2 (Bob Ray) has no submission" in problems
    clash = Roster((Student("a", "", "", "kim"), Student("b", "", "", "kim")))
    m2 = clash.match(["kim"])
    assert m2.unknown == ["kim"] and m2.ambiguous == {"kim": ["a", "b"]}
    assert "matches several students (a, b)" in m2.problems()[0]


def _result(sub: str, points: float) -> SubmissionResult:
    c = CheckResult(sub, "t1", "eigen", "test_x", "X", "passed", points, 15.0, "", 1, 0.1)
    return SubmissionResult(sub, "t1", (c,), seed=1)


def test_grades_csv_carries_students_and_a_zero_row_for_each_missing(roster, tmp_path):
    results = [_result("ann", 15.0), _result("zed", 7.0)]
    path, match = write_roster_csv(
        results, roster, tmp_path / "grades.csv", ["eigen"], assignment="t1", max_score=15.0
    )
    rows = list(csv.DictReader(path.open()))
    by = {(r["student_id"], r["submission"]): r for r in rows}
    ann = by[("s1", "ann")]
    assert ann["status"] == "graded" and ann["name"] == "Ann Lee" and float(ann["score"]) == 15
    assert by[("", "zed")]["status"] == "not on roster" and float(by[("", "zed")]["score"]) == 7
    missing = [r for r in rows if r["status"] == "missing"]
    assert [r["student_id"] for r in missing] == ["s2", "s3", "s4"]
    for r in missing:
        assert float(r["score"]) == 0 and float(r["max_score"]) == 15 and r["eigen"] == "0"
        assert r["assignment"] == "t1" and r["submission"] == ""
    assert [s.student_id for s in match.missing] == ["s2", "s3", "s4"]
    assert roster.stamp(results[0]).details["student"]["student_id"] == "s1"
    assert roster.stamp(results[1]) is results[1]


def test_grade_with_roster_end_to_end(tmp_path, small_course, eigen_right):
    """``autograder grade --roster``: ids in grades.csv and results.json, reports."""
    subs = tmp_path / "subs"
    for name in ("ann", "zed"):
        (subs / name).mkdir(parents=True)
        (subs / name / "eigen.py").write_text(eigen_right)
    (tmp_path / "roster.csv").write_text(ROSTER)
    out = tmp_path / "out"
    env = {**os.environ, "AUTOGRADER_SECRET": "roster-test"}
    proc = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "--course", str(small_course), "grade",
         str(subs), "--assignment", "t1", "--out", str(out), "--roster",
         str(tmp_path / "roster.csv"), "--workers", "1", "--quiet", "--no-feedback"],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ROSTER: submission 'zed' is not on the roster" in proc.stderr
    assert "ROSTER: student s2 (Bob Ray) has no submission" in proc.stderr
    rows = list(csv.DictReader((out / "t1" / "grades.csv").open()))
    status = {(r["student_id"], r["submission"]): r["status"] for r in rows}
    assert status == {
        ("s1", "ann"): "graded",
        ("", "zed"): "not on roster",
        ("s2", ""): "missing",
        ("s3", ""): "missing",
        ("s4", ""): "missing",
    }
    ann = next(r for r in rows if r["student_id"] == "s1")
    assert float(ann["score"]) == pytest.approx(15)
    doc = json.loads((out / "t1" / "submissions" / "ann" / "results.json").read_text())
    assert doc["extra_data"]["student"]["student_id"] == "s1"
