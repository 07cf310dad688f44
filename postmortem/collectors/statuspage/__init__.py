"""Atlassian Statuspage: history.atom, history.rss and the /api/v2 JSON, auto-detected.

The shape is read from the bytes (and the content type as a hint): XML feeds go to
`statuspage_feed`, JSON (including JSON-lines dumps, gzipped or not) to `statuspage_json`.
Incidents seen in several snapshots merge with `merge_incidents`.
"""

from __future__ import annotations

import re
from typing import Literal

from postmortem.collectors.fetch.body import gunzip
from postmortem.collectors.statuspage.feed import read_feed
from postmortem.collectors.statuspage.json_api import (
    incident_from_object,
    incidents_from_json,
    read_json_page,
)
from postmortem.collectors.statuspage.merge import merge_incidents
from postmortem.errors import CollectError
from postmortem.model import Collected, Snapshot

__all__ = [
    "collect",
    "incident_from_object",
    "incidents_from_json",
    "looks_like_statuspage",
    "merge_incidents",
    "read_feed",
    "read_json_page",
]

_FEED_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:feed|rss|RDF)\b")
_STATUSPAGE_FEED = re.compile(rb"2005:/history|2005:Incident/|/incidents/[a-z0-9]{12}\b")
_STATUSPAGE_JSON = re.compile(rb'"incident_updates"\s*:|"scheduled_maintenances"\s*:')

Shape = Literal["feed", "json"]


def collect(snapshot: Snapshot) -> Collected:
    """Incidents (and maintenances) from one Statuspage snapshot, in the source's order."""
    body = _gunzip(snapshot.body)
    shape = sniff_shape(body, snapshot.content_type)
    if shape == "json":
        page = read_json_page(body)
        return Collected(incidents=page.incidents, page_zone=page.page_zone, warnings=page.warnings)
    if shape == "feed":
        feed = read_feed(body, content_type=snapshot.content_type, location=snapshot.final_url)
        return Collected(incidents=feed.incidents, warnings=feed.warnings)
    raise CollectError(
        f"could not recognise {snapshot.url} as a Statuspage feed or JSON; use --kind"
    )


def sniff_shape(body: bytes, content_type: str = "") -> Shape | None:
    """Which parser fits: `feed` (Atom/RSS XML), `json` (JSON or JSON lines) or None."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        return "json"
    if head[:1] == b"<" and _FEED_ROOT.search(head):
        return "feed"
    if "json" in content_type and not head.startswith(b"<"):
        return "json"
    return None


def looks_like_statuspage(snapshot: Snapshot) -> bool:
    """True when the snapshot is a Statuspage feed or Statuspage-shaped JSON."""
    body = _gunzip(snapshot.body)
    shape = sniff_shape(body, snapshot.content_type)
    if shape == "feed":
        return _STATUSPAGE_FEED.search(body[:65536]) is not None
    return shape == "json" and _STATUSPAGE_JSON.search(body[:65536]) is not None


def _gunzip(body: bytes) -> bytes:
    return gunzip(body) if body.startswith(b"\x1f\x8b") else body
