"""The pytest plugin that runs checks against sandboxed submissions.

Checks are ordinary pytest tests. A check module names its exercise in a module-level
``EXERCISE`` (defaulting to the file name) and its tests take the fixtures

* ``student`` — a :class:`~autograder.engine.student.Student` proxy for this exercise
  of the submission being graded;
* ``rng`` — a ``numpy.random.Generator`` seeded from the submission's secret seed and
  the check's id;
* ``credit`` — to award partial credit (``credit.partial(passed, total)``).

The plugin parametrises every such test over the submissions of the run, orders items
submission by submission (one sandbox in use at a time), turns each outcome into a
:class:`~autograder.results.CheckResult` and hands each finished submission to a sink.
When a submission's session opens, the sandbox of the next submission is started, so
that it confines itself while this one is graded (one such sandbox at a time; it runs
nothing of the submission until its first request, and is killed if never used).
A test's weight comes from ``@pytest.mark.weight(w)`` (default 1) or from per-check
points in ``course.yaml``; an exercise's points are split among its checks by weight.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import itertools
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from autograder.compare import ComparisonPolicy, collect_evidence, use_policy
from autograder.config import Course
from autograder.engine.seeding import check_rng, check_seed
from autograder.engine.session import IsolationPolicy, SubmissionSession
from autograder.engine.student import Student
from autograder.errors import GraderError, StudentCodeError, SubmissionError, WrongAnswer
from autograder.protocol.codec import encode
from autograder.results import CheckResult, SubmissionResult
from autograder.sandbox.client import PendingSandbox, SandboxSpec, Zygote

__all__ = ["Credit", "Evidence", "GradingPlugin", "Job", "Part"]

_SUB_ID = re.compile(r"(^|-)S\d+(?=-|$)")


@dataclass(frozen=True)
class Part:
    """One assignment of one submission: which exercises, with which seed and penalty."""

    assignment: str
    exercises: frozenset[str]
    seed: int
    late_multiplier: float = 1.0
    fingerprint: str = ""


@dataclass(frozen=True)
class Job:
    """One submission to grade: its id, files (name in sandbox → path) and parts.

    A job is graded in one sandbox for all its parts (assignments); each part yields
    one :class:`~autograder.results.SubmissionResult`. A job built without parts gets
    one part for the run's assignment, seeded with ``seed``.
    """

    id: str
    files: Mapping[str, str]
    seed: int = 0
    fingerprint: str = ""
    problems: tuple[str, ...] = ()
    submitted_at: str | None = None
    late_multiplier: float = 1.0
    parts: tuple[Part, ...] = ()

    def with_default_part(self, assignment: str, exercises: frozenset[str]) -> Job:
        if self.parts:
            return self
        part = Part(assignment, exercises, self.seed, self.late_multiplier, self.fingerprint)
        return dataclasses.replace(self, parts=(part,))

    def part_for(self, exercise: str) -> Part | None:
        return next((p for p in self.parts if exercise in p.exercises), None)


class Evidence:
    """Data a check attaches so feedback can draw the student's result against the reference.

    ``evidence.add("trajectory", got=..., expected=..., landscape=q.spec(), title=...)``;
    values are stored as plain data (arrays encoded like everything else that crosses)
    and long arrays are thinned to at most ``MAX_POINTS`` rows.
    """

    MAX_POINTS = 400
    MAX_ITEMS = 4

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, kind: str, **data: Any) -> None:
        """Attach one item; the same run offered again (a helper comparing twice, first
        without and then with its named mistakes) only updates the title."""
        clean: dict[str, Any] = {"kind": kind}
        for key, value in data.items():
            if isinstance(value, (list, tuple)) and value and not isinstance(value[0], str):
                value = np.asarray(value)
            if isinstance(value, np.ndarray) and value.ndim >= 1 and len(value) > self.MAX_POINTS:
                step = -(-len(value) // self.MAX_POINTS)
                value = value[::step]
            try:
                clean[key] = encode(value)
            except TypeError:
                clean[key] = repr(value)[:200]
        same = {k: v for k, v in clean.items() if k != "title"}
        for item in self.items:
            if {k: v for k, v in item.items() if k != "title"} == same:
                if len(str(clean.get("title", ""))) >= len(str(item.get("title", ""))):
                    item["title"] = clean.get("title", "")
                return
        if len(self.items) < self.MAX_ITEMS:
            self.items.append(clean)


class Credit:
    """Partial credit for the current check.

    Either set the fraction directly (``credit.partial(3, 4)`` → 75 % of the points), or
    count cases::

        for case in cases:
            with credit.case():
                expect_close(student.call(...), expected, ...)
        credit.finish()   # awards passed/total and raises the first failure, if any

    ``case()`` remembers a :class:`WrongAnswer` instead of raising it, so later cases still
    run; with ``student_errors=True`` it also remembers a
    :class:`~autograder.errors.StudentCodeError` (the student's code raised in that case).
    Time-outs and crashes are never caught.
    """

    def __init__(self) -> None:
        self.fraction: float | None = None
        self.passed = 0
        self.total = 0
        self.failures: list[Exception] = []

    def partial(self, passed: int, total: int) -> None:
        self.fraction = 0.0 if total <= 0 else max(0.0, min(1.0, passed / total))

    @contextlib.contextmanager
    def case(self, *, student_errors: bool = False) -> Iterator[None]:
        caught: tuple[type[Exception], ...] = (
            (WrongAnswer, StudentCodeError) if student_errors else (WrongAnswer,)
        )
        self.total += 1
        try:
            yield
        except caught as exc:
            self.failures.append(exc)
        else:
            self.passed += 1

    def finish(self) -> None:
        self.partial(self.passed, self.total)
        if self.failures:
            raise self.failures[0]


@dataclass
class _Pending:
    results: dict[str, list[CheckResult]] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)


class GradingPlugin:
    """Registered with ``pytest.main(..., plugins=[plugin])`` by the runner."""

    def __init__(
        self,
        *,
        course: Course,
        jobs: Sequence[Job],
        zygote: Zygote,
        isolation: IsolationPolicy,
        hide: Sequence[str],
        keep: Sequence[str],
        uid: int | None,
        sink: Callable[[SubmissionResult], None],
        visibility: str = "hidden",
        exercises: set[str] | None = None,
    ) -> None:
        self.course = course
        self.jobs = list(jobs)
        self._job_index = {j.id: i for i, j in enumerate(self.jobs)}
        self.zygote, self.isolation = zygote, isolation
        self.hide, self.keep, self.uid = tuple(hide), tuple(keep), uid
        self.sink, self.visibility = sink, visibility
        self.exercises = exercises
        self.max_points: dict[str, float] = {}
        self._sessions: dict[str, SubmissionSession] = {}
        self._pending: dict[str, _Pending] = {}
        self._next: dict[str, str] = {}  # job id -> the id of the job graded after it
        self._prestarted: tuple[str, PendingSandbox] | None = None
        self.collection_errors: list[str] = []
        self.grader_faults: list[str] = []
        self._finished: set[str] = set()

    # ------------------------------------------------------------------ collection
    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "student" in metafunc.fixturenames or "rng" in metafunc.fixturenames:
            metafunc.parametrize(
                "submission_job", self.jobs, ids=[f"S{i}" for i in range(len(self.jobs))]
            )

    @staticmethod
    def exercise_of(item: pytest.Item) -> str:
        module = getattr(item, "module", None)
        exercise = getattr(module, "EXERCISE", None)
        return str(exercise) if exercise is not None else item.path.stem

    @staticmethod
    def check_key(item: pytest.Item) -> str:
        name = item.name
        if "[" not in name:
            return name
        base, inner = name.split("[", 1)
        inner = _SUB_ID.sub("", inner[:-1]).strip("-")
        return f"{base}[{inner}]" if inner else base

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append(f"{report.nodeid}: {report.longreprtext[-2000:]}")

    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        keep = [
            i
            for i in items
            if hasattr(i, "callspec")
            and "submission_job" in i.callspec.params
            and (self.exercises is None or self.exercise_of(i) in self.exercises)
            and i.callspec.params["submission_job"].part_for(self.exercise_of(i)) is not None
        ]
        deselected = [i for i in items if i not in keep]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
        order = {id(item): n for n, item in enumerate(keep)}
        keep.sort(
            key=lambda i: (self._job_index[i.callspec.params["submission_job"].id], order[id(i)])
        )
        for item in keep:
            # pytest's traceback formatting re-parses the check's source for every
            # failure (tens of ms); the grader only ever uses the exception's message.
            item.repr_failure = _short_failure  # type: ignore[method-assign]
        items[:] = keep
        order = list(dict.fromkeys(i.callspec.params["submission_job"].id for i in keep))
        self._next = dict(itertools.pairwise(order))
        self._assign_points(keep)

    def _assign_points(self, items: list[pytest.Item]) -> None:
        weights: dict[str, dict[str, float]] = {}
        for item in items:
            exercise = self.exercise_of(item)
            if exercise not in self.course.exercises:
                raise GraderError(
                    f"{item.nodeid}: exercise {exercise!r} is not in {self.course.path.name}"
                )
            marker = item.get_closest_marker("weight")
            w = float(marker.args[0]) if marker else 1.0
            weights.setdefault(exercise, {})[self.check_key(item)] = w
        for exercise, checks in weights.items():
            cfg = self.course.exercises[exercise]
            total_w = sum(checks.values()) or 1.0
            for key, w in checks.items():
                base = key.split("[", 1)[0]
                if key in cfg.check_points:
                    pts = cfg.check_points[key]
                elif base in cfg.check_points:
                    siblings = [k for k in checks if k.split("[", 1)[0] == base]
                    pts = cfg.check_points[base] / len(siblings)
                else:
                    pts = cfg.points * w / total_w
                self.max_points[f"{exercise}::{key}"] = pts

    # ------------------------------------------------------------------ fixtures
    def _spec(self, job: Job) -> SandboxSpec:
        return SandboxSpec(
            files=job.files,
            limits=self.course.limits,
            hide=self.hide,
            keep=self.keep,
            uid=self.uid,
        )

    def _session(self, job: Job) -> SubmissionSession:
        if job.id not in self._sessions:
            pending = self._take_prestarted(job.id)
            self._sessions[job.id] = SubmissionSession(
                self.zygote, self._spec(job), self.isolation, pending=pending
            )
            self._pending.setdefault(job.id, _Pending())
            self._prestart_after(job.id)
        return self._sessions[job.id]

    def _take_prestarted(self, job_id: str) -> PendingSandbox | None:
        """The sandbox started in advance for ``job_id``; any other one is aborted."""
        prestarted, self._prestarted = self._prestarted, None
        if prestarted is None:
            return None
        if prestarted[0] == job_id:
            return prestarted[1]
        prestarted[1].abort()
        return None

    def _prestart_after(self, job_id: str) -> None:
        """Start the sandbox of the job graded after ``job_id``, if there is one.

        A failure here is left for that job's own session to meet (and report).
        """
        next_id = self._next.get(job_id)
        if next_id is None or self._prestarted is not None:
            return
        job = self.jobs[self._job_index[next_id]]
        try:
            self._prestarted = (next_id, self.zygote.start(self._spec(job)))
        except (GraderError, OSError):
            self._prestarted = None

    def release(self) -> None:
        """Abort the sandbox started in advance, if any, and close every open session."""
        prestarted, self._prestarted = self._prestarted, None
        if prestarted is not None:
            prestarted[1].abort()
        for session in self._sessions.values():
            session.close()

    @pytest.fixture
    def student(self, request: pytest.FixtureRequest, submission_job: Job) -> Student:
        return Student(self._session(submission_job), self.exercise_of(request.node))

    @pytest.fixture
    def rng(self, request: pytest.FixtureRequest, submission_job: Job) -> Any:
        return self._rng(submission_job, request.node)

    @pytest.fixture
    def evidence(self, request: pytest.FixtureRequest) -> Evidence:
        e = Evidence()
        request.node.stash[_EVIDENCE] = e
        return e

    @pytest.fixture
    def credit(self, request: pytest.FixtureRequest) -> Credit:
        c = Credit()
        request.node.stash[_CREDIT] = c
        return c

    # ------------------------------------------------------------------ running
    def _policy(self, item: pytest.Item) -> ComparisonPolicy:
        exercise = self.exercise_of(item)
        reveal = self.visibility == "public" or self.course.feedback.show_expected
        tolerances = {
            d: self.course.tolerance(d, exercise) for d in ("float64", "float32", "float16")
        }
        return ComparisonPolicy(tolerances, reveal_expected=reveal)

    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        """Run the checks, calling plain ones directly (pytest's per-test protocol costs
        more than most checks); a check that asks for other fixtures gets the full protocol.
        """
        if session.config.option.collectonly:
            return True
        items = session.items
        for index, item in enumerate(items):
            nextitem = items[index + 1] if index + 1 < len(items) else None
            if isinstance(item, pytest.Function) and set(item.fixturenames) <= (
                _FAST_FIXTURES | {"request"} | set(item.callspec.params)
            ):
                self._run_direct(item)
            else:
                item.ihook.pytest_runtest_protocol(item=item, nextitem=nextitem)
                continue  # the protocol's teardown hook finishes the job
            self.pytest_runtest_teardown(item, nextitem)
            if session.shouldstop:
                raise session.Interrupted(str(session.shouldstop))
        return True

    def _run_direct(self, item: pytest.Function) -> None:
        job: Job = item.callspec.params["submission_job"]
        exercise = self.exercise_of(item)
        credit, evidence = Credit(), Evidence()
        item.stash[_CREDIT], item.stash[_EVIDENCE] = credit, evidence
        argnames = _argnames(item.obj)
        values: dict[str, Any] = {}
        for name in argnames:
            if name in item.callspec.params:
                values[name] = item.callspec.params[name]
            elif name == "student":
                values[name] = Student(self._session(job), exercise)
            elif name == "rng":
                values[name] = self._rng(job, item)
            elif name == "credit":
                values[name] = credit
            elif name == "evidence":
                values[name] = evidence
        exc: BaseException | None = None
        start = time.perf_counter()
        try:
            with use_policy(self._policy(item)), collect_evidence(evidence.add):
                item.obj(**values)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as caught:
            exc = caught
        self._store(item, exc, time.perf_counter() - start, detail="")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Any:
        evidence = item.stash.setdefault(_EVIDENCE, Evidence())
        with use_policy(self._policy(item)), collect_evidence(evidence.add):
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Any:
        report = yield
        if call.when == "call" or (call.when == "setup" and report.outcome != "passed"):
            exc = call.excinfo.value if call.excinfo and not report.passed else None
            self._store(item, exc, report.duration, detail=report.longreprtext)
        return report

    def _rng(self, job: Job, item: pytest.Item) -> np.random.Generator:
        exercise = self.exercise_of(item)
        part = job.part_for(exercise)
        assert part is not None  # items without a part were deselected
        return check_rng(part.seed, f"{exercise}::{self.check_key(item)}")

    def _store(
        self, item: pytest.Item, exc: BaseException | None, duration: float, detail: str
    ) -> None:
        """Turn the outcome of one check into a :class:`CheckResult` for its submission."""
        job: Job = item.callspec.params["submission_job"]
        exercise = self.exercise_of(item)
        key = self.check_key(item)
        max_points = self.max_points.get(f"{exercise}::{key}", 0.0)
        fault = False
        fraction = None
        if exc is None:
            status, message = "passed", ""
        elif isinstance(exc, pytest.skip.Exception):
            status, message = "skipped", str(exc.msg)
        elif isinstance(exc, SubmissionError):
            status, message = exc.status, str(exc)
            trace = getattr(exc, "traceback", "")
            if trace:
                message += "\n" + trace.rstrip()
        elif isinstance(exc, (WrongAnswer, AssertionError)):
            status, message = "failed", str(exc).split("\nassert ")[0].strip()
            credit = item.stash.get(_CREDIT, None)
            fraction = credit.fraction if credit else None
        else:
            status, fault = "error", True
            message = (
                "The grader itself failed on this check; this is not your fault "
                "and the instructor has been told."
            )
            self.grader_faults.append(
                f"{job.id} {item.nodeid}: {type(exc).__name__}: {exc} {detail[-2000:]}"
            )
        points = max_points if status == "passed" else (max_points * fraction if fraction else 0.0)
        doc = getattr(getattr(item, "function", None), "__doc__", None) or ""
        title = doc.strip().splitlines()[0] if doc.strip() else key
        part = job.part_for(exercise)
        assert part is not None
        result = CheckResult(
            submission=job.id,
            assignment=part.assignment,
            exercise=exercise,
            check=key,
            title=title,
            status=status,
            points=points,
            max_points=max_points,
            message=message[:4000],
            seed=check_seed(part.seed, f"{exercise}::{key}"),
            duration=round(duration, 6),
            visibility=self.visibility,
            grader_fault=fault,
            evidence=tuple(item.stash[_EVIDENCE].items) if _EVIDENCE in item.stash else (),
        )
        pending = self._pending.setdefault(job.id, _Pending())
        pending.results.setdefault(part.assignment, []).append(result)

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "weight(w): relative weight of a check (default 1)")

    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None) -> None:
        job: Job = item.callspec.params["submission_job"]
        next_job = nextitem.callspec.params["submission_job"] if nextitem is not None else None
        if next_job is None or next_job.id != job.id:
            self._finish(job)

    def _finish(self, job: Job) -> None:
        session = self._sessions.pop(job.id, None)
        output = ""
        warnings: list[str] = list(job.problems)
        if session is not None:
            output = session.output()
            session.close()
        warnings.extend(self.isolation.warnings)
        pending = self._pending.pop(job.id, _Pending())
        seconds = round(time.monotonic() - pending.started, 4)
        self._finished.add(job.id)
        for part in job.parts:
            self.sink(
                SubmissionResult(
                    submission=job.id,
                    assignment=part.assignment,
                    checks=tuple(pending.results.get(part.assignment, ())),
                    seed=part.seed,
                    output=output,
                    warnings=tuple(warnings),
                    late_multiplier=part.late_multiplier,
                    submitted_at=job.submitted_at,
                    fingerprint=part.fingerprint,
                    details={"seconds": seconds},
                )
            )

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        try:
            for job in self.jobs:  # jobs none of whose checks ran still get their results
                if job.id not in self._finished:
                    self._finish(job)
        finally:
            self.release()


@functools.cache
def _argnames(function: Callable[..., Any]) -> frozenset[str]:
    return frozenset(inspect.signature(function).parameters)


_FAST_FIXTURES = frozenset({"student", "rng", "credit", "evidence", "submission_job"})
"""Fixtures the direct runner provides; any other fixture means pytest's full protocol."""

_CREDIT = pytest.StashKey[Credit]()
_EVIDENCE = pytest.StashKey[Evidence]()


def _short_failure(excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
    return f"{excinfo.type.__name__}: {str(excinfo.value)[:2000]}"
