"""``autograder release``: the self-contained bundle students receive.

The bundle holds the stub modules and their notebook form, the public checks, the
student side of the engine (so ``autograder check`` works offline) and instructions.
It never holds the reference library, a hidden check, a fixture, the course secret or
the gradebook: they are not copied, and :func:`audit_release` proves that no line of
the reference's code or of a hidden check found its way in.
"""

from __future__ import annotations

import ast
import importlib.util
import shutil
from pathlib import Path

from autograder.config import Course
from autograder.notebooks import write_notebook

__all__ = ["audit_release", "build_release", "secret_lines"]

_HINT_LINES = 2
"""A stub's docstring may quote a line of the recipe; more than this is a leak."""

_INSTRUCTOR_MODULES = ("validate.py", "release.py")
"""Engine modules that only make sense next to the reference and are left out."""

_REQUIREMENTS = """\
# Install torch first (CPU build):  pip install torch==2.13.0
numpy>=1.26
torch>=2.2,<2.14
matplotlib>=3.8
pytest>=8
pyyaml>=6
sqlalchemy>=2.0
"""

_PYPROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "{slug}-student"
version = "1.0"
requires-python = ">=3.11"
dependencies = ["numpy>=1.26", "torch>=2.2,<2.14", "matplotlib>=3.8", "pytest>=8",
                "pyyaml>=6", "sqlalchemy>=2.0"]

[project.scripts]
autograder = "autograder.cli:main"

[tool.setuptools.packages.find]
include = ["autograder*", "exercises*"]
"""

_README = """\
# {name} — exercises

Set up once (Python 3.11):

    python3 -m venv .venv && .venv/bin/pip install torch==2.13.0 && .venv/bin/pip install -e .

Then, for each exercise, fill in the functions of `exercises/<exercise>.py` — or work in
`notebooks/<exercise>.ipynb` — and check your work:

    .venv/bin/autograder check gd_1d          # one exercise
    .venv/bin/autograder check                # all of them

The public checks run your code on worked examples from the course notes and explain
what is wrong. When you submit, hidden checks test many more cases.

Exercises:
{exercises}
"""


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {name!r} not found")
    return Path(next(iter(spec.submodule_search_locations)))


def build_release(course: Course, target: Path) -> Path:
    """Write the student bundle for ``course`` into ``target`` (emptied first)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    engine = _package_dir("autograder")
    shutil.copytree(
        engine, target / "autograder", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    hidden = target / "autograder" / "checks"
    for path in hidden.glob("*.py"):
        if path.name != "__init__.py":
            path.unlink()
    for instructor_only in _INSTRUCTOR_MODULES:
        path = target / "autograder" / instructor_only
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    exercises = _package_dir("exercises")
    (target / "exercises" / "checks").mkdir(parents=True)
    shutil.copyfile(exercises / "__init__.py", target / "exercises" / "__init__.py")
    shutil.copyfile(
        exercises / "checks" / "__init__.py", target / "exercises" / "checks" / "__init__.py"
    )
    lines = []
    for name, cfg in course.exercises.items():
        stub = exercises / f"{name}.py"
        shutil.copyfile(stub, target / "exercises" / f"{name}.py")
        public = exercises / "checks" / f"{name}.py"
        if public.is_file():
            shutil.copyfile(public, target / "exercises" / "checks" / f"{name}.py")
        write_notebook(stub, target / "notebooks" / f"{name}.ipynb")
        lines.append(f"- `{name}` — {cfg.title} ({cfg.points:g} points)")
    text = course.path.read_text(encoding="utf-8")
    (target / "course.yaml").write_text(text, encoding="utf-8")
    slug = (course.code or "course").lower()
    (target / "pyproject.toml").write_text(_PYPROJECT.format(slug=slug), encoding="utf-8")
    (target / "requirements.txt").write_text(_REQUIREMENTS, encoding="utf-8")
    (target / "README.md").write_text(
        _README.format(name=course.name, exercises="\n".join(lines)), encoding="utf-8"
    )
    return target


def _body_lines(path: Path) -> set[str]:
    """Distinctive lines of the *bodies* of a module's functions (not signatures/docstrings)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        for stmt in body:
            for line in lines[stmt.lineno - 1 : stmt.end_lineno or stmt.lineno]:
                text = line.strip()
                if len(text) >= 28 and not text.startswith("#"):
                    out.add(text)
    return out


def secret_lines() -> set[str]:
    """Function-body lines of the reference (the solutions) that no public file contains.

    Public material — the engine, the stubs and the public checks — legitimately shares
    plain lines with the reference (``lam = np.asarray(eigenvalues, dtype=float)``);
    those are not secrets. Hidden checks are kept out whole (and nothing in the bundle
    may import the reference), so their lines need no comparison.
    """
    lines: set[str] = set()
    for path in _package_dir("reference").rglob("*.py"):
        lines |= _body_lines(path)
    engine = _package_dir("autograder")
    public_files = [p for p in engine.rglob("*.py") if "checks" not in p.relative_to(engine).parts]
    public_files += list(_package_dir("exercises").rglob("*.py"))
    public: set[str] = set()
    for path in public_files:
        public.update(ln.strip() for ln in path.read_text(encoding="utf-8").splitlines())
    return lines - public


def audit_release(bundle: Path, course: Course) -> list[str]:
    """Problems with ``bundle``: instructor files or reference/hidden-check code inside."""
    problems = []
    for bad in (
        "reference",
        "tests",
        "fixtures",
        ".course-secret",
        "gradebook.sqlite",
        *_INSTRUCTOR_MODULES,
    ):
        if any(p.name == bad for p in bundle.rglob("*")):
            problems.append(f"the bundle contains {bad}")
    hidden = [
        p.name for p in (bundle / "autograder" / "checks").glob("*.py") if p.name != "__init__.py"
    ]
    if hidden:
        problems.append(f"the bundle contains hidden checks: {', '.join(sorted(hidden))}")
    for path in bundle.rglob("*.py"):
        text = path.read_text(encoding="utf-8", errors="ignore")
        if "from reference" in text or "import reference" in text:
            problems.append(f"{path.relative_to(bundle)} imports the reference library")
    if course.secret_file.is_file():
        secret = course.secret_file.read_text().strip()
        for path in bundle.rglob("*"):
            if path.is_file() and secret and secret in path.read_text(errors="ignore"):
                problems.append(f"{path} contains the course secret")
    forbidden = secret_lines()
    for path in bundle.rglob("*"):
        if not path.is_file() or path.suffix not in (".py", ".ipynb", ".md", ".txt", ".yaml"):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        leaked = [line for line in forbidden if line in text]
        if len(leaked) > _HINT_LINES:
            problems.append(
                f"{path.relative_to(bundle)} contains {len(leaked)} line(s) of "
                f"reference or hidden-check code, e.g. {leaked[0]!r}"
            )
    for path in (bundle / "exercises").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                last = node.body[-1]
                if not (isinstance(last, ast.Raise) and "NotImplementedError" in ast.unparse(last)):
                    problems.append(f"{path.name}: {node.name}() is not a stub")
    return problems
