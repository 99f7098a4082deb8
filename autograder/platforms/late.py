"""When a submission was made, when it was due, and what the late policy makes of it.

Where the submission time comes from, most trusted first:

* on Gradescope, ``/autograder/submission_metadata.json`` (``created_at``), written by
  Gradescope outside the student's files — with the assignment's ``due_date`` and
  ``late_due_date`` there (per student, when Gradescope lists an extension);
* in CI, ``$AUTOGRADER_SUBMITTED_AT`` set by the workflow (the commit time), honoured
  when a single submission is graded — then files in the checkout are not consulted;
* in a batch, a ``SUBMITTED_AT`` file (ISO time) or a Gradescope-style
  ``submission_metadata.json`` at the top of a submission *folder*. Both are read from
  the folder the instructor's collection tooling wrote, never from inside an archive a
  student uploaded; tooling that copies students' repositories must overwrite them.

The penalty itself is ``course.yaml``'s :class:`~autograder.config.LatePolicy`, and
:func:`explain` puts it in words for the student.

>>> from datetime import timedelta
>>> from autograder.config import LatePolicy
>>> policy = LatePolicy(grace_minutes=15, penalty_per_day=0.1, max_late_days=5)
>>> due = parse_time("2026-12-11T23:59:00+00:00")
>>> late_multiplier(policy, due + timedelta(days=1, hours=2), due)
0.8
>>> print(explain(policy, due + timedelta(days=1, hours=2), due).replace(". ", ".\\n"))
Submitted 2026-12-13 01:59 UTC, 1 d 2 h after the due date (2026-12-11 23:59 UTC).
Late policy: 15 min grace, then 10% off per started day late, nothing after 5 days: score × 0.8.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from autograder.config import LatePolicy
from autograder.submissions import Submission

__all__ = [
    "ENV_SUBMITTED_AT",
    "GradescopeTimes",
    "describe_policy",
    "explain",
    "gradescope_times",
    "late_multiplier",
    "parse_time",
    "with_platform_time",
]

ENV_SUBMITTED_AT = "AUTOGRADER_SUBMITTED_AT"
"""Environment variable with the submission time (ISO 8601) of the one submission graded."""


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from an ISO 8601 string (``Z`` or an offset; naive means UTC).

    >>> parse_time("2018-07-01T14:22:32.365935-07:00").isoformat()
    '2018-07-01T14:22:32.365935-07:00'
    >>> parse_time("2026-01-02T03:04:05Z").tzinfo is not None, parse_time("soon"), parse_time(None)
    (True, None, None)
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclasses.dataclass(frozen=True)
class GradescopeTimes:
    """The times Gradescope's ``submission_metadata.json`` gives for one submission."""

    submitted_at: datetime | None
    due: datetime | None
    late_due: datetime | None
    extension: bool = False


def gradescope_times(meta: Mapping[str, Any]) -> GradescopeTimes:
    """``created_at`` and the due dates, taking a student's extension into account.

    Gradescope lists each submitter under ``users``; a user's own ``assignment`` block,
    when present, carries their (extended) dates. For a group the latest date counts.

    >>> t = gradescope_times({"created_at": "2026-12-12T10:00:00Z",
    ...     "assignment": {"due_date": "2026-12-11T23:59:00Z", "late_due_date": None},
    ...     "users": [{"assignment": {"due_date": "2026-12-13T23:59:00Z"}}]})
    >>> t.due.isoformat(), t.extension
    ('2026-12-13T23:59:00+00:00', True)
    """
    assignment = meta.get("assignment") if isinstance(meta.get("assignment"), Mapping) else {}
    due = parse_time(assignment.get("due_date"))
    late_due = parse_time(assignment.get("late_due_date"))
    extension = False
    users = meta.get("users") if isinstance(meta.get("users"), list) else []
    own = [u.get("assignment") for u in users if isinstance(u, Mapping)]
    own_due = [t for a in own if isinstance(a, Mapping) if (t := parse_time(a.get("due_date")))]
    own_late = [
        t for a in own if isinstance(a, Mapping) if (t := parse_time(a.get("late_due_date")))
    ]
    if own_due and (due is None or max(own_due) > due):
        due, extension = max(own_due), True
    if own_late and (late_due is None or max(own_late) > late_due):
        late_due, extension = max(own_late), True
    return GradescopeTimes(parse_time(meta.get("created_at")), due, late_due, extension)


def late_multiplier(
    policy: LatePolicy,
    submitted_at: datetime | None,
    due: datetime | None,
    late_due: datetime | None = None,
) -> float:
    """The factor on the score: 1 on time or without times; 0 after a hard ``late_due``."""
    if submitted_at is None or due is None:
        return 1.0
    if late_due is not None and submitted_at > late_due:
        return 0.0
    return policy.multiplier(submitted_at - due)


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [
        f"{days} d" if days else "",
        f"{hours} h" if hours else "",
        f"{mins} min" if mins else "",
    ]
    return " ".join(p for p in parts if p) or "less than a minute"


def _when(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def describe_policy(policy: LatePolicy) -> str:
    """``course.yaml``'s late policy in words.

    >>> describe_policy(LatePolicy())
    'no penalty for late work'
    """
    if policy.penalty_per_day == 0 and policy.max_late_days is None:
        return "no penalty for late work"
    parts = []
    if policy.grace_minutes:
        parts.append(f"{policy.grace_minutes:g} min grace")
    if policy.penalty_per_day:
        parts.append(f"{policy.penalty_per_day * 100:g}% off per started day late")
    if policy.max_late_days is not None:
        parts.append(f"nothing after {policy.max_late_days:g} days")
    return ", then ".join(parts[:2]) + ("" if len(parts) < 3 else f", {parts[2]}")


def explain(
    policy: LatePolicy,
    submitted_at: datetime | None,
    due: datetime | None,
    late_due: datetime | None = None,
) -> str:
    """One sentence for the student: when they submitted, against which date, and the
    factor applied; ``""`` when there is nothing to say (no times, or on time)."""
    if submitted_at is None or due is None or submitted_at <= due:
        return ""
    factor = late_multiplier(policy, submitted_at, due, late_due)
    head = (
        f"Submitted {_when(submitted_at)}, {_duration(submitted_at - due)} after the due "
        f"date ({_when(due)})."
    )
    if late_due is not None and submitted_at > late_due:
        last = _when(late_due)
        return f"{head} That is after the last date late work is accepted ({last}): score × 0."
    if factor == 1.0:
        return f"{head} Within the grace period of the late policy: no penalty."
    return f"{head} Late policy: {describe_policy(policy)}: score × {factor:g}."


def _folder_metadata_time(source: Path) -> datetime | None:
    meta = source / "submission_metadata.json"
    if not (source.is_dir() and meta.is_file()):
        return None
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return parse_time(data.get("created_at")) if isinstance(data, dict) else None


def with_platform_time(
    sub: Submission, *, single: bool, env: Mapping[str, str] | None = None
) -> Submission:
    """``sub`` with its submission time from the platform, most trusted source first.

    When ``single`` (one submission graded) and ``$AUTOGRADER_SUBMITTED_AT`` is set, a
    CI workflow is in charge: its value is the time, and an empty or unreadable value
    means no time is known — files in the checkout (the student's own) never count.
    Otherwise: the ``SUBMITTED_AT`` file :func:`~autograder.submissions.prepare`
    already read, then ``created_at`` of a ``submission_metadata.json`` at the top of a
    submission folder.
    """
    env = os.environ if env is None else env
    if single and ENV_SUBMITTED_AT in env:
        return dataclasses.replace(sub, submitted_at=parse_time(env[ENV_SUBMITTED_AT]))
    if sub.submitted_at is not None:
        return sub
    stamp = _folder_metadata_time(Path(sub.source))
    return sub if stamp is None else dataclasses.replace(sub, submitted_at=stamp)
