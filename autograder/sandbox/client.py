"""The trusted side of the sandbox: start a zygote, spawn sandboxes, talk to them.

Usage (Linux; see :mod:`autograder.sandbox.zygote`)::

    with Zygote() as zygote:
        box = zygote.spawn(SandboxSpec(files={"gd_1d.py": "/path/to/gd_1d.py"}))
        reply = box.request({"op": "call", "module": "gd_1d", "function": "gd_step",
                             "args": encode([...])}, timeout=5.0)
        box.close()
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
from autograder.errors import GraderError, ProtocolViolation, SandboxCrashed, SandboxTimeout
from autograder.protocol.framing import read_message, write_message

__all__ = ["Sandbox", "SandboxSpec", "Zygote", "scrubbed_environment"]

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
        if not self.alive:
            raise SandboxCrashed("the sandbox is no longer running")
        self._next_id += 1
        message = {**message, "id": self._next_id}
        deadline = time.monotonic() + timeout
        try:
            write_message(self.sock, message)
            while True:
                reply = read_message(self.sock, deadline)
                if not isinstance(reply, dict):
                    raise ProtocolViolation("reply is not an object")
                if reply.get("id") == self._next_id:
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
        files = {name: os.path.abspath(path) for name, path in spec.files.items()}
        missing = [path for path in files.values() if not os.path.isfile(path)]
        if missing:
            raise GraderError(f"submission file(s) not found: {', '.join(missing)}")
        parent, child = socket.socketpair()
        output = tempfile.TemporaryFile()  # noqa: SIM115 - owned by the Sandbox
        request = {
            "files": files,
            "hide": list(spec.hide),
            "keep": list(spec.keep),
            "uid": spec.uid,
            "limits": {k: getattr(spec.limits, k) for k in spec.limits.__dataclass_fields__},
        }
        self._control.settimeout(start_timeout)
        socket.send_fds(
            self._control, [json.dumps(request).encode()], [child.fileno(), output.fileno()]
        )
        child.close()
        try:
            self._control.recv(1024)
        except TimeoutError:
            raise GraderError("the sandbox zygote stopped answering") from None
        deadline = time.monotonic() + start_timeout
        spawned = read_message(parent, deadline)
        if not isinstance(spawned, dict) or spawned.get("op") != "spawned":
            raise GraderError("the sandbox did not start")
        pid = int(spawned["pid"])
        try:
            hello = read_message(parent, deadline)
        except (SandboxCrashed, SandboxTimeout) as exc:
            raise GraderError(f"the sandbox failed while confining itself: {exc}") from None
        if not isinstance(hello, dict) or hello.get("op") != "hello":
            raise GraderError("the sandbox did not report its protections")
        prot = {str(k): bool(v) for k, v in dict(hello.get("protections", {})).items()}
        notes = [str(n)[:300] for n in list(hello.get("notes", []))[:20]]
        return Sandbox(parent, output, pid, prot, notes, spec.limits.output_kb * 1024)

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
