"""Loss landscapes of the course, as small immutable objects.

Every landscape the course uses is a *family* with a few numeric parameters,
for example ``Quadratic1D(lam=3.0, center=1.0)`` for L(w) = ½·λ·(w − c)².
A landscape offers ``loss``, ``grad`` and ``hessian``; all three work on
Python floats, NumPy arrays and PyTorch tensors alike (torch is never imported
here: a tensor argument is handled through its own methods), so the same
object can be handed to a hand-written NumPy loop or to an autograd loop.

Landscapes are how function-valued arguments cross the grading sandbox:
a landscape is described by :meth:`Landscape.spec` (plain JSON data) and rebuilt
on the other side by :func:`from_spec`. Only the families registered in
:data:`FAMILIES` can be rebuilt, so nothing else can be smuggled in.

Example
-------
>>> q = Quadratic1D(lam=2.0, center=3.0)
>>> q.loss(5.0), q.grad(5.0), q.hessian(5.0)
(4.0, 4.0, 2.0)
>>> from_spec(q.spec()) == q
True
>>> bowl = QuadraticForm.diagonal([2.0, 6.0])   # x² + 3y²
>>> bowl.grad([1.0, 1.0]).tolist()
[2.0, 6.0]
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import numpy as np

__all__ = [
    "FAMILIES",
    "DoubleWell",
    "Landscape",
    "Multimodal",
    "Quadratic1D",
    "QuadraticForm",
    "Rosenbrock",
    "from_spec",
]


def _short(value: Any) -> str:
    """A value rounded for messages: 4 significant digits, nested tuples as lists."""
    if isinstance(value, tuple):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:.4g}"
    return repr(value)


def _is_tensor(x: object) -> bool:
    return type(x).__module__.startswith("torch")


def _sin(x: Any) -> Any:
    return x.sin() if _is_tensor(x) else np.sin(x)


def _cos(x: Any) -> Any:
    return x.cos() if _is_tensor(x) else np.cos(x)


def _scalar_out(x: Any, value: Any) -> Any:
    """Return a Python float for Python-number input, the value otherwise."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return float(value)
    return value


class Landscape:
    """Base class: a named family with numeric parameters.

    Subclasses are frozen dataclasses that set ``family`` and implement
    ``loss``, ``grad`` and ``hessian``.
    """

    family: ClassVar[str] = ""

    def __str__(self) -> str:
        params = ", ".join(f"{f.name}={_short(getattr(self, f.name))}" for f in fields(self))  # type: ignore[arg-type]
        return f"{self.family}({params})"

    def spec(self) -> dict[str, Any]:
        """Plain-data description of this landscape (JSON-serialisable)."""
        params: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            params[f.name] = value.tolist() if isinstance(value, np.ndarray) else value
        return {"family": self.family, "params": params}

    def loss(self, x: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def grad(self, x: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def hessian(self, x: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class Quadratic1D(Landscape):
    """L(w) = ½·λ·(w − c)², L'(w) = λ·(w − c), L''(w) = λ (seeds 003, 004 §5).

    >>> Quadratic1D(lam=1.0).grad(5.0)
    5.0
    """

    lam: float = 1.0
    center: float = 0.0
    family: ClassVar[str] = "quadratic_1d"

    def loss(self, x: Any) -> Any:
        return _scalar_out(x, 0.5 * self.lam * (x - self.center) ** 2)

    def grad(self, x: Any) -> Any:
        return _scalar_out(x, self.lam * (x - self.center))

    def hessian(self, x: Any) -> Any:
        return _scalar_out(x, self.lam + 0.0 * x)


@dataclass(frozen=True)
class DoubleWell(Landscape):
    """L(w) = ½·(w² − 1)², L'(w) = 2w(w² − 1), L''(w) = 6w² − 2 (seed 004 §5).

    >>> DoubleWell().grad(2.0)
    12.0
    """

    family: ClassVar[str] = "double_well"

    def loss(self, x: Any) -> Any:
        return _scalar_out(x, 0.5 * (x**2 - 1.0) ** 2)

    def grad(self, x: Any) -> Any:
        return _scalar_out(x, 2.0 * x * (x**2 - 1.0))

    def hessian(self, x: Any) -> Any:
        return _scalar_out(x, 6.0 * x**2 - 2.0)


@dataclass(frozen=True)
class QuadraticForm(Landscape):
    """f(x) = ½ xᵀAx − bᵀx + c with symmetric A (seed 002; seed 001 §4.3).

    ∇f(x) = Ax − b, ∇²f(x) = A. ``A`` and ``b`` are stored as nested tuples so
    the object stays hashable and immutable; use :meth:`matrix` and
    :meth:`vector` for arrays. ``x`` may be a single point of shape (d,).

    >>> QuadraticForm.diagonal([2.0, -2.0]).loss([1.0, 1.0])   # x² − y²
    0.0
    """

    A: tuple[tuple[float, ...], ...] = ((1.0,),)
    b: tuple[float, ...] = (0.0,)
    c: float = 0.0
    family: ClassVar[str] = "quadratic_form"

    def __post_init__(self) -> None:
        a = np.asarray(self.A, dtype=float)
        if a.ndim != 2 or a.shape[0] != a.shape[1]:
            raise ValueError(f"A must be a square matrix, got shape {a.shape}")
        if not np.allclose(a, a.T):
            raise ValueError("A must be symmetric")
        b = np.asarray(self.b, dtype=float).reshape(-1)
        if b.size == 1 and a.shape[0] != 1 and not b.any():
            b = np.zeros(a.shape[0])
        if b.shape != (a.shape[0],):
            raise ValueError(f"b must have shape ({a.shape[0]},), got {b.shape}")
        object.__setattr__(self, "A", tuple(tuple(float(v) for v in row) for row in a))
        object.__setattr__(self, "b", tuple(float(v) for v in b))
        object.__setattr__(self, "c", float(self.c))

    @classmethod
    def diagonal(cls, eigenvalues: Any, b: Any = None, c: float = 0.0) -> QuadraticForm:
        """The axis-aligned quadratic ½ Σ λᵢ xᵢ² − bᵀx + c."""
        lam = np.asarray(eigenvalues, dtype=float)
        bb = np.zeros_like(lam) if b is None else np.asarray(b, dtype=float)
        return cls(A=tuple(map(tuple, np.diag(lam))), b=tuple(bb), c=c)

    def matrix(self) -> np.ndarray:
        return np.array(self.A, dtype=float)

    def vector(self) -> np.ndarray:
        return np.array(self.b, dtype=float)

    def _ab(self, x: Any) -> tuple[Any, Any, Any]:
        if _is_tensor(x):
            return x, x.new_tensor(self.A), x.new_tensor(self.b)
        return np.asarray(x, dtype=float), self.matrix(), self.vector()

    def loss(self, x: Any) -> Any:
        xx, a, b = self._ab(x)
        value = 0.5 * (xx @ (a @ xx)) - b @ xx + self.c
        return value if _is_tensor(x) else float(value)

    def grad(self, x: Any) -> Any:
        xx, a, b = self._ab(x)
        return a @ xx - b

    def hessian(self, x: Any) -> Any:
        return x.new_tensor(self.A) if _is_tensor(x) else self.matrix()

    def minimiser(self) -> np.ndarray:
        """x* = A⁻¹b (A must be invertible)."""
        return np.linalg.solve(self.matrix(), self.vector())


@dataclass(frozen=True)
class Multimodal(Landscape):
    """f(x, y) = sin(x)·cos(y) + s·(x² + y²), s = 0.1 by default (seed 001 §3.4).

    >>> round(Multimodal().loss([0.0, 0.0]), 12)
    0.0
    """

    scale: float = 0.1
    family: ClassVar[str] = "multimodal"

    def loss(self, x: Any) -> Any:
        p = x if _is_tensor(x) else np.asarray(x, dtype=float)
        value = _sin(p[0]) * _cos(p[1]) + self.scale * (p[0] ** 2 + p[1] ** 2)
        return value if _is_tensor(x) else float(value)

    def grad(self, x: Any) -> Any:
        p = x if _is_tensor(x) else np.asarray(x, dtype=float)
        gx = _cos(p[0]) * _cos(p[1]) + 2.0 * self.scale * p[0]
        gy = -_sin(p[0]) * _sin(p[1]) + 2.0 * self.scale * p[1]
        return _stack(x, gx, gy)

    def hessian(self, x: Any) -> Any:
        p = np.asarray(x.detach().cpu().numpy() if _is_tensor(x) else x, dtype=float)
        s, c = math.sin(p[0]), math.cos(p[0])
        sy, cy = math.sin(p[1]), math.cos(p[1])
        h = np.array([[-s * cy + 2 * self.scale, -c * sy], [-c * sy, -s * cy + 2 * self.scale]])
        return x.new_tensor(h) if _is_tensor(x) else h


def _stack(x: Any, a: Any, b: Any) -> Any:
    """Stack two components like ``x`` (a tensor keeps its autograd graph)."""
    if _is_tensor(x):
        return sys.modules["torch"].stack([a, b])
    return np.array([a, b], dtype=float)


@dataclass(frozen=True)
class Rosenbrock(Landscape):
    """f(x, y) = (a − x)² + b·(y − x²)², minimum at (a, a²).

    >>> bool(np.all(Rosenbrock().grad([1.0, 1.0]) == 0.0))
    True
    """

    a: float = 1.0
    b: float = 100.0
    family: ClassVar[str] = "rosenbrock"

    def loss(self, x: Any) -> Any:
        p = x if _is_tensor(x) else np.asarray(x, dtype=float)
        value = (self.a - p[0]) ** 2 + self.b * (p[1] - p[0] ** 2) ** 2
        return value if _is_tensor(x) else float(value)

    def grad(self, x: Any) -> Any:
        p = x if _is_tensor(x) else np.asarray(x, dtype=float)
        gx = -2.0 * (self.a - p[0]) - 4.0 * self.b * p[0] * (p[1] - p[0] ** 2)
        gy = 2.0 * self.b * (p[1] - p[0] ** 2)
        return _stack(x, gx, gy)

    def hessian(self, x: Any) -> Any:
        p = np.asarray(x.detach().cpu().numpy() if _is_tensor(x) else x, dtype=float)
        h = np.array(
            [
                [2.0 - 4.0 * self.b * (p[1] - 3.0 * p[0] ** 2), -4.0 * self.b * p[0]],
                [-4.0 * self.b * p[0], 2.0 * self.b],
            ]
        )
        return x.new_tensor(h) if _is_tensor(x) else h


FAMILIES: dict[str, type[Landscape]] = {
    cls.family: cls for cls in (Quadratic1D, DoubleWell, QuadraticForm, Multimodal, Rosenbrock)
}
"""The only landscapes that can be rebuilt from a spec."""

_MAX_PARAM_ITEMS = 10_000


def from_spec(spec: Any) -> Landscape:
    """Rebuild a landscape from :meth:`Landscape.spec` output, validating it.

    Raises ``ValueError`` for an unknown family, unknown parameters or
    parameters that are not plain numbers (or nested lists of numbers).

    >>> from_spec({"family": "double_well", "params": {}})
    DoubleWell()
    >>> from_spec({"family": "os.system", "params": {}})
    Traceback (most recent call last):
    ...
    ValueError: unknown landscape family 'os.system'
    """
    if not isinstance(spec, dict) or set(spec) != {"family", "params"}:
        raise ValueError("a landscape spec is a dict with exactly 'family' and 'params'")
    family, params = spec["family"], spec["params"]
    cls = FAMILIES.get(family) if isinstance(family, str) else None
    if cls is None:
        raise ValueError(f"unknown landscape family {family!r}")
    if not isinstance(params, dict):
        raise ValueError("landscape params must be a dict")
    allowed = {f.name for f in fields(cls)}
    unknown = set(params) - allowed
    if unknown:
        raise ValueError(f"unknown parameters for {family}: {sorted(unknown)}")
    clean: dict[str, Any] = {}
    for name, value in params.items():
        arr = np.asarray(value, dtype=object)
        if arr.size > _MAX_PARAM_ITEMS:
            raise ValueError(f"parameter {name!r} is too large")
        flat = arr.reshape(-1).tolist()
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in flat):
            raise ValueError(f"parameter {name!r} must be numbers")
        clean[name] = value
    return cls(**clean)
