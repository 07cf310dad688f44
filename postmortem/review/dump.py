"""Backfill the archive from a Statuspage JSON dump: incidents.json, JSON lines, gzipped.

A history of 100,000 incidents carries a million updates. Reading them into records is
most of an import's work, and it parallelises: JSON lines are cut into pieces that worker
processes turn into archive rows (`incident_row`), while this process writes those of
earlier pieces. Pieces are written in the order of the file, so the archive is the same
whatever the number of workers; at most a few pieces are in flight, so memory stays flat
for a dump of any size.
"""

from __future__ import annotations

import gzip
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from itertools import chain
from pathlib import Path
from typing import Protocol

from postmortem.errors import CollectError, PostmortemError
from postmortem.limits import MAX_UNZIPPED_BYTES
from postmortem.review.archive import Archive, StoreResult
from postmortem.review.archive_rows import Stored, incident_row

#: Bytes of whole lines handed to a worker at a time: large enough that passing them costs
#: little next to parsing them, small enough that a dump of a few MiB (GitHub's whole
#: history) still keeps every worker busy, and memory stays small.
PIECE_BYTES = 2**20
#: Worker processes at most: beyond this the writing process is the bottleneck.
MAX_WORKERS = 4
#: Pieces in flight per worker: enough to keep workers busy while this process reads a
#: project file or commits a batch, a few MiB.
_AHEAD = 8
#: Bytes of pieces in flight at most (one piece is always let through, however long its
#: lines): what the dump may hold in memory at once, with the rows made of it.
MAX_IN_FLIGHT = 32 * 2**20


def import_dump(archive: Path | Callable[[], Path], dump: Path, vendor: str) -> StoreResult:
    """Backfill `archive` with the incidents of the Statuspage JSON dump `dump`.

    `archive` may be a function that finds the file (reading a project file): it is called
    once workers are converting the dump, so the two overlap. One transaction: a dump that
    turns out to be damaged halfway leaves the archive as it was.
    """
    if not dump.is_file():
        raise PostmortemError(f"{dump}: cannot read: no such file")
    with closing(dump_rows(dump, vendor)) as rows:
        first = next(rows, None)  # from here on, workers convert the pieces that follow
        where = archive() if callable(archive) else archive
        with Archive.open(where) as store:
            return store.store_rows(vendor, chain([first], rows) if first else ())


def dump_rows(path: Path, vendor: str) -> Generator[Stored, None, None]:
    """The incidents of a JSON dump as archive rows of `vendor`, gunzipped when compressed.

    JSON lines are read as a stream; any other JSON (an `incidents.json` spread over many
    lines) is read whole, up to MAX_UNZIPPED_BYTES.
    """
    from postmortem.collectors.statuspage.json_api import incidents_from_json

    try:
        with path.open("rb") as probe:
            packed = probe.read(2) == b"\x1f\x8b"
        with gzip.open(path, "rb") if packed else path.open("rb") as stream:
            # Inflated in steps and read in bounded pieces: a gzip bomb, or a "line" of
            # gigabytes, stops at MAX_UNZIPPED_BYTES instead of filling memory.
            first = _first_line(stream, path)
            if _is_json(first):
                yield from _converted(vendor, _pieces(stream, path, first))
            else:
                rest = stream.read(MAX_UNZIPPED_BYTES + 1 - len(first))
                if len(first) + len(rest) > MAX_UNZIPPED_BYTES:
                    raise PostmortemError(_too_large(path))
                for incident in incidents_from_json(first + rest):
                    yield incident_row(vendor, incident)
    except CollectError as exc:
        raise PostmortemError(f"{path}: not a Statuspage JSON dump: {exc}") from None
    except BrokenProcessPool:  # a worker was killed: the system ran short of memory, say
        raise PostmortemError(
            f"{path}: a worker process reading the dump stopped; nothing was written. "
            "Check the system's memory and try again"
        ) from None
    except (OSError, EOFError) as exc:
        if packed:
            raise PostmortemError(f"{path}: damaged gzip file: {exc}") from None
        raise PostmortemError(f"{path}: cannot read: {exc}") from None


def lines_to_rows(vendor: str, first: int, lines: bytes) -> list[Stored]:
    """The archive rows of whole JSON lines numbered from `first` (what a worker does)."""
    from postmortem.collectors.statuspage.json_api import incidents_from_lines

    # split as readline splits, at "\n" only: a "\r" between JSON tokens is whitespace
    split = lines.split(b"\n")
    return [incident_row(vendor, i) for i in incidents_from_lines(split, start=first)]


Piece = tuple[int, bytes]  #: the number of its first line, and whole lines


def _converted(vendor: str, pieces: Iterator[Piece]) -> Iterator[Stored]:
    """`lines_to_rows` of each piece, in order: in worker processes when there are several."""
    head = [piece for piece in (next(pieces, None), next(pieces, None)) if piece]
    every = chain(head, pieces)
    workers = min(MAX_WORKERS, _cpus())
    if len(head) < 2 or workers < 2 or not _forkable():
        # a small dump (starting workers would cost more than they save), or no workers
        for number, lines in every:
            yield from lines_to_rows(vendor, number, lines)
        return
    # what the workers run, loaded here once: a forked child then imports nothing
    import lxml.html  # noqa: F401 - update bodies with markup
    import pydantic_core  # noqa: F401 - the JSON parser of `parse_json`

    fork = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(workers, mp_context=fork, initializer=_ignore_interrupts)
    try:
        pending: deque[tuple[Future[list[Stored]], int]] = deque()
        held = 0  # bytes of the pieces in flight: a few long lines must not fill memory
        for number, lines in every:
            pending.append((pool.submit(lines_to_rows, vendor, number, lines), len(lines)))
            held += len(lines)
            while len(pending) >= _AHEAD * workers or held > MAX_IN_FLIGHT:
                done, size = pending.popleft()
                held -= size
                yield from done.result()
        for done, _ in pending:
            yield from done.result()
    finally:
        # on an error (or a reader that stopped early) the pieces not started are dropped
        pool.shutdown(wait=True, cancel_futures=True)


def _pieces(stream: _Readable, path: Path, first: bytes) -> Iterator[Piece]:
    """The stream as pieces of whole lines of about PIECE_BYTES, `first` line first.

    Read in blocks, not line by line: this process only cuts, workers split and parse.
    A line longer than MAX_UNZIPPED_BYTES stops the import, as a document that size does.
    """
    number, rest = 1, first
    while block := stream.read(PIECE_BYTES):
        data = rest + block if rest else block  # the rest is a part of one line
        cut = data.rfind(b"\n") + 1
        if not cut and len(data) > MAX_UNZIPPED_BYTES:
            raise PostmortemError(_too_large(path))
        piece, rest = data[:cut], data[cut:]
        if piece:
            yield number, piece
            number += piece.count(b"\n")
    if rest:
        yield number, rest


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _forkable() -> bool:
    """Whether workers can be forked: on Linux, from a process with one thread.

    Fork starts a worker in milliseconds with every module already imported. With other
    threads (a program using the library) a forked child could wait forever on a lock one
    of them held; starting fresh interpreters instead would re-run the program's main
    module. So the command line converts in workers, and such callers in this process.
    """
    return (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; the import stops (and rolls back) in the
    # main process, which says so once, instead of every worker printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...


def _first_line(stream: _Readable, path: Path) -> bytes:
    line = stream.readline(MAX_UNZIPPED_BYTES + 1)
    if len(line) > MAX_UNZIPPED_BYTES:
        raise PostmortemError(_too_large(path))
    return line


def _too_large(path: Path) -> str:
    return f"{path}: a JSON document or line unpacks to more than {MAX_UNZIPPED_BYTES // 2**20} MiB"


def _is_json(line: bytes) -> bool:
    import json

    try:
        json.loads(line)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        return False
    return True
