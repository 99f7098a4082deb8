"""The checks of exercise ``eigen`` are themselves tested.

* ``autograder validate``: the reference gets full marks, the stub zero, every wrong
  fixture fails the checks its ``CAUGHT_BY`` names, every right fixture gets full marks;
* the public checks give the reference full marks and the stub zero;
* the hidden checks catch every wrong fixture (and pass every right one) for many
  ``rng`` seeds, not only the ones ``validate`` happens to use: the check functions are
  called in-process with a student proxy that round-trips values through the codec.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from autograder.checks import eigen as hidden
from autograder.config import load_course
from autograder.engine.plugin import Credit
from autograder.engine.student import Outcome, call_each
from autograder.errors import StudentCodeError, WrongAnswer
from autograder.protocol.codec import decode, encode
from autograder.validate import _caught_by, validate_exercise

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "eigen"
EXERCISE = "eigen"


def test_eigen_checks_are_proven():
    rows = validate_exercise(
        load_course(ROOT / "course.yaml"), EXERCISE, ROOT / "tests" / "fixtures", workers=1
    )
    problems = {e.label: p for e, p, _ in rows if p}
    assert not problems, problems
    kinds = [e.kind for e, _, _ in rows]
    assert kinds.count("wrong") >= 6 and kinds.count("right") >= 2
    reference = next(r for e, _, r in rows if e.kind == "reference")
    assert reference is not None and len(reference.checks) == len(_hidden_checks())


def test_public_checks_give_the_reference_full_marks(tmp_path, reference_shim, grade_one):
    checks = list(grade_one(EXERCISE, reference_shim(EXERCISE, tmp_path)).checks)
    assert len(checks) >= 6
    bad = {c.check: c.message for c in checks if c.status != "passed"}
    assert not bad, bad
    assert all(c.points == c.max_points > 0 for c in checks)


def test_public_checks_give_the_stub_zero(grade_one):
    checks = list(grade_one(EXERCISE, ROOT / "exercises" / f"{EXERCISE}.py").checks)
    assert checks
    assert all(c.status != "passed" and c.points == 0 for c in checks)


# ----------------------------------------------------------------------------- many seeds


class _InProcessStudent:
    """Calls a fixture module directly; values cross the codec as they would the sandbox."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module

    def call(self, function: str, *args: object, **kwargs: object) -> object:
        a, kw = decode(encode(list(args))), decode(encode(kwargs))
        try:
            value = getattr(self.module, function)(*a, **kw)
        except Exception as exc:
            raise StudentCodeError(
                f"{function}() raised {type(exc).__name__}: {exc}", exc_type=type(exc).__name__
            ) from None
        return decode(encode(value))

    def call_many(self, function: str, calls: list) -> list[Outcome]:
        return call_each(self.call, function, calls)


def _hidden_checks() -> dict[str, object]:
    return {
        name: fn
        for name, fn in inspect.getmembers(hidden, inspect.isfunction)
        if name.startswith("test_") and fn.__module__ == hidden.__name__
    }


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"eigen_fixture_{path.parent.name}_{path.stem}", path
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _outcome(check: object, module: ModuleType, seed: int) -> str:
    try:
        check(_InProcessStudent(module), np.random.default_rng(seed), Credit())
    except (WrongAnswer, StudentCodeError):
        return "caught"
    return "passed"


SEEDS = range(25)


def test_reference_passes_every_hidden_check_for_many_seeds():
    module = importlib.import_module(f"reference.{EXERCISE}")
    failures = [
        (name, seed)
        for seed in SEEDS
        for name, check in _hidden_checks().items()
        if _outcome(check, module, seed) != "passed"
    ]
    assert not failures, failures


@pytest.mark.parametrize("path", sorted((FIXTURES / "right").glob("*.py")), ids=lambda p: p.stem)
def test_right_fixtures_pass_every_hidden_check_for_many_seeds(path):
    module = _load(path)
    failures = [
        (name, seed)
        for seed in SEEDS
        for name, check in _hidden_checks().items()
        if _outcome(check, module, seed) != "passed"
    ]
    assert not failures, failures


@pytest.mark.parametrize("path", sorted((FIXTURES / "wrong").glob("*.py")), ids=lambda p: p.stem)
def test_wrong_fixtures_are_caught_for_many_seeds(path):
    module = _load(path)
    caught_by = _caught_by(path)
    checks = _hidden_checks()
    names = list(checks) if caught_by == ("*",) else list(caught_by)
    assert names and all(n in checks for n in names), caught_by
    missed = [
        (name, seed)
        for seed in SEEDS
        for name in names
        if _outcome(checks[name], module, seed) == "passed"
    ]
    assert not missed, missed
