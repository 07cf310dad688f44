"""`archive import` in worker processes writes exactly what the records path writes, and an
archive written by the previous schema is brought up to date without losing an update."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from postmortem.collectors.statuspage.json_api import incidents_from_json, incidents_from_lines
from postmortem.model import VendorIncident
from postmortem.review import dump
from postmortem.review.archive import Archive
from postmortem.review.archive_rows import incident_row, utc_text
from postmortem.review.archive_schema import VERSION
from postmortem.review.dump import import_dump

HISTORY = "statuspage/github/incidents-json/all-github-incidents-2010-2023.jsonl.gz"
ACME = Path(__file__).parent / "data" / "statuspage" / "acme-incidents-pacific.json"

#: the tables of schema version 0, as earlier versions created them
VERSION_0 = """
CREATE TABLE incidents (
    vendor TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL,
    status TEXT NOT NULL, impact TEXT, started_at TEXT, resolved_at TEXT,
    scheduled INTEGER NOT NULL, components TEXT NOT NULL, PRIMARY KEY (vendor, id)
);
CREATE TABLE updates (
    vendor TEXT NOT NULL, incident_id TEXT NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL,
    raw_status TEXT NOT NULL, text TEXT NOT NULL, components TEXT NOT NULL,
    UNIQUE (vendor, incident_id, at, status, text)
);
CREATE INDEX incidents_started ON incidents (started_at);
CREATE INDEX updates_incident ON updates (vendor, incident_id, at);
"""


def _rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT * FROM incidents ORDER BY vendor, id").fetchall()
    db.close()
    return rows


@pytest.fixture(scope="module")
def history(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    plain = tmp_path_factory.mktemp("dump") / "github.jsonl"
    plain.write_bytes(gzip.decompress((corpus / HISTORY).read_bytes()))
    return plain


#: an import in a fresh process, as the command line runs it: one thread, so workers are
#: forked (two, whatever this machine has), and 41 pieces, so each gets several
DRIVER = """
import os, sys
from pathlib import Path
from postmortem.errors import PostmortemError
from postmortem.review import dump
assert dump._forkable()
dump._cpus = lambda: 2
dump.PIECE_BYTES = 2**16
{change}
try:
    done = dump.import_dump(Path(sys.argv[1]), Path(sys.argv[2]), "GitHub")
except PostmortemError as exc:
    sys.exit(str(exc))
print(done.incidents, done.new_incidents, done.new_updates)
"""


def _import_in_workers(archive: Path, dump: Path, change: str = "") -> tuple[int, str, str]:
    code = DRIVER.format(change=change)
    run = subprocess.run(
        [sys.executable, "-c", code, str(archive), str(dump)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return run.returncode, run.stdout, run.stderr


@pytest.mark.corpus
def test_workers_write_what_the_records_path_writes(history: Path, tmp_path: Path) -> None:
    parallel = tmp_path / "parallel.sqlite"
    # the dump lists 2,801 updates, none twice
    assert _import_in_workers(parallel, history) == (0, "1282 1282 2801\n", "")
    serial = tmp_path / "serial.sqlite"
    with history.open("rb") as lines, Archive.open(serial) as store:
        store.store("GitHub", incidents_from_lines(lines))
    assert _rows(parallel) == _rows(serial)
    one = tmp_path / "one.sqlite"  # one piece in flight at a time
    assert _import_in_workers(one, history, "dump.MAX_IN_FLIGHT = 1")[0] == 0
    assert _rows(one) == _rows(serial)


@pytest.mark.corpus
def test_a_bad_line_in_a_later_piece_is_named_and_nothing_is_kept(
    history: Path, tmp_path: Path
) -> None:
    lines = history.read_bytes().splitlines(keepends=True)
    lines[1_100] = b'{"incident": {"id": "x", "incident_updates": [}\n'  # line 1,101
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"".join(lines))
    archive = tmp_path / "archive.sqlite"
    code, _, said = _import_in_workers(archive, broken)
    assert code == 1
    assert said == (
        f"{broken}: not a Statuspage JSON dump: JSON line 1101: not valid JSON: Expecting value\n"
    )
    with Archive.open(archive) as store:
        assert store.incidents() == ()  # one transaction: the pieces before it are gone too


@pytest.mark.corpus
def test_a_worker_that_dies_is_one_error_and_nothing_is_kept(history: Path, tmp_path: Path) -> None:
    # what the system's out-of-memory killer does to a worker
    killed = "def killed(*_):\n    os._exit(9)\ndump.lines_to_rows = killed"
    archive = tmp_path / "archive.sqlite"
    code, _, said = _import_in_workers(archive, history, killed)
    assert code == 1
    assert said == (
        f"{history}: a worker process reading the dump stopped; nothing was written. "
        "Check the system's memory and try again\n"
    )
    with Archive.open(archive) as store:
        assert store.incidents() == ()


def _version_0(incidents: tuple[VendorIncident, ...], target: Path, *, twice: bool) -> None:
    """`target`: an archive of `incidents` in the tables of schema version 0; with `twice`,
    as the oldest files could hold them: without the UNIQUE constraint, every update twice."""
    with sqlite3.connect(target) as db:
        schema = VERSION_0.replace(",\n    UNIQUE (vendor, incident_id, at, status, text)", "")
        db.executescript(schema if twice else VERSION_0)
        for incident in incidents:
            row = incident_row("Acme", incident)[0][:10]  # the same columns, less `updates`
            db.execute("INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            doubled = [u for u in incident.updates for _ in range(2 if twice else 1)]
            for u in reversed(doubled):  # rowid order is not time order
                changes = json.dumps([[c.name, c.old, c.new] for c in u.components])
                update = (utc_text(u.at), u.status, u.raw_status, u.text, changes)
                db.execute(
                    "INSERT INTO updates VALUES (?, ?, ?, ?, ?, ?, ?)",
                    ("Acme", incident.id, *update),
                )
    db.close()


@pytest.mark.parametrize("twice", [False, True])
def test_a_version_0_archive_is_brought_up_to_date_without_losing_an_update(
    tmp_path: Path, twice: bool
) -> None:
    incidents = incidents_from_json(ACME.read_bytes())
    assert sum(len(i.updates) for i in incidents) == 6  # an incident and a maintenance
    assert any(u.components for i in incidents for u in i.updates)
    old = tmp_path / "old.sqlite"
    _version_0(incidents, old, twice=twice)
    with Archive.open(old) as store:
        kept = sorted((i for _, i in store.incidents()), key=lambda i: i.id)
    assert kept == sorted(incidents, key=lambda i: i.id)
    current = tmp_path / "current.sqlite"
    import_dump(current, ACME, "Acme")
    assert _rows(old) == _rows(current)  # the same bytes as a new import writes
    with sqlite3.connect(old) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (VERSION,)
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert "updates" not in tables
    again = import_dump(old, ACME, "Acme")  # and it goes on working as an archive
    assert (again.new_incidents, again.new_updates) == (0, 0)


def test_an_archive_from_a_newer_version_is_refused_in_one_line(tmp_path: Path) -> None:
    archive = tmp_path / ".postmortem" / "archive.sqlite"
    Archive.open(archive).__exit__()
    with sqlite3.connect(archive) as db:
        db.execute(f"PRAGMA user_version = {VERSION + 1}")
    db.close()
    run = subprocess.run(
        [sys.executable, "-m", "postmortem", "archive", "import", str(ACME), "--vendor", "Acme"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1, run.stderr
    assert "written by a newer postmortem" in run.stderr
    assert "upgrade postmortem" in run.stderr


@pytest.mark.corpus
def test_a_program_with_threads_imports_in_its_own_process(history: Path, tmp_path: Path) -> None:
    parallel = tmp_path / "parallel.sqlite"
    assert _import_in_workers(parallel, history)[0] == 0
    release = threading.Event()
    other = threading.Thread(target=release.wait)  # a thread of the calling program
    other.start()
    try:
        assert not dump._forkable()  # forking now could leave a child waiting forever
        here = tmp_path / "here.sqlite"
        result = import_dump(here, history, "GitHub")
    finally:
        release.set()
        other.join()
    assert (result.incidents, result.new_updates) == (1282, 2801)
    assert _rows(here) == _rows(parallel)
