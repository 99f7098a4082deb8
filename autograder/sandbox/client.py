"""The trusted side of the sandbox: start a zygote, spawn sandboxes, talk to them.

Usage (Linux; see :mod:`autograder.sandbox.zygote`)::

    with Zygote() as zygote:
        box = zygote.spawn(SandboxSpec(files={"gd_1d.py": "/path/to/gd_1d.py"}))
        reply = box.request({"op": "call", "module": "gd_1d", "function": "gd_step",
                             "args": encode([...])}, timeout=5.0)
        box.close()

Spawning is two steps, so that a sandbox can confine itself while the grader does
something else: :meth:`Zygote.start` hands the request to the zygote and returns a
:class:`PendingSandbox` at once; its :meth:`~PendingSandbox.finish` waits for the
sandbox's greeting and returns the :class:`Sandbox` (``spawn`` does both), and its
:meth:`~PendingSandbox.abort` kills a sandbox that will not be used.

A request may have several replies (the harness's ``map`` op answers each call of a
batch in its own frame): :meth:`Sandbox.send` returns the request's id and
:meth:`Sandbox.receive` waits for one reply, by id and index.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from autograder.config import Limits
from autograder.errors import (
    GraderError,
    ProtocolViolation,
    SandboxCrashed,
    SandboxTimeout,
    SubmissionError,
)
from autograder.protocol.framing import read_message, write_message

__all__ = ["PendingSandbox", "Sandbox", "SandboxSpec", "Zygote", "scrubbed_environment"]

_PASS_ENV = (
    "PATH",
    "LANG",
    "LC_ALL",
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "SYSTEMROOT",
    "PYTHONPATH",
    "VIRTUAL_ENV",
)


def scrubbed_environment() -> dict[str, str]:
    """The environment the zygote (and so every sandbox) starts from: no secrets."""
    env = {k: os.environ[k] for k in _PASS_ENV if k in os.environ}
    env.update(
        {
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "MPLBACKEND": "Agg",
            "PYTHONNOUSERSITE": "1",
        }
    )
    return env


@dataclass(frozen=True)
class SandboxSpec:
    """What one sandbox gets: its files, limits, what it must not see, and its uid."""

    files: Mapping[str, str]
    limits: Limits = field(default_factory=Limits)
    hide: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    uid: int | None = None


class Sandbox:
    """One running sandbox process (PID 1 of its own PID namespace when isolated)."""

    def __init__(
        self,
        sock: socket.socket,
        output: Any,
        pid: int,
        protections: dict[str, bool],
        notes: list[str],
        output_limit: int,
    ) -> None:
        self.sock, self.pid = sock, pid
        self.protections, self.notes = protections, notes
        self._output = output
        self._output_limit = output_limit
        self._next_id = 0
        self.alive = True

    def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and wait up to ``timeout`` seconds for its reply."""
        started = time.monotonic()
        return self.receive(self.send(message), timeout, started=started)

    def send(self, message: dict[str, Any]) -> int:
        """Send a request without waiting for its reply; return the request's id."""
        if not self.alive:
            raise SandboxCrashed("the sandbox is no longer running")
        self._next_id += 1
        try:
            write_message(self.sock, {**message, "id": self._next_id})
        except (BrokenPipeError, ConnectionResetError):
            self.kill()
            raise SandboxCrashed(self._death_message()) from None
        return self._next_id

    def receive(
        self,
        request_id: int,
        timeout: float,
        *,
        index: int | None = None,
        started: float | None = None,
    ) -> dict[str, Any]:
        """Wait for the reply to request ``request_id`` (its ``index``-th, for a batch).

        The wait ends ``timeout`` seconds after ``started`` (a ``time.monotonic()`` value,
        default now). Frames of other requests (stale or forged) are ignored, and so are
        batch replies with an index already answered; one that skips ahead is a
        :class:`ProtocolViolation`. A time-out, a crash or a violation kills the sandbox.
        """
        if not self.alive:
            raise SandboxCrashed("the sandbox is no longer running")
        deadline = (time.monotonic() if started is None else started) + timeout
        try:
            while True:
                reply = read_message(self.sock, deadline)
                if not isinstance(reply, dict):
                    raise ProtocolViolation("reply is not an object")
                if reply.get("id") == request_id and _in_order(reply, index):
                    return reply
                # anything else (stale or forged frames) is ignored
        except SandboxTimeout:
            self.kill()
            raise SandboxTimeout(
                f"no answer within {timeout:g} s (an infinite loop, a very "
                "slow computation or a sleep?)"
            ) from None
        except (SandboxCrashed, BrokenPipeError, ConnectionResetError):
            self.kill()
            raise SandboxCrashed(self._death_message()) from None
        except ProtocolViolation:
            self.kill()
            raise

    def _death_message(self) -> str:
        tail = self.output()[-300:].strip()
        msg = "the program stopped unexpectedly (it exited, crashed or hit a resource limit)"
        return msg + (f"; its last output was: {tail}" if tail else "")

    def output(self) -> str:
        """Everything the student's code printed, truncated to the course's limit."""
        try:
            self._output.seek(0)
            data = self._output.read(self._output_limit + 1)
        except (OSError, ValueError):
            return ""
        text = data.decode("utf-8", "replace")
        if len(data) > self._output_limit:
            text = text[: self._output_limit] + "\n[output truncated]"
        return text

    def kill(self) -> None:
        if self.alive:
            self.alive = False
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.sock.close()

    def close(self) -> None:
        if self.alive:
            with contextlib.suppress(OSError):
                write_message(self.sock, {"op": "exit"})
        self.kill()
        with contextlib.suppress(OSError):
            self._output.close()


class PendingSandbox:
    """A sandbox the zygote has forked, still confining itself: finish it or abort it."""

    def __init__(self, sock: socket.socket, output: Any, output_limit: int, timeout: float):
        self.sock, self._output = sock, output
        self._output_limit, self._timeout = output_limit, timeout
        self.pid: int | None = None
        self.done = False

    def _read_pid(self, deadline: float) -> int:
        spawned = read_message(self.sock, deadline)
        if not isinstance(spawned, dict) or spawned.get("op") != "spawned":
            raise GraderError("the sandbox did not start")
        pid = spawned.get("pid")
        if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 1:
            raise GraderError("the sandbox did not start")
        self.pid = pid
        return pid

    def finish(self) -> Sandbox:
        """Wait for the sandbox's greeting (until the start deadline) and return it."""
        if self.done:
            raise GraderError("this sandbox was already finished or aborted")
        try:
            box = self._greeting()
        except (GraderError, ProtocolViolation, OSError, TypeError, ValueError) as exc:
            self.abort()
            if isinstance(exc, GraderError):
                raise
            raise GraderError(f"the sandbox did not start: {exc}") from None
        self.done = True
        return box

    def _greeting(self) -> Sandbox:
        deadline = time.monotonic() + self._timeout
        try:
            pid = self._read_pid(deadline)
        except (SandboxCrashed, SandboxTimeout):
            raise GraderError("the sandbox did not start") from None
        try:
            hello = read_message(self.sock, deadline)
        except (SandboxCrashed, SandboxTimeout) as exc:
            raise GraderError(f"the sandbox failed while confining itself: {exc}") from None
        if not isinstance(hello, dict) or hello.get("op") != "hello":
            raise GraderError("the sandbox did not report its protections")
        prot = {str(k): bool(v) for k, v in dict(hello.get("protections", {})).items()}
        notes = [str(n)[:300] for n in list(hello.get("notes", []))[:20]]
        return Sandbox(self.sock, self._output, pid, prot, notes, self._output_limit)

    def abort(self) -> None:
        """Kill the sandbox (learning its pid first, if need be) and release its files."""
        if self.done:
            return
        self.done = True
        if self.pid is None:
            with contextlib.suppress(GraderError, SubmissionError, OSError):
                self._read_pid(time.monotonic() + min(self._timeout, 5.0))
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(OSError):
            self._output.close()


def _in_order(reply: dict[str, Any], index: int | None) -> bool:
    """Whether a reply to the right request is the one awaited (any, or the ``index``-th).

    Replies of a batch arrive in order: an index already answered is stale and skipped;
    anything else is a protocol violation.
    """
    if index is None:
        return True
    got = reply.get("index")
    if got == index and isinstance(got, int) and not isinstance(got, bool):
        return True
    if isinstance(got, int) and not isinstance(got, bool) and 0 <= got < index:
        return False
    raise ProtocolViolation(f"reply {str(got)[:20]} arrived where reply {index} was due")


class Zygote:
    """A warm process that forks sandboxes in ~milliseconds."""

    def __init__(self, *, torch: bool = True, start_timeout: float = 120.0) -> None:
        self._control, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        args = [sys.executable, "-m", "autograder.sandbox.zygote", str(child.fileno())]
        if not torch:
            args.append("--no-torch")
        self.process = subprocess.Popen(
            args,
            pass_fds=[child.fileno()],
            env=scrubbed_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            cwd="/",
        )
        child.close()
        self._control.settimeout(start_timeout)
        try:
            ready = self._control.recv(1024)
        except TimeoutError:
            self.close()
            raise GraderError("the sandbox zygote did not start in time") from None
        if not ready:
            self.close()
            raise GraderError("the sandbox zygote failed to start (see the error above)")

    def spawn(self, spec: SandboxSpec, *, start_timeout: float = 30.0) -> Sandbox:
        """Fork a new sandbox for ``spec`` and wait for it to report its protections."""
        return self.start(spec, start_timeout=start_timeout).finish()

    def start(self, spec: SandboxSpec, *, start_timeout: float = 30.0) -> PendingSandbox:
        """Ask the zygote to fork a sandbox for ``spec``; do not wait for it to start.

        The sandbox confines itself in the background; it imports nothing of the
        submission until it is asked to. :meth:`PendingSandbox.finish` returns it ready.
        """
        files = {name: os.path.abspath(path) for name, path in spec.files.items()}
        missing = [path for path in files.values() if not os.path.isfile(path)]
        if missing:
            raise GraderError(f"submission file(s) not found: {', '.join(missing)}")
        parent, child = socket.socketpair()
        output = tempfile.TemporaryFile()  # noqa: SIM115 - owned by the PendingSandbox
        pending = PendingSandbox(parent, output, spec.limits.output_kb * 1024, start_timeout)
        request = {
            "files": files,
            "hide": list(spec.hide),
            "keep": list(spec.keep),
            "uid": spec.uid,
            "limits": {k: getattr(spec.limits, k) for k in spec.limits.__dataclass_fields__},
        }
        try:
            self._control.settimeout(start_timeout)
            socket.send_fds(
                self._control, [json.dumps(request).encode()], [child.fileno(), output.fileno()]
            )
            child.close()
            if not self._control.recv(1024):
                raise GraderError("the sandbox zygote has stopped")
        except (TimeoutError, OSError):
            child.close()
            pending.abort()
            raise GraderError("the sandbox zygote stopped answering") from None
        except GraderError:
            pending.abort()
            raise
        return pending

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._control.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def __enter__(self) -> Zygote:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
