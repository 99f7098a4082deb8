"""Building blocks of the self-contained HTML pages (feedback and class report).

A page is one file: inline CSS, images as ``data:`` URIs, no script, no external
resource. A Content-Security-Policy forbids everything else, so even text that
escaped escaping could neither run nor load anything. Every piece of text goes
through :func:`esc`.

>>> esc('<script>alert("x")</script>')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
>>> status_badge("failed")
'<span class="status st-failed"><span aria-hidden="true">✗</span> failed</span>'
"""

from __future__ import annotations

import base64
import html

__all__ = ["CSP", "STATUS_ICON", "esc", "image", "page", "status_badge"]

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'"

STATUS_ICON = {"passed": "✓", "failed": "✗", "error": "⚠", "timeout": "◷", "skipped": "–"}
"""A symbol per status (the word is always printed next to it: colour is never alone)."""

_CSS = """
:root { --ok:#2b8a3e; --bad:#c92a2a; --warn:#e67700; --muted:#495057; --line:#dee2e6; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color:#212529;
  background:#fff; margin:0; line-height:1.45; font-size:15px; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.55em; margin: 0 0 4px; }
h2 { font-size: 1.22em; margin: 34px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 1.02em; margin: 20px 0 6px; }
.sub { color: var(--muted); margin: 0 0 18px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 14px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 120px; }
.card .big { font-size: 1.6em; font-weight: bold; }
.card .lbl { color: var(--muted); font-size: .85em; }
.bar { background: #f1f3f5; border-radius: 4px; height: 10px; width: 160px; overflow: hidden;
  display: inline-block; vertical-align: middle; }
.bar > span { display: block; height: 100%; background: #4c6ef5; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: .93em; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: #f8f9fa; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status { font-weight: 600; white-space: nowrap; }
.st-passed { color: var(--ok); } .st-failed { color: var(--bad); }
.st-error { color: var(--warn); } .st-timeout { color: #862e9c; } .st-skipped { color: #868e96; }
tr.detail td { border-bottom: 1px solid var(--line); background: #fcfcfd; padding-top: 0; }
pre { background: #f8f9fa; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px;
  white-space: pre-wrap; word-break: break-word; font-size: .86em; margin: 6px 0; }
.note { color: var(--muted); font-style: italic; margin: 6px 0; }
.small { font-size: .85em; margin: 1px 0 0; }
.ex { display: block; color: var(--muted); font-size: .8em; font-family: monospace; }
table.rates th.num, table.timing th.num { font-size: .82em; }
table.rates td:first-child { width: 46%; }
.warn { background: #fff4e6; border-left: 4px solid var(--warn); padding: 8px 12px;
  margin: 8px 0; }
.late { background: #fff9db; border-left: 4px solid #f59f00; padding: 8px 12px; margin: 8px 0; }
figure { margin: 8px 0 10px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
figcaption { color: var(--muted); font-size: .85em; }
details > summary { cursor: pointer; color: #1c7ed6; margin: 4px 0; }
.legend { font-size: .85em; color: var(--muted); }
.sw { display: inline-block; width: 12px; height: 3px; vertical-align: middle; margin: 0 4px; }
a { color: #1c7ed6; }
footer { margin-top: 40px; color: var(--muted); font-size: .82em; }
"""


def esc(text: object) -> str:
    """HTML-escape any text (quotes included: safe in element content and attributes)."""
    return html.escape(str(text), quote=True)


def status_badge(status: str) -> str:
    """The status as icon plus word, coloured by class; the icon is hidden from screen readers."""
    icon = STATUS_ICON.get(status, "?")
    return (
        f'<span class="status st-{esc(status)}"><span aria-hidden="true">{icon}</span> '
        f"{esc(status)}</span>"
    )


def image(png: bytes, alt: str, caption: str = "") -> str:
    """A figure with the PNG embedded as a base64 ``data:`` URI."""
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="{src}" alt="{esc(alt)}">{cap}</figure>'


def page(title: str, body: str) -> str:
    """A complete, self-contained HTML document."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head>\n"
        f"<body><main>\n{body}\n</main></body></html>\n"
    )
