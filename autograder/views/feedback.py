"""Per-submission feedback in Markdown, honouring the course's feedback policy.

>>> from autograder.results import CheckResult, SubmissionResult
>>> c = CheckResult("ann", "a1", "gd_1d", "test_step", "One GD step", "failed", 0.0, 2.0,
...                 "gd_step(dL, w, η) is wrong", 1, 0.01, visibility="public")
>>> print(feedback_markdown(SubmissionResult("ann", "a1", (c,), seed=1), show_hidden=False)
...       .splitlines()[0])
# Feedback for ann — assignment a1
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from autograder.config import Assignment, FeedbackPolicy
from autograder.results import CheckResult, SubmissionResult
from autograder.views.evidence import describe, visible_items

__all__ = ["HIDDEN_NOTE", "feedback_markdown", "message_visible", "visible_message"]

_ICON = {"passed": "✅", "failed": "❌", "error": "⚠️", "timeout": "⏱️", "skipped": "➖"}


def message_visible(
    policy: FeedbackPolicy, assignment: Assignment | None, now: datetime | None = None
) -> bool:
    """Whether hidden checks' messages may be shown now under ``policy``."""
    if policy.hidden_messages == "always":
        return True
    if policy.hidden_messages == "never":
        return False
    due = assignment.due if assignment else None
    return due is not None and (now or datetime.now(UTC)) >= due


HIDDEN_NOTE = "Details of hidden checks are released after the due date."


def visible_message(check: CheckResult, show_hidden: bool) -> str | None:
    """The message a student may read for ``check``: ``""`` if there is none to show,
    ``None`` if the policy withholds it (every view shows :data:`HIDDEN_NOTE` instead).

    Why code did not run (``error``/``timeout``) is always shown: it is about the
    student's own code. Why a hidden check *failed* follows the feedback policy.
    """
    if check.status == "passed" or not check.message:
        return ""
    if check.visibility == "hidden" and check.status == "failed" and not show_hidden:
        return None
    return check.message.strip()


def _message(check: CheckResult, show_hidden: bool) -> str:
    """The Markdown shown for a check that did not pass."""
    text = visible_message(check, show_hidden)
    if text is None:
        return f"_{HIDDEN_NOTE}_"
    return _fence(text) if text else ""


def _fence(text: str) -> str:
    """A code block that ``text`` cannot close early (its fence is longer than any run
    of backticks inside)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _pictures_in_words(checks: list[CheckResult], show_hidden: bool) -> list[str]:
    """The plot-free description of each check's evidence (what the HTML draws)."""
    lines = []
    for c in checks:
        if c.status == "passed":
            continue
        for item in visible_items(c, show_hidden):
            lines.append(f"- *{c.title}* — {describe(item)}")
    return ["**In pictures** (see feedback.html):", "", *lines, ""] if lines else []


def feedback_markdown(
    result: SubmissionResult, *, show_hidden: bool, titles: dict[str, str] | None = None
) -> str:
    """The feedback file of one submission, as Markdown."""
    lines = [f"# Feedback for {result.submission} — assignment {result.assignment}", ""]
    score = f"**Score: {result.score:g} / {result.max_score:g}**"
    if result.late_multiplier != 1.0:
        score += (
            f" (raw {result.raw_score:g}, late penalty ×{result.late_multiplier:g}"
            + (f", submitted {result.submitted_at}" if result.submitted_at else "")
            + ")"
        )
    lines += [score, ""]
    for note in result.warnings:
        lines.append(f"> ⚠️ {note}")
    if result.warnings:
        lines.append("")
    for exercise, checks in result.by_exercise().items():
        got = sum(c.points for c in checks)
        total = sum(c.max_points for c in checks)
        title = (titles or {}).get(exercise, exercise)
        lines += [
            f"## {title} (`{exercise}`) — {got:g} / {total:g}",
            "",
            "| | check | points |",
            "|---|---|---|",
        ]
        for c in checks:
            lines.append(
                f"| {_ICON.get(c.status, '')} {c.status} | {c.title} | "
                f"{c.points:g} / {c.max_points:g} |"
            )
        lines.append("")
        shown: dict[str, list[str]] = {}
        for c in checks:
            text = _message(c, show_hidden)
            if text:
                shown.setdefault(text, []).append(c.title)
        for text, names in shown.items():
            head = names[0] if len(names) == 1 else f"{len(names)} checks ({names[0]}, ...)"
            status = next(c.status for c in checks if c.title == names[0])
            lines += [f"**{head}** — {status}", "", text, ""]
        lines += _pictures_in_words(checks, show_hidden)
    if result.output.strip():
        lines += [
            "## What your code printed",
            "",
            _fence(result.output.strip()[-4000:]),
            "",
        ]
    return "\n".join(lines)
