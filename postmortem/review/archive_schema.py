"""The archive's table, and how a file written by an earlier version is brought up to date.

The schema's version is SQLite's `user_version`. Version 1 keeps one row per incident, its
updates a JSON array in the row (`[at, status, raw status, text, [[component, old, new]…]]`
each, oldest first): updates are always read and written with their incident, and one row
instead of ten makes an import several times cheaper for SQLite. Version 0 kept updates in
a table of their own; opening such a file moves them into their incidents' rows, once.
"""

from __future__ import annotations

import json
import sqlite3

from postmortem.errors import PostmortemError

VERSION = 1

#: Pages for a new file: a row holds all of an incident's updates, a few KiB.
PAGE_SIZE = 16384

#: Incidents open or longer than this many days sit in a small index of their own, so a
#: period's query reads only starts from this long before it, plus those few.
LONG_DAYS = 30
#: the `incidents_long` index's condition; a query must say exactly this for SQLite to use it
LONG = f"(resolved_at IS NULL OR julianday(resolved_at) - julianday(started_at) > {LONG_DAYS})"

_TABLE = """CREATE TABLE IF NOT EXISTS incidents (
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
    updates TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (vendor, id)
)"""
_INDEXES = (
    "CREATE INDEX IF NOT EXISTS incidents_started ON incidents (started_at)",
    "CREATE INDEX IF NOT EXISTS incidents_vendor_started ON incidents (vendor, started_at)",
    f"CREATE INDEX IF NOT EXISTS incidents_long ON incidents (started_at) WHERE {LONG}",
)

#: JSON as the archive writes it: compact, and the same text for the same value, so a
#: rebuilt archive holds the same bytes
encode_json = json.JSONEncoder(check_circular=False, separators=(",", ":")).encode
_MOVED = 1000  #: incidents rewritten per statement while moving version-0 updates


def version(db: sqlite3.Connection) -> int:
    """The schema version the file says it has (0 for a new file too)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def settle(db: sqlite3.Connection, where: str) -> None:
    """Create the table, or bring an older file's up to date; inside a write transaction.

    `where` names the file in the error about a file from a newer version.
    """
    found = version(db)
    if found > VERSION:
        raise PostmortemError(
            f"{where}: the archive was written by a newer postmortem (schema {found}, this "
            f"version reads up to {VERSION}); upgrade postmortem to use it"
        )
    if found == VERSION:
        return  # another process brought it up to date while this one waited
    if _columns(db, "incidents") and "updates" not in _columns(db, "incidents"):
        db.execute("ALTER TABLE incidents ADD COLUMN updates TEXT NOT NULL DEFAULT '[]'")
    db.execute(_TABLE)
    for statement in _INDEXES:  # one by one: executescript would commit first
        db.execute(statement)
    if _columns(db, "updates"):
        _move_updates(db)
    db.execute(f"PRAGMA user_version = {VERSION}")


def _move_updates(db: sqlite3.Connection) -> None:
    """Version 0 -> 1: every incident's rows of `updates` into its own row, oldest first.

    The same update twice (same time, status and text: files from before version 0 had
    no constraint against it) is moved once, its last copy.
    """
    rows = db.execute(
        "SELECT vendor, incident_id, at, status, raw_status, text, components FROM updates"
        " ORDER BY vendor, incident_id, at, rowid"
    )
    moved: list[tuple[str, str, str]] = []
    current: tuple[str, str] | None = None
    updates: dict[tuple[str, str, str], list[object]] = {}
    for vendor, incident_id, at, status, raw, text, components in rows:
        if (vendor, incident_id) != current:
            if current is not None:
                moved.append((encode_json(list(updates.values())), *current))
            current, updates = (vendor, incident_id), {}
            if len(moved) == _MOVED:
                _write_moved(db, moved)
        updates[at, status, text] = [at, status, raw, text, json.loads(components)]
    if current is not None:
        moved.append((encode_json(list(updates.values())), *current))
    _write_moved(db, moved)
    db.execute("DROP TABLE updates")  # and its indexes


def _write_moved(db: sqlite3.Connection, moved: list[tuple[str, str, str]]) -> None:
    db.executemany("UPDATE incidents SET updates = ? WHERE vendor = ? AND id = ?", moved)
    moved.clear()


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
