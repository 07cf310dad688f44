"""Generic RSS/Atom status feeds with one item per update (Betterstack, Observer, Kener...).

Items are grouped into incidents by the incident part of their guid or link
(`…/incidents/123#update-4` belongs to incident 123), else by title. A Statuspage history
feed (one entry per incident) is handed to the Statuspage reader instead.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from postmortem.collectors.feeds import parse_feed
from postmortem.collectors.text.html import html_to_text, looks_like_html
from postmortem.errors import CollectError
from postmortem.limits import checked_utc
from postmortem.model import Collected, Snapshot, Status, Update, VendorIncident

_WORDS: tuple[tuple[str, Status], ...] = (
    ("investigating", "investigating"),
    ("identified", "identified"),
    ("monitoring", "monitoring"),
    ("resolved", "resolved"),
    ("recovered", "resolved"),
    ("completed", "completed"),
    ("scheduled", "scheduled"),
    ("in progress", "in_progress"),
    ("update", "update"),
)
_LEADING_WORD = re.compile(
    r"^\W*(?P<word>[a-z][a-z ]{2,20}?)\s*(?::|\s[-\u2013\u2014]|[.!]?$|[.!]\s)", re.I
)
# Statuspage history entries hold every update as "<strong>Status</strong> - body", escaped
# or not, and Atom ids of the form "tag:host,2005:Incident/123"
_STATUSPAGE_MARKUP = re.compile(
    r"(?:<|&lt;)strong(?:>|&gt;)\w[\w ]*(?:<|&lt;)/strong(?:>|&gt;)\s*-|2005:Incident/"
)
# AWS items share one link and tell service, region and time apart only in the guid
_AWS_GUID = re.compile(r"<guid[^>]*>\s*https?://status\.aws\.amazon\.com/#[\w-]+_\d+\s*</guid>")
# the legacy Google Workspace feed, whose items each repeat every earlier update
_APPSSTATUS = re.compile(r"<link>\s*https?://www\.google\.com/appsstatus/rss")
# a status word opening a title: "Resolved: …", "Identified - …" (not "sign-in")
_TITLE_PREFIX = re.compile(r"^\W*(?P<word>[a-z][a-z ]{2,20}?)\s*(?::|\s[-\u2013\u2014])\s*", re.I)


def collect(snapshot: Snapshot) -> Collected:
    """Incidents from a per-update feed; Statuspage, AWS and Apps status feeds are read as such."""
    head = snapshot.body[:200_000].decode("utf-8", "replace")
    if _STATUSPAGE_MARKUP.search(head):
        from postmortem.collectors.statuspage import collect as statuspage

        return statuspage(snapshot)
    if _AWS_GUID.search(head):
        from postmortem.collectors.aws import collect as aws

        return aws(snapshot)
    if _APPSSTATUS.search(head):
        from postmortem.collectors.appsstatus import collect as appsstatus

        return appsstatus(snapshot)
    parsed = parse_feed(snapshot.body, content_type=snapshot.content_type, location=snapshot.url)
    if not parsed.entries:
        if parsed.version:  # a real feed with nothing to report: the vendor is healthy
            return Collected(warnings=parsed.warnings)
        raise CollectError(f"{snapshot.url}: no feed items here (is it the right URL?)")
    groups: dict[str, list[tuple[Update, Any]]] = {}
    skipped = 0
    for entry in parsed.entries:
        at = _entry_time(entry)
        if at is None:
            skipped += 1
            continue
        groups.setdefault(_incident_key(entry), []).append((_update(entry, at), entry))
    warnings = list(parsed.warnings)
    if skipped:
        warnings.append(f"{snapshot.url}: {skipped} item(s) without a date were left out")
    if not groups:
        raise CollectError(f"{snapshot.url}: no dated items in the feed")
    incidents = [_incident(key, items) for key, items in groups.items()]
    incidents.sort(key=lambda i: (i.updates[0].at, i.id))
    return Collected(incidents=tuple(incidents), warnings=tuple(warnings))


def _entry_time(entry: Any) -> datetime | None:
    # feedparser's *_parsed values are already converted to UTC
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp is None:
        return None
    year, month, day, hour, minute, second = stamp[:6]
    try:  # year 0 or second 60 gets past feedparser: treated as undated
        return checked_utc(datetime(year, month, day, hour, minute, second, tzinfo=UTC))
    except ValueError:
        return None


def _incident_key(entry: Any) -> str:
    for value in (entry.get("id"), entry.get("link")):
        if value:
            return str(value).split("#", 1)[0].rstrip("/")
    return " ".join(str(entry.get("title", "")).split())


def status_word(text: str) -> tuple[Status, str]:
    """The status a title or first line announces ("Resolved: …", "Identified - …")."""
    found = _LEADING_WORD.match(text)
    word = found["word"].strip() if found else ""
    return known_status(word) or "update", word


def known_status(word: str) -> Status | None:
    """The normalised status for a vendor's word, None when it is not a status word."""
    lowered = word.lower()
    return next((status for key, status in _WORDS if lowered.startswith(key)), None)


def plain_title(title: str) -> str:
    """A feed title as one line of text (feedparser keeps inline markup such as `<b>`)."""
    return html_to_text(title) if looks_like_html(title) else " ".join(title.split())


def _update(entry: Any, at: datetime) -> Update:
    title = plain_title(str(entry.get("title", "")))
    text = html_to_text(str(entry.get("summary") or entry.get("description") or ""))
    status, word = status_word(title)
    for fallback in (*_categories(entry), text):
        if status == "update" and fallback:
            status, word = status_word(fallback)
    return Update(at, status, word or "Update", text or title)


def _categories(entry: Any) -> list[str]:
    tags = entry.get("tags")
    terms = (t.get("term") for t in tags if isinstance(t, dict)) if isinstance(tags, list) else ()
    return [str(term) for term in terms if term]


def _incident(key: str, items: list[tuple[Update, Any]]) -> VendorIncident:
    items.sort(key=lambda pair: pair[0].at)
    updates = tuple(update for update, _ in items)
    first_entry = items[0][1]
    title = plain_title(str(first_entry.get("title", "")))
    found = _TITLE_PREFIX.match(title)
    if found and known_status(found["word"].strip()):
        title = title[found.end() :] or title
    closed = updates[-1].status in ("resolved", "completed")
    scheduled = any(u.status in ("scheduled", "in_progress", "completed") for u in updates)
    return VendorIncident(
        id=key.rsplit("/", 1)[-1] or key,
        title=title,
        url=key if key.startswith("http") else str(first_entry.get("link") or ""),
        status=updates[-1].status,
        impact=None,
        started_at=updates[0].at,
        resolved_at=updates[-1].at if closed else None,
        components=(),
        updates=updates,
        scheduled=scheduled,
    )
