"""`archive import` in worker processes writes exactly what the records path writes, and an
archive written by the previous schema is brought up to date without losing an update."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from postmortem.collectors.statuspage.json_api import incidents_from_json, incidents_from_lines
from postmortem.errors import PostmortemError
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


@pytest.mark.corpus
def test_workers_write_what_the_records_path_writes(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dump, "PIECE_BYTES", 2**16)  # 36 pieces: every worker gets several
    parallel = tmp_path / "parallel.sqlite"
    result = import_dump(parallel, history, "GitHub")
    # the dump lists 2,801 updates, none twice
    assert (result.incidents, result.new_incidents, result.new_updates) == (1282, 1282, 2801)
    serial = tmp_path / "serial.sqlite"
    with history.open("rb") as lines, Archive.open(serial) as store:
        store.store("GitHub", incidents_from_lines(lines))
    assert _rows(parallel) == _rows(serial)


@pytest.mark.corpus
def test_a_bad_line_in_a_later_piece_is_named_and_nothing_is_kept(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dump, "PIECE_BYTES", 2**16)
    lines = history.read_bytes().splitlines(keepends=True)
    lines[1_100] = b'{"incident": {"id": "x", "incident_updates": [}\n'  # line 1,101
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"".join(lines))
    archive = tmp_path / "archive.sqlite"
    with pytest.raises(PostmortemError, match=r"broken\.jsonl: .*JSON line 1101: not valid JSON"):
        import_dump(archive, broken, "GitHub")
    with Archive.open(archive) as store:
        assert store.incidents() == ()  # one transaction: the pieces before it are gone too


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


def _killed(vendor: str, first: int, lines: bytes) -> list[object]:
    os._exit(9)  # what the system's out-of-memory killer does to a worker


@pytest.mark.corpus
def test_a_worker_that_dies_is_one_error_and_nothing_is_kept(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dump, "PIECE_BYTES", 2**16)
    monkeypatch.setattr(dump, "lines_to_rows", _killed)  # workers are forked with it
    archive = tmp_path / "archive.sqlite"
    with pytest.raises(PostmortemError, match=r"github\.jsonl: a worker process .* stopped"):
        import_dump(archive, history, "GitHub")
    with Archive.open(archive) as store:
        assert store.incidents() == ()


@pytest.mark.corpus
def test_few_pieces_in_flight_write_the_same(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dump, "PIECE_BYTES", 2**16)
    whole = tmp_path / "whole.sqlite"
    import_dump(whole, history, "GitHub")
    monkeypatch.setattr(dump, "MAX_IN_FLIGHT", 1)  # one piece at a time
    one = tmp_path / "one.sqlite"
    import_dump(one, history, "GitHub")
    assert _rows(one) == _rows(whole)
