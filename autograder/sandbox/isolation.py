"""Confining a freshly forked process with what Linux offers.

:func:`confine` is called in the child, after ``fork`` and before any student code
runs. It applies, in order and as far as the platform allows:

1. new mount, network, IPC, UTS and PID namespaces (``unshare``; as root directly,
   otherwise inside a new user namespace);
2. a private mount tree in which the instructor's paths (course directory, reference,
   hidden checks, secret, gradebook, other submissions, ``/tmp``, home directories)
   are covered by empty read-only tmpfs mounts or ``/dev/null``, and a fresh ``/proc``
   that shows only the sandbox's own processes;
3. resource limits (CPU seconds, address space, processes, file size, open files, no
   core dumps);
4. an unprivileged uid/gid with no supplementary groups (when started as root);
5. ``PR_SET_NO_NEW_PRIVS`` and death with the parent (``PR_SET_PDEATHSIG``).

Each step that succeeds is recorded in the returned :class:`Protections`; the grader
refuses to grade when a required one is missing unless told otherwise.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import resource
import signal
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "REQUIRED",
    "Protections",
    "confine_namespaces",
    "confine_process",
    "die_with_parent",
    "make_workdir",
    "mask_paths",
    "scratch_dir",
]

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38

REQUIRED = ("namespaces", "network", "hidden_paths", "private_proc", "rlimits", "no_new_privs")
"""Protections that ``grade`` insists on (``unprivileged_uid`` is required as root)."""


@dataclass
class Protections:
    """Which protections are in force in a sandbox (sent to the grader at start)."""

    applied: dict[str, bool] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def mark(self, name: str, ok: bool, note: str = "") -> None:
        self.applied[name] = ok
        if not ok and note:
            self.notes.append(f"{name}: {note}")

    def missing(self, required: Iterable[str] = REQUIRED) -> list[str]:
        return [name for name in required if not self.applied.get(name)]


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(
    libc: ctypes.CDLL,
    source: str,
    target: str,
    fstype: str | None,
    flags: int,
    data: str | None = None,
) -> None:
    _check(
        libc.mount(
            source.encode(),
            target.encode(),
            fstype.encode() if fstype else None,
            flags,
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def _write(path: str, text: str) -> None:
    with open(path, "w") as fh:
        fh.write(text)


def confine_namespaces(prot: Protections) -> bool:
    """Enter new namespaces; return True if a PID namespace was created (fork next)."""
    libc = _libc()
    if libc is None:
        prot.mark("namespaces", False, "not Linux")
        prot.mark("network", False, "not Linux")
        return False
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID
    uid, gid = os.geteuid(), os.getegid()
    try:
        if uid == 0:
            _check(libc.unshare(flags), "unshare")
        else:
            _check(libc.unshare(flags | CLONE_NEWUSER), "unshare(user)")
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"{uid} {uid} 1")
            _write("/proc/self/gid_map", f"{gid} {gid} 1")
    except OSError as exc:
        prot.mark("namespaces", False, str(exc))
        prot.mark("network", False, "no network namespace")
        return False
    prot.mark("namespaces", True)
    prot.mark("network", True)
    return True


MS_REMOUNT, MS_MOVE = 32, 8192


def _minimal(paths: Iterable[Path]) -> list[Path]:
    """The paths not inside another one of them, shallowest first."""
    out: list[Path] = []
    for p in sorted(set(paths), key=lambda q: (len(q.parts), str(q))):
        if not any(p == q or q in p.parents for q in out):
            out.append(p)
    return out


SCRATCH_CANDIDATES = ("/tmp", "/var/tmp", "/mnt", "/srv", "/media", "/opt")
"""Where a sandbox's private, writable tmpfs (its working folder) may be mounted."""


def scratch_dir(keep: Iterable[str]) -> str:
    """The first candidate folder that no kept path lies in (a virtual environment may
    live under ``/tmp``: mounting the working folder there would hide the interpreter)."""
    keep_paths = [Path(os.path.realpath(k)) for k in keep]
    for candidate in SCRATCH_CANDIDATES:
        path = Path(candidate)
        if (
            path.is_dir()
            and not path.is_symlink()
            and not any(path == k or path in k.parents for k in keep_paths)
        ):
            return candidate
    raise OSError("no folder is free for the sandbox's working directory")


def mask_paths(
    hide: Iterable[str],
    keep: Iterable[str],
    prot: Protections,
    in_pid_namespace: bool,
    scratch: str = "/tmp",
) -> None:
    """Cover every ``hide`` path, re-exposing the ``keep`` paths inside them, and remount /proc.

    A hidden directory becomes an empty read-only tmpfs (a hidden file, ``/dev/null``).
    A kept path inside it (the interpreter, its standard library, site-packages) is
    bind-mounted aside first and moved back into the new tmpfs at the same path, so it
    stays readable even by an unprivileged uid while everything around it disappears.
    """
    libc = _libc()
    if libc is None or not prot.applied.get("namespaces"):
        prot.mark("hidden_paths", False, "no mount namespace")
        prot.mark("private_proc", False, "no mount namespace")
        return
    keep_roots = _minimal(Path(os.path.realpath(k)) for k in keep)
    staging = Path(scratch)  # covered by the working folder's own tmpfs afterwards
    hidden = sorted(
        {Path(os.path.realpath(h)) for h in hide} - {staging}, key=lambda q: len(q.parts)
    )
    failures: list[str] = []
    staged = 0

    def cover(path: Path) -> None:
        nonlocal staged
        if not os.path.lexists(path):
            return  # already hidden by a covering mount, or never existed
        if not path.is_dir() or path.is_symlink():
            _mount(libc, "/dev/null", str(path), None, MS_BIND)
            return
        inside = [k for k in keep_roots if path in k.parents and os.path.isdir(k)]
        moves = []
        for k in inside:
            stage = staging / f".keep{staged}"
            staged += 1
            stage.mkdir()
            _mount(libc, str(k), str(stage), None, MS_BIND | MS_REC)
            moves.append((stage, path / k.relative_to(path)))
        flags = MS_NOSUID | MS_NODEV | (0 if moves else MS_RDONLY | MS_NOEXEC)
        _mount(libc, "tmpfs", str(path), "tmpfs", flags, "size=64k,mode=0755")
        for stage, target in moves:
            target.mkdir(parents=True, exist_ok=True)
            _mount(libc, str(stage), str(target), None, MS_MOVE)
        if moves:
            _mount(libc, "tmpfs", str(path), None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)

    try:
        _mount(libc, "none", "/", None, MS_REC | MS_PRIVATE)
        _mount(libc, "tmpfs", str(staging), "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0700")
    except OSError as exc:
        failures.append(str(exc))
    else:
        for p in hidden:
            try:
                cover(p)
            except OSError as exc:
                failures.append(f"{p}: {exc}")
    prot.mark("hidden_paths", not failures, "; ".join(failures[:3]))
    if in_pid_namespace:
        try:
            _mount(libc, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
            prot.mark("private_proc", True)
        except OSError as exc:
            prot.mark("private_proc", False, str(exc))
    else:
        prot.mark("private_proc", False, "no PID namespace")


def make_workdir(path: str, files: dict[str, bytes], size_mb: int, uid: int | None) -> None:
    """Mount a fresh tmpfs at ``path`` (if possible) and write the submission into it."""
    libc = _libc()
    os.makedirs(path, exist_ok=True)
    if libc is not None:
        with contextlib.suppress(OSError):
            _mount(libc, "tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size_mb}m,mode=0700")
    for name, data in files.items():
        target = os.path.join(path, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(data)
    if uid is not None and os.geteuid() == 0:
        for root, dirs, names in os.walk(path):
            for n in [*dirs, *names]:
                os.chown(os.path.join(root, n), uid, uid)
        os.chown(path, uid, uid)


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux only)."""
    libc = _libc()
    if libc is not None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def confine_process(
    prot: Protections,
    *,
    uid: int | None,
    cpu_seconds: int,
    memory_mb: int,
    processes: int,
    file_size_mb: int,
    open_files: int,
) -> None:
    """Resource limits, an unprivileged uid, no_new_privs and death with the parent."""
    libc = _libc()
    die_with_parent()
    try:
        current_vm = _vm_size_bytes()
        limits = [
            (resource.RLIMIT_CPU, cpu_seconds),
            (resource.RLIMIT_FSIZE, file_size_mb * 1024 * 1024),
            (resource.RLIMIT_NOFILE, open_files),
            (resource.RLIMIT_CORE, 0),
            (resource.RLIMIT_AS, current_vm + memory_mb * 1024 * 1024),
        ]
        if hasattr(resource, "RLIMIT_NPROC"):
            limits.append((resource.RLIMIT_NPROC, processes))
        for which, value in limits:
            resource.setrlimit(which, (value, value))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        prot.mark("rlimits", True)
    except (OSError, ValueError) as exc:
        prot.mark("rlimits", False, str(exc))
    if os.geteuid() == 0 and uid is not None:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            prot.mark("unprivileged_uid", True)
        except OSError as exc:
            prot.mark("unprivileged_uid", False, str(exc))
    else:
        prot.mark("unprivileged_uid", os.geteuid() != 0, "running as root")
    if libc is not None:
        ok = libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
        prot.mark("no_new_privs", ok, "prctl failed")
    else:
        prot.mark("no_new_privs", False, "not Linux")


def _vm_size_bytes() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 4 * 1024**3
