"""One submission's connection to its sandbox, respawned after a crash or a time-out.

A :class:`SubmissionSession` owns at most one live sandbox. A call that kills the
sandbox (an ``os._exit``, a segfault, a time-out) fails only that call; the next call
gets a fresh sandbox forked from the warm zygote. The session also enforces the
per-submission wall-clock budget.

A session can be handed a :class:`~autograder.sandbox.client.PendingSandbox` started
earlier (while the previous submission was graded): its first request finishes that
sandbox instead of spawning one, and :meth:`SubmissionSession.close` aborts it if no
request came.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograder.errors import (
    GraderError,
    ProtocolViolation,
    SandboxCrashed,
    SandboxTimeout,
)
from autograder.sandbox.client import PendingSandbox, Sandbox, SandboxSpec, Zygote
from autograder.sandbox.isolation import REQUIRED

__all__ = ["IsolationPolicy", "SubmissionSession"]


@dataclass(frozen=True)
class IsolationPolicy:
    """Which protections must be in force; ``allow_insecure`` downgrades refusal to a warning."""

    required: Sequence[str] = REQUIRED
    allow_insecure: bool = False
    warnings: list[str] = field(default_factory=list)

    def check(self, sandbox: Sandbox) -> None:
        required = list(self.required)
        if os.geteuid() == 0:
            required.append("unprivileged_uid")
        missing = [n for n in required if not sandbox.protections.get(n)]
        if not missing:
            return
        text = (
            "sandbox protections unavailable: "
            + ", ".join(missing)
            + (f" ({'; '.join(sandbox.notes)})" if sandbox.notes else "")
        )
        if not self.allow_insecure:
            sandbox.kill()
            raise GraderError(
                text + ". Refusing to grade without isolation; pass "
                "--allow-insecure to grade anyway (only for trusted code)."
            )
        if text not in self.warnings:
            self.warnings.append(text)


class SubmissionSession:
    """Lazily spawns the sandbox for one submission and forwards requests to it."""

    def __init__(
        self,
        zygote: Zygote,
        spec: SandboxSpec,
        policy: IsolationPolicy,
        *,
        pending: PendingSandbox | None = None,
    ) -> None:
        self.zygote, self.spec, self.policy = zygote, spec, policy
        self.sandbox: Sandbox | None = None
        self.pending = pending  # a sandbox started in advance, used by the first request
        self.used = 0.0  # seconds spent waiting on the student's code (not on the grader)
        self.spawns = 0
        self._outputs: list[str] = []

    @property
    def remaining(self) -> float:
        return self.spec.limits.submission_seconds - self.used

    def _live(self) -> Sandbox:
        if self.sandbox is None or not self.sandbox.alive:
            if self.sandbox is not None:
                self._outputs.append(self.sandbox.output())
                self.sandbox.close()
                self.sandbox = None
            pending, self.pending = self.pending, None
            self.sandbox = pending.finish() if pending is not None else self.zygote.spawn(self.spec)
            self.spawns += 1
            self.policy.check(self.sandbox)
        return self.sandbox

    def _call_timeout(self) -> float:
        """The time limit of the next call: the per-call limit, or what is left of the budget."""
        budget = self.remaining
        if budget <= 0:
            raise SandboxTimeout(
                "the submission used up its total time budget of "
                f"{self.spec.limits.submission_seconds:g} s"
            )
        return min(self.spec.limits.call_seconds, budget)

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send ``message``; raise a :class:`SubmissionError` if the sandbox misbehaves."""
        timeout = self._call_timeout()
        box = self._live()
        start = time.monotonic()
        try:
            return box.request(message, timeout)
        except (SandboxTimeout, SandboxCrashed, ProtocolViolation):
            raise
        except OSError as exc:
            box.kill()
            raise SandboxCrashed(f"the connection to the program failed: {exc}") from None
        finally:
            self.used += time.monotonic() - start

    def request_many(self, message: dict[str, Any], count: int) -> Iterator[dict[str, Any]]:
        """Send a batch request of ``count`` calls and yield their replies, in order, up to
        and including the first that is not ``ok`` (the sandbox stops its batch there).

        Each reply is awaited with the limits of a single call: the per-call limit, capped
        by what is left of the submission's budget, counted from the moment the previous
        reply arrived (the sandbox starts the next call as soon as it has answered one).
        A reply that does not come in time, a crash or a malformed reply raises as
        :meth:`request` would, and ends the batch; so does closing the iterator while
        calls are still running: the sandbox, still busy with the batch, is killed.
        """
        timeout = self._call_timeout()
        box = self._live()
        mark = time.monotonic()
        answered, over = 0, False
        try:
            request_id = box.send(message)
            for index in range(count):
                if index:
                    timeout = self._call_timeout()
                try:
                    reply = box.receive(request_id, timeout, index=index, started=mark)
                finally:
                    now = time.monotonic()
                    self.used += now - mark
                    mark = now
                answered += 1
                over = reply.get("ok") is not True
                yield reply
                if over:
                    return
        except OSError as exc:
            box.kill()
            raise SandboxCrashed(f"the connection to the program failed: {exc}") from None
        finally:
            if answered < count and not over:
                box.kill()

    def output(self) -> str:
        """What the student's code printed, across every sandbox of this session."""
        parts = list(self._outputs)
        if self.sandbox is not None:
            parts.append(self.sandbox.output())
        return "".join(parts)

    def close(self) -> None:
        """Close the sandbox, and abort a sandbox started in advance that was never used."""
        if self.pending is not None:
            self.pending.abort()
            self.pending = None
        if self.sandbox is not None:
            self._outputs.append(self.sandbox.output())
            self.sandbox.close()
            self.sandbox = None
