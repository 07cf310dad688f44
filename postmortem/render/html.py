"""Markdown to standalone HTML: raw HTML off, unsafe links refused, sanitised, no external URLs.

Three layers stand between untrusted text and WeasyPrint: templates escape Markdown,
markdown-it renders with HTML disabled and refuses file:, javascript: and data: links,
and nh3 cleans the result. Our own SVG chart is inserted after cleaning.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
from markupsafe import escape  # jinja2 has loaded it already; `html` would cost an import

from postmortem import __version__
from postmortem.model import Report
from postmortem.render import BUILTIN
from postmortem.render.charts import timeline_svg
from postmortem.render.filters import is_utc

_MERMAID = re.compile(r'<pre><code class="language-mermaid">.*?</code></pre>\n?', re.DOTALL)
# Markdown needs a header row; the key/value table at the top has an empty one.
_EMPTY_HEAD = re.compile(r"<thead>\s*<tr>\s*(?:<th></th>\s*)+</tr>\s*</thead>\s*")
#: a cell holding one time or duration only: kept on one line so long cells get the width
_TIME_CELL = re.compile(
    r"<td>((?:\d{4}-\d\d-\d\d \d\d:\d\d \S{1,6}|\d+ [dh](?: \d+ (?:h|min))?|\d+ min))</td>"
)
_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)
#: tables up to this many rows (header included) never split across pages
SHORT_TABLE = 12
_TOC_HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>')
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "td": {"style"},
    "th": {"style"},
    "code": {"class"},
}


def markdown_to_html(text: str) -> str:
    """CommonMark with tables and strikethrough; raw HTML is shown as text, never run."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin

    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    parser.use(anchors_plugin, min_level=1, max_level=3, permalink=False)
    parser.add_render_rule("image", _image_as_link)
    return clean_html(parser.render(text))


def _image_as_link(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """An image becomes a link to it: reports load nothing from anywhere when opened."""
    token = tokens[idx]
    src = escape(str(token.attrGet("src") or ""))
    alt = escape(token.content or "image")
    return f'<a href="{src}">image: {alt}</a>'


def clean_html(fragment: str) -> str:
    """nh3 (Ammonia) over rendered HTML: only http(s) and in-page links survive."""
    import nh3

    return str(
        nh3.clean(
            fragment,
            attributes=_ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https"},
            filter_style_properties={"text-align"},
            link_rel="noopener noreferrer",
        )
    )


def contents(body: str) -> list[tuple[str, str]]:
    """(anchor, title) of every second-level heading, for a table of contents."""
    return [(anchor, re.sub(r"<[^>]+>", "", title)) for anchor, title in _TOC_HEADING.findall(body)]


def mark_for_print(body: str) -> str:
    """Classes for the print rules: short tables stay whole, the evidence runs in columns."""

    def table(match: re.Match[str]) -> str:
        rows = match.group(0).count("<tr>")
        whole = match.group(0)
        return f'<div class="pm-short">{whole}</div>' if rows <= SHORT_TABLE else whole

    body = _TABLE.sub(table, body)
    body = _TIME_CELL.sub(r'<td class="pm-time">\1</td>', body)
    head, found, rest = body.partition('<h2 id="evidence">')
    intro, end, entries = rest.partition("</p>\n")
    if not found or not end:
        return body
    return f'{head}{found}{intro}{end}<div class="pm-evidence">\n{entries}</div>\n'


def render_html(report: Report, markdown: str) -> str:
    """The report's Markdown as a standalone page: print CSS, contents and timeline chart."""
    body = markdown_to_html(markdown)
    body = _EMPTY_HEAD.sub("", body)
    chart = timeline_svg(report)
    body = _MERMAID.sub(lambda _: f'<figure class="pm-chart">{chart}</figure>\n', body, count=1)
    toc = contents(body)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(BUILTIN / "common"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    head, _, rest = body.partition("</table>\n")
    if not rest:
        head, rest = "", body
    else:
        head += "</table>\n"
    page = env.get_template("page.html.j2")
    return page.render(
        report=report,
        head=mark_for_print(head),
        rest=mark_for_print(rest),
        toc=toc,
        version=__version__,
        two_zones=not is_utc(report.timezone),
    )
