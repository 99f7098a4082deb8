"""Hidden checks attach what feedback needs to draw: the landscape, the multipliers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from autograder.config import load_course
from autograder.engine.plugin import Job
from autograder.engine.runner import RunOptions, run_jobs
from autograder.views.evidence import visible_items
from autograder.views.figures import evidence_png

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def _hidden(exercise: str, fixture: str):
    os.environ.setdefault("AUTOGRADER_SECRET", "test-secret")
    course = load_course(ROOT / "course.yaml")
    assignment = next(
        a.id for a in course.assignments if any(e.name == exercise for e in a.exercises)
    )
    path = FIXTURES / exercise / "wrong" / fixture
    job = Job(id="s", files={f"{exercise}.py": str(path)}, seed=11)
    options = RunOptions(exercises=frozenset({exercise}), hide_instructor_paths=False, workers=1)
    out = []
    run_jobs(course, assignment, [job], options, out.append)
    return {c.check: c for c in out[0].checks}


@pytest.mark.parametrize(
    ("exercise", "fixture", "check"),
    [
        ("zigzag", "gd_diagonal_only.py", "test_gd_trajectory"),
        ("momentum", "first_step_x_prev_zero.py", "test_heavy_ball_position"),
        ("schedules", "gd_rates_shifted.py", "test_gd_with_schedule"),
    ],
)
def test_failed_trajectories_carry_their_landscape(exercise, fixture, check):
    checks = _hidden(exercise, fixture)
    items = visible_items(checks[check], show_hidden=True)
    drawn = [i for i in items if i.kind == "trajectory" and i.data["landscape"] is not None]
    assert checks[check].status == "failed"
    assert drawn, f"{check} attached no trajectory with its landscape: {items}"
    png = evidence_png(drawn[0])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_failed_multipliers_are_drawn_as_multipliers():
    checks = _hidden("eigen", "sign_error.py")
    items = visible_items(checks["test_multipliers"], show_hidden=True)
    kinds = {i.kind for i in items}
    assert kinds == {"multipliers"}
    assert items[0].data["eigenvalues"] is not None and items[0].data["alpha"] is not None
