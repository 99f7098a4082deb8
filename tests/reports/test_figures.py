"""Evidence read back defensively, described in words and drawn into real pictures."""

from __future__ import annotations

import json

import numpy as np
import pytest

from autograder.engine.plugin import Evidence
from autograder.landscapes import DoubleWell, Multimodal, QuadraticForm, Rosenbrock
from autograder.views.evidence import describe, read_evidence, visible_items
from autograder.views.figures import (
    REFERENCE,
    YOURS,
    boxplot_png,
    evidence_png,
    histogram_png,
    pass_rate_png,
)

from .helpers import check, has_colour, png_pixels


def item(kind: str, **data):
    ev = Evidence()
    ev.add(kind, **data)
    (raw,) = ev.items
    got = read_evidence(json.loads(json.dumps(raw)))  # as stored in the gradebook
    assert got is not None, raw
    return got


def drawn(ev) -> np.ndarray:
    data = evidence_png(ev)
    assert data is not None
    return png_pixels(data)


# ---------------------------------------------------------------- trajectories


@pytest.mark.parametrize(
    "landscape",
    [QuadraticForm.diagonal([1.0, 10.0]), Multimodal(), Rosenbrock(), None],
    ids=["quadratic", "multimodal", "rosenbrock", "none"],
)
def test_2d_trajectory_on_contours(landscape):
    k = np.arange(20)[:, None]
    exp = np.array([1.5, 1.0]) * 0.8**k
    got = np.array([1.5, 1.0]) * 0.85**k
    spec = landscape.spec() if landscape else None
    img = drawn(item("trajectory", got=got, expected=exp, landscape=spec, title="t"))
    assert has_colour(img, YOURS) and has_colour(img, REFERENCE)


def test_a_landscape_object_works_as_well_as_its_spec():
    q = QuadraticForm.diagonal([2.0, 6.0])
    ev = item("trajectory", got=np.ones((3, 2)), expected=np.ones((3, 2)), landscape=q)
    assert ev.data["landscape"] == q


def test_a_diverging_student_leaves_the_window_but_the_reference_stays_readable():
    k = np.arange(30)[:, None]
    exp = np.array([1.0, 1.0]) * 0.5**k
    with np.errstate(over="ignore"):
        got = np.array([1.0, 1.0]) * (-3.0) ** k
    got[-3:] = np.inf
    got[-1] = np.nan
    ev = item("trajectory", got=got, expected=exp, landscape=QuadraticForm.diagonal([1.0, 3.0]))
    drawn(ev)
    text = describe(ev)
    assert "stops being finite at iterate 27" in text and "first iterate that differs is 1" in text


def test_1d_trajectory_draws_the_loss_curve_next_to_the_iterates():
    w = 1.5 * (-0.6) ** np.arange(15)
    img = drawn(item("trajectory", got=w[1:], expected=w, landscape=DoubleWell().spec()))
    assert img.shape[1] > 1.4 * img.shape[0]  # two panels side by side
    plain = drawn(item("trajectory", got=w, expected=w))
    assert plain.shape[1] < img.shape[1]


# ---------------------------------------------------------------- curves and multipliers


def test_semilog_curve_with_zeros_and_a_divergent_linear_curve():
    k = np.arange(50)
    loss = 0.9**k
    loss[10] = 0.0  # a zero cannot go on a log axis: skipped, not a crash
    img = drawn(item("curve", x=k, got=loss, expected=0.7**k, logy=True, ylabel="loss"))
    assert has_colour(img, YOURS) and has_colour(img, REFERENCE)
    ev = item("curve", got=1.5**k, expected=np.cos(k / 5.0), xlabel="k")
    drawn(ev)
    assert "last value yours 4.251e+08, the reference -0.9304" in describe(ev)


def test_curve_without_x_or_without_reference():
    drawn(item("curve", got=np.linspace(1, 0, 10)))
    assert read_evidence({"kind": "curve"}) is None


def test_multipliers_inside_and_outside_the_unit_interval():
    lam = np.array([0.5, 4.0, 9.0, -1.0, 100.0])
    ev = item("multipliers", eigenvalues=lam, alpha=0.2)  # expected derived from α and λ
    np.testing.assert_allclose(ev.data["expected"], 1 - 0.2 * lam)
    img = drawn(ev)
    assert has_colour(img, REFERENCE)
    text = describe(ev)
    assert "0.9 (converges monotonically)" in text and "-0.8 (oscillates)" in text
    assert "-0.0 (" not in text and "-19 (diverges)" in text and "1.2 (diverges)" in text
    got = item("multipliers", eigenvalues=lam, alpha=0.2, got=1 + 0.2 * lam)
    assert has_colour(drawn(got), YOURS)


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "raw",
    [
        {"kind": "unknown", "got": [1.0]},
        {"kind": "curve", "got": "text"},
        {"kind": "curve", "got": [[1.0, 2.0, 3.0]]},
        {"kind": "curve", "got": list(range(6000))},
        {"kind": "curve", "got": [True, False]},
        {"kind": "trajectory", "got": [[1.0, 2.0]], "expected": [1.0, 2.0]},
        {"kind": "multipliers", "eigenvalues": [1.0], "alpha": "0.1"},
        {"kind": "curve", "got": {"__array__": {"dtype": "object", "shape": [1], "data": ""}}},
        {"kind": "curve", "got": {"__rng__": {}}},
        {"kind": "curve", "got": [1.0], "__proto__": 1},
        [1, 2, 3],
        None,
    ],
)
def test_malformed_evidence_is_refused(raw):
    assert read_evidence(raw) is None


def test_text_is_cut_and_landscapes_are_validated():
    ev = read_evidence(
        {
            "kind": "trajectory",
            "got": [1.0, 2.0],
            "title": "x" * 1000,
            "landscape": {"family": "quadratic_1d", "params": {"lam": "__import__('os')"}},
        }
    )
    assert ev is not None and len(ev.title) == 120 and ev.data["landscape"] is None


def test_visible_items_follow_the_policy():
    raw = ({"kind": "curve", "got": [1.0, 0.5]},)
    hidden = check(visibility="hidden", status="failed", evidence=raw)
    assert visible_items(hidden, show_hidden=False) == []
    assert len(visible_items(hidden, show_hidden=True)) == 1
    assert len(visible_items(check(status="failed", evidence=raw), show_hidden=False)) == 1


# ---------------------------------------------------------------- class-report charts


def test_class_report_charts():
    png_pixels(histogram_png([0.0, 10.0, 12.5, 55.0, 60.0], 60.0))
    png_pixels(histogram_png([], 0.0))
    img = png_pixels(pass_rate_png([(f"ex: check {i}", i / 10) for i in range(11)]))
    assert has_colour(img, "#e03131") and has_colour(img, "#2f9e44")  # red low, green high
    png_pixels(boxplot_png([("gd_1d", [0.1, 0.2, 5.0]), ("zigzag", [0.0])], xlabel="s"))


def test_a_reused_figure_draws_exactly_what_a_fresh_one_draws():
    """Figures are kept between pictures of the same size (creating axes is the slow part);
    nothing of one picture may leak into the next."""
    from autograder.views import figures

    k = np.arange(30)
    w = 1.5 * (-0.6) ** np.arange(15)
    items = [
        item("curve", x=k, got=0.9**k, expected=0.7**k, logy=True, ylabel="loss", title="a"),
        item("curve", got=1.5**k, expected=np.cos(k / 5.0)),  # linear, same size as above
        item("trajectory", got=w[1:], expected=w),  # same size again, other axes labels
        item(
            "multipliers",
            eigenvalues=np.array([1.0, 30.0, -2.0]),
            alpha=0.1,
            got=np.array([0.9, 5.0, 1.2]),
        ),
        item("multipliers", eigenvalues=np.array([1.0, 2.0, 3.0]), alpha=0.1),
        item("trajectory", got=w, expected=w, landscape=DoubleWell().spec()),
        item(
            "trajectory",
            got=np.ones((4, 2)),
            expected=np.zeros((4, 2)),
            landscape=QuadraticForm.diagonal([1.0, 2.0]).spec(),
        ),
    ]
    fresh = []
    for ev in items:
        figures._KEPT.clear()
        fresh.append(png_pixels(evidence_png(ev)))
    figures._KEPT.clear()
    for ev, expected in zip([*items, *reversed(items)], [*fresh, *reversed(fresh)], strict=True):
        np.testing.assert_array_equal(png_pixels(evidence_png(ev)), expected, err_msg=ev.kind)
