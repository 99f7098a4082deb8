"""Sandboxes started in advance: the next submission's sandbox confines itself while the
current one is graded. It must run nothing of its submission before its first request,
pass the same isolation policy, be killed when it is not used, and leave nothing behind."""

from __future__ import annotations

import os
import sys
import textwrap
import time
from pathlib import Path

import pytest

from autograder.config import load_course
from autograder.engine.plugin import Job
from autograder.engine.runner import RunOptions, run_jobs
from autograder.engine.session import IsolationPolicy, SubmissionSession
from autograder.engine.student import Student
from autograder.errors import GraderError, SandboxCrashed
from autograder.sandbox.client import PendingSandbox, SandboxSpec, Zygote

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux sandbox")

UID = 61079
"""The sandboxes of these tests run as this uid (as root), so leftovers can be found."""

MODULE = textwrap.dedent(
    """
    import os
    print("imported", flush=True)


    def value():
        return 1


    def double(x):
        return 2 * x


    def crash():
        os._exit(3)
    """
)

CHECKS = textwrap.dedent(
    '''
    """Two checks of the tiny exercise; "stop" interrupts the run like a Ctrl-C."""
    EXERCISE = "tiny"


    def test_value(student):
        value = student.call("value")
        if value == "stop":
            raise KeyboardInterrupt
        assert value == 1


    def test_double(student):
        assert student.call("double", 2) == 4
    '''
)


class CountingZygote(Zygote):
    """A zygote that records which submissions it started and which it spawned.

    It keeps every sandbox it started, so that none is closed by the garbage collector:
    what is not used must be aborted by the grader.
    """

    def __init__(self) -> None:
        super().__init__(torch=False)
        self.started: list[str] = []
        self.spawned: list[str] = []
        self.pending: list[PendingSandbox] = []

    def start(self, spec: SandboxSpec, **kw: float):
        self.started.append(Path(next(iter(spec.files.values()))).parent.name)
        pending = super().start(spec, **kw)
        self.pending.append(pending)
        return pending

    def spawn(self, spec: SandboxSpec, **kw: float):
        self.spawned.append(Path(next(iter(spec.files.values()))).parent.name)
        return super().spawn(spec, **kw)


def _uid() -> int | None:
    return UID if os.geteuid() == 0 else None


def _descendants(pid: int) -> list[int]:
    """Every live process below ``pid`` (keepers and sandboxes below the zygote)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent]
        found += children
        frontier += children
    return found


def _uid_processes() -> list[str]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        uid = next((ln.split()[1] for ln in lines if ln.startswith("Uid:")), "")
        if uid == str(UID):
            found.append(status.parent.name)
    return found


def _nothing_left(zygote: Zygote, seconds: float = 5.0) -> bool:
    """True once the zygote has no child (no keeper, no sandbox) and no process runs as UID."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _descendants(zygote.process.pid) and not _uid_processes():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def zygote():
    z = CountingZygote()
    yield z
    z.close()


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    path = tmp_path / "s0" / "tiny.py"
    path.parent.mkdir()
    path.write_text(MODULE)
    return path


def _spec(path: Path) -> SandboxSpec:
    return SandboxSpec(files={"tiny.py": str(path)}, uid=_uid())


def _policy() -> IsolationPolicy:
    return IsolationPolicy(allow_insecure=os.geteuid() != 0)


# ---------------------------------------------------------------- the client


def test_a_started_sandbox_runs_nothing_of_the_submission_until_asked(zygote, submission):
    pending = zygote.start(_spec(submission))
    time.sleep(0.3)  # time enough to have confined itself
    box = pending.finish()
    try:
        assert box.pid == pending.pid
        assert box.output() == ""
        assert box.request({"op": "load", "module": "tiny"}, 5.0)["ok"] is True
        assert box.output() == "imported\n"
    finally:
        box.close()
    assert _nothing_left(zygote)


def test_a_started_sandbox_has_the_protections_of_a_spawned_one(zygote, submission):
    spawned = zygote.spawn(_spec(submission))
    started = zygote.start(_spec(submission)).finish()
    try:
        assert started.protections == spawned.protections
        if os.geteuid() == 0:
            assert all(started.protections.values()), started.notes
    finally:
        spawned.close()
        started.close()


@pytest.mark.parametrize("wait", [0.0, 0.3], ids=["at-once", "once-confined"])
def test_an_aborted_sandbox_leaves_nothing_behind(zygote, submission, wait):
    pending = zygote.start(_spec(submission))
    time.sleep(wait)
    pending.abort()
    pending.abort()  # twice is harmless
    assert pending.pid is not None  # it was learnt, then killed
    assert _nothing_left(zygote)
    with pytest.raises(GraderError):
        pending.finish()


def test_a_missing_file_is_refused_before_anything_starts(zygote, tmp_path):
    with pytest.raises(GraderError, match="not found"):
        zygote.start(_spec(tmp_path / "nowhere" / "tiny.py"))
    assert _nothing_left(zygote)


# ---------------------------------------------------------------- the session


def test_a_session_finishes_its_started_sandbox_instead_of_spawning(zygote, submission):
    pending = zygote.start(_spec(submission))
    spawned = len(zygote.spawned)
    session = SubmissionSession(zygote, _spec(submission), _policy(), pending=pending)
    try:
        assert Student(session, "tiny").call("double", 21) == 42
        assert session.sandbox is not None and session.sandbox.pid == pending.pid
        assert len(zygote.spawned) == spawned and session.spawns == 1
    finally:
        session.close()
    assert _nothing_left(zygote)


def test_a_session_closed_unused_kills_its_started_sandbox(zygote, submission):
    session = SubmissionSession(
        zygote, _spec(submission), _policy(), pending=zygote.start(_spec(submission))
    )
    session.close()
    assert session.pending is None
    assert _nothing_left(zygote)


def test_a_crash_after_a_started_sandbox_respawns(zygote, submission):
    pending = zygote.start(_spec(submission))
    session = SubmissionSession(zygote, _spec(submission), _policy(), pending=pending)
    student = Student(session, "tiny")
    try:
        with pytest.raises(SandboxCrashed):
            student.call("crash")
        assert student.call("value") == 1
        assert session.spawns == 2 and session.sandbox.pid != pending.pid
        assert session.output() == "imported\nimported\n"
    finally:
        session.close()
    assert _nothing_left(zygote)


def test_the_isolation_policy_checks_a_started_sandbox(zygote, submission):
    strict = IsolationPolicy(required=("a_protection_nobody_has",))
    session = SubmissionSession(
        zygote, _spec(submission), strict, pending=zygote.start(_spec(submission))
    )
    try:
        with pytest.raises(GraderError, match="Refusing to grade"):
            Student(session, "tiny").call("value")
        assert session.sandbox is not None and not session.sandbox.alive
    finally:
        session.close()
    lenient = IsolationPolicy(required=("a_protection_nobody_has",), allow_insecure=True)
    session = SubmissionSession(
        zygote, _spec(submission), lenient, pending=zygote.start(_spec(submission))
    )
    try:
        assert Student(session, "tiny").call("value") == 1
        assert any("a_protection_nobody_has" in w for w in lenient.warnings)
    finally:
        session.close()
    assert _nothing_left(zygote)


# ---------------------------------------------------------------- a grading run


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    """A one-exercise course with its checks, and a way to make submissions."""
    tmp_path = tmp_path_factory.mktemp("tiny")
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "tiny.py").write_text(CHECKS)
    (tmp_path / "course.yaml").write_text(
        "course: {name: tiny}\nexercises: {tiny: {points: 2}}\n"
        "assignments: [{id: t, exercises: [tiny]}]\n"
    )
    course = load_course(tmp_path / "course.yaml")

    def job(name: str, source: str | None = MODULE) -> Job:
        path = tmp_path / "subs" / name / "tiny.py"
        path.parent.mkdir(parents=True)
        if source is not None:
            path.write_text(source)
        return Job(id=name, files={"tiny.py": str(path)}, seed=1)

    options = RunOptions(checks_dir=tmp_path / "checks", torch=False, workers=1)
    return course, job, options


def _grade(zygote: Zygote, tiny, jobs: list[Job]) -> dict[str, object]:
    course, _, options = tiny
    results: dict[str, object] = {}
    run_jobs(
        course,
        "t",
        jobs,
        options,
        lambda r: results.__setitem__(r.submission, r),
        zygote=zygote,
        uid=_uid(),
    )
    return results


def test_grading_starts_each_next_sandbox_in_advance(zygote, tiny):
    _, job, _ = tiny
    jobs = [job(f"p{k}") for k in range(4)]
    zygote.started.clear()
    zygote.spawned.clear()
    results = _grade(zygote, tiny, jobs)
    assert [results[j.id].score for j in jobs] == [2.0] * 4
    assert zygote.spawned == ["p0"]  # only the first one waits for its sandbox
    assert sorted(zygote.started) == ["p0", "p1", "p2", "p3"]  # the others: in advance
    assert all(results[j.id].output == "imported\n" for j in jobs)
    assert _nothing_left(zygote)


def test_a_submission_that_cannot_start_fails_alone(zygote, tiny):
    _, job, _ = tiny
    jobs = [job("q0"), job("q1", source=None), job("q2")]
    zygote.spawned.clear()
    results = _grade(zygote, tiny, jobs)
    assert results["q0"].score == results["q2"].score == 2.0
    assert all(c.grader_fault for c in results["q1"].checks)
    assert "q2" not in zygote.spawned  # started in advance all the same
    assert _nothing_left(zygote)


def test_an_interrupted_run_kills_the_sandbox_started_in_advance(zygote, tiny):
    _, job, _ = tiny
    jobs = [job("r0", MODULE.replace("return 1", 'return "stop"')), job("r1"), job("r2")]
    zygote.started.clear()
    _grade(zygote, tiny, jobs)
    assert "r1" in zygote.started  # it was started while r0 was graded, then never used
    assert _nothing_left(zygote)
