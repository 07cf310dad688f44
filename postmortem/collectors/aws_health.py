"""AWS Health's current public feed, `health.aws.amazon.com/public/currentevents`.

A JSON list of events, served as UTF-16 (with a byte-order mark) or UTF-8. Dates are epoch
seconds as strings: `date` opens the event, `end_time` (present once it is over) closes
it, and each `event_log` entry is one update. Status digits: 0 resolved,
1 informational, 2 degraded, 3 disrupted. `impacted_services` names the components.
"""

from __future__ import annotations

import re
from typing import Any

from postmortem.collectors.entries import read_entries
from postmortem.collectors.payload import objects, text, utc_time
from postmortem.collectors.text.html import body_text, tidy_text
from postmortem.errors import CollectError
from postmortem.model import Collected, Impact, Status, Update, VendorIncident

_DASHBOARD = "https://health.aws.amazon.com/health/status"
_IMPACTS: dict[str, Impact] = {"1": "minor", "2": "major", "3": "critical"}
_ORDER = ("1", "2", "3")
#: the dashboard's own words for each status digit, as its RSS titles write them
_WORDS = {
    "0": "Service is operating normally",
    "1": "Informational message",
    "2": "Performance issues",
    "3": "Service disruption",
}
_RESOLVED = re.compile(r"^\s*\[RESOLVED\]\s*", re.IGNORECASE)


def current_events(data: list[Any], url: str) -> Collected:
    """Events of a parsed `currentevents` list; a bad event is skipped with a warning."""
    if data and not any(isinstance(e, dict) and ("event_log" in e or "arn" in e) for e in data):
        raise CollectError(f"{url}: not AWS Health events (expected objects with `event_log`)")
    incidents, warnings = read_entries(
        data, _incident, url=url, noun="AWS Health event", shape="an event object"
    )
    return Collected(incidents=tuple(incidents), warnings=warnings)


def _incident(event: dict[str, Any]) -> VendorIncident:
    opened = utc_time(event["date"], field="date")
    ended = utc_time(event.get("end_time"), field="end_time")
    summary = tidy_text(text(event.get("summary")))
    resolved = (
        ended is not None or bool(_RESOLVED.match(summary)) or text(event.get("status")) == "0"
    )
    logs = sorted(filter(None, map(_update, objects(event, "event_log"))), key=lambda u: u.at)
    updates = tuple(
        Update(u.at, "investigating", u.raw_status, u.text) if i == 0 else u
        for i, u in enumerate(logs)
    )
    services = event.get("impacted_services") or {}
    if not isinstance(services, dict):
        raise TypeError("`impacted_services` should be an object")
    names = [text(s.get("service_name")) for s in services.values() if isinstance(s, dict)]
    levels = [text(event.get("status"))] + [
        text(s.get("max")) for s in services.values() if isinstance(s, dict)
    ]
    worst = max((level for level in levels if level in _ORDER), key=_ORDER.index, default="")
    service = text(event.get("service"))
    last: Status = updates[-1].status if updates else "investigating"
    return VendorIncident(
        id=text(event.get("arn")).rsplit("/", 1)[-1] or f"{service}-{text(event['date'])}",
        title=_RESOLVED.sub("", summary) or text(event.get("service_name")) or service,
        url=_DASHBOARD,
        status="resolved" if resolved else last,
        impact=_IMPACTS.get(worst),
        started_at=opened or (updates[0].at if updates else None),
        resolved_at=(ended or (updates[-1].at if updates else None)) if resolved else None,
        components=tuple(dict.fromkeys(n for n in names if n)) or ((service,) if service else ()),
        updates=updates,
    )


def _update(entry: dict[str, Any]) -> Update | None:
    at = utc_time(entry.get("timestamp"), field="event_log timestamp")
    if at is None:
        return None
    word = text(entry.get("status"))
    status: Status = "resolved" if word == "0" else "update"
    said = tidy_text(text(entry.get("summary")))
    message = body_text(text(entry.get("message")))
    return Update(at, status, _WORDS.get(word, word), message or said)
