"""nbgrader, natively: the generated course, real nbgrader's round trip, and secure grading.

* every exercise's solution notebook is self-contained (no ``reference`` import) and
  passes its own grade cells; its release form (what nbgrader hands out) passes none;
  the known-right fixtures pasted into the release form pass them all;
* with REAL nbgrader: ``generate_assignment`` → fill in the student copy →
  ``submitted/<student>/a1/`` → ``autograde`` → ``nbgrader.api.Gradebook`` shows full
  marks for the right notebooks, partial for a half-done one, zero for the stub copy;
* ``autograder nbgrader-grade`` grades the same kind of submissions with the sandboxed
  engine and the hidden checks and writes the scores into nbgrader's gradebook: the
  scores there are our engine's (also for a notebook that fools nbgrader's own asserts),
  with the late penalty and a summary comment.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.config import load_course
from autograder.gradebook import Gradebook, sqlite_url
from autograder.platforms.nbgrader_course import (
    BEGIN,
    END,
    execute_notebook,
    exercise_source_notebook,
    release_notebook,
)

nbgrader_api = pytest.importorskip("nbgrader.api", reason="the nbgrader extra is not installed")

ROOT = Path(__file__).resolve().parents[2]
COURSE = load_course(ROOT / "course.yaml")
EXERCISES = ("gd_1d", "eigen")  # the round trip: one torch exercise, one numpy-only
SECRET = "nbgrader-test-secret-5d21"


@cache
def source_notebook(exercise: str) -> dict:
    return exercise_source_notebook(COURSE, exercise, ROOT / "exercises" / f"{exercise}.py")


def right_sources(exercise: str) -> list[Path]:
    return sorted((ROOT / "tests" / "fixtures" / exercise / "right").glob("*.py"))


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def text(cell) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


# ----------------------------------------------------------------- the notebooks


@pytest.mark.parametrize("exercise", sorted(COURSE.exercises))
def test_solution_notebook_is_self_contained_and_passes_its_tests(exercise):
    nb = source_notebook(exercise)
    meta = [c["metadata"].get("nbgrader") for c in nb["cells"]]
    solutions = [m for m in meta if m and m["solution"]]
    grades = [m for m in meta if m and m["grade"]]
    assert solutions and grades
    for m in (m for m in meta if m):
        assert m["schema_version"] == 3 and re.fullmatch(r"[A-Za-z0-9_-]+", m["grade_id"])
    ids = [m["grade_id"] for m in meta if m]
    assert len(ids) == len(set(ids)), "grade_id must be unique"
    assert all(m["locked"] and not m["solution"] for m in grades)
    assert sum(m["points"] for m in grades) == pytest.approx(COURSE.exercises[exercise].points)
    for cell in code_cells(nb):
        src = text(cell)
        assert not re.search(r"^\s*(from|import)\s+(reference|autograder|exercises)\b", src, re.M)
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            assert src.count(BEGIN) == 1 and src.count(END) == 1
    runs = execute_notebook(nb)
    assert [r.error for r in runs if r.error] == []
    assert len(runs) == len(grades)


@pytest.mark.parametrize("exercise", sorted(COURSE.exercises))
def test_release_form_fails_every_test_and_right_fixtures_pass_them(exercise):
    released = release_notebook(source_notebook(exercise))
    assert all(r.error for r in execute_notebook(released)), "a stub must earn nothing"
    for path in right_sources(exercise):
        runs = execute_notebook(released, extra=path.read_text())
        assert [(r.grade_id, r.error) for r in runs if r.error] == [], path.name


def test_notebook_assert_helpers():
    """The comparisons the grade cells use: dtype-aware tolerance, NaN, overflow, types."""
    import numpy as np

    from autograder.platforms.nbgrader_course import helpers_source

    ns: dict = {}
    exec(helpers_source(COURSE, "gd_1d", {"Quadratic1D"}), ns)
    ok, raises = ns["assert_matches"], ns["assert_raises"]
    ok(1.0 + 1e-9, 1.0, "x")
    ok(np.float32(1.00001), 1.0, "x")  # float32 results get float32's tolerance
    ok([np.nan, np.inf, 1e308 * 10], [np.nan, np.inf, np.inf], "x")
    ok((2, {"k": [1, 2], "s": "monotone"}), (2, {"k": np.array([1, 2]), "s": "monotone"}), "x")
    ok(np.bool_(True), True, "x")
    for got, expected in [
        (1.0 + 1e-5, 1.0),
        (-np.inf, np.inf),
        ([1.0, 2.0], [1.0, 2.0, 3.0]),
        (1, True),
        ({"k": 1}, {"k": 1, "w": 2}),
        (np.array(["a"]), "a"),
        ("oscillatory", "monotone"),
        (None, 0.0),
    ]:
        with pytest.raises(AssertionError):
            ok(got, expected, "x")
    raises("ValueError", lambda: int("x"), "int('x')")
    with pytest.raises(AssertionError):
        raises("ValueError", lambda: 1, "one")
    assert ns["Quadratic1D"](lam=2.0, center=3.0).grad(5.0) == 4.0


def test_grade_cells_hold_only_public_cases():
    """Every call in a grade cell is a call a public check makes (no hidden-check inputs)."""
    nb = source_notebook("eigen")
    public = (ROOT / "exercises" / "checks" / "eigen.py").read_text()
    hidden = (ROOT / "autograder" / "checks" / "eigen.py").read_text()
    grade_src = "\n".join(
        text(c) for c in code_cells(nb) if c["metadata"].get("nbgrader", {}).get("grade")
    )
    assert "rng" not in grade_src and "secret" not in grade_src
    # the seeds' matrices of the public checks are there, e.g. seed 002's diag(2, 10)
    assert "[[2.0, 0.0], [0.0, 10.0]]" in grade_src and "DIAG_2_10" in public
    assert "def test_" in hidden  # (the hidden checks draw their inputs from rng)


# ----------------------------------------------------------------- real nbgrader


def nbgrader_env(home: Path) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ):
        env[var] = str(home / sub)
    env.pop("JUPYTER_PATH", None)
    return env


def nbgrader(course_dir: Path, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course_dir,
        env=nbgrader_env(course_dir.parent / "jupyter-home"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A course folder after `autograder nbgrader-course` and `nbgrader generate_assignment`."""
    base = tmp_path_factory.mktemp("nbgrader")
    course_dir = base / "course"
    args = ["--course", str(ROOT / "course.yaml"), "nbgrader-course", "--out", str(course_dir)]
    args += ["--assignment", "a1"]
    for ex in EXERCISES:
        args += ["--exercise", ex]
    start = time.monotonic()
    assert main(args) == 0
    nbgrader(course_dir, "generate_assignment", "a1", "--force")
    seconds = time.monotonic() - start
    assert sorted(p.name for p in (course_dir / "release" / "a1").iterdir()) == sorted(
        f"{ex}.ipynb" for ex in EXERCISES
    )
    return course_dir, seconds


def copy_course(generated, tmp_path) -> Path:
    course_dir = tmp_path / "course"
    shutil.copytree(generated[0], course_dir)
    return course_dir


def released(course_dir: Path, exercise: str) -> dict:
    return json.loads((course_dir / "release" / "a1" / f"{exercise}.ipynb").read_text())


def fill(nb: dict, implementation: str) -> dict:
    """The student's work: each solution cell gets the implementation's function, and the
    implementation's imports and helpers go in a new cell before the first of them."""
    nb = copy.deepcopy(nb)
    tree = ast.parse(implementation)
    lines = implementation.splitlines()

    def segment(node) -> str:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        return "\n".join(lines[start - 1 : node.end_lineno])

    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    solution_ids = {
        c["metadata"]["nbgrader"]["grade_id"]
        for c in nb["cells"]
        if c["metadata"].get("nbgrader", {}).get("solution")
    }
    rest = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in solution_ids:
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant):
            continue  # the module docstring
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            continue
        rest.append(segment(node))
    first = None
    for i, cell in enumerate(nb["cells"]):
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if cell["metadata"].get("nbgrader", {}).get("solution") and grade_id in functions:
            cell["source"] = segment(functions[grade_id])
            first = i if first is None else first
    if rest and first is not None:
        nb["cells"].insert(
            first,
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "student-helpers",
                "metadata": {},
                "outputs": [],
                "source": "\n\n".join(rest),
            },
        )
    return nb


def right_notebook(course_dir: Path, exercise: str) -> dict:
    """The release copy filled in with a known-right fixture (else the reference solution)."""
    rights = right_sources(exercise)
    if rights:
        return fill(released(course_dir, exercise), rights[0].read_text())
    return json.loads((course_dir / "source" / "a1" / f"{exercise}.ipynb").read_text())


def submit(course_dir: Path, student: str, notebooks: dict, timestamp: str | None = None):
    folder = course_dir / "submitted" / student / "a1"
    folder.mkdir(parents=True)
    for exercise, nb in notebooks.items():
        (folder / f"{exercise}.ipynb").write_text(json.dumps(nb, indent=1))
    if timestamp:
        (folder / "timestamp.txt").write_text(timestamp)


def nbgrader_scores(course_dir: Path) -> dict[str, tuple[float, float, dict[str, float]]]:
    url = f"sqlite:///{course_dir / 'gradebook.db'}"
    env_path = os.environ.get("PATH", "")
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env_path])
    try:
        with nbgrader_api.Gradebook(url, course_id="optdyn") as gb:
            out = {}
            for sub in gb.assignment_submissions("a1"):
                per_nb = {nb.name: float(nb.score) for nb in sub.notebooks}
                out[sub.student_id] = (float(sub.score), float(sub.max_score), per_nb)
            return out
    finally:
        os.environ["PATH"] = env_path


@pytest.mark.slow
def test_released_notebooks_hide_the_solutions(generated):
    course_dir, _ = generated
    for ex in EXERCISES:
        nb = released(course_dir, ex)
        src = "\n".join(text(c) for c in code_cells(nb))
        assert "BEGIN SOLUTION" not in src and "raise NotImplementedError()" in src
        solution = json.loads((course_dir / "source" / "a1" / f"{ex}.ipynb").read_text())
        for cell in code_cells(solution):
            if cell["metadata"].get("nbgrader", {}).get("solution"):
                body = text(cell).split(BEGIN)[1].split(END)[0]
                longest = max(body.splitlines(), key=len).strip()
                assert longest not in src, f"{ex}: {longest!r} leaked into the release"


@pytest.mark.slow
def test_solution_notebooks_run_in_a_real_kernel(generated, tmp_path, monkeypatch):
    """The generated solution notebooks run top to bottom in a Jupyter kernel, from an
    empty folder, with no error in any cell (the grade cells' asserts included)."""
    import nbclient
    import nbformat

    for var, value in nbgrader_env(tmp_path / "jupyter-home").items():
        monkeypatch.setenv(var, value)
    for ex in EXERCISES:
        path = generated[0] / "source" / "a1" / f"{ex}.ipynb"
        nb = nbformat.read(path, as_version=4)
        nb.cells = [c for c in nb.cells if not c.source.lstrip().startswith("!")]
        client = nbclient.NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
        )
        client.execute()
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert errors == [], f"{ex}: {errors[:1]}"


@pytest.mark.slow
def test_nbgrader_round_trip_autograde(generated, tmp_path):
    """Real nbgrader: right notebooks get full marks, the stub copy zero, so a half-done
    submission gets partial marks; and (nbgrader's weakness) a tampered one full marks."""
    course_dir = copy_course(generated, tmp_path)
    right = {ex: right_notebook(course_dir, ex) for ex in EXERCISES}
    submit(course_dir, "alice", right)
    submit(course_dir, "carol", {"gd_1d": released(course_dir, "gd_1d"), "eigen": right["eigen"]})
    submit(course_dir, "mallory", {ex: tampered(released(course_dir, ex)) for ex in EXERCISES})
    start = time.monotonic()
    nbgrader(course_dir, "autograde", "a1", "--create", "--force")
    seconds = time.monotonic() - start
    scores = nbgrader_scores(course_dir)
    total = sum(COURSE.exercises[ex].points for ex in EXERCISES)
    alice, carol, mallory = scores["alice"], scores["carol"], scores["mallory"]
    assert alice[0] == pytest.approx(total) and alice[1] == pytest.approx(total)
    assert carol[2]["gd_1d"] == 0.0  # the untouched stub copy
    assert carol[2]["eigen"] == pytest.approx(COURSE.exercises["eigen"].points)
    assert carol[0] == pytest.approx(COURSE.exercises["eigen"].points)
    # the asserts run in the student's kernel: implementing nothing earns full marks
    assert mallory[0] == pytest.approx(total)
    print(
        f"\nautograder nbgrader-course + nbgrader generate_assignment: {generated[1]:.1f} s; "
        f"nbgrader autograde, 3 students × {len(EXERCISES)} notebooks: {seconds:.1f} s"
    )


# ----------------------------------------------------------------- nbgrader-grade


def tampered(nb: dict) -> dict:
    """Nothing implemented (every function returns None), and a cell inserted after the
    locked helper cell that turns the test helpers into no-ops."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            cell["source"] = text(cell).replace("raise NotImplementedError()", "return None")
        cells.append(cell)
        if meta.get("grade_id", "").endswith("_helpers"):
            cells.append(
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "id": "student-trick",
                    "metadata": {},
                    "outputs": [],
                    "source": "def assert_matches(*args, **kwargs):\n    pass\n\n\n"
                    "assert_raises = assert_matches",
                }
            )
    nb["cells"] = cells
    return nb


@pytest.mark.slow
def test_nbgrader_grade_writes_our_scores_into_nbgraders_gradebook(
    generated, tmp_path, monkeypatch
):
    course_dir = copy_course(generated, tmp_path)
    monkeypatch.setenv("AUTOGRADER_SECRET", SECRET)
    right = {ex: right_notebook(course_dir, ex) for ex in EXERCISES}
    stub = {ex: released(course_dir, ex) for ex in EXERCISES}
    wrong_gd = fill(
        released(course_dir, "gd_1d"),
        (ROOT / "tests" / "fixtures" / "gd_1d" / "wrong" / "sign_error.py").read_text(),
    )
    submit(course_dir, "alice", right)
    submit(course_dir, "bob", stub)
    submit(
        course_dir,
        "dave",
        {"gd_1d": wrong_gd, "eigen": right["eigen"]},
        timestamp="2026-12-13 01:59:00.000000 UTC",  # 1 d 2 h late: × 0.8
    )
    submit(course_dir, "mallory", {ex: tampered(nb) for ex, nb in stub.items()})
    db = sqlite_url(tmp_path / "ours.sqlite")
    start = time.monotonic()
    code = main(
        [
            "--course",
            str(ROOT / "course.yaml"),
            "nbgrader-grade",
            str(course_dir),
            "--assignment",
            "a1",
            "--db",
            db,
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            "--no-reports",
        ]
    )
    seconds = time.monotonic() - start
    assert code == 0
    ours = {r.submission: r for r in Gradebook(db).results("a1")}
    nbg = nbgrader_scores(course_dir)
    assert set(ours) == set(nbg) == {"alice", "bob", "dave", "mallory"}
    total = sum(COURSE.exercises[ex].points for ex in EXERCISES)
    for student, result in ours.items():
        score, max_score, per_nb = nbg[student]
        assert max_score == pytest.approx(total)
        # ours grades course.yaml's whole a1 (also zigzag and diagnostics, not submitted)
        assert result.max_score == pytest.approx(COURSE.assignment("a1").total_points)
        for ex in EXERCISES:  # nbgrader's notebook score is our exercise score
            earned = sum(c.points for c in result.checks if c.exercise == ex)
            assert per_nb[ex] == pytest.approx(earned, abs=1e-3), (student, ex)
        assert score == pytest.approx(result.raw_score, abs=1e-3)
    assert nbg["alice"][0] == pytest.approx(total)
    assert nbg["bob"][0] == 0.0
    assert nbg["mallory"][0] == 0.0  # full marks from nbgrader autograde; nothing here
    dave = nbg["dave"]
    assert dave[2]["eigen"] == pytest.approx(COURSE.exercises["eigen"].points)
    assert 0.0 <= dave[2]["gd_1d"] < COURSE.exercises["gd_1d"].points
    assert ours["dave"].late_multiplier == pytest.approx(0.8)

    env_path = os.environ.get("PATH", "")
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), env_path]))
    with nbgrader_api.Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        sub = gb.find_submission("a1", "dave")
        assert float(sub.late_submission_penalty) == pytest.approx(
            ours["dave"].raw_score - ours["dave"].score, abs=1e-3
        )
        assert str(sub.timestamp).startswith("2026-12-13 01:59")
        notebook = gb.find_submission_notebook("gd_1d", "a1", "dave")
        assert not any(g.needs_manual_grade for g in notebook.grades)
        comments = [c.auto_comment for c in notebook.comments if c.auto_comment]
        assert len(comments) == 1 and "sandboxed autograder" in comments[0]
    print(f"\nautograder nbgrader-grade, 4 students × {len(EXERCISES)} notebooks: {seconds:.1f} s")


def test_nbgrader_grade_needs_the_assignment_in_nbgraders_gradebook(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_SECRET", SECRET)
    course_dir = tmp_path / "course"
    submit(course_dir, "alice", {"eigen": source_notebook("eigen")})
    code = main(
        [
            "--course",
            str(ROOT / "course.yaml"),
            "nbgrader-grade",
            str(course_dir),
            "--assignment",
            "a1",
            "--db",
            sqlite_url(tmp_path / "ours.sqlite"),
            "--quiet",
            "--no-reports",
        ]
    )
    assert code == 1  # a GraderError naming `nbgrader generate_assignment`
