"""Per-submission feedback in Markdown, honouring the course's feedback policy.

>>> from autograder.results import CheckResult, SubmissionResult
>>> c = CheckResult("ann", "a1", "gd_1d", "test_step", "One GD step", "failed", 0.0, 2.0,
...                 "gd_step(dL, w, η) is wrong", 1, 0.01, visibility="public")
>>> print(feedback_markdown(SubmissionResult("ann", "a1", (c,), seed=1), show_hidden=False)
...       .splitlines()[0])
# Feedback for ann — assignment a1
"""

from __future__ import annotations

from datetime import UTC, datetime

from autograder.config import Assignment, FeedbackPolicy
from autograder.results import CheckResult, SubmissionResult

__all__ = ["feedback_markdown", "message_visible"]

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


def _message(check: CheckResult, show_hidden: bool) -> str:
    """The text shown for a check that did not pass.

    Why code did not run (``error``/``timeout``) is always shown: it is about the
    student's own code. Why a hidden check *failed* follows the feedback policy.
    """
    if check.status == "passed" or not check.message:
        return ""
    if check.visibility == "hidden" and check.status == "failed" and not show_hidden:
        return "_Details of hidden checks are released after the due date._"
    return "```text\n" + check.message.strip() + "\n```"


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
    if result.output.strip():
        lines += [
            "## What your code printed",
            "",
            "```text",
            result.output.strip()[-4000:],
            "```",
            "",
        ]
    return "\n".join(lines)
