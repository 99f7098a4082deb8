"""Gradescope: the autograder zip, run_autograder on a local /autograder layout, the
results.json schema and its visibility settings, and the late penalty from metadata."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from autograder.config import load_course
from autograder.engine.seeding import submission_seed
from autograder.errors import GraderError
from autograder.platforms import gradescope as gs
from autograder.platforms.late import explain, gradescope_times, late_multiplier, parse_time
from autograder.results import CheckResult, SubmissionResult

pytest.importorskip("jsonschema")

SECRET = "platform-test-secret-0b5e"
DUE = "2026-12-11T23:59:00+00:00"
LATE = "2026-12-13T01:59:00+00:00"  # 1 d 2 h late: 2 started days → × 0.8


def metadata(created_at: str = LATE, **assignment: object) -> dict:
    """A submission_metadata.json as Gradescope writes it (its documented fields)."""
    return {
        "id": 123456,
        "created_at": created_at,
        "assignment": {
            "due_date": DUE,
            "late_due_date": None,
            "title": "Eigenvalues",
            "total_points": "15.0",
            **assignment,
        },
        "submission_method": "upload",
        "users": [{"email": "ann@uni.edu", "id": 1234, "name": "Ann"}],
        "previous_submissions": [],
    }


# --------------------------------------------------------------------------- the zip


def test_zip_holds_the_grader_and_scripts_but_never_the_secret(tmp_path, small_course, monkeypatch):
    monkeypatch.delenv("AUTOGRADER_SECRET", raising=False)
    (small_course.parent / ".course-secret").write_text(SECRET + "\n")
    course = load_course(small_course)
    path = gs.build_zip(course, tmp_path / "build" / "gradescope.zip", assignment="t1")
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        blobs = {n: zf.read(n) for n in names}
        modes = {n: zf.getinfo(n).external_attr >> 16 for n in names}
    for required in ("setup.sh", "run_autograder", "requirements.txt", "course.yaml"):
        assert required in names
    assert {"pyproject.toml", "gradescope.json", "autograder/cli.py"} <= names
    assert "autograder/checks/eigen.py" in names  # hidden checks ship (the zip is private)
    assert any(n.startswith("reference/") for n in names)
    assert "exercises/eigen.py" in names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert not any(Path(n).name == ".course-secret" for n in names)
    assert not [n for n, data in blobs.items() if SECRET.encode() in data]
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    assert stat.S_ISREG(modes["run_autograder"])
    assert json.loads(blobs["gradescope.json"])["assignment"] == "t1"
    # setup.sh: torch==2.13.0 (CPU) first, then the requirements, then the package.
    setup = [ln for ln in blobs["setup.sh"].decode().splitlines() if "pip install" in ln]
    assert "torch==2.13.0" in setup[1] and "download.pytorch.org/whl/cpu" in setup[1]
    assert "requirements.txt" in setup[2] and '--no-deps "$SOURCE"' in setup[3]
    setup = blobs["setup.sh"].decode()
    assert "python3" in setup and "-venv" in setup  # installs venv support if missing
    assert "setup-secret" in setup
    requirements = blobs["requirements.txt"].decode()
    assert "torch" not in re.sub(r"#.*", "", requirements) and "jsonschema" in requirements
    assert gs.audit_zip(path, course) == []


def test_audit_catches_a_secret_that_slipped_in(tmp_path, small_course, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_SECRET", SECRET)
    course = load_course(small_course)
    path = gs.build_zip(course, tmp_path / "g.zip")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("autograder/notes.txt", f"secret={SECRET}")
        zf.writestr("reference/.course-secret", "x")
    problems = gs.audit_zip(path, course)
    assert any("notes.txt contains the course secret" in p for p in problems)
    assert any(".course-secret is a secret file" in p for p in problems)


def test_zip_is_reproducible(tmp_path, small_course):
    course = load_course(small_course)
    a = gs.build_zip(course, tmp_path / "a.zip").read_bytes()
    b = gs.build_zip(course, tmp_path / "b.zip").read_bytes()
    assert a == b


def test_export_command_builds_the_zip(tmp_path, small_course):
    out = tmp_path / "build" / "gradescope.zip"
    proc = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "--course", str(small_course), "export",
         "gradescope-zip", "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert out.is_file() and "no course secret inside" in proc.stdout
    with zipfile.ZipFile(out) as zf:
        assert json.loads(zf.read("gradescope.json"))["assignment"] is None
    course = load_course(small_course)
    insecure = gs.build_zip(course, tmp_path / "i.zip", assignment="t2", allow_insecure=True)
    with zipfile.ZipFile(insecure) as zf:
        config = json.loads(zf.read("gradescope.json"))
    assert config == {"course": "Platforms test", "assignment": "t2", "allow_insecure": True}
    # The other export formats still need --assignment.
    proc = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "--course", str(small_course), "export", "csv",
         "--out", str(tmp_path / "grades")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "needs --assignment" in proc.stderr


# --------------------------------------------------------------------------- run_autograder


@pytest.fixture(scope="module")
def gradescope_run(tmp_path_factory, eigen_right, write_course):
    """run_autograder, from the built zip, on a local copy of the /autograder layout."""
    tmp = tmp_path_factory.mktemp("gradescope")
    course_yaml = write_course(tmp / "course")
    root = tmp / "autograder"
    zip_path = gs.build_zip(load_course(course_yaml), tmp / "gradescope.zip", assignment="t1")
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(root / "source")
    (root / "source" / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    (root / "submission" / "eigen.py").write_text(eigen_right)
    # A student's own SUBMITTED_AT claims an early time: Gradescope's metadata wins.
    (root / "submission" / "SUBMITTED_AT").write_text("2026-01-01T00:00:00+00:00")
    (root / "submission_metadata.json").write_text(json.dumps(metadata()))
    env = {
        **os.environ,
        "AUTOGRADER_ROOT": str(root),
        "AUTOGRADER_PYTHON": sys.executable,
        "AUTOGRADER_SECRET": SECRET,
    }
    env.pop("AUTOGRADER_COURSE", None)
    proc = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")],
        env=env, cwd=root, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    results = root / "results" / "results.json"
    assert results.is_file(), proc.stdout + proc.stderr
    return proc, json.loads(results.read_text())


def test_run_autograder_writes_results_that_follow_the_schema(gradescope_run):
    proc, doc = gradescope_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert gs.validate_results(doc) == []
    assert doc["max_score"] == pytest.approx(15)
    assert len(doc["tests"]) > 5 and all(t["status"] == "passed" for t in doc["tests"])
    assert doc["stdout_visibility"] == "hidden" and doc["visibility"] == "visible"
    extra = doc["extra_data"]
    assert extra["assignment"] == "t1" and extra["submission"] == "gs123456"
    assert extra["seed"] == str(submission_seed(SECRET.encode(), "t1", "gs123456"))
    assert extra["users"] == [{"id": 1234, "email": "ann@uni.edu", "name": "Ann"}]
    assert SECRET not in json.dumps(doc) and SECRET not in proc.stdout


def test_run_autograder_applies_and_shows_the_late_penalty_from_metadata(gradescope_run):
    _, doc = gradescope_run
    assert doc["score"] == pytest.approx(15 * 0.8)
    assert doc["extra_data"]["late_multiplier"] == 0.8
    assert doc["extra_data"]["submitted_at"] == LATE  # not the student's SUBMITTED_AT
    output = doc["output"]
    assert "late penalty × 0.8" in output
    assert "1 d 2 h after the due date (2026-12-11 23:59 UTC)" in output
    assert "10% off per started day late" in output
    assert "Eigenvalue classification: 15 / 15" in output  # raw points per exercise


def test_hidden_checks_visibility_follows_the_feedback_policy_in_a_real_run(gradescope_run):
    _, doc = gradescope_run
    assert {t["visibility"] for t in doc["tests"]} == {"after_due_date"}  # after_due


def test_run_without_a_secret_still_writes_a_valid_explanation(tmp_path, monkeypatch, write_course):
    monkeypatch.delenv("AUTOGRADER_SECRET", raising=False)
    monkeypatch.delenv("AUTOGRADER_COURSE", raising=False)
    root = tmp_path / "autograder"
    write_course(root / "source")
    (root / "submission").mkdir(parents=True)
    said: list[str] = []
    assert gs.run(root, say=said.append) == 1
    doc = json.loads((root / "results" / "results.json").read_text())
    assert gs.validate_results(doc) == []
    assert doc["score"] == 0 and "not with your code" in doc["output"]
    assert any("no course secret" in s for s in said)


# --------------------------------------------------------------------------- schema & visibility


def _result(hidden_status: str = "failed") -> SubmissionResult:
    why = "got 2, want 3"
    hidden = CheckResult("x", "t1", "eigen", "t_h", "Hidden", hidden_status, 0.0, 3.0, why, 7, 0.1)
    public = CheckResult(
        "x", "t1", "eigen", "t_p", "Public", "passed", 2.0, 2.0, "", 7, 0.1, visibility="public"
    )
    return SubmissionResult("x", "t1", (hidden, public), seed=7, late_multiplier=0.9)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("never", "hidden"), ("after_due", "after_due_date"), ("always", "visible")],
)
def test_visibility_of_hidden_and_public_checks(tmp_path, policy, expected, write_course):
    text = (
        "course: {name: V}\nexercises: {eigen: {points: 5}}\n"
        "assignments: [{id: t1, exercises: [eigen]}]\n"
        f"feedback: {{hidden_messages: {policy}}}\n"
    )
    course = load_course(write_course(tmp_path, text))
    doc = gs._results_document(
        course, course.assignment("t1"), _result(), late_note="", extra={"k": 1}
    )
    assert gs.validate_results(doc) == []
    by_name = {t["name"].split(": ", 1)[1]: t for t in doc["tests"]}
    assert by_name["Hidden"]["visibility"] == expected
    assert by_name["Public"]["visibility"] == "visible"
    assert "late penalty × 0.9" in doc["output"] and doc["extra_data"] == {"k": 1}
    # Why a hidden check failed never leaks into the always-visible summary.
    assert "got 2, want 3" not in doc["output"]


def test_code_that_did_not_run_is_explained_in_the_visible_output(small_course):
    course = load_course(small_course)
    result = _result(hidden_status="error")
    doc = gs._results_document(course, course.assignment("t1"), result, late_note="", extra={})
    assert "Your code did not run" in doc["output"] and "got 2, want 3" in doc["output"]


@pytest.mark.parametrize(
    "bad",
    [
        {"score": 1, "visibility": "students"},
        {"score": 1, "tests": [{"score": 1, "status": "error"}]},
        {"score": 1, "tests": [{"score": 1, "visibilty": "visible"}]},  # misspelt key
        {"output": "no score anywhere"},
        {"tests": [{"name": "a test without a score"}]},
        {"score": "12"},
        {"score": 1, "output_format": "rtf"},
        {"score": 1, "leaderboard": [{"name": "Accuracy"}]},
        {"score": 1, "stdout_visibility": "after_due"},
    ],
)
def test_schema_rejects_what_gradescope_would_misread(bad):
    assert gs.validate_results(bad) != []


def test_schema_accepts_the_documented_fields():
    doc = {
        "score": 44.0,
        "max_score": 50,
        "execution_time": 136,
        "output": "Text relevant to the entire submission",
        "output_format": "simple_format",
        "test_output_format": "text",
        "test_name_format": "text",
        "visibility": "after_due_date",
        "stdout_visibility": "visible",
        "extra_data": {},
        "tests": [
            {
                "score": 2.0,
                "max_score": 2.0,
                "status": "passed",
                "name": "Your name here",
                "name_format": "text",
                "number": "1.1",
                "output": "Giant multiline string",
                "output_format": "text",
                "tags": ["tag1", "tag2"],
                "visibility": "visible",
                "extra_data": {},
            }
        ],
        "leaderboard": [
            {"name": "Accuracy", "value": 0.926},
            {"name": "Time", "value": 15.1, "order": "asc"},
            {"name": "Stars", "value": "*****"},
        ],
    }
    assert gs.validate_results(doc) == []
    assert gs.validate_results({"tests": [{"score": 1}, {"score": 0}]}) == []


# --------------------------------------------------------------------------- late & assignment


def test_late_penalty_from_gradescope_metadata(small_course):
    policy = load_course(small_course).late_policy
    t = gradescope_times(metadata())
    assert late_multiplier(policy, t.submitted_at, t.due, t.late_due) == 0.8
    on_time = gradescope_times(metadata("2026-12-12T00:10:00+00:00"))  # within 15 min grace
    assert late_multiplier(policy, on_time.submitted_at, on_time.due) == 1.0
    assert "grace period" in explain(policy, on_time.submitted_at, on_time.due)
    hard = gradescope_times(metadata(late_due_date="2026-12-12T23:59:00+00:00"))
    assert late_multiplier(policy, hard.submitted_at, hard.due, hard.late_due) == 0.0
    assert "last date late work is accepted" in explain(
        policy, hard.submitted_at, hard.due, hard.late_due
    )
    # A student's extension (their own dates under users[]) moves the due date.
    meta = metadata()
    meta["users"][0]["assignment"] = {"due_date": "2026-12-14T23:59:00+00:00"}
    ext = gradescope_times(meta)
    assert ext.extension and late_multiplier(policy, ext.submitted_at, ext.due) == 1.0
    assert late_multiplier(policy, None, ext.due) == 1.0
    assert late_multiplier(policy, ext.submitted_at, None) == 1.0
    too_late = parse_time(DUE) + timedelta(days=6)
    assert late_multiplier(policy, too_late, parse_time(DUE)) == 0.0  # max_late_days


def test_choose_assignment(small_course):
    course = load_course(small_course)

    def pick(explicit=None, title="", files=()):
        meta = {"assignment": {"title": title}} if title else {}
        return gs.choose_assignment(course, explicit=explicit, meta=meta, files=files).id

    assert pick("t2") == "t2"
    assert pick(title="Zigzag") == "t2" and pick(title="t1") == "t1"
    assert pick(title="Homework T2 (zigzag)") == "t2"
    assert pick(title="Homework", files=["eigen.py"]) == "t1"
    with pytest.raises(GraderError, match="cannot tell which assignment"):
        pick(title="Homework", files=["eigen.py", "zigzag.py"])
    with pytest.raises(KeyError):
        pick("t9")


def test_setup_secret_creates_records_and_then_reuses(tmp_path, monkeypatch, write_course):
    monkeypatch.delenv("AUTOGRADER_SECRET", raising=False)
    course = load_course(write_course(tmp_path / "src"))
    said: list[str] = []
    secret = gs.setup_secret(course, say=said.append)
    assert course.secret_file.read_bytes().strip() == secret
    assert stat.S_IMODE(course.secret_file.stat().st_mode) == 0o600
    assert any(secret.decode() in s and "NEW COURSE SECRET" in s for s in said)
    said.clear()
    assert gs.setup_secret(course, say=said.append) == secret
    assert said and not any(secret.decode() in s for s in said)  # printed only once


def test_run_autograder_template_is_the_one_shipped():
    text = (gs.TEMPLATES / "run_autograder").read_text()
    assert text.startswith("#!/usr/bin/env bash")
    assert 'ROOT="${AUTOGRADER_ROOT:-/autograder}"' in text
    assert "autograder.platforms.gradescope run" in text
    assert shutil.which("bash")
