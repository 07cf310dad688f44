"""The legacy Google Workspace (G Suite, Apps) status RSS, `google.com/appsstatus/rss/en`.

Each item is cumulative: it repeats every earlier update of its service, newest first,
each opened by a status light (`img/yellow.gif`) and a Pacific stamp ("April 8, 2020
8:58:00 AM PDT"). The updates of all items of a service are merged without repeats, and
a blue or green light closes the incident: later updates start the next one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from postmortem.collectors.text.html import html_to_text
from postmortem.collectors.text.months import MONTHS
from postmortem.collectors.text.zones import zone_for_abbreviation
from postmortem.errors import CollectError
from postmortem.model import Collected, Impact, Snapshot, Status, Update, VendorIncident

_STAMP = re.compile(
    r"<img[^>]*/img/(?P<light>[a-z]+)\.gif[^>]*>(?:\s|&nbsp;|\xa0)*"
    r"(?P<when>(?P<month>[A-Z][a-z]+) (?P<day>\d{1,2}), (?P<year>\d{4}) "
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))? (?P<half>[AP])M) "
    r"(?P<zone>[A-Z]{2,4})"
)
_CLOSING = frozenset({"blue", "green"})
_IMPACTS: dict[str, Impact] = {"yellow": "major", "orange": "major", "red": "critical"}
_ORDER: tuple[Impact, ...] = ("none", "minor", "major", "critical")
DASHBOARD = "https://www.google.com/appsstatus/dashboard/"


def collect(snapshot: Snapshot) -> Collected:
    """One incident per service outage, its updates merged from the cumulative items."""
    from postmortem.collectors.feeds import parse_feed

    parsed = parse_feed(snapshot.body, content_type=snapshot.content_type, location=snapshot.url)
    by_service: dict[str, dict[tuple[datetime, str], tuple[str, Update]]] = {}
    for entry in parsed.entries:
        service = " ".join(str(entry.get("title") or "").split()) or "Google Workspace"
        found = by_service.setdefault(service, {})
        for light, update in _updates(str(entry.get("summary") or "")):
            found.setdefault((update.at, update.text), (light, update))
    if parsed.entries and not any(by_service.values()):
        raise CollectError(
            f"{snapshot.url}: no item has a stamped update; not the Apps status feed"
        )
    incidents = [
        incident
        for service, updates in by_service.items()
        for incident in _incidents(service, sorted(updates.values(), key=lambda u: u[1].at))
    ]
    incidents.sort(key=lambda i: (i.started_at or datetime.min.replace(tzinfo=UTC), i.id))
    return Collected(incidents=tuple(incidents), warnings=parsed.warnings)


def _updates(html: str) -> list[tuple[str, Update]]:
    stamps = list(_STAMP.finditer(html))
    found = []
    for index, stamp in enumerate(stamps):
        at = _when(stamp)
        if at is None:
            continue
        end = stamps[index + 1].start() if index + 1 < len(stamps) else len(html)
        # the stamp sits inside <p><i>…</i></p>: the update's words follow that paragraph
        closing = html.find("</p>", stamp.end(), end)
        text = html_to_text(html[closing + 4 if closing >= 0 else stamp.end() : end])
        light = stamp["light"]
        found.append((light, Update(at, _status(light), light, text)))
    return found


def _when(stamp: re.Match[str]) -> datetime | None:
    """The stamp as UTC; None for an impossible date or an unknown zone."""
    zone = zone_for_abbreviation(stamp["zone"])
    month = MONTHS.get(stamp["month"])
    if zone is None or month is None:
        return None
    hour = int(stamp["hour"]) % 12 + (12 if stamp["half"] == "P" else 0)
    try:
        moment = datetime(
            int(stamp["year"]), month, int(stamp["day"]), hour, int(stamp["minute"]),
            int(stamp["second"] or 0), tzinfo=zone,
        )  # fmt: skip
    except ValueError:
        return None
    return moment.astimezone(UTC)


def _status(light: str) -> Status:
    return "resolved" if light in _CLOSING else "update"


def _incidents(service: str, updates: list[tuple[str, Update]]) -> list[VendorIncident]:
    runs: list[list[tuple[str, Update]]] = [[]]
    for light, update in updates:
        runs[-1].append((light, update))
        if light in _CLOSING:
            runs.append([])
    return [_incident(service, run) for run in runs if run]


def _incident(service: str, run: list[tuple[str, Update]]) -> VendorIncident:
    first = run[0][1]
    updates = [
        Update(first.at, "investigating", first.raw_status, first.text),
        *(u for _, u in run[1:]),
    ]
    closed = run[-1][0] in _CLOSING
    impacts = [_IMPACTS[light] for light, _ in run if light in _IMPACTS]
    return VendorIncident(
        id=f"{service.lower().replace(' ', '-')}-{int(first.at.timestamp())}",
        title=service,
        url=DASHBOARD,
        status="resolved" if closed else updates[-1].status,
        impact=max(impacts, key=_ORDER.index) if impacts else None,
        started_at=first.at,
        resolved_at=updates[-1].at if closed else None,
        components=(service,),
        updates=tuple(updates),
    )
