"""Length-prefixed JSON messages over a stream socket.

A frame is a 4-byte big-endian length followed by that many bytes of UTF-8 JSON.
The reader enforces a maximum frame size and a deadline, so a hostile peer can
neither exhaust memory nor stall the grader.

>>> import socket
>>> a, b = socket.socketpair()
>>> write_message(a, {"op": "ping"})
>>> read_message(b, deadline=None)
{'op': 'ping'}
"""

from __future__ import annotations

import json
import socket
import struct
import time
from typing import Any

from autograder.errors import ProtocolViolation, SandboxCrashed, SandboxTimeout

__all__ = ["MAX_FRAME", "read_message", "write_message"]

MAX_FRAME = 96 * 1024 * 1024
_HEADER = struct.Struct(">I")


def write_message(sock: socket.socket, message: Any) -> None:
    """Send one JSON message (NaN and infinities are allowed, as in Python's json)."""
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    sock.sendall(_HEADER.pack(len(body)) + body)


def _recv_exact(sock: socket.socket, n: int, deadline: float | None) -> bytes:
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise SandboxTimeout("time limit exceeded")
            sock.settimeout(left)
        try:
            count = sock.recv_into(view[got:], n - got)
        except TimeoutError:
            raise SandboxTimeout("time limit exceeded") from None
        except (ConnectionResetError, BrokenPipeError):
            count = 0
        if not count:
            raise SandboxCrashed("the sandbox closed the connection")
        got += count
    return bytes(buf)


def read_message(sock: socket.socket, deadline: float | None, max_frame: int = MAX_FRAME) -> Any:
    """Receive one JSON message before ``deadline`` (a ``time.monotonic()`` value)."""
    (length,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size, deadline))
    if length > max_frame:
        raise ProtocolViolation(f"message of {length} bytes exceeds the {max_frame}-byte limit")
    body = _recv_exact(sock, length, deadline)
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ProtocolViolation(f"malformed message: {str(exc)[:200]}") from None
