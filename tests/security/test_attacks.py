"""Every known attack is a submission; each must earn exactly what its honest code earns.

Attack files in ``attacks/`` start with ``# BASELINE: <kind>``: ``stub`` (the attack is
all there is: it must score what the unimplemented stub scores, zero), ``honest`` (an
honest implementation plus an attack on the side: it must score what the honest code
scores, and the attack must achieve nothing), or ``crash`` (it destroys its own run:
the batch must carry on, the damage must be reported as errors or time-outs, and
nothing may be left behind for the next submission).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import secrets
import time
from pathlib import Path

import pytest

from autograder.config import Limits, load_course
from autograder.engine.plugin import Job
from autograder.engine.runner import RunOptions, run_jobs

ROOT = Path(__file__).resolve().parents[2]
ATTACKS = sorted((Path(__file__).parent / "attacks").glob("*.py"))
SANDBOX_UIDS = range(61000, 61100)
SENTINEL = "GRADEBOOK-SENTINEL-7f3a"


def honest_source() -> str:
    right = sorted((ROOT / "tests" / "fixtures" / "gd_1d" / "right").glob("*.py"))
    assert right, "a known-right gd_1d fixture is needed as the honest baseline"
    return right[0].read_text()


def baseline(path: Path) -> str:
    first = path.read_text().splitlines()[0]
    assert first.startswith("# BASELINE: "), f"{path.name} must declare its baseline"
    return first.split(": ", 1)[1].strip()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sandbox_processes() -> list[str]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        uid_line = next((ln for ln in text.splitlines() if ln.startswith("Uid:")), "")
        if uid_line and int(uid_line.split()[1]) in SANDBOX_UIDS:
            found.append(status.parent.name)
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade the honest code, the stub and every attack in one batch."""
    if os.geteuid() != 0:
        pytest.skip("the full sandbox (namespaces, uid drop) needs root")
    tmp = tmp_path_factory.mktemp("attacks")
    out = tmp / "out"
    out.mkdir()
    (out / "gradebook.sqlite").write_text(SENTINEL)
    secret = secrets.token_hex(16)
    os.environ["AUTOGRADER_SECRET"] = secret
    course = load_course(ROOT / "course.yaml")
    course = dataclasses.replace(
        course,
        limits=Limits(
            call_seconds=2.0,
            submission_seconds=20.0,
            cpu_seconds=15,
            memory_mb=768,
            processes=32,
            file_size_mb=8,
            open_files=64,
            output_kb=32,
        ),
    )
    sources = {"honest": honest_source(), "stub": (ROOT / "exercises" / "gd_1d.py").read_text()}
    for path in ATTACKS:
        base = "stub" if baseline(path) == "stub" else "honest"
        attack = path.read_text().replace("{ROOT}", str(ROOT)).replace("{OUT}", str(out))
        sources[path.stem] = sources[base] + "\n\n# ---- attack ----\n" + attack
    sources["honest_after"] = sources["honest"]
    jobs = []
    for i, (name, text) in enumerate(sources.items()):
        folder = tmp / name
        folder.mkdir()
        (folder / "gd_1d.py").write_text(text)
        jobs.append(Job(id=name, files={"gd_1d.py": str(folder / "gd_1d.py")}, seed=i))
    protected = {
        p: digest(p)
        for p in [
            ROOT / "course.yaml",
            ROOT / "autograder" / "checks" / "gd_1d.py",
            out / "gradebook.sqlite",
        ]
    }
    results = {}
    start = time.monotonic()
    summary = run_jobs(
        course,
        "a1",
        jobs,
        RunOptions(exercises=frozenset({"gd_1d"}), extra_hide=(str(out), str(tmp))),
        lambda r: results.__setitem__(r.submission, r),
    )
    elapsed = time.monotonic() - start
    time.sleep(0.5)
    return {
        "results": results,
        "secret": secret,
        "protected": protected,
        "out": out,
        "summary": summary,
        "elapsed": elapsed,
        "leftover": sandbox_processes(),
    }


def statuses(result):
    return {c.check: c.status for c in result.checks}


def test_every_submission_of_the_batch_was_graded(graded):
    names = {"honest", "stub", "honest_after", *(p.stem for p in ATTACKS)}
    assert set(graded["results"]) == names
    assert graded["summary"].warnings == []  # full isolation was in force
    assert graded["results"]["honest"].score == graded["results"]["honest"].max_score > 0
    assert graded["results"]["stub"].score == 0


@pytest.mark.parametrize(
    "attack", [p for p in ATTACKS if baseline(p) == "stub"], ids=lambda p: p.stem
)
def test_point_faking_attacks_earn_nothing(graded, attack):
    result = graded["results"][attack.stem]
    assert result.score == graded["results"]["stub"].score == 0
    assert all(s != "passed" for s in statuses(result).values())


@pytest.mark.parametrize(
    "attack", [p for p in ATTACKS if baseline(p) == "honest"], ids=lambda p: p.stem
)
def test_side_attacks_change_nothing(graded, attack):
    result = graded["results"][attack.stem]
    assert statuses(result) == statuses(graded["results"]["honest"])
    assert result.score == graded["results"]["honest"].score


def test_instructor_files_and_secret_cannot_be_read(graded):
    output = graded["results"]["steal_files"].output
    assert graded["secret"] not in output
    for marker in (
        "One gradient-descent step",
        "Hidden checks for exercise",
        "late_policy",
        SENTINEL,
        "AUTOGRADER_SECRET",
    ):
        assert marker not in output, f"the sandbox could read something containing {marker!r}"


def test_nothing_outside_the_sandbox_was_written(graded):
    for path, before in graded["protected"].items():
        assert digest(path) == before, f"{path} was modified"
    assert not (ROOT / "pwned.txt").exists()
    assert "WROTE" not in graded["results"]["write_files"].output


def test_no_network(graded):
    assert "CONNECTED" not in graded["results"]["network"].output


def test_output_is_truncated(graded):
    output = graded["results"]["huge_output"].output
    assert len(output) < 40 * 1024 and "[output truncated]" in output


@pytest.mark.parametrize(
    ("attack", "expected"),
    [
        ("exit_at_import", {"error"}),
        ("os_exit", {"error"}),
        # the sandbox is PID 1 of its namespace: SIGKILL to itself is ignored by the kernel,
        # so that function just returns None (a wrong answer); the segfault is an error
        ("signals", {"error", "failed"}),
        ("fork_bomb", {"error", "timeout"}),
        ("memory_bomb", {"error"}),
        ("infinite_loop", {"timeout"}),
    ],
)
def test_crashes_fail_only_their_own_checks_with_a_message(graded, attack, expected):
    result = graded["results"][attack]
    honest = statuses(graded["results"]["honest"])
    attacked = {k: v for k, v in statuses(result).items() if v != "passed"}
    assert attacked, "the attack should have cost its own checks"
    assert set(attacked.values()) <= expected
    for c in result.checks:
        if c.status != "passed":
            assert c.message and not c.grader_fault
    assert result.score <= graded["results"]["honest"].score
    assert set(statuses(result)) == set(honest)


def test_nothing_is_left_running_and_the_next_submission_is_unharmed(graded):
    assert graded["leftover"] == []
    assert statuses(graded["results"]["honest_after"]) == statuses(graded["results"]["honest"])
