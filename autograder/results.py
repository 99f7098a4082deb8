"""The results model: one record per check, and a submission's records together.

Everything the grader produces (Gradescope ``results.json``, the ``Points X/Y``
line, the gradebook, CSV, feedback and reports) is a view of these records.

>>> r = CheckResult(submission="alice", assignment="a1", exercise="gd_1d",
...                 check="test_step", title="One GD step", status="passed",
...                 points=2.0, max_points=2.0, message="", seed=7, duration=0.01)
>>> SubmissionResult("alice", "a1", (r,), seed=7).score
2.0
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["STATUSES", "CheckResult", "SubmissionResult"]

STATUSES = ("passed", "failed", "error", "timeout", "skipped")


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check on one submission."""

    submission: str
    assignment: str
    exercise: str
    check: str
    title: str
    status: str
    points: float
    max_points: float
    message: str
    seed: int
    duration: float
    visibility: str = "hidden"
    grader_fault: bool = False
    evidence: tuple[dict[str, Any], ...] = ()
    """Plain data a check attached for pictures (e.g. the student's and the reference's
    trajectories); see :class:`autograder.engine.plugin.Evidence`."""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        data = dict(data)
        data["evidence"] = tuple(data.get("evidence", ()))
        return cls(**data)


@dataclass(frozen=True)
class SubmissionResult:
    """All check results of one submission, with what the run observed."""

    submission: str
    assignment: str
    checks: tuple[CheckResult, ...]
    seed: int
    output: str = ""
    warnings: tuple[str, ...] = ()
    late_multiplier: float = 1.0
    submitted_at: str | None = None
    fingerprint: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def raw_score(self) -> float:
        return round(sum(c.points for c in self.checks), 6)

    @property
    def score(self) -> float:
        return round(self.raw_score * self.late_multiplier, 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_points for c in self.checks), 6)

    @property
    def grader_faults(self) -> int:
        return sum(c.grader_fault for c in self.checks)

    def by_exercise(self) -> dict[str, list[CheckResult]]:
        out: dict[str, list[CheckResult]] = {}
        for c in self.checks:
            out.setdefault(c.exercise, []).append(c)
        return out

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["checks"] = [c.to_dict() for c in self.checks]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SubmissionResult:
        data = dict(data)
        data["checks"] = tuple(CheckResult.from_dict(c) for c in data["checks"])
        data["warnings"] = tuple(data.get("warnings", ()))
        return cls(**data)
