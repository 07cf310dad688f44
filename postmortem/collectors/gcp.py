"""Google Cloud status `incidents.json`: incidents with updates, products and locations.

Google sometimes files one outage as many incidents with the same begin and end (the
2021-11-12 networking outage is about ten); those siblings are grouped into one incident
whose `aliases` keep every member's id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from postmortem.errors import CollectError
from postmortem.model import Collected, Impact, Snapshot, Status, Update, VendorIncident

BASE = "https://status.cloud.google.com/"
_IMPACTS: dict[str, Impact] = {"low": "minor", "medium": "major", "high": "critical"}
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"(\*\*|__|`|^#+\s*)", re.MULTILINE)


def collect(snapshot: Snapshot) -> Collected:
    """Vendor incidents from a Google Cloud `incidents.json`, siblings grouped."""
    return Collected(incidents=group_siblings(parse_incidents(snapshot)))


def parse_incidents(snapshot: Snapshot) -> list[VendorIncident]:
    """Every incident in the file, ungrouped."""
    try:
        data = json.loads(snapshot.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CollectError(f"{snapshot.url}: not JSON: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(i, dict) and "begin" in i for i in data):
        raise CollectError(
            f"{snapshot.url}: not a Google Cloud incidents.json "
            "(expected a JSON list of incidents with 'begin')"
        )
    try:
        return [_incident(item) for item in data]
    except (KeyError, TypeError, ValueError) as exc:
        raise CollectError(f"{snapshot.url}: malformed Google Cloud incident: {exc}") from None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"time without offset: {value}")
    return parsed.astimezone(UTC)


def plain(markdown: str) -> str:
    """Google's update text is Markdown; keep the words, drop the markup."""
    return _MARKS.sub("", _LINK.sub(r"\1", markdown)).strip()


def _incident(item: dict[str, Any]) -> VendorIncident:
    raw_updates = sorted(item.get("updates") or [], key=lambda u: str(u.get("when") or ""))
    updates = []
    for index, raw in enumerate(raw_updates):
        word = str(raw.get("status") or "")
        status: Status = (
            "resolved" if word == "AVAILABLE" else "investigating" if index == 0 else "update"
        )
        at = _time(raw.get("when")) or _time(raw.get("created"))
        if at is not None:
            updates.append(Update(at, status, word, plain(str(raw.get("text") or ""))))
    end = _time(item.get("end"))
    products = tuple(str(p["title"]) for p in item.get("affected_products") or [] if "title" in p)
    return VendorIncident(
        id=str(item["id"]),
        title=str(item.get("external_desc") or item.get("service_name") or item["id"]).strip(),
        url=BASE + str(item.get("uri") or f"incidents/{item['id']}"),
        status="resolved" if end else (updates[-1].status if updates else "investigating"),
        impact=_IMPACTS.get(str(item.get("severity"))),
        started_at=_time(item["begin"]),
        resolved_at=end,
        components=products or ((str(item["service_name"]),) if item.get("service_name") else ()),
        updates=tuple(updates),
    )


def group_siblings(incidents: Iterable[VendorIncident]) -> tuple[VendorIncident, ...]:
    """One incident per identical (begin, end) window; members kept as aliases."""
    groups: dict[tuple[datetime | None, datetime | None], list[VendorIncident]] = {}
    for incident in incidents:
        groups.setdefault((incident.started_at, incident.resolved_at), []).append(incident)
    merged = [_merge(members) for members in groups.values()]
    return tuple(
        sorted(merged, key=lambda i: (i.started_at or datetime.min.replace(tzinfo=UTC), i.id))
    )


def _merge(members: Sequence[VendorIncident]) -> VendorIncident:
    if len(members) == 1 or members[0].started_at is None:
        return members[0]
    ordered = sorted(members, key=lambda i: (i.updates[0].at if i.updates else i.started_at, i.id))
    lead = ordered[0]
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
