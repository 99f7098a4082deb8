"""The gradebook: atomic per-submission writes, idempotent regrades, results round trip."""

from __future__ import annotations

from autograder.gradebook import Gradebook, sqlite_url
from autograder.results import CheckResult, SubmissionResult


def result(sub: str, points: float, fingerprint: str = "f1") -> SubmissionResult:
    checks = tuple(
        CheckResult(
            sub,
            "a1",
            "gd_1d",
            f"test_{i}",
            f"check {i}",
            "passed" if points >= i else "failed",
            float(points >= i),
            1.0,
            "" if points >= i else "wrong",
            42,
            0.01,
        )
        for i in range(1, 4)
    )
    return SubmissionResult(
        sub,
        "a1",
        checks,
        seed=2**62 + 1,
        output="hi",
        warnings=("w",),
        late_multiplier=0.9,
        fingerprint=fingerprint,
        details={"seconds": 0.1},
    )


def test_regrading_replaces_rows_without_duplicates(tmp_path):
    gb = Gradebook(sqlite_url(tmp_path / "g.sqlite"))
    gb.record(result("ann", 3))
    gb.record(result("ann", 1, "f2"))
    gb.record(result("bob", 2))
    stored = gb.results("a1")
    assert [r.submission for r in stored] == ["ann", "bob"]
    assert len(stored[0].checks) == 3
    assert stored[0].raw_score == 1.0 and stored[0].fingerprint == "f2"
    assert gb.fingerprints("a1") == {"ann": "f2", "bob": "f1"}


def test_results_round_trip_every_field(tmp_path):
    gb = Gradebook(sqlite_url(tmp_path / "g.sqlite"))
    original = result("cat", 2)
    gb.record(original)
    (stored,) = gb.results("a1", "cat")
    assert stored.checks == original.checks
    assert stored.seed == original.seed and stored.warnings == original.warnings
    assert stored.score == original.score == 1.8
    assert stored.details == {"seconds": 0.1}


def test_a_new_gradebook_object_sees_what_an_earlier_one_wrote(tmp_path):
    url = sqlite_url(tmp_path / "g.sqlite")
    Gradebook(url).record(result("dan", 3))
    assert Gradebook(url).fingerprints("a1") == {"dan": "f1"}
    assert Gradebook(url).assignments() == ["a1"]


def test_evidence_round_trips_through_the_gradebook(tmp_path):
    from autograder.engine.plugin import Evidence

    e = Evidence()
    e.add("trajectory", got=[0.0, 1.0], expected=[0.0, 2.0], title="t")
    base = result("eve", 3)
    first = base.checks[0]
    import dataclasses

    checks = (dataclasses.replace(first, evidence=tuple(e.items)), *base.checks[1:])
    gb = Gradebook(sqlite_url(tmp_path / "g.sqlite"))
    gb.record(dataclasses.replace(base, checks=checks))
    (stored,) = gb.results("a1", "eve")
    assert stored.checks[0].evidence == tuple(e.items)
    assert stored.checks[0].evidence[0]["kind"] == "trajectory"
