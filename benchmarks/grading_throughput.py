"""Grading throughput: sandboxed engine vs no sandbox vs nbgrader, measured in one run.

    .venv/bin/python benchmarks/grading_throughput.py [--n 200] [--runs 3] [--workers 2]

1. Builds ``--n`` full-course submissions from the known-right and known-wrong
   fixtures (every exercise, a realistic mix of right, wrong and unimplemented).
2. Grades them all (every assignment, every hidden check, sandboxed) with ``--workers``
   processes, ``--runs`` times: submissions/s end to end (zygote start included) and
   per-submission milliseconds (median over submissions and runs).
3. Grades a subset in one process with the sandbox and with *no sandbox at all* (the
   same harness called in-process) to report the sandbox's overhead.
4. Runs ``nbgrader autograde`` (from ``.venv-nbgrader``, created on first use) on an
   equivalent notebook for the anchor ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.config import load_course  # noqa: E402
from autograder.engine.plugin import Job, Part  # noqa: E402
from autograder.engine.runner import RunOptions, grade_parallel, run_jobs  # noqa: E402
from autograder.sandbox.client import Zygote  # noqa: E402
from autograder.sandbox.harness import Harness  # noqa: E402


def build_submissions(n: int, target: Path, rng: np.random.Generator) -> list[Path]:
    course = load_course(ROOT / "course.yaml")
    fixtures = ROOT / "tests" / "fixtures"
    out = []
    for i in range(n):
        folder = target / f"student{i:04d}"
        folder.mkdir(parents=True)
        for name in course.exercises:
            right = sorted((fixtures / name / "right").glob("*.py"))
            wrong = sorted((fixtures / name / "wrong").glob("*.py"))
            u = rng.random()
            if u < 0.6 and right:
                src = right[int(rng.integers(len(right)))]
            elif u < 0.9 and wrong:
                src = wrong[int(rng.integers(len(wrong)))]
            else:
                src = ROOT / "exercises" / f"{name}.py"
            shutil.copyfile(src, folder / f"{name}.py")
        out.append(folder)
    return out


def jobs_for(course: Any, folders: list[Path]) -> list[Job]:
    jobs = []
    for k, folder in enumerate(folders):
        files = {p.name: str(p) for p in folder.glob("*.py")}
        parts = tuple(
            Part(a.id, frozenset(e.name for e in a.exercises), seed=1000 * k + j)
            for j, a in enumerate(course.assignments)
        )
        jobs.append(Job(id=folder.name, files=files, parts=parts))
    return jobs


class _InProcessSandbox:
    """The harness called directly in this process: no fork, no isolation, no IPC."""

    def __init__(self, files: dict[str, str], workdir: Path) -> None:
        names = (
            "namespaces",
            "network",
            "hidden_paths",
            "private_proc",
            "rlimits",
            "no_new_privs",
            "unprivileged_uid",
        )
        self.protections = dict.fromkeys(names, True)
        self.notes: list[str] = []
        self.alive = True
        for name, path in files.items():
            shutil.copyfile(path, workdir / name)
        self.harness = Harness(workdir)
        self._next_id = 0
        self._replies: Iterator[dict[str, Any]] = iter(())
        for name in files:  # fresh modules for each submission
            sys.modules.pop(name[:-3], None)

    def send(self, message: dict[str, Any]) -> int:
        """Start a request; its replies are computed one by one as they are received."""
        self._next_id += 1
        self._replies = self.harness.replies(json.loads(json.dumps(message)))
        return self._next_id

    def receive(self, request_id: int, timeout: float, **_: Any) -> dict[str, Any]:
        return json.loads(json.dumps(next(self._replies)))

    def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        return self.receive(self.send(message), timeout)

    def output(self) -> str:
        return ""

    def kill(self) -> None:
        pass

    def close(self) -> None:
        pass


class _InProcessPending:
    """A sandbox "started in advance" by :class:`_InProcessZygote` (made when finished)."""

    def __init__(self, zygote: _InProcessZygote, spec: Any) -> None:
        self.zygote, self.spec = zygote, spec

    def finish(self) -> _InProcessSandbox:
        return self.zygote.spawn(self.spec)

    def abort(self) -> None:
        pass


class _InProcessZygote:
    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-inproc-"))
        self.count = 0

    def spawn(self, spec: Any) -> _InProcessSandbox:
        self.count += 1
        work = self.tmp / str(self.count)
        work.mkdir()
        sys.path.insert(0, str(work))
        return _InProcessSandbox(dict(spec.files), work)

    def start(self, spec: Any) -> _InProcessPending:
        return _InProcessPending(self, spec)

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def per_submission_ms(results: list[Any]) -> list[float]:
    seen: dict[str, float] = {}
    for r in results:
        seen[r.submission] = 1000 * float(r.details.get("seconds", 0.0))
    return list(seen.values())


_TINY_SOLUTION = textwrap.dedent("""
    import numpy as np
    def gd_trajectory(dL, w0, eta, n_steps):
        out = [float(w0)]
        for _ in range(n_steps):
            out.append(out[-1] - eta * dL(out[-1]))
        return np.array(out)
    def multipliers(eigenvalues, alpha):
        return 1.0 - alpha * np.asarray(eigenvalues, dtype=float)
    def condition_number(eigenvalues):
        lam = np.asarray(eigenvalues, dtype=float)
        return float(lam.max() / lam.min())
""")

_TINY_CHECKS = textwrap.dedent('''
    """The nbgrader notebook's five asserts, as checks of our engine (same work)."""
    import numpy as np
    from autograder.compare import expect_close
    from autograder.landscapes import Quadratic1D
    EXERCISE = "tiny"
    def test_trajectory(student):
        got = student.call("gd_trajectory", Quadratic1D(lam=1.0).grad, 5.0, 0.5, 3)
        expect_close(got, [5, 2.5, 1.25, 0.625], what="trajectory", case="seed 004")
    def test_shifted(student):
        got = student.call("gd_trajectory", Quadratic1D(lam=2.0, center=3.0).grad, -7.0, 0.2, 20)
        expect_close(got[-1], 3 - 10 * 0.6**20, what="final x", case="seed 003")
    def test_multipliers(student):
        expect_close(student.call("multipliers", [2, 10], 0.12), [0.76, -0.2], what="r", case="")
    def test_kappa(student):
        expect_close(student.call("condition_number", [2, 10]), 5.0, what="kappa", case="")
    def test_kappa_100(student):
        expect_close(student.call("condition_number", [2, 200]), 100.0, what="kappa", case="")
''')


def tiny_throughput(n: int, workers: int, tmp: Path) -> float:
    """Seconds per submission for the nbgrader notebook's work, graded by our engine."""
    root = tmp / "tiny"
    (root / "checks").mkdir(parents=True)
    (root / "checks" / "tiny.py").write_text(_TINY_CHECKS)
    (root / "course.yaml").write_text(
        "course: {name: tiny}\nexercises: {tiny: {points: 5}}\n"
        "assignments: [{id: t, exercises: [tiny]}]\n"
    )
    course = load_course(root / "course.yaml")
    jobs = []
    for k in range(n):
        sub = root / "subs" / f"s{k}"
        sub.mkdir(parents=True)
        (sub / "tiny.py").write_text(_TINY_SOLUTION)
        jobs.append(Job(id=f"s{k}", files={"tiny.py": str(sub / "tiny.py")}, seed=k))
    options = RunOptions(workers=workers, checks_dir=root / "checks", torch=False)
    scores: list[float] = []
    start = time.perf_counter()
    grade_parallel(course, "t", jobs, options, lambda r: scores.append(r.score))
    wall = time.perf_counter() - start
    assert scores == [5.0] * n, "the tiny assignment must be graded correctly"
    return wall / n


def nbgrader_anchor(n_students: int, workdir: Path) -> dict[str, float] | None:
    venv = ROOT / ".venv-nbgrader"
    if not (venv / "bin" / "nbgrader").exists():
        print("  creating .venv-nbgrader (pip install nbgrader) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "nbgrader"])
        if done.returncode != 0:
            print("  nbgrader could not be installed; skipping the anchor")
            return None
    course = workdir / "nbcourse"
    (course / "source" / "ps1").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'bench'\n"
        "c.ExecutePreprocessor.timeout = 60\n"
    )
    solution = textwrap.dedent("""
        import numpy as np
        def gd_trajectory(dL, w0, eta, n_steps):
            out = [float(w0)]
            for _ in range(n_steps):
                out.append(out[-1] - eta * dL(out[-1]))
            return np.array(out)
        def multipliers(eigenvalues, alpha):
            return 1.0 - alpha * np.asarray(eigenvalues, dtype=float)
        def condition_number(eigenvalues):
            lam = np.asarray(eigenvalues, dtype=float)
            return float(lam.max() / lam.min())
    """)
    tests = [
        "assert np.allclose(gd_trajectory(lambda w: w, 5.0, 0.5, 3), [5, 2.5, 1.25, 0.625])",
        "assert np.allclose(gd_trajectory(lambda w: 2*(w-3), -7.0, 0.2, 20)[-1], 3 - 10*0.6**20)",
        "assert np.allclose(multipliers([2, 10], 0.12), [0.76, -0.2])",
        "assert np.isclose(condition_number([2, 10]), 5.0)",
        "assert np.isclose(condition_number([2, 200]), 100.0)",
    ]
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "outputs": [],
            "metadata": {
                "nbgrader": {
                    "grade": False,
                    "solution": True,
                    "locked": False,
                    "schema_version": 3,
                    "grade_id": "sol",
                    "task": False,
                }
            },
            "source": "### BEGIN SOLUTION\n" + solution + "### END SOLUTION\n",
        }
    ]
    for i, t in enumerate(tests):
        cells.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "outputs": [],
                "metadata": {
                    "nbgrader": {
                        "grade": True,
                        "solution": False,
                        "locked": True,
                        "points": 1,
                        "schema_version": 3,
                        "grade_id": f"t{i}",
                        "task": False,
                    }
                },
                "source": t,
            }
        )
    nb = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (course / "source" / "ps1" / "ps1.ipynb").write_text(json.dumps(nb))
    nbg = str(venv / "bin" / "nbgrader")
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}

    def run(*a: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([nbg, *a], cwd=course, env=env, capture_output=True, text=True)

    out = run("db", "assignment", "add", "ps1")
    out = run("generate_assignment", "ps1", "--force")
    if out.returncode != 0:
        print("  nbgrader generate_assignment failed:", out.stderr[-500:])
        return None
    for k in range(n_students):
        run("db", "student", "add", f"s{k}")
        dest = course / "submitted" / f"s{k}" / "ps1"
        dest.mkdir(parents=True)
        (dest / "ps1.ipynb").write_text(json.dumps(nb))
    start = time.perf_counter()
    out = run("autograde", "ps1", "--force")
    total = time.perf_counter() - start
    if out.returncode != 0:
        print("  nbgrader autograde failed:", out.stderr[-800:])
        return None
    start = time.perf_counter()
    run("--version")
    cli = time.perf_counter() - start
    return {"total_s": total, "per_submission_s": (total - cli) / n_students, "cli_start_s": cli}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--compare", type=int, default=40, help="submissions for the overhead run")
    ap.add_argument("--nbgrader", type=int, default=10, help="students for nbgrader (0: skip)")
    args = ap.parse_args()
    os.environ.setdefault("AUTOGRADER_SECRET", "benchmark")
    course = load_course(ROOT / "course.yaml")
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    folders = build_submissions(args.n, tmp / "subs", np.random.default_rng(0))
    jobs = jobs_for(course, folders)
    n_checks = None
    print(
        f"{args.n} full-course submissions, {len(course.exercises)} exercises, "
        f"{len(course.assignments)} assignments, {args.workers} workers, {os.cpu_count()} CPUs"
    )

    t = []
    for _ in range(3):
        start = time.perf_counter()
        Zygote().close()
        t.append(time.perf_counter() - start)
    zygote_s = statistics.median(t)
    print(f"zygote start (numpy + torch + first autograd): median {zygote_s:.2f} s")

    walls, ms = [], []
    for run in range(args.runs):
        results: list[Any] = []
        start = time.perf_counter()
        grade_parallel(course, None, jobs, RunOptions(workers=args.workers), results.append)
        wall = time.perf_counter() - start
        walls.append(wall)
        ms += per_submission_ms(results)
        n_checks = sum(len(r.checks) for r in results) / args.n
        print(f"  run {run + 1}: {args.n / wall:6.1f} submissions/s end to end ({wall:.2f} s)")
    wall = statistics.median(walls)
    per_ms = statistics.median(ms)
    steady = args.workers * 1000.0 / statistics.mean(ms)
    print(
        f"sandboxed, {args.workers} workers: {args.n / wall:.1f} submissions/s end to end "
        f"(median of {args.runs}); {steady:.1f} submissions/s steady state; "
        f"median {per_ms:.1f} ms per submission ({n_checks:.0f} checks each)"
    )

    subset = jobs[: args.compare]
    times = {}
    for label, factory in (("sandboxed", Zygote), ("no sandbox", _InProcessZygote)):
        zygote = factory()
        results = []
        run_jobs(course, None, subset, RunOptions(workers=1), results.append, zygote=zygote)
        results = []
        start = time.perf_counter()
        run_jobs(course, None, subset, RunOptions(workers=1), results.append, zygote=zygote)
        times[label] = (time.perf_counter() - start) / len(subset) * 1000
        zygote.close()
    print(
        f"one process, {len(subset)} submissions: sandboxed {times['sandboxed']:.1f} ms, "
        f"no sandbox {times['no sandbox']:.1f} ms per submission "
        f"(sandbox overhead ×{times['sandboxed'] / times['no sandbox']:.2f}, "
        f"+{times['sandboxed'] - times['no sandbox']:.1f} ms)"
    )

    tiny = statistics.median(tiny_throughput(args.n, args.workers, tmp / f"t{i}") for i in range(3))
    print(
        f"same work as the nbgrader notebook (3 functions, 5 checks), {args.n} submissions, "
        f"{args.workers} workers: {tiny * 1000:.1f} ms per submission, {1 / tiny:.0f}/s "
        f"end to end (median of 3, zygote start included)"
    )
    if args.nbgrader:
        anchor = nbgrader_anchor(args.nbgrader, tmp)
        if anchor:
            ours = wall / args.n
            per = anchor["per_submission_s"]
            print(
                f"nbgrader autograde: {per:.2f} s per submission ({args.nbgrader} students; "
                f"its CLI start {anchor['cli_start_s']:.1f} s not included)"
            )
            print(
                f"  ratio on the same work: x{per / tiny:.0f} (ours faster); our whole course "
                f"({n_checks:.0f} checks) vs nbgrader's 5 asserts: x{per / ours:.1f}"
            )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
