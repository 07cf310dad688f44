"""How records become the archive's rows and rows become records."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import cast

from postmortem.model import ComponentChange, Impact, Status, Update, VendorIncident
from postmortem.review.archive_schema import LONG, LONG_DAYS, encode_json


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


#: vendor, id, title, url, status, impact, started_at, resolved_at, scheduled, components,
#: updates: a row of `incidents`
Row = tuple[object, ...]
#: an incident's row and how many updates its `updates` column holds; plain tuples and one
#: string of JSON per incident cross between processes cheaply
Stored = tuple[Row, int]
Key = tuple[str | None, str, str]  #: at, status, text: what makes an update the same update


def select_incidents(
    db: sqlite3.Connection, where: str, args: list[str]
) -> tuple[tuple[str, VendorIncident], ...]:
    """(vendor, incident) pairs matching `where` (fixed SQL over `incidents i`), by start."""
    rows = db.execute(
        f"SELECT i.* FROM incidents i WHERE {where} ORDER BY i.started_at, i.vendor, i.id",  # noqa: S608 - only fixed SQL fragments are interpolated
        args,
    )
    return tuple((str(row[0]), incident_of(row)) for row in rows)


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


def stored_row(db: sqlite3.Connection, vendor: str, incident_id: str) -> Row | None:
    """One archived incident's row, or None when it is new."""
    found = db.execute("SELECT * FROM incidents WHERE vendor = ? AND id = ?", (vendor, incident_id))
    row: Row | None = found.fetchone()
    return row


_INSERT = "INSERT OR REPLACE INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def holds_vendor(db: sqlite3.Connection, vendor: str) -> bool:
    """True when the archive has any incident of `vendor` (one index seek)."""
    found = db.execute("SELECT 1 FROM incidents WHERE vendor = ? LIMIT 1", (vendor,))
    return found.fetchone() is not None


def incident_row(vendor: str, incident: VendorIncident) -> Stored:
    """`incident` as the archive stores it: one row, its updates a JSON array in it.

    The same update twice (same time, status and text) is kept once.
    """
    updates = _keyed(incident.updates)
    row = (
        vendor,
        incident.id,
        incident.title,
        incident.url,
        incident.status,
        incident.impact,
        utc_text(incident.started_at),
        utc_text(incident.resolved_at),
        int(incident.scheduled),
        encode_json(sorted(incident.components)) if incident.components else "[]",
        encode_json(list(updates.values())),
    )
    return row, len(updates)


def incident_of(row: Row) -> VendorIncident:
    """The record an archive row (`incident_row`) holds."""
    _vendor, id_, title, url, status, impact, started, resolved, scheduled, names, updates = row
    return VendorIncident(
        id=str(id_),
        title=str(title),
        url=str(url),
        status=cast(Status, status),
        impact=cast("Impact | None", impact),
        started_at=time_of(cast("str | None", started)),
        resolved_at=time_of(cast("str | None", resolved)),
        components=tuple(json.loads(str(names))),
        updates=tuple(
            Update(
                at=cast(datetime, time_of(at)),
                status=status,
                raw_status=raw,
                text=text,
                components=tuple(ComponentChange(*c) for c in changes),
            )
            for at, status, raw, text, changes in json.loads(str(updates))
        ),
        scheduled=bool(scheduled),
    )


def insert_new(db: sqlite3.Connection, incidents: list[Stored]) -> int:
    """Store incidents the archive does not hold yet, in one statement; returns updates."""
    db.executemany(_INSERT, (row for row, _ in incidents))
    return sum(count for _, count in incidents)


def write_incident(db: sqlite3.Connection, incident: Stored, old: VendorIncident) -> int:
    """Store `incident` (already merged with `old`); returns how many updates are new."""
    row, count = incident
    db.execute(_INSERT, row)
    return max(0, count - len(old.updates))  # fewer when a merge made two stored updates one


def _keyed(updates: Iterable[Update]) -> dict[Key, list[object]]:
    """Each update as stored, keyed by what makes it the same update, oldest first.

    (The hottest loop of an import: kept flat.)
    """
    keyed: dict[Key, list[object]] = {}
    for update in updates:
        at, status, text, changes = (
            utc_text(update.at),
            update.status,
            update.text,
            update.components,
        )
        listed = [[c.name, c.old, c.new] for c in changes] if changes else []
        keyed[at, status, text] = [at, status, update.raw_status, text, listed]
    return keyed
