"""incident.io status pages: the Statuspage-compatible `/api/v2/summary.json` and the
widget API `/api/v1/summary` (ongoing incidents and maintenances only)."""

from __future__ import annotations

from typing import Any

from postmortem.collectors import payload
from postmortem.collectors.text.html import body_text, looks_like_html
from postmortem.errors import CollectError
from postmortem.model import (
    Collected,
    ComponentChange,
    Impact,
    Snapshot,
    Status,
    Update,
    VendorIncident,
)

_WHAT = "incident.io JSON"
#: the widget's lists: (key, what an entry is called, the key of a maintenance's start)
_SECTIONS = (
    ("ongoing_incidents", "incident.io incident", None),
    ("in_progress_maintenances", "incident.io maintenance", "started_at"),
    ("scheduled_maintenances", "incident.io maintenance", "starts_at"),
)
_IMPACTS: dict[str, Impact] = {
    "degraded_performance": "minor",
    "partial_outage": "major",
    "full_outage": "critical",
}
_STATUSES: dict[str, Status] = {
    "investigating": "investigating",
    "identified": "identified",
    "monitoring": "monitoring",
    "resolved": "resolved",
}


def collect(snapshot: Snapshot) -> Collected:
    """Incidents from either incident.io shape, detected from the keys."""
    data = payload.load_json(snapshot, _WHAT)
    if isinstance(data, dict) and "ongoing_incidents" in data:
        with payload.malformed(snapshot, "incident.io widget summary"):
            incidents, warnings = _widget_incidents(data, snapshot.url)
        return Collected(incidents=tuple(incidents), warnings=warnings)
    if isinstance(data, dict) and "incidents" in data:
        from postmortem.collectors.statuspage import read_json_page

        page = read_json_page(snapshot.body)
        return Collected(incidents=page.incidents, warnings=page.warnings)
    raise CollectError(
        f"{snapshot.url}: not an incident.io summary (expected `ongoing_incidents` or `incidents`)"
    )


def _plain(message: str) -> str:
    # messages are meant to be plain text, but nothing stops a page from sending markup
    return body_text(message) if looks_like_html(message) else " ".join(message.split())


def _widget_incidents(
    data: dict[str, Any], url: str
) -> tuple[list[VendorIncident], tuple[str, ...]]:
    """Ongoing incidents (never resolved here) and maintenances from `/api/v1/summary`, and
    a warning for each entry that could not be read."""
    sections = [(start, noun, payload.objects(data, key)) for key, noun, start in _SECTIONS]
    return payload.read_sections(url, sections, _entry)


def _entry(item: dict[str, Any], start_key: str | None) -> VendorIncident:
    return _ongoing(item) if start_key is None else _maintenance(item, start_key)


def _ongoing(item: dict[str, Any]) -> VendorIncident:
    at = payload.utc_time(item.get("last_update_at"), field="last_update_at")
    components = [c for c in item.get("affected_components") or [] if isinstance(c, dict)]
    changes = tuple(
        ComponentChange(str(c["name"]), None, str(c.get("current_status") or "unknown"))
        for c in components
    )
    status = _STATUSES.get(str(item.get("status")), "update")
    updates = (
        ()
        if at is None
        else (
            Update(
                at,
                status,
                str(item.get("status") or ""),
                _plain(str(item.get("last_update_message") or "")),
                changes,
            ),
        )
    )
    code = payload.ident(item)
    return VendorIncident(
        id=code,
        title=payload.text(item.get("name")) or code,
        url=payload.text(item.get("url")),
        status=status,
        impact=_IMPACTS.get(str(item.get("current_worst_impact"))),
        # the widget shows only the latest update: the start is not known, only seen
        started_at=at,
        resolved_at=None,
        components=tuple(str(c["name"]) for c in components),
        updates=updates,
    )


def _maintenance(item: dict[str, Any], start_key: str) -> VendorIncident:
    code = payload.ident(item)
    start = payload.utc_time(item.get(start_key), field=start_key)
    return VendorIncident(
        id=code,
        title=payload.text(item.get("name")) or code,
        url=payload.text(item.get("url")),
        status="in_progress" if start_key == "started_at" else "scheduled",
        impact="none",
        started_at=start,
        resolved_at=None,
        components=tuple(
            str(c["name"]) for c in item.get("affected_components") or [] if isinstance(c, dict)
        ),
        updates=(),
        scheduled=True,
    )
