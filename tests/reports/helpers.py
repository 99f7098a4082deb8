"""Building results for the report tests, and reading the HTML the reports produce."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import numpy as np
from matplotlib.image import imread

from autograder.engine.plugin import Evidence
from autograder.landscapes import QuadraticForm
from autograder.results import CheckResult, SubmissionResult

HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


def check(**kw: Any) -> CheckResult:
    """A check result with sensible defaults; any field can be overridden."""
    base: dict[str, Any] = {
        "submission": "ann",
        "assignment": "a1",
        "exercise": "zigzag",
        "check": "test_x",
        "title": "A check",
        "status": "passed",
        "points": 1.0,
        "max_points": 1.0,
        "message": "",
        "seed": 7,
        "duration": 0.01,
        "visibility": "public",
    }
    base.update(kw)
    if base["status"] != "passed" and "points" not in kw:
        base["points"] = 0.0
    return CheckResult(**base)


def submission(checks: list[CheckResult], **kw: Any) -> SubmissionResult:
    name = checks[0].submission if checks else kw.pop("submission", "ann")
    return SubmissionResult(
        kw.pop("submission", name), kw.pop("assignment", "a1"), tuple(checks), seed=1, **kw
    )


def zigzag_evidence(*, title: str = "GD on x² + 50y²", wrong: bool = True) -> tuple[dict, ...]:
    """Evidence exactly as a check attaches it through the ``evidence`` fixture."""
    q = QuadraticForm.diagonal([2.0, 100.0])
    k = np.arange(26)[:, None]
    expected = np.array([10.0, 1.0]) * (1 - 0.0195 * np.array([2.0, 100.0])) ** k
    got = np.array([10.0, 1.0]) * (1 - 0.0207 * np.array([2.0, 100.0])) ** k if wrong else expected
    ev = Evidence()
    ev.add("trajectory", got=got, expected=expected, landscape=q.spec(), title=title)
    return tuple(ev.items)


def curve_evidence() -> tuple[dict, ...]:
    ev = Evidence()
    k = np.arange(40)
    ev.add("curve", x=k, got=0.95**k, expected=0.8**k, logy=True, ylabel="loss", title="loss")
    return tuple(ev.items)


def multipliers_evidence() -> tuple[dict, ...]:
    ev = Evidence()
    lam = np.array([0.5, 4.0, 12.0])
    ev.add("multipliers", eigenvalues=lam, alpha=0.2, got=1 + 0.2 * lam, expected=1 - 0.2 * lam)
    return tuple(ev.items)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML document."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.tags if t == tag]

    @property
    def all_text(self) -> str:
        return "".join(self.text)


SAFE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "h1",
    "h2",
    "h3",
    "p",
    "div",
    "span",
    "strong",
    "em",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "figure",
    "figcaption",
    "img",
    "details",
    "summary",
    "footer",
    "br",
}


def assert_safe(html: str) -> Tags:
    """The page is inert and self-contained: only known tags, no script, no event handler,
    images only as PNG data URIs, links only inside the page or to relative files."""
    doc = Tags(html)
    unknown = {t for t, _ in doc.tags} - SAFE_TAGS
    assert not unknown, f"unexpected tags {unknown}"
    for tag, attrs in doc.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} on <{tag}>"
            if name in ("src", "href"):
                assert value is not None
                assert "://" not in value or value.startswith("data:image/png;base64,")
                assert not value.lower().startswith("javascript:")
    for attrs in doc.named("img"):
        assert str(attrs["src"]).startswith("data:image/png;base64,")
        assert attrs.get("alt"), "every picture has alternative text"
    csp = [a for a in doc.named("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in str(csp[0]["content"])
    return doc


def png_pixels(data: bytes) -> np.ndarray:
    """An RGB(A) float array of a PNG, checked to be a real, non-blank picture."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    img = imread(io.BytesIO(data), format="png")
    assert img.ndim == 3 and img.shape[0] > 50 and img.shape[1] > 50
    rgb = img[..., :3]
    assert float(rgb.var()) > 0, "a blank picture"
    assert not np.all(rgb > 0.99), "an all-white picture"
    return img


def has_colour(img: np.ndarray, hex_colour: str, tol: float = 0.08, min_pixels: int = 20) -> bool:
    """Whether at least ``min_pixels`` pixels are close to ``hex_colour`` (e.g. a plotted line)."""
    target = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    close = np.all(np.abs(img[..., :3] - target) < tol, axis=-1)
    return int(close.sum()) >= min_pixels
