"""Headless Chromium, to look at the reports as a person would (tests and README images).

Two ways in, both standard library only:

* the command line: :func:`screenshot` (``--screenshot``) and :func:`dump_dom`
  (``--dump-dom``), with Chromium's log on stderr (``--enable-logging=stderr``) where
  console messages appear as ``CONSOLE`` lines (:func:`console_lines`);
* the DevTools protocol over a pipe (``--remote-debugging-pipe``: JSON messages ended by
  NUL on file descriptors 3 and 4, no websocket needed): :class:`DevTools` opens a
  page, collects console messages, exceptions and log entries (CSP violations, failed
  loads) and evaluates expressions in it.

Chromium runs with a throw-away profile, no network services, no GPU, and (as root
must) without its own sandbox: it only ever opens local files we wrote.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["DevTools", "PageLog", "console_lines", "dump_dom", "find_chromium", "screenshot"]

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
)


def find_chromium() -> str | None:
    """The Chromium binary: ``$CHROMIUM``, /usr/bin/chromium, or one on PATH."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(binary: str, args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        return subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def screenshot(
    page: Path,
    png: Path,
    *,
    width: int = 1200,
    height: int = 2000,
    binary: str | None = None,
    timeout: float = 90,
) -> subprocess.CompletedProcess[str]:
    """Render ``page`` at ``width``×``height`` into ``png`` (the process, for its stderr)."""
    proc = _run(
        binary or find_chromium() or "chromium",
        [
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={png}",
            f"--window-size={width},{height}",
            page.resolve().as_uri(),
        ],
        timeout,
    )
    if proc.returncode != 0 or not png.is_file():
        raise RuntimeError(f"chromium screenshot failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc


def dump_dom(
    page: Path, *, binary: str | None = None, timeout: float = 90
) -> tuple[str, list[str]]:
    """The DOM after loading ``page``, and the console lines Chromium logged meanwhile."""
    proc = _run(
        binary or find_chromium() or "chromium",
        ["--enable-logging=stderr", "--v=0", "--dump-dom", page.resolve().as_uri()],
        timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"chromium --dump-dom failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc.stdout, console_lines(proc.stderr)


_CONSOLE = re.compile(r":(?:INFO|WARNING|ERROR|VERBOSE\d*):CONSOLE[:(]|Uncaught")


def console_lines(stderr: str) -> list[str]:
    """The lines of Chromium's log that are console messages or uncaught exceptions.

    >>> console_lines('[1:2:ERROR:dbus/bus.cc:405] no bus\\n[1:1:INFO:CONSOLE:1] "boom"')
    ['[1:1:INFO:CONSOLE:1] "boom"']
    """
    return [line for line in stderr.splitlines() if _CONSOLE.search(line)]


@dataclass
class PageLog:
    """What a page said while loading: console calls, uncaught exceptions, log entries."""

    console: list[dict[str, Any]] = field(default_factory=list)
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything a reader of the console would call an error or a warning."""
        out = [
            f"console.{m.get('type')}: {m.get('text', '')}"
            for m in self.console
            if m.get("type") in ("error", "warning", "assert")
        ]
        out += [f"uncaught: {e.get('text', '')}" for e in self.exceptions]
        out += [
            f"{e.get('source')} {e.get('level')}: {e.get('text', '')}"
            for e in self.log
            if e.get("level") in ("error", "warning")
        ]
        return out


_MOVE_FDS = (
    "import os, sys; r, w = map(int, sys.argv[1:3]); os.dup2(r, 3); os.dup2(w, 4); "
    "os.close(r); os.close(w); os.execv(sys.argv[3], sys.argv[3:])"
)


class DevTools:
    """A headless Chromium driven through the DevTools protocol on a pipe.

    >>> # with DevTools() as dt:
    >>> #     log = dt.open(Path("report.html")); dt.evaluate("document.images.length")
    """

    def __init__(self, *, binary: str | None = None, width: int = 1200, height: int = 2000) -> None:
        self.binary = binary or find_chromium() or "chromium"
        self.width, self.height = width, height
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self.session: str | None = None

    # ------------------------------------------------------------ process and pipe
    def __enter__(self) -> DevTools:
        self._profile = tempfile.TemporaryDirectory(prefix="chromium-profile-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        # a tiny Python step moves the pipe ends to the descriptors Chromium expects (3
        # and 4), from copies numbered 10 and up so that neither is already 3 or 4
        r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD_CLOEXEC, 10)
        w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD_CLOEXEC, 10)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _MOVE_FDS,
                str(r),
                str(w),
                self.binary,
                *FLAGS,
                f"--user-data-dir={self._profile.name}",
                "--remote-debugging-pipe",
                f"--window-size={self.width},{self.height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(r, w),
        )
        for fd in (to_chrome_r, from_chrome_w, r, w):
            os.close(fd)
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, session=False
        )["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            self.call(f"{domain}.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
        )
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.call("Browser.close", session=False, timeout=10)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_chrome, self._from_chrome):
            os.close(fd)
        self._profile.cleanup()

    def _send(self, message: dict[str, Any]) -> None:
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")

    def _receive(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from chromium")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: bool = True,
        timeout: float = 60,
    ) -> dict[str, Any]:
        """Send one command (to the page unless ``session=False``) and return its result."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self._send(message)
        deadline = time.monotonic() + timeout
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def _wait_for(self, event: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self._events):
            reply = self._receive(deadline)
            if "method" in reply:
                self._events.append(reply)

    # ------------------------------------------------------------ page
    def open(self, page: Path, *, timeout: float = 60, settle: float = 0.3) -> PageLog:
        """Load ``page`` and return what it logged while loading."""
        self._events.clear()
        self.call("Page.navigate", {"url": page.resolve().as_uri()})
        self._wait_for("Page.loadEventFired", timeout)
        end = time.monotonic() + settle
        while time.monotonic() < end:
            try:
                reply = self._receive(end)
            except TimeoutError:
                break
            if "method" in reply:
                self._events.append(reply)
        log = PageLog()
        for e in self._events:
            p = e.get("params", {})
            if e["method"] == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"])
                log.console.append({"type": p.get("type"), "text": text})
            elif e["method"] == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                text = d.get("exception", {}).get("description") or d.get("text", "")
                log.exceptions.append({"text": text})
            elif e["method"] == "Log.entryAdded":
                log.log.append(p.get("entry", {}))
        return log

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (by value, JSON-able)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def screenshot(self, png: Path, *, full_page: bool = False) -> Path:
        """Capture the viewport (or the whole page) as PNG."""
        import base64

        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": self.width,
                "height": size["height"],
                "scale": 1,
            }
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", params)["data"]
        png.write_bytes(base64.b64decode(data))
        return png
