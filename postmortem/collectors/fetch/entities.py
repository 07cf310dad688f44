"""Refusing XML documents that declare entities, before any XML parser sees them."""

from __future__ import annotations

import codecs
import re

from postmortem.errors import CollectError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
_DOCTYPE_MARK = re.compile(r"[\"'\[\]>]|<!--")  # what changes state inside a doctype
_FIRST_ELEMENT = re.compile(r"<\w")  # where feedparser itself ends the prolog


def reject_entities(body: bytes) -> None:
    """Raise CollectError if the XML prolog declares entities (billion laughs, quadratic blow-up).

    Real status feeds never declare entities, and feedparser's fallback parser expands them
    without limit, so any `<!ENTITY` before the root element refuses the whole document.
    """
    text = _decode(body)
    first = _FIRST_ELEMENT.search(text)
    naive_prolog = text[: first.start()] if first else text
    if _ENTITY.search(naive_prolog) or _ENTITY.search(_prolog(text)):
        raise CollectError(
            "the document declares XML entities (<!ENTITY); refused to protect against "
            "entity expansion attacks"
        )


def _decode(body: bytes) -> str:
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    if body.startswith(b"<\x00"):
        return body.decode("utf-16-le", errors="replace")
    if body.startswith(b"\x00<"):
        return body.decode("utf-16-be", errors="replace")
    return body.decode("latin-1")  # byte-for-byte: markup is ASCII in every other encoding


def _prolog(text: str) -> str:
    """The text before the root element, read by the XML grammar (comments, PIs, doctype)."""
    pos, size = 0, len(text)
    while pos < size:
        if text[pos].isspace():
            pos += 1
        elif text.startswith("<?", pos):
            pos = _after(text, "?>", pos)
        elif text.startswith("<!--", pos):
            pos = _after(text, "-->", pos + 4)
        elif text[pos : pos + 9].upper() == "<!DOCTYPE":
            pos = _after_doctype(text, pos + 9)
        else:
            break
    return text[:pos]


def _after(text: str, end: str, start: int) -> int:
    found = text.find(end, start)
    return len(text) if found < 0 else found + len(end)


def _after_doctype(text: str, pos: int) -> int:
    """Position after the doctype declaration, skipping quoted strings and comments."""
    depth = 0
    while (found := _DOCTYPE_MARK.search(text, pos)) is not None:
        mark, pos = found.group(), found.end()
        if mark in "\"'":
            pos = _after(text, mark, pos)
        elif mark == "<!--":
            pos = _after(text, "-->", pos)
        elif mark == "[":
            depth += 1
        elif mark == "]":
            depth -= 1
        elif depth <= 0:  # ">" outside the internal subset
            return pos
    return len(text)
