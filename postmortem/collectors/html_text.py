"""Untrusted HTML fragments (feed content, update bodies) turned into plain text.

Only text nodes survive: tags, attributes (and so every `src`/`href`, `file://` or
metadata-service URL inside them), scripts and styles are dropped. Paragraphs and line
breaks are kept as blank lines and newlines.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4 import Tag

_DROPPED = ("script", "style", "template", "noscript", "iframe", "object", "svg", "head")
_BLOCKS = ("p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "table")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_MARKUP = re.compile(r"<[A-Za-z/!?]")


def looks_like_html(text: str) -> bool:
    """True when `text` contains something a browser would read as a tag."""
    return _MARKUP.search(text) is not None


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, paragraphs separated by blank lines."""
    from bs4 import BeautifulSoup

    return tag_text(BeautifulSoup(html, "html.parser"))


def tag_text(tag: Tag) -> str:
    """Plain text of a parsed element (which it consumes), with `html_to_text`'s rules."""
    for dropped in tag.find_all(_DROPPED):
        dropped.decompose()
    for br in tag.find_all("br"):
        br.replace_with("\n")
    for block in tag.find_all(_BLOCKS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    return tidy_text(tag.get_text())


def tidy_text(text: str) -> str:
    """Collapse runs of spaces, trim every line, and keep at most one blank line."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
