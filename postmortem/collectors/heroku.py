"""Heroku's status API `/api/v4/current-status`: incidents and scheduled maintenance.

Each item lists its updates newest first with an `update_type` (issue, investigating,
monitoring, resolved; scheduled, maintenance for planned work) and the colour of
production and development at that moment, kept as component changes. Items under
`scheduled` are maintenances, never outages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from postmortem.collectors import payload
from postmortem.collectors.statuspage.words import normalise_status, resolution_time
from postmortem.collectors.text.html import body_text, tidy_text
from postmortem.model import Collected, ComponentChange, Snapshot, Status, Update, VendorIncident

_WHAT = "Heroku status JSON"
_TYPES: dict[str, Status] = {"issue": "investigating", "maintenance": "in_progress"}
_COLOURS = (("status_prod", "Production"), ("status_dev", "Development"))


def collect(snapshot: Snapshot) -> Collected:
    """Incidents and maintenances of a current-status payload."""
    data = payload.load_json(snapshot, _WHAT)
    with payload.malformed(snapshot, _WHAT):
        if not isinstance(data, dict) or not {"incidents", "scheduled"} & data.keys():
            raise ValueError("expected `incidents` or `scheduled` lists")
        sections = [
            (False, "Heroku incident", payload.objects(data, "incidents")),
            (True, "Heroku maintenance", payload.objects(data, "scheduled")),
        ]
    incidents, warnings = payload.read_sections(snapshot.url, sections, _incident)
    return Collected(incidents=tuple(incidents), warnings=warnings)


def _incident(item: dict[str, Any], scheduled: bool) -> VendorIncident:
    code = payload.ident(item)
    updates = tuple(
        sorted(filter(None, map(_update, payload.objects(item, "updates"))), key=lambda u: u.at)
    )
    closed = item.get("resolved") is True or payload.text(item.get("state")).lower() == "resolved"
    resolved_at = payload.utc_time(item.get("resolved_at"), field="resolved_at")
    if closed and resolved_at is None:
        resolved_at = resolution_time(updates) or (updates[-1].at if updates else None)
    started = payload.utc_time(item.get("created_at"), field="created_at")
    return VendorIncident(
        id=code,
        title=tidy_text(payload.text(item.get("title"))) or f"Heroku incident {code}",
        url=payload.text(item.get("full_url")) or f"https://status.heroku.com/incidents/{code}",
        status=_final_status(updates, closed, scheduled),
        impact="none" if scheduled else None,
        started_at=_work_began(updates) if scheduled else started,
        resolved_at=resolved_at if closed else None,
        components=tuple(dict.fromkeys(c.name for u in updates for c in u.components)),
        updates=updates,
        scheduled=scheduled,
    )


def _update(raw: dict[str, Any]) -> Update | None:
    at = payload.utc_time(raw.get("created_at"), field="update created_at")
    if at is None:
        return None
    word = payload.text(raw.get("update_type"))
    changes = tuple(
        ComponentChange(name, None, payload.text(raw[key]))
        for key, name in _COLOURS
        if payload.text(raw.get(key))
    )
    status = _TYPES.get(word.lower()) or normalise_status(word)
    return Update(at, status, word, body_text(payload.text(raw.get("contents"))), changes)


def _final_status(updates: tuple[Update, ...], closed: bool, scheduled: bool) -> Status:
    if closed:
        return "completed" if scheduled else "resolved"
    return updates[-1].status if updates else ("scheduled" if scheduled else "investigating")


def _work_began(updates: tuple[Update, ...]) -> datetime | None:
    # a maintenance is announced days ahead: it starts with its first "maintenance" update
    return next((u.at for u in updates if u.status == "in_progress"), None)
