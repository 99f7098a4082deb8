"""The warm zygote: imports NumPy and PyTorch once, then forks one sandbox per request.

Started by the grader as ``python -m autograder.sandbox.zygote FD [--no-torch]`` with a
scrubbed environment (no course secret) and nothing of the instructor's in memory.
``FD`` is a ``SOCK_SEQPACKET`` socket; each request is one JSON packet carrying two
file descriptors (the sandbox's end of its own socket, and a file for its output):

``{"files": {name: path}, "hide": [...], "keep": [...], "uid": int | null,
"limits": {...}}`` (the working folder is a fresh tmpfs on :func:`scratch_dir`)

For each request the zygote forks a *keeper* which enters new namespaces and forks
the sandbox proper (PID 1 of its PID namespace, so when it dies every process it left
behind dies with it). The keeper reports ``{"op": "spawned", "pid": ...}`` on the
sandbox socket before letting the sandbox start; the sandbox then confines itself and
says ``{"op": "hello", "protections": ...}`` before serving requests.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import signal
import socket
import sys
import time
from typing import Any

from autograder.protocol.framing import write_message
from autograder.sandbox.harness import Harness
from autograder.sandbox.isolation import (
    Protections,
    confine_namespaces,
    confine_process,
    die_with_parent,
    make_workdir,
    mask_paths,
    scratch_dir,
)

_MAX_FILE = 8 * 1024 * 1024
_MAX_FILES = 64


def warm_up(with_torch: bool) -> None:
    """Import the numerical stack and run torch's first autograd call.

    Everything imported here is shared by every sandbox forked later, so the paths
    the course's exercises take through torch (autograd with an upstream gradient,
    double backward, ``torch.optim``, ``torch.func``) are exercised once, here.
    """
    import numpy as np

    np.linalg.eigvalsh(np.eye(2))
    np.random.default_rng(0).permutation(3)  # numpy.random is imported lazily
    if with_torch:
        warm_torch()


def warm_torch() -> None:
    """Pay torch's lazy imports (autograd, optim, func) once, in this process."""
    import torch

    torch.set_num_threads(1)
    with contextlib.suppress(RuntimeError):
        torch.set_num_interop_threads(1)
    x = torch.ones(2, requires_grad=True, dtype=torch.float64)
    (x * x).sum().backward()
    y = torch.tanh(x[:, None] @ x[None, :])
    y.backward(torch.ones_like(y))
    (g,) = torch.autograd.grad((x**3).sum(), x, create_graph=True)
    torch.autograd.grad(g, x, grad_outputs=torch.ones_like(g))
    torch.autograd.functional.hessian(lambda v: (v**3).sum(), x.detach())
    opt = torch.optim.SGD([x], lr=0.1, momentum=0.9, nesterov=True)
    opt.zero_grad()
    (x * x).sum().backward()
    opt.step()
    torch.func.vmap(torch.func.grad(lambda v: (v * v).sum()))(torch.ones(2, 2))
    torch.nn.functional.mse_loss(x.detach(), torch.zeros(2))
    torch.linalg.eigvalsh(torch.eye(2))


class _CappedText(io.TextIOBase):
    """A text stream that forwards at most ``cap`` characters, then drops the rest.

    A student's runaway ``print`` loop must not fail their code (the file-size limit
    would make the write raise); what is kept is all the grader shows anyway.
    """

    def __init__(self, inner: Any, cap: int) -> None:
        self.inner, self.cap, self.written = inner, cap, 0

    def write(self, text: str) -> int:
        room = self.cap - self.written
        if room > 0:
            self.inner.write(text[:room])
            self.inner.flush()
        self.written += len(text)
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.inner.flush()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def isatty(self) -> bool:
        return False


def _read_files(files: dict[str, str]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for name, path in list(files.items())[:_MAX_FILES]:
        with open(path, "rb") as fh:
            out[name] = fh.read(_MAX_FILE + 1)[:_MAX_FILE]
    return out


def _sandbox_main(
    request: dict,
    sock: socket.socket,
    out_fd: int,
    prot: Protections,
    in_pidns: bool,
    files: dict[str, bytes],
) -> None:
    limits = request["limits"]
    keep = request.get("keep", [])
    workdir = scratch_dir(keep)
    mask_paths(request.get("hide", []), keep, prot, in_pidns, scratch=workdir)
    make_workdir(
        workdir, files, size_mb=max(1, int(limits["file_size_mb"]) * 4), uid=request.get("uid")
    )
    os.chdir(workdir)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    keep_fds = {0, 1, 2, sock.fileno()}
    for fd in range(3, 1024):
        if fd not in keep_fds:
            with contextlib.suppress(OSError):
                os.close(fd)
    cap = int(limits["output_kb"]) * 1024 + 1
    sys.stdout = _CappedText(sys.stdout, cap)
    sys.stderr = _CappedText(sys.stderr, cap)
    os.environ.clear()
    os.environ.update(
        {
            "PATH": "/usr/bin:/bin",
            "HOME": workdir,
            "TMPDIR": workdir,
            "LANG": "C.UTF-8",
            "OMP_NUM_THREADS": "1",
            "MPLBACKEND": "Agg",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
    )
    confine_process(
        prot,
        uid=request.get("uid"),
        cpu_seconds=int(limits["cpu_seconds"]),
        memory_mb=int(limits["memory_mb"]),
        processes=int(limits["processes"]),
        file_size_mb=int(limits["file_size_mb"]),
        open_files=int(limits["open_files"]),
    )
    sys.path[:] = [workdir] + [
        p for p in sys.path if (p and "site-packages" in p) or p.startswith(sys.base_prefix)
    ]
    sys.argv = ["submission"]
    write_message(sock, {"op": "hello", "protections": prot.applied, "notes": prot.notes})
    Harness(workdir).serve(sock)


def _keeper(request: dict, sock: socket.socket, out_fd: int) -> None:
    """Runs in the forked keeper: namespaces, then fork the sandbox and wait for it."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    files = _read_files(request.get("files", {}))
    prot = Protections()
    in_pidns = confine_namespaces(prot)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w)
        os.read(r, 1)
        os.close(r)
        try:
            _sandbox_main(request, sock, out_fd, prot, in_pidns, files)
        finally:
            os._exit(0)
    os.close(r)
    write_message(sock, {"op": "spawned", "pid": pid})
    os.write(w, b"g")
    os.close(w)
    sock.close()
    os.close(out_fd)
    os.waitpid(pid, 0)


def serve(control: socket.socket) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # keepers are reaped automatically
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(control, 1 << 20, 2)
        except (ConnectionError, OSError):
            return
        if not data:
            return
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            continue
        request = json.loads(data)
        child_fd, out_fd = fds
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                control.close()
                _keeper(request, socket.socket(fileno=child_fd), out_fd)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(child_fd)
        os.close(out_fd)
        control.send(json.dumps({"keeper": pid, "t": time.time()}).encode())


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    fd = int(args[0])
    die_with_parent()  # die with the grader process that started us
    warm_up(with_torch="--no-torch" not in args)
    # Everything imported so far is shared with every sandbox: keep the garbage collector
    # from walking (and so copying, page by page) those objects in each forked child.
    gc.collect()
    gc.freeze()
    control = socket.socket(fileno=fd)
    control.send(b'{"ready": true}')
    serve(control)


if __name__ == "__main__":
    main()
