"""Figures for feedback and reports, drawn with matplotlib's Agg canvas into PNG bytes.

Every function takes plain data and returns the bytes of a PNG: no pyplot, nothing
written to disk, the same bytes for the same data. Text that ends up in a figure is
drawn literally (``parse_math=False``). Creating axes costs more than drawing them, so
evidence pictures reuse the figure of the previous picture of the same size (the test
suite checks that the pixels are those of a fresh figure); draw from one thread per
process.

>>> import numpy as np
>>> from autograder.views.evidence import EvidenceItem
>>> png = curve_png(EvidenceItem("curve", {"x": None, "got": np.array([1.0, 0.5]),
...     "expected": np.array([1.0, 0.25]), "logy": True, "xlabel": "k", "ylabel": "loss",
...     "title": ""}))
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import (
    AutoLocator,
    LogLocator,
    MaxNLocator,
    NullFormatter,
    NullLocator,
    ScalarFormatter,
)
from PIL import Image

from autograder.landscapes import Landscape, QuadraticForm
from autograder.views.evidence import EvidenceItem

__all__ = [
    "REFERENCE",
    "YOURS",
    "boxplot_png",
    "curve_png",
    "evidence_png",
    "histogram_png",
    "multipliers_png",
    "pass_rate_png",
    "trajectory_png",
]

YOURS = "#d9480f"
"""Colour of the student's data (orange; the reference is blue: safe for colour blindness)."""
REFERENCE = "#1c7ed6"
DPI = 80
"""Feedback pictures: about 400–640 px wide."""
REPORT_DPI = 100
"""Class report charts: up to 900 px wide, their labels readable."""


_KEPT: dict[tuple[float, ...], tuple[Figure, list[Axes]]] = {}
"""Figures kept for reuse, by size and margins: creating axes and their ticks costs more
than drawing them, so a picture reuses the figure of the previous one with the same
layout after :func:`_reset` took every artist of that picture away."""


def _figure(
    width: float,
    height: float,
    ncols: int = 1,
    *,
    left: float = 0.75,
    bottom: float = 0.5,
    right: float = 0.2,
) -> tuple[Figure, list[Axes]]:
    """A figure with fixed margins in inches (a layout engine costs more than the drawing)."""
    key = (width, height, ncols, left, bottom, right)
    if key in _KEPT:
        fig, axes = _KEPT[key]
        for ax in axes:
            _reset(ax)
        return fig, axes
    fig = Figure(figsize=(width, height), dpi=DPI)
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - 0.35 / height,
        wspace=0.35,
    )
    axes = [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]
    for ax in axes:
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=8)
    if len(_KEPT) < 32:
        _KEPT[key] = (fig, axes)
    return fig, axes


def _reset(ax: Axes) -> None:
    """Take a kept axes back to how :func:`_figure` made it."""
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images]:
        artist.remove()
    ax.containers.clear()
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    for which in ("left", "center", "right"):
        ax.set_title("", loc=which)
    ax.set_xlabel("")
    ax.set_ylabel("")
    if ax.get_xscale() != "linear":
        ax.set_xscale("linear")
    if ax.get_yscale() != "linear":
        ax.set_yscale("linear")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(AutoLocator())
        axis.set_major_formatter(ScalarFormatter())
        axis.set_minor_locator(NullLocator())
        axis.set_inverted(False)
    ax.spines["left"].set_visible(True)
    ax.spines["bottom"].set_visible(True)
    ax.grid(False)
    ax.relim()
    ax.set_autoscale_on(True)
    ax.autoscale_view()


def _lean_ticks(ax: Axes) -> None:
    """Few major ticks and unlabelled minor ones: tick labels are most of the drawing time."""
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "log":
            axis.set_major_locator(LogLocator(numticks=6))
            axis.set_minor_locator(LogLocator(subs=(2.0, 5.0), numticks=6))
            axis.set_minor_formatter(NullFormatter())
        elif type(axis.get_major_locator()) is AutoLocator:
            axis.set_major_locator(MaxNLocator(nbins=5))


def _png(fig: Figure, dpi: int = DPI) -> bytes:
    """Draw ``fig`` on its own Agg canvas (kept with the figure: ``savefig`` would set up
    a new one each time) and encode the pixels as PNG, without metadata."""
    for ax in fig.axes:
        _lean_ticks(ax)
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(fig)
    if fig.get_dpi() != dpi:
        fig.set_dpi(dpi)
    canvas.draw()
    buf = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB").save(
        buf, format="png", compress_level=3
    )
    return buf.getvalue()


def _title(ax: Axes, text: str) -> None:
    """A title above the axes, on the left (plain text: cheaper than ``set_title``)."""
    if text:
        ax.text(
            0.0,
            1.03,
            text[:120],
            transform=ax.transAxes,
            fontsize=10,
            va="bottom",
            parse_math=False,
        )


def _key(
    ax: Axes,
    entries: Sequence[tuple[str, str]],
    *,
    x: float = 0.98,
    top: bool = True,
    ha: str = "right",
) -> None:
    """A small legend of coloured words, one per line (a ``Legend`` costs a third of a
    picture's drawing time)."""
    for i, (text, colour) in enumerate(entries):
        y = 0.97 - 0.075 * i if top else 0.03 + 0.075 * (len(entries) - 1 - i)
        ax.text(
            x,
            y,
            text,
            transform=ax.transAxes,
            color=colour,
            fontsize=8,
            parse_math=False,
            ha=ha,
            va="top" if top else "bottom",
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 0.5},
        )


_RUNS = (("— × yours", YOURS), ("‐‐ ○ reference", REFERENCE))


def _label(ax: Axes, xlabel: str, ylabel: str) -> None:
    if xlabel:
        ax.set_xlabel(xlabel[:80], parse_math=False)
    if ylabel:
        ax.set_ylabel(ylabel[:80], parse_math=False)


def _finite_rows(arr: np.ndarray) -> np.ndarray:
    return np.isfinite(arr.reshape(len(arr), -1)).all(axis=1)


def _window(points: Sequence[np.ndarray], ref: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Axis limits (lo, hi) per coordinate: around the reference, widened for the student
    unless their iterates run far away (then they leave the window, visibly)."""
    base = ref[_finite_rows(ref)] if ref is not None else np.empty((0, points[0].shape[1]))
    if len(base) == 0:
        base = np.concatenate([p[_finite_rows(p)] for p in points])
    if len(base) == 0:
        return np.array([-1.0, -1.0]), np.array([1.0, 1.0])
    lo, hi = base.min(axis=0), base.max(axis=0)
    span = np.maximum(hi - lo, 1e-12)
    big = float(span.max())
    span = np.maximum(span, 0.3 * big)
    centre = (lo + hi) / 2
    lo, hi = centre - 0.6 * span, centre + 0.6 * span
    for p in points:
        fine = p[_finite_rows(p)]
        near = fine[np.all((fine > lo - 2 * span) & (fine < hi + 2 * span), axis=1)]
        if len(near):
            lo, hi = np.minimum(lo, near.min(axis=0)), np.maximum(hi, near.max(axis=0))
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


def _grid_loss(landscape: Landscape, lo: np.ndarray, hi: np.ndarray) -> tuple:
    """The loss on a grid over the window: 70² points for a quadratic (one einsum), 40²
    point-by-point evaluations otherwise (enough for smooth contours at this size)."""
    quadratic = isinstance(landscape, QuadraticForm)
    n = 70 if quadratic else 40
    xs, ys = np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n)
    gx, gy = np.meshgrid(xs, ys)
    if isinstance(landscape, QuadraticForm):
        a, b = landscape.matrix(), landscape.vector()
        pts = np.stack([gx, gy], axis=-1)
        z = 0.5 * np.einsum("...i,ij,...j->...", pts, a, pts) - pts @ b + landscape.c
    else:
        z = np.array([[float(landscape.loss([x, y])) for x in xs] for y in ys])
    return gx, gy, z


def _contours(ax: Axes, landscape: Landscape, lo: np.ndarray, hi: np.ndarray) -> None:
    try:
        gx, gy, z = _grid_loss(landscape, lo, hi)
    except (ValueError, TypeError, ArithmeticError):
        return
    z = np.where(np.isfinite(z), z, np.nan)
    if not np.isfinite(z).any() or np.nanmax(z) <= np.nanmin(z):
        return
    levels = np.unique(np.nanquantile(z, np.linspace(0.02, 0.98, 14)))
    if len(levels) >= 2:
        ax.contour(gx, gy, z, levels=levels, colors="#adb5bd", linewidths=0.7)
        ax.contourf(gx, gy, z, levels=levels, cmap="Greys", alpha=0.15)


def _minimiser(landscape: Landscape | None) -> np.ndarray | None:
    if isinstance(landscape, QuadraticForm) and len(landscape.b) == 2:
        try:
            m = landscape.minimiser()
        except np.linalg.LinAlgError:
            return None
        if np.all(np.linalg.eigvalsh(landscape.matrix()) > 0):
            return m
    return None


def _left_window_note(ax: Axes, got: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
    rows = got.reshape(len(got), -1)
    inside = _finite_rows(got) & np.all((rows >= lo) & (rows <= hi), axis=1)
    if not inside.all():
        k = int(np.argmin(inside))
        ax.text(
            0.99,
            0.01,
            f"your iterates leave the plot at k = {k}",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            color=YOURS,
            fontsize=8,
        )


def _trajectory_2d(ax: Axes, d: dict[str, Any]) -> None:
    got, exp, land = d["got"], d["expected"], d["landscape"]
    paths = [p for p in (got, exp) if p is not None]
    lo, hi = _window(paths, exp)
    if land is not None and _dims(land) == 2:
        _contours(ax, land, lo, hi)
    if exp is not None:
        ax.plot(
            exp[:, 0],
            exp[:, 1],
            "o--",
            color=REFERENCE,
            ms=3.5,
            lw=1.2,
            mfc="white",
            label="reference",
        )
    if got is not None:
        ax.plot(got[:, 0], got[:, 1], "x-", color=YOURS, ms=4, lw=1.4, label="yours")
        _left_window_note(ax, got, lo, hi)
    start = (exp if exp is not None else got)[0]
    if np.all(np.isfinite(start)):
        ax.plot(*start, "ks", ms=5, label="start")
    m = _minimiser(land)
    if m is not None:
        ax.plot(*m, "*", color="#2b8a3e", ms=10, label="minimum")
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    key = [*_RUNS, ("■ start", "black")]
    if m is not None and np.all((m >= lo) & (m <= hi)):
        key.append(("★ minimum", "#2b8a3e"))
    _key(ax, key, x=1.03, ha="left")


def _dims(land: Landscape) -> int:
    if isinstance(land, QuadraticForm):
        return len(land.b)
    return 1 if land.family in ("quadratic_1d", "double_well") else 2


def _series(ax: Axes, x: np.ndarray | None, y: np.ndarray, style: str, **kw: Any) -> None:
    xs = x if x is not None and len(x) == len(y) else np.arange(len(y))
    ax.plot(xs, y, style, **kw)


def _trajectory_1d(axes: list[Axes], d: dict[str, Any]) -> None:
    got, exp, land = d["got"], d["expected"], d["landscape"]
    ax = axes[-1]
    if exp is not None:
        _series(ax, None, exp, "o--", color=REFERENCE, ms=3.5, mfc="white", label="reference")
    if got is not None:
        _series(ax, None, got, "x-", color=YOURS, ms=4, label="yours")
    ref = (exp if exp is not None else got).reshape(-1, 1)
    lo, hi = _window([p.reshape(-1, 1) for p in (got, exp) if p is not None], ref)
    ax.set_ylim(lo[0], hi[0])
    ax.set_xlabel("step k")
    ax.set_ylabel("w_k")
    ax.axhline(0, color="#ced4da", lw=0.8, zorder=0)
    _key(ax, _RUNS)
    if len(axes) == 2 and land is not None:
        left = axes[0]
        ws = np.linspace(lo[0], hi[0], 200)
        left.plot(ws, [float(land.loss(float(w))) for w in ws], color="#868e96", lw=1)
        for arr, color, marker in ((exp, REFERENCE, "o--"), (got, YOURS, "x-")):
            if arr is None:
                continue
            keep = np.isfinite(arr) & (arr >= lo[0]) & (arr <= hi[0])
            pts = arr[keep]
            left.plot(
                pts,
                [float(land.loss(float(w))) for w in pts],
                marker,
                color=color,
                ms=4,
                lw=0.9,
                mfc="white" if color == REFERENCE else color,
            )
        left.set_xlabel("w")
        left.set_ylabel("L(w)")
        left.set_xlim(lo[0], hi[0])
        _title(left, str(land))


def trajectory_png(item: EvidenceItem) -> bytes:
    """The student's iterates against the reference's, on the landscape's contours."""
    d = item.data
    arr = d["expected"] if d["expected"] is not None else d["got"]
    if arr.ndim == 2:
        fig, axes = _figure(6.0, 4.0, right=1.25)
        _trajectory_2d(axes[0], d)
    else:
        two = d["landscape"] is not None and _dims(d["landscape"]) == 1
        fig, axes = _figure(8.0 if two else 5.0, 3.2, ncols=2 if two else 1)
        _trajectory_1d(axes, d)
    return _png(fig)


def curve_png(item: EvidenceItem) -> bytes:
    """A curve (loss, gradient norm, learning-rate schedule) against the reference's."""
    d = item.data
    fig, (ax,) = _figure(5.0, 3.2)
    got, exp = d["got"], d["expected"]
    if d["logy"]:
        ax.set_yscale("log")
    for arr, style, color, label in (
        (exp, "--", REFERENCE, "reference"),
        (got, "-", YOURS, "yours"),
    ):
        if arr is None:
            continue
        y = np.where(np.isfinite(arr), arr, np.nan)
        if d["logy"]:
            y = np.where(y > 0, y, np.nan)
        _series(ax, d["x"], y, style, color=color, lw=1.6, label=label)
    if exp is not None and got is not None and not d["logy"]:
        fine = exp[np.isfinite(exp)]
        if len(fine):
            lo, hi = float(fine.min()), float(fine.max())
            span = max(hi - lo, 1e-12)
            fg = got[np.isfinite(got)]
            if len(fg) and (fg.max() > hi + 5 * span or fg.min() < lo - 5 * span):
                ax.set_ylim(lo - 0.5 * span, hi + 0.5 * span)
                ax.text(
                    0.99,
                    0.98,
                    "your values leave the plot",
                    transform=ax.transAxes,
                    ha="right",
                    va="top",
                    color=YOURS,
                    fontsize=8,
                )
    _label(ax, d["xlabel"] or "step k", d["ylabel"])
    _key(ax, _RUNS)
    ax.grid(True, which="major", color="#e9ecef", lw=0.6)
    return _png(fig)


def multipliers_png(item: EvidenceItem) -> bytes:
    """Where each multiplier r_i = 1 − α·λ_i falls against the stable interval [−1, 1]."""
    d = item.data
    got, exp, lam = d["got"], d["expected"], d["eigenvalues"]
    n = max(len(a) for a in (got, exp) if a is not None)
    fig, (ax,) = _figure(6.0, 1.2 + 0.38 * n)
    values = np.concatenate([a[np.isfinite(a)] for a in (got, exp) if a is not None] or [[0.0]])
    lo = max(min(-1.5, float(values.min()) - 0.3) if len(values) else -1.5, -4.0)
    hi = min(max(1.5, float(values.max()) + 0.3) if len(values) else 1.5, 4.0)
    ax.axvspan(-1, 1, color="#d3f9d8", zorder=0)
    ax.axvspan(lo, -1, color="#ffe3e3", zorder=0)
    ax.axvspan(1, hi, color="#ffe3e3", zorder=0)
    for v in (-1, 1):
        ax.axvline(v, color="#2b8a3e", lw=1)
    ax.axvline(0, color="#868e96", lw=0.8, ls=":")
    for arr, marker, color, label, size in (
        (exp, "o", REFERENCE, "r = 1 − αλ (reference)", 8),
        (got, "x", YOURS, "yours", 9),
    ):
        if arr is None:
            continue
        ys = np.arange(len(arr))
        shown = np.clip(np.where(np.isfinite(arr), arr, np.sign(np.nan_to_num(arr)) * hi), lo, hi)
        clipped = shown != arr
        ax.plot(
            shown,
            ys,
            marker,
            color=color,
            ms=size,
            mfc="none" if marker == "o" else color,
            mew=1.8,
            ls="none",
            label=label,
        )
        for y, v, c in zip(ys, arr, clipped, strict=True):
            if c:
                ax.annotate(
                    f"{v:.3g}",
                    (hi if v > 0 else lo, y),
                    xytext=(-4 if v > 0 else 4, 6),
                    textcoords="offset points",
                    ha="right" if v > 0 else "left",
                    color=color,
                    fontsize=7,
                )
    labels = [f"λ = {v:.3g}" for v in lam] if lam is not None and len(lam) == n else None
    ax.set_yticks(range(n), labels or [f"i = {i}" for i in range(n)])
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlim(lo, hi)
    ax.invert_yaxis()
    ax.set_xlabel("multiplier r   (|r| < 1 converges; r < 0 oscillates)")
    ax.spines["left"].set_visible(False)
    _title(ax, f"α = {d['alpha']:.4g}" if d["alpha"] is not None else "")
    _key(ax, [("× yours", YOURS), ("○ r = 1 − αλ (reference)", REFERENCE)], top=False)
    return _png(fig)


_DRAW = {"trajectory": trajectory_png, "curve": curve_png, "multipliers": multipliers_png}


def evidence_png(item: EvidenceItem) -> bytes | None:
    """The picture of one evidence item, or None if it cannot be drawn."""
    draw = _DRAW.get(item.kind)
    if draw is None:
        return None
    try:
        return draw(item)
    except (ValueError, TypeError, ArithmeticError, IndexError, OverflowError):
        return None


# ---------------------------------------------------------------- class report


def histogram_png(scores: Sequence[float], max_score: float, *, title: str = "") -> bytes:
    """Histogram of scores in points, with the median marked."""
    fig, (ax,) = _figure(6.4, 3.0)
    top = max_score if max_score > 0 else max([*scores, 1.0])
    bins = np.linspace(0, top, 21)
    ax.hist(np.clip(scores, 0, top), bins=bins, color="#4c6ef5", edgecolor="white")
    if scores:
        med = float(np.median(scores))
        ax.axvline(med, color="#212529", ls="--", lw=1)
        right = med > 0.7 * top  # near the right edge the label goes to the line's left
        ax.text(
            med,
            ax.get_ylim()[1] * 0.97,
            f"median {med:.3g} " if right else f" median {med:.3g}",
            va="top",
            ha="right" if right else "left",
            fontsize=8,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 0.5},
        )
    ax.set_xlim(0, top)
    ax.set_xlabel(f"score (out of {top:g})")
    ax.set_ylabel("submissions")
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    _title(ax, title)
    return _png(fig, REPORT_DPI)


def _rate_colour(rate: float) -> str:
    return "#e03131" if rate < 0.5 else "#f08c00" if rate < 0.8 else "#2f9e44"


def _label_margin(labels: Sequence[str], size: float = 7) -> float:
    """Inches of left margin that fit the longest label at ``size`` points."""
    longest = max((len(label) for label in labels), default=4)
    return min(4.2, 0.25 + longest * size * 0.55 / 72)


def pass_rate_png(rows: Sequence[tuple[str, float]], *, title: str = "") -> bytes:
    """Horizontal bars of pass rate per check, lowest first (``rows``: label, rate 0..1)."""
    n = max(len(rows), 1)
    labels = [label if len(label) <= 72 else label[:71] + "…" for label, _ in rows]
    fig, (ax,) = _figure(9.0, 0.9 + 0.2 * n, left=_label_margin(labels), bottom=0.45)
    ys = np.arange(len(rows))
    rates = [100 * r for _, r in rows]
    ax.barh(ys, rates, color=[_rate_colour(r) for _, r in rows], height=0.75)
    ax.set_yticks(ys, labels, fontsize=7)
    for y, r in zip(ys, rates, strict=True):
        ax.text(min(r, 100) + 1, y, f"{r:.0f}%", va="center", fontsize=7)
    ax.set_xlim(0, 108)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel("pass rate (%)")
    ax.axvline(50, color="#adb5bd", lw=0.7, ls=":")
    _title(ax, title)
    return _png(fig, REPORT_DPI)


def boxplot_png(groups: Sequence[tuple[str, Sequence[float]]], *, xlabel: str) -> bytes:
    """Box plots (log scale) of per-submission times per group, e.g. exercise."""
    groups = [(name, [v for v in vals if v > 0 and math.isfinite(v)]) for name, vals in groups]
    groups = [(name[:40], vals) for name, vals in groups if vals]
    left = _label_margin([name for name, _ in groups], size=8)
    fig, (ax,) = _figure(7.0, 1.0 + 0.35 * max(len(groups), 1), left=left)
    if groups:
        ax.boxplot(
            [vals for _, vals in groups],
            orientation="horizontal",
            widths=0.6,
            flierprops={"markersize": 3, "markeredgecolor": "#868e96"},
            medianprops={"color": YOURS},
        )
        ax.set_yticks(range(1, len(groups) + 1), [name for name, _ in groups])
        ax.set_xscale("log")
        ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    return _png(fig, REPORT_DPI)
