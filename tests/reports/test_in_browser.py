"""The reports as a person sees them: opened in headless Chromium, screenshotted, inspected.

Needs Chromium (Debian package ``chromium``; ``.ci/run`` installs it). Each page must load
without a console message, show every picture (decoded, non-empty), run no script, keep
hostile text as visible text, fit the window's width, and look like something: the
screenshots are not blank and the plots' colours are on them.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from matplotlib.image import imread

from autograder.config import FeedbackPolicy, load_course
from autograder.grading import BatchReport, write_outputs
from autograder.views.browser import DevTools, console_lines, dump_dom, find_chromium, screenshot
from autograder.views.figures import REFERENCE, YOURS
from autograder.views.samples import synthetic_results

from .helpers import has_colour

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install chromium; .ci/run installs it)",
)
ROOT = Path(__file__).resolve().parents[2]
AFTER_DUE = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """Feedback and class report written by ``write_outputs`` for a synthetic class."""
    out = tmp_path_factory.mktemp("reports")
    course = load_course(ROOT / "course.yaml")
    course = dataclasses.replace(course, feedback=FeedbackPolicy(hidden_messages="after_due"))
    results = synthetic_results(6, seed=5)
    write_outputs(course, BatchReport(results={"a1": results}), out, now=AFTER_DUE)
    base = out / "a1"
    return {
        "feedback": base / "submissions" / "student001" / "feedback.html",  # prints hostile HTML
        "late": base / "submissions" / "student000" / "feedback.html",
        "class_report": base / "class_report.html",
    }


@pytest.fixture(scope="module")
def browser():
    with DevTools(binary=CHROMIUM, width=1200, height=2000) as dt:
        yield dt


def expected_images(page: Path) -> int:
    return page.read_text(encoding="utf-8").count('<img src="data:image/png;base64,')


def not_blank(png: Path):
    img = imread(png)
    rgb = img[..., :3]
    assert rgb.var() > 0, f"{png.name} is one flat colour"
    assert not (rgb > 0.99).all(), f"{png.name} is all white"
    return img


@pytest.mark.parametrize("name", ["feedback", "class_report"])
def test_screenshot_is_not_blank(pages, tmp_path, name):
    png = tmp_path / f"{name}.png"
    proc = screenshot(pages[name], png, width=1200, height=2000, binary=CHROMIUM)
    img = not_blank(png)
    assert img.shape[:2] == (2000, 1200)
    assert console_lines(proc.stderr) == []


@pytest.mark.parametrize("name", ["feedback", "late", "class_report"])
def test_dom_has_every_element_and_the_console_stays_silent(pages, name):
    dom, console = dump_dom(pages[name], binary=CHROMIUM)
    assert console == [], console
    pictures = re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="[^"]+"', dom)
    assert len(pictures) == expected_images(pages[name]) > 0
    assert dom.count("<h1>") == 1 and "<script" not in dom
    if name == "class_report":
        for section in (
            "Submissions that stand out",
            "Score distribution",
            "Pass rate per check",
            "Time and trouble",
        ):
            assert f"<h2>{section}</h2>" in dom
    else:
        assert '<span class="status st-failed">' in dom and "Overview" in dom
    if name == "late":
        assert "Late penalty" in dom and "a cell that plots was not run" in dom


@pytest.mark.parametrize("name", ["feedback", "class_report"])
def test_page_as_a_reader_sees_it(browser, pages, tmp_path, name):
    log = browser.open(pages[name])
    assert log.problems() == []
    assert log.console == [] and log.exceptions == []
    images = browser.evaluate(
        "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight,"
        " i.getBoundingClientRect().width, i.alt.length])"
    )
    assert len(images) == expected_images(pages[name])
    for complete, width, height, shown, alt in images:
        assert complete and width > 100 and height > 50 and shown > 100 and alt > 10
    assert browser.evaluate("document.scripts.length") == 0
    # fits the window: no sideways scrolling
    assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    full = browser.screenshot(tmp_path / f"{name}-full.png", full_page=True)
    img = not_blank(full)
    assert img.shape[0] > 2000  # a long page, captured whole
    if name != "class_report":
        assert has_colour(img, YOURS) and has_colour(img, REFERENCE)  # plots on screen
        statuses = browser.evaluate(
            "Array.from(document.querySelectorAll('.status')).map(s => s.innerText)"
        )
        assert statuses and all(
            re.fullmatch(r". (passed|failed|error|timeout|skipped)", s) for s in statuses
        )


def test_hostile_output_is_shown_as_text(browser, pages):
    browser.open(pages["feedback"])
    printed = browser.evaluate("document.querySelector('pre.output').innerText")
    assert '<script>alert("hi")</script>' in printed
    assert "<img src=x onerror=alert(1)>" in printed
    assert browser.evaluate("document.querySelectorAll('pre.output *').length") == 0


def test_the_checks_catch_a_broken_page(browser, tmp_path):
    """The detectors above do fire: a page with a console error and a blocked load."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><body><h1>x</h1>"
        "<script>console.error('broken'); undefinedFunction();</script>"
        '<img src="file:///nonexistent.png" alt="missing"></body></html>'
    )
    log = browser.open(bad)
    problems = log.problems()
    assert any("broken" in p for p in problems)
    assert any("undefinedFunction" in p for p in problems)
    _, console = dump_dom(bad, binary=CHROMIUM)
    assert any("broken" in line for line in console)
