"""Template filters: times in the display zone, durations, citations, Markdown escaping."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

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


def local_time(value: datetime, zone: str) -> str:
    """`2026-03-20 04:05 CET`: the instant in the display zone, the zone named (DST-correct)."""
    here = value.astimezone(ZoneInfo(zone))
    return f"{here:%Y-%m-%d %H:%M} {here.tzname()}"


def utc_time(value: datetime) -> str:
    """`2026-03-20 03:05 UTC`."""
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def duration(value: timedelta | None) -> str:
    """`1 h 47 min`, `12 min`, `2 d 3 h`; "not known" for None."""
    if value is None:
        return "not known"
    minutes = round(value.total_seconds() / 60)
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    if minutes < 60:
        return f"{sign}{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{sign}{hours} h {rest} min" if rest else f"{sign}{hours} h"
    days, hours = divmod(hours, 24)
    return f"{sign}{days} d {hours} h" if hours else f"{sign}{days} d"


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
