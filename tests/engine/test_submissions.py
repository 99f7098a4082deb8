"""Staging submissions: folders, notebooks and archives, with unsafe archives refused."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest

from autograder.errors import SubmissionFormatError
from autograder.submissions import (
    MAX_FILES,
    discover,
    notebook_to_module,
    prepare,
    safe_extract,
)

EXERCISES = ["gd_1d", "eigen"]


def notebook(path: Path, cells: list[str]) -> Path:
    nb = {
        "cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": []} for c in cells]
        + [{"cell_type": "markdown", "source": "# notes"}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))
    return path


def test_notebook_keeps_definitions_and_drops_demo_code(tmp_path):
    nb = notebook(
        tmp_path / "gd_1d.ipynb",
        [
            "import numpy as np\nETA = 0.5\n",
            "def gd_step(dL, w, eta):\n    return w - eta * dL(w)\n",
            "print('demo')\ntraj = gd_step(lambda w: w, 1.0, ETA)\nimport matplotlib\n",
            "%matplotlib inline\nwhile True:\n    pass\n",
        ],
    )
    source, notes = notebook_to_module(nb)
    namespace: dict = {}
    exec(compile(source, "nb", "exec"), namespace)  # the kept code runs instantly
    assert namespace["gd_step"](lambda w: w, 2.0, 0.5) == 1.0
    assert namespace["ETA"] == 0.5
    assert "print(" not in source and "while True" not in source
    assert any("cell 3" in n for n in notes)


def test_notebook_syntax_error_is_kept_so_the_student_sees_it(tmp_path):
    nb = notebook(tmp_path / "gd_1d.ipynb", ["def f(:\n    pass\n"])
    source, _ = notebook_to_module(nb)
    with pytest.raises(SyntaxError):
        compile(source, "nb", "exec")
    assert "cell 1 (has a syntax error)" in source


def test_unreadable_notebook_is_a_format_error(tmp_path):
    bad = tmp_path / "gd_1d.ipynb"
    bad.write_text("{not json")
    with pytest.raises(SubmissionFormatError):
        notebook_to_module(bad)


def make_zip(path: Path, members: dict[str, bytes], symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize(
    ("members", "symlink", "message"),
    [
        ({"../../evil.py": b"x"}, None, "unsafe path"),
        ({"/abs/evil.py": b"x"}, None, "unsafe path"),
        ({"gd_1d.py": b"x"}, "link.py", "symbolic link"),
        ({"gd_1d.py": b"0" * (3 * 1024 * 1024)}, None, "larger than"),
        ({"bomb.txt": b"0" * (1024 * 1024)}, None, "zip bomb"),
        ({f"f{i}.py": b"x" for i in range(MAX_FILES + 1)}, None, "entries"),
    ],
)
def test_unsafe_archives_are_refused(tmp_path, members, symlink, message):
    archive = make_zip(tmp_path / "s.zip", members, symlink)
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(SubmissionFormatError, match=message):
        safe_extract(archive, target)
    assert not any(target.rglob("*")), "nothing may be extracted from an unsafe archive"
    assert not (tmp_path.parent / "evil.py").exists()


def test_prepare_records_problems_instead_of_raising(tmp_path):
    archive = make_zip(tmp_path / "mallory.zip", {"../x.py": b"x"})
    sub = prepare(archive, tmp_path / "stage", EXERCISES)
    assert sub.id == "mallory" and sub.files == {}
    assert any("unsafe path" in p for p in sub.problems)


def test_prepare_folder_zip_and_notebook(tmp_path):
    folder = tmp_path / "alice"
    (folder / "nested").mkdir(parents=True)
    (folder / "nested" / "gd_1d.py").write_text("X = 1\n")
    notebook(folder / "eigen.ipynb", ["def f():\n    return 1\n"])
    (folder / "SUBMITTED_AT").write_text("2026-12-02T10:00:00+00:00")
    sub = prepare(folder, tmp_path / "stage", EXERCISES)
    assert set(sub.files) == {"gd_1d.py", "eigen.py"}
    assert sub.submitted_at is not None and sub.submitted_at.day == 2
    archive = make_zip(tmp_path / "bob.zip", {"bob/gd_1d.py": b"X = 2\n", "bob/readme.pdf": b"%"})
    zsub = prepare(archive, tmp_path / "stage", EXERCISES)
    assert Path(zsub.files["gd_1d.py"]).read_text() == "X = 2\n"
    assert any("readme.pdf" in p for p in zsub.problems)
    assert sub.fingerprint != zsub.fingerprint


def test_discover_single_submission_or_folder_of_them(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "gd_1d.py").write_text("")
    assert discover(tmp_path / "one", EXERCISES) == [tmp_path / "one"]
    (tmp_path / "two").mkdir()
    (tmp_path / "c.zip").write_bytes(b"")
    (tmp_path / ".hidden").mkdir()
    found = discover(tmp_path, EXERCISES)
    assert found == [tmp_path / "c.zip", tmp_path / "one", tmp_path / "two"]
    with pytest.raises(FileNotFoundError):
        discover(tmp_path / "missing", EXERCISES)


def test_notebook_keeps_computed_constants_that_definitions_use(tmp_path):
    nb = notebook(
        tmp_path / "gd_1d.ipynb",
        [
            "import numpy as np\nEPS = np.finfo(float).eps\nSCALE = np.sqrt(EPS)\n",
            "def tol():\n    return SCALE\n",
            "demo = tol() * 2\nprint(demo)\n",
        ],
    )
    source, _ = notebook_to_module(nb)
    namespace: dict = {}
    exec(compile(source, "nb", "exec"), namespace)
    assert namespace["tol"]() > 0
    assert "demo" not in namespace and "print(" not in source


def test_future_imports_in_later_cells_are_hoisted(tmp_path):
    nb = notebook(
        tmp_path / "gd_1d.ipynb",
        [
            "import numpy as np\n",
            "from __future__ import annotations\n\ndef f(x: np.ndarray) -> np.ndarray:\n"
            "    return x\n",
        ],
    )
    source, _ = notebook_to_module(nb)
    namespace: dict = {}
    exec(compile(source, "nb", "exec"), namespace)
    assert source.startswith("from __future__ import annotations")
    assert namespace["f"](1) == 1
