"""The checks of exercise ``momentum`` are themselves tested.

* hidden checks: the reference gets full marks, the stub zero, every known-wrong fixture
  is caught by the check(s) its ``CAUGHT_BY`` names (``hardcoded_public`` by all of them)
  and every known-right fixture gets full marks (``autograder validate momentum``);
* public checks: the reference and the right fixtures pass every one, the stub none, and
  a submission that hard-codes the public answers passes them (which is why the hidden
  checks must catch it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.config import load_course
from autograder.validate import validate_exercise

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = "momentum"
FIXTURES = ROOT / "tests" / "fixtures" / EXERCISE


def test_momentum_checks_are_proven():
    rows = validate_exercise(
        load_course(ROOT / "course.yaml"), EXERCISE, ROOT / "tests" / "fixtures", workers=1
    )
    problems = {e.label: p for e, p, _ in rows if p}
    assert not problems, problems
    kinds = [e.kind for e, _, _ in rows]
    assert kinds.count("wrong") >= 6 and kinds.count("right") >= 2
    hardcoded = next(r for e, _, r in rows if e.label == "wrong/hardcoded_public")
    assert hardcoded is not None and sum(c.points for c in hardcoded.checks) == 0
    reference = next(r for e, _, r in rows if e.kind == "reference")
    assert reference is not None and len(reference.checks) >= 15


@pytest.fixture(scope="module")
def public_results(tmp_path_factory, reference_shim, grade_public):
    submissions = {
        "reference": reference_shim(EXERCISE, tmp_path_factory.mktemp("shim")),
        "stub": ROOT / "exercises" / f"{EXERCISE}.py",
        "hardcoded": FIXTURES / "wrong" / "hardcoded_public.py",
    }
    for path in sorted((FIXTURES / "right").glob("*.py")):
        submissions[f"right/{path.stem}"] = path
    return grade_public(EXERCISE, submissions, seed=7, seed_step=1)


def _not_passed(result):
    return {c.check: (c.status, c.message[:300]) for c in result.checks if c.status != "passed"}


def test_public_checks_cover_every_function(public_results):
    names = {c.check for c in public_results["reference"].checks}
    assert len(names) >= 10
    source = (ROOT / "exercises" / "checks" / f"{EXERCISE}.py").read_text()
    from reference import momentum

    missing = [f for f in momentum.__all__ if f'"{f}"' not in source]
    assert not missing, missing
    assert "import reference" not in source and "from reference" not in source


def test_public_checks_pass_on_the_reference(public_results):
    result = public_results["reference"]
    assert result.checks and not _not_passed(result), _not_passed(result)


@pytest.mark.parametrize("name", ["position_form_loops", "torch_sgd_numpy_roots"])
def test_public_checks_pass_on_right_fixtures(public_results, name):
    result = public_results[f"right/{name}"]
    assert result.checks and not _not_passed(result), _not_passed(result)


def test_public_checks_give_the_stub_nothing(public_results):
    result = public_results["stub"]
    assert result.checks and all(c.status != "passed" for c in result.checks)
    assert all("not implemented" in c.message for c in result.checks)


def test_hardcoded_answers_pass_the_public_checks(public_results):
    """The hard-coding fixture really answers the public cases (so the hidden ones matter)."""
    result = public_results["hardcoded"]
    assert result.checks and not _not_passed(result), _not_passed(result)
