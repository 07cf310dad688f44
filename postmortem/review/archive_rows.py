"""The archive's tables, and how records become rows and rows become records."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import cast

from postmortem.model import ComponentChange, Impact, Status, Update, VendorIncident

SCHEMA = """
CREATE TABLE IF NOT EXISTS incidents (
    vendor TEXT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    status TEXT NOT NULL,
    impact TEXT,
    started_at TEXT,
    resolved_at TEXT,
    scheduled INTEGER NOT NULL,
    components TEXT NOT NULL,
    PRIMARY KEY (vendor, id)
);
CREATE TABLE IF NOT EXISTS updates (
    vendor TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    raw_status TEXT NOT NULL,
    text TEXT NOT NULL,
    components TEXT NOT NULL,
    UNIQUE (vendor, incident_id, at, status, text)
);
CREATE INDEX IF NOT EXISTS incidents_started ON incidents (started_at);
CREATE INDEX IF NOT EXISTS incidents_vendor_started ON incidents (vendor, started_at);
CREATE INDEX IF NOT EXISTS incidents_long ON incidents (started_at)
    WHERE resolved_at IS NULL OR julianday(resolved_at) - julianday(started_at) > 30;
CREATE INDEX IF NOT EXISTS updates_incident ON updates (vendor, incident_id, at);
"""


#: Incidents open or longer than this many days sit in a small index of their own, so a
#: period's query reads only starts from this long before it, plus those few (`bounded`).
LONG_DAYS = 30
#: exactly the `incidents_long` index's condition, so that SQLite uses the index
_LONG = f"(resolved_at IS NULL OR julianday(resolved_at) - julianday(started_at) > {LONG_DAYS})"


def bounded(start: datetime, end: datetime) -> tuple[str, list[str]]:
    """SQL over `incidents i` for incidents overlapping [start, end), with its arguments.

    Two index range scans bound the work by the period, not the archive: starts in
    [start - LONG_DAYS, end), and the long or open incidents started before that.
    """
    where = (
        "i.rowid IN (SELECT rowid FROM incidents"  # noqa: S608 - fixed SQL fragments only
        " WHERE started_at >= ? AND started_at < ?"
        f" UNION ALL SELECT rowid FROM incidents WHERE {_LONG} AND started_at < ?)"
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
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def time_of(text: str | None) -> datetime | None:
    """The aware UTC time a stored text names."""
    return None if text is None else datetime.fromisoformat(text)  # "Z" reads as UTC


Row = tuple[str | None, str, str, str, str]  #: at, status, raw_status, text, components


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


def write_incident(
    db: sqlite3.Connection, vendor: str, incident: VendorIncident, old: VendorIncident | None
) -> int:
    """Store `incident` (already merged with `old`); returns how many updates are new."""
    db.execute(
        "INSERT OR REPLACE INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            vendor,
            incident.id,
            incident.title,
            incident.url,
            incident.status,
            incident.impact,
            utc_text(incident.started_at),
            utc_text(incident.resolved_at),
            int(incident.scheduled),
            json.dumps(sorted(incident.components)),
        ),
    )
    # Keyed like the table's UNIQUE constraint, so a feed repeating an update is one row.
    rows = {_key(row): row for row in map(_row, incident.updates)}
    before = {_key(row): row for row in map(_row, old.updates)} if old else {}
    gone = [(vendor, incident.id, *key) for key in before.keys() - rows.keys()]
    db.executemany(
        "DELETE FROM updates WHERE vendor = ? AND incident_id = ? AND at = ?"
        " AND status = ? AND text = ?",
        gone,
    )
    added = [(vendor, incident.id, *row) for key, row in rows.items() if before.get(key) != row]
    db.executemany("INSERT OR REPLACE INTO updates VALUES (?, ?, ?, ?, ?, ?, ?)", added)
    return max(0, len(rows) - len(before))  # fewer when stored duplicates became one


def _row(update: Update) -> Row:
    components = json.dumps([[c.name, c.old, c.new] for c in update.components])
    return (utc_text(update.at), update.status, update.raw_status, update.text, components)


def _key(row: Row) -> tuple[str | None, str, str]:
    return row[0], row[1], row[3]


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
