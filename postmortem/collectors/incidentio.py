"""incident.io status pages: the Statuspage-compatible `/api/v2/summary.json` and the
widget API `/api/v1/summary` (ongoing incidents and maintenances only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from postmortem.collectors.payload import parse_json
from postmortem.collectors.text.html import body_text, looks_like_html
from postmortem.errors import CollectError
from postmortem.limits import checked_utc
from postmortem.model import (
    Collected,
    ComponentChange,
    Impact,
    Snapshot,
    Status,
    Update,
    VendorIncident,
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
    try:
        data = parse_json(snapshot.body, snapshot.url, "incident.io JSON")
    except (ValueError, UnicodeDecodeError) as exc:
        raise CollectError(f"{snapshot.url}: not JSON: {exc}") from None
    if isinstance(data, dict) and "ongoing_incidents" in data:
        try:
            return Collected(incidents=widget_incidents(data))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise CollectError(
                f"{snapshot.url}: malformed incident.io widget summary: {exc}"
            ) from None
    if isinstance(data, dict) and "incidents" in data:
        from postmortem.collectors.statuspage import read_json_page

        page = read_json_page(snapshot.body)
        return Collected(incidents=page.incidents, warnings=page.warnings)
    raise CollectError(
        f"{snapshot.url}: not an incident.io summary (expected `ongoing_incidents` or `incidents`)"
    )


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return checked_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))


def _plain(message: str) -> str:
    # messages are meant to be plain text, but nothing stops a page from sending markup
    return body_text(message) if looks_like_html(message) else " ".join(message.split())


def widget_incidents(data: dict[str, Any]) -> tuple[VendorIncident, ...]:
    """Ongoing incidents (never resolved here) and maintenances from `/api/v1/summary`."""
    found = [_ongoing(item) for item in _objects(data, "ongoing_incidents")]
    for key, start_key, end_key in (
        ("in_progress_maintenances", "started_at", "scheduled_end_at"),
        ("scheduled_maintenances", "starts_at", "ends_at"),
    ):
        found += [_maintenance(item, start_key, end_key) for item in _objects(data, key)]
    return tuple(found)


def _objects(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The JSON objects listed under `key`; a missing or mistyped list counts as empty."""
    value = data.get(key)
    if value is not None and not isinstance(value, list):
        raise TypeError(f"`{key}` should be a list, not {type(value).__name__}")
    return [item for item in value or () if isinstance(item, dict)]


def _ongoing(item: dict[str, Any]) -> VendorIncident:
    at = _time(item.get("last_update_at"))
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
    return VendorIncident(
        id=str(item["id"]),
        title=str(item.get("name") or item["id"]),
        url=str(item.get("url") or ""),
        status=status,
        impact=_IMPACTS.get(str(item.get("current_worst_impact"))),
        # the widget shows only the latest update: the start is not known, only seen
        started_at=at,
        resolved_at=None,
        components=tuple(str(c["name"]) for c in components),
        updates=updates,
    )


def _maintenance(item: dict[str, Any], start_key: str, end_key: str) -> VendorIncident:
    start = _time(item.get(start_key))
    return VendorIncident(
        id=str(item["id"]),
        title=str(item.get("name") or item["id"]),
        url=str(item.get("url") or ""),
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
