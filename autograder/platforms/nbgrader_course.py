"""An nbgrader course generated from the exercises: solution notebooks with grade cells.

``autograder nbgrader-course --out DIR`` writes a course directory that nbgrader
(``nbgrader generate_assignment``, ``autograde``, formgrader on JupyterHub) uses as is:

* ``nbgrader_config.py`` (course id, the solution delimiters, execution time-out);
* ``source/<assignment>/<exercise>.ipynb`` for every exercise of the assignment: the
  stub's notebook form (:mod:`autograder.notebooks`) in which

  - every function cell is an nbgrader **solution cell**: the stub's signature and
    contract docstring, then the reference implementation between
    ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader puts
    ``raise NotImplementedError()`` there in the student version). The reference may
    be spread over private helper modules (``reference/<ex>/_*.py``): the helpers a
    function needs, and the imports they need, are inlined into its solution region,
    so every solution cell is self-contained;
  - a locked, read-only helper cell defines the course landscapes the tests pass in
    and two assertion helpers (tolerances from ``course.yaml``);
  - one locked **grade cell** per public check of the exercise, whose asserts call the
    student's functions on that check's fixed cases (the worked examples of the course
    notes) and compare with literal expected values. They are obtained by running the
    public check against the reference through a recording ``student`` proxy, so they
    are exactly the public checks' cases: no hidden-check input appears. The
    exercise's points (``course.yaml``) are split evenly among its grade cells.

nbgrader's own autograde runs these asserts in the student's kernel, where a student
can defeat them (``np.allclose = lambda *a, **k: True``); ``autograder nbgrader-grade``
(:mod:`autograder.platforms.nbgrader_grade`) grades the collected notebooks with the sandboxed
engine and the hidden checks instead, and writes the scores into nbgrader's gradebook.
"""

from __future__ import annotations

import ast
import copy
import importlib
import inspect
import json
import math
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from autograder.config import Course
from autograder.engine.student import Args, Outcome, call_each
from autograder.errors import StudentCodeError
from autograder.notebooks import exercise_notebook

__all__ = [
    "BEGIN",
    "CODE_STUB",
    "END",
    "CellRun",
    "Inliner",
    "RecordedCall",
    "RecordedCheck",
    "Renderer",
    "course_id",
    "execute_notebook",
    "exercise_source_notebook",
    "grade_cell_points",
    "helpers_source",
    "merge_imports",
    "record_public_checks",
    "release_notebook",
    "solution_cell",
    "write_nbgrader_course",
]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
"""What nbgrader's ``ClearSolutions`` puts in place of a solution region (its default)."""

_SCHEMA = 3
_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]+")


# ----------------------------------------------------------------------------- inlining


@dataclass
class _ModuleInfo:
    module: ModuleType
    source: str
    tree: ast.Module
    bindings: dict[str, ast.stmt]


_INFO: dict[str, _ModuleInfo] = {}


def _info(module: ModuleType) -> _ModuleInfo:
    """The parsed source of ``module`` and its module-level bindings (name → statement)."""
    cached = _INFO.get(module.__name__)
    if cached is not None and cached.module is module:
        return cached
    source = inspect.getsource(module)
    tree = ast.parse(source)
    bindings: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bindings[node.name] = node
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                bindings[local] = node
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                for n in ast.walk(target):
                    if isinstance(n, ast.Name):
                        bindings[n.id] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            bindings[node.target.id] = node
    info = _ModuleInfo(module, source, tree, bindings)
    _INFO[module.__name__] = info
    return info


def _names_used(nodes: Iterable[ast.AST]) -> list[str]:
    """Every bare name mentioned in ``nodes``, in order of first appearance."""
    seen: dict[str, None] = {}
    for node in nodes:
        for n in ast.walk(node):
            if isinstance(n, ast.Name):
                seen.setdefault(n.id, None)
    return list(seen)


def _segment(info: _ModuleInfo, node: ast.stmt) -> str:
    """The source lines of a module-level statement, decorators included."""
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    lines = info.source.splitlines()[start - 1 : node.end_lineno]
    return "\n".join(lines)


def _import_for(node: ast.Import | ast.ImportFrom, local: str) -> str:
    """The import statement that binds just ``local`` the way ``node`` does."""
    for alias in node.names:
        bound = alias.asname or alias.name.split(".")[0]
        if bound != local:
            continue
        if isinstance(node, ast.Import):
            if alias.asname:
                return f"import {alias.name} as {alias.asname}"
            return f"import {alias.name.split('.')[0]}"
        as_ = f" as {alias.asname}" if alias.asname else ""
        return f"from {node.module} import {alias.name}{as_}"
    raise KeyError(local)


def _resolve_from(module: ModuleType, node: ast.ImportFrom) -> str:
    """The absolute module name of a (possibly relative) ``from ... import``."""
    if not node.level:
        return node.module or ""
    package = module.__name__ if hasattr(module, "__path__") else module.__package__ or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


class Inliner:
    """Collects what a function of a package needs to run outside it.

    ``public`` names (the exercise's own functions, as the student defines them) stay
    references to the notebook's globals; everything else the code uses from
    ``inline_prefix`` modules (private helpers, constants, classes) is inlined, and
    the other imports it relies on are repeated.
    """

    def __init__(
        self,
        package: ModuleType | None,
        public: Iterable[str] = (),
        *,
        inline_prefix: str = "reference",
        provided: Iterable[str] = (),
    ) -> None:
        self.package = package
        self.public = set(public)
        self.prefix = inline_prefix
        self.provided = set(provided)
        self.imports: dict[str, str] = {}
        self.definitions: list[str] = []
        self._done: set[tuple[str, str]] = set()

    def _is_public(self, name: str, obj: Any) -> bool:
        return (
            self.package is not None
            and name in self.public
            and getattr(self.package, name, None) is obj
        )

    def _local(self, module: ModuleType, local: str) -> None:
        info = _info(module)
        node = info.bindings.get(local)
        if node is None:
            return  # a builtin, a parameter or a local variable
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            absolute = _resolve_from(module, node) if isinstance(node, ast.ImportFrom) else ""
            if isinstance(node, ast.ImportFrom) and (
                absolute == self.prefix or absolute.startswith(self.prefix + ".")
            ):
                original = next(a.name for a in node.names if (a.asname or a.name) == local)
                target = importlib.import_module(absolute)
                obj = getattr(target, original)
                if not self._is_public(original, obj):
                    home = sys.modules.get(getattr(obj, "__module__", "") or "", target)
                    if not inspect.isclass(obj) and not inspect.isfunction(obj):
                        home = target
                    self.inline(home, original)
                if local != original:
                    self._emit(("alias", local), f"{local} = {original}")
                return
            if local not in self.provided:
                self.imports.setdefault(local, _import_for(node, local))
            return
        if self._is_public(local, getattr(module, local, None)):
            return
        self.inline(module, local)

    def _emit(self, key: tuple[str, str], text: str) -> None:
        if key not in self._done:
            self._done.add(key)
            self.definitions.append(text)

    def needs(self, module: ModuleType, nodes: Iterable[ast.AST], own: str = "") -> None:
        """Make every global name used in ``nodes`` (code of ``module``) available."""
        for name in _names_used(nodes):
            if name != own:
                self._local(module, name)

    def inline(self, module: ModuleType, name: str) -> None:
        """Inline the module-level definition of ``name`` (and what it needs) once."""
        key = (module.__name__, name)
        if key in self._done:
            return
        info = _info(module)
        node = info.bindings.get(name)
        if node is None:
            raise LookupError(f"{module.__name__}.{name} has no module-level definition")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self._local(module, name)
            return
        self._done.add(key)
        self.needs(module, [node], own=name)
        self.definitions.append(_segment(info, node))


def _params(args: ast.arguments) -> list[str]:
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    if args.vararg:
        names.append("*" + args.vararg.arg)
    if args.kwarg:
        names.append("**" + args.kwarg.arg)
    return names


def _preamble_names(stub_tree: ast.Module) -> set[str]:
    """Names the stub's import cell binds (they need no repeating in a solution)."""
    out: set[str] = set()
    for node in stub_tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                out.add(alias.asname or alias.name.split(".")[0])
    return out


def _has_docstring(body: Sequence[ast.stmt]) -> bool:
    return bool(
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    )


def solution_cell(exercise: str, function: str, stub_source: str) -> str:
    """The solution cell of ``function``: stub header + reference between the markers.

    >>> stub = "import numpy as np\\n\\ndef condition_number(eigenvalues):\\n" \\
    ...        "    '''κ = λmax/λmin.'''\\n    raise NotImplementedError\\n"
    >>> cell = solution_cell("eigen", "condition_number", stub)
    >>> cell.splitlines()[:3]
    ['def condition_number(eigenvalues):', "    '''κ = λmax/λmin.'''", '    ### BEGIN SOLUTION']
    >>> cell.splitlines()[-1]
    '    ### END SOLUTION'
    """
    stub_tree = ast.parse(stub_source)
    stub_fn = next(
        n for n in stub_tree.body if isinstance(n, ast.FunctionDef) and n.name == function
    )
    package = importlib.import_module(f"reference.{exercise}")
    ref_fn = inspect.unwrap(getattr(package, function))
    module = sys.modules[ref_fn.__module__]
    info = _info(module)
    ref_node = info.bindings.get(ref_fn.__name__)
    if not isinstance(ref_node, ast.FunctionDef):
        raise LookupError(f"reference.{exercise}.{function} is not a plain function")
    if _params(stub_fn.args) != _params(ref_node.args):
        raise ValueError(
            f"{exercise}.{function}: the stub's parameters {_params(stub_fn.args)} differ "
            f"from the reference's {_params(ref_node.args)}"
        )
    public = [n.name for n in stub_tree.body if isinstance(n, ast.FunctionDef)]
    inliner = Inliner(package, public, provided=_preamble_names(stub_tree))
    body = ref_node.body
    has_doc = _has_docstring(body)
    statements = body[1:] if has_doc else body
    if not statements:
        raise ValueError(f"reference.{exercise}.{function} has an empty body")
    inliner.needs(module, statements, own=ref_node.name)
    lines = info.source.splitlines()
    first = (body[0].end_lineno or body[0].lineno) + 1 if has_doc else statements[0].lineno
    ref_body = textwrap.dedent("\n".join(lines[first - 1 : ref_node.end_lineno])).strip("\n")

    # the stub: decorators, signature and docstring, without its ``raise`` body
    stub_lines = stub_source.splitlines()
    start = min([stub_fn.lineno] + [d.lineno for d in stub_fn.decorator_list])
    stub_body = stub_fn.body
    if _has_docstring(stub_body):
        header_end = stub_body[0].end_lineno or stub_body[0].lineno
    else:  # the signature may span several lines
        header_end = stub_body[0].lineno - 1
    header = "\n".join(stub_lines[start - 1 : header_end])

    parts: list[str] = []
    if inliner.imports:
        parts.append("\n".join(merge_imports(inliner.imports.values())))
    parts.extend(inliner.definitions)
    parts.append(ref_body)
    solution = "\n\n".join(parts)
    indented = textwrap.indent(solution, "    ", lambda ln: bool(ln.strip()))
    return f"{header}\n    {BEGIN}\n{indented}\n    {END}"


# ----------------------------------------------------------------------------- rendering


def _seed_of(state: dict[str, Any]) -> int | None:
    for seed in range(1000):
        if np.random.default_rng(seed).bit_generator.state == state:
            return seed
    return None


def _float(x: float) -> str:
    if math.isnan(x):
        return "np.nan"
    if math.isinf(x):
        return "np.inf" if x > 0 else "-np.inf"
    return repr(float(x))


def _nested(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, complex):
        return repr(value)
    return repr(value)


class Renderer:
    """Python source for the plain values that cross the sandbox boundary."""

    def __init__(self) -> None:
        self.uses_torch = False
        self.landscapes: set[str] = set()

    def __call__(self, value: Any) -> str:
        from autograder.landscapes import Landscape

        if value is None or isinstance(value, (bool, str)):
            return repr(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return repr(int(value))
        if isinstance(value, float):
            return _float(value)
        if isinstance(value, np.bool_):
            return f"np.bool_({bool(value)})"
        if isinstance(value, np.generic):
            return f"np.{value.dtype.name}({_nested(value.item())})"
        if isinstance(value, np.ndarray):
            if value.size == 0:
                return f"np.zeros({value.shape!r}, dtype=np.{value.dtype.name})"
            data = _nested(value.tolist())
            if value.dtype == np.float64:
                return f"np.array({data})"
            return f"np.array({data}, dtype=np.{value.dtype.name})"
        torch = sys.modules.get("torch")
        if torch is not None and isinstance(value, torch.Tensor):
            self.uses_torch = True
            arr = value.detach().cpu().numpy()
            dtype = str(value.dtype).replace("torch.", "")
            grad = ", requires_grad=True" if value.requires_grad else ""
            return f"torch.tensor({_nested(arr.tolist())}, dtype=torch.{dtype}{grad})"
        if isinstance(value, list):
            return "[" + ", ".join(self(v) for v in value) + "]"
        if isinstance(value, tuple):
            inner = ", ".join(self(v) for v in value)
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k!r}: {self(v)}" for k, v in value.items()) + "}"
        if isinstance(value, np.random.Generator):
            state = value.bit_generator.state
            seed = _seed_of(state)
            if seed is not None:
                return f"np.random.default_rng({seed})"
            return f"rng_from_state({state!r})"
        owner = getattr(value, "__self__", None)
        if isinstance(owner, Landscape):
            return f"{self._landscape(owner)}.{value.__name__}"
        if isinstance(value, Landscape):
            return self._landscape(value)
        raise TypeError(f"cannot write {type(value).__name__} values into a notebook")

    def _landscape(self, obj: Any) -> str:
        self.landscapes.add(type(obj).__name__)
        params = obj.spec()["params"]
        args = ", ".join(f"{k}={self(v)}" for k, v in params.items())
        return f"{type(obj).__name__}({args})"


# ----------------------------------------------------------------------------- recording


@dataclass(frozen=True)
class RecordedCall:
    """One call a public check made: its source, and what the reference answered."""

    call: str
    expected: str = ""
    raises: str = ""
    dtype: str = ""
    """``"float32"`` when the function computes in float32 (its ``dtype`` argument)."""


@dataclass
class RecordedCheck:
    """A public check: its name, title and the calls it made."""

    name: str
    title: str
    calls: list[RecordedCall] = field(default_factory=list)
    uses_torch: bool = False
    landscapes: frozenset[str] = frozenset()
    weight: float = 1.0


def _working_dtype(fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]) -> str:
    """``"float32"`` if the call's ``dtype`` argument (given or default) says float32."""
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return ""
    bound.apply_defaults()
    value = bound.arguments.get("dtype")
    return "float32" if value is not None and "float32" in str(value) else ""


class _Recorder:
    """A ``student`` proxy that answers with the reference and writes the calls down."""

    def __init__(self, exercise: str, module: ModuleType, render: Renderer) -> None:
        self.exercise = exercise
        self.module = module
        self.render = render
        self.calls: list[RecordedCall] = []

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        return self._run(function, args, kwargs, None)

    def probe(self, function: str, *args: Any, points: list[Any], **kwargs: Any) -> list[Any]:
        return self._run(function, args, kwargs, points)

    def call_many(self, function: str, calls: Iterable[Args | tuple[Any, ...]]) -> list[Outcome]:
        return call_each(self.call, function, calls)

    def _run(
        self,
        function: str,
        args: Sequence[Any],
        kwargs: dict[str, Any],
        points: list[Any] | None,
    ) -> Any:
        from autograder.protocol.codec import decode, encode

        # exactly what the student's function would receive through the sandbox
        sent_args = decode(encode(list(args)), tensors=True)
        sent_kwargs = decode(encode(kwargs), tensors=True)
        parts = [self.render(a) for a in sent_args]
        parts += [f"{k}={self.render(v)}" for k, v in sent_kwargs.items()]
        text = f"{function}({', '.join(parts)})"
        sent_points = decode(encode(list(points)), tensors=True) if points is not None else None
        if sent_points is not None:  # a returned function, evaluated at the check's points
            text = f"[{function}({', '.join(parts)})(p) for p in {self.render(sent_points)}]"
        fn = getattr(self.module, function)
        try:
            value = fn(*copy.deepcopy(sent_args), **copy.deepcopy(sent_kwargs))
            if sent_points is not None:
                value = [value(p) for p in sent_points]
        except Exception as exc:
            self.calls.append(RecordedCall(text, raises=type(exc).__name__))
            raise StudentCodeError(
                f"{function}() raised {type(exc).__name__}: {exc}", exc_type=type(exc).__name__
            ) from None
        received = decode(encode(value))
        self.calls.append(
            RecordedCall(
                text,
                expected=self.render(received),
                dtype=_working_dtype(fn, sent_args, sent_kwargs),
            )
        )
        return received


def record_public_checks(exercise: str) -> list[RecordedCheck]:
    """Run the public checks of ``exercise`` against the reference, recording every call.

    Raises ``AssertionError`` if the reference does not pass a public check.
    """
    checks = importlib.import_module(f"exercises.checks.{exercise}")
    reference = importlib.import_module(f"reference.{exercise}")
    tests = [
        fn
        for name, fn in vars(checks).items()
        if name.startswith("test_") and inspect.isfunction(fn) and fn.__module__ == checks.__name__
    ]
    tests.sort(key=lambda f: f.__code__.co_firstlineno)
    out = []
    for fn in tests:
        extra = [p for p in inspect.signature(fn).parameters if p != "student"]
        if extra:
            raise ValueError(
                f"the public check {exercise}.{fn.__name__} takes {extra}: only checks that "
                "take just `student` can become grade cells"
            )
        render = Renderer()
        recorder = _Recorder(exercise, reference, render)
        try:
            fn(recorder)
        except Exception as exc:
            raise AssertionError(
                f"the reference fails the public check {exercise}.{fn.__name__}: {exc}"
            ) from exc
        title = (inspect.getdoc(fn) or fn.__name__).split("\n")[0]
        out.append(
            RecordedCheck(
                fn.__name__,
                title,
                recorder.calls,
                render.uses_torch,
                frozenset(render.landscapes),
                _weight(fn),
            )
        )
    return out


def _weight(fn: Callable[..., Any]) -> float:
    """The check's ``@pytest.mark.weight(w)`` (default 1), as the engine reads it."""
    for mark in getattr(fn, "pytestmark", []):
        if getattr(mark, "name", "") == "weight" and mark.args:
            return float(mark.args[0])
    return 1.0


# ----------------------------------------------------------------------------- notebook


_HELPERS = '''\
TOLERANCES = {tolerances!r}
"""(rtol, atol) by dtype: the tolerance follows the dtype of what your function returns."""


def rng_from_state(state):
    """A numpy Generator in exactly the given PCG64 state."""
    rng = np.random.Generator(np.random.PCG64())
    rng.bit_generator.state = state
    return rng


def _numeric(value):
    if isinstance(value, (bool, np.bool_, str, dict)) or value is None:
        return None
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        return None
    return arr if arr.dtype.kind in "fiuc" else None


def _same_numbers(got, expected, dtype=None):
    if dtype is None:
        low = (np.float32, np.float16)
        low_precision = np.asarray(got).dtype in low or np.asarray(expected).dtype in low
        dtype = "float32" if low_precision else "float64"
    rtol, atol = TOLERANCES[dtype]
    kind = np.complex128 if np.iscomplexobj(got) or np.iscomplexobj(expected) else np.float64
    g = np.asarray(got, dtype=kind)
    e = np.asarray(expected, dtype=kind)
    big = np.finfo(np.float32 if dtype == "float32" else np.float64).max
    with np.errstate(invalid="ignore", over="ignore"):
        e_over = ~np.isfinite(e) | (np.abs(e) > big)
        g_over = ~np.isfinite(g) | (np.abs(g) > big)
        close = np.abs(g - e) <= atol + rtol * np.abs(e)
        same_sign = (np.sign(g.real) == np.sign(e.real)) | np.isnan(g) | np.isnan(e)
    ok = np.where(e_over, g_over & same_sign, close) | (np.isnan(g) & np.isnan(e))
    return bool(np.all(ok))


def _difference(got, expected, where="the result", dtype=None):
    """None if ``got`` matches ``expected``, else what differs."""
    if expected is None:
        return None if got is None else f"{{where}} should be None, not {{got!r:.200}}"
    if isinstance(expected, (bool, np.bool_)):
        ok = isinstance(got, (bool, np.bool_)) and bool(got) == bool(expected)
        return None if ok else f"{{where}} should be {{bool(expected)}}, not {{got!r:.200}}"
    if isinstance(expected, str):
        if isinstance(got, str) and got == expected:
            return None
        return f"{{where}} should be {{expected!r}}, not {{got!r:.200}}"
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            kind = type(got).__name__
            return f"{{where}} should be a dict with keys {{sorted(expected)}}, not {{kind}}"
        for key, value in expected.items():
            if key not in got:
                return f"{{where}} has no key {{key!r}}"
            why = _difference(got[key], value, f"{{where}}[{{key!r}}]", dtype)
            if why:
                return why
        return None
    exp = _numeric(expected)
    if exp is None:  # a list or tuple of mixed things
        if not isinstance(got, (list, tuple, np.ndarray)) or len(got) != len(expected):
            return f"{{where}} should be a sequence of length {{len(expected)}}, not {{got!r:.200}}"
        for i, (g, e) in enumerate(zip(got, expected)):
            why = _difference(g, e, f"{{where}}[{{i}}]", dtype)
            if why:
                return why
        return None
    got_arr = _numeric(got)
    if got_arr is None:
        return f"{{where}} should be numbers, not {{type(got).__name__}} {{got!r:.200}}"
    if got_arr.shape != exp.shape:
        return f"{{where}} has shape {{got_arr.shape}}, expected {{exp.shape}}"
    if not _same_numbers(got_arr, exp, dtype):
        mine = np.array2string(got_arr, threshold=12)
        return f"{{where}} is {{mine}}, expected {{np.array2string(exp, threshold=12)}}"
    return None


def assert_matches(got, expected, call, dtype=None):
    """Assert that ``got`` (what ``call`` returned) matches ``expected``.

    Numbers are compared with the tolerance of ``dtype`` (by default the dtype of the
    numbers returned: float32 results get float32's tolerance).
    """
    why = _difference(got, expected, dtype=dtype)
    assert why is None, f"{{call}}: {{why}}"


def assert_raises(exception, call, text):
    """Assert that calling ``call()`` raises the exception class named ``exception``."""
    try:
        got = call()
    except Exception as exc:
        kind = type(exc).__name__
        assert kind == exception, f"{{text}} raised {{kind}}, not {{exception}}"
        return
    raise AssertionError(f"{{text}} should raise {{exception}}, but returned {{got!r:.200}}")
'''


class _StripAnnotations(ast.NodeTransformer):
    """Drop the annotations of functions (dataclass fields keep theirs)."""

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.returns = None
        for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
            a.annotation = None
        for a in (node.args.vararg, node.args.kwarg):
            if a is not None:
                a.annotation = None
        self.generic_visit(node)
        return node


def helpers_source(course: Course, exercise: str, landscapes: Iterable[str]) -> str:
    """The read-only helper cell: the landscapes used by the tests and the asserts."""
    import autograder.landscapes as module

    tol = {
        d: (course.tolerance(d, exercise).rtol, course.tolerance(d, exercise).atol)
        for d in ("float64", "float32")
    }
    lines = [
        "# Helpers for the tests below (read-only): the course's loss landscapes, which the",
        "# tests hand to your functions, and tolerant comparisons. Run this cell first.",
    ]
    inliner = Inliner(None, inline_prefix="autograder.landscapes")
    for name in sorted(landscapes):
        inliner.inline(module, name)
    imports = {"import numpy as np", *inliner.imports.values()}
    if inliner.definitions:
        imports.add("from typing import ClassVar")
    lines.extend(merge_imports(imports))
    if inliner.definitions:
        # without ``from __future__ import annotations`` (which may only open a module,
        # and a graded notebook becomes one) a method annotated with its own class
        # would fail: the helpers keep no annotations but those of dataclass fields
        tree = _StripAnnotations().visit(ast.parse("\n\n".join(inliner.definitions)))
        for node in tree.body:
            lines.extend(["", "", ast.unparse(node)])
    lines.append("")
    lines.append("")
    lines.append(_HELPERS.format(tolerances=tol))
    return "\n".join(lines).rstrip() + "\n"


def merge_imports(statements: Iterable[str]) -> list[str]:
    """``import`` lines first, then one ``from`` line per module, sorted.

    >>> merge_imports(["from typing import Any", "import math", "from typing import ClassVar"])
    ['import math', 'from typing import Any, ClassVar']
    """
    plain: set[str] = set()
    froms: dict[str, set[str]] = {}
    for statement in statements:
        node = ast.parse(statement).body[0]
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                as_ = f" as {alias.asname}" if alias.asname else ""
                froms.setdefault(node.module, set()).add(alias.name + as_)
        else:
            plain.add(statement)
    return sorted(plain) + [
        f"from {m} import {', '.join(sorted(n))}" for m, n in sorted(froms.items())
    ]


def grade_cell_points(total: float, weights: Sequence[float]) -> list[float]:
    """``total`` split among cells in proportion to ``weights``, in hundredths.

    The hundredths left over by rounding go to the cells that lost most to it (ties:
    the first), so the cells always add up to ``total``.

    >>> grade_cell_points(15, [1, 1, 1, 1])
    [3.75, 3.75, 3.75, 3.75]
    >>> grade_cell_points(10, [1, 1, 1])
    [3.34, 3.33, 3.33]
    >>> grade_cell_points(10, [2, 1, 1])
    [5.0, 2.5, 2.5]
    """
    if not weights:
        return []
    cents = round(total * 100)
    whole = sum(weights)
    shares = [cents * w / whole for w in weights]
    base = [math.floor(x) for x in shares]
    order = sorted(range(len(shares)), key=lambda i: (base[i] - shares[i], i))
    for i in order[: cents - sum(base)]:
        base[i] += 1
    return [b / 100 for b in base]


def _grade_id(text: str) -> str:
    return _ID_CHARS.sub("_", text).strip("_") or "cell"


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float = 0.0) -> dict:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": _grade_id(grade_id),
        "locked": locked,
        "schema_version": _SCHEMA,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _grade_cell_source(check: RecordedCheck, points: float) -> str:
    lines = [f"# {check.title}", f"# ({points:g} points; the public check {check.name})"]
    if check.uses_torch:
        lines.append("import torch")
    for c in check.calls:
        if c.raises:
            lines.append(f"assert_raises({c.raises!r}, lambda: {c.call}, {c.call!r})")
        else:
            dtype = f", dtype={c.dtype!r}" if c.dtype else ""
            lines.append(f"assert_matches({c.call}, {c.expected}, {c.call!r}{dtype})")
    return "\n".join(lines)


def exercise_source_notebook(course: Course, exercise: str, stub: Path) -> dict[str, Any]:
    """The nbgrader source notebook of ``exercise``: solution cells, helpers, grade cells."""
    stub_source = stub.read_text(encoding="utf-8")
    nb = exercise_notebook(stub_source, exercise)
    public = {
        n.name
        for n in ast.parse(stub_source).body
        if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")
    }
    cells: list[dict[str, Any]] = []
    for cell in nb["cells"][:-2]:  # the last two run ``autograder check``: replaced below
        if cell["cell_type"] == "code":
            try:
                body = ast.parse(cell["source"]).body
            except SyntaxError:
                body = []
            fn = body[-1] if body else None
            if isinstance(fn, ast.FunctionDef) and fn.name in public:
                cell = dict(cell)
                cell["source"] = solution_cell(exercise, fn.name, stub_source)
                cell["metadata"] = _meta(fn.name, grade=False, solution=True, locked=False)
        cells.append(cell)
    checks = record_public_checks(exercise)
    landscapes = set().union(*(c.landscapes for c in checks))
    points = grade_cell_points(course.exercises[exercise].points, [c.weight for c in checks])
    cells.append(
        {
            "cell_type": "markdown",
            "metadata": {},
            "source": (
                "## Tests\n\nThe cells below are the public checks of this exercise: the "
                "worked examples of the course notes. Each is worth the points it names. "
                "When you submit, your functions are graded on many more (hidden) cases."
            ),
        }
    )
    cells.append(
        {
            "cell_type": "code",
            "execution_count": None,
            "outputs": [],
            "metadata": _meta(f"{exercise}_helpers", grade=False, solution=False, locked=True),
            "source": helpers_source(course, exercise, landscapes),
        }
    )
    for check, pts in zip(checks, points, strict=True):
        cells.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "outputs": [],
                "metadata": _meta(check.name, grade=True, solution=False, locked=True, points=pts),
                "source": _grade_cell_source(check, pts),
            }
        )
    ids = [c["metadata"]["nbgrader"]["grade_id"] for c in cells if "nbgrader" in c["metadata"]]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{exercise}: duplicate grade_id in {ids}")
    for i, cell in enumerate(cells):  # nbformat 4.5 cell ids
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        cell["id"] = (grade_id or f"{exercise}-cell-{i}")[:64]
    nb["cells"] = cells
    return nb


def release_notebook(nb: dict[str, Any]) -> dict[str, Any]:
    """What nbgrader's ClearSolutions makes of a source notebook (for tests and previews)."""
    out = copy.deepcopy(nb)
    for cell in out["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] != "code" or not meta.get("solution"):
            continue
        lines = cell["source"].splitlines()
        result: list[str] = []
        inside = False
        for line in lines:
            if line.strip() == BEGIN:
                inside = True
                indent = line[: len(line) - len(line.lstrip())]
                result.extend(indent + s for s in CODE_STUB.splitlines())
            elif line.strip() == END:
                inside = False
            elif not inside:
                result.append(line)
        cell["source"] = "\n".join(result)
    return out


_CONFIG = '''\
"""nbgrader configuration of {name} (generated by ``autograder nbgrader-course``).

Grade with the sandboxed engine (hidden checks, tamper-proof) instead of ``nbgrader
autograde``:  autograder nbgrader-grade . --assignment <id>
"""

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = {course_id!r}
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
c.Execute.timeout = {timeout}
'''


def course_id(course: Course) -> str:
    """The nbgrader course id (the course code in lower case)."""
    return _grade_id(course.code.lower())


def write_nbgrader_course(
    course: Course,
    out: Path,
    assignments: Sequence[str] | None = None,
    *,
    exercises: Sequence[str] | None = None,
    stubs: Path | None = None,
    say: Callable[[str], None] = lambda _m: None,
) -> list[Path]:
    """Write ``nbgrader_config.py`` (unless there is one) and the source notebooks.

    ``exercises`` keeps only those exercises of the chosen assignments.
    """
    chosen = [course.assignment(a) for a in assignments] if assignments else course.assignments
    unknown = sorted(set(exercises or ()) - {e.name for a in chosen for e in a.exercises})
    if unknown:
        raise KeyError(f"no exercise {', '.join(unknown)} in {', '.join(a.id for a in chosen)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stubs = stubs or course.root / "exercises"
    written = []
    config = out / "nbgrader_config.py"
    if config.exists():  # the instructor's (exchange, JupyterHub settings...): kept
        say(f"kept the existing {config}")
    else:
        config.write_text(
            _CONFIG.format(
                name=course.name,
                course_id=course_id(course),
                stub=CODE_STUB,
                timeout=int(course.limits.submission_seconds),
            ),
            encoding="utf-8",
        )
        written.append(config)
    for assignment in chosen:
        for ex in assignment.exercises:
            if exercises is not None and ex.name not in exercises:
                continue
            nb = exercise_source_notebook(course, ex.name, stubs / f"{ex.name}.py")
            path = out / "source" / assignment.id / f"{ex.name}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            written.append(path)
            say(f"{path}")
    return written


@dataclass
class CellRun:
    """The outcome of one code cell run by :func:`execute_notebook`."""

    grade_id: str
    points: float
    error: str = ""


def execute_notebook(
    nb: dict[str, Any], *, extra: str = "", namespace: dict[str, Any] | None = None
) -> list[CellRun]:
    """Run a notebook's code cells in one fresh namespace, in this process (trusted code).

    Shell and magic lines (``!``, ``%``) are skipped. ``extra`` is run after the last
    solution cell, before the tests (to swap in other implementations). Returns the
    outcome of every grade cell; an error in another cell is raised.
    """
    import codeop
    import types

    module = types.ModuleType("__nbgrader_notebook__")
    if namespace:
        module.__dict__.update(namespace)
    ns = module.__dict__
    compiler = codeop.Compile()  # remembers ``from __future__`` imports, as IPython does
    saved = sys.modules.get(module.__name__)
    sys.modules[module.__name__] = module  # dataclasses look their module up
    try:
        return _execute(nb, ns, compiler, extra)
    finally:
        if saved is None:
            sys.modules.pop(module.__name__, None)
        else:
            sys.modules[module.__name__] = saved


def _execute(
    nb: dict[str, Any], ns: dict[str, Any], compiler: Callable[..., Any], extra: str
) -> list[CellRun]:
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    last_solution = max(
        (i for i, c in enumerate(cells) if c["metadata"].get("nbgrader", {}).get("solution")),
        default=-1,
    )
    out: list[CellRun] = []
    for i, cell in enumerate(cells):
        source = cell["source"]
        source = "".join(source) if isinstance(source, list) else source
        source = "\n".join(
            ln for ln in source.splitlines() if not ln.lstrip().startswith(("!", "%"))
        )
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade"):
            try:
                exec(compiler(source, f"<cell {meta['grade_id']}>", "exec"), ns)
            except Exception as exc:
                out.append(
                    CellRun(meta["grade_id"], meta["points"], f"{type(exc).__name__}: {exc}")
                )
            else:
                out.append(CellRun(meta["grade_id"], meta["points"]))
        else:
            exec(compiler(source, f"<cell {i}>", "exec"), ns)
        if i == last_solution and extra:
            exec(compiler(extra, "<extra>", "exec"), ns)
    return out
