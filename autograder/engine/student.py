"""The ``student`` proxy handed to every check.

A check never touches the student's code directly: it asks the proxy, which sends
plain data to the sandbox and returns the decoded, validated reply.

    result = student.call("gd_trajectory", Quadratic1D(lam=2.0).grad, 5.0, 0.1, 20)

Anything other than a clean answer becomes a :class:`~autograder.errors.SubmissionError`
whose message tells the student what to fix.
"""

from __future__ import annotations

import time
from typing import Any

from autograder.engine.session import SubmissionSession
from autograder.errors import GraderError, StudentCodeError
from autograder.protocol.codec import decode, encode

__all__ = ["Student"]


class Student:
    """Calls the functions of one exercise module of one submission."""

    def __init__(self, session: SubmissionSession, exercise: str) -> None:
        self._session = session
        self.exercise = exercise
        self.calls = 0
        self.seconds = 0.0

    def _send(self, message: dict[str, Any]) -> Any:
        start = time.perf_counter()
        try:
            reply = self._session.request(message)
        finally:
            self.calls += 1
            self.seconds += time.perf_counter() - start
        if reply.get("ok") is True:
            return decode(reply.get("value"))
        raise self._error(reply, str(message.get("function", "")))

    def _error(self, reply: dict[str, Any], function: str) -> Exception:
        kind = str(reply.get("kind", ""))[:40]
        exc_type = str(reply.get("type", ""))[:80]
        message = str(reply.get("message", ""))[:2000]
        trace = str(reply.get("traceback", ""))[:4000]
        file = f"{self.exercise}.py"
        if kind == "missing_module":
            text = (
                f"Your submission has no {file} (or {self.exercise}.ipynb), so "
                f"{function}() could not be checked."
            )
        elif kind == "missing_function":
            text = f"{file} does not define {function}(); keep the name and signature of the stub."
        elif kind in ("syntax_error", "import_error"):
            text = message + " Nothing in this file can be checked until it imports cleanly."
        elif kind == "exception" and exc_type == "NotImplementedError":
            text = f"{function}() is not implemented yet (it still raises NotImplementedError)."
            trace = ""
        elif kind == "exception":
            text = f"{function}() raised {exc_type}: {message}"
        elif kind == "bad_return":
            text = message
        elif kind == "bad_request":
            return GraderError(f"the grader sent a request the sandbox rejected: {message}")
        else:
            text = f"{function}() could not be run ({kind or 'unknown problem'})."
        return StudentCodeError(text, exc_type=exc_type, traceback=trace)

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``function(*args, **kwargs)`` in the sandbox and return its result."""
        return self._send(
            {
                "op": "call",
                "module": self.exercise,
                "function": function,
                "args": encode(list(args)),
                "kwargs": encode(kwargs),
            }
        )

    def probe(self, function: str, *args: Any, points: list[Any], **kwargs: Any) -> list[Any]:
        """Call ``function`` to get a function back, and evaluate *that* at ``points``."""
        return self._send(
            {
                "op": "probe",
                "module": self.exercise,
                "function": function,
                "args": encode(list(args)),
                "kwargs": encode(kwargs),
                "points": encode(list(points)),
            }
        )

    def signature(self, function: str) -> str:
        """The signature of the student's ``function`` as text, e.g. ``(x, eta=0.1)``."""
        return str(self._send({"op": "signature", "module": self.exercise, "function": function}))
