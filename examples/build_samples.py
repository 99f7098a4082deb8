"""Assemble the sample class described in ``examples/samples.yaml`` into a folder.

    python examples/build_samples.py build/samples

Each sample student's files are taken from the fixtures that prove the checks
(``tests/fixtures``), the stubs and the security suite's attacks, so the samples
never drift from what the test suite verifies.
"""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.notebooks import exercise_notebook  # noqa: E402

BROKEN = {
    "syntax": "import numpy as np\n\ndef gd_step(dL, w, eta)\n    return w - eta * dL(w)\n",
    "import_crash": "import numpy as np\n\nSCALE = 1 / 0  # crashes as soon as the file is imported\n",
}
DEMO_CELLS = [
    "# a demo the student left in: printing and plotting are not run when grading\n"
    "import matplotlib.pyplot as plt\nprint('trying things out')\nplt.plot([1, 2, 3])\n",
]


def source(exercise: str, spec: str) -> str | None:
    kind, _, name = spec.partition(":")
    if kind in ("right", "wrong"):
        return (ROOT / "tests" / "fixtures" / exercise / kind / f"{name}.py").read_text()
    if kind == "stub":
        return (ROOT / "exercises" / f"{exercise}.py").read_text()
    if kind == "attack":
        stub = (ROOT / "exercises" / f"{exercise}.py").read_text()
        attack = (ROOT / "tests" / "security" / "attacks" / f"{name}.py").read_text()
        return stub + "\n\n" + attack.replace("{ROOT}", str(ROOT)).replace("{OUT}", "build")
    if kind == "broken":
        return BROKEN[name]
    if kind == "missing":
        return None
    raise ValueError(f"unknown sample spec {spec!r}")


def notebook(text: str, exercise: str) -> str:
    nb = exercise_notebook(text, exercise)
    for demo in DEMO_CELLS:
        nb["cells"].insert(
            -2,
            {
                "cell_type": "code",
                "metadata": {},
                "source": demo,
                "execution_count": None,
                "outputs": [],
            },
        )
    return json.dumps(nb, indent=1)


def build(target: Path, manifest: Path = ROOT / "examples" / "samples.yaml") -> list[Path]:
    """Write every sample submission under ``target`` (emptied first); return their paths."""
    students = yaml.safe_load(manifest.read_text())["students"]
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    out = []
    for name, spec in students.items():
        files: dict[str, str] = {}
        for exercise, what in spec["exercises"].items():
            text = source(exercise, what)
            if text is None:
                continue
            if spec["format"] == "notebooks":
                files[f"{exercise}.ipynb"] = notebook(text, exercise)
            else:
                files[f"{exercise}.py"] = text
        if spec["format"] == "zip":
            path = target / f"{name}.zip"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
                for fname, text in files.items():
                    zf.writestr(f"{name}/{fname}", text)
        else:
            path = target / name
            path.mkdir()
            for fname, text in files.items():
                (path / fname).write_text(text)
            if "submitted_at" in spec:
                (path / "SUBMITTED_AT").write_text(spec["submitted_at"] + "\n")
        out.append(path)
    return out


if __name__ == "__main__":
    dest = Path(sys.argv[1] if len(sys.argv) > 1 else "build/samples")
    for p in build(dest):
        print(p)
