"""Per-submission feedback as one self-contained HTML page, with pictures.

Same policy as the Markdown feedback (:mod:`autograder.views.feedback`): why code did
not run is always shown, why a hidden check failed only when ``show_hidden``. Checks
that did not pass and carry evidence get a picture (public checks always, hidden ones
only with ``show_hidden``; at most :data:`MAX_PLOTS` a page, the rest described in
words, as in ``feedback.md``). Everything the student's code produced
(messages, printed output) is escaped, and the page carries a Content-Security-Policy
that allows no script and no external resource.

>>> from autograder.results import CheckResult, SubmissionResult
>>> c = CheckResult("ann", "a1", "gd_1d", "test_step", "One GD step", "failed", 0.0, 2.0,
...                 "<b>wrong</b>", 1, 0.01, visibility="public")
>>> doc = feedback_html(SubmissionResult("ann", "a1", (c,), seed=1), show_hidden=False)
>>> "&lt;b&gt;wrong&lt;/b&gt;" in doc and "<b>wrong</b>" not in doc
True
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping

from autograder.results import CheckResult, SubmissionResult
from autograder.views.evidence import EvidenceItem, describe, evidence_visible, read_evidence
from autograder.views.feedback import HIDDEN_NOTE, visible_message
from autograder.views.figures import evidence_png
from autograder.views.html_page import esc, image, page, status_badge

__all__ = ["feedback_html"]

_OUTPUT_CHARS = 4000
MAX_PLOTS = 4
"""Pictures per feedback page by default: the first checks with evidence that did not pass
(a picture costs 30–100 ms of CPU to draw; the rest are described in words)."""


def _pct(got: float, total: float) -> float:
    return 0.0 if total <= 0 else max(0.0, min(100.0, 100.0 * got / total))


def _bar(got: float, total: float) -> str:
    pct = _pct(got, total)
    return (
        f'<span class="bar" role="img" aria-label="{pct:.0f} percent">'
        f'<span style="width:{pct:.1f}%"></span></span>'
    )


def _card(big: str, label: str) -> str:
    return (
        f'<div class="card"><div class="big">{big}</div><div class="lbl">{esc(label)}</div></div>'
    )


def _summary(result: SubmissionResult) -> str:
    statuses = [c.status for c in result.checks]
    cards = [
        _card(
            f"{_pts(result.score)} / {_pts(result.max_score)}",
            f"score ({_pct(result.score, result.max_score):.0f}%)",
        ),
        _card(f"{statuses.count('passed')} / {len(statuses)}", "checks passed"),
    ]
    for status in ("failed", "error", "timeout"):
        if statuses.count(status):
            cards.append(_card(str(statuses.count(status)), f"{status}"))
    html = '<div class="cards">' + "".join(cards) + "</div>"
    if result.late_multiplier != 1.0:
        when = f", submitted {esc(result.submitted_at)}" if result.submitted_at else ""
        html += (
            f'<div class="late"><strong>Late penalty</strong>: raw score '
            f"{_pts(result.raw_score)} × {result.late_multiplier:g} = {_pts(result.score)}{when}."
            "</div>"
        )
    for note in result.warnings:
        html += f'<div class="warn" role="note"><strong>⚠ Warning</strong>: {esc(note)}</div>'
    return html


def _overview(groups: Mapping[str, list[CheckResult]], titles: Mapping[str, str]) -> str:
    rows = []
    for exercise, checks in groups.items():
        got = sum(c.points for c in checks)
        total = sum(c.max_points for c in checks)
        passed = sum(c.status == "passed" for c in checks)
        rows.append(
            f'<tr><td><a href="#ex-{esc(exercise)}">{esc(titles.get(exercise, exercise))}</a>'
            f'</td><td class="num">{_pts(got)} / {_pts(total)}</td><td>{_bar(got, total)}</td>'
            f'<td class="num">{passed} / {len(checks)}</td></tr>'
        )
    return (
        '<table class="overview"><thead><tr><th>exercise</th><th class="num">points</th>'
        '<th></th><th class="num">checks passed</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


@functools.lru_cache(maxsize=256)
def _picture(key: str) -> tuple[EvidenceItem | None, bytes | None]:
    """Validated item and PNG of one stored evidence item (JSON text as the cache key: the
    same public case failed the same way by many students is drawn once per run)."""
    item = read_evidence(json.loads(key))
    return item, (evidence_png(item) if item is not None else None)


def _figures(check: CheckResult, show_hidden: bool, budget: list[int]) -> str:
    """Pictures of a check that did not pass, while ``budget[0]`` lasts; words after that."""
    if check.status == "passed" or not check.evidence or not evidence_visible(check, show_hidden):
        return ""
    parts = []
    for raw in check.evidence:
        try:
            key = json.dumps(raw, sort_keys=True)
        except (TypeError, ValueError):
            continue
        if budget[0] <= 0:
            item = read_evidence(raw)
            if item is not None:
                parts.append(f'<p class="note">{esc(describe(item))}</p>')
            continue
        item, png = _picture(key)
        if item is None:
            continue
        words = describe(item)
        if png is None:
            parts.append(f'<p class="note">{esc(words)}</p>')
        else:
            budget[0] -= 1
            parts.append(image(png, alt=f"Plot for “{check.title}”: {words}", caption=words))
    return "".join(parts)


def _message_html(check: CheckResult, show_hidden: bool, seen: dict[str, str]) -> tuple[str, str]:
    """(a short note for the check's own row, a message block for a row below it)."""
    text = visible_message(check, show_hidden)
    if text is None:
        return f'<div class="note small">{esc(HIDDEN_NOTE)}</div>', ""
    if not text:
        return "", ""
    if text in seen:
        return f'<div class="note small">Same message as “{esc(seen[text])}”.</div>', ""
    seen[text] = check.title
    return "", f"<pre>{esc(text)}</pre>"


def _pts(value: float) -> str:
    return f"{round(value, 2):g}"


def _exercise(
    exercise: str, checks: list[CheckResult], title: str, show_hidden: bool, budget: list[int]
) -> str:
    got = sum(c.points for c in checks)
    total = sum(c.max_points for c in checks)
    rows = []
    seen: dict[str, str] = {}
    for c in checks:
        tag = ' <span class="note">(hidden check)</span>' if c.visibility == "hidden" else ""
        note, detail = _message_html(c, show_hidden, seen)
        rows.append(
            f'<tr class="check"><td>{status_badge(c.status)}</td><td>{esc(c.title)}{tag}{note}'
            f'</td><td class="num">{_pts(c.points)} / {_pts(c.max_points)}</td></tr>'
        )
        detail += _figures(c, show_hidden, budget)
        if detail:
            rows.append(f'<tr class="detail"><td></td><td colspan="2">{detail}</td></tr>')
    return (
        f'<h2 id="ex-{esc(exercise)}">{esc(title)} <code>{esc(exercise)}</code> — '
        f"{_pts(got)} / {_pts(total)}</h2>"
        '<table class="checks"><thead><tr><th style="width:8.5em">status</th><th>check</th>'
        '<th class="num">points</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
    )


_LEGEND = (
    '<p class="legend">In the pictures: <span class="sw" style="background:#d9480f"></span>'
    'your values (solid line, ×) and <span class="sw" style="background:#1c7ed6"></span>'
    "the reference (dashed line, ○).</p>"
)


def feedback_html(
    result: SubmissionResult,
    *,
    show_hidden: bool,
    titles: Mapping[str, str] | None = None,
    assignment_title: str = "",
    course_name: str = "",
    max_plots: int = MAX_PLOTS,
) -> str:
    """The feedback page of one submission (a complete HTML document).

    Checks that did not pass get a picture per evidence item, at most ``max_plots`` on the
    page (0: none); further items, and passed checks, are not drawn.
    """
    budget = [max_plots]
    titles = titles or {}
    groups = result.by_exercise()
    head = f"Feedback for {result.submission}"
    sub = " · ".join(
        x for x in (course_name, f"assignment {result.assignment}", assignment_title) if x
    )
    body = [f"<h1>{esc(head)}</h1>", f'<p class="sub">{esc(sub)}</p>', _summary(result)]
    if groups:
        body += ["<h2>Overview</h2>", _overview(groups, titles)]
        if max_plots > 0 and any(c.evidence and c.status != "passed" for c in result.checks):
            body.append(_LEGEND)
    else:
        body.append('<p class="note">No check ran for this submission.</p>')
    for exercise, checks in groups.items():
        title = titles.get(exercise, exercise)
        body.append(_exercise(exercise, checks, title, show_hidden, budget))
    printed = result.output.strip()
    if printed:
        cut = len(printed) > _OUTPUT_CHARS
        body += [
            "<h2>What your code printed</h2>",
            f'<p class="note">The last {_OUTPUT_CHARS} characters.</p>' if cut else "",
            f'<pre class="output">{esc(printed[-_OUTPUT_CHARS:])}</pre>',
        ]
    if not show_hidden and any(c.visibility == "hidden" for c in result.checks):
        body.append(f"<footer>{esc(HIDDEN_NOTE)}</footer>")
    return page(f"{head} — {result.assignment}", "\n".join(body))
