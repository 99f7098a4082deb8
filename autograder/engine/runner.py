"""Running checks over many submissions: parallel workers, each with its own warm zygote.

The main process hands out small chunks of submissions to ``workers`` forked worker
processes. Each worker starts a zygote once, then runs one in-process pytest session
per chunk with the :class:`~autograder.engine.plugin.GradingPlugin`. Every finished
submission travels back as plain data and is handed to ``on_result`` at once, so the
caller can store it before the next arrives. A worker that dies is replaced and its
unfinished submissions are retried once; a submission that kills two workers is
recorded as a grader fault rather than lost.
"""

from __future__ import annotations

import gc
import importlib.util
import multiprocessing as mp
import os
import queue
import site
import sys
import sysconfig
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder.config import Course
from autograder.engine.plugin import GradingPlugin, Job
from autograder.engine.session import IsolationPolicy
from autograder.errors import GraderError
from autograder.results import CheckResult, SubmissionResult
from autograder.sandbox.client import Zygote

__all__ = [
    "RunOptions",
    "RunSummary",
    "check_files",
    "default_keep",
    "grade_parallel",
    "instructor_paths",
    "normalise_jobs",
    "run_jobs",
]

TORCH_EXERCISES = frozenset({"gd_1d", "divergence", "upstream", "momentum", "schedules"})
"""Exercises whose checks or reference may hand tensors to the sandbox."""


@dataclass(frozen=True)
class RunOptions:
    """How a run behaves."""

    workers: int = 2
    visibility: str = "hidden"
    exercises: frozenset[str] | None = None
    allow_insecure: bool = False
    chunk_size: int = 8
    extra_hide: tuple[str, ...] = ()
    hide_instructor_paths: bool = True  # False only for trusted code (``validate``)
    checks_dir: Path | None = None  # another folder of check modules
    torch: bool | None = None  # None: only if a graded exercise needs it


@dataclass
class RunSummary:
    """What happened in a run, beyond the per-submission results."""

    submissions: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    grader_faults: list[str] = field(default_factory=list)
    collection_errors: list[str] = field(default_factory=list)


def check_files(
    course: Course, visibility: str, exercises: Iterable[str], checks_dir: Path | None = None
) -> list[str]:
    """The check modules for ``exercises`` (hidden ones ship with the grader).

    ``checks_dir`` points at another folder of check modules (``<exercise>.py``).
    """
    if checks_dir is not None:
        base = Path(checks_dir)
    elif visibility == "hidden":
        base = Path(__file__).resolve().parent.parent / "checks"
    else:
        spec = importlib.util.find_spec("exercises")
        roots = list(spec.submodule_search_locations or []) if spec else []
        base = Path(roots[0]) / "checks" if roots else course.root / "exercises" / "checks"
    files = [base / f"{name}.py" for name in exercises]
    return [str(f) for f in files if f.is_file()]


def default_keep() -> list[str]:
    """Paths the sandbox needs: the interpreter, its standard library and site-packages."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(sys.executable)}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        paths.add(sysconfig.get_paths()[key])
    paths.update(site.getsitepackages())
    return sorted(p for p in paths if p)


SYSTEM_PATHS = ("/root", "/home", "/tmp", "/var/tmp", "/dev/shm", "/run", "/srv", "/mnt", "/media")
"""Hidden from every sandbox, even for trusted code: homes, shared memory, runtime files.
Hiding them also re-exposes a kept interpreter under ``/root`` as world-readable."""


def instructor_paths(course: Course, extra: Sequence[str] = ()) -> list[str]:
    """Everything a sandbox must not see: the course, reference, checks, secret, homes."""
    hide = {str(course.root), str(course.secret_file), *SYSTEM_PATHS}
    for package in ("reference", "autograder", "exercises"):
        spec = importlib.util.find_spec(package)
        for loc in (spec.submodule_search_locations or []) if spec else []:
            hide.add(str(Path(loc).resolve()))
    hide.update(str(Path(p).resolve()) for p in extra)
    return sorted(hide)


def _trusted_keep() -> list[str]:
    """For trusted code only (``validate``): the reference package stays visible.

    The package folder itself is kept, not the course folder around it: under a hidden
    path (``/tmp``, ``/root``...) the folders above a kept path are made anew, readable,
    so the sandbox's unprivileged uid reaches the reference even in a private (0700)
    checkout.
    """
    keep: set[str] = set()
    spec = importlib.util.find_spec("reference")
    for loc in (spec.submodule_search_locations or []) if spec else []:
        keep.add(str(Path(loc).resolve()))
    return sorted(keep)


def _needs_torch(options: RunOptions, exercises: Iterable[str]) -> bool:
    if options.torch is not None:
        return options.torch
    return any(e in TORCH_EXERCISES for e in exercises)


def normalise_jobs(
    course: Course, assignment: str | None, jobs: Sequence[Job], options: RunOptions
) -> tuple[list[Job], list[str]]:
    """Give part-less jobs a part for ``assignment``; return the jobs and all their exercises."""
    default: frozenset[str] = frozenset()
    if assignment is not None:
        default = options.exercises or frozenset(
            e.name for e in course.assignment(assignment).exercises
        )
    out = []
    for job in jobs:
        if not job.parts:
            if assignment is None:
                raise GraderError(f"job {job.id!r} has no parts and no assignment was given")
            job = job.with_default_part(assignment, default)
        out.append(job)
    exercises = sorted({e for job in out for part in job.parts for e in part.exercises})
    if options.exercises is not None:
        exercises = [e for e in exercises if e in options.exercises]
    return out, exercises


_DISABLED_PLUGINS = [
    arg
    for name in (
        "logging",
        "warnings",
        "doctest",
        "junitxml",
        "pastebin",
        "stepwise",
        "faulthandler",
        "unraisableexception",
        "threadexception",
        "cacheprovider",
        "lfplugin",
        "nfplugin",
        "legacypath",
        "tmpdir",
        "monkeypatch",
        "debugging",
    )
    for arg in ("-p", f"no:{name}")
]
"""pytest plugins the checks do not need; the logging plugin alone costs ~1 ms a check."""


_FROZEN: list[bool] = []


def _freeze_once() -> None:
    """Keep the garbage collector off the libraries loaded so far (once per process: later
    objects, e.g. finished submissions, must stay collectable)."""
    if not _FROZEN:
        gc.collect()
        gc.freeze()
        _FROZEN.append(True)


def _warm_trusted_torch() -> None:
    import torch

    x = torch.ones(2, requires_grad=True, dtype=torch.float64)
    (g,) = torch.autograd.grad((x**3).sum(), x, create_graph=True)
    torch.autograd.grad(g, x, grad_outputs=torch.ones_like(g))


def run_jobs(
    course: Course,
    assignment: str | None,
    jobs: Sequence[Job],
    options: RunOptions,
    sink: Callable[[SubmissionResult], None],
    *,
    zygote: Zygote | None = None,
    uid: int | None = None,
) -> RunSummary:
    """Grade ``jobs`` in this process (one pytest session). Used by each worker.

    Jobs without parts are graded for ``assignment`` (its exercises, or
    ``options.exercises``); each part of each job is passed to ``sink`` once done.
    """
    jobs, exercises = normalise_jobs(course, assignment, jobs, options)
    files = check_files(course, options.visibility, exercises, options.checks_dir)
    summary = RunSummary()
    if not files:
        raise GraderError(f"no {options.visibility} checks found for {', '.join(exercises)}")
    if options.visibility == "hidden" and len(files) < len(exercises):
        found = {Path(f).stem for f in files}
        missing = ", ".join(e for e in exercises if e not in found)
        raise GraderError(f"no hidden checks for {missing}: their points could not be awarded")
    own_zygote = zygote is None
    if zygote is None:
        zygote = Zygote(torch=_needs_torch(options, exercises))
    if _needs_torch(options, exercises):
        _warm_trusted_torch()  # the reference's autograd runs here: pay torch's start-up once
    _freeze_once()
    isolation = IsolationPolicy(allow_insecure=options.allow_insecure)
    plugin = GradingPlugin(
        course=course,
        jobs=jobs,
        zygote=zygote,
        isolation=isolation,
        hide=(
            instructor_paths(course, options.extra_hide)
            if options.hide_instructor_paths
            else list(SYSTEM_PATHS)
        ),
        keep=default_keep() + ([] if options.hide_instructor_paths else _trusted_keep()),
        uid=uid if uid is not None else (61000 if os.geteuid() == 0 else None),
        sink=sink,
        visibility=options.visibility,
        exercises=set(exercises),
    )
    args = [
        *files,
        "-s",
        "-p",
        "no:randomly",
        *_DISABLED_PLUGINS,
        "-c",
        os.devnull,
        "--rootdir",
        str(Path(files[0]).parent),
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
        "-o",
        "python_files=*.py",
        "-o",
        "console_output_style=classic",
    ]
    args += ["-q", "--no-header"] if os.environ.get("AUTOGRADER_DEBUG") else ["-p", "no:terminal"]
    start = time.monotonic()
    try:
        code = pytest.main(args, plugins=[plugin])
    finally:
        plugin.release()
        if own_zygote:
            zygote.close()
    summary.seconds = time.monotonic() - start
    summary.submissions = len(jobs)
    summary.warnings = list(isolation.warnings)
    summary.grader_faults = list(plugin.grader_faults)
    summary.collection_errors = list(plugin.collection_errors)
    if plugin.collection_errors or code in (
        pytest.ExitCode.INTERNAL_ERROR,
        pytest.ExitCode.USAGE_ERROR,
    ):
        detail = "\n".join(plugin.collection_errors)[-3000:]
        raise GraderError(f"the checks could not be collected (pytest exit {int(code)})\n{detail}")
    return summary


# ---------------------------------------------------------------------- parallel


def _worker(
    index: int,
    course: Course,
    exercises: list[str],
    options: RunOptions,
    tasks: mp.Queue,
    results: mp.Queue,
) -> None:
    uid = 61000 + index if os.geteuid() == 0 else None
    try:
        zygote = Zygote(torch=_needs_torch(options, exercises))
    except GraderError as exc:
        results.put(("fatal", index, str(exc)))
        return
    try:
        while True:
            chunk = tasks.get()
            if chunk is None:
                break
            results.put(("start", index, [j.id for j in chunk]))
            try:
                summary = run_jobs(
                    course,
                    None,
                    chunk,
                    options,
                    lambda r: results.put(("result", index, r.to_dict())),
                    zygote=zygote,
                    uid=uid,
                )
            except GraderError as exc:
                results.put(("fatal", index, str(exc)))
                break
            results.put(
                (
                    "chunk",
                    index,
                    {"warnings": summary.warnings, "grader_faults": summary.grader_faults},
                )
            )
    finally:
        zygote.close()


def grade_parallel(
    course: Course,
    assignment: str | None,
    jobs: Sequence[Job],
    options: RunOptions,
    on_result: Callable[[SubmissionResult], None],
) -> RunSummary:
    """Grade ``jobs`` with ``options.workers`` processes; call ``on_result`` for each part."""
    summary = RunSummary(submissions=len(jobs))
    start = time.monotonic()
    if not jobs:
        return summary
    jobs, exercises = normalise_jobs(course, assignment, jobs, options)
    ctx = mp.get_context("fork")
    tasks: mp.Queue = ctx.Queue()
    results: mp.Queue = ctx.Queue()
    by_id = {j.id: j for j in jobs}
    remaining = {j.id: {p.assignment for p in j.parts} for j in jobs}
    n_workers = max(1, min(options.workers, len(jobs)))
    size = max(1, min(options.chunk_size, -(-len(jobs) // n_workers)))
    for i in range(0, len(jobs), size):
        tasks.put(list(jobs[i : i + size]))
    procs: dict[int, mp.Process] = {}

    def start_worker(index: int) -> None:
        p = ctx.Process(
            target=_worker, args=(index, course, exercises, options, tasks, results), daemon=True
        )
        p.start()
        procs[index] = p

    def deliver(result: SubmissionResult) -> None:
        left = remaining.get(result.submission)
        if left is not None and result.assignment in left:
            left.discard(result.assignment)
            if not left:
                del remaining[result.submission]
            on_result(result)

    for i in range(n_workers):
        start_worker(i)
    in_flight: dict[int, list[str]] = {}
    retried: set[str] = set()
    next_index = n_workers
    fatal: str | None = None
    while remaining and fatal is None:
        try:
            kind, index, payload = results.get(timeout=0.5)
        except queue.Empty:
            for index, p in list(procs.items()):
                if p.is_alive():
                    continue
                del procs[index]
                lost = [j for j in in_flight.pop(index, []) if j in remaining]
                retry = []
                for job_id in lost:
                    if job_id in retried:
                        for r in _fault_results(by_id[job_id], "a grading worker died twice on it"):
                            deliver(r)
                    else:
                        retried.add(job_id)
                        retry.append(by_id[job_id])
                if retry:
                    tasks.put(retry)
                if remaining:
                    start_worker(next_index)
                    next_index += 1
            continue
        if kind == "start":
            in_flight[index] = list(payload)
        elif kind == "result":
            deliver(SubmissionResult.from_dict(payload))
        elif kind == "chunk":
            for w in payload["warnings"]:
                if w not in summary.warnings:
                    summary.warnings.append(w)
            summary.grader_faults.extend(payload["grader_faults"])
        elif kind == "fatal":
            fatal = payload
    for _ in procs:
        tasks.put(None)
    for p in procs.values():
        p.join(timeout=5)
        if p.is_alive():
            p.kill()
    summary.seconds = time.monotonic() - start
    if fatal is not None:
        raise GraderError(fatal)
    return summary


def _fault_results(job: Job, why: str) -> list[SubmissionResult]:
    out = []
    for part in job.parts:
        check = CheckResult(
            submission=job.id,
            assignment=part.assignment,
            exercise="*",
            check="*",
            title="Grading",
            status="error",
            points=0.0,
            max_points=0.0,
            message=f"This submission could not be graded: {why}. The instructor has been told.",
            seed=part.seed,
            duration=0.0,
            grader_fault=True,
        )
        out.append(
            SubmissionResult(
                submission=job.id,
                assignment=part.assignment,
                checks=(check,),
                seed=part.seed,
                fingerprint=part.fingerprint,
            )
        )
    return out
