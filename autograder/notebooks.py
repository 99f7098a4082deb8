"""Notebook form of an exercise, generated from its stub module (one source of truth).

The module docstring becomes the opening markdown (reStructuredText-style underlined
headings turn into Markdown headings), the imports become the first code cell, and
each function becomes a markdown cell naming it followed by a code cell with its
full stub (signature, contract docstring, ``raise NotImplementedError``). A last
cell runs the public checks. Grading a completed notebook uses
:func:`autograder.submissions.notebook_to_module`, which keeps exactly the imports,
definitions and constants.

>>> nb = exercise_notebook("def f(x: float) -> float:\\n    '''Double x.'''\\n"
...                        "    raise NotImplementedError\\n", "demo")
>>> [c["cell_type"] for c in nb["cells"]]
['markdown', 'markdown', 'code', 'markdown', 'code']
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

__all__ = ["exercise_notebook", "rst_to_markdown", "write_notebook"]


def rst_to_markdown(text: str) -> str:
    """Turn ``Title`` + ``-----`` underlines into ``## Title`` headings.

    >>> rst_to_markdown("Intro\\n=====\\nText\\nPart\\n----\\nMore")
    '## Intro\\nText\\n### Part\\nMore'
    """
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and re.fullmatch(r"(=+|-+)", nxt.strip()) and len(nxt.strip()) >= 3:
            out.append(("## " if nxt.strip()[0] == "=" else "### ") + line.strip())
            i += 2
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _cell(kind: str, source: str) -> dict[str, Any]:
    cell: dict[str, Any] = {"cell_type": kind, "metadata": {}, "source": source.strip("\n")}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _segment(source: str, node: ast.stmt) -> str:
    """The source of a top-level statement, decorators included."""
    text = ast.get_source_segment(source, node) or ast.unparse(node)
    decorators = getattr(node, "decorator_list", [])
    return "".join(f"@{ast.get_source_segment(source, d)}\n" for d in decorators) + text


def exercise_notebook(source: str, exercise: str) -> dict[str, Any]:
    """The notebook (nbformat 4 JSON) for the stub module ``source``."""
    tree = ast.parse(source)
    doc = ast.get_docstring(tree) or f"Exercise {exercise}"
    title, _, rest = doc.partition("\n")
    cells = [_cell("markdown", f"# {title.strip()}\n\n{rst_to_markdown(rest.strip())}")]
    body = [n for n in tree.body if not (isinstance(n, ast.Expr) and n is tree.body[0])]
    body = [
        n
        for n in body
        if not (
            isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)
        )
    ]
    imports = [n for n in body if isinstance(n, (ast.Import, ast.ImportFrom))]
    if imports:
        code = "\n".join(_segment(source, n) for n in imports)
        cells.append(_cell("markdown", "Run this cell first: it imports what the exercise uses."))
        cells.append(_cell("code", code))
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            summary = (ast.get_docstring(node) or "").split("\n\n")[0].replace("\n", " ")
            cells.append(_cell("markdown", f"### `{node.name}`\n\n{summary}"))
        cells.append(_cell("code", _segment(source, node)))
    cells.append(
        _cell(
            "markdown",
            "## Check your work\n\nThe public checks run your "
            "functions on worked examples from the course notes "
            f"(``autograder check {exercise}`` in a terminal does the same).",
        )
    )
    cells.append(_cell("code", f"!autograder check {exercise}"))
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_notebook(stub: Path, target: Path) -> Path:
    """Write the notebook of the stub module ``stub`` to ``target``."""
    nb = exercise_notebook(stub.read_text(encoding="utf-8"), stub.stem)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target
