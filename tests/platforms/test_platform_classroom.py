"""GitHub Classroom / GitLab CI: the workflow's grading steps, run here as the runner
would run them, end with ``Points X/Y``; the templates keep the grader out of reach."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from autograder.platforms.classroom import GITHUB_TEMPLATE, GITLAB_TEMPLATE

ROOT = Path(__file__).resolve().parents[2]
POINTS = re.compile(r"^Points (\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)$")
GITHUB = {  # what the runner puts in the ${{ }} expressions the grading steps use
    "github.event.repository.name": "a1-alice",
    "secrets.AUTOGRADER_SECRET": "classroom-test-secret",
    "github.event.head_commit.timestamp": "2026-12-13T01:59:00+00:00",  # 1 d 2 h late
}


def workflow() -> dict:
    return yaml.safe_load(GITHUB_TEMPLATE.read_text())


def expand(value: str, workspace: Path) -> str:
    contexts = {**GITHUB, "github.workspace": str(workspace)}

    def sub(m: re.Match) -> str:
        return contexts[m.group(1).strip()]

    return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", sub, str(value))


def steps_by_id() -> dict[str, dict]:
    return {s["id"]: s for s in workflow()["jobs"]["grade"]["steps"] if "id" in s}


@pytest.fixture(scope="module")
def ran(tmp_path_factory, eigen_right):
    """The template's grading steps, executed in a checkout laid out like the runner's."""
    workspace = tmp_path_factory.mktemp("workspace")
    student = workspace / "a1-alice"  # actions/checkout path: the repository's name
    (student / "exercises" / "checks").mkdir(parents=True)
    (student / "exercises" / "eigen.py").write_text(eigen_right)
    (student / "exercises" / "checks" / "eigen.py").write_text("# public checks: not graded\n")
    (student / "README.md").write_text("my work\n")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_WORKSPACE": str(workspace),
    }
    env.pop("AUTOGRADER_COURSE", None)
    env.update({k: expand(v, workspace) for k, v in workflow()["env"].items()})
    env["GRADER_DIR"] = str(ROOT)  # the grader checkout is this repository
    outputs = {}
    for step_id in ("grade", "points"):
        step = steps_by_id()[step_id]
        step_env = {**env, **{k: expand(v, workspace) for k, v in step.get("env", {}).items()}}
        proc = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=workspace, env=step_env, capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip
        outputs[step_id] = proc
    return workspace, outputs


def test_points_step_prints_points_as_its_last_line(ran):
    _, out = ran
    for step_id in ("grade", "points"):
        proc = out[step_id]
        assert proc.returncode == 0, proc.stdout + proc.stderr
        last = proc.stdout.rstrip("\n").splitlines()[-1]
        m = POINTS.match(last)
        assert m, last
        # eigen earns its 15 of a1's 55 points; the commit was 1 d 2 h late: × 0.8.
        assert (float(m.group(1)), float(m.group(2))) == (pytest.approx(12), pytest.approx(55))


def test_grade_step_explains_the_score_and_the_late_penalty(ran):
    workspace, out = ran
    text = out["grade"].stdout
    assert "a1: Gradient descent as a dynamical system — submission a1-alice" in text
    assert re.search(r"Eigenvalue classification\s+15 / 15", text)
    assert "1 d 2 h after the due date" in text and "score × 0.8" in text
    # What the artifact step uploads exists, and it is the feedback only.
    feedback = list(workspace.glob("results/*/submissions/*/feedback.md"))
    assert [p.parent.name for p in feedback] == ["a1-alice"]
    assert "late penalty ×0.8" in feedback[0].read_text()


def test_template_keeps_the_grader_and_secrets_out_of_the_student_repository():
    wf = workflow()
    assert set(wf.get("on", wf.get(True))) >= {"push"}
    steps = wf["jobs"]["grade"]["steps"]
    checkouts = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout")]
    student, grader = checkouts
    assert "repository" not in student["with"]
    assert grader["with"]["repository"] == "${{ vars.GRADER_REPOSITORY }}"
    assert grader["with"]["ssh-key"] == "${{ secrets.GRADER_DEPLOY_KEY }}"
    assert grader["with"]["path"] == ".grader" != student["with"]["path"]
    assert grader["with"]["persist-credentials"] is False
    install = next(s for s in steps if "pip install" in s.get("run", ""))["run"]
    assert install.index("torch==2.13.0") < install.index('"$GRADER_DIR"')
    assert "download.pytorch.org/whl/cpu" in install
    grade = steps_by_id()["grade"]
    assert grade["env"]["AUTOGRADER_SECRET"] == "${{ secrets.AUTOGRADER_SECRET }}"
    assert "classroom-grade" in grade["run"]
    assert "export classroom" in steps_by_id()["points"]["run"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    assert "feedback" in upload["with"]["path"]
    assert "results.json" not in upload["with"]["path"] and "sqlite" not in upload["with"]["path"]
    assert wf["permissions"] == {"contents": "read"}


def test_gitlab_snippet_grades_the_same_way():
    job = yaml.safe_load(GITLAB_TEMPLATE.read_text())["autograde"]
    script = job["script"]
    text = "\n".join(script)
    assert text.index("torch==2.13.0") < text.index('pip install --quiet "$GRADER_DIR"')
    assert script[0] == "cd /tmp"  # nothing runs from the student's files
    assert any("classroom-grade" in s and "$CI_PROJECT_DIR" in s for s in script)
    assert "export classroom" in script[-1]
    assert "AUTOGRADER_SECRET" not in job.get("variables", {})  # a group CI/CD variable
    assert job["artifacts"]["when"] == "always"
    assert all("feedback" in p for p in job["artifacts"]["paths"])


def test_classroom_grade_without_a_secret_says_so(tmp_path, small_course):
    (tmp_path / "sub").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_SECRET"}
    proc = subprocess.run(
        [sys.executable, "-m", "autograder.cli", "--course", str(small_course),
         "classroom-grade", str(tmp_path / "sub"), "--assignment", "t1"],
        env=env, cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "no course secret" in proc.stderr
    assert "Points" not in proc.stdout
