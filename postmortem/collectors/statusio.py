"""status.io's public status API `/1.0/status/{page_id}` (GitLab, Docker and others).

The payload holds what is open now: incidents with their messages (state 100
investigating, 200 identified, 300 monitoring) and maintenances, active or upcoming,
which are kept apart as scheduled. Components and the containers they run in (regions,
clouds) name what is affected, as "Website (Google Compute Engine)".
"""

from __future__ import annotations

from typing import Any

from postmortem.collectors import payload
from postmortem.collectors.text.html import body_text, tidy_text
from postmortem.model import (
    Collected,
    ComponentChange,
    Impact,
    Snapshot,
    Status,
    Update,
    VendorIncident,
)

_WHAT = "status.io status JSON"
_STATES: dict[int, Status] = {100: "investigating", 200: "identified", 300: "monitoring"}
_MAINTENANCE_STATES: dict[int, Status] = {100: "in_progress", 200: "in_progress", 300: "verifying"}
#: status.io's own names for the states of an incident's messages
_STATE_WORDS = {100: "Investigating", 200: "Identified", 300: "Monitoring"}
_UPCOMING: dict[int, Status] = dict.fromkeys(_STATES, "scheduled")
# component status codes: 100 operational, 200 planned maintenance, 300 degraded
# performance, 400 partial disruption, 500 service disruption, 600 security event
_IMPACTS: dict[int, Impact] = {
    200: "none",
    300: "minor",
    400: "major",
    500: "critical",
    600: "major",
}
_CODES = {
    100: "Operational",
    200: "Planned Maintenance",
    300: "Degraded Performance",
    400: "Partial Service Disruption",
    500: "Service Disruption",
    600: "Security Event",
}


def collect(snapshot: Snapshot) -> Collected:
    """Open incidents and maintenances of a status.io page."""
    data = payload.load_json(snapshot, _WHAT)
    with payload.malformed(snapshot, _WHAT):
        result = data.get("result") if isinstance(data, dict) else None
        if not isinstance(result, dict):
            raise ValueError("expected a `result` object")
        maintenance = result.get("maintenance") or {}
        sections = [
            ("incident", "status.io incident", payload.objects(result, "incidents")),
            ("active", "status.io maintenance", payload.objects(maintenance, "active")),
            ("upcoming", "status.io maintenance", payload.objects(maintenance, "upcoming")),
        ]
    incidents, warnings = payload.read_sections(snapshot.url, sections, _incident)
    return Collected(incidents=tuple(incidents), warnings=warnings)


def _incident(item: dict[str, Any], section: str) -> VendorIncident:
    scheduled = section != "incident"
    code = payload.ident(item, "_id")
    components = _affected(item)
    states = {"incident": _STATES, "active": _MAINTENANCE_STATES}.get(section, _UPCOMING)
    updates = tuple(
        sorted(
            filter(
                None, (_update(m, states, components) for m in payload.objects(item, "messages"))
            ),
            key=lambda u: u.at,
        )
    )
    worst = max((_code(m.get("status")) for m in payload.objects(item, "messages")), default=0)
    planned = payload.utc_time(item.get("datetime_planned_start"), field="datetime_planned_start")
    return VendorIncident(
        id=code,
        title=tidy_text(payload.text(item.get("name"))) or f"status.io incident {code}",
        url="",
        status=updates[-1].status if updates else ("scheduled" if scheduled else "investigating"),
        impact="none" if scheduled else _IMPACTS.get(worst),
        started_at=(planned if scheduled else None)
        or payload.utc_time(item.get("datetime_open"), field="datetime_open")
        or (updates[0].at if updates else None),
        resolved_at=None,  # the API lists only what is still open
        components=components,
        updates=updates,
        scheduled=scheduled,
    )


def _affected(item: dict[str, Any]) -> tuple[str, ...]:
    names = [
        payload.text(c.get("name")).strip() for c in payload.objects(item, "components_affected")
    ]
    containers = [
        payload.text(c.get("name")).strip() for c in payload.objects(item, "containers_affected")
    ]
    where = f" ({', '.join(c for c in containers if c)})" if any(containers) else ""
    return tuple(dict.fromkeys(f"{name}{where}" for name in names if name))


def _update(
    message: dict[str, Any], states: dict[int, Status], components: tuple[str, ...]
) -> Update | None:
    at = payload.utc_time(message.get("datetime"), field="message datetime")
    if at is None:
        return None
    state, code = _code(message.get("state")), _code(message.get("status"))
    label = _CODES.get(code, str(code))
    changes = tuple(ComponentChange(name, None, label) for name in components) if code else ()
    raw = _STATE_WORDS.get(state, str(state) if state else "")
    return Update(
        at,
        states.get(state, "update"),
        raw,
        body_text(payload.text(message.get("details"))),
        changes,
    )


def _code(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"status code {value!r} is not a number")
    return int(value) if str(value).strip() else 0
