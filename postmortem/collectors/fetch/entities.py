"""Refusing XML documents that declare entities, before any XML parser sees them.

The check must read the bytes as the parser will: a feed declaring `encoding="cp037"`
(EBCDIC) or UTF-32 without a byte-order mark spells `<!ENTITY` in bytes a latin-1 reading
never shows. So the prolog is decoded in every encoding a parser might pick (byte-order
mark, the NUL pattern of UTF-16/32, the XML declaration, the HTTP charset, EBCDIC's
signature) and the document is refused when any reading declares entities.
"""

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
_DECLARED = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
#: Codecs that are no way to write XML; punycode also decodes in quadratic time.
_REFUSED = frozenset({"punycode", "idna", "utf-7", "utf7", "unicode-escape", "raw-unicode-escape"})
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)
_NUL_PATTERNS = (  # "<" in each wide encoding, without a byte-order mark
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_EBCDIC_SIGNATURE = b"\x4c\x6f\xa7\x94"  # "<?xm" in cp037, which feedparser recognises


def reject_entities(body: bytes, content_type: str = "") -> None:
    """Raise CollectError if the XML prolog declares entities (billion laughs, quadratic blow-up).

    Real status feeds never declare entities, and feedparser's fallback parser expands them
    without limit, so any `<!ENTITY` before the root element refuses the whole document.
    """
    for text in _readings(body, content_type):
        first = _FIRST_ELEMENT.search(text)
        naive_prolog = text[: first.start()] if first else text
        if _ENTITY.search(naive_prolog) or _ENTITY.search(_prolog(text)):
            raise CollectError(
                "the document declares XML entities (<!ENTITY); refused to protect against "
                "entity expansion attacks"
            )


def _readings(body: bytes, content_type: str) -> list[str]:
    """The document decoded in each encoding a parser could choose for it."""
    readings = [body.decode("latin-1")]  # byte for byte: ASCII markup in most encodings
    readings += [
        body[len(bom) :].decode(name, "replace") for bom, name in _BOMS if body.startswith(bom)
    ]
    sniffed = [encoding for pattern, encoding in _NUL_PATTERNS if body.startswith(pattern)]
    if body.startswith(_EBCDIC_SIGNATURE):
        sniffed.append("cp037")
    readings += _decoded(body, [*sniffed, *_CHARSET.findall(content_type)])
    declared = [n for r in readings for n in _DECLARED.findall(r[:200].lstrip("\ufeff"))]
    return readings + _decoded(body, declared)


def _decoded(body: bytes, names: list[str]) -> list[str]:
    found = []
    for name in dict.fromkeys(n.lower() for n in names):
        if name.replace("_", "-") in _REFUSED:
            raise CollectError(f"the document's encoding {name!r} is not supported for feeds")
        try:
            found.append(body.decode(name, "replace"))
        except (LookupError, ValueError):  # unknown to Python: no parser decodes it either
            continue
    return found


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
