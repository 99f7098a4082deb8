"""The ``student`` proxy handed to every check.

A check never touches the student's code directly: it asks the proxy, which sends
plain data to the sandbox and returns the decoded, validated reply.

    result = student.call("gd_trajectory", Quadratic1D(lam=2.0).grad, 5.0, 0.1, 20)

Anything other than a clean answer becomes a :class:`~autograder.errors.SubmissionError`
whose message tells the student what to fix.

Several calls of one function whose inputs do not depend on each other's results can
go in one batch (one request, one reply per call), each answered by an :class:`Outcome`
whose ``get()`` returns what ``call`` would have returned, or raises what it would have
raised, at the point where the check asks for it::

    outcomes = student.call_many("gd_step", [(dL, 1.0, 0.1), Args(dL, 2.0, eta=0.5)])
    for outcome in outcomes:
        with credit.case(student_errors=True):
            expect_close(outcome.get(), ...)
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from autograder.engine.session import SubmissionSession
from autograder.errors import GraderError, StudentCodeError, SubmissionError
from autograder.protocol.codec import decode, encode
from autograder.sandbox.harness import MAX_BATCH_CALLS

__all__ = ["Args", "Outcome", "Student", "call_each"]

BATCH_CALLS = min(64, MAX_BATCH_CALLS)
"""The most calls :meth:`Student.call_many` sends in one request (more make more requests)."""

BATCH_BYTES = 8 * 1024 * 1024
"""About the most encoded bytes of arguments one batch request carries."""


class Args:
    """The arguments of one call of a batch: ``Args(x, 0.1, n_steps=5)``."""

    __slots__ = ("args", "kwargs")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs

    def __repr__(self) -> str:
        inner = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"Args({', '.join(inner)})"


class Outcome:
    """What one call of a batch gave: ``get()`` returns its value or raises its error.

    The error is the very :class:`~autograder.errors.SubmissionError` the single
    :meth:`Student.call` would have raised (a :class:`StudentCodeError`, a time-out, a
    crash...). A batch stops at its first failed call, so the calls after it have not run
    yet: the first ``get()`` of one of them runs them (as a new batch, in a new sandbox if
    the failure killed the old one). A check that reads the outcomes in order therefore
    makes exactly the calls it would have made one by one.

    >>> Outcome(value=3.0).get()
    3.0
    >>> Outcome(error=StudentCodeError("f() raised ValueError: no")).get()
    Traceback (most recent call last):
    ...
    autograder.errors.StudentCodeError: f() raised ValueError: no
    """

    __slots__ = ("_error", "_later", "_value")

    def __init__(
        self,
        value: Any = None,
        error: SubmissionError | None = None,
        later: Callable[[], None] | None = None,
    ) -> None:
        self._value, self._error, self._later = value, error, later

    @property
    def ok(self) -> bool:
        """True if the call returned a value (False if it failed or has not run yet)."""
        return self._error is None and self._later is None

    @property
    def pending(self) -> bool:
        """True while the call has not run (an earlier call of its batch failed)."""
        return self._later is not None

    def settle(self, value: Any = None, error: SubmissionError | None = None) -> None:
        """Record what the call gave."""
        self._value, self._error, self._later = value, error, None

    def get(self) -> Any:
        """The call's value; raises the call's :class:`SubmissionError` if it failed."""
        while self._later is not None:  # run the pending calls up to this one
            self._later()
        if self._error is not None:
            raise self._error
        return self._value


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
        return self._value(reply, str(message.get("function", "")))

    def _value(self, reply: dict[str, Any], function: str) -> Any:
        """The decoded value of a reply; raises the error the reply reports."""
        if reply.get("ok") is True:
            return decode(reply.get("value"))
        raise self._error(reply, function)

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

    def call_many(self, function: str, calls: Iterable[Args | tuple[Any, ...]]) -> list[Outcome]:
        """Call ``function`` once per item of ``calls``, in order, in as few requests as
        the batch limits allow; return one :class:`Outcome` per call.

        Each item is a tuple of positional arguments or an :class:`Args`. Each call has
        the time limit of a single call and counts against the submission's budget the
        same way. The calls run ahead of the check until one fails (raises, times out,
        crashes the sandbox); the ones after it run only once the check asks for their
        outcome. So a check may batch the calls of a loop that goes on through its cases
        unless a call fails, and reads the outcomes in order. A request the sandbox
        rejects as malformed raises :class:`GraderError` at once.
        """
        encoded = [_encode_call(item) for item in calls]
        outcomes: list[Outcome] = []
        later = functools.partial(self._run_pending, function, encoded, outcomes)
        outcomes.extend(Outcome(later=later) for _ in encoded)
        self._run_pending(function, encoded, outcomes)
        return outcomes

    def _run_pending(
        self, function: str, calls: list[dict[str, Any]], outcomes: list[Outcome]
    ) -> None:
        """Run the calls from the first pending one on, batch after batch, until one fails."""
        first = next((i for i, o in enumerate(outcomes) if o.pending), len(outcomes))
        for start, end in _batches(calls, first):
            if not self._batch(function, calls[start:end], outcomes[start:end]):
                return

    def _batch(self, function: str, calls: list[dict[str, Any]], outcomes: list[Outcome]) -> bool:
        """One ``map`` request: settle the outcome of each call answered; True if none failed."""
        message = {"op": "map", "module": self.exercise, "function": function, "calls": calls}
        replies: list[dict[str, Any]] = []
        failure: SubmissionError | None = None
        start = time.perf_counter()
        with contextlib.closing(self._session.request_many(message, len(calls))) as stream:
            try:
                for reply in stream:
                    self.calls += 1
                    if reply.get("ok") is not True and reply.get("kind") == "bad_request":
                        raise self._error(reply, function)
                    replies.append(reply)
            except SubmissionError as exc:
                self.calls += 1
                failure = exc
            finally:
                self.seconds += time.perf_counter() - start
        for reply, outcome in zip(replies, outcomes, strict=False):
            try:
                outcome.settle(value=self._value(reply, function))
            except SubmissionError as exc:
                outcome.settle(error=exc)
        if failure is not None:
            outcomes[len(replies)].settle(error=failure)
            return False
        return all(o.ok for o in outcomes[: len(replies)]) and len(replies) == len(calls)


def call_each(
    call: Callable[..., Any], function: str, calls: Iterable[Args | tuple[Any, ...]]
) -> list[Outcome]:
    """:meth:`Student.call_many` for a stand-in ``student`` (a recorder, an in-process
    double) whose ``call(function, *args, **kwargs)`` answers directly: one
    :class:`Outcome` per call, each call made when its outcome is first asked for.

    >>> outcomes = call_each(lambda f, x, k=1: x * k, "f", [(2,), Args(3, k=2)])
    >>> [o.get() for o in outcomes]
    [2, 6]
    """
    return [_deferred(call, function, *_parts(item)) for item in calls]


def _deferred(
    call: Callable[..., Any], function: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Outcome:
    outcome = Outcome()

    def run() -> None:
        try:
            outcome.settle(value=call(function, *args, **kwargs))
        except SubmissionError as exc:
            outcome.settle(error=exc)

    outcome._later = run
    return outcome


def _parts(item: Args | tuple[Any, ...]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The positional and keyword arguments of one call of a batch."""
    if isinstance(item, Args):
        return item.args, item.kwargs
    if isinstance(item, tuple):
        return item, {}
    raise TypeError(f"a call of a batch is a tuple of arguments or an Args, not {item!r:.80}")


def _encode_call(item: Args | tuple[Any, ...]) -> dict[str, Any]:
    args, kwargs = _parts(item)
    return {"args": encode(list(args)), "kwargs": encode(kwargs)}


def _size(data: Any) -> int:
    """A cheap upper estimate of the JSON size of encoded data (arrays dominate)."""
    if isinstance(data, str):
        return len(data) + 2
    if isinstance(data, dict):
        return sum(len(k) + 4 + _size(v) for k, v in data.items()) + 2
    if isinstance(data, list):
        return sum(_size(v) + 1 for v in data) + 2
    return 24


def _batches(calls: list[dict[str, Any]], first: int = 0) -> Iterator[tuple[int, int]]:
    """Split ``calls[first:]`` into slices ``(start, end)`` of at most BATCH_CALLS calls and
    about BATCH_BYTES of arguments."""
    start, size = first, 0
    for index in range(first, len(calls)):
        n = _size(calls[index])
        if index > start and (index - start >= BATCH_CALLS or size + n > BATCH_BYTES):
            yield start, index
            start, size = index, 0
        size += n
    if start < len(calls):
        yield start, len(calls)
