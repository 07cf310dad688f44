"""One source, fetched or read, collected by its kind, and narrowed to a time range.

This is the library behind `postmortem collect`: the command only maps flags onto
`collect_source` and `within`, then prints with `postmortem.export.collected`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from postmortem.collectors import get_collector
from postmortem.collectors.fetch.client import read_file
from postmortem.errors import CollectError
from postmortem.limits import OutOfRange, checked_utc
from postmortem.model import Collected, Snapshot, SourceKind
from postmortem.spec.kinds import SOURCE_KINDS

#: What gives away the other formats in the first few KiB (lower-cased, UTF-8), in order.
_MARKER_TEXT: tuple[tuple[bytes, SourceKind], ...] = (
    (rb'"external_desc"', "gcp"),
    (rb'"event_log"|arn:aws:health|"archive"', "aws"),
    (rb'"active_incidents"|"notes"\s*:\s*\[\s*\{\s*"(?:body|date_created)"', "slack"),
    (rb'"update_type"|"system"\s*:\s*"(?:apps|data|tools)"', "heroku"),
    (rb'"status_overall"', "statusio"),
    (rb'"type"\s*:\s*"status_page"', "betterstack"),
    (rb'"pagination"|"human_status"', "cachet"),
    (
        rb'"dailyminutesdown"|"uptimeday"|"schemaversion"|\Aurl: .*\n(?:\w+: .*\n)*status: ',
        "upptime",
    ),
    (rb'"heartbeatlist"|"publicgrouplist"|"maintenancelist"', "uptimekuma"),
    (
        rb'"active(?:incidents|maintenances)"|"status"\s*:\s*"(?:up|hasissues|undermaintenance)"',
        "instatus",
    ),
)
_MARKERS = tuple((re.compile(pattern, re.MULTILINE), kind) for pattern, kind in _MARKER_TEXT)
#: Addresses that name their kind, for payloads too empty to show it (`[]` when all is well).
_PATH_TEXT: tuple[tuple[str, SourceKind], ...] = (
    (r"/public/currentevents$", "aws"),
    (r"/api/v2\.0\.0/(?:current|history)$", "slack"),
    (r"/api/v4/current-status$", "heroku"),
    (r"/1\.0/status/\w+$", "statusio"),
    (r"(?:^|/)history/(?:summary\.json|[\w.-]+\.ya?ml)$", "upptime"),
    (r"^/summary\.json$", "instatus"),
    (r"^/index\.json$", "betterstack"),
    (r"/api/v1/(?:incidents|schedules|components)$", "cachet"),
    (r"/api/status-page/(?:heartbeat/)?[\w-]+$", "uptimekuma"),
)
_PATHS = tuple((re.compile(pattern), kind) for pattern, kind in _PATH_TEXT)
#: Instatus writes component states in capitals; Statuspage in lower case.
_INSTATUS_COMPONENT = re.compile(
    rb'"status"\s*:\s*"(?:OPERATIONAL|DEGRADEDPERFORMANCE|PARTIALOUTAGE|MAJOROUTAGE|UNDERMAINTENANCE)"'
)
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SnapshotFetcher(Protocol):
    """Anything that turns a URL into a Snapshot (postmortem.collectors.fetch.client.Fetcher)."""

    def fetch(self, url: str) -> Snapshot:
        """The snapshot of `url`; raises CollectError when it cannot be had."""
        ...


def collect_source(
    location: str, *, kind: SourceKind | None = None, fetcher: SnapshotFetcher | None = None
) -> Collected:
    """Fetch (URL) or read (path) one source and collect it; `kind` is detected when None."""
    snapshot = read_source(location, fetcher)
    return get_collector(kind or detect_kind(snapshot))(snapshot)


def read_source(location: str, fetcher: SnapshotFetcher | None) -> Snapshot:
    """The snapshot behind a URL (through `fetcher`) or a local path."""
    try:
        scheme = urlsplit(location).scheme.lower()
    except ValueError as exc:  # "http://[::1": an unclosed IPv6 bracket
        raise CollectError(f"{location}: not a valid URL ({exc})") from None
    if scheme in ("http", "https"):
        if fetcher is None:
            raise CollectError(f"{location}: a URL needs a fetcher; pass a local path instead")
        return fetcher.fetch(location)
    if "://" in location:
        raise CollectError(f"{location}: only http and https URLs or local paths can be read")
    return read_file(Path(location))


def detect_kind(snapshot: Snapshot) -> SourceKind:
    """The collector kind a snapshot's bytes call for; raises CollectError when unsure."""
    from postmortem.collectors.statuspage import looks_like_statuspage

    raw = _utf8_head(snapshot.body)
    head = raw.lower()
    # incident.io's widget summary also lists `scheduled_maintenances`, a Statuspage key
    if b'"ongoing_incidents"' in head:
        return "incidentio"
    if looks_like_statuspage(snapshot):
        return "statuspage"
    for marker, kind in _MARKERS:
        if marker.search(head):
            return kind
    if _INSTATUS_COMPONENT.search(raw):
        return "instatus"
    if b"<rss" in head or b"<feed" in head:
        return "rss"
    if snapshot.content_type == "text/html" or b"<html" in head or b"<!doctype html" in head:
        return "article"
    path = urlsplit(snapshot.final_url).path
    for pattern, kind in _PATHS:
        if pattern.search(path):
            return kind
    if path.lower().endswith(".txt"):  # an article pasted as text
        return "article"
    raise CollectError(
        f"could not recognise {snapshot.url} as any known kind "
        f"({', '.join(SOURCE_KINDS)}); name one with --kind"
    )


def _utf8_head(body: bytes) -> bytes:
    """The first few KiB as UTF-8, whatever Unicode encoding JSON came in (AWS sends UTF-16)."""
    head = body[:4096]
    if b"\x00" not in head[:4] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head
    import json

    try:
        return head.decode(json.detect_encoding(head), "ignore").encode()
    except LookupError:
        return head


def within(
    collected: Collected, *, since: datetime | None = None, until: datetime | None = None
) -> Collected:
    """Keep the incidents whose window [start, end] overlaps [since, until].

    An open incident extends to the present; an incident with no time at all is kept
    only when no bound is given.
    """
    if since is None and until is None:
        return collected
    kept = tuple(i for i in collected.incidents if i.overlaps(since, until))
    return replace(collected, incidents=kept)


def parse_bound(text: str, *, end: bool = False) -> datetime:
    """A --since/--until value: an ISO date or date-time, read as UTC when it has no zone.

    A bare date as an end bound includes that whole day.
    """
    try:
        if _DATE_ONLY.match(text):
            day = date.fromisoformat(text)
            start = checked_utc(datetime.combine(day, time(), tzinfo=UTC))
            return start + timedelta(days=1, microseconds=-1) if end else start
        moment = datetime.fromisoformat(text)
    except OutOfRange as exc:
        raise ValueError(f"{text!r}: {exc}") from None
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date or date-time (2026-03-20T03:00Z)") from None
    try:
        return checked_utc(moment)
    except OutOfRange as exc:
        raise ValueError(f"{text!r}: {exc}") from None
