"""Gradescope's ``results.json`` (the autograder specification's schema).

>>> from autograder.results import CheckResult, SubmissionResult
>>> c = CheckResult("x", "a1", "gd_1d", "test_step", "One step", "passed", 2.0, 2.0, "", 1, 0.01)
>>> out = gradescope_results(SubmissionResult("x", "a1", (c,), seed=1), hidden_visibility="hidden")
>>> out["score"], out["tests"][0]["status"], out["tests"][0]["visibility"]
(2.0, 'passed', 'hidden')
"""

from __future__ import annotations

from typing import Any

from autograder.results import SubmissionResult

__all__ = ["HIDDEN_VISIBILITY", "gradescope_results"]

HIDDEN_VISIBILITY = {"never": "hidden", "after_due": "after_due_date", "always": "visible"}
"""course.yaml's ``feedback.hidden_messages`` → Gradescope test visibility."""


def gradescope_results(result: SubmissionResult, *, hidden_visibility: str) -> dict[str, Any]:
    """The ``results.json`` document for one submission."""
    tests = []
    for n, c in enumerate(result.checks, start=1):
        tests.append(
            {
                "name": f"{c.exercise}: {c.title}",
                "number": str(n),
                "score": c.points,
                "max_score": c.max_points,
                "status": "passed" if c.status == "passed" else "failed",
                "output": c.message if c.status != "passed" else "",
                "tags": [c.exercise, c.status],
                "visibility": "visible" if c.visibility == "public" else hidden_visibility,
            }
        )
    output = "\n".join(result.warnings)
    if result.late_multiplier != 1.0:
        output += (
            f"\nLate penalty applied: raw score {result.raw_score:g} × {result.late_multiplier:g}."
        )
    return {
        "score": result.score,
        "max_score": result.max_score,
        "execution_time": round(float(result.details.get("seconds", 0.0)), 3),
        "output": output.strip(),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
