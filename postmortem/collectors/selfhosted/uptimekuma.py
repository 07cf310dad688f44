"""Uptime Kuma status pages: `/api/status-page/<slug>` and `/api/status-page/heartbeat/<slug>`.

The status page holds the pinned incident (Kuma has no resolved state: an incident is
shown until it is unpinned, so it is always open) and the maintenance list, kept apart
as scheduled. The heartbeat list holds each monitor's recent beats (0 down, 1 up,
2 pending, 3 maintenance): every run of down beats is an incident from its first down
beat to the next up beat, open when the monitor is still down. Kuma stores times in UTC
without saying so; maintenance windows carry their own offset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from postmortem.collectors import payload
from postmortem.collectors.text.html import body_text, tidy_text
from postmortem.collectors.text.markdown import markdown_text
from postmortem.model import Collected, Impact, Snapshot, Status, Update, VendorIncident

_WHAT = "Uptime Kuma status JSON"
_DOWN, _UP = 0, 1
_STYLES: dict[str, Impact] = {"danger": "major", "warning": "minor", "info": "none"}
_MAINTENANCE: dict[str, Status] = {
    "under-maintenance": "in_progress",
    "scheduled": "scheduled",
    "ended": "completed",
}


def collect(snapshot: Snapshot) -> Collected:
    """The pinned incident and maintenances of a status page, or the down spells of beats."""
    data = payload.load_json(snapshot, _WHAT)
    with payload.malformed(snapshot, _WHAT):
        if not isinstance(data, dict) or not {"heartbeatList", "config"} & data.keys():
            raise ValueError("expected `config` (status page) or `heartbeatList` (heartbeats)")
        if "heartbeatList" in data:
            beats = data["heartbeatList"]
            if not isinstance(beats, dict):
                raise TypeError("`heartbeatList` should be an object of monitors")
            spells = [
                spell for monitor, listed in beats.items() for spell in _spells(monitor, listed)
            ]
            return Collected(incidents=tuple(spells))
        pinned = [data["incident"]] if isinstance(data.get("incident"), dict) else []
        sections = [
            (False, "Uptime Kuma incident", pinned),
            (True, "Uptime Kuma maintenance", payload.objects(data, "maintenanceList")),
        ]
    incidents, warnings = payload.read_sections(snapshot.url, sections, _page_item)
    return Collected(incidents=tuple(incidents), warnings=warnings)


def _page_item(item: dict[str, Any], scheduled: bool) -> VendorIncident:
    return _maintenance(item) if scheduled else _pinned(item)


def _pinned(item: dict[str, Any]) -> VendorIncident:
    code = payload.ident(item)
    created = payload.utc_time(item.get("createdDate"), field="createdDate")
    edited = payload.utc_time(item.get("lastUpdatedDate"), field="lastUpdatedDate")
    # an edit replaces the text: only the latest wording exists, as of the latest edit
    status: Status = "update" if edited else "investigating"
    said = body_text(markdown_text(payload.text(item.get("content"))))
    at = edited or created
    return VendorIncident(
        id=f"incident-{code}",
        title=tidy_text(payload.text(item.get("title"))) or f"Uptime Kuma incident {code}",
        url="",
        status=status,
        impact=_STYLES.get(payload.text(item.get("style"))),
        started_at=created,
        resolved_at=None,
        components=(),
        updates=(Update(at, status, payload.text(item.get("style")), said),) if at else (),
    )


def _maintenance(item: dict[str, Any]) -> VendorIncident:
    code = payload.ident(item)
    offset = payload.text(item.get("timezoneOffset"))
    slots = payload.objects(item, "timeslotList")
    start = (
        payload.utc_time(f"{payload.text(slots[0].get('startDate'))}{offset}", field="startDate")
        if slots
        else None
    )
    end = (
        payload.utc_time(f"{payload.text(slots[-1].get('endDate'))}{offset}", field="endDate")
        if slots
        else None
    )
    status = _MAINTENANCE.get(payload.text(item.get("status")), "scheduled")
    said = body_text(markdown_text(payload.text(item.get("description"))))
    return VendorIncident(
        id=f"maintenance-{code}",
        title=tidy_text(payload.text(item.get("title"))) or f"Uptime Kuma maintenance {code}",
        url="",
        status=status,
        impact="none",
        started_at=start,
        resolved_at=end if status == "completed" else None,
        components=(),
        updates=(Update(start, status, payload.text(item.get("status")), said),) if start else (),
        scheduled=True,
    )


def _spells(monitor: str, beats: Any) -> list[VendorIncident]:
    if not isinstance(beats, list):
        raise TypeError(f"heartbeats of monitor {monitor} should be a list")
    timed = sorted((_beat(beat), _state(beat)) for beat in beats if isinstance(beat, dict))
    spells: list[VendorIncident] = []
    began: datetime | None = None
    for at, state in timed:
        if state == _DOWN and began is None:
            began = at
        elif state == _UP and began is not None:
            spells.append(_spell(monitor, began, at))
            began = None
    if began is not None:
        spells.append(_spell(monitor, began, None))
    return spells


def _spell(monitor: str, began: datetime, ended: datetime | None) -> VendorIncident:
    name = f"monitor {monitor}"
    updates = [Update(began, "investigating", "down", f"{name} is down")]
    if ended:
        updates.append(Update(ended, "resolved", "up", f"{name} is up again"))
    return VendorIncident(
        id=f"{monitor}-{int(began.timestamp())}",
        title=f"{name} down",
        url="",
        status=updates[-1].status,
        impact="major",
        started_at=began,
        resolved_at=ended,
        components=(name,),
        updates=tuple(updates),
    )


def _beat(beat: dict[str, Any]) -> datetime:
    at = payload.utc_time(beat.get("time"), field="heartbeat time")
    if at is None:
        raise ValueError("a heartbeat has no time")
    return at


def _state(beat: dict[str, Any]) -> int:
    value = beat.get("status")
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"heartbeat status {value!r} is not a number")
    return value
