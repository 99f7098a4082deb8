"""Autograder of the optimisation-dynamics course.

A trusted grader runs hidden pytest checks that talk, through plain data only, to each
student's code in an isolated sandbox forked from a warm zygote. The public API:

* :func:`load_course` / :class:`Course` — ``course.yaml`` as one frozen object;
* the error hierarchy — :class:`WrongAnswer` (the answer is wrong),
  :class:`SubmissionError` (the code did not run), :class:`GraderError` (the grader broke);
* :class:`CheckResult` / :class:`SubmissionResult` — the results model;
* comparisons for checks — :func:`expect_close`, :func:`expect_equal`,
  :func:`expect_raises`, :func:`expect_true`;
* the course's landscapes — :mod:`autograder.landscapes`.

The command line is ``autograder`` (:mod:`autograder.cli`).
"""

from autograder.compare import expect_close, expect_equal, expect_raises, expect_true
from autograder.config import Course, load_course
from autograder.errors import (
    AutograderError,
    ConfigError,
    GraderError,
    SubmissionError,
    WrongAnswer,
)
from autograder.results import CheckResult, SubmissionResult

__all__ = [
    "AutograderError",
    "CheckResult",
    "ConfigError",
    "Course",
    "GraderError",
    "SubmissionError",
    "SubmissionResult",
    "WrongAnswer",
    "expect_close",
    "expect_equal",
    "expect_raises",
    "expect_true",
    "load_course",
]
