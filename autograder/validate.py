"""``autograder validate``: the checks themselves are tested.

For each exercise with hidden checks, grade as submissions:

* the reference library (through a one-line shim) — every check must pass;
* the student stub — every check must fail to pass (zero points);
* each known-wrong fixture ``fixtures/<exercise>/wrong/<name>.py`` — every check named
  in its module-level ``CAUGHT_BY`` must not pass (``CAUGHT_BY = "*"``: no check may
  pass, e.g. for a submission that hard-codes the public answers);
* each known-right fixture ``fixtures/<exercise>/right/<name>.py`` — full marks.

This runs trusted code only (reference, stubs, fixtures), so instructor paths are not
hidden from the sandbox; the resource limits and time-outs still apply.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.config import Course
from autograder.engine.plugin import Job
from autograder.engine.runner import RunOptions, check_files, grade_parallel
from autograder.results import SubmissionResult

__all__ = ["Expectation", "collect_expectations", "run_validate", "validate_exercise"]


@dataclass(frozen=True)
class Expectation:
    """What one validation submission must score."""

    label: str
    path: str
    kind: str  # "reference" | "stub" | "wrong" | "right"
    caught_by: tuple[str, ...] = ()

    def verdict(self, result: SubmissionResult) -> list[str]:
        """Problems with ``result`` (empty when the expectation holds)."""
        statuses = {c.check: c.status for c in result.checks}
        if not result.checks:
            return ["no checks ran"]
        if self.kind in ("reference", "right"):
            return [
                f"{c.check} is {c.status}: {c.message.splitlines()[0] if c.message else ''}"
                for c in result.checks
                if c.status != "passed"
            ]
        if self.kind == "stub":
            return [f"{c.check} passed on the stub" for c in result.checks if c.status == "passed"]
        problems = []
        if self.caught_by == ("*",):
            return [f"{c.check} passed" for c in result.checks if c.status == "passed"]
        for name in self.caught_by:
            matching = [
                s for check, s in statuses.items() if check == name or check.startswith(name + "[")
            ]
            if not matching:
                problems.append(f"CAUGHT_BY names {name!r}, which is not a check")
            elif all(s == "passed" for s in matching):
                problems.append(f"{name} did not catch it")
        if not self.caught_by:
            problems.append("the fixture has no CAUGHT_BY")
        return problems


def _caught_by(path: Path) -> tuple[str, ...]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "CAUGHT_BY" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            return (value,) if isinstance(value, str) else tuple(value)
    return ()


def collect_expectations(exercise: str, fixtures: Path, shim_dir: Path) -> list[Expectation]:
    """The reference, the stub and every fixture of ``exercise``, with what each must score."""
    shim = shim_dir / "reference" / f"{exercise}.py"
    shim.parent.mkdir(parents=True, exist_ok=True)
    shim.write_text(
        f"from reference.{exercise} import *  # noqa: F403\n"
        f"from reference.{exercise} import __all__  # noqa: F401\n"
    )
    spec = importlib.util.find_spec(f"exercises.{exercise}")
    out = [Expectation("reference", str(shim), "reference")]
    if spec and spec.origin:
        out.append(Expectation("stub", spec.origin, "stub"))
    for kind in ("wrong", "right"):
        for path in sorted((fixtures / exercise / kind).glob("*.py")):
            out.append(
                Expectation(
                    f"{kind}/{path.stem}",
                    str(path),
                    kind,
                    _caught_by(path) if kind == "wrong" else (),
                )
            )
    return out


def validate_exercise(
    course: Course, exercise: str, fixtures: Path, workers: int = 2
) -> list[tuple[Expectation, list[str], SubmissionResult | None]]:
    """Grade every expectation of ``exercise``; return (expectation, problems, result)."""
    assignment = next(
        a.id for a in course.assignments if any(e.name == exercise for e in a.exercises)
    )
    with tempfile.TemporaryDirectory(prefix="autograder-validate-") as tmp:
        expectations = collect_expectations(exercise, fixtures, Path(tmp))
        jobs = [
            Job(id=f"J{i}", files={f"{exercise}.py": e.path}, seed=1000 + i)
            for i, e in enumerate(expectations)
        ]
        results: dict[str, SubmissionResult] = {}
        grade_parallel(
            course,
            assignment,
            jobs,
            RunOptions(
                workers=workers, exercises=frozenset({exercise}), hide_instructor_paths=False
            ),
            lambda r: results.__setitem__(r.submission, r),
        )
    return [
        (e, e.verdict(results[j.id]) if j.id in results else ["not graded"], results.get(j.id))
        for e, j in zip(expectations, jobs, strict=True)
    ]


def run_validate(course: Course, exercises: Sequence[str], fixtures: Path, workers: int) -> bool:
    """Validate and print a report; True when every expectation holds."""
    names = [n for n in (exercises or list(course.exercises)) if check_files(course, "hidden", [n])]
    ok = True
    for name in names:
        rows = validate_exercise(course, name, fixtures, workers)
        bad = [(e, p) for e, p, _ in rows if p]
        counts = {k: sum(e.kind == k for e, _, _ in rows) for k in ("wrong", "right")}
        mark = "ok" if not bad else "PROBLEMS"
        print(
            f"{name}: reference, stub, {counts['wrong']} wrong and {counts['right']} right "
            f"fixtures — {mark}"
        )
        for e, problems in bad:
            ok = False
            for p in problems:
                print(f"    {e.label}: {p}")
    if not names:
        print("no exercises with hidden checks", file=sys.stderr)
        return False
    return ok
