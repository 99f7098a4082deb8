"""The schedules checks are proven.

Hidden checks: the reference and every right fixture get full marks, the stub gets
zero, every wrong fixture is caught by the checks its ``CAUGHT_BY`` names. Public
checks: full marks for the reference and the right fixtures (and for the lookup-table
fixture, which answers them verbatim), zero for the stub. The closed forms the hidden
checks use to name mistakes agree with the reference wherever the reference is defined.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from autograder.checks import schedules as hidden
from autograder.config import load_course
from autograder.results import SubmissionResult
from autograder.validate import validate_exercise
from reference import schedules as ref

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = "schedules"
FIXTURES = ROOT / "tests" / "fixtures" / EXERCISE


def test_schedules_checks_are_proven():
    rows = validate_exercise(
        load_course(ROOT / "course.yaml"), EXERCISE, ROOT / "tests" / "fixtures", workers=1
    )
    problems = {e.label: p for e, p, _ in rows if p}
    assert not problems, problems
    kinds = [e.kind for e, _, _ in rows]
    assert kinds.count("wrong") >= 6 and kinds.count("right") >= 2


def _grade_public(grade_public, *paths: Path) -> list[SubmissionResult]:
    results = grade_public(
        EXERCISE, {f"P{i}": p.resolve() for i, p in enumerate(paths)}, seed_step=1
    )
    return [results[f"P{i}"] for i in range(len(paths))]


def test_public_checks_pass_the_reference_the_right_fixtures_and_the_lookup_table(
    tmp_path, reference_shim, grade_public
):
    paths = [
        reference_shim(EXERCISE, tmp_path),
        *sorted((FIXTURES / "right").glob("*.py")),
        FIXTURES / "wrong" / "hardcoded_public.py",
    ]
    for path, result in zip(paths, _grade_public(grade_public, *paths), strict=True):
        assert len(result.checks) == len(ref.__all__), path.name  # one public check a function
        failing = {c.check: c.message for c in result.checks if c.status != "passed"}
        assert not failing, (path.name, failing)


def test_public_checks_give_the_stub_zero(grade_public):
    (result,) = _grade_public(grade_public, ROOT / "exercises" / f"{EXERCISE}.py")
    assert result.checks
    passing = [c.check for c in result.checks if c.status == "passed"]
    assert not passing, passing
    assert sum(c.points for c in result.checks) == 0.0


def test_public_checks_do_not_import_the_reference():
    tree = ast.parse((ROOT / "exercises" / "checks" / f"{EXERCISE}.py").read_text())
    modules = [
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in (n.names if isinstance(n, ast.Import) else [n])
    ]
    assert not [m for m in modules if m and m.split(".")[0] == "reference"], modules


STEPS = np.arange(0, 60)


@pytest.mark.parametrize("up, down", [(3, None), (4, 7), (1, 1), (5, 2)])
def test_the_mistake_closed_forms_match_the_reference_without_the_mistake(up, down):
    """``_tri``, ``_cosine`` and ``_warmup`` are the reference formulas for t ≥ 0."""
    cycle, height = hidden._tri(STEPS.astype(float), up, down or up)
    kw = {"base_lr": 0.01, "max_lr": 0.7, "step_size": up, "step_size_down": down}
    np.testing.assert_allclose(0.01 + 0.69 * height, ref.triangular(STEPS, **kw), rtol=1e-13)
    np.testing.assert_allclose(
        0.01 + 0.69 * height * 0.5 ** (cycle - 1), ref.triangular2(STEPS, **kw), rtol=1e-13
    )
    np.testing.assert_allclose(
        0.01 + 0.69 * height * 0.97**STEPS, ref.exp_range(STEPS, gamma=0.97, **kw), rtol=1e-13
    )
    np.testing.assert_allclose(
        hidden._cosine(STEPS.astype(float), 0.9, 17, 0.02),
        ref.cosine_annealing(STEPS, eta0=0.9, total_steps=17, eta_min=0.02),
        rtol=1e-13,
    )
    for t_w, f in ((0, 0.0), (up, 0.0), (up + 2, 0.3)):
        np.testing.assert_allclose(
            hidden._warmup(STEPS.astype(float), 0.9, t_w, 40, 0.02, f),
            ref.warmup_cosine(
                STEPS, eta0=0.9, warmup_steps=t_w, total_steps=40, eta_min=0.02, start_factor=f
            ),
            rtol=1e-13,
            atol=1e-15,
        )


def test_the_shifted_mistakes_are_the_schedule_one_step_off():
    """At t = −1 the closed forms continue the schedule (the value a t − 1 bug returns at t = 0)."""
    t = np.array([-1.0])
    # the triangle is periodic: t = −1 is the last step of a cycle, one step above base
    _, height = hidden._tri(t, 4, 6)
    assert height[0] == pytest.approx(1 / 6)
    # cosine is even in t, so one step before 0 is the value at t = 1
    assert hidden._cosine(t, 1.0, 10, 0.0)[0] == pytest.approx(
        ref.cosine_annealing(1, eta0=1.0, total_steps=10)
    )
