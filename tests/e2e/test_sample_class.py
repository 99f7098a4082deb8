"""The main job end to end: grade the sample class with the real CLI and sandbox.

Expected scores are derived from ``examples/samples.yaml`` (what each student handed
in) and ``course.yaml`` (the points): a known-right file earns its exercise's points,
a stub, a broken file, a missing file or an attack earns none, a known-wrong file
earns less than full marks with the checks named in its ``CAUGHT_BY`` failing, and a
late submission is multiplied by the late policy's factor.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from autograder.config import load_course
from autograder.gradebook import Gradebook, sqlite_url

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
from build_samples import build  # noqa: E402

COURSE = load_course(ROOT / "course.yaml")
MANIFEST = yaml.safe_load((ROOT / "examples" / "samples.yaml").read_text())["students"]
CLI = [sys.executable, "-m", "autograder.cli", "--course", str(ROOT / "course.yaml")]


def run_cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "AUTOGRADER_SECRET": "e2e-secret", **(env_extra or {})}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=900)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("grading refuses to run without full isolation, which needs root here")
    tmp = tmp_path_factory.mktemp("e2e")
    build(tmp / "samples")
    out = tmp / "out"
    done = run_cli("grade", str(tmp / "samples"), "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr[-3000:]
    gradebook = Gradebook(sqlite_url(out / "gradebook.sqlite"))
    results = {
        (r.assignment, r.submission): r for a in COURSE.assignments for r in gradebook.results(a.id)
    }
    return {"tmp": tmp, "out": out, "stdout": done.stdout, "results": results}


def caught_by(exercise: str, fixture: str) -> tuple[str, ...]:
    path = ROOT / "tests" / "fixtures" / exercise / "wrong" / f"{fixture}.py"
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "CAUGHT_BY":
            value = ast.literal_eval(node.value)
            return (value,) if isinstance(value, str) else tuple(value)
    return ()


def expected_multiplier(student: str, assignment) -> float:
    stamp = MANIFEST[student].get("submitted_at")
    if not stamp or assignment.due is None:
        return 1.0
    return COURSE.late_policy.multiplier(datetime.fromisoformat(stamp) - assignment.due)


@pytest.mark.parametrize("student", sorted(MANIFEST))
@pytest.mark.parametrize("assignment", COURSE.assignments, ids=lambda a: a.id)
def test_scores_follow_from_what_was_handed_in(graded, student, assignment):
    result = graded["results"][(assignment.id, student)]
    by_exercise = result.by_exercise()
    assert result.max_score == assignment.total_points
    assert result.late_multiplier == expected_multiplier(student, assignment)
    for exercise in assignment.exercises:
        spec = MANIFEST[student]["exercises"][exercise.name]
        checks = by_exercise[exercise.name]
        earned = sum(c.points for c in checks)
        assert sum(c.max_points for c in checks) == pytest.approx(exercise.points)
        kind, _, name = spec.partition(":")
        if kind == "right":
            assert earned == pytest.approx(exercise.points), (spec, [c.message for c in checks])
        elif kind == "wrong":
            assert earned < exercise.points
            statuses = {c.check.split("[")[0]: c.status for c in checks}
            for check in caught_by(exercise.name, name):
                if check != "*":
                    assert statuses[check] != "passed", (spec, check)
        else:  # stub, broken, missing, attack
            assert earned == 0, (spec, [(c.check, c.status) for c in checks])
    assert result.score == pytest.approx(result.raw_score * result.late_multiplier, abs=1e-6)


def test_broken_and_missing_files_explain_themselves(graded):
    carol = graded["results"][("a1", "carol")].by_exercise()
    assert all("syntax error" in c.message for c in carol["gd_1d"])
    assert all("ZeroDivisionError" in c.message for c in carol["zigzag"])
    assert all("not implemented yet" in c.message for c in carol["diagnostics"])
    bob = graded["results"][("a2", "bob")].by_exercise()
    assert all("has no upstream.py" in c.message for c in bob["upstream"])
    assert not any(c.grader_fault for r in graded["results"].values() for c in r.checks)


def test_reports_are_written(graded):
    out = graded["out"]
    for assignment in COURSE.assignments:
        with open(out / assignment.id / "grades.csv") as fh:
            rows = {r["submission"]: r for r in csv.DictReader(fh)}
        assert set(rows) == set(MANIFEST)
        for student in MANIFEST:
            folder = out / assignment.id / "submissions" / student
            doc = json.loads((folder / "results.json").read_text())
            stored = graded["results"][(assignment.id, student)]
            assert doc["score"] == pytest.approx(stored.score)
            assert float(rows[student]["score"]) == pytest.approx(stored.score)
            assert (folder / "feedback.md").read_text().startswith(f"# Feedback for {student}")


def count_rows(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        subs = conn.execute("select count(*) from submissions").fetchone()[0]
        checks = conn.execute("select count(*) from check_results").fetchone()[0]
    return subs, checks


def test_regrading_is_idempotent_and_skips_unchanged_work(graded):
    before = count_rows(graded["out"] / "gradebook.sqlite")
    again = run_cli(
        "grade",
        str(graded["tmp"] / "samples"),
        "--out",
        str(graded["out"]),
        "--quiet",
        "--no-reports",
    )
    assert again.returncode == 0, again.stderr[-2000:]
    assert "0 graded now" in again.stdout
    assert count_rows(graded["out"] / "gradebook.sqlite") == before


def test_a_batch_killed_half_way_finishes_when_started_again(graded, tmp_path):
    out = tmp_path / "out"
    db = out / "gradebook.sqlite"
    env = {**os.environ, "AUTOGRADER_SECRET": "e2e-secret"}
    args = [
        *CLI,
        "grade",
        str(graded["tmp"] / "samples"),
        "--out",
        str(out),
        "--quiet",
        "--no-reports",
        "--workers",
        "1",
    ]
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if db.exists() and count_rows(db)[0] >= 1:
            break
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    stored_before = count_rows(db)[0]
    total = len(MANIFEST) * len(COURSE.assignments)
    assert 1 <= stored_before < total, "the batch should have been killed half-way"
    again = run_cli(
        "grade", str(graded["tmp"] / "samples"), "--out", str(out), "--quiet", "--no-reports"
    )
    assert again.returncode == 0, again.stderr[-2000:]
    subs, checks = count_rows(db)
    assert subs == total
    reference = count_rows(graded["out"] / "gradebook.sqlite")
    assert (subs, checks) == reference  # nothing lost, nothing duplicated
    resumed = Gradebook(sqlite_url(db))
    for (assignment, student), result in graded["results"].items():
        (again_result,) = resumed.results(assignment, student)
        assert again_result.score == pytest.approx(result.score)
