"""Slack's status API: `/api/v2.0.0/current` (active incidents) and `/api/v2.0.0/history`.

Incidents carry notes (HTML bodies) without a status word of their own: the first note
opens the incident and, once Slack marks it resolved, the last note closes it. Services
become components; times are written with Pacific offsets and read as UTC.
"""

from __future__ import annotations

from typing import Any

from postmortem.collectors.entries import read_entries
from postmortem.collectors.payload import ident, load_json, malformed, objects, text, utc_time
from postmortem.collectors.text.html import body_text, tidy_text
from postmortem.model import Collected, Impact, Snapshot, Status, Update, VendorIncident

_IMPACTS: dict[str, Impact] = {"outage": "major", "incident": "minor", "notice": "none"}
_WHAT = "Slack status JSON"


def collect(snapshot: Snapshot) -> Collected:
    """Incidents from the current-status object or the history list."""
    data = load_json(snapshot, _WHAT)
    with malformed(snapshot, _WHAT):
        items = objects({"history": data}, "history") if isinstance(data, list) else None
        if items is None:
            if not isinstance(data, dict) or "active_incidents" not in data:
                raise ValueError("expected `active_incidents` or a list of incidents")
            items = objects(data, "active_incidents")
    incidents, warnings = read_entries(
        items, _incident, url=snapshot.url, noun="Slack incident", shape="an incident object"
    )
    return Collected(incidents=tuple(incidents), warnings=warnings)


def _incident(item: dict[str, Any]) -> VendorIncident:
    code = ident(item)
    resolved = text(item.get("status")).lower() == "resolved"
    dated = (
        (utc_time(n.get("date_created"), field="note date"), n) for n in objects(item, "notes")
    )
    notes = sorted(((at, n) for at, n in dated if at is not None), key=lambda pair: pair[0])
    updates = [
        Update(at, _note_status(index, len(notes), resolved), "", body_text(text(n.get("body"))))
        for index, (at, n) in enumerate(notes)
    ]
    created = utc_time(item.get("date_created"), field="date_created")
    closed_at = updates[-1].at if updates else utc_time(item.get("date_updated"))
    kind = text(item.get("type")).lower()
    services = item.get("services")
    return VendorIncident(
        id=code,
        title=tidy_text(text(item.get("title"))) or f"Slack incident {code}",
        url=text(item.get("url")),
        status="resolved" if resolved else (updates[-1].status if updates else "investigating"),
        impact=_IMPACTS.get(kind),
        started_at=created or (updates[0].at if updates else None),
        resolved_at=closed_at if resolved else None,
        components=tuple(text(s) for s in services if text(s))
        if isinstance(services, list)
        else (),
        updates=tuple(updates),
        scheduled=kind == "maintenance",
    )


def _note_status(index: int, count: int, resolved: bool) -> Status:
    if resolved and index == count - 1:
        return "resolved"
    return "investigating" if index == 0 else "update"
