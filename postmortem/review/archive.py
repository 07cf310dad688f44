"""The vendor-incident archive: an embedded SQLite file that only ever grows.

Status feeds keep only their latest incidents, so history has to accumulate somewhere.
Every write runs in one `BEGIN IMMEDIATE` transaction under WAL, so overlapping cron runs
serialise instead of corrupting each other, and updates are inserted with `OR IGNORE`:
an update seen once is never lost, whatever a later snapshot says.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from postmortem.errors import PostmortemError
from postmortem.model import ComponentChange, Impact, Status, Update, VendorIncident

_SCHEMA = """
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
CREATE INDEX IF NOT EXISTS updates_incident ON updates (vendor, incident_id, at);
"""


def _text(at: datetime | None) -> str | None:
    # Fixed-width UTC text (2023-09-01T12:00:00.000000Z) sorts like the instants it names,
    # so SQL range filters just work. isoformat is several times faster than strftime.
    if at is None:
        return None
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)  # "Z" reads as UTC


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What one store call changed."""

    incidents: int  #: incidents seen in the input
    new_incidents: int
    new_updates: int


class Archive:
    """An archive file; open with `Archive.open(path)` and use as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Archive:
        """Open (creating if needed) the archive at `path`."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise PostmortemError(f"{path}: cannot open the archive: {exc}") from None
        return cls(db, path)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def store(self, vendor: str, incidents: Iterable[VendorIncident]) -> StoreResult:
        """Insert or refresh incidents; updates are only ever added."""
        seen = new_incidents = 0
        rows = []
        with self._transaction() as db:
            for incident in incidents:
                seen += 1
                new_incidents += self._store_incident(db, vendor, incident)
                rows += [
                    (
                        vendor,
                        incident.id,
                        _text(update.at),
                        update.status,
                        update.raw_status,
                        update.text,
                        json.dumps([[c.name, c.old, c.new] for c in update.components]),
                    )
                    for update in incident.updates
                ]
            before = db.total_changes
            db.executemany("INSERT OR IGNORE INTO updates VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            new_updates = db.total_changes - before
        return StoreResult(seen, new_incidents, new_updates)

    @staticmethod
    def _store_incident(db: sqlite3.Connection, vendor: str, incident: VendorIncident) -> int:
        old = db.execute(
            "SELECT resolved_at, components FROM incidents WHERE vendor = ? AND id = ?",
            (vendor, incident.id),
        ).fetchone()
        # A later snapshot may lack what an earlier one had (feeds drop components,
        # a truncated feed may miss the resolution): keep the union and the known end.
        components = sorted(set(incident.components) | set(json.loads(old[1]) if old else ()))
        resolved = _text(incident.resolved_at) or (old[0] if old else None)
        db.execute(
            "INSERT OR REPLACE INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                vendor,
                incident.id,
                incident.title,
                incident.url,
                incident.status,
                incident.impact,
                _text(incident.started_at),
                resolved,
                int(incident.scheduled),
                json.dumps(components),
            ),
        )
        return 0 if old else 1

    def vendors(self) -> tuple[str, ...]:
        """Vendor names present in the archive."""
        rows = self._db.execute("SELECT DISTINCT vendor FROM incidents ORDER BY vendor")
        return tuple(row[0] for row in rows)

    def coverage(self) -> dict[str, datetime]:
        """Per vendor, the earliest start the archive holds: it knows nothing before that."""
        found = {}
        for vendor in self.vendors():
            # one index seek per vendor rather than a scan of the whole table
            row = self._db.execute(
                "SELECT MIN(started_at) FROM incidents WHERE vendor = ? AND started_at IS NOT NULL",
                (vendor,),
            ).fetchone()
            if row[0] is not None:
                found[vendor] = cast(datetime, _time(row[0]))
        return found

    def incidents(
        self, *, start: datetime | None = None, end: datetime | None = None
    ) -> tuple[tuple[str, VendorIncident], ...]:
        """(vendor, incident) pairs whose window overlaps [start, end), oldest first.

        Open incidents overlap every later period: an outage that has not ended is still on.
        """
        where = "i.started_at IS NOT NULL"
        args: list[str] = []
        if end is not None:
            where += " AND i.started_at < ?"
            args.append(cast(str, _text(end)))
        if start is not None:
            where += " AND (i.resolved_at IS NULL OR i.resolved_at >= ?)"
            args.append(cast(str, _text(start)))
        rows = self._db.execute(
            f"SELECT i.* FROM incidents i WHERE {where} ORDER BY i.started_at, i.vendor, i.id",  # noqa: S608 - only fixed SQL fragments are interpolated
            args,
        ).fetchall()
        grouped: dict[tuple[str, str], list[Update]] = {}
        cursor = self._db.execute(
            "SELECT u.* FROM updates u JOIN incidents i"  # noqa: S608 - as above
            f" ON u.vendor = i.vendor AND u.incident_id = i.id WHERE {where} ORDER BY u.at",
            args,
        )
        for vendor, incident_id, at, status, raw, text, components in cursor:
            grouped.setdefault((vendor, incident_id), []).append(
                Update(
                    at=cast(datetime, _time(at)),
                    status=cast(Status, status),
                    raw_status=raw,
                    text=text,
                    components=tuple(ComponentChange(*c) for c in json.loads(components)),
                )
            )
        return tuple(
            (row[0], _incident(row, tuple(grouped.get((row[0], row[1]), ())))) for row in rows
        )


def _incident(row: tuple[object, ...], updates: tuple[Update, ...]) -> VendorIncident:
    _vendor, id_, title, url, status, impact, started, resolved, scheduled, components = row
    return VendorIncident(
        id=str(id_),
        title=str(title),
        url=str(url),
        status=cast(Status, status),
        impact=cast("Impact | None", impact),
        started_at=_time(cast("str | None", started)),
        resolved_at=_time(cast("str | None", resolved)),
        components=tuple(json.loads(str(components))),
        updates=updates,
        scheduled=bool(scheduled),
    )
