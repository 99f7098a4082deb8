"""Evidence a check attached, read back defensively and described in words.

A check attaches plain data with the ``evidence`` fixture (see
:class:`autograder.engine.plugin.Evidence`): a ``kind`` and named values, arrays
codec-encoded. The values inside came from the student's code, so everything is
decoded with the codec's validation and checked again here (numbers, shapes); an
item that does not fit is skipped, never trusted.

Three kinds are understood (others are ignored):

``trajectory``  ``got``, ``expected``: iterates, shape (n, 2) or (n,); optional
                ``landscape`` (a landscape or its spec) and ``title``.
``curve``       optional ``x``; ``got``, ``expected``: values, shape (n,); optional
                ``logy``, ``xlabel``, ``ylabel``, ``title``.
``multipliers`` ``eigenvalues``, ``alpha``; optional ``got`` / ``expected`` multipliers
                r_i = 1 − α·λ_i.

>>> import numpy as np
>>> from autograder.protocol.codec import encode
>>> item = {"kind": "curve", "got": encode(np.array([1.0, 0.5, 0.25])),
...         "expected": encode(np.array([1.0, 0.5, 0.25])), "title": "loss"}
>>> ev = read_evidence(item)
>>> ev.kind, ev.data["got"].tolist()
('curve', [1.0, 0.5, 0.25])
>>> describe(ev)
'loss: 3 values; last value yours 0.25, the reference 0.25.'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.errors import ProtocolViolation
from autograder.landscapes import Landscape, from_spec
from autograder.protocol.codec import DecodeLimits, decode
from autograder.results import CheckResult

__all__ = [
    "KINDS",
    "EvidenceItem",
    "describe",
    "evidence_visible",
    "read_evidence",
    "visible_items",
]

KINDS = ("trajectory", "curve", "multipliers")
"""The evidence kinds feedback knows how to draw and describe."""

_LIMITS = DecodeLimits(max_depth=8, max_items=50_000, max_array_bytes=4 * 1024 * 1024)
_MAX_LEN = 5_000
_MAX_TEXT = 120


@dataclass(frozen=True)
class EvidenceItem:
    """One validated evidence item: its kind and cleaned values (floats, arrays, text)."""

    kind: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))


def evidence_visible(check: CheckResult, show_hidden: bool) -> bool:
    """Pictures follow the message policy: public checks always, hidden ones with ``show_hidden``.

    >>> c = CheckResult("s", "a1", "gd_1d", "t", "T", "failed", 0, 1, "", 1, 0.0)
    >>> evidence_visible(c, False), evidence_visible(c, True)
    (False, True)
    """
    return check.visibility == "public" or show_hidden


def _text(value: Any) -> str:
    return value[:_MAX_TEXT] if isinstance(value, str) else ""


def _array(value: Any, *, ndims: tuple[int, ...] = (1,)) -> np.ndarray | None:
    """``value`` as a float array of an allowed rank, or None."""
    if value is None or isinstance(value, (str, bytes, dict, bool)):
        return None
    try:
        arr = np.asarray(value)
        if arr.dtype.kind not in "iuf":
            return None
        arr = arr.astype(float)
    except (TypeError, ValueError):
        return None
    if arr.ndim == 2 and arr.shape[1] == 1 and 1 in ndims:
        arr = arr[:, 0]
    if arr.ndim not in ndims or arr.size == 0 or len(arr) > _MAX_LEN:
        return None
    if arr.ndim == 2 and arr.shape[1] != 2:
        return None
    return arr


def _number(value: Any) -> float | None:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def _landscape(value: Any) -> Landscape | None:
    if isinstance(value, Landscape):
        return value
    if isinstance(value, dict):
        try:
            return from_spec(value)
        except (ValueError, TypeError):
            return None
    return None


def _clean_trajectory(raw: Mapping[str, Any]) -> dict[str, Any] | None:
    got = _array(raw.get("got"), ndims=(1, 2))
    expected = _array(raw.get("expected"), ndims=(1, 2))
    if got is None and expected is None:
        return None
    if got is not None and expected is not None and got.ndim != expected.ndim:
        return None
    return {
        "got": got,
        "expected": expected,
        "landscape": _landscape(raw.get("landscape")),
        "title": _text(raw.get("title")),
    }


def _clean_curve(raw: Mapping[str, Any]) -> dict[str, Any] | None:
    got = _array(raw.get("got"))
    expected = _array(raw.get("expected"))
    if got is None and expected is None:
        return None
    return {
        "x": _array(raw.get("x")),
        "got": got,
        "expected": expected,
        "logy": raw.get("logy") is True,
        "xlabel": _text(raw.get("xlabel")),
        "ylabel": _text(raw.get("ylabel")),
        "title": _text(raw.get("title")),
    }


def _clean_multipliers(raw: Mapping[str, Any]) -> dict[str, Any] | None:
    lam = _array(raw.get("eigenvalues"))
    alpha = _number(raw.get("alpha"))
    got = _array(raw.get("got"))
    expected = _array(raw.get("expected"))
    if expected is None and lam is not None and alpha is not None:
        expected = 1.0 - alpha * lam
    if got is None and expected is None:
        return None
    return {
        "eigenvalues": lam,
        "alpha": alpha,
        "got": got,
        "expected": expected,
        "title": _text(raw.get("title")),
    }


_CLEAN = {
    "trajectory": _clean_trajectory,
    "curve": _clean_curve,
    "multipliers": _clean_multipliers,
}


def read_evidence(item: Any) -> EvidenceItem | None:
    """Decode and validate one stored evidence item; None if unknown or malformed."""
    if not isinstance(item, Mapping) or item.get("kind") not in KINDS:
        return None
    try:
        raw = decode(dict(item), _LIMITS)
    except (ProtocolViolation, TypeError, ValueError, RecursionError):
        return None
    if not isinstance(raw, dict):
        return None
    data = _CLEAN[raw["kind"]](raw)
    return None if data is None else EvidenceItem(raw["kind"], data)


def visible_items(check: CheckResult, show_hidden: bool) -> list[EvidenceItem]:
    """The check's evidence that the policy lets the student see, validated."""
    if not check.evidence or not evidence_visible(check, show_hidden):
        return []
    return [ev for ev in map(read_evidence, check.evidence) if ev is not None]


# ---------------------------------------------------------------- plot-free text


def _fmt(value: Any) -> str:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return f"{float(arr):.4g}"
    return "(" + ", ".join(f"{v:.4g}" for v in arr.reshape(-1)) + ")"


def _first_nonfinite(arr: np.ndarray) -> int | None:
    bad = ~np.isfinite(arr.reshape(len(arr), -1)).all(axis=1)
    return int(np.argmax(bad)) if bad.any() else None


def _first_difference(got: np.ndarray, expected: np.ndarray) -> int | None:
    n = min(len(got), len(expected))
    close = np.isclose(got[:n], expected[:n], rtol=1e-6, atol=1e-9, equal_nan=True)
    rows = close.reshape(n, -1).all(axis=1)
    if not rows.all():
        return int(np.argmin(rows))
    return n if len(got) != len(expected) else None


def _describe_trajectory(d: dict[str, Any]) -> str:
    got, exp = d["got"], d["expected"]
    parts: list[str] = []
    where = f" on {d['landscape']}" if d["landscape"] is not None else ""
    if exp is not None:
        parts.append(
            f"the reference takes {len(exp)} iterates{where} from {_fmt(exp[0])} to {_fmt(exp[-1])}"
        )
    if got is not None:
        bad = _first_nonfinite(got)
        if bad is not None:
            parts.append(f"yours ({len(got)} iterates) stops being finite at iterate {bad}")
        else:
            parts.append(f"yours ({len(got)} iterates) ends at {_fmt(got[-1])}")
    if got is not None and exp is not None:
        k = _first_difference(got, exp)
        parts.append(
            "they agree at every iterate" if k is None else f"the first iterate that differs is {k}"
        )
    return "; ".join(parts) + "."


def _rate(values: np.ndarray) -> float | None:
    """Median ratio per step over the last half of a positive sequence (ρ on a semilog plot)."""
    tail = values[len(values) // 2 :]
    tail = tail[np.isfinite(tail) & (tail > 0)]
    if len(tail) < 3:
        return None
    return float(np.exp(np.median(np.diff(np.log(tail)))))


def _describe_curve(d: dict[str, Any]) -> str:
    got, exp = d["got"], d["expected"]
    n = len(got if got is not None else exp)
    text = f"{n} values"
    lasts = []
    if got is not None:
        lasts.append(f"yours {_fmt(got[-1])}")
    if exp is not None:
        lasts.append(f"the reference {_fmt(exp[-1])}")
    text += "; last value " + ", ".join(lasts)
    if d["logy"]:
        rates = []
        for who, arr in (("yours", got), ("the reference", exp)):
            rho = _rate(arr) if arr is not None else None
            if rho is not None:
                rates.append(f"{who} ρ ≈ {rho:.3g}")
        if rates:
            text += "; ratio per step over the second half: " + ", ".join(rates)
    return text + "."


def _regime(r: float) -> str:
    if not math.isfinite(r) or abs(r) > 1:
        return "diverges"
    if abs(r) == 1:
        return "does not converge"
    return "oscillates" if r < 0 else "converges monotonically"


def _describe_multipliers(d: dict[str, Any]) -> str:
    head = []
    if d["alpha"] is not None:
        head.append(f"α = {d['alpha']:.4g}")
    if d["eigenvalues"] is not None:
        head.append(f"λ = {_fmt(d['eigenvalues'])}")
    parts = [", ".join(head)] if head else []
    exp, got = d["expected"], d["got"]
    if exp is not None:
        regimes = ", ".join(f"{r:.4g} ({_regime(r)})" for r in exp)
        parts.append(f"r = 1 − αλ should be {regimes}")
    if got is not None:
        parts.append(f"yours {_fmt(got)}")
    parts.append("a direction converges when |r| < 1 and oscillates when r < 0")
    return "; ".join(parts) + "."


def describe(item: EvidenceItem) -> str:
    """One or two sentences saying what the picture of ``item`` shows (for text feedback)."""
    text = {
        "trajectory": _describe_trajectory,
        "curve": _describe_curve,
        "multipliers": _describe_multipliers,
    }[item.kind](item.data)
    if not item.title:
        return text[0].upper() + text[1:]
    return f"{item.title}: {text}"
