"""Google Cloud status `incidents.json`: incidents with updates, products and locations.

Google sometimes files one outage as many incidents with the same begin and end (the
2021-11-12 networking outage is about ten); those siblings are grouped into one incident
whose `aliases` keep every member's id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from postmortem.collectors.entries import read_entries
from postmortem.collectors.payload import parse_json
from postmortem.collectors.text.markdown import markdown_text
from postmortem.errors import CollectError
from postmortem.limits import checked_utc
from postmortem.model import Collected, Impact, Snapshot, Status, Update, VendorIncident

BASE = "https://status.cloud.google.com/"
_IMPACTS: dict[str, Impact] = {"low": "minor", "medium": "major", "high": "critical"}
# used only when `severity` is missing
_STATUS_IMPACTS: dict[str, Impact] = {
    "SERVICE_INFORMATION": "minor",
    "SERVICE_DISRUPTION": "major",
    "SERVICE_OUTAGE": "critical",
}


def collect(snapshot: Snapshot, *, group: bool = True) -> Collected:
    """Vendor incidents from a Google Cloud `incidents.json`; `group=False` keeps siblings apart."""
    incidents, warnings = read_incidents(snapshot)
    return Collected(
        incidents=group_siblings(incidents) if group else tuple(incidents), warnings=warnings
    )


def parse_incidents(snapshot: Snapshot) -> list[VendorIncident]:
    """Every readable incident in the file, ungrouped."""
    return read_incidents(snapshot)[0]


def read_incidents(snapshot: Snapshot) -> tuple[list[VendorIncident], tuple[str, ...]]:
    """Every readable incident, ungrouped, and a warning for each item that was skipped."""
    try:
        data = parse_json(snapshot.body, snapshot.url, "Google Cloud JSON")
    except (ValueError, UnicodeDecodeError) as exc:
        raise CollectError(f"{snapshot.url}: not JSON: {exc}") from None
    if not isinstance(data, list) or (
        data and not any(isinstance(i, dict) and "begin" in i for i in data)
    ):
        raise CollectError(
            f"{snapshot.url}: not a Google Cloud incidents.json "
            "(expected a JSON list of incidents with 'begin')"
        )
    incidents, warnings = read_entries(
        data,
        _incident,
        url=snapshot.url,
        noun="Google Cloud incident",
        shape="an incident object with 'begin'",
        required=("begin",),
    )
    return incidents, warnings


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"time without offset: {value}")
    return checked_utc(parsed)


def _titles(value: Any, key: str = "title") -> tuple[str, ...]:
    """`[{title, id}, ...]` lists (products, locations), tolerating anything else."""
    items = value if isinstance(value, list) else []
    return tuple(str(i[key]) for i in items if isinstance(i, dict) and i.get(key))


def _update(raw: dict[str, Any], first: bool) -> Update | None:
    word = str(raw.get("status") or "")
    # SERVICE_* words are impact levels, not progress; only AVAILABLE says it is over
    status: Status = "resolved" if word == "AVAILABLE" else "investigating" if first else "update"
    at = _time(raw.get("when")) or _time(raw.get("created"))
    if at is None:
        return None
    text = markdown_text(str(raw.get("text") or ""))
    locations = _titles(raw.get("affected_locations"), "id")
    if locations:
        text = f"{text}\n\nLocations: {', '.join(locations)}"
    return Update(at, status, word, text)


def _incident(item: dict[str, Any]) -> VendorIncident:
    listed = item.get("updates")
    raw_updates = sorted(
        (u for u in (listed if isinstance(listed, list) else []) if isinstance(u, dict)),
        key=lambda u: str(u.get("when") or u.get("created") or ""),
    )
    found = (_update(raw, index == 0) for index, raw in enumerate(raw_updates))
    updates = [u for u in found if u is not None]
    end = _time(item.get("end"))
    products = _titles(item.get("affected_products"))
    return VendorIncident(
        id=str(item["id"]),
        title=str(item.get("external_desc") or item.get("service_name") or item["id"]).strip(),
        url=BASE + str(item.get("uri") or f"incidents/{item['id']}"),
        status="resolved" if end else (updates[-1].status if updates else "investigating"),
        impact=_IMPACTS.get(str(item.get("severity")))
        or _STATUS_IMPACTS.get(str(item.get("status_impact"))),
        started_at=_time(item["begin"]),
        resolved_at=end,
        components=products or ((str(item["service_name"]),) if item.get("service_name") else ()),
        updates=tuple(updates),
    )


def group_siblings(incidents: Iterable[VendorIncident]) -> tuple[VendorIncident, ...]:
    """One incident per identical (begin, end) window; members kept as aliases."""
    groups: dict[tuple[datetime, datetime] | str, list[VendorIncident]] = {}
    for incident in incidents:
        start, end = incident.started_at, incident.resolved_at
        # an open or undated incident has no window to share: it stays on its own
        key = (start, end) if start and end else f"{incident.id}|{len(groups)}"
        groups.setdefault(key, []).append(incident)
    merged = [_merge(members) for members in groups.values()]
    return tuple(
        sorted(merged, key=lambda i: (i.started_at or datetime.min.replace(tzinfo=UTC), i.id))
    )


def _merge(members: Sequence[VendorIncident]) -> VendorIncident:
    if len(members) == 1:
        return members[0]
    by_first = sorted(members, key=lambda i: (i.updates[0].at if i.updates else i.started_at, i.id))
    # the member Google kept updating is the primary one (2021-11-12: "Networking issues",
    # the incident its post-mortem names); max() keeps the earliest of equals
    lead = max(by_first, key=lambda i: len(i.updates))
    ordered = [lead, *(m for m in by_first if m is not lead)]
    updates: dict[tuple[datetime, str, str], Update] = {}
    for member in ordered:
        for update in member.updates:
            updates.setdefault((update.at, update.raw_status, update.text), update)
    worst = max(
        (m.impact for m in ordered if m.impact),
        key=["none", "minor", "major", "critical"].index,
        default=None,
    )
    return VendorIncident(
        id=lead.id,
        title=f"{lead.title} (+{len(ordered) - 1} related incidents)",
        url=lead.url,
        status=lead.status,
        impact=worst,
        started_at=lead.started_at,
        resolved_at=lead.resolved_at,
        components=tuple(dict.fromkeys(c for m in ordered for c in m.components)),
        updates=tuple(sorted(updates.values(), key=lambda u: u.at)),
        aliases=tuple(m.id for m in ordered[1:]),
    )
