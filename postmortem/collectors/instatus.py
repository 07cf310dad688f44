"""Instatus pages: `/summary.json` (active incidents and maintenances) and `/v2/components.json`.

The summary lists only what is open, with the latest word and no update texts: each
incident gets one update at `updatedAt` saying its status and impact. Maintenances
(`start` and `duration` in minutes) are kept apart as scheduled. A healthy page, or the
components list, yields no incidents.
"""

from __future__ import annotations

from typing import Any

from postmortem.collectors import payload
from postmortem.collectors.text.html import tidy_text
from postmortem.model import Collected, Impact, Snapshot, Status, Update, VendorIncident

_WHAT = "Instatus summary JSON"
_STATUSES: dict[str, Status] = {
    "INVESTIGATING": "investigating",
    "IDENTIFIED": "identified",
    "MONITORING": "monitoring",
    "RESOLVED": "resolved",
    "NOTSTARTEDYET": "scheduled",
    "INPROGRESS": "in_progress",
    "COMPLETED": "completed",
}
_IMPACTS: dict[str, Impact] = {
    "OPERATIONAL": "none",
    "UNDERMAINTENANCE": "none",
    "DEGRADEDPERFORMANCE": "minor",
    "PARTIALOUTAGE": "major",
    "MAJOROUTAGE": "critical",
}
_WORDS = {
    "NOTSTARTEDYET": "Not started yet",
    "INPROGRESS": "In progress",
    "DEGRADEDPERFORMANCE": "Degraded performance",
    "PARTIALOUTAGE": "Partial outage",
    "MAJOROUTAGE": "Major outage",
    "UNDERMAINTENANCE": "Under maintenance",
}
_KEYS = {"page", "activeIncidents", "activeMaintenances", "components"}


def collect(snapshot: Snapshot) -> Collected:
    """Open incidents and maintenances of an Instatus page; none when it is all up."""
    data = payload.load_json(snapshot, _WHAT)
    with payload.malformed(snapshot, _WHAT):
        if not isinstance(data, dict) or not _KEYS & data.keys():
            raise ValueError("expected `page`, `activeIncidents` or `activeMaintenances`")
        page = data["page"] if isinstance(data.get("page"), dict) else {}
        sections = [
            (False, "Instatus incident", payload.objects(data, "activeIncidents")),
            (True, "Instatus maintenance", payload.objects(data, "activeMaintenances")),
        ]
    incidents, warnings = payload.read_sections(snapshot.url, sections, _incident)
    if not incidents and payload.text(page.get("status")) == "HASISSUES":
        warnings += (f"{snapshot.url}: the page says HASISSUES but lists no incident",)
    return Collected(incidents=tuple(incidents), warnings=warnings)


def _incident(item: dict[str, Any], scheduled: bool) -> VendorIncident:
    code = payload.ident(item)
    word = payload.text(item.get("status")).upper()
    status = _STATUSES.get(word, "scheduled" if scheduled else "update")
    impact = payload.text(item.get("impact")).upper()
    start = payload.utc_time(item.get("start" if scheduled else "started"), field="start")
    seen = payload.utc_time(item.get("updatedAt"), field="updatedAt")
    said = "; ".join(w for w in (_said(word), _said(impact), _planned(item)) if w)
    ended = status in ("resolved", "completed")
    return VendorIncident(
        id=code,
        title=tidy_text(payload.text(item.get("name"))) or f"Instatus incident {code}",
        url=payload.text(item.get("url")),
        status=status,
        impact="none" if scheduled else _IMPACTS.get(impact),
        started_at=start,
        resolved_at=seen if ended else None,
        components=(),
        updates=(Update(seen, status, word, said),) if seen else (),
        scheduled=scheduled,
    )


def _said(word: str) -> str:
    """NOTSTARTEDYET -> "Not started yet", PARTIALOUTAGE -> "Partial outage"."""
    return _WORDS.get(word, word.capitalize())


def _planned(item: dict[str, Any]) -> str:
    minutes = item.get("duration")
    ok = isinstance(minutes, int | float) and not isinstance(minutes, bool) and minutes > 0
    return f"planned for {minutes:g} minutes" if ok else ""
