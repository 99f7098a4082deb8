"""Gradescope: the autograder zip, and what its ``run_autograder`` does per submission.

``autograder export gradescope-zip --assignment a1 --out build/gradescope.zip`` writes a
zip with, at its root, ``setup.sh`` (Python ≥ 3.11, ``torch==2.13.0`` CPU first, then
this package), ``run_autograder``, ``requirements.txt``, ``gradescope.json`` (the
assignment), ``course.yaml``, ``pyproject.toml`` and the package source —
``autograder/`` with the hidden checks, ``reference/``, ``exercises/``. The course
secret is never in it (:func:`audit_zip` proves it): ``setup.sh`` takes
``$AUTOGRADER_SECRET`` if the image is built with one, or makes a new secret, stores it
root-only in ``source/.course-secret`` and prints it once in the build log.

``run_autograder`` calls :func:`run`: it grades ``$AUTOGRADER_ROOT/submission``
(``/autograder`` by default) as one submission for the assignment, in the same
sandbox as ``autograder grade`` (Gradescope runs it as root, so the sandbox gets its
namespaces, masks and dropped uid), applies ``course.yaml``'s late policy to
``created_at`` against the due date in ``submission_metadata.json``, and writes
``results/results.json`` — checked against ``gradescope_results.schema.json`` (the
published specification) when ``jsonschema`` is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import stat
import sys
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from autograder.config import Assignment, Course, load_course
from autograder.errors import AutograderError, GraderError
from autograder.platforms.late import explain, gradescope_times, late_multiplier
from autograder.results import SubmissionResult

__all__ = [
    "DEFAULT_ROOT",
    "ROOT_ENV",
    "SCHEMA_PATH",
    "audit_zip",
    "build_zip",
    "choose_assignment",
    "export_zip_command",
    "main",
    "run",
    "setup_secret",
    "validate_results",
]

ROOT_ENV = "AUTOGRADER_ROOT"
DEFAULT_ROOT = "/autograder"
SCHEMA_PATH = Path(__file__).with_name("gradescope_results.schema.json")
TEMPLATES = Path(__file__).parent / "templates" / "gradescope"
CONFIG_NAME = "gradescope.json"
_PACKAGES = ("autograder", "reference", "exercises")
_EXECUTABLE = {"setup.sh", "run_autograder"}
_EPOCH = (1980, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- schema


def validate_results(document: Mapping[str, Any]) -> list[str]:
    """Where ``document`` breaks the results.json schema (``[]``: it is valid).

    Needs ``jsonschema`` (the ``dev`` extra; ``requirements.txt`` of the zip).
    """
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
        for e in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]


# --------------------------------------------------------------------------- the zip


def _package_dir(name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise GraderError(f"package {name!r} not found")
    return Path(next(iter(spec.submodule_search_locations)))


def _requirements(pyproject: Path | None) -> str:
    deps: list[str] = []
    if pyproject is not None and pyproject.is_file():
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        deps = list(data.get("project", {}).get("dependencies", []))
    deps = [d for d in deps if not re.match(r"torch\b", d)] or [
        "numpy>=1.26",
        "matplotlib>=3.8",
        "pytest>=8",
        "pyyaml>=6",
        "sqlalchemy>=2.0",
    ]
    lines = [
        "# Runtime dependencies of the grader on Gradescope (setup.sh installs",
        "# torch==2.13.0, CPU build, before these).",
        *deps,
        "jsonschema>=4",
        "",
    ]
    return "\n".join(lines)


_PYPROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "course-grader"
version = "1.0"
requires-python = ">=3.11"

[project.scripts]
autograder = "autograder.cli:main"

[tool.setuptools.packages.find]
include = ["reference*", "exercises*", "autograder*"]
"""


def _entries(course: Course) -> Iterable[tuple[str, bytes]]:
    """(name in zip, bytes) of everything the zip holds, in a stable order."""
    secret_name = course.secret_file.name
    for name in ("setup.sh", "run_autograder"):
        yield name, (TEMPLATES / name).read_bytes()
    for package in _PACKAGES:
        base = _package_dir(package)
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(base)
            if (
                not path.is_file()
                or "__pycache__" in rel.parts
                or path.suffix in (".pyc", ".pyo")
                or path.name == secret_name
                or path.name.endswith((".sqlite", ".sqlite3"))
            ):
                continue
            yield f"{package}/{rel.as_posix()}", path.read_bytes()
    yield "course.yaml", course.path.read_bytes()
    project = _package_dir("autograder").parent / "pyproject.toml"
    pyproject = project if project.is_file() else None
    yield "pyproject.toml", pyproject.read_bytes() if pyproject else _PYPROJECT.encode()
    yield "requirements.txt", _requirements(pyproject).encode()


def build_zip(
    course: Course, out: Path, *, assignment: str | None = None, allow_insecure: bool = False
) -> Path:
    """Write the Gradescope autograder zip for ``course`` (one ``assignment``, or any).

    Without ``assignment``, ``run_autograder`` picks it per submission (see
    :func:`choose_assignment`). ``allow_insecure`` lets it grade where the sandbox
    cannot be isolated — only for trusted code. The zip is reproducible (fixed times,
    sorted entries) and audited: it raises :class:`GraderError` if a check fails.
    """
    if assignment is not None:
        course.assignment(assignment)  # KeyError names the known ones
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    config = {
        "course": course.name,
        "assignment": assignment,
        "allow_insecure": bool(allow_insecure),
    }
    entries = [*_entries(course), (CONFIG_NAME, (json.dumps(config, indent=2) + "\n").encode())]
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            mode = 0o755 if name in _EXECUTABLE else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    problems = audit_zip(tmp, course)
    if problems:
        tmp.unlink()
        raise GraderError("the Gradescope zip is unsafe: " + "; ".join(problems))
    tmp.replace(out)
    return out


def audit_zip(path: Path, course: Course) -> list[str]:
    """Problems with a Gradescope zip: missing pieces, or the course secret inside."""
    problems: list[str] = []
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        required = {
            "setup.sh",
            "run_autograder",
            "requirements.txt",
            "course.yaml",
            "pyproject.toml",
            CONFIG_NAME,
        }
        problems += [f"{n} is missing" for n in sorted(required - names)]
        for exercise in course.exercises:
            if f"autograder/checks/{exercise}.py" not in names:
                problems.append(f"the hidden checks of {exercise} are missing")
        for name in ("setup.sh", "run_autograder"):
            if name in names and not (zf.getinfo(name).external_attr >> 16) & 0o111:
                problems.append(f"{name} is not executable")
        secret_name = course.secret_file.name
        problems += [f"{n} is a secret file" for n in names if Path(n).name == secret_name]
        secret = course.read_secret()
        if secret and len(secret) >= 8:
            for name in sorted(names):
                if secret in zf.read(name):
                    problems.append(f"{name} contains the course secret")
    return problems


def export_zip_command(course: Course, args: argparse.Namespace) -> int:
    """``autograder export gradescope-zip``: build, audit and say what to do next."""
    out = Path(args.out)
    if out.suffix != ".zip":
        out = out / (f"gradescope-{args.assignment}.zip" if args.assignment else "gradescope.zip")
    path = build_zip(
        course,
        out,
        assignment=args.assignment,
        allow_insecure=getattr(args, "allow_insecure", False),
    )
    with zipfile.ZipFile(path) as zf:
        count = len(zf.namelist())
    which = f"assignment {args.assignment}" if args.assignment else "any assignment"
    print(f"{path}  ({count} files, {which}; no course secret inside)")
    print("upload it as the autograder of a Gradescope programming assignment")
    return 0


# --------------------------------------------------------------------------- secret


def _fingerprint(secret: bytes) -> str:
    return hashlib.sha256(secret).hexdigest()[:12]


def setup_secret(course: Course, say: Callable[[str], None] = print) -> bytes:
    """The secret for grading on Gradescope: the one present, or a new one, recorded.

    A new secret is written root-only next to ``course.yaml`` in the image and printed
    once (the build log is visible to course staff only): record it to regrade
    elsewhere with the same hidden inputs. ``run_autograder`` never prints it.
    """
    from autograder.grading import ensure_secret

    existing = course.read_secret()
    if existing is not None:
        say(f"course secret: present (fingerprint {_fingerprint(existing)})")
        return existing
    secret = ensure_secret(course, create=True, say=say)
    say(
        "=" * 72
        + f"\nNEW COURSE SECRET (fingerprint {_fingerprint(secret)}): {secret.decode()}\n"
        + "Record it in your course's password store: seeds of hidden inputs derive from\n"
        + f"it, and regrading elsewhere with ${course.secret_env} set to it reproduces them.\n"
        + "=" * 72
    )
    return secret


# --------------------------------------------------------------------------- run


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def choose_assignment(
    course: Course, *, explicit: str | None, meta: Mapping[str, Any], files: Iterable[str]
) -> Assignment:
    """The assignment to grade: ``explicit``; the only one; the one whose id or title is
    Gradescope's assignment title; else the one most of the submitted files belong to."""
    if explicit:
        return course.assignment(explicit)
    if len(course.assignments) == 1:
        return course.assignments[0]
    info = meta.get("assignment")
    title = str(info.get("title", "")).strip().casefold() if isinstance(info, Mapping) else ""
    if title:
        exact = [a for a in course.assignments if title in (a.id.casefold(), a.title.casefold())]
        if len(exact) == 1:
            return exact[0]
        words = [
            a for a in course.assignments if re.search(rf"\b{re.escape(a.id.casefold())}\b", title)
        ]
        if len(words) == 1:
            return words[0]
    stems = {Path(f).stem for f in files}
    overlap = {a.id: len(stems & {e.name for e in a.exercises}) for a in course.assignments}
    best = max(overlap.values())
    winners = [a for a in course.assignments if overlap[a.id] == best]
    if best > 0 and len(winners) == 1:
        return winners[0]
    raise GraderError(
        "cannot tell which assignment this submission is for: build the zip with "
        "--assignment, or name the Gradescope assignment after a course assignment id "
        f"({', '.join(a.id for a in course.assignments)})"
    )


def _submission_id(meta: Mapping[str, Any], fallback: str) -> str:
    sid = meta.get("id")
    if isinstance(sid, (int, str)) and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", str(sid)):
        return f"gs{sid}"
    return fallback


def _error_results(message: str, seconds: float) -> dict[str, Any]:
    return {
        "score": 0.0,
        "execution_time": round(seconds, 3),
        "output": (
            "Your submission could not be graded because of a problem with the autograder "
            "(not with your code). Course staff have been told; it will be regraded.\n"
            f"Detail: {message}"
        ),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [],
        "extra_data": {"grader_error": message},
    }


def _exercise_lines(course: Course, assignment: Assignment, result: SubmissionResult) -> list[str]:
    """Points per exercise and why code did not run — always visible, like feedback.md
    (why a hidden check *failed* stays in its test, under the test's visibility)."""
    from autograder.views.feedback import HIDDEN_NOTE, visible_message

    per = result.by_exercise()
    lines = []
    for e in assignment.exercises:
        checks = per.get(e.name, [])
        got = sum(c.points for c in checks)
        total = sum(c.max_points for c in checks) or e.points
        lines.append(f"  {e.title}: {got:g} / {total:g}")
    reasons: list[str] = []
    for c in result.checks:
        text = visible_message(c, show_hidden=False) if c.status in ("error", "timeout") else ""
        if text and text not in reasons:
            reasons.append(text)
    if reasons:
        lines.append("Your code did not run for some checks:")
        lines += [f"  - {r.splitlines()[0][:300]}" for r in reasons[:10]]
    if course.feedback.hidden_messages == "after_due" and any(
        c.visibility == "hidden" and c.status == "failed" for c in result.checks
    ):
        lines.append(HIDDEN_NOTE)
    return lines


def _results_document(
    course: Course,
    assignment: Assignment,
    result: SubmissionResult,
    *,
    late_note: str,
    extra: dict[str, Any],
) -> dict[str, Any]:
    from autograder.views import gradescope_results
    from autograder.views.gradescope import HIDDEN_VISIBILITY

    doc = gradescope_results(
        result, hidden_visibility=HIDDEN_VISIBILITY[course.feedback.hidden_messages]
    )
    head = f"{assignment.title}: {result.score:g} / {result.max_score:g}"
    if result.late_multiplier != 1.0:
        head += f" (raw {result.raw_score:g}, late penalty × {result.late_multiplier:g})"
    lines = [head, late_note, *_exercise_lines(course, assignment, result)]
    doc["output"] = "\n".join(p for p in (*lines, doc.get("output", "")) if p).strip()
    doc["extra_data"] = {**doc.get("extra_data", {}), **extra}
    return doc


def run(
    root: Path | str | None = None,
    *,
    assignment: str | None = None,
    allow_insecure: bool | None = None,
    say: Callable[[str], None] = print,
) -> int:
    """Grade ``<root>/submission`` and write ``<root>/results/results.json``.

    Returns 0 when graded, 1 when the grader could not grade (a results.json that says
    so, with score 0, is still written). Everything printed goes to Gradescope's
    ``results/stdout``, which students do not see.
    """
    from autograder.engine.plugin import Job, Part
    from autograder.engine.runner import RunOptions, run_jobs
    from autograder.engine.seeding import submission_seed
    from autograder.submissions import prepare

    start = time.monotonic()
    root = Path(root or os.environ.get(ROOT_ENV) or DEFAULT_ROOT).resolve()
    source, submission, results_dir = root / "source", root / "submission", root / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    target = results_dir / "results.json"
    try:
        config = _read_json(source / CONFIG_NAME)
        course = load_course(os.environ.get("AUTOGRADER_COURSE") or source / "course.yaml")
        meta = _read_json(root / "submission_metadata.json")
        secret = course.read_secret()
        if secret is None:
            raise GraderError(
                f"no course secret: ${course.secret_env} is unset and {course.secret_file} "
                "is missing (setup.sh creates it)"
            )
        if allow_insecure is None:
            allow_insecure = bool(config.get("allow_insecure"))
        all_names = list(course.exercises)
        with tempfile.TemporaryDirectory(prefix="autograder-gs-") as staging:
            sub = prepare(submission, Path(staging), all_names)
            chosen = choose_assignment(
                course,
                explicit=assignment
                or os.environ.get("AUTOGRADER_ASSIGNMENT")
                or config.get("assignment"),
                meta=meta,
                files=sub.files,
            )
            names = frozenset(e.name for e in chosen.exercises)
            files = {k: v for k, v in sub.files.items() if k[:-3] in names}
            sub_id = _submission_id(meta, sub.id)
            # The time is Gradescope's, never a SUBMITTED_AT file among the student's files.
            times = gradescope_times(meta)
            due = times.due or chosen.due
            factor = late_multiplier(course.late_policy, times.submitted_at, due, times.late_due)
            note = explain(course.late_policy, times.submitted_at, due, times.late_due)
            if times.due and chosen.due and times.due != chosen.due and not times.extension:
                say(f"note: Gradescope's due date {times.due} is not course.yaml's {chosen.due}")
            seed = submission_seed(secret, chosen.id, sub_id)
            job = Job(
                id=sub_id,
                files=files,
                problems=sub.problems,
                submitted_at=times.submitted_at.isoformat() if times.submitted_at else None,
                parts=(Part(chosen.id, names, seed, factor, sub.fingerprint),),
            )
            got: list[SubmissionResult] = []
            options = RunOptions(
                workers=1,
                allow_insecure=bool(allow_insecure),
                extra_hide=(str(root), str(submission), str(results_dir)),
            )
            summary = run_jobs(course, None, [job], options, got.append)
        if not got:
            raise GraderError("the engine returned no result")
        result = got[0]
        users = [
            {k: u.get(k) for k in ("id", "email", "name")}
            for u in meta.get("users", [])
            if isinstance(u, Mapping)
        ]
        extra = {
            "assignment": chosen.id,
            "submission": sub_id,
            "seed": str(seed),
            "secret_fingerprint": _fingerprint(secret),
            "submitted_at": job.submitted_at,
            "due": due.isoformat() if due else None,
            "late_multiplier": factor,
            "fingerprint": sub.fingerprint,
            "users": users,
        }
        doc = _results_document(course, chosen, result, late_note=note, extra=extra)
        doc["execution_time"] = round(time.monotonic() - start, 3)
        status = 0
        for w in summary.warnings:
            say(f"WARNING: {w}")
        for f in summary.grader_faults:
            say(f"GRADER FAULT: {f}")
        say(
            f"graded {sub_id} for {chosen.id}: {result.score:g}/{result.max_score:g}"
            + ("" if factor == 1.0 else f" (late ×{factor:g})")
        )
    except (AutograderError, KeyError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        say(f"ERROR: {message}")
        doc, status = _error_results(str(message), time.monotonic() - start), 1
    try:
        problems = validate_results(doc)
    except ModuleNotFoundError:
        problems = []
        say("note: jsonschema is not installed; results.json was not validated")
    for p in problems:
        say(f"results.json does not follow the schema: {p}")
    target.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return status if not problems else 1


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m autograder.platforms.gradescope {run,setup-secret}``."""
    p = argparse.ArgumentParser(prog="python -m autograder.platforms.gradescope")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="grade the submission under the Gradescope layout")
    r.add_argument("--root", type=Path, default=None, help=f"default ${ROOT_ENV} or {DEFAULT_ROOT}")
    r.add_argument("--assignment", default=None)
    r.add_argument("--allow-insecure", action="store_true", default=None)
    s = sub.add_parser("setup-secret", help="make sure a course secret exists (setup.sh)")
    s.add_argument("--course", type=Path, required=True)
    args = p.parse_args(argv)
    if args.command == "run":
        return run(args.root, assignment=args.assignment, allow_insecure=args.allow_insecure)
    setup_secret(load_course(args.course))
    return 0


if __name__ == "__main__":
    sys.exit(main())
