"""Rosters: which student each submission belongs to, and who did not submit.

A roster is a CSV file with the columns ``student_id``, ``name``, ``email`` and
``submission`` — the submission's folder name or zip stem, or the student's GitHub
username (GitHub Classroom names repositories ``<assignment>-<username>``). Headers
are matched case-insensitively; other columns are ignored; Excel's BOM is fine.

A submission id belongs to a student when, ignoring case, it equals the student's
``submission``, ``student_id`` or ``email``, or ends with ``-<submission>`` (the
longest such match wins). A submission matching no student, or two students equally
well, is *unknown*; a student matched by no submission is *missing* and gets a row
with zero points marked ``missing`` in ``grades.csv``.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "roster.csv"
>>> _ = path.write_text("student_id,name,email,submission\\n"
...     "s1,Ann,ann@uni.edu,ann\\ns2,Bob,bob@uni.edu,bobgh\\ns3,Cy,cy@uni.edu,cy\\n")
>>> m = load_roster(path).match(["ann", "a1-bobgh", "zed"])
>>> ids = {k: s.student_id for k, s in m.by_submission.items()}
>>> ids, m.unknown, [s.student_id for s in m.missing]
({'ann': 's1', 'a1-bobgh': 's2'}, ['zed'], ['s3'])
"""

from __future__ import annotations

import csv
import dataclasses
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from autograder.errors import ConfigError
from autograder.results import SubmissionResult

__all__ = [
    "COLUMNS",
    "Roster",
    "RosterMatch",
    "Student",
    "load_roster",
    "stamp",
    "write_roster_csv",
]

COLUMNS = ("student_id", "name", "email", "submission")
_ID = re.compile(r"[^A-Za-z0-9_.@-]+")  # the same cleaning as submission ids


def _key(text: str) -> str:
    return (_ID.sub("_", text.strip()).strip("._")).casefold()


@dataclass(frozen=True)
class Student:
    """One row of the roster."""

    student_id: str
    name: str
    email: str
    submission: str

    def as_dict(self) -> dict[str, str]:
        return dataclasses.asdict(self)


@dataclass
class RosterMatch:
    """The outcome of matching submission ids against the roster."""

    by_submission: dict[str, Student] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    missing: list[Student] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    """Submission id → the student ids it matched equally well (it counts as unknown)."""
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    """Student id → their submissions, when there is more than one (all are kept)."""

    def problems(self) -> list[str]:
        """The report an instructor reads: unknown, ambiguous, duplicate and missing."""
        lines = []
        for sub in self.unknown:
            if sub in self.ambiguous:
                lines.append(
                    f"submission {sub!r} matches several students "
                    f"({', '.join(self.ambiguous[sub])}); fix the roster's submission column"
                )
            else:
                lines.append(f"submission {sub!r} is not on the roster")
        for sid, subs in self.duplicates.items():
            lines.append(f"student {sid} has several submissions: {', '.join(subs)}")
        for s in self.missing:
            lines.append(f"student {s.student_id} ({s.name or s.email}) has no submission")
        return lines


@dataclass(frozen=True)
class Roster:
    """The students of a course, in roster order."""

    students: tuple[Student, ...]
    path: Path | None = None

    def candidates(self, submission_id: str) -> list[Student]:
        """The students ``submission_id`` matches best (several means ambiguous)."""
        key = _key(submission_id)
        exact = [
            s
            for s in self.students
            if key in {_key(s.submission), _key(s.student_id), _key(s.email)} - {""}
        ]
        if exact:
            return exact
        suffix = [
            (len(_key(s.submission)), s)
            for s in self.students
            if _key(s.submission) and key.endswith("-" + _key(s.submission))
        ]
        if not suffix:
            return []
        best = max(n for n, _ in suffix)
        return [s for n, s in suffix if n == best]

    def match(self, submission_ids: Iterable[str]) -> RosterMatch:
        """Match every submission id to a student; report the rest."""
        out = RosterMatch()
        taken: dict[str, list[str]] = {}
        for sub in submission_ids:
            found = self.candidates(sub)
            if len(found) == 1:
                out.by_submission[sub] = found[0]
                taken.setdefault(found[0].student_id, []).append(sub)
            else:
                out.unknown.append(sub)
                if found:
                    out.ambiguous[sub] = [s.student_id for s in found]
        out.duplicates = {sid: subs for sid, subs in taken.items() if len(subs) > 1}
        out.missing = [s for s in self.students if s.student_id not in taken]
        return out

    def stamp(self, result: SubmissionResult) -> SubmissionResult:
        """``result`` with its student in ``details["student"]`` (or unchanged)."""
        found = self.candidates(result.submission)
        return stamp(result, found[0] if len(found) == 1 else None)


def stamp(result: SubmissionResult, student: Student | None) -> SubmissionResult:
    """``result`` carrying ``student`` (id, name, email) in its details."""
    if student is None:
        return result
    return dataclasses.replace(result, details={**result.details, "student": student.as_dict()})


def load_roster(path: str | Path) -> Roster:
    """Read and check a roster CSV; problems raise :class:`ConfigError` naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(str(path), "", "a readable roster CSV file", exc.strerror) from None
    reader = csv.DictReader(text.splitlines())
    header = {(h or "").strip().casefold(): h for h in reader.fieldnames or []}
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ConfigError(
            str(path),
            "header",
            f"the columns {', '.join(COLUMNS)}",
            ", ".join(missing) + " missing",
        )
    students: list[Student] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        values = {c: (row.get(header[c]) or "").strip() for c in COLUMNS}
        if not any(values.values()):
            continue
        sid = values["student_id"]
        if not sid:
            raise ConfigError(str(path), f"line {line}.student_id", "a student id", "")
        if sid in seen:
            raise ConfigError(str(path), f"line {line}.student_id", "a unique student id", sid)
        seen.add(sid)
        students.append(Student(**values))
    return Roster(tuple(students), path)


def write_roster_csv(
    results: Sequence[SubmissionResult],
    roster: Roster,
    path: Path,
    exercises: Sequence[str],
    *,
    assignment: str,
    max_score: float,
) -> tuple[Path, RosterMatch]:
    """``grades.csv`` with the student's id, name and email in front of every row.

    The columns after them are exactly those of
    :func:`~autograder.views.csv_export.write_csv`; ``status`` says ``graded``,
    ``not on roster`` or ``missing`` (a student without a submission: zero points).
    """
    from autograder.views.csv_export import write_csv

    match = roster.match(r.submission for r in results)
    with tempfile.TemporaryDirectory() as tmp:
        plain = write_csv(results, Path(tmp) / "grades.csv", exercises)
        with open(plain, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    zero = dict.fromkeys(header, "")
    zero.update({e: "0" for e in exercises if e in zero})
    zero.update(
        {
            "assignment": assignment,
            "raw_score": "0",
            "late_multiplier": "1.0",
            "score": "0",
            "max_score": str(max_score),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student_id", "name", "email", "status", *header])
        column = header.index("submission")
        for row in body:
            s = match.by_submission.get(row[column])
            who = [s.student_id, s.name, s.email, "graded"] if s else ["", "", "", "not on roster"]
            writer.writerow([*who, *row])
        for s in match.missing:
            writer.writerow([s.student_id, s.name, s.email, "missing", *[zero[h] for h in header]])
    return path, match
