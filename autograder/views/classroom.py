"""The ``Points X/Y`` line that GitHub Classroom's autograding reads.

>>> from autograder.results import SubmissionResult
>>> points_line(SubmissionResult("x", "a1", (), seed=1))
'Points 0/0'
"""

from __future__ import annotations

from autograder.results import SubmissionResult

__all__ = ["points_line"]


def points_line(result: SubmissionResult) -> str:
    """``Points <score>/<max>`` with at most two decimals."""
    return f"Points {round(result.score, 2):g}/{round(result.max_score, 2):g}"
