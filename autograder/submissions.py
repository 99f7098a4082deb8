"""Finding and unpacking submissions: folders of modules, ``.zip`` archives, notebooks.

A *submission* is turned into a staging folder of ``<exercise>.py`` files that the
sandbox receives. Every problem is recorded on the submission instead of raised:
a broken archive or notebook only costs the checks that needed it.

* Archives are checked before anything is extracted: no absolute paths or ``..``
  (zip-slip), no symbolic links, at most ``MAX_FILES`` members, no member larger than
  ``MAX_MEMBER`` bytes, no more than ``MAX_TOTAL`` bytes in all, and no member
  compressed more than ``MAX_RATIO`` times (zip bombs). Only ``.py``, ``.ipynb`` and
  small text files are taken out.
* Notebooks keep only what can be graded: imports, function and class definitions and
  top-level assignments that call nothing. Demo code, prints, plots and shell magics
  are left out, so they cannot break (or slow down) grading.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from autograder.errors import SubmissionFormatError

__all__ = [
    "MAX_FILES",
    "MAX_MEMBER",
    "MAX_RATIO",
    "MAX_TOTAL",
    "Submission",
    "discover",
    "notebook_to_module",
    "prepare",
    "safe_extract",
]

MAX_FILES = 200
MAX_MEMBER = 2 * 1024 * 1024
MAX_TOTAL = 20 * 1024 * 1024
MAX_RATIO = 100
_TAKE = {".py", ".ipynb", ".txt", ".json", ".csv"}
_ID = re.compile(r"[^A-Za-z0-9_.@-]+")


@dataclass(frozen=True)
class Submission:
    """A submission ready for the sandbox: ``files`` maps ``<exercise>.py`` to a path."""

    id: str
    source: Path
    files: dict[str, str]
    fingerprint: str
    problems: tuple[str, ...] = ()
    submitted_at: datetime | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def _clean_id(name: str) -> str:
    return _ID.sub("_", name).strip("._") or "submission"


def safe_extract(archive: Path, target: Path) -> list[str]:
    """Extract the gradable members of ``archive`` into ``target``; return notes.

    Raises :class:`SubmissionFormatError` if the archive is unsafe or unreadable.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SubmissionFormatError(
            f"{archive.name} is not a readable zip archive ({exc})"
        ) from None
    notes: list[str] = []
    with zf:
        members = zf.infolist()
        if len(members) > MAX_FILES:
            raise SubmissionFormatError(
                f"{archive.name} has {len(members)} entries; at most {MAX_FILES} are accepted"
            )
        total = 0
        for info in members:
            name = info.filename
            path = PurePosixPath(name)
            if name.startswith(("/", "\\")) or ".." in path.parts or re.match(r"^[A-Za-z]:", name):
                raise SubmissionFormatError(f"{archive.name} contains an unsafe path {name!r}")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise SubmissionFormatError(f"{archive.name} contains a symbolic link {name!r}")
            if info.file_size > MAX_MEMBER:
                raise SubmissionFormatError(
                    f"{name} in {archive.name} is larger than {MAX_MEMBER // 1024} KiB"
                )
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                raise SubmissionFormatError(
                    f"{name} in {archive.name} is compressed suspiciously well (a zip bomb?)"
                )
            total += info.file_size
            if total > MAX_TOTAL:
                raise SubmissionFormatError(
                    f"{archive.name} unpacks to more than {MAX_TOTAL // (1024 * 1024)} MiB"
                )
        for info in members:
            path = PurePosixPath(info.filename)
            if info.is_dir() or "__MACOSX" in path.parts or path.name.startswith("."):
                continue
            if path.suffix not in _TAKE:
                notes.append(f"ignored {info.filename} (not a .py or .ipynb file)")
                continue
            dest = target.joinpath(*path.parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(dest, "wb") as out:
                data = src.read(MAX_MEMBER + 1)
                if len(data) > MAX_MEMBER:  # the header lied about the size
                    raise SubmissionFormatError(f"{info.filename} is larger than declared")
                out.write(data)
    return notes


_DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _targets(node: ast.stmt) -> set[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    return {n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)}


def _loaded(nodes: list[ast.stmt]) -> set[str]:
    return {
        n.id
        for node in nodes
        for n in ast.walk(node)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }


def _is_literal(node: ast.expr | None) -> bool:
    try:
        ast.literal_eval(node)  # type: ignore[arg-type]
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return False
    return True


def _gradable(body: list[ast.stmt]) -> list[ast.stmt]:
    """Imports, definitions, constants, and assignments the definitions depend on.

    A literal constant (``ETA = 0.5``) is kept; any other assignment is kept only if a
    kept definition (or a kept assignment) reads one of its names — so
    ``EPS = np.finfo(float).eps`` used by a function stays, while demo code such as
    ``traj = gd_trajectory(...)``, ``ratio = 1 / 0`` or ``plt.plot(traj)`` is left out.
    """
    kept = [n for n in body if isinstance(n, _DEFINITIONS)]
    assigns = [
        n
        for n in body
        if isinstance(n, (ast.Assign, ast.AnnAssign)) and getattr(n, "value", None) is not None
    ]
    pure = [n for n in assigns if _is_literal(n.value)]
    chosen = set(map(id, kept + pure))
    changed = True
    while changed:
        needed = _loaded([n for n in body if id(n) in chosen])
        changed = False
        for node in assigns:
            if id(node) not in chosen and _targets(node) & needed:
                chosen.add(id(node))
                changed = True
    return [n for n in body if id(n) in chosen]


def notebook_to_module(notebook: Path) -> tuple[str, list[str]]:
    """The gradable source of a notebook, and notes on what was left out."""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        cells = nb["cells"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SubmissionFormatError(f"{notebook.name} is not a readable notebook ({exc})") from None
    texts: list[tuple[int, str, ast.Module | None]] = []
    for index, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        lines = [
            ("# " + ln) if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines()
        ]
        text = "\n".join(lines)
        try:
            texts.append((index, text, ast.parse(text)))
        except SyntaxError:
            texts.append((index, text, None))
    statements = [n for _, _, tree in texts if tree is not None for n in tree.body]
    keep = set(map(id, _gradable(statements)))
    futures = sorted(
        {
            f"from __future__ import {a.name}"
            for n in statements
            if isinstance(n, ast.ImportFrom) and n.module == "__future__"
            for a in n.names
        }
    )
    parts: list[str] = futures[:]  # a __future__ import must come first in the module
    notes: list[str] = []
    for index, text, tree in texts:
        if tree is None:
            parts.append(f"# --- cell {index} (has a syntax error) ---\n{text}\n")
            continue
        kept = [
            n
            for n in tree.body
            if id(n) in keep and not (isinstance(n, ast.ImportFrom) and n.module == "__future__")
        ]
        if len(kept) < len(tree.body):
            notes.append(
                f"cell {index}: top-level code other than imports, definitions and the "
                "constants they use is not run when grading"
            )
        if kept:
            body = "\n".join(ast.get_source_segment(text, n) or ast.unparse(n) for n in kept)
            parts.append(f"# --- cell {index} ---\n{body}\n")
    return "\n".join(parts), notes


def _fingerprint(files: dict[str, str]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0")
        h.update(Path(files[name]).read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:20]


def _submitted_at(folder: Path) -> datetime | None:
    stamp = folder / "SUBMITTED_AT"
    if stamp.is_file():
        try:
            value = datetime.fromisoformat(stamp.read_text().strip())
        except ValueError:
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def prepare(source: Path, staging: Path, exercises: Iterable[str]) -> Submission:
    """Turn one submission (folder, zip or notebook) into staged ``<exercise>.py`` files."""
    source = Path(source)
    exercises = list(exercises)
    sub_id = _clean_id(source.stem if source.is_file() else source.name)
    stage = staging / sub_id
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    problems: list[str] = []
    root = stage / "_unpacked"
    root.mkdir()
    try:
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                if path.is_symlink():
                    problems.append(f"ignored symbolic link {path.name}")
                elif path.is_file() and path.suffix in _TAKE and path.stat().st_size <= MAX_MEMBER:
                    dest = root / path.relative_to(source)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, dest)
        elif source.suffix == ".zip":
            problems.extend(safe_extract(source, root))
        elif source.suffix in (".py", ".ipynb"):
            shutil.copyfile(source, root / source.name)
        else:
            problems.append(f"{source.name} is not a folder, a .zip, a .py or an .ipynb file")
    except SubmissionFormatError as exc:
        problems.append(str(exc))
    files: dict[str, str] = {}
    candidates: dict[str, Path] = {}
    for p in sorted(root.rglob("*"), key=lambda p: (len(p.parts), str(p))):
        if p.is_file() and "checks" not in p.relative_to(root).parts[:-1]:
            candidates.setdefault(p.name, p)  # the shallowest file of that name wins
    for name in exercises:
        py, nb = candidates.get(f"{name}.py"), candidates.get(f"{name}.ipynb")
        if py is not None:
            files[f"{name}.py"] = str(py)
        elif nb is not None:
            try:
                text, notes = notebook_to_module(nb)
            except SubmissionFormatError as exc:
                problems.append(str(exc))
                continue
            out = stage / f"{name}.py"
            out.write_text(text, encoding="utf-8")
            files[f"{name}.py"] = str(out)
            problems.extend(f"{nb.name}: {n}" for n in notes)
    meta: dict[str, str] = {}
    meta_file = root / "submission_metadata.json"
    if meta_file.is_file():
        try:
            data = json.loads(meta_file.read_text())
            meta = (
                {k: str(v) for k, v in data.items() if isinstance(k, str)}
                if isinstance(data, dict)
                else {}
            )
        except ValueError:
            problems.append("submission_metadata.json is not valid JSON")
    return Submission(
        id=sub_id,
        source=source,
        files=files,
        fingerprint=_fingerprint(files) if files else "empty",
        problems=tuple(problems),
        submitted_at=_submitted_at(source) if source.is_dir() else None,
        metadata=meta,
    )


def discover(path: Path, exercises: Iterable[str]) -> list[Path]:
    """The submissions under ``path``: itself if it holds exercise files, else its children."""
    path = Path(path)
    names = set(exercises)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"no submission or folder of submissions at {path}")
    direct = [
        p
        for p in path.iterdir()
        if p.is_file() and p.stem in names and p.suffix in (".py", ".ipynb")
    ]
    if direct:
        return [path]
    return sorted(
        p
        for p in path.iterdir()
        if not p.name.startswith(".")
        and (p.is_dir() or p.suffix in (".zip",))
        and not os.path.islink(p)
    )
