"""The class report of one assignment, for instructors: where the class stands and what
went wrong, as one self-contained HTML page plus a CSV of pass rates per check.

:func:`class_stats` turns results into numbers (pure); :func:`class_report_html` and
:func:`write_pass_rates_csv` present them.

* score distribution (histogram) and per-exercise points;
* pass rate per check, lowest first, so common misconceptions stand out (bar chart
  and table);
* timing per exercise (median check duration, per-submission time in the exercise)
  and per submission (``details["seconds"]``);
* counts of timeouts, errors and grader faults;
* submissions that stand out: zero score, every check timed out, no check ran, far
  slower than the rest, grader faults.

>>> from autograder.results import CheckResult, SubmissionResult
>>> def sub(name, status):
...     c = CheckResult(name, "a1", "gd_1d", "t", "One step", status,
...                     2.0 if status == "passed" else 0.0, 2.0, "", 1, 0.01)
...     return SubmissionResult(name, "a1", (c,), seed=1, details={"seconds": 0.5})
>>> stats = class_stats([sub("ann", "passed"), sub("bob", "failed")])
>>> stats.checks[0].pass_rate, [s.submission for s in stats.standouts]
(0.5, ['bob'])
"""

from __future__ import annotations

import csv
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import numpy as np

from autograder.results import SubmissionResult
from autograder.views.figures import boxplot_png, histogram_png, pass_rate_png
from autograder.views.html_page import esc, image, page, status_badge

__all__ = [
    "CheckStats",
    "ClassStats",
    "ExerciseStats",
    "Standout",
    "class_report_html",
    "class_stats",
    "write_pass_rates_csv",
]

MAX_BARS = 40
"""The pass-rate chart shows at most this many checks (the lowest); the table shows all."""


@dataclass(frozen=True)
class CheckStats:
    """How the class did on one check."""

    exercise: str
    check: str
    title: str
    visibility: str
    max_points: float
    counts: Mapping[str, int]
    """Submissions per status (passed, failed, error, timeout, skipped)."""
    grader_faults: int
    mean_points: float
    median_seconds: float

    @property
    def ran(self) -> int:
        """Submissions where the check ran (not skipped)."""
        return sum(self.counts.values()) - self.counts.get("skipped", 0)

    @property
    def pass_rate(self) -> float | None:
        """Passed / ran; None if it never ran."""
        return self.counts.get("passed", 0) / self.ran if self.ran else None


@dataclass(frozen=True)
class ExerciseStats:
    """Points and time of one exercise across the class."""

    exercise: str
    title: str
    max_points: float
    mean_points: float
    full_marks: int
    median_check_seconds: float
    seconds: tuple[float, ...]
    """Per submission: the summed duration of the exercise's checks."""
    timeouts: int
    errors: int
    grader_faults: int

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds) if self.seconds else 0.0

    @property
    def p90_seconds(self) -> float:
        return float(np.percentile(self.seconds, 90)) if self.seconds else 0.0


@dataclass(frozen=True)
class Standout:
    """A submission worth a look, and why."""

    submission: str
    score: float
    max_score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ClassStats:
    """Everything the class report shows, as numbers."""

    assignment: str
    scores: tuple[float, ...]
    max_score: float
    checks: tuple[CheckStats, ...]
    """Sorted by pass rate, lowest first (never-run checks last)."""
    exercises: tuple[ExerciseStats, ...]
    submission_seconds: tuple[float, ...]
    standouts: tuple[Standout, ...]
    totals: Mapping[str, int] = field(default_factory=dict)
    """Check results per status, plus ``grader_faults``, over the whole class."""

    @property
    def n(self) -> int:
        return len(self.scores)


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def _check_stats(results: Sequence[SubmissionResult]) -> list[CheckStats]:
    groups: dict[tuple[str, str], list] = {}
    for r in results:
        for c in r.checks:
            groups.setdefault((c.exercise, c.check), []).append(c)
    out = []
    for (exercise, check), cs in groups.items():
        counts = {s: 0 for s in ("passed", "failed", "error", "timeout", "skipped")}
        for c in cs:
            counts[c.status] = counts.get(c.status, 0) + 1
        out.append(
            CheckStats(
                exercise=exercise,
                check=check,
                title=cs[0].title,
                visibility=cs[0].visibility,
                max_points=max(c.max_points for c in cs),
                counts=counts,
                grader_faults=sum(c.grader_fault for c in cs),
                mean_points=round(sum(c.points for c in cs) / len(cs), 6),
                median_seconds=_median([c.duration for c in cs]),
            )
        )
    out.sort(key=lambda s: (s.pass_rate is None, s.pass_rate or 0.0, s.exercise, s.check))
    return out


def _exercise_stats(
    results: Sequence[SubmissionResult], order: Sequence[str], titles: Mapping[str, str]
) -> list[ExerciseStats]:
    per: dict[str, list[list]] = {}
    for r in results:
        for exercise, cs in r.by_exercise().items():
            per.setdefault(exercise, []).append(cs)
    names = [e for e in order if e in per] + sorted(e for e in per if e not in order)
    out = []
    for e in names:
        subs = per[e]
        points = [sum(c.points for c in cs) for cs in subs]
        top = max(sum(c.max_points for c in cs) for cs in subs)
        flat = [c for cs in subs for c in cs]
        out.append(
            ExerciseStats(
                exercise=e,
                title=titles.get(e, e),
                max_points=top,
                mean_points=round(sum(points) / len(points), 6),
                full_marks=sum(p >= top - 1e-9 for p in points) if top > 0 else 0,
                median_check_seconds=_median([c.duration for c in flat]),
                seconds=tuple(round(sum(c.duration for c in cs), 6) for cs in subs),
                timeouts=sum(c.status == "timeout" for c in flat),
                errors=sum(c.status == "error" and not c.grader_fault for c in flat),
                grader_faults=sum(c.grader_fault for c in flat),
            )
        )
    return out


def _seconds(r: SubmissionResult) -> float | None:
    value = r.details.get("seconds") if isinstance(r.details, Mapping) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def slow_threshold(seconds: Sequence[float]) -> float | None:
    """Above this a submission's time stands out: the upper Tukey fence Q3 + 3·IQR, and at
    least twice the median (None with fewer than 5 submissions).

    >>> slow_threshold([1.0, 1.1, 0.9, 1.2, 1.0, 1.05])  # 2 × median 1.025
    2.05
    """
    if len(seconds) < 5:
        return None
    q1, med, q3 = np.percentile(seconds, [25, 50, 75])
    return round(float(max(q3 + 3 * (q3 - q1), 2 * med)), 6)


def _standouts(results: Sequence[SubmissionResult]) -> list[Standout]:
    times = [t for t in map(_seconds, results) if t is not None]
    slow = slow_threshold(times)
    median = _median(times)
    out = []
    for r in results:
        reasons = []
        faults = [c.title for c in r.checks if c.grader_fault]
        if faults:
            what = "1 check" if len(faults) == 1 else f"{len(faults)} checks"
            reasons.append(f"grader faults on {what} ({', '.join(faults[:3])})")
        ran = [c for c in r.checks if c.status != "skipped"]
        if not r.checks:
            reasons.append("no check ran")
        elif ran and all(c.status == "timeout" for c in ran):
            reasons.append("every check timed out")
        if r.max_score > 0 and r.score <= 0:
            reasons.append("zero score")
        t = _seconds(r)
        if slow is not None and t is not None and t > slow:
            reasons.append(f"slow: {t:.3g} s (median {median:.3g} s)")
        if reasons:
            out.append(Standout(r.submission, r.score, r.max_score, tuple(reasons)))
    out.sort(key=lambda s: (not s.reasons[0].startswith("grader"), s.score, s.submission))
    return out


def class_stats(
    results: Sequence[SubmissionResult],
    *,
    exercises: Sequence[str] = (),
    titles: Mapping[str, str] | None = None,
) -> ClassStats:
    """The numbers of the class report for ``results`` (one assignment's submissions)."""
    totals = {s: 0 for s in ("passed", "failed", "error", "timeout", "skipped")}
    faults = 0
    for r in results:
        for c in r.checks:
            totals[c.status] = totals.get(c.status, 0) + 1
            faults += c.grader_fault
    totals["grader_faults"] = faults
    totals["error"] -= faults  # a grader fault is not the student's error
    return ClassStats(
        assignment=results[0].assignment if results else "",
        scores=tuple(r.score for r in results),
        max_score=max((r.max_score for r in results), default=0.0),
        checks=tuple(_check_stats(results)),
        exercises=tuple(_exercise_stats(results, exercises, titles or {})),
        submission_seconds=tuple(t for t in map(_seconds, results) if t is not None),
        standouts=tuple(_standouts(results)),
        totals=totals,
    )


# ---------------------------------------------------------------- presentation

CSV_COLUMNS = (
    "assignment",
    "exercise",
    "check",
    "title",
    "visibility",
    "ran",
    "passed",
    "failed",
    "error",
    "timeout",
    "skipped",
    "grader_faults",
    "pass_rate",
    "mean_points",
    "max_points",
    "median_seconds",
)


def write_pass_rates_csv(stats: ClassStats, path: Path) -> Path:
    """``class_report.csv``: one row per check, lowest pass rate first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for s in stats.checks:
            writer.writerow(
                [
                    stats.assignment,
                    s.exercise,
                    s.check,
                    s.title,
                    s.visibility,
                    s.ran,
                    *(s.counts.get(k, 0) for k in ("passed", "failed", "error", "timeout")),
                    s.counts.get("skipped", 0),
                    s.grader_faults,
                    "" if s.pass_rate is None else round(s.pass_rate, 4),
                    s.mean_points,
                    s.max_points,
                    round(s.median_seconds, 6),
                ]
            )
    return path


def _card(big: str, label: str) -> str:
    return (
        f'<div class="card"><div class="big">{big}</div><div class="lbl">{esc(label)}</div></div>'
    )


def _cards(stats: ClassStats) -> str:
    scores = stats.scores
    t = stats.totals
    items = [
        (str(stats.n), "submissions"),
        (f"{statistics.mean(scores):.3g}" if scores else "–", f"mean score / {stats.max_score:g}"),
        (f"{_median(scores):.3g}" if scores else "–", "median score"),
        (str(sum(s >= stats.max_score - 1e-9 for s in scores)), "full marks"),
        (str(sum(s <= 0 for s in scores)), "zero"),
        (str(t.get("timeout", 0)), "check timeouts"),
        (str(t.get("error", 0)), "check errors"),
        (str(t.get("grader_faults", 0)), "grader faults"),
    ]
    return '<div class="cards">' + "".join(_card(esc(b), label) for b, label in items) + "</div>"


def _rate(rate: float | None) -> str:
    return "–" if rate is None else f"{100 * rate:.0f}%"


def _scores_section(stats: ClassStats) -> str:
    html = ["<h2>Score distribution</h2>"]
    if stats.scores:
        png = histogram_png(list(stats.scores), stats.max_score)
        med = _median(stats.scores)
        html.append(image(png, alt=f"Histogram of {stats.n} scores; median {med:.3g}"))
    rows = "".join(
        f"<tr><td>{esc(e.title)} <code>{esc(e.exercise)}</code></td>"
        f'<td class="num">{e.mean_points:.3g} / {e.max_points:g}</td>'
        f'<td class="num">{e.full_marks}</td></tr>'
        for e in stats.exercises
    )
    html.append(
        '<table><thead><tr><th>exercise</th><th class="num">mean points</th>'
        f'<th class="num">full marks</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    return "".join(html)


def _label(s: CheckStats) -> str:
    return f"{s.exercise}: {s.title}"


def _checks_section(stats: ClassStats) -> str:
    html = ["<h2>Pass rate per check</h2>"]
    ran = [s for s in stats.checks if s.pass_rate is not None]
    if ran:
        shown = ran[:MAX_BARS]
        note = f" (the {len(shown)} lowest of {len(ran)})" if len(ran) > len(shown) else ""
        png = pass_rate_png([(_label(s), s.pass_rate or 0.0) for s in shown])
        alt = "Pass rate per check, lowest first: " + "; ".join(
            f"{_label(s)} {_rate(s.pass_rate)}" for s in shown[:10]
        )
        html += [
            f'<p class="sub">Lowest first{esc(note)}: the checks at the top are where the class '
            "struggles (read their messages for the common mistake).</p>",
            image(png, alt=alt),
        ]
    rows = []
    for s in stats.checks:
        c = s.counts
        hidden = ' <span class="note">(hidden)</span>' if s.visibility == "hidden" else ""
        rows.append(
            f'<tr><td><span class="ex">{esc(s.exercise)}</span> {esc(s.title)}{hidden}</td>'
            f'<td class="num"><strong>{_rate(s.pass_rate)}</strong></td>'
            + "".join(
                f'<td class="num">{c.get(k, 0)}</td>'
                for k in ("passed", "failed", "error", "timeout", "skipped")
            )
            + f'<td class="num">{s.grader_faults}</td>'
            f'<td class="num">{s.median_seconds * 1000:.3g}</td></tr>'
        )
    heads = "".join(
        f'<th class="num">{status_badge(k)}</th>'
        for k in ("passed", "failed", "error", "timeout", "skipped")
    )
    head = (
        '<table class="rates"><thead><tr><th>check</th><th class="num">pass rate</th>'
        f'{heads}<th class="num">grader faults</th><th class="num">median ms</th></tr></thead>'
    )
    html.append(head + "<tbody>" + "".join(rows[:MAX_BARS]) + "</tbody></table>")
    if len(rows) > MAX_BARS:
        html.append(
            f"<details><summary>The other {len(rows) - MAX_BARS} checks</summary>"
            + head
            + "<tbody>"
            + "".join(rows[MAX_BARS:])
            + "</tbody></table></details>"
        )
    return "".join(html)


def _timing_section(stats: ClassStats) -> str:
    html = ["<h2>Time and trouble</h2>"]
    secs = stats.submission_seconds
    if secs:
        html.append(
            f"<p>Per submission (sandbox start to last check): median {_median(secs):.3g} s, "
            f"90th percentile {float(np.percentile(secs, 90)):.3g} s, "
            f"slowest {max(secs):.3g} s.</p>"
        )
    rows = "".join(
        f"<tr><td>{esc(e.title)} <code>{esc(e.exercise)}</code></td>"
        f'<td class="num">{e.median_check_seconds * 1000:.3g}</td>'
        f'<td class="num">{e.median_seconds:.3g}</td><td class="num">{e.p90_seconds:.3g}</td>'
        f'<td class="num">{max(e.seconds, default=0):.3g}</td>'
        f'<td class="num">{e.timeouts}</td><td class="num">{e.errors}</td>'
        f'<td class="num">{e.grader_faults}</td></tr>'
        for e in stats.exercises
    )
    html.append(
        '<table class="timing"><thead><tr><th>exercise</th>'
        '<th class="num">median check ms</th><th class="num">median s / submission</th>'
        '<th class="num">p90 s</th><th class="num">max s</th><th class="num">timeouts</th>'
        '<th class="num">errors</th><th class="num">grader faults</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    groups = [(e.exercise, list(e.seconds)) for e in stats.exercises]
    if any(any(v > 0 for v in vals) for _, vals in groups):
        png = boxplot_png(groups, xlabel="seconds per submission in the exercise (log scale)")
        html.append(image(png, alt="Box plots of time per submission in each exercise"))
    return "".join(html)


def _standouts_section(stats: ClassStats) -> str:
    html = ["<h2>Submissions that stand out</h2>"]
    if not stats.standouts:
        return html[0] + '<p class="note">None: no zero scores, timeouts, faults or outliers.</p>'
    rows = "".join(
        f'<tr><td><a href="submissions/{quote(s.submission, safe="")}/feedback.html">'
        f'{esc(s.submission)}</a></td><td class="num">{round(s.score, 2):g} / '
        f"{round(s.max_score, 2):g}</td>"
        f"<td>{esc('; '.join(s.reasons))}</td></tr>"
        for s in stats.standouts
    )
    html.append(
        '<table class="standouts"><thead><tr><th>submission</th><th class="num">score</th>'
        f"<th>why</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    return "".join(html)


def class_report_html(
    stats: ClassStats,
    *,
    assignment_title: str = "",
    course_name: str = "",
    now: datetime | None = None,
) -> str:
    """The class report page (a complete HTML document)."""
    when = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    head = f"Class report — {stats.assignment}"
    sub = " · ".join(x for x in (course_name, assignment_title, f"generated {when}") if x)
    body = [f"<h1>{esc(head)}</h1>", f'<p class="sub">{esc(sub)}</p>', _cards(stats)]
    if stats.n:
        body += [
            _standouts_section(stats),
            _scores_section(stats),
            _checks_section(stats),
            _timing_section(stats),
        ]
    else:
        body.append('<p class="note">No submission graded yet.</p>')
    body.append(
        "<footer>Pass rate = passed / runs where the check ran (skipped runs excluded). "
        "Errors exclude grader faults, which are the grader's, not the student's. "
        "Per-check numbers are also in class_report.csv.</footer>"
    )
    return page(head, "\n".join(body))
