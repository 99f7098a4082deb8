"""Loading ``course.yaml`` into one frozen, typed :class:`Course` object.

The file is read once; every key is validated, and any problem raises
:class:`~autograder.errors.ConfigError` naming the file, the dotted key and what
was expected. Unknown keys are errors too (with a suggestion for near misses),
so a typo never silently falls back to a default.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "course.yaml").write_text('''
... course: {name: Demo}
... exercises: {gd_1d: {points: 10}}
... assignments: [{id: a1, exercises: [gd_1d]}]
... ''')
>>> course = load_course(d / "course.yaml")
>>> course.assignments[0].total_points
10.0
>>> course.limits.call_seconds
10.0
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml

from autograder.errors import ConfigError

__all__ = [
    "Assignment",
    "Course",
    "ExerciseConfig",
    "FeedbackPolicy",
    "LatePolicy",
    "Limits",
    "Tolerance",
    "load_course",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Tolerance:
    """Relative and absolute tolerance for comparing floats of one dtype."""

    rtol: float
    atol: float


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed submission."""

    call_seconds: float = 10.0
    submission_seconds: float = 120.0
    cpu_seconds: int = 60
    memory_mb: int = 1024
    processes: int = 32
    file_size_mb: int = 16
    open_files: int = 64
    output_kb: int = 64


@dataclass(frozen=True)
class LatePolicy:
    """Late work: ``penalty_per_day`` (a fraction of the score) after ``grace_minutes``."""

    grace_minutes: float = 0.0
    penalty_per_day: float = 0.0
    max_late_days: float | None = None

    def multiplier(self, lateness: timedelta) -> float:
        """The factor applied to a score submitted ``lateness`` after the deadline.

        >>> LatePolicy(grace_minutes=10, penalty_per_day=0.1).multiplier(timedelta(days=2))
        0.8
        >>> LatePolicy(max_late_days=1).multiplier(timedelta(days=2))
        0.0
        """
        minutes = lateness.total_seconds() / 60.0
        if minutes <= self.grace_minutes:
            return 1.0
        days = (minutes - self.grace_minutes) / (24 * 60)
        if self.max_late_days is not None and days > self.max_late_days:
            return 0.0
        return max(0.0, round(1.0 - self.penalty_per_day * math.ceil(days), 10))


@dataclass(frozen=True)
class FeedbackPolicy:
    """What students are shown of hidden checks: ``never``, ``after_due`` or ``always``."""

    hidden_messages: str = "after_due"
    show_expected: bool = False


@dataclass(frozen=True)
class ExerciseConfig:
    """One exercise: its module name, title, points and optional per-check points."""

    name: str
    title: str
    points: float
    check_points: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    tolerances: Mapping[str, Tolerance] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Assignment:
    """A group of exercises with a due date."""

    id: str
    title: str
    exercises: tuple[ExerciseConfig, ...]
    due: datetime | None = None

    @property
    def total_points(self) -> float:
        return float(sum(e.points for e in self.exercises))


@dataclass(frozen=True)
class Course:
    """The whole course, as loaded from ``course.yaml``."""

    path: Path
    name: str
    code: str
    term: str
    exercises: Mapping[str, ExerciseConfig]
    assignments: tuple[Assignment, ...]
    limits: Limits
    late_policy: LatePolicy
    tolerances: Mapping[str, Tolerance]
    feedback: FeedbackPolicy
    secret_env: str
    secret_file: Path

    @property
    def root(self) -> Path:
        """The directory holding ``course.yaml``."""
        return self.path.parent

    def assignment(self, assignment_id: str) -> Assignment:
        for a in self.assignments:
            if a.id == assignment_id:
                return a
        known = ", ".join(a.id for a in self.assignments)
        raise KeyError(f"no assignment {assignment_id!r} in {self.path} (known: {known})")

    def tolerance(self, dtype: str, exercise: str | None = None) -> Tolerance:
        """Tolerance for results of ``dtype`` (an exercise may override the course's)."""
        if exercise is not None and dtype in self.exercises[exercise].tolerances:
            return self.exercises[exercise].tolerances[dtype]
        return self.tolerances.get(dtype, self.tolerances["float64"])

    def read_secret(self) -> bytes | None:
        """The course secret from the environment or the secret file, if any."""
        value = os.environ.get(self.secret_env)
        if value:
            return value.encode()
        if self.secret_file.is_file():
            return self.secret_file.read_bytes().strip() or None
        return None


# --------------------------------------------------------------------------- parsing


class _Reader:
    """Walks the YAML tree, remembering the dotted key for error messages."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, expected: str, got: object = None) -> ConfigError:
        return ConfigError(str(self.path), key, expected, got)

    def mapping(
        self, value: Any, key: str, allowed: set[str], required: set[str] = frozenset()
    ) -> dict[str, Any]:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, "a mapping", value)
        for k in value:
            if not isinstance(k, str) or k not in allowed:
                hint = difflib.get_close_matches(str(k), sorted(allowed), n=1)
                expected = "one of " + ", ".join(sorted(allowed))
                if hint:
                    expected += f" (did you mean {hint[0]!r}?)"
                raise self.fail(_join(key, str(k)), expected, "an unknown key")
        for k in sorted(required):
            if k not in value:
                raise self.fail(_join(key, k), "this required key to be present")
        return value

    def typed(
        self,
        value: Any,
        key: str,
        kind: Callable[[Any], T],
        expected: str,
        check: Callable[[T], bool] = lambda _: True,
    ) -> T:
        if isinstance(value, bool) and kind is not bool:
            raise self.fail(key, expected, value)
        if kind is int and not isinstance(value, int):
            raise self.fail(key, expected, value)
        try:
            result = kind(value)
        except (TypeError, ValueError):
            raise self.fail(key, expected, value) from None
        if not check(result):
            raise self.fail(key, expected, value)
        return result

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise self.fail(key, "a string", value)
        return str(value)

    def positive(self, value: Any, key: str) -> float:
        return self.typed(value, key, float, "a positive number", lambda v: v > 0)

    def non_negative(self, value: Any, key: str) -> float:
        return self.typed(value, key, float, "a number >= 0", lambda v: v >= 0)

    def date(self, value: Any, key: str) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            parsed = value
        else:
            try:
                parsed = datetime.fromisoformat(str(value))
            except ValueError:
                raise self.fail(
                    key, "an ISO 8601 date-time like 2026-12-01T23:59:00+00:00", value
                ) from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _tolerances(r: _Reader, raw: Any, key: str) -> dict[str, Tolerance]:
    raw = r.mapping(raw, key, {"float64", "float32", "float16"})
    out = {}
    for dtype, spec in raw.items():
        k = _join(key, dtype)
        spec = r.mapping(spec, k, {"rtol", "atol"}, {"rtol", "atol"})
        out[dtype] = Tolerance(
            r.non_negative(spec["rtol"], f"{k}.rtol"), r.non_negative(spec["atol"], f"{k}.atol")
        )
    return out


def _exercise(r: _Reader, name: str, raw: Any) -> ExerciseConfig:
    key = f"exercises.{name}"
    raw = r.mapping(raw, key, {"title", "points", "checks", "tolerances"}, {"points"})
    checks_raw = r.mapping(raw.get("checks"), f"{key}.checks", set(raw.get("checks") or {}))
    checks = {c: r.non_negative(p, f"{key}.checks.{c}") for c, p in checks_raw.items()}
    points = r.non_negative(raw["points"], f"{key}.points")
    if checks and abs(sum(checks.values()) - points) > 1e-9:
        raise r.fail(
            f"{key}.checks", f"per-check points summing to {points:g}", sum(checks.values())
        )
    return ExerciseConfig(
        name=name,
        title=r.text(raw.get("title", name.replace("_", " ")), f"{key}.title"),
        points=points,
        check_points=MappingProxyType(checks),
        tolerances=MappingProxyType(_tolerances(r, raw.get("tolerances"), f"{key}.tolerances")),
    )


_DEFAULT_TOLERANCES = {
    "float64": Tolerance(rtol=1e-7, atol=1e-10),
    "float32": Tolerance(rtol=1e-4, atol=1e-6),
    "float16": Tolerance(rtol=1e-2, atol=1e-3),
}


def load_course(path: str | os.PathLike[str]) -> Course:
    """Read and validate ``course.yaml``; raise :class:`ConfigError` on any problem."""
    path = Path(path).resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), "", "a readable file", exc.strerror) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "the file"
        raise ConfigError(
            str(path), "", f"valid YAML (error at {where})", getattr(exc, "problem", str(exc))
        ) from None
    r = _Reader(path)
    top = r.mapping(
        data,
        "",
        {
            "course",
            "exercises",
            "assignments",
            "limits",
            "late_policy",
            "tolerances",
            "feedback",
            "secret",
        },
        {"course", "exercises", "assignments"},
    )
    meta = r.mapping(top["course"], "course", {"name", "code", "term"}, {"name"})

    ex_raw = r.mapping(top["exercises"], "exercises", set(top["exercises"] or {}))
    if not ex_raw:
        raise r.fail("exercises", "at least one exercise")
    for name in ex_raw:
        if not str(name).isidentifier():
            raise r.fail(f"exercises.{name}", "an exercise name that is a Python module name")
    exercises = {name: _exercise(r, name, spec) for name, spec in ex_raw.items()}

    if not isinstance(top["assignments"], list) or not top["assignments"]:
        raise r.fail("assignments", "a non-empty list", top["assignments"])
    assignments, seen = [], set()
    for i, a_raw in enumerate(top["assignments"]):
        key = f"assignments[{i}]"
        a_raw = r.mapping(a_raw, key, {"id", "title", "due", "exercises"}, {"id", "exercises"})
        a_id = r.text(a_raw["id"], f"{key}.id")
        if a_id in seen:
            raise r.fail(f"{key}.id", "a unique assignment id", a_id)
        seen.add(a_id)
        names = a_raw["exercises"]
        if not isinstance(names, list) or not names:
            raise r.fail(f"{key}.exercises", "a non-empty list of exercise names", names)
        for j, n in enumerate(names):
            if n not in exercises:
                raise r.fail(f"{key}.exercises[{j}]", "an exercise defined under 'exercises'", n)
        assignments.append(
            Assignment(
                id=a_id,
                title=r.text(a_raw.get("title", a_id), f"{key}.title"),
                exercises=tuple(exercises[n] for n in names),
                due=r.date(a_raw.get("due"), f"{key}.due"),
            )
        )

    lim_raw = r.mapping(top.get("limits"), "limits", set(Limits.__dataclass_fields__))
    lim_kw: dict[str, Any] = {}
    for k, v in lim_raw.items():
        default = getattr(Limits, k)
        if isinstance(default, int):
            lim_kw[k] = r.typed(v, f"limits.{k}", int, "a positive integer", lambda x: x > 0)
        else:
            lim_kw[k] = r.positive(v, f"limits.{k}")
    late_raw = r.mapping(
        top.get("late_policy"), "late_policy", {"grace_minutes", "penalty_per_day", "max_late_days"}
    )
    late = LatePolicy(
        grace_minutes=r.non_negative(late_raw.get("grace_minutes", 0), "late_policy.grace_minutes"),
        penalty_per_day=r.typed(
            late_raw.get("penalty_per_day", 0),
            "late_policy.penalty_per_day",
            float,
            "a fraction between 0 and 1",
            lambda v: 0 <= v <= 1,
        ),
        max_late_days=(
            None
            if late_raw.get("max_late_days") is None
            else r.non_negative(late_raw["max_late_days"], "late_policy.max_late_days")
        ),
    )
    tolerances = dict(_DEFAULT_TOLERANCES)
    tolerances.update(_tolerances(r, top.get("tolerances"), "tolerances"))
    fb_raw = r.mapping(top.get("feedback"), "feedback", {"hidden_messages", "show_expected"})
    hidden = fb_raw.get("hidden_messages", "after_due")
    if hidden not in ("never", "after_due", "always"):
        raise r.fail("feedback.hidden_messages", "one of never, after_due, always", hidden)
    show_expected = fb_raw.get("show_expected", False)
    if not isinstance(show_expected, bool):
        raise r.fail("feedback.show_expected", "true or false", show_expected)
    sec_raw = r.mapping(top.get("secret"), "secret", {"env", "file"})
    secret_file = Path(r.text(sec_raw.get("file", ".course-secret"), "secret.file"))

    return Course(
        path=path,
        name=r.text(meta["name"], "course.name"),
        code=r.text(meta.get("code", ""), "course.code"),
        term=r.text(meta.get("term", ""), "course.term"),
        exercises=MappingProxyType(exercises),
        assignments=tuple(assignments),
        limits=Limits(**lim_kw),
        late_policy=late,
        tolerances=MappingProxyType(tolerances),
        feedback=FeedbackPolicy(hidden_messages=hidden, show_expected=show_expected),
        secret_env=r.text(sec_raw.get("env", "AUTOGRADER_SECRET"), "secret.env"),
        secret_file=secret_file if secret_file.is_absolute() else path.parent / secret_file,
    )
