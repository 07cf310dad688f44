"""The archive's tables, and how a file written by an earlier version is brought up to date.

The schema's version is SQLite's `user_version`. Version 1 keeps each update once: the
update's identity (vendor, incident, time, status, text) is the table's own key (a
`WITHOUT ROWID` table), where version 0 stored every update twice, in a rowid table and in
the index behind its UNIQUE constraint. That halves what an import writes.
"""

from __future__ import annotations

import sqlite3

from postmortem.errors import PostmortemError

VERSION = 1

#: Pages for a new file. Update rows run to a few hundred bytes; on 16 KiB pages the
#: update table's B-tree is shallower and an import writes about a fifth less.
PAGE_SIZE = 16384

#: Incidents open or longer than this many days sit in a small index of their own, so a
#: period's query reads only starts from this long before it, plus those few.
LONG_DAYS = 30
#: the `incidents_long` index's condition; a query must say exactly this for SQLite to use it
LONG = f"(resolved_at IS NULL OR julianday(resolved_at) - julianday(started_at) > {LONG_DAYS})"

_INCIDENTS = (
    """CREATE TABLE IF NOT EXISTS incidents (
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
    )""",
    "CREATE INDEX IF NOT EXISTS incidents_started ON incidents (started_at)",
    "CREATE INDEX IF NOT EXISTS incidents_vendor_started ON incidents (vendor, started_at)",
    f"CREATE INDEX IF NOT EXISTS incidents_long ON incidents (started_at) WHERE {LONG}",
)

_UPDATES = """
CREATE TABLE {name} (
    vendor TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    raw_status TEXT NOT NULL,
    text TEXT NOT NULL,
    components TEXT NOT NULL,
    PRIMARY KEY (vendor, incident_id, at, status, text)
) WITHOUT ROWID;
"""

_COLUMNS = "vendor, incident_id, at, status, raw_status, text, components"


def version(db: sqlite3.Connection) -> int:
    """The schema version the file says it has (0 for a new file too)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def settle(db: sqlite3.Connection, where: str) -> None:
    """Create the tables, or bring an older file's up to date; inside a write transaction.

    `where` names the file for the error about a file from a newer version.
    """
    found = version(db)
    if found > VERSION:
        raise PostmortemError(
            f"{where}: the archive was written by a newer postmortem (schema {found}, this "
            f"version reads up to {VERSION}); upgrade postmortem to use it"
        )
    if found == VERSION:
        return  # another process brought it up to date while this one waited
    for statement in _INCIDENTS:  # one by one: executescript would commit first
        db.execute(statement)
    if _has_table(db, "updates"):
        # version 0: copy the updates into the keyed table (each already unique by the old
        # constraint; OR REPLACE keeps the last copy of any the oldest files doubled)
        db.execute(_UPDATES.format(name="updates_keyed"))
        db.execute(
            f"INSERT OR REPLACE INTO updates_keyed SELECT {_COLUMNS} FROM updates ORDER BY rowid"  # noqa: S608 - fixed SQL
        )
        db.execute("DROP TABLE updates")  # and its indexes
        db.execute("ALTER TABLE updates_keyed RENAME TO updates")
    else:
        db.execute(_UPDATES.format(name="updates"))
    db.execute(f"PRAGMA user_version = {VERSION}")


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    found = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return found.fetchone() is not None
