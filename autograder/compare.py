"""Fair, explaining comparisons of a student's result with the reference.

Every helper raises :class:`~autograder.errors.WrongAnswer` with a message in course
language: *what* was being checked, the *case* (the inputs), what the behaviour should
have been and what came back. Tolerances follow the dtype the student returned (the
reference is float64; a float32 answer is held to float32 precision). Runs that
diverge are compared up to overflow: beyond the point where the reference exceeds the
range of the student's dtype, any overflowed value (``inf``, ``nan`` or huge) is
accepted.

Known mistakes are recognised by passing their results as ``mistakes``: if the answer
matches one of them, the message names the mistake instead of just "wrong".

>>> import numpy as np
>>> expect_close(np.array([1.0, 0.5]), np.array([1.0, 0.5]), what="w_k", case="η=0.5")
>>> try:
...     expect_close(np.array([1.0, -0.5]), np.array([1.0, 0.5]), what="the trajectory",
...                  case="η=0.5", mistakes={"a sign error in the update": np.array([1., -0.5])})
... except WrongAnswer as exc:
...     print(exc)
the trajectory is wrong for η=0.5: it looks like a sign error in the update.
First difference at index 1: got -0.5, expected 0.5.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.config import Tolerance
from autograder.errors import StudentCodeError, WrongAnswer

__all__ = [
    "ComparisonPolicy",
    "collect_evidence",
    "expect_close",
    "expect_equal",
    "expect_raises",
    "expect_true",
    "illustrate",
    "policy",
    "use_policy",
]

_DEFAULT_TOLERANCES = {
    "float64": Tolerance(rtol=1e-7, atol=1e-10),
    "float32": Tolerance(rtol=1e-4, atol=1e-6),
    "float16": Tolerance(rtol=1e-2, atol=1e-3),
}


@dataclass(frozen=True)
class ComparisonPolicy:
    """Tolerances by dtype, and whether expected values may be shown to the student."""

    tolerances: Mapping[str, Tolerance]
    reveal_expected: bool = True

    def tolerance(self, dtype: np.dtype) -> Tolerance:
        name = dtype.name if dtype.kind == "f" else "float64"
        return self.tolerances.get(name, self.tolerances["float64"])


_DEFAULT_POLICY = ComparisonPolicy(_DEFAULT_TOLERANCES)
_POLICY: contextvars.ContextVar[ComparisonPolicy | None] = contextvars.ContextVar(
    "comparison_policy", default=None
)


def policy() -> ComparisonPolicy:
    """The comparison policy in force for the current check."""
    return _POLICY.get() or _DEFAULT_POLICY


_EVIDENCE: contextvars.ContextVar[Callable[..., None] | None] = contextvars.ContextVar(
    "evidence_sink", default=None
)


@contextlib.contextmanager
def collect_evidence(sink: Callable[..., None]) -> Iterator[None]:
    """Inside the block, a failed comparison of a run hands ``sink(kind, **data)`` the
    student's and the reference's values, so feedback can draw one against the other."""
    token = _EVIDENCE.set(sink)
    try:
        yield
    finally:
        _EVIDENCE.reset(token)


_PICTURE: contextvars.ContextVar[tuple[str | None, Mapping[str, Any]]] = contextvars.ContextVar(
    "picture", default=(None, {})
)


@contextlib.contextmanager
def illustrate(kind: str | None = None, **data: Any) -> Iterator[None]:
    """Inside the block, a failed comparison's evidence is drawn as ``kind`` with ``data``.

    Without it, a failed run is drawn by its shape (a 2-D path as a trajectory, a
    sequence as a curve). A check says what the numbers *are*:

    * ``illustrate(landscape=q)``: the iterates ran on ``q``; a path in one or two
      dimensions is drawn on its contours (on its graph for one dimension);
    * ``illustrate("multipliers", eigenvalues=lam, alpha=a)``: the values are the
      multipliers r_i = 1 − α·λ_i, drawn against the stable interval [−1, 1];
    * ``illustrate(xlabel="epoch", ylabel="loss")``: labels for a curve.

    >>> seen = []
    >>> with collect_evidence(lambda kind, **d: seen.append((kind, sorted(d)))):
    ...     with illustrate("multipliers", eigenvalues=[1.0, 3.0], alpha=0.5):
    ...         try:
    ...             expect_close([0.5, 0.5], [0.5, -0.5], what="r", case="α = 0.5")
    ...         except WrongAnswer:
    ...             pass
    >>> seen
    [('multipliers', ['alpha', 'eigenvalues', 'expected', 'got', 'title'])]
    """
    token = _PICTURE.set((kind, dict(data)))
    try:
        yield
    finally:
        _PICTURE.reset(token)


def _clip(text: str, n: int) -> str:
    """``text`` cut to at most ``n`` characters at a space, marked with an ellipsis.

    >>> _clip("x0 = [1.5, 2.25], α = 0.1", 16)
    'x0 = [1.5…'
    """
    if len(text) <= n:
        return text
    cut = text[: n - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > n // 2 else cut).rstrip(" ,;—") + "…"


def _attach(g: np.ndarray, e: np.ndarray, what: str, case: str) -> None:
    """Offer a failed run to the evidence sink, as :func:`illustrate` says or by its shape:
    a 2-D path as a trajectory, a sequence as a curve (semilog when it spans orders of
    magnitude). Nothing else is drawn."""
    sink = _EVIDENCE.get()
    if sink is None or g.dtype.kind == "c" or e.dtype.kind == "c" or g.ndim != e.ndim:
        return
    kind, extra = _PICTURE.get()
    title = _clip(f"{what} — {case}" if case else what, 120)
    path = e.ndim == 2 and e.shape[1] == 2 and g.shape[1:] == (2,) and len(e) >= 2
    sequence = e.ndim == 1 and e.size >= 2 and g.size >= 1
    if kind == "multipliers" and sequence:
        sink("multipliers", got=g, expected=e, title=title, **extra)
    elif path or (sequence and "landscape" in extra and kind in (None, "trajectory")):
        sink("trajectory", got=g, expected=e, title=title, **extra)
    elif e.ndim == 1 and e.size >= 3 and g.size >= 2 and kind in (None, "curve"):
        with np.errstate(all="ignore"):
            finite = np.abs(e[np.isfinite(e)])
            logy = bool(finite.size and finite.min() > 0 and finite.max() / finite.min() > 100)
        labels = {k: v for k, v in extra.items() if k in ("x", "xlabel", "ylabel", "logy")}
        sink("curve", got=g, expected=e, **{"logy": logy, "title": title, **labels})


@contextlib.contextmanager
def use_policy(p: ComparisonPolicy) -> Iterator[ComparisonPolicy]:
    """Use ``p`` for the comparisons inside the ``with`` block (the plugin does this)."""
    token = _POLICY.set(p)
    try:
        yield p
    finally:
        _POLICY.reset(token)


def _fmt(x: Any) -> str:
    if isinstance(x, np.ndarray):
        if x.size <= 8:
            return np.array2string(x, precision=6, separator=", ")
        return f"array of shape {x.shape}"
    if isinstance(x, float):
        return f"{x:.6g}"
    return repr(x)[:200]


def _as_numeric(got: Any, what: str, case: str) -> np.ndarray:
    if isinstance(got, (bool, np.bool_)) or got is None or isinstance(got, (str, dict)):
        raise WrongAnswer(
            f"{what} should be a number or an array of numbers for {case}, "
            f"but your function returned {type(got).__name__} {_fmt(got)}."
        )
    try:
        arr = np.asarray(got)
    except (ValueError, TypeError):
        arr = np.asarray([], dtype=object)
    if arr.dtype.kind not in "fiuc" or arr.dtype == object:
        raise WrongAnswer(
            f"{what} should be numbers for {case}, but your function returned "
            f"{type(got).__name__} {_fmt(got)}."
        )
    return arr


def _overflowed(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    big = np.finfo(dtype).max if dtype.kind == "f" else np.finfo(np.float64).max
    with np.errstate(invalid="ignore", over="ignore"):
        return ~np.isfinite(x) | (np.abs(x) > big)


def _mismatch(got: np.ndarray, expected: np.ndarray, tol: Tolerance) -> np.ndarray:
    """Boolean mask of entries that differ (NaN matches NaN; overflow matches overflow)."""
    if got.dtype.kind in "fiu" and expected.dtype.kind in "fiu":
        # the usual case first: every entry finite and within tolerance (a NaN, an inf or
        # an overflow never is, and falls through to the full rules below)
        with np.errstate(invalid="ignore", over="ignore"):
            e = expected.astype(np.float64, copy=False)
            close = np.abs(got - e) <= tol.atol + tol.rtol * np.abs(e)
        if close.all():
            return ~close
    is_complex = expected.dtype.kind == "c" or got.dtype.kind == "c"
    e = expected.astype(np.complex128 if is_complex else np.float64)
    g = got.astype(e.dtype)
    student_dtype = got.dtype if got.dtype.kind == "f" else np.dtype(np.float64)
    e_over = _overflowed(e, student_dtype) if e.dtype.kind == "f" else ~np.isfinite(e)
    g_over = _overflowed(g, student_dtype) if g.dtype.kind == "f" else ~np.isfinite(g)
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.abs(g - e) <= tol.atol + tol.rtol * np.abs(e)
    both_nan = np.isnan(g) & np.isnan(e)
    same_inf = np.isinf(g) & np.isinf(e) & (np.sign(g.real) == np.sign(e.real))
    with np.errstate(invalid="ignore"):
        same_sign = (np.sign(g.real) == np.sign(e.real)) | np.isnan(g) | np.isnan(e)
    ok = np.where(e_over, g_over & same_sign, close | both_nan | same_inf)
    if got.dtype.kind == "c" and expected.dtype.kind != "c":
        # a complex answer where a real one is expected must have no imaginary part
        ok &= np.abs(got.imag) <= tol.atol + tol.rtol * np.abs(expected.astype(np.float64))
    return ~ok


def _matches(got: np.ndarray, candidate: Any, tol: Tolerance) -> bool:
    try:
        cand = np.asarray(candidate)
    except (ValueError, TypeError):
        return False
    if cand.dtype.kind not in "fiucb" or cand.shape != got.shape:
        return False
    return not _mismatch(got, cand, tol).any()


def expect_close(
    got: Any,
    expected: Any,
    *,
    what: str,
    case: str,
    mistakes: Mapping[str, Any] | None = None,
    tolerance: Tolerance | None = None,
) -> None:
    """Check a number or array against the reference, within the dtype's tolerance.

    Shapes must agree; for trajectories (first axis = iterate) a missing start point
    or an extra/missing step is named. ``mistakes`` are only examined once the answer
    is known to be wrong.
    """
    g = _as_numeric(got, what, case)
    e = np.asarray(expected)
    tol = tolerance or policy().tolerance(g.dtype)
    if g.shape == e.shape and not _mismatch(g, e, tol).any():
        return
    reveal = policy().reveal_expected
    _attach(g, e, what, case)
    for name, candidate in (mistakes or {}).items():
        if _matches(g, candidate, tol):
            first = _first_difference(g, e, tol, reveal) if g.shape == e.shape else ""
            raise WrongAnswer(f"{what} is wrong for {case}: it looks like {name}.{first}")
    if g.shape != e.shape:
        raise WrongAnswer(_shape_message(g, e, what, case, tol))
    raise WrongAnswer(f"{what} is wrong for {case}.{_first_difference(g, e, tol, reveal)}")


def _first_difference(g: np.ndarray, e: np.ndarray, tol: Tolerance, reveal: bool) -> str:
    bad = _mismatch(g, e, tol)
    if not bad.any():
        return ""
    if g.ndim == 0:
        text = f"\nYou returned {_fmt(g.item())}"
        return text + (f"; expected {_fmt(e.item())}." if reveal else ".")
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    where = index[0] if len(index) == 1 else index
    label = "index" if g.ndim == 1 else "index (iterate, coordinate)"
    text = f"\nFirst difference at {label} {where}: got {_fmt(g[index].item())}"
    if reveal:
        text += f", expected {_fmt(e[index].item())}"
    n_bad = int(bad.sum())
    if n_bad > 1:
        text += f" ({n_bad} of {bad.size} entries differ)"
    return text + "."


def _shape_message(g: np.ndarray, e: np.ndarray, what: str, case: str, tol: Tolerance) -> str:
    base = f"{what} has the wrong shape for {case}: expected {e.shape}, got {g.shape}."
    if g.ndim == e.ndim and g.ndim >= 1 and g.shape[1:] == e.shape[1:]:
        if g.shape[0] == e.shape[0] - 1:
            if _matches(g, e[1:], tol):
                return base + (
                    " Your trajectory is missing its start point: row 0 must be "
                    "the initial point x0, followed by one row per update."
                )
            if _matches(g, e[:-1], tol):
                return base + " Your trajectory stops one update early (off by one)."
            return base + " It has one row too few."
        if g.shape[0] == e.shape[0] + 1:
            if _matches(g[1:], e, tol) or _matches(g[:-1], e, tol):
                return base + (
                    " Your trajectory has one update too many (off by one): "
                    "n_steps updates give n_steps + 1 rows including x0."
                )
            return base + " It has one row too many."
    if g.size == e.size:
        return base + " The values may be right but arranged differently (check the axes)."
    return base


def _plain(value: Any) -> Any:
    """NumPy scalars as the Python values they stand for (``np.bool_(True)`` → ``True``)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


def expect_equal(
    got: Any,
    expected: Any,
    *,
    what: str,
    case: str,
    mistakes: Mapping[str, Any] | None = None,
) -> None:
    """Check an exact answer (a verdict string, a count, a boolean, a list of verdicts).

    NumPy scalars count as the Python values they hold, so ``np.bool_(True)`` answers
    ``True`` and ``np.int64(3)`` answers ``3``.
    """
    got, expected = _plain(got), _plain(expected)
    reveal = policy().reveal_expected
    if type(got) is not type(expected):
        raise WrongAnswer(
            f"{what} should be a {type(expected).__name__} for {case}, but your "
            f"function returned {type(got).__name__} {_fmt(got)}."
        )
    if got == expected:
        return
    for name, candidate in (mistakes or {}).items():
        if got == _plain(candidate):
            raise WrongAnswer(f"{what} is wrong for {case}: it looks like {name}.")
    text = f"{what} is wrong for {case}: you returned {_fmt(got)}"
    raise WrongAnswer(text + (f", expected {_fmt(expected)}." if reveal else "."))


def expect_raises(call: Callable[[], Any], exception: str, *, what: str, case: str) -> None:
    """Check that the student's code raises ``exception`` (a class name, e.g. ``"ValueError"``).

    ``call`` is a zero-argument function that calls the student, typically
    ``lambda: student.call("condition_number", [0.0, 1.0])``. A missing or
    unimplemented function, or a crash, is reported as such (not as a wrong answer).
    """
    try:
        got = call()
    except StudentCodeError as exc:
        if exc.exc_type == exception:
            return
        if exc.exc_type in ("", "NotImplementedError"):
            raise
        raise WrongAnswer(
            f"{what} should raise {exception} for {case}, but it raised {exc.exc_type}."
        ) from None
    raise WrongAnswer(
        f"{what} should raise {exception} for {case}, but it returned {_fmt(_plain(got))}."
    )


def expect_true(condition: bool, message: str) -> None:
    """Fail with ``message`` unless ``condition`` holds (for behavioural properties)."""
    if not condition:
        raise WrongAnswer(message)
