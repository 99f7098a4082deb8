"""The gradebook: results stored through SQLAlchemy (SQLite by default, any URL otherwise).

Writing a submission's results is one transaction that replaces whatever that
submission had before, so regrading is idempotent and a batch killed half-way never
leaves a half-written submission; started again, it skips what is already stored
with the same fingerprint and finishes the rest.

>>> gb = Gradebook("sqlite://")
>>> from autograder.results import CheckResult, SubmissionResult
>>> c = CheckResult("bob", "a1", "gd_1d", "test_step", "step", "passed", 2.0, 2.0, "", 1, 0.1)
>>> gb.record(SubmissionResult("bob", "a1", (c,), seed=1, fingerprint="f"))
>>> gb.record(SubmissionResult("bob", "a1", (c,), seed=1, fingerprint="f"))
>>> [(r.submission, r.score) for r in gb.results("a1")]
[('bob', 2.0)]
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    select,
)
from sqlalchemy.engine import Engine

from autograder.results import CheckResult, SubmissionResult

__all__ = ["Gradebook", "sqlite_url"]

metadata = MetaData()

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assignment", String(100), nullable=False),
    Column("submission", String(200), nullable=False),
    Column("seed", String(30), nullable=False),
    Column("raw_score", Float, nullable=False),
    Column("score", Float, nullable=False),
    Column("max_score", Float, nullable=False),
    Column("late_multiplier", Float, nullable=False),
    Column("submitted_at", String(40)),
    Column("fingerprint", String(64), nullable=False),
    Column("graded_at", String(40), nullable=False),
    Column("output", Text, nullable=False),
    Column("warnings", Text, nullable=False),
    Column("details", Text, nullable=False),
    UniqueConstraint("assignment", "submission", name="uq_submission"),
)

checks = Table(
    "check_results",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("assignment", String(100), nullable=False),
    Column("submission", String(200), nullable=False),
    Column("exercise", String(100), nullable=False),
    Column("check_name", String(300), nullable=False),
    Column("title", String(500), nullable=False),
    Column("status", String(20), nullable=False),
    Column("points", Float, nullable=False),
    Column("max_points", Float, nullable=False),
    Column("message", Text, nullable=False),
    Column("seed", String(30), nullable=False),
    Column("duration", Float, nullable=False),
    Column("visibility", String(20), nullable=False),
    Column("grader_fault", Boolean, nullable=False),
    Column("evidence", Text, nullable=False, default="[]"),
    UniqueConstraint("assignment", "submission", "exercise", "check_name", name="uq_check"),
)


def sqlite_url(path: str | Path) -> str:
    """The SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{Path(path).resolve()}"


class Gradebook:
    """Results of every graded submission, keyed by (assignment, submission)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url, future=True)
        metadata.create_all(self.engine)

    def record(self, result: SubmissionResult) -> None:
        """Store ``result``, replacing the submission's previous results atomically."""
        key = (submissions.c.assignment == result.assignment) & (
            submissions.c.submission == result.submission
        )
        ckey = (checks.c.assignment == result.assignment) & (
            checks.c.submission == result.submission
        )
        with self.engine.begin() as conn:
            conn.execute(delete(checks).where(ckey))
            conn.execute(delete(submissions).where(key))
            conn.execute(
                submissions.insert().values(
                    assignment=result.assignment,
                    submission=result.submission,
                    seed=str(result.seed),
                    raw_score=result.raw_score,
                    score=result.score,
                    max_score=result.max_score,
                    late_multiplier=result.late_multiplier,
                    submitted_at=result.submitted_at,
                    fingerprint=result.fingerprint,
                    graded_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    output=result.output,
                    warnings=json.dumps(list(result.warnings)),
                    details=json.dumps(result.details),
                )
            )
            if result.checks:
                conn.execute(
                    checks.insert(),
                    [
                        {
                            "assignment": c.assignment,
                            "submission": c.submission,
                            "exercise": c.exercise,
                            "check_name": c.check,
                            "title": c.title,
                            "status": c.status,
                            "points": c.points,
                            "max_points": c.max_points,
                            "message": c.message,
                            "seed": str(c.seed),
                            "duration": c.duration,
                            "visibility": c.visibility,
                            "grader_fault": c.grader_fault,
                            "evidence": json.dumps(list(c.evidence)),
                        }
                        for c in result.checks
                    ],
                )

    def fingerprints(self, assignment: str) -> dict[str, str]:
        """Submission id → fingerprint of what was graded, for resuming a batch."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(submissions.c.submission, submissions.c.fingerprint).where(
                    submissions.c.assignment == assignment
                )
            )
            return {r.submission: r.fingerprint for r in rows}

    def results(self, assignment: str, submission: str | None = None) -> list[SubmissionResult]:
        """Stored results of ``assignment`` (optionally one submission), sorted by id."""
        cond = submissions.c.assignment == assignment
        ccond = checks.c.assignment == assignment
        if submission is not None:
            cond &= submissions.c.submission == submission
            ccond &= checks.c.submission == submission
        with self.engine.connect() as conn:
            subs = conn.execute(
                select(submissions).where(cond).order_by(submissions.c.submission)
            ).all()
            rows = conn.execute(select(checks).where(ccond).order_by(checks.c.id)).all()
        by_sub: dict[str, list[CheckResult]] = {}
        for r in rows:
            by_sub.setdefault(r.submission, []).append(
                CheckResult(
                    submission=r.submission,
                    assignment=r.assignment,
                    exercise=r.exercise,
                    check=r.check_name,
                    title=r.title,
                    status=r.status,
                    points=r.points,
                    max_points=r.max_points,
                    message=r.message,
                    seed=int(r.seed),
                    duration=r.duration,
                    visibility=r.visibility,
                    grader_fault=r.grader_fault,
                    evidence=tuple(json.loads(r.evidence or "[]")),
                )
            )
        return [
            SubmissionResult(
                submission=s.submission,
                assignment=s.assignment,
                checks=tuple(by_sub.get(s.submission, ())),
                seed=int(s.seed),
                output=s.output,
                warnings=tuple(json.loads(s.warnings)),
                late_multiplier=s.late_multiplier,
                submitted_at=s.submitted_at,
                fingerprint=s.fingerprint,
                details=json.loads(s.details),
            )
            for s in subs
        ]

    def assignments(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(submissions.c.assignment).distinct())
            return sorted(r.assignment for r in rows)

    def close(self) -> None:
        self.engine.dispose()
