"""Batched calls: the harness's ``map`` op, the client's replies by id and index, and
``Student.call_many``, whose outcomes must be exactly what single calls give."""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.config import Limits
from autograder.engine import student as student_module
from autograder.engine.session import IsolationPolicy, SubmissionSession
from autograder.engine.student import Args, Outcome, Student
from autograder.errors import (
    GraderError,
    ProtocolViolation,
    SandboxCrashed,
    SandboxTimeout,
    StudentCodeError,
)
from autograder.protocol.codec import encode
from autograder.protocol.framing import write_message
from autograder.sandbox.client import Sandbox, SandboxSpec, Zygote
from autograder.sandbox.harness import MAX_BATCH_CALLS, Harness

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux sandbox")

MODULE = textwrap.dedent(
    """
    import json
    import os
    import socket
    import struct
    import sys
    import time

    SERVED = []


    def echo(x, scale=1):
        SERVED.append(x)
        return x * scale


    def served():
        return list(SERVED)


    def fails(x):
        if x < 0:
            raise ValueError(f"negative: {x}")
        return x


    def logged(x):
        SERVED.append(x)
        print("call", len(SERVED), flush=True)
        if x < 0:
            raise ValueError(f"negative: {x}")
        return x


    def nap(seconds):
        time.sleep(seconds)
        return seconds


    def crash(x):
        if x == 2:
            os._exit(3)
        return x


    def unsendable(x):
        return object() if x else x


    def _request():
        frame = sys._getframe()
        while frame is not None:
            req = frame.f_locals.get("request")
            if isinstance(req, dict) and "id" in req:
                return req
            frame = frame.f_back
        return {}


    def _write(message):
        body = json.dumps(message).encode()
        for fd in os.listdir("/proc/self/fd"):
            try:
                s = socket.socket(fileno=os.dup(int(fd)))
                s.sendall(struct.pack(">I", len(body)) + body)
            except OSError:
                pass


    def forge(x, how):
        request_id = _request().get("id")
        if how == "stale":
            _write({"id": -7, "index": 0, "ok": True, "value": "forged"})
        elif how == "ahead":
            _write({"id": request_id, "index": 5, "ok": True, "value": "forged"})
        return x
    """
)


def _uid() -> int | None:
    return 61078 if os.geteuid() == 0 else None


@pytest.fixture(scope="module")
def zygote():
    z = Zygote(torch=False)
    yield z
    z.close()


@pytest.fixture(scope="module")
def module_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("batch") / "mod.py"
    path.write_text(MODULE)
    return path


def _session(zygote: Zygote, path: Path, **limits: float) -> SubmissionSession:
    spec = SandboxSpec(files={"mod.py": str(path)}, limits=Limits(**limits), uid=_uid())
    return SubmissionSession(zygote, spec, IsolationPolicy(allow_insecure=True))


@pytest.fixture
def student(zygote, module_file):
    session = _session(zygote, module_file, call_seconds=2.0)
    yield Student(session, "mod")
    session.close()


def _outcome(outcome: Outcome) -> tuple[str, object]:
    """("value", v) or (error type, message): what a check would see."""
    try:
        return "value", outcome.get()
    except (StudentCodeError, SandboxCrashed, SandboxTimeout, ProtocolViolation) as exc:
        return type(exc).__name__, str(exc)


def _single(student: Student, function: str, *args: object, **kwargs: object) -> tuple:
    try:
        return "value", student.call(function, *args, **kwargs)
    except (StudentCodeError, SandboxCrashed, SandboxTimeout, ProtocolViolation) as exc:
        return type(exc).__name__, str(exc)


# ---------------------------------------------------------------- the harness's map op


def _harness(tmp_path: Path) -> Harness:
    (tmp_path / "mod.py").write_text(MODULE)
    sys.modules.pop("mod", None)
    return Harness(tmp_path)


def _map(calls: list, function: str = "echo") -> dict:
    return {"op": "map", "module": "mod", "function": function, "calls": calls}


def test_map_answers_each_call_in_order_with_its_index(tmp_path):
    harness = _harness(tmp_path)
    calls = [{"args": encode([k]), "kwargs": encode({"scale": 10})} for k in range(5)]
    replies = list(harness.replies(_map(calls)))
    assert [r["index"] for r in replies] == [0, 1, 2, 3, 4]
    assert [r["value"] for r in replies] == [0, 10, 20, 30, 40]
    assert sys.modules["mod"].SERVED == [0, 1, 2, 3, 4]  # run one by one, in order
    sys.modules.pop("mod", None)


def test_map_runs_each_call_only_when_its_reply_is_taken(tmp_path):
    harness = _harness(tmp_path)
    replies = harness.replies(_map([{"args": [k]} for k in range(3)]))
    next(replies)
    assert sys.modules["mod"].SERVED == [0]
    sys.modules.pop("mod", None)


def test_map_errors_are_those_of_single_calls_and_end_the_batch(tmp_path):
    harness = _harness(tmp_path)
    args = [encode([np.float32(1.5)]), encode([-3]), encode([2])]
    batch = list(harness.replies(_map([{"args": a} for a in args], "fails")))
    assert [r["index"] for r in batch] == [0, 1]  # nothing runs past the failed call
    for a, reply in zip(args, batch, strict=False):
        single = harness.handle({"op": "call", "module": "mod", "function": "fails", "args": a})
        assert {k: v for k, v in reply.items() if k != "index"} == single
    assert batch[1]["kind"] == "exception" and batch[1]["type"] == "ValueError"
    missing = list(harness.replies(_map([{"args": []}, {"args": []}], "nothing")))
    assert [(r["kind"], r["index"]) for r in missing] == [("missing_function", 0)]
    sys.modules.pop("mod", None)


@pytest.mark.parametrize(
    "calls",
    [None, [], "calls", [{"args": []}] * (MAX_BATCH_CALLS + 1)],
    ids=["missing", "empty", "not-a-list", "too-many"],
)
def test_a_malformed_batch_is_one_bad_request(tmp_path, calls):
    harness = _harness(tmp_path)
    replies = list(harness.replies(_map(calls)))
    assert len(replies) == 1
    assert replies[0]["kind"] == "bad_request" and replies[0]["index"] == 0


def test_a_call_of_a_batch_that_is_not_a_dict_is_a_bad_request(tmp_path):
    harness = _harness(tmp_path)
    replies = list(harness.replies(_map([{"args": [1]}, [1], {"args": [3]}])))
    assert [r.get("kind") for r in replies] == [None, "bad_request"]
    assert [r["index"] for r in replies] == [0, 1]
    sys.modules.pop("mod", None)


# ---------------------------------------------------------------- the client: ids and indices


@pytest.fixture
def peer():
    """A Sandbox client on one end of a socket pair; the test writes the other end's frames.
    Its "process" is a sleep, so that killing it is harmless."""
    ours, theirs = socket.socketpair()
    process = subprocess.Popen(["sleep", "60"])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - owned by the Sandbox
    box = Sandbox(ours, output, process.pid, {}, [], 1024)
    yield box, theirs
    box.close()
    theirs.close()
    process.kill()
    process.wait()


def test_frames_of_other_requests_are_ignored(peer):
    box, theirs = peer
    request_id = box.send({"op": "map", "calls": []})
    write_message(theirs, {"id": request_id - 1, "index": 0, "ok": True, "value": "stale"})
    write_message(theirs, {"id": 999, "index": 0, "ok": True, "value": "forged"})
    write_message(theirs, {"id": request_id, "index": 0, "ok": True, "value": "zero"})
    write_message(theirs, {"id": request_id, "index": 0, "ok": True, "value": "again"})
    write_message(theirs, {"id": request_id, "index": 1, "ok": True, "value": "one"})
    assert box.receive(request_id, 1.0, index=0)["value"] == "zero"
    assert box.receive(request_id, 1.0, index=1)["value"] == "one"  # the repeat is skipped
    assert box.alive


@pytest.mark.parametrize("index", [2, "1", True, None, -1], ids=repr)
def test_a_reply_out_of_order_is_a_protocol_violation(peer, index):
    box, theirs = peer
    request_id = box.send({"op": "map", "calls": []})
    write_message(theirs, {"id": request_id, "index": 0, "ok": True, "value": 0})
    write_message(theirs, {"id": request_id, "index": index, "ok": True, "value": "skip"})
    assert box.receive(request_id, 1.0, index=0)["value"] == 0
    with pytest.raises(ProtocolViolation):
        box.receive(request_id, 1.0, index=1)
    assert not box.alive


def test_a_reply_that_is_not_an_object_is_a_protocol_violation(peer):
    box, theirs = peer
    request_id = box.send({"op": "call"})
    write_message(theirs, [request_id, 0])
    with pytest.raises(ProtocolViolation):
        box.receive(request_id, 1.0, index=0)
    assert not box.alive


def test_single_requests_ignore_the_index(peer):
    box, theirs = peer
    request_id = box.send({"op": "call"})
    write_message(theirs, {"id": request_id, "index": 7, "ok": True, "value": 1})
    assert box.receive(request_id, 1.0)["value"] == 1


# ---------------------------------------------------------------- call_many in the sandbox


def test_call_many_gives_what_single_calls_give(student):
    calls = [(1,), Args(2, scale=3), ([1, 2],), (np.arange(3.0),), Args(x=4)]
    outcomes = student.call_many("echo", calls)
    batch = [_outcome(o) for o in outcomes]
    singles = [_single(student, "echo", *c.args, **c.kwargs) if isinstance(c, Args)
               else _single(student, "echo", *c) for c in calls]  # fmt: skip
    assert [kind for kind, _ in batch] == ["value"] * 5
    assert batch[:3] == singles[:3] == [("value", 1), ("value", 6), ("value", [1, 2])]
    np.testing.assert_array_equal(batch[3][1], singles[3][1])
    assert batch[4] == singles[4] == ("value", 4)
    assert all(o.ok for o in outcomes)
    assert student.calls == 10


def test_call_many_runs_the_calls_in_order_in_one_process(student):
    student.call_many("echo", [(k,) for k in range(6)])
    assert student.call("served") == [0, 1, 2, 3, 4, 5]


def test_errors_are_the_errors_single_calls_raise(student):
    outcomes = student.call_many("fails", [(1,), (-2,), (3,), (-4,)])
    singles = [_single(student, "fails", x) for x in (1, -2, 3, -4)]
    assert [_outcome(o) for o in outcomes] == singles
    assert singles[1] == ("StudentCodeError", "fails() raised ValueError: negative: -2")
    with pytest.raises(StudentCodeError) as caught:
        outcomes[1].get()
    assert caught.value.exc_type == "ValueError" and "negative" in caught.value.traceback
    assert not outcomes[1].ok
    missing = student.call_many("no_such_function", [(1,), (2,)])
    assert [_outcome(o) for o in missing] == [_single(student, "no_such_function", 1)] * 2


def test_calls_after_a_failure_run_only_when_asked(student):
    outcomes = student.call_many("logged", [(1,), (-2,), (3,), (4,)])
    assert [o.ok for o in outcomes] == [True, False, False, False]
    assert [o.pending for o in outcomes] == [False, False, True, True]
    assert student.call("served") == [1, -2]  # nothing ran past the failed call
    with pytest.raises(StudentCodeError):
        outcomes[1].get()
    assert outcomes[2].get() == 3  # runs the rest, in the same sandbox
    assert student.call("served") == [1, -2, 3, 4]
    assert outcomes[3].ok and outcomes[3].get() == 4
    assert student._session.spawns == 1


@pytest.mark.parametrize("values", [[1, 2, -3, 4, 5], [1, -2, 3, -4, 5], [1, 2, 3]])
def test_a_loop_that_stops_at_an_error_makes_the_same_calls(zygote, module_file, values):
    """A check reading outcomes until one raises sees, and leaves behind, what it would
    have one call at a time: the same answers, the same state, the same output."""

    def check(get_all: list) -> list:
        seen = []
        for get in get_all:
            try:
                seen.append(get())
            except StudentCodeError as exc:
                seen.append(str(exc))
                break
        return seen

    runs = []
    for batched in (False, True):
        session = _session(zygote, module_file)
        student = Student(session, "mod")
        try:
            if batched:
                gets = [o.get for o in student.call_many("logged", [(v,) for v in values])]
            else:
                gets = [functools.partial(student.call, "logged", v) for v in values]
            runs.append((check(gets), student.call("served"), session.output()))
        finally:
            session.close()
    assert runs[0] == runs[1]


def test_a_value_that_cannot_be_sent_fails_only_its_call(student):
    outcomes = student.call_many("unsendable", [(0,), (1,), (0,)])
    kinds = [_outcome(o)[0] for o in outcomes]
    assert kinds == ["value", "StudentCodeError", "value"]
    assert _outcome(outcomes[1]) == _single(student, "unsendable", 1)


def test_a_crash_ends_the_batch_and_later_calls_run_in_a_new_sandbox(student):
    session = student._session
    outcomes = student.call_many("crash", [(0,), (1,), (2,), (3,), (4,)])
    assert session.spawns == 1  # the later calls have not run yet
    assert [_outcome(o)[0] for o in outcomes[:3]] == ["value", "value", "SandboxCrashed"]
    assert [_outcome(o) for o in outcomes[3:]] == [("value", 3), ("value", 4)]
    assert session.spawns == 2


def test_a_time_out_ends_the_batch_at_the_per_call_limit(zygote, module_file):
    session = _session(zygote, module_file, call_seconds=1.0, submission_seconds=30.0)
    student = Student(session, "mod")
    try:
        start = time.monotonic()
        outcomes = student.call_many("nap", [(0.6,), (0.6,), (0.6,), (30.0,), (0.0,)])
        elapsed = time.monotonic() - start
        # each call has its own 1 s limit: the first three (1.8 s together) pass
        assert [_outcome(o) for o in outcomes[:3]] == [("value", 0.6)] * 3
        assert _outcome(outcomes[3])[0] == "SandboxTimeout"
        assert "within 1 s" in str(_outcome(outcomes[3])[1])
        assert 2.7 < elapsed < 4.5
        assert _outcome(outcomes[4]) == ("value", 0.0)
        assert session.used == pytest.approx(elapsed, abs=0.5)
    finally:
        session.close()


def test_the_submission_budget_holds_inside_a_batch(zygote, module_file):
    session = _session(zygote, module_file, call_seconds=1.0, submission_seconds=2.0)
    student = Student(session, "mod")
    try:
        start = time.monotonic()
        outcomes = student.call_many("nap", [(0.8,), (0.8,), (0.8,), (0.0,)])
        assert time.monotonic() - start < 2.6
        assert [_outcome(o) for o in outcomes[:2]] == [("value", 0.8)] * 2
        kind, message = _outcome(outcomes[2])  # cut at what was left: about 0.4 s
        assert kind == "SandboxTimeout" and str(message).startswith("no answer within 0.")
        assert _outcome(outcomes[3])[0] == "SandboxTimeout"
        assert session.remaining <= 0.01
    finally:
        session.close()


def test_forged_frames_cannot_answer_for_other_calls(student):
    outcomes = student.call_many("forge", [(1, "stale"), (2, "none"), (3, "ahead"), (4, "none")])
    assert [_outcome(o) for o in outcomes[:2]] == [("value", 1), ("value", 2)]
    assert _outcome(outcomes[2])[0] == "ProtocolViolation"
    assert _outcome(outcomes[3]) == ("value", 4)


def test_a_request_the_sandbox_rejects_is_a_grader_error(zygote, module_file):
    session = _session(zygote, module_file)
    try:
        with pytest.raises(GraderError, match="rejected"):
            Student(session, "not a module").call_many("echo", [(1,), (2,)])
        with pytest.raises(GraderError, match="rejected"):
            Student(session, "mod").call_many("_private", [(1,)])
        assert Student(session, "mod").call_many("echo", [(5,)])[0].get() == 5
    finally:
        session.close()


def test_a_call_must_be_a_tuple_or_args(student):
    with pytest.raises(TypeError):
        student.call_many("echo", [[1]])


def test_large_batches_are_split_by_count_and_size(student, monkeypatch):
    session = student._session
    requests: list[int] = []
    original = session.request_many

    def counting(message, count):
        requests.append(count)
        return original(message, count)

    monkeypatch.setattr(session, "request_many", counting)
    monkeypatch.setattr(student_module, "BATCH_CALLS", 4)
    outcomes = student.call_many("echo", [(k,) for k in range(10)])
    assert [o.get() for o in outcomes] == list(range(10))
    assert requests == [4, 4, 2]
    requests.clear()
    monkeypatch.setattr(student_module, "BATCH_BYTES", 3000)
    arrays = [(np.full(100, float(k)),) for k in range(4)]  # ~1.1 kB encoded each
    values = [o.get() for o in student.call_many("echo", arrays)]
    assert [float(v[0]) for v in values] == [0.0, 1.0, 2.0, 3.0]
    assert requests == [2, 2]


def test_an_empty_batch_makes_no_request(student):
    assert student.call_many("echo", []) == []
    assert student.calls == 0
