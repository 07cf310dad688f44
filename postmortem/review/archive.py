"""The vendor-incident archive: an embedded SQLite file that only ever grows.

Status feeds keep only their latest incidents, so history has to accumulate somewhere.
Every write runs in one `BEGIN IMMEDIATE` transaction under WAL, so overlapping cron runs
serialise instead of corrupting each other. A stored incident is merged with what a new
snapshot says by the same rules as snapshots of one build (`merge_incidents`): an update
seen once is never lost, the same update from two sources (a minute-precision Atom entry
and the JSON API's exact one) is kept once, and a known value or a precise time is never
replaced by an unknown or coarser one. A damaged file is refused before anything is
written.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar, cast

from postmortem.errors import PostmortemError
from postmortem.model import VendorIncident
from postmortem.review.archive_rows import (
    Stored,
    bounded,
    first_starts,
    holds_vendor,
    incident_of,
    incident_row,
    insert_new,
    select_incidents,
    stored_row,
    utc_text,
    write_incident,
)
from postmortem.review.archive_schema import PAGE_SIZE, VERSION, settle, version

#: How long a run waits for another writer: far longer than any honest write (importing
#: the whole GitHub history takes seconds), short enough that a stuck process is noticed.
LOCK_WAIT = 600.0
_FIRST_TRY = 1.0  # seconds before saying what we wait for
_BATCH = 1000  # new incidents written per statement: few calls, little memory

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What one store call changed."""

    incidents: int  #: incidents seen in the input
    new_incidents: int
    new_updates: int


class Archive:
    """An archive file; open with `Archive.open(path)` and use as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path, lock_wait: float) -> None:
        self._db = connection
        self.path = path
        self._lock_wait = lock_wait

    @classmethod
    def open(cls, path: Path, *, lock_wait: float = LOCK_WAIT, check: bool = True) -> Archive:
        """Open (creating if needed) the archive at `path`; a damaged file is refused.

        `lock_wait` is how many seconds a write waits for another process's write. The
        damage check reads the whole file; with `check=False` (a review, which only reads)
        it runs only when the file changed since it last passed, so reading a period of a
        large archive does not cost a pass over all of it every time.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=_FIRST_TRY, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise PostmortemError(f"{path}: cannot open the archive: {exc}") from None
        archive = cls(db, path, lock_wait)
        try:
            if check or _state(path) != _verified(path):
                archive._check()  # before anything is written
                if not check:
                    _remember(path)
            db.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new file only; before WAL
            archive._waiting(lambda: db.execute("PRAGMA journal_mode=WAL"))
            db.execute("PRAGMA synchronous=NORMAL")
            if version(db) != VERSION:
                with archive._transaction():
                    settle(db, str(path))
        except sqlite3.Error as exc:
            db.close()
            raise archive._failure("cannot open the archive", exc) from None
        except BaseException:
            db.close()
            raise
        return archive

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._db.close()

    def _check(self) -> None:
        """Refuse a damaged file with a message that says what to do."""
        try:
            rows = self._db.execute("PRAGMA quick_check(3)").fetchall()
        except sqlite3.DatabaseError as exc:
            rows = [(str(exc),)]
        if rows != [("ok",)]:
            problem = "; ".join(str(row[0]) for row in rows)
            raise PostmortemError(
                f"{self.path}: the archive is damaged ({problem}); nothing was written. "
                "Restore it from a backup, or move it aside and rebuild it with "
                "`postmortem archive import` and `postmortem archive update`"
            )

    def _failure(self, doing: str, exc: sqlite3.Error) -> PostmortemError:
        """The error to report for `exc`: damage when the file is damaged."""
        if isinstance(exc, sqlite3.DatabaseError) and not _locked(exc):
            self._check()
        return PostmortemError(f"{self.path}: {doing}: {exc}")

    def _waiting(self, action: Callable[[], _T]) -> _T:
        """Run `action`; while another process writes, say so and wait up to `lock_wait`."""
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not _locked(exc):
                raise
        wait = _span(self._lock_wait)
        logging.getLogger("postmortem").warning(
            "%s: another process is writing to the archive; waiting up to %s for it to finish",
            self.path,
            wait,
        )
        self._db.execute(f"PRAGMA busy_timeout = {int(self._lock_wait * 1000)}")
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not _locked(exc):
                raise
            raise PostmortemError(
                f"{self.path}: still locked by another process after {wait}; "
                "check for a stuck `postmortem archive` run (e.g. `fuser` on the file) "
                "and try again"
            ) from None
        finally:
            self._db.execute(f"PRAGMA busy_timeout = {int(_FIRST_TRY * 1000)}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._waiting(lambda: self._db.execute("BEGIN IMMEDIATE"))
        except sqlite3.Error as exc:
            raise self._failure("cannot write the archive", exc) from None
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._failure("cannot write the archive", exc) from None
            raise

    def store(self, vendor: str, incidents: Iterable[VendorIncident]) -> StoreResult:
        """Add incidents, merging each with what the archive already holds.

        Updates are only ever added or made better: a minute-precision copy of a stored
        update becomes the same update, and a more precise copy replaces it.
        """
        return self.store_rows(vendor, (incident_row(vendor, i) for i in incidents))

    def store_rows(self, vendor: str, incidents: Iterable[Stored]) -> StoreResult:
        """`store` for incidents already made rows of `vendor` (`incident_row`).

        A dump's incidents are made rows in worker processes: a row crosses between
        processes several times faster than a record.
        """
        seen = new_incidents = new_updates = 0
        with self._transaction() as db:
            # A vendor the archive does not hold yet (a first import) has nothing to merge
            # with: its incidents are written in batches without looking anything up, until
            # an incident comes a second time.
            fresh: set[object] | None = None if holds_vendor(db, vendor) else set()
            batch: list[Stored] = []
            for stored in incidents:
                seen += 1
                key = stored[0][1]  # the incident's id
                if fresh is not None and key not in fresh:
                    fresh.add(key)
                    batch.append(stored)
                    if len(batch) == _BATCH:
                        new_updates += insert_new(db, batch)
                        batch.clear()
                    continue
                new_updates += insert_new(db, batch)
                batch.clear()
                added, updates = self._merge(db, vendor, stored)
                new_incidents += added
                new_updates += updates
            new_updates += insert_new(db, batch)
        return StoreResult(seen, new_incidents + len(fresh or ()), new_updates)

    @staticmethod
    def _merge(db: sqlite3.Connection, vendor: str, stored: Stored) -> tuple[int, int]:
        """Store one incident merged with its archived copy: (new incidents, new updates)."""
        from postmortem.collectors.statuspage.merge import merge_incidents

        row = stored_row(db, vendor, str(stored[0][1]))
        if row is None:
            return 1, insert_new(db, [stored])
        if row == stored[0]:
            return 0, 0  # the same row: nothing new (most of a repeated import)
        old, incident = incident_of(row), incident_of(stored[0])
        (merged,) = merge_incidents([old], [incident])
        if merged == old:
            return 0, 0  # nothing new: nothing to write
        return 0, write_incident(db, incident_row(vendor, merged), old)

    def vendors(self) -> tuple[str, ...]:
        """Vendor names present in the archive."""
        try:
            rows = self._db.execute("SELECT DISTINCT vendor FROM incidents ORDER BY vendor")
            return tuple(row[0] for row in rows)
        except sqlite3.Error as exc:
            raise self._failure("cannot read the archive", exc) from None

    def coverage(self) -> dict[str, datetime]:
        """Per vendor, the earliest start the archive holds: it knows nothing before that."""
        try:
            return first_starts(self._db)
        except sqlite3.Error as exc:
            raise self._failure("cannot read the archive", exc) from None

    def incidents(
        self, *, start: datetime | None = None, end: datetime | None = None
    ) -> tuple[tuple[str, VendorIncident], ...]:
        """(vendor, incident) pairs whose window overlaps [start, end), oldest first.

        Open incidents overlap every later period: an outage that has not ended is still on.
        """
        where = "i.started_at IS NOT NULL"
        args: list[str] = []
        if start is not None and end is not None:
            where, args = bounded(start, end)
        elif end is not None:
            where += " AND i.started_at < ?"
            args.append(cast(str, utc_text(end)))
        elif start is not None:
            where += " AND (i.resolved_at IS NULL OR i.resolved_at >= ?)"
            args.append(cast(str, utc_text(start)))
        try:
            return select_incidents(self._db, where, args)
        except sqlite3.Error as exc:
            raise self._failure("cannot read the archive", exc) from None


def _state(path: Path) -> str:
    """The archive's size and change time, with its write-ahead log's."""
    found = []
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            info = part.stat()
        except OSError:
            found.append("-")  # an empty log and none are the same state
        else:
            found.append(f"{info.st_size}:{info.st_mtime_ns}" if info.st_size else "-")
    return " ".join(found)


def _marker(path: Path) -> Path:
    return path.with_name(path.name + "-checked")


def _verified(path: Path) -> str | None:
    """The state in which the file last passed the damage check, if recorded."""
    try:
        return _marker(path).read_text(encoding="utf-8")
    except OSError:
        return None


def _remember(path: Path) -> None:
    from postmortem.storage.atomic import write_atomic

    # in a read-only folder the marker cannot be kept: the next review simply checks again
    with suppress(OSError, PostmortemError):
        write_atomic(_marker(path), _state(path).encode())


def _locked(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _span(seconds: float) -> str:
    return f"{seconds / 60:g} minutes" if seconds >= 60 else f"{seconds:g} s"
