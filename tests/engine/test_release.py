"""The student bundle holds nothing of the instructor's, and notebooks grade like modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.config import load_course
from autograder.engine.plugin import Job
from autograder.engine.runner import RunOptions, run_jobs
from autograder.notebooks import exercise_notebook
from autograder.release import audit_release, build_release
from autograder.submissions import prepare

ROOT = Path(__file__).resolve().parents[2]
COURSE = load_course(ROOT / "course.yaml")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return build_release(COURSE, tmp_path_factory.mktemp("release") / "student")


def test_bundle_has_the_student_material_and_passes_its_audit(bundle):
    assert audit_release(bundle, COURSE) == []
    for name in COURSE.exercises:
        assert (bundle / "exercises" / f"{name}.py").is_file()
        assert (bundle / "exercises" / "checks" / f"{name}.py").is_file()
        nb = json.loads((bundle / "notebooks" / f"{name}.ipynb").read_text())
        assert nb["cells"][0]["cell_type"] == "markdown"
    assert not (bundle / "reference").exists()
    assert [p.name for p in (bundle / "autograder" / "checks").glob("*.py")] == ["__init__.py"]
    assert not (bundle / "autograder" / "validate.py").exists()
    assert not any(p.name == ".course-secret" for p in bundle.rglob("*"))


def test_audit_catches_a_leaked_solution(bundle, tmp_path):
    leaky = tmp_path / "leaky"
    build_release(COURSE, leaky)
    solution = (ROOT / "tests" / "fixtures" / "eigen" / "right" / "loops.py").read_text()
    reference_src = "".join(p.read_text() for p in (ROOT / "reference" / "eigen").glob("_*.py"))
    (leaky / "exercises" / "eigen.py").write_text(solution + "\n" + reference_src)
    problems = audit_release(leaky, COURSE)
    assert any("is not a stub" in p for p in problems)
    assert any("line(s) of reference" in p for p in problems)


def test_the_bundle_checks_a_students_work_on_its_own(bundle):
    env = {**os.environ, "PYTHONPATH": str(bundle)}
    code = (
        "import sys, autograder; assert autograder.__file__.startswith(sys.argv[1]); "
        "from autograder.cli import main; sys.exit(main(['check', 'eigen']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(bundle)],
        cwd=bundle,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "not implemented yet" in done.stdout
    assert "0/6 public checks passed" in done.stdout


@pytest.mark.parametrize(("exercise", "fixture"), [("gd_1d", "vectorised"), ("eigen", "loops")])
def test_a_completed_notebook_grades_exactly_like_the_module(tmp_path, exercise, fixture):
    if os.geteuid() != 0:
        pytest.skip("grading needs the full sandbox")
    source = (ROOT / "tests" / "fixtures" / exercise / "right" / f"{fixture}.py").read_text()
    nb = exercise_notebook(source, exercise)
    nb["cells"].insert(
        -2,
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "print('demo')\nresult = 1 / 0\nwhile True:\n    pass\n",
        },
    )
    (tmp_path / "as_notebook").mkdir()
    (tmp_path / "as_notebook" / f"{exercise}.ipynb").write_text(json.dumps(nb))
    (tmp_path / "as_module").mkdir()
    (tmp_path / "as_module" / f"{exercise}.py").write_text(source)
    jobs = []
    for form in ("as_notebook", "as_module"):
        sub = prepare(tmp_path / form, tmp_path / "stage", [exercise])
        jobs.append(Job(id=form, files=sub.files, seed=42))  # same seed: same hidden inputs
    results = {}
    run_jobs(
        COURSE,
        next(a.id for a in COURSE.assignments if exercise in {e.name for e in a.exercises}),
        jobs,
        RunOptions(exercises=frozenset({exercise})),
        lambda r: results.__setitem__(r.submission, r),
    )
    nb_result, py_result = results["as_notebook"], results["as_module"]
    assert [(c.check, c.status, c.points) for c in nb_result.checks] == [
        (c.check, c.status, c.points) for c in py_result.checks
    ]
    assert nb_result.score == py_result.score == COURSE.exercises[exercise].points
