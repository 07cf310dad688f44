"""Statuspage JSON API v2 payloads (and Statuspage-compatible ones) -> VendorIncidents.

Reads `/api/v2/incidents.json`, `incidents/<code>.json`, `incidents/unresolved.json`,
`summary.json`, `scheduled-maintenances*.json` and JSON-lines dumps of incident objects.
Every field but `id` is optional, so incident.io's Statuspage-compatible `summary.json`
(no started_at, resolved_at or components) parses too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any

from postmortem.collectors.payload import parse_json
from postmortem.collectors.statuspage.words import (
    MAINTENANCE_STATUSES,
    normalise_impact,
    normalise_status,
    resolution_time,
)
from postmortem.collectors.text.html import body_text, tidy_text
from postmortem.errors import CollectError
from postmortem.limits import checked_utc
from postmortem.model import ComponentChange, Status, Update, VendorIncident

_LISTS = ("incidents", "scheduled_maintenances")
_AT = attrgetter("at")


@dataclass(frozen=True, slots=True)
class JsonPage:
    """What one JSON payload holds: its incidents, the page's zone, and any warnings."""

    incidents: tuple[VendorIncident, ...]
    page_zone: str | None
    warnings: tuple[str, ...]


def incidents_from_json(data: bytes) -> tuple[VendorIncident, ...]:
    """VendorIncidents from a Statuspage /api/v2 payload or a JSON-lines dump of them."""
    return read_json_page(data).incidents


def read_json_page(data: bytes) -> JsonPage:
    """Parse a payload into incidents (each id once, in payload order) plus page facts."""
    incidents: dict[str, VendorIncident] = {}
    zones: list[str] = []
    warnings: list[str] = []
    for number, document in enumerate(_documents(data), start=1):
        page = _page(document, f"JSON document {number}")
        if isinstance(page.get("time_zone"), str):
            zones.append(page["time_zone"])
        for incident in _document_incidents(document, page, f"JSON document {number}", warnings):
            incidents[incident.id] = incident
    return JsonPage(tuple(incidents.values()), zones[-1] if zones else None, tuple(warnings))


def incidents_from_lines(lines: Iterable[bytes], *, start: int = 1) -> Iterator[VendorIncident]:
    """VendorIncidents from a JSON-lines dump, read line by line: memory stays flat.

    Lines are numbered from `start` in errors. Incidents that cannot be read (no id) are
    left out, as in `incidents_from_json`.
    """
    for number, line in enumerate(lines, start=start):
        if not line.strip():
            continue
        where = f"JSON line {number}"
        try:
            document = parse_json(line, where, "Statuspage JSON")
        except UnicodeDecodeError as exc:
            raise CollectError(f"{where}: not UTF-8 (byte {exc.start})") from None
        except json.JSONDecodeError as exc:
            raise CollectError(f"{where}: not valid JSON: {exc.msg}") from None
        yield from _document_incidents(document, _page(document, where), where, [])


def _page(document: object, where: str) -> dict[str, Any]:
    if not isinstance(document, dict | list):
        raise CollectError(f"{where} is not an object; not Statuspage JSON")
    page = document.get("page") if isinstance(document, dict) else None
    return page if isinstance(page, dict) else {}


def _document_incidents(
    document: dict[str, Any] | list[Any], page: dict[str, Any], where: str, warnings: list[str]
) -> Iterator[VendorIncident]:
    for obj in _incident_objects(document):
        try:
            yield incident_from_object(obj, page_url=_text(page.get("url")))
        except ValueError as exc:
            warnings.append(f"{where}: skipped an incident: {exc}")


def incident_from_object(obj: dict[str, Any], *, page_url: str = "") -> VendorIncident:
    """One incident (or maintenance) object; only `id` is required."""
    code = _text(obj.get("id"))
    if not code:
        raise ValueError(f"an incident has no id (name {_text(obj.get('name'))!r})")
    updates = _updates(obj.get("incident_updates"))
    changed = (change.name for update in updates for change in update.components)
    listed = (_text(c.get("name")) for c in _dicts(obj.get("components")))
    scheduled = bool(obj.get("scheduled_for")) or _text(obj.get("impact")) == "maintenance"
    status_word = _text(obj.get("status"))
    if "resolved_at" in obj:
        resolved = _time(obj.get("resolved_at"))
    else:  # incident.io leaves the field out; its closing update is the vendor's own word
        resolved = resolution_time(updates)
    return VendorIncident(
        id=code,
        title=tidy_text(_text(obj.get("name"))),
        url=_incident_url(obj, code, page_url),
        status=normalise_status(status_word) if status_word else _last_status(updates),
        impact=normalise_impact(obj.get("impact")),
        started_at=(
            _time(obj.get("started_at"))
            or _time(obj.get("created_at"))
            or (updates[0].at if updates else None)
        ),
        resolved_at=resolved,
        components=tuple(dict.fromkeys(name for name in (*listed, *changed) if name)),
        updates=updates,
        scheduled=scheduled or any(u.status in MAINTENANCE_STATUSES for u in updates),
    )


def _documents(data: bytes) -> Iterator[Any]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CollectError(f"JSON is not UTF-8 (byte {exc.start})") from None
    try:
        yield parse_json(text, "JSON", "Statuspage JSON")
        return
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise CollectError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield parse_json(line, f"JSON line {lineno}", "Statuspage JSON")
            except json.JSONDecodeError as exc:
                raise CollectError(f"JSON line {lineno}: not valid JSON: {exc.msg}") from None


def _incident_objects(document: dict[str, Any] | list[Any]) -> Iterator[dict[str, Any]]:
    if isinstance(document, list):
        yield from _dicts(document)
        return
    if isinstance(document.get("incident"), dict):
        yield document["incident"]
    if isinstance(document.get("scheduled_maintenance"), dict):
        yield document["scheduled_maintenance"]
    for key in _LISTS:
        yield from _dicts(document.get(key))
    if "incident_updates" in document and "id" in document:
        yield document


def _updates(items: object) -> tuple[Update, ...]:
    """The updates of an incident object, oldest first.

    (With the archive's import this loop runs a million times: it is kept flat.)
    """
    found: list[Update] = []
    for item in _dicts(items):
        at = _time(item.get("display_at")) or _time(item.get("created_at"))
        if at is None:
            continue  # an update without any time cannot be placed on a timeline
        word = _text(item.get("status"))
        changes = item.get("affected_components")  # most often null or empty
        found.append(
            Update(
                at,
                normalise_status(word),
                word,
                body_text(_text(item.get("body"))),
                tuple(_changes(changes)) if changes else (),
            )
        )
    found.sort(key=_AT)  # stable: updates of the same time keep the payload's order
    return tuple(found)


def _changes(items: object) -> Iterator[ComponentChange]:
    for item in _dicts(items):
        name, new = _text(item.get("name")), _text(item.get("new_status"))
        if name and new:
            yield ComponentChange(name=name, old=_text(item.get("old_status")) or None, new=new)


def _incident_url(obj: dict[str, Any], code: str, page_url: str) -> str:
    if page_url.startswith(("https://", "http://")):
        return f"{page_url.rstrip('/')}/incidents/{code}"
    return _text(obj.get("shortlink"))


def _last_status(updates: tuple[Update, ...]) -> Status:
    return updates[-1].status if updates else "update"


def _time(value: object) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        # Statuspage always writes an offset; a bare time is read as UTC rather than dropped.
        return checked_utc(datetime.fromisoformat(value))
    except ValueError:
        return None


def _dicts(items: object) -> Iterator[dict[str, Any]]:
    if isinstance(items, list):
        yield from (item for item in items if isinstance(item, dict))


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)
