"""Statuspage `history.atom` / `history.rss` -> VendorIncidents, via feedparser.

feedparser is given bytes we already hold (never a URL or a string, which it would try
to open) after entity declarations were refused. Its sanitised HTML is still untrusted:
only the text of it is kept.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from postmortem.collectors.feeds import parse_feed
from postmortem.collectors.statuspage.lines import read_entry_content
from postmortem.collectors.statuspage.words import MAINTENANCE_STATUSES, resolution_time
from postmortem.collectors.text.html import html_to_text, looks_like_html, tidy_text
from postmortem.limits import checked_utc
from postmortem.model import Update, VendorIncident

# A maintenance is announced ("Scheduled") long before it starts.
_WORK_BEGUN = frozenset({"in_progress", "verifying", "completed"})
_CODE = re.compile(r"/incidents/([A-Za-z0-9]+)/?(?:[?#].*)?$")


@dataclass(frozen=True, slots=True)
class FeedPage:
    """The incidents of one feed, newest entry first as the feed lists them, and warnings."""

    incidents: tuple[VendorIncident, ...]
    warnings: tuple[str, ...]


def read_feed(
    body: bytes, *, content_type: str = "", location: str = "", zone_name: str | None = None
) -> FeedPage:
    """Parse a Statuspage Atom or RSS history feed.

    `zone_name` is the page's IANA zone when known (from its JSON); otherwise the zone
    abbreviations printed in the update lines are used. Raises CollectError when nothing
    readable is left; a partly broken feed gives its entries plus a warning.
    """
    parsed = parse_feed(body, content_type=content_type, location=location)
    warnings = list(parsed.warnings)
    feed_anchor = _struct_time(dict.get(parsed.feed, "updated_parsed"))
    incidents = []
    for entry in parsed.entries:
        incident = _incident(entry, feed_anchor, zone_name, warnings)
        if incident is not None:
            incidents.append(incident)
    return FeedPage(tuple(incidents), tuple(dict.fromkeys(warnings)))


def _incident(
    entry: Any, feed_anchor: datetime | None, zone_name: str | None, warnings: list[str]
) -> VendorIncident | None:
    link = str(entry.get("link", ""))
    found = _CODE.search(link)
    code = found.group(1) if found else str(entry.get("id", "") or link)
    title = _plain(str(entry.get("title", "")))
    # dict.get skips feedparser's deprecated updated -> published key fallback.
    published = _struct_time(dict.get(entry, "published_parsed"))
    dates = [
        d for d in (published, _struct_time(dict.get(entry, "updated_parsed"))) if d is not None
    ]
    anchor = max(dates) if dates else feed_anchor
    if not code or anchor is None:
        warnings.append(f"skipped entry {title or code!r}: it has no id or no date")
        return None
    html = _content_html(entry)
    if not title and not html.strip():
        warnings.append(f"skipped entry {code!r}: it has neither a title nor any content")
        return None
    content = read_entry_content(html, anchor=anchor, zone_name=zone_name)
    warnings.extend(content.warnings)
    updates = content.updates
    if not updates:
        # Free-form entry: one update at the entry's own date, with its whole text.
        updates = (
            Update(at=published or anchor, status="update", raw_status="", text=_plain(html)),
        )
    scheduled = content.scheduled or any(u.status in MAINTENANCE_STATUSES for u in updates)
    return VendorIncident(
        id=code,
        title=title,
        url=link,
        status=updates[-1].status,
        impact=None,  # feeds do not say; the JSON API does
        started_at=_start(updates, scheduled=scheduled),
        resolved_at=resolution_time(updates),
        components=(),  # feeds do not list components; the JSON API does
        updates=updates,
        scheduled=scheduled,
    )


def _start(updates: tuple[Update, ...], *, scheduled: bool) -> datetime:
    """The first update; for a maintenance, the first update once work began."""
    if scheduled:
        begun = (u.at for u in updates if u.status in _WORK_BEGUN)
        return next(begun, updates[0].at)
    return updates[0].at


def _content_html(entry: Any) -> str:
    content = entry.get("content")
    if content:
        return str(content[0].get("value", ""))
    return str(entry.get("summary", ""))


def _plain(text: str) -> str:
    return html_to_text(text) if looks_like_html(text) else tidy_text(text)


def _struct_time(value: time.struct_time | None) -> datetime | None:
    # feedparser has already converted these to UTC and dropped the offset; year 0 or a
    # second of 60 gets past it, and such a date is treated as missing.
    if value is None:
        return None
    try:
        return checked_utc(datetime(*value[:6], tzinfo=UTC))
    except ValueError:
        return None
