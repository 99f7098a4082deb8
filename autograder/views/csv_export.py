"""CSV export: one row per submission with a column per exercise."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from autograder.results import SubmissionResult

__all__ = ["write_csv"]


def write_csv(results: Sequence[SubmissionResult], path: Path, exercises: Sequence[str]) -> Path:
    """Write ``results`` to ``path``; columns: submission, each exercise, totals, status counts."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "submission",
                "assignment",
                *exercises,
                "raw_score",
                "late_multiplier",
                "score",
                "max_score",
                "failed",
                "errors",
                "timeouts",
                "seed",
            ]
        )
        for r in results:
            per = r.by_exercise()
            statuses = [c.status for c in r.checks]
            writer.writerow(
                [
                    r.submission,
                    r.assignment,
                    *[round(sum(c.points for c in per.get(e, [])), 4) for e in exercises],
                    r.raw_score,
                    r.late_multiplier,
                    r.score,
                    r.max_score,
                    statuses.count("failed"),
                    statuses.count("error"),
                    statuses.count("timeout"),
                    r.seed,
                ]
            )
    return path
