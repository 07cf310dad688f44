"""The snapshot store: every fetched body, content-addressed, so builds can be repeated offline.

Layout (by default `.postmortem/` next to the incident file)::

    snapshots/<sha256>   the exact bytes of one response body
    index.json           URL -> sha256, status, etag, last_modified, fetched_at, checked_at,
                         final_url, content_type
    index.lock           held (fcntl) while the index is rewritten

`fetched_at` is when these exact bytes were first fetched from that URL. A later fetch that
gets a 304, or the same bytes again, only moves `checked_at`; so a report cites the same time
whether it is built online today, tomorrow, or offline next year from the same snapshots.

The index is a cache of what the store holds, so it never stops a run: a damaged index is
set aside and rebuilt, a damaged entry is dropped (its URL is fetched again), and a
validator a server sent (`ETag`, `Last-Modified`) is kept only when it can be sent back as
a valid HTTP header.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from postmortem.errors import CollectError
from postmortem.model import Snapshot
from postmortem.storage.atomic import write_atomic

_INDEX_VERSION = 1
STORE_DIR = ".postmortem"
# RFC 9110 entity-tag, ASCII only: httpx sends header values as ASCII, and obs-text in a
# stored validator would fail every later request to that URL.
_ETAG = re.compile(r'(?:W/)?"[\x21\x23-\x7e]{0,200}"')
_HTTP_DATE = re.compile(r"[\x20-\x7e]{1,64}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


_log = logging.getLogger("postmortem")


def store_for(incident_file: Path) -> Path:
    """The default snapshot store of an incident file: `.postmortem/` beside it."""
    return incident_file.parent / STORE_DIR


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index remembers about one URL."""

    sha256: str
    status: int
    etag: str | None
    last_modified: str | None
    fetched_at: str  #: ISO-8601 UTC, when these bytes were first fetched
    checked_at: str  #: ISO-8601 UTC, when the server last confirmed them
    final_url: str
    content_type: str


class SnapshotStore:
    """Snapshots under `root`; safe for several threads and processes at once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._bodies = root / "snapshots"
        self._index = root / "index.json"
        self._lock = root / "index.lock"

    def entry(self, url: str) -> Entry | None:
        """The index entry for `url`, if its body is stored too."""
        found = self._read_index().get(url)
        if found is None or not (self._bodies / found.sha256).is_file():
            return None
        return found

    def load(self, url: str) -> Snapshot | None:
        """The stored snapshot of `url`, or None; a damaged body is an error."""
        found = self.entry(url)
        return None if found is None else self._snapshot(url, found)

    def save(
        self,
        url: str,
        body: bytes,
        *,
        status: int,
        etag: str | None,
        last_modified: str | None,
        final_url: str,
        content_type: str,
        now: datetime,
    ) -> Snapshot:
        """Store a freshly fetched body; unchanged bytes keep their first `fetched_at`."""
        sha256 = hashlib.sha256(body).hexdigest()
        target = self._bodies / sha256
        if not target.is_file():
            write_atomic(target, body)
        stamp = now.isoformat()
        etag, last_modified = http_etag(etag), http_date(last_modified)
        fresh = Entry(sha256, status, etag, last_modified, stamp, stamp, final_url, content_type)
        with self._locked_index() as index:
            old = index.get(url)
            if old is not None and old.sha256 == sha256:
                fresh = replace(fresh, fetched_at=old.fetched_at)
            index[url] = fresh
        return _to_snapshot(url, body, fresh)

    def confirm(self, url: str, now: datetime) -> Snapshot:
        """The server said 304 Not Modified: reuse the stored body, note when it was checked."""
        with self._locked_index() as index:
            old = index.get(url)
            if old is None:
                raise CollectError(f"{url}: server answered 304 but no snapshot is stored")
            index[url] = replace(old, checked_at=now.isoformat())
        return self._snapshot(url, old)

    def _snapshot(self, url: str, entry: Entry) -> Snapshot:
        path = self._bodies / entry.sha256
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise CollectError(f"{url}: cannot read snapshot {path}: {exc.strerror}") from exc
        if hashlib.sha256(body).hexdigest() != entry.sha256:
            raise CollectError(
                f"{url}: snapshot {path} is damaged (its hash does not match); "
                "delete it and run once online"
            )
        return _to_snapshot(url, body, entry)

    def _read_index(self) -> dict[str, Entry]:
        try:
            raw = json.loads(self._index.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, RecursionError) as exc:
            return self._rebuilt(f"unreadable ({exc})")
        if not isinstance(raw, dict) or raw.get("version") != _INDEX_VERSION:
            return self._rebuilt(f"not a version {_INDEX_VERSION} snapshot index")
        entries = raw.get("entries")
        if not isinstance(entries, dict):
            return self._rebuilt("no entries")
        found = {url: _entry(fields) for url, fields in entries.items()}
        index = {url: entry for url, entry in found.items() if entry is not None}
        if len(index) < len(found):
            _log.warning(
                "%s: dropped %d damaged entries; their URLs are fetched again",
                self._index,
                len(found) - len(index),
            )
        return index

    def _rebuilt(self, problem: str) -> dict[str, Entry]:
        _log.warning(
            "%s: %s; starting a new index (stored bodies are kept, URLs are fetched again)",
            self._index,
            problem,
        )
        return {}

    @contextmanager
    def _locked_index(self) -> Iterator[dict[str, Entry]]:
        """The index, re-read under an exclusive lock and written back atomically on exit."""
        self.root.mkdir(parents=True, exist_ok=True)
        with self._lock.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                index = self._read_index()
                yield index
                entries = {url: asdict(index[url]) for url in sorted(index)}
                text = json.dumps({"version": _INDEX_VERSION, "entries": entries}, indent=1)
                write_atomic(self._index, (text + "\n").encode("utf-8"))
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _entry(fields: object) -> Entry | None:
    """An index entry read back, None when damaged; bad validators are dropped."""
    if not isinstance(fields, dict):
        return None
    try:
        entry = Entry(**fields)
        datetime.fromisoformat(entry.fetched_at)
        datetime.fromisoformat(entry.checked_at)
    except (TypeError, ValueError):
        return None
    texts = (entry.sha256, entry.final_url, entry.content_type)
    if not all(isinstance(text, str) for text in texts) or not isinstance(entry.status, int):
        return None
    if not _SHA256.fullmatch(entry.sha256):
        return None  # also keeps a hand-edited entry from naming a file outside the store
    return replace(entry, etag=http_etag(entry.etag), last_modified=http_date(entry.last_modified))


def http_etag(value: object) -> str | None:
    """`value` when it is an entity-tag that can be sent back in `If-None-Match`."""
    return value if isinstance(value, str) and _ETAG.fullmatch(value) else None


def http_date(value: object) -> str | None:
    """`value` when it is an HTTP date that can be sent back in `If-Modified-Since`."""
    if not isinstance(value, str) or not _HTTP_DATE.fullmatch(value):
        return None
    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return value


def _to_snapshot(url: str, body: bytes, entry: Entry) -> Snapshot:
    return Snapshot(
        url=url,
        final_url=entry.final_url,
        body=body,
        content_type=entry.content_type,
        fetched_at=datetime.fromisoformat(entry.fetched_at),
        sha256=entry.sha256,
    )
