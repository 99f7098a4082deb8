"""course.yaml loading: the shipped file is valid; every bad file names the key and the file."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from autograder.config import LatePolicy, load_course
from autograder.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]

GOOD = """
course: {name: Demo}
exercises:
  gd_1d: {points: 10}
  eigen: {points: 5, checks: {test_a: 2, test_b: 3}}
assignments:
  - {id: a1, exercises: [gd_1d, eigen], due: "2026-12-01T23:59:00+00:00"}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "course.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_shipped_course_is_valid_and_covers_every_exercise():
    course = load_course(ROOT / "course.yaml")
    graded = {e.name for a in course.assignments for e in a.exercises}
    assert graded == set(course.exercises)
    assert course.tolerance("float32").rtol > course.tolerance("float64").rtol


def test_loaded_course_is_frozen(tmp_path):
    course = load_course(write(tmp_path, GOOD))
    with pytest.raises(AttributeError):
        course.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        course.exercises["new"] = None  # type: ignore[index]
    assert course.assignments[0].total_points == 15.0
    assert course.exercises["eigen"].check_points["test_b"] == 3.0


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        (
            GOOD.replace("course: {name: Demo}", "course: {nam: Demo}"),
            "course.nam",
            "did you mean 'name'",
        ),
        (GOOD.replace("points: 10", "points: ten"), "exercises.gd_1d.points", "number"),
        (GOOD.replace("points: 10", "points: -1"), "exercises.gd_1d.points", ">= 0"),
        (GOOD.replace("test_b: 3", "test_b: 4"), "exercises.eigen.checks", "summing to 5"),
        (
            GOOD.replace("[gd_1d, eigen]", "[gd_1d, sgd]"),
            "assignments[0].exercises[1]",
            "exercise defined",
        ),
        (
            GOOD.replace('"2026-12-01T23:59:00+00:00"', "next friday"),
            "assignments[0].due",
            "ISO 8601",
        ),
        (GOOD + "limits: {call_seconds: 0}\n", "limits.call_seconds", "positive"),
        (GOOD + "limits: {cpu_seconds: 1.5}\n", "limits.cpu_seconds", "integer"),
        (GOOD + "late_policy: {penalty_per_day: 2}\n", "late_policy.penalty_per_day", "fraction"),
        (
            GOOD + "feedback: {hidden_messages: sometimes}\n",
            "feedback.hidden_messages",
            "never, after_due, always",
        ),
        (GOOD + "tolerances: {float32: {rtol: 1e-4}}\n", "tolerances.float32.atol", "required"),
        (GOOD.replace("assignments:", "assignmentz:"), "assignmentz", "unknown key"),
        ("course: {name: Demo}\nexercises: {}\nassignments: []\n", "exercises", "at least one"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path, text, key, fragment):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_course(path)
    message = str(info.value)
    assert str(path) in message
    assert f"key {key!r}" in message
    assert fragment in message


def test_yaml_syntax_error_names_line(tmp_path):
    path = write(tmp_path, "course: {name: Demo\nexercises: [\n")
    with pytest.raises(ConfigError, match="valid YAML"):
        load_course(path)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="readable file"):
        load_course(tmp_path / "nope.yaml")


def test_late_policy_multiplier():
    policy = LatePolicy(grace_minutes=15, penalty_per_day=0.1, max_late_days=3)
    assert policy.multiplier(timedelta(minutes=10)) == 1.0
    assert policy.multiplier(timedelta(hours=2)) == 0.9
    assert policy.multiplier(timedelta(days=2, minutes=15)) == 0.8
    assert policy.multiplier(timedelta(days=4)) == 0.0
