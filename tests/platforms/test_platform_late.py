"""Where a submission's time comes from in a batch or CI run, and how the penalty reads."""

from __future__ import annotations

import json
import zipfile

from autograder.config import LatePolicy
from autograder.platforms.late import (
    ENV_SUBMITTED_AT,
    describe_policy,
    explain,
    parse_time,
    with_platform_time,
)
from autograder.submissions import prepare

EXERCISES = ["eigen"]
POLICY = LatePolicy(grace_minutes=15, penalty_per_day=0.1, max_late_days=5)


def staged(tmp_path, name="alice", **files):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "eigen.py").write_text("x = 1\n")
    for filename, text in files.items():
        (folder / filename).write_text(text)
    return prepare(folder, tmp_path / "stage", EXERCISES)


def test_ci_time_from_the_environment_wins_for_a_single_submission(tmp_path):
    # A student-committed SUBMITTED_AT must not beat the time the workflow sets.
    sub = staged(tmp_path, SUBMITTED_AT="2026-01-01T00:00:00Z")
    env = {ENV_SUBMITTED_AT: "2026-12-13T01:59:00+00:00"}
    assert with_platform_time(sub, single=True, env=env).submitted_at == parse_time(
        "2026-12-13T01:59:00+00:00"
    )
    # In a batch the variable cannot belong to every submission: it is ignored.
    assert with_platform_time(sub, single=False, env=env).submitted_at == parse_time(
        "2026-01-01T00:00:00Z"
    )


def test_a_ci_run_without_a_time_does_not_trust_the_checkout(tmp_path):
    # Set but empty (e.g. a manually triggered run has no head commit): no time is
    # known, and the student's committed SUBMITTED_AT does not count either.
    sub = staged(tmp_path, SUBMITTED_AT="2026-01-01T00:00:00Z")
    for value in ("", "yesterday"):
        env = {ENV_SUBMITTED_AT: value}
        assert with_platform_time(sub, single=True, env=env).submitted_at is None


def test_folder_metadata_gives_the_time_when_there_is_no_stamp(tmp_path):
    meta = json.dumps({"created_at": "2026-12-12T08:00:00-08:00", "id": 5})
    sub = staged(tmp_path, **{"submission_metadata.json": meta})
    assert with_platform_time(sub, single=False, env={}).submitted_at.isoformat() == (
        "2026-12-12T08:00:00-08:00"
    )
    # SUBMITTED_AT written by the instructor's tooling takes precedence over metadata.
    files = {"SUBMITTED_AT": "2026-12-10T00:00:00Z", "submission_metadata.json": meta}
    both = staged(tmp_path, name="bob", **files)
    assert with_platform_time(both, single=False, env={}).submitted_at == parse_time(
        "2026-12-10T00:00:00Z"
    )


def test_metadata_inside_an_uploaded_archive_is_not_trusted(tmp_path):
    archive = tmp_path / "carol.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("eigen.py", "x = 1\n")
        zf.writestr("submission_metadata.json", json.dumps({"created_at": "2020-01-01T00:00:00Z"}))
        zf.writestr("SUBMITTED_AT", "2020-01-01T00:00:00Z")
    sub = prepare(archive, tmp_path / "stage", EXERCISES)
    assert with_platform_time(sub, single=False, env={}).submitted_at is None


def test_the_penalty_is_explained_in_course_language():
    due = parse_time("2026-12-11T23:59:00Z")
    assert explain(POLICY, parse_time("2026-12-11T12:00:00Z"), due) == ""  # on time
    assert explain(POLICY, None, due) == "" and explain(POLICY, due, None) == ""
    text = explain(POLICY, parse_time("2026-12-14T00:30:00Z"), due)
    assert text.startswith("Submitted 2026-12-14 00:30 UTC, 2 d 31 min after the due date")
    assert text.endswith("score × 0.7.")
    assert describe_policy(POLICY) == (
        "15 min grace, then 10% off per started day late, nothing after 5 days"
    )
    assert describe_policy(LatePolicy(max_late_days=2)) == "nothing after 2 days"
