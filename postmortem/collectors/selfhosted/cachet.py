"""Cachet's API: `/api/v1/incidents`, `/api/v1/schedules` and `/api/v1/components`.

An incident lists its updates (status 1 investigating, 2 identified, 3 watching, 4 fixed);
its own message and status are its one update only while it lists none, because Cachet
writes every update's status onto the incident and shows the message as the incident's
body, not as an update. Schedules are maintenances (0 upcoming, 1 in progress,
2 complete) and kept apart. Components alone yield no incidents. Cachet writes local
times without a zone (`2026-09-12 13:00:03`): they are read as UTC, with a warning.
"""

from __future__ import annotations

from typing import Any

from postmortem.collectors import payload
from postmortem.collectors.entries import read_entries
from postmortem.collectors.text.html import body_text, tidy_text
from postmortem.collectors.text.markdown import markdown_text
from postmortem.model import Collected, Snapshot, Status, Update, VendorIncident

_WHAT = "Cachet API JSON"
_INCIDENT: dict[int, Status] = {
    0: "scheduled",
    1: "investigating",
    2: "identified",
    3: "monitoring",
    4: "resolved",
}
_SCHEDULE: dict[int, Status] = {0: "scheduled", 1: "in_progress", 2: "completed"}
_TIME_KEYS = ("occurred_at", "created_at", "scheduled_at")


def collect(snapshot: Snapshot) -> Collected:
    """Incidents or schedules of one Cachet API page; a components page has none."""
    data = payload.load_json(snapshot, _WHAT)
    with payload.malformed(snapshot, _WHAT):
        items = payload.objects(data, "data")
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise ValueError("expected a `data` list")
    wanted = [item for item in items if "scheduled_at" in item or "is_resolved" in item]
    incidents, skipped = read_entries(
        wanted, _item, url=snapshot.url, noun="Cachet item", shape="an object"
    )
    warnings = list(skipped)
    naive = [
        item for item in wanted if not all(payload.has_offset(item.get(k)) for k in _TIME_KEYS)
    ]
    if naive:
        warnings.append(f"{snapshot.url}: Cachet times carry no zone; read as UTC")
    return Collected(incidents=tuple(incidents), warnings=tuple(warnings))


def _item(item: dict[str, Any]) -> VendorIncident:
    return _schedule(item) if "scheduled_at" in item else _incident(item)


def _incident(item: dict[str, Any]) -> VendorIncident:
    code = payload.ident(item)
    opened = payload.utc_time(item.get("occurred_at"), field="occurred_at") or payload.utc_time(
        item.get("created_at"), field="created_at"
    )
    # Cachet copies each update's status onto the incident: the incident's own message and
    # status are an update only while it lists none
    said = [
        _update(
            u, payload.utc_time(u.get("created_at"), field="update created_at"), u.get("status")
        )
        for u in payload.objects(item, "updates")
    ] or [_update(item, opened, item.get("status"))]
    # the demo posts every update in one second: Cachet's codes run in lifecycle order
    ordered = tuple(u for u, _ in sorted(filter(None, said), key=lambda u: (u[0].at, u[1])))
    resolved = item.get("is_resolved") is True
    closing = next((u.at for u in reversed(ordered) if u.status == "resolved"), None)
    return VendorIncident(
        id=code,
        title=tidy_text(payload.text(item.get("name"))) or f"Cachet incident {code}",
        url=payload.text(item.get("permalink")),
        status="resolved" if resolved else (ordered[-1].status if ordered else "investigating"),
        impact=None,
        started_at=opened,
        resolved_at=(closing or (ordered[-1].at if ordered else None)) if resolved else None,
        components=(),
        updates=ordered,
    )


def _schedule(item: dict[str, Any]) -> VendorIncident:
    code = payload.ident(item)
    status = _SCHEDULE.get(_code(item.get("status")), "scheduled")
    start = payload.utc_time(item.get("scheduled_at"), field="scheduled_at")
    done = payload.utc_time(item.get("completed_at"), field="completed_at")
    said = payload.utc_time(item.get("created_at"), field="created_at")
    message = body_text(markdown_text(payload.text(item.get("message"))))
    return VendorIncident(
        id=f"schedule-{code}",
        title=tidy_text(payload.text(item.get("name"))) or f"Cachet schedule {code}",
        url="",
        status=status,
        impact="none",
        started_at=start,
        # an upcoming schedule may carry a stale completed_at: only a completed one ended
        resolved_at=done if status == "completed" else None,
        components=tuple(
            payload.text(c.get("name"))
            for c in payload.objects(item, "components")
            if c.get("name")
        ),
        updates=(Update(said, status, payload.text(item.get("human_status")), message),)
        if said
        else (),
        scheduled=True,
    )


def _update(item: dict[str, Any], at: Any, code: Any) -> tuple[Update, int] | None:
    if at is None:
        return None
    number = _code(code)
    word = payload.text(item.get("human_status")) or str(number)
    message = body_text(markdown_text(payload.text(item.get("message"))))
    return Update(at, _INCIDENT.get(number, "update"), word, message), number


def _code(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise ValueError(f"status {value!r} is not a Cachet status number")
    return int(value)
