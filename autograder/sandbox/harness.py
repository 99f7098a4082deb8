"""The request loop that runs *inside* the sandbox, next to the student's code.

It imports the student's modules from the work directory and answers requests:

* ``{"op": "load", "module": m}`` — import ``m.py``;
* ``{"op": "call", "module": m, "function": f, "args": [...], "kwargs": {...}}``;
* ``{"op": "probe", ..., "points": [...]}`` — call ``f`` to get a function, then
  evaluate that function at each point (function-valued results never leave);
* ``{"op": "map", "module": m, "function": f, "calls": [{"args": [...], "kwargs":
  {...}}, ...]}`` — the calls one after the other, each answered in its own frame as
  soon as it returns (tagged ``"index": i``), exactly as a ``call`` would have been
  answered; the batch ends at the first call that does not return a value (its error
  is the last frame), so nothing runs past a failure unless the grader asks again; at
  most :data:`MAX_BATCH_CALLS` calls;
* ``{"op": "signature", "module": m, "function": f}``; ``{"op": "exit"}``.

Replies are ``{"ok": true, "value": ...}`` or ``{"ok": false, "kind": ..., "type": ...,
"message": ..., "traceback": ...}`` where ``kind`` is one of ``missing_module``,
``missing_function``, ``import_error``, ``syntax_error``, ``exception``, ``bad_return``,
``bad_request``. The grader trusts none of it: this code shares a process with the
student's, so everything here is treated as forgeable.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import socket
import sys
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from autograder.protocol.codec import decode, encode
from autograder.protocol.framing import read_message, write_message

__all__ = ["MAX_BATCH_CALLS", "Harness"]

_MAX_TRACE = 4000

MAX_BATCH_CALLS = 256
"""The most calls one ``map`` request may carry."""


class Harness:
    """Serves requests for the student modules found in ``workdir``."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = Path(workdir)
        self.modules: dict[str, ModuleType] = {}

    # ------------------------------------------------------------------ helpers
    def _student_trace(self, exc: BaseException) -> str:
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if str(self.workdir) in f.filename
        ]
        text = "".join(traceback.format_list(frames))
        text += "".join(traceback.format_exception_only(type(exc), exc))
        return text.replace(str(self.workdir) + os.sep, "")[-_MAX_TRACE:]

    def _error(self, kind: str, exc: BaseException | None = None, message: str = "") -> dict:
        return {
            "ok": False,
            "kind": kind,
            "type": type(exc).__name__ if exc is not None else "",
            "message": (message or _safe_str(exc))[:2000],
            "traceback": self._student_trace(exc) if exc is not None else "",
        }

    def load(self, name: str) -> ModuleType | dict:
        if name in self.modules:
            return self.modules[name]
        if not name.isidentifier():
            return self._error("bad_request", message="bad module name")
        path = self.workdir / f"{name}.py"
        if not path.is_file():
            return self._error(
                "missing_module", message=f"{name}.py was not found in the submission"
            )
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)  # type: ignore[union-attr]
        except SyntaxError as exc:
            sys.modules.pop(name, None)
            where = f"line {exc.lineno}" if exc.lineno else "somewhere"
            return self._error(
                "syntax_error", exc, f"{name}.py has a syntax error at {where}: {exc.msg}"
            )
        except BaseException as exc:
            sys.modules.pop(name, None)
            return self._error(
                "import_error",
                exc,
                f"importing {name}.py raised {type(exc).__name__}: {_safe_str(exc)}",
            )
        self.modules[name] = module
        return module

    def _function(self, request: dict) -> Any:
        module = self.load(str(request.get("module", "")))
        if isinstance(module, dict):
            return module
        name = request.get("function")
        if not isinstance(name, str) or name.startswith("_"):
            return self._error("bad_request", message="bad function name")
        func = module.__dict__.get(name)
        if func is None or not callable(func):
            return self._error(
                "missing_function",
                message=f"{request['module']}.py does not define a function {name}()",
            )
        return func

    # ------------------------------------------------------------------ ops
    def handle(self, request: Any) -> dict:
        if not isinstance(request, dict):
            return self._error("bad_request", message="request is not a dict")
        op = request.get("op")
        if op == "ping":
            return {"ok": True, "value": "pong"}
        if op == "load":
            module = self.load(str(request.get("module", "")))
            return module if isinstance(module, dict) else {"ok": True, "value": None}
        func = self._function(request)
        if isinstance(func, dict):
            return func
        if op == "signature":
            try:
                return {"ok": True, "value": str(inspect.signature(func))}
            except (TypeError, ValueError) as exc:
                return self._error("bad_return", exc)
        if op not in ("call", "probe"):
            return self._error("bad_request", message=f"unknown op {op!r}")
        try:
            args = decode(request.get("args", []), tensors=True)
            kwargs = decode(request.get("kwargs", {}), tensors=True)
        except Exception as exc:
            return self._error("bad_request", exc)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default")
                value = func(*args, **kwargs)
                if op == "probe":
                    if not callable(value):
                        return self._error(
                            "bad_return",
                            message=f"{func.__name__}() should "
                            f"return a function, got {type(value).__name__}",
                        )
                    points = decode(request.get("points", []), tensors=True)
                    value = [value(p) for p in points]
        except BaseException as exc:
            if isinstance(exc, (SystemExit, KeyboardInterrupt)):
                return self._error("exception", exc, f"the code called exit ({type(exc).__name__})")
            return self._error("exception", exc)
        try:
            return {"ok": True, "value": encode(value)}
        except (TypeError, ValueError, RecursionError) as exc:
            return self._error(
                "bad_return",
                message=f"{func.__name__}() returned a value that cannot be graded: {exc}",
            )

    def replies(self, request: Any) -> Iterator[dict]:
        """The reply frames for ``request``: one per call for ``map``, else one.

        Each reply is produced only once the previous one has been consumed, so a
        batch's calls run one at a time, in order, as their answers are sent; a failed
        call is the last of its batch.
        """
        if isinstance(request, dict) and request.get("op") == "map":
            yield from self._map(request)
        else:
            yield self.handle(request)

    def _map(self, request: dict) -> Iterator[dict]:
        calls = request.get("calls")
        if not isinstance(calls, list) or not 0 < len(calls) <= MAX_BATCH_CALLS:
            why = f"a batch needs a list of 1 to {MAX_BATCH_CALLS} calls"
            yield {**self._error("bad_request", message=why), "index": 0}
            return
        for index, call in enumerate(calls):
            if isinstance(call, dict):
                single = {
                    "op": "call",
                    "module": request.get("module", ""),
                    "function": request.get("function"),
                    "args": call.get("args", []),
                    "kwargs": call.get("kwargs", {}),
                }
                reply = self.handle(single)
            else:
                reply = self._error("bad_request", message="a call of a batch is not a dict")
            yield {**reply, "index": index}
            if reply.get("ok") is not True:
                return

    def serve(self, sock: socket.socket) -> None:
        """Answer requests until ``exit`` or the grader goes away."""
        while True:
            try:
                request = read_message(sock, deadline=None)
            except Exception:
                return
            if isinstance(request, dict) and request.get("op") == "exit":
                return
            request_id = request.get("id") if isinstance(request, dict) else None
            for reply in self.replies(request):
                try:
                    sent = self._send(sock, {**reply, "id": request_id})
                except OSError:
                    return  # the grader has gone away
                if sent.get("ok") is not True:
                    break  # a failed call ends its batch

    def _send(self, sock: socket.socket, reply: dict) -> dict:
        """Write one reply and return it; a value JSON cannot carry becomes ``bad_return``."""
        try:
            write_message(sock, reply)
        except (ValueError, TypeError) as exc:
            tags = {k: reply[k] for k in ("id", "index") if k in reply}
            reply = {**tags, **self._error("bad_return", exc)}
            write_message(sock, reply)
        return reply


def _safe_str(exc: BaseException | None) -> str:
    if exc is None:
        return ""
    try:
        return str(exc)[:2000]
    except Exception:
        return f"<{type(exc).__name__}>"
