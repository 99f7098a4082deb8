"""The per-student feedback page: escaping, the feedback policy, pictures, summary numbers."""

from __future__ import annotations

import base64
import re

import pytest

from autograder.views.feedback import HIDDEN_NOTE, feedback_markdown
from autograder.views.feedback_html import feedback_html
from autograder.views.figures import REFERENCE, YOURS
from autograder.views.html_page import STATUS_ICON

from .helpers import (
    HOSTILE,
    assert_safe,
    check,
    curve_evidence,
    has_colour,
    multipliers_evidence,
    png_pixels,
    submission,
    zigzag_evidence,
)


def images(html: str) -> list[bytes]:
    return [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([^"]+)"', html)]


# ---------------------------------------------------------------- escaping


def test_hostile_text_everywhere_is_escaped_and_inert():
    c = check(
        submission=HOSTILE,
        exercise="zig<b>zag",
        title="title " + HOSTILE,
        status="failed",
        message="message " + HOSTILE,
        evidence=zigzag_evidence(title="evidence " + HOSTILE),
    )
    r = submission([c], output="printed " + HOSTILE, warnings=("warning " + HOSTILE,))
    page = feedback_html(r, show_hidden=True, titles={"zig<b>zag": "ex " + HOSTILE})
    doc = assert_safe(page)
    assert "<script" not in page.lower()
    assert "onerror=" not in page.replace("onerror=alert", "")  # only ever as escaped text
    assert not doc.named("b")
    # the hostile strings are shown to the reader, as text
    text = doc.all_text
    for where in ("title ", "message ", "printed ", "warning ", "ex "):
        assert where + HOSTILE in text, where
    assert images(page), "the evidence is still drawn"


def test_a_message_cannot_close_the_markdown_code_block():
    c = check(status="failed", message="```\n# Full marks!\n```")
    md = feedback_markdown(submission([c]), show_hidden=True)
    assert "````text\n```\n# Full marks!\n```\n````" in md


# ---------------------------------------------------------------- policy


@pytest.mark.parametrize("show_hidden", [False, True])
def test_hidden_failure_messages_follow_the_policy(show_hidden):
    checks = [
        check(
            check="a",
            title="hidden failed",
            visibility="hidden",
            status="failed",
            message="SECRET-EXPECTED-VALUE 42",
        ),
        check(
            check="b",
            title="hidden error",
            visibility="hidden",
            status="error",
            message="NameError: name 'np' is not defined",
        ),
        check(
            check="c",
            title="hidden timeout",
            visibility="hidden",
            status="timeout",
            message="did not return within 10 s",
        ),
        check(
            check="d",
            title="public failed",
            visibility="public",
            status="failed",
            message="public message 17",
        ),
    ]
    page = feedback_html(submission(checks), show_hidden=show_hidden)
    text = assert_safe(page).all_text
    assert ("SECRET-EXPECTED-VALUE 42" in text) is show_hidden
    assert (HIDDEN_NOTE in text) is not show_hidden
    for always in (
        "NameError: name 'np' is not defined",
        "did not return within 10 s",
        "public message 17",
    ):
        assert always in text
    md = feedback_markdown(submission(checks), show_hidden=show_hidden)
    assert ("SECRET-EXPECTED-VALUE 42" in md) is show_hidden


@pytest.mark.parametrize("show_hidden", [False, True])
def test_pictures_of_hidden_checks_follow_the_policy(show_hidden):
    checks = [
        check(check="pub", status="failed", message="m1", evidence=zigzag_evidence()),
        check(
            check="hid",
            status="failed",
            visibility="hidden",
            message="m2",
            evidence=curve_evidence(),
        ),
    ]
    page = feedback_html(submission(checks), show_hidden=show_hidden)
    assert len(images(page)) == (2 if show_hidden else 1)
    md = feedback_markdown(submission(checks), show_hidden=show_hidden)
    assert "the first iterate that differs is 1" in md  # the public trajectory, in words
    assert ("ratio per step" in md) is show_hidden  # the hidden curve only when allowed


# ---------------------------------------------------------------- pictures


def test_each_evidence_kind_is_drawn_with_both_runs():
    checks = [
        check(check="t", status="failed", message="m", evidence=zigzag_evidence()),
        check(check="c", status="failed", message="m", evidence=curve_evidence()),
        check(check="m", status="failed", message="m", evidence=multipliers_evidence()),
    ]
    page = feedback_html(submission(checks), show_hidden=False)
    pngs = images(page)
    assert len(pngs) == 3
    for data in pngs:
        img = png_pixels(data)
        assert has_colour(img, YOURS) and has_colour(img, REFERENCE)
    doc = assert_safe(page)
    alts = [str(a["alt"]) for a in doc.named("img")]
    assert "first iterate that differs is 1" in alts[0]
    assert "ρ ≈ 0.95" in alts[1] and "ρ ≈ 0.8" in alts[1]
    assert "diverges" in alts[2]


def test_unknown_and_malformed_evidence_is_skipped():
    bad = (
        {"kind": "hologram", "got": [1, 2, 3]},
        {"kind": "curve", "got": {"__array__": {"dtype": "float64", "shape": [9], "data": "AA=="}}},
        {"kind": "curve", "got": "not numbers"},
        {"kind": "trajectory", "got": [[1, 2, 3]], "expected": [[1, 2, 3]]},
        {"kind": "trajectory", "got": [1.0, 2.0], "landscape": {"family": "os", "params": {}}},
        "not even a dict",
    )
    c = check(status="failed", message="m", evidence=bad)
    page = feedback_html(submission([c]), show_hidden=True)
    assert_safe(page)
    assert len(images(page)) == 1  # only the 1D trajectory, drawn without its bogus landscape


def test_passed_checks_are_not_drawn_and_the_page_has_a_budget():
    checks = [check(check="ok", evidence=zigzag_evidence(wrong=False))] + [
        check(check=f"f{i}", status="failed", message=f"m{i}", evidence=curve_evidence())
        for i in range(5)
    ]
    page = feedback_html(submission(checks), show_hidden=True, max_plots=3)
    assert len(images(page)) == 3
    assert page.count("ratio per step") >= 5  # the rest are described in words
    assert not images(feedback_html(submission(checks), show_hidden=True, max_plots=0))


def test_evidence_survives_the_gradebook():
    from autograder.gradebook import Gradebook

    gb = Gradebook("sqlite://")
    gb.record(submission([check(status="failed", message="m", evidence=zigzag_evidence())]))
    (stored,) = gb.results("a1")
    assert len(images(feedback_html(stored, show_hidden=False))) == 1


# ---------------------------------------------------------------- summary


def test_summary_statuses_penalty_warnings_and_output():
    statuses = ["passed", "failed", "error", "timeout", "skipped"]
    checks = [
        check(check=s, title=f"check {s}", status=s, message=f"why {s}", exercise=ex)
        for s, ex in zip(statuses, ["gd_1d", "gd_1d", "zigzag", "zigzag", "zigzag"], strict=True)
    ]
    output = "x" * 5000 + "THE END"
    r = submission(
        checks,
        late_multiplier=0.8,
        submitted_at="2026-12-13T10:00:00+00:00",
        warnings=("gd_1d.ipynb: a cell was not run",),
        output=output,
    )
    page = feedback_html(r, show_hidden=False, titles={"gd_1d": "1D recursions"})
    text = assert_safe(page).all_text
    assert "0.8 / 5" in text  # score after the penalty
    assert "raw score 1 × 0.8 = 0.8" in text and "2026-12-13T10:00:00+00:00" in text
    assert "gd_1d.ipynb: a cell was not run" in text
    for s in statuses:  # each status: the symbol and the word, with its colour class
        icon = f'<span aria-hidden="true">{STATUS_ICON[s]}</span>'
        assert f'<span class="status st-{s}">{icon} {s}' in page
    assert "1D recursions" in text and "1 / 2" in text  # per-exercise points
    assert "THE END" in text and "x" * 4001 not in text  # the last 4000 characters


def test_no_checks_at_all():
    page = feedback_html(submission([], submission="empty"), show_hidden=False)
    assert "No check ran" in assert_safe(page).all_text
