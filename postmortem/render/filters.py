"""Template filters: times in the display zone, durations, citations, Markdown escaping.

Times and durations are written by `postmortem.report.display`, re-exported here for templates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from postmortem.report.display import duration, is_utc, local_and_utc, local_time, utc_time

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!~])")
# Kept as written in a link target: letters, digits and the URL punctuation that means
# nothing to Markdown inside `(...)`. Everything else (parentheses, brackets, `|`, `<`,
# `>`, backslash, backtick, quotes, spaces, non-ASCII) is percent-encoded.
_URL_SAFE = "-._~:/?#@$&'*+,;=%!"


def md_escape(value: object) -> str:
    """Untrusted text as inert Markdown: no links, images, HTML, emphasis or table breaks."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # a leading "1." or "-" would start a list; "+" and "=" headings are inert inline
    return re.sub(r"^(\d+)\.", r"\1\\.", text)


def md_url(value: object) -> str:
    """An untrusted URL as an inert Markdown link target.

    It cannot close the link, start an image or a table cell, or carry a title.
    """
    return quote(str(value).strip(), safe=_URL_SAFE)


def number(value: float) -> str:
    """Whole numbers without a decimal point, with thousands separators."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def cite(numbers: Sequence[int]) -> str:
    """`[1] [3]`, each linking to the sources section."""
    return " ".join(f"[\\[{n}\\]](#sources)" for n in numbers)


def capped(rows: Sequence[object], kind: str = "table") -> Sequence[object]:
    """The rows a table shows: MAX_TIMELINE_ROWS (`timeline`), MAX_DRAFT_SENTENCES (`draft`),
    else MAX_TABLE_ROWS."""
    return rows[: _row_limit(kind)]


def cut_note(rows: Sequence[object], kind: str = "table") -> str:
    """A line saying how many rows a capped table left out ("" when none)."""
    limit = _row_limit(kind)
    if len(rows) <= limit:
        return ""
    noun = "sentences" if kind == "draft" else "rows"
    shown = f"Only the first {limit} of {len(rows)} {noun} are shown here"
    return f"_{shown}; the JSON output has them all._"


def _row_limit(kind: str) -> int:
    from postmortem.limits import MAX_DRAFT_SENTENCES, MAX_TABLE_ROWS, MAX_TIMELINE_ROWS

    return {"timeline": MAX_TIMELINE_ROWS, "draft": MAX_DRAFT_SENTENCES}.get(kind, MAX_TABLE_ROWS)


_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def md_block(value: object) -> str:
    """Untrusted multi-line text as inert Markdown that keeps its paragraphs and bullets.

    Each line is escaped like `md_escape`; a line starting with "-", "*" or "•" becomes a
    list item, other lines of a paragraph are kept apart with hard line breaks.
    """
    blocks: list[str] = []
    for paragraph in re.split(r"\n\s*\n", str(value).strip()):
        lines = [line for line in paragraph.splitlines() if line.strip()]
        out: list[str] = []
        for line in lines:
            bullet = _BULLET.match(line)
            if bullet:
                if out and not out[-1].startswith("- "):
                    out[-1] = out[-1].removesuffix("\\")
                    out.append("")
                out.append("- " + md_escape(line[bullet.end() :]))
                continue
            if out and out[-1].startswith("- "):
                out.append("")
            out.append(_inert_start(md_escape(line)) + "\\")
        if out:
            out[-1] = out[-1].removesuffix("\\")
        blocks.append("\n".join(out))
    return "\n\n".join(blocks)


def _inert_start(line: str) -> str:
    """A line that would start a list, a quote or a heading underline is escaped."""
    return "\\" + line if line[:1] in "-+=>" else line


__all__ = [
    "capped",
    "cite",
    "cut_note",
    "duration",
    "is_utc",
    "local_and_utc",
    "local_time",
    "md_block",
    "md_escape",
    "md_url",
    "number",
    "utc_time",
]
