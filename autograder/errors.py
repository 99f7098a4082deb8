"""The exception hierarchy of the grader.

Three kinds of trouble, kept apart because they mean different things to a student
and an instructor:

* :class:`WrongAnswer` — the student's code ran and returned something, but it is
  not what the exercise asks for. The check *failed*.
* :class:`SubmissionError` — the student's code did not run: a missing file or
  function, a syntax error, an exception, a crash, a time-out, a malformed
  archive. The check is an *error* (or a *timeout*) and the message says what to fix.
* :class:`GraderError` — the grader itself broke (a bad ``course.yaml``, a bug in a
  check or in the reference). Never the student's fault; the batch carries on and
  the instructor is told.

>>> issubclass(WrongAnswer, AssertionError)
True
>>> str(ConfigError("course.yaml", "limits.call_seconds", "a positive number", -1))
"course.yaml: key 'limits.call_seconds': expected a positive number, got -1"
"""

from __future__ import annotations

__all__ = [
    "AutograderError",
    "ConfigError",
    "GraderError",
    "ProtocolViolation",
    "SandboxCrashed",
    "SandboxTimeout",
    "StudentCodeError",
    "SubmissionError",
    "SubmissionFormatError",
    "WrongAnswer",
]


class AutograderError(Exception):
    """Base class of every error raised on purpose by the grader."""


class WrongAnswer(AutograderError, AssertionError):
    """The student's result does not satisfy the check (status ``failed``)."""


class SubmissionError(AutograderError):
    """The student's code could not be run to an answer (status ``error``)."""

    status = "error"


class StudentCodeError(SubmissionError):
    """The student's code raised, or a module/function is missing or malformed."""

    def __init__(self, message: str, *, exc_type: str = "", traceback: str = "") -> None:
        super().__init__(message)
        self.exc_type = exc_type
        self.traceback = traceback


class SandboxCrashed(SubmissionError):
    """The sandbox process died (``os._exit``, a signal, a segfault, a resource limit)."""


class SandboxTimeout(SubmissionError):
    """The student's code ran past a time limit (status ``timeout``)."""

    status = "timeout"


class ProtocolViolation(SubmissionError):
    """The sandbox sent something that is not a valid, bounded, plain-data reply."""


class SubmissionFormatError(SubmissionError):
    """A submission archive or notebook is malformed or unsafe (zip-slip, bombs...)."""


class GraderError(AutograderError):
    """The grader broke: not the student's fault."""


class ConfigError(GraderError):
    """A course configuration file is invalid; names the file and the key."""

    def __init__(self, path: str, key: str, expected: str, got: object = None) -> None:
        self.path, self.key, self.expected, self.got = str(path), key, expected, got
        message = f"{self.path}: key {key!r}: expected {expected}"
        if got is not None:
            message += f", got {got!r}"
        super().__init__(message)
