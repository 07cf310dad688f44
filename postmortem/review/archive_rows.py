"""How records become the archive's rows and rows become records."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import cast

from postmortem.model import ComponentChange, Impact, Status, Update, VendorIncident
from postmortem.review.archive_schema import LONG, LONG_DAYS


def bounded(start: datetime, end: datetime) -> tuple[str, list[str]]:
    """SQL over `incidents i` for incidents overlapping [start, end), with its arguments.

    Two index range scans bound the work by the period, not the archive: starts in
    [start - LONG_DAYS, end), and the long or open incidents started before that.
    """
    where = (
        "i.rowid IN (SELECT rowid FROM incidents"  # noqa: S608 - fixed SQL fragments only
        " WHERE started_at >= ? AND started_at < ?"
        f" UNION ALL SELECT rowid FROM incidents WHERE {LONG} AND started_at < ?)"
        " AND (i.resolved_at IS NULL OR i.resolved_at >= ?)"
    )
    early = cast(str, utc_text(start - timedelta(days=LONG_DAYS)))
    return where, [early, cast(str, utc_text(end)), early, cast(str, utc_text(start))]


def utc_text(at: datetime | None) -> str | None:
    """How a time is stored: fixed-width UTC text."""
    # Fixed-width UTC text (2023-09-01T12:00:00.000000Z) sorts like the instants it names,
    # so SQL range filters just work. isoformat is several times faster than strftime.
    if at is None:
        return None
    if at.tzinfo is not UTC:  # parsed times are UTC already; converting them again is waste
        at = at.astimezone(UTC)
    # isoformat() leaves out zero microseconds; asked for them by keyword it is much slower
    text = at.isoformat()  # 2023-09-01T12:00:00[.123456]+00:00
    return text[:19] + ".000000Z" if len(text) == 25 else text[:26] + "Z"


def time_of(text: str | None) -> datetime | None:
    """The aware UTC time a stored text names."""
    return None if text is None else datetime.fromisoformat(text)  # "Z" reads as UTC


#: vendor, incident_id, at, status, raw_status, text, components: a row of `updates`
Row = tuple[str, str, str | None, str, str, str, str]
Head = tuple[object, ...]  #: a row of `incidents`
Stored = tuple[Head, list[Row]]  #: one incident as rows; plain tuples cross processes cheaply
Key = tuple[str | None, str, str]  #: at, status, text: the UNIQUE constraint within an incident


def select_incidents(
    db: sqlite3.Connection, where: str, args: list[str]
) -> tuple[tuple[str, VendorIncident], ...]:
    """(vendor, incident) pairs matching `where` (fixed SQL over `incidents i`), by start."""
    rows = db.execute(
        f"SELECT i.* FROM incidents i WHERE {where} ORDER BY i.started_at, i.vendor, i.id",  # noqa: S608 - only fixed SQL fragments are interpolated
        args,
    ).fetchall()
    grouped: dict[tuple[str, str], list[Update]] = {}
    cursor = db.execute(
        "SELECT u.* FROM updates u JOIN incidents i"  # noqa: S608 - as above
        f" ON u.vendor = i.vendor AND u.incident_id = i.id WHERE {where} ORDER BY u.at",
        args,
    )
    for vendor, incident_id, *row in cursor:
        grouped.setdefault((vendor, incident_id), []).append(_update(row))
    return tuple((row[0], _incident(row, tuple(grouped.get((row[0], row[1]), ())))) for row in rows)


def first_starts(db: sqlite3.Connection) -> dict[str, datetime]:
    """Per vendor, its earliest archived start: a few index seeks, however large the file."""
    found = {}
    vendor = db.execute("SELECT MIN(vendor) FROM incidents").fetchone()[0]
    while vendor is not None:
        (first,) = db.execute(
            "SELECT MIN(started_at) FROM incidents WHERE vendor = ? AND started_at IS NOT NULL",
            (vendor,),
        ).fetchone()
        if first is not None:
            found[vendor] = cast(datetime, time_of(first))
        vendor = db.execute("SELECT MIN(vendor) FROM incidents WHERE vendor > ?", (vendor,))
        vendor = vendor.fetchone()[0]
    return found


def stored_incident(db: sqlite3.Connection, vendor: str, incident_id: str) -> VendorIncident | None:
    """One archived incident with its updates, or None when it is new."""
    row = db.execute(
        "SELECT * FROM incidents WHERE vendor = ? AND id = ?", (vendor, incident_id)
    ).fetchone()
    if row is None:
        return None
    updates = db.execute(
        "SELECT at, status, raw_status, text, components FROM updates"
        " WHERE vendor = ? AND incident_id = ? ORDER BY at",
        (vendor, incident_id),
    )
    return _incident(row, tuple(_update(u) for u in updates))


_INSERT_INCIDENT = "INSERT OR REPLACE INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT_UPDATE = "INSERT OR REPLACE INTO updates VALUES (?, ?, ?, ?, ?, ?, ?)"


def holds_vendor(db: sqlite3.Connection, vendor: str) -> bool:
    """True when the archive has any incident of `vendor` (one index seek)."""
    found = db.execute("SELECT 1 FROM incidents WHERE vendor = ? LIMIT 1", (vendor,))
    return found.fetchone() is not None


def incident_rows(vendor: str, incident: VendorIncident) -> Stored:
    """`incident` as the archive stores it: its `incidents` row and its `updates` rows."""
    return _head(vendor, incident), list(_keyed(vendor, incident.id, incident.updates).values())


def incident_of(stored: Stored) -> VendorIncident:
    """The record `incident_rows` made rows of."""
    head, rows = stored
    return _incident(head, tuple(_update(row[2:]) for row in rows))


def insert_new(db: sqlite3.Connection, incidents: list[Stored]) -> int:
    """Store incidents the archive does not hold yet, in two statements; returns updates."""
    db.executemany(_INSERT_INCIDENT, (head for head, _ in incidents))
    rows = [row for _, updates in incidents for row in updates]
    db.executemany(_INSERT_UPDATE, rows)
    return len(rows)


def write_incident(
    db: sqlite3.Connection, vendor: str, incident: VendorIncident, old: VendorIncident | None
) -> int:
    """Store `incident` (already merged with `old`); returns how many updates are new."""
    db.execute(_INSERT_INCIDENT, _head(vendor, incident))
    rows = _keyed(vendor, incident.id, incident.updates)
    before = _keyed(vendor, incident.id, old.updates) if old else {}
    gone = [(vendor, incident.id, *key) for key in before.keys() - rows.keys()]
    db.executemany(
        "DELETE FROM updates WHERE vendor = ? AND incident_id = ? AND at = ?"
        " AND status = ? AND text = ?",
        gone,
    )
    added = [row for key, row in rows.items() if before.get(key) != row]
    db.executemany(_INSERT_UPDATE, added)
    return max(0, len(rows) - len(before))  # fewer when stored duplicates became one


def _head(vendor: str, incident: VendorIncident) -> Head:
    return (
        vendor,
        incident.id,
        incident.title,
        incident.url,
        incident.status,
        incident.impact,
        utc_text(incident.started_at),
        utc_text(incident.resolved_at),
        int(incident.scheduled),
        json.dumps(sorted(incident.components)) if incident.components else "[]",
    )


def _keyed(vendor: str, incident_id: str, updates: Iterable[Update]) -> dict[Key, Row]:
    """The rows of one incident's updates keyed like the table's UNIQUE constraint, so a
    feed repeating an update is one row. (The hottest loop of an import: kept flat.)"""
    keyed: dict[Key, Row] = {}
    for update in updates:
        at, status, text, changes = (
            utc_text(update.at),
            update.status,
            update.text,
            update.components,
        )
        # most updates change no component: "[]" is what json.dumps would write
        listed = json.dumps([[c.name, c.old, c.new] for c in changes]) if changes else "[]"
        keyed[at, status, text] = (vendor, incident_id, at, status, update.raw_status, text, listed)
    return keyed


def _update(row: Iterable[object]) -> Update:
    at, status, raw, text, components = row
    return Update(
        at=cast(datetime, time_of(cast(str, at))),
        status=cast(Status, status),
        raw_status=str(raw),
        text=str(text),
        components=tuple(ComponentChange(*c) for c in json.loads(str(components))),
    )


def _incident(row: tuple[object, ...], updates: tuple[Update, ...]) -> VendorIncident:
    _vendor, id_, title, url, status, impact, started, resolved, scheduled, components = row
    return VendorIncident(
        id=str(id_),
        title=str(title),
        url=str(url),
        status=cast(Status, status),
        impact=cast("Impact | None", impact),
        started_at=time_of(cast("str | None", started)),
        resolved_at=time_of(cast("str | None", resolved)),
        components=tuple(json.loads(str(components))),
        updates=updates,
        scheduled=bool(scheduled),
    )
