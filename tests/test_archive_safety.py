"""The archive keeps the best of what it knows, waits for other writers, refuses damage."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from postmortem.commands import cli
from postmortem.errors import PostmortemError
from postmortem.review.archive import Archive
from postmortem.review.dump import import_dump
from postmortem.review.inputs import update_archive
from postmortem.spec.project import VendorFeed

GITHUB = "statuspage/github"
JSON_DIR = f"{GITHUB}/incidents-json/matching-2023-10-06-snapshot"
ATOM = f"{GITHUB}/atom-snapshots/githubstatus-history_2023-10-06.atom"
DUMP = Path(__file__).parent / "data" / "statuspage" / "acme-incidents-pacific.json"


def _import_json(archive: Path, corpus: Path) -> None:
    files = sorted((corpus / JSON_DIR).glob("*.json"))
    assert len(files) == 25
    for path in files:
        import_dump(archive, path, "GitHub")


def _update_from_atom(archive: Path, corpus: Path) -> int:
    from postmortem.collectors.fetch.client import Fetcher

    feed = VendorFeed(name="GitHub", kind="statuspage", path=str(corpus / ATOM))
    fetcher = Fetcher(archive.parent / "snapshots", offline=True)
    (outcome,) = update_archive(archive, [feed], base_dir=corpus, fetcher=fetcher)
    assert outcome.result is not None, outcome.problem
    return outcome.result.new_updates


def _summary(archive: Path) -> tuple[Counter[str | None], int, int]:
    with Archive.open(archive) as store:
        found = [incident for _, incident in store.incidents()]
    impacts = Counter(i.impact for i in found)
    updates = [u for i in found for u in i.updates]
    times = [u.at for u in updates] + [t for i in found for t in (i.started_at, i.resolved_at)]
    whole_minutes = sum(1 for t in times if t is not None and t.second == t.microsecond == 0)
    return impacts, len(updates), whole_minutes


@pytest.mark.corpus
@pytest.mark.parametrize("json_first", [True, False])
def test_json_and_atom_of_the_same_incidents_keep_the_best_of_both(
    corpus: Path, tmp_path: Path, json_first: bool
) -> None:
    archive = tmp_path / "archive.sqlite"
    if json_first:
        _import_json(archive, corpus)
        assert _update_from_atom(archive, corpus) == 0  # nothing new: the same updates
    else:
        _update_from_atom(archive, corpus)
        _import_json(archive, corpus)
    impacts, updates, whole_minutes = _summary(archive)
    assert impacts == Counter({"minor": 23, "major": 2})
    assert updates == 137
    assert whole_minutes == 0  # every time is the JSON's precise one
    _update_from_atom(archive, corpus)  # again: still nothing lost, nothing doubled
    assert _summary(archive) == (impacts, updates, whole_minutes)


def _holding_write_lock(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("DELETE FROM updates WHERE 0")  # a writer's transaction, nothing changed
    return holder


def test_a_run_waits_for_another_writer_and_says_so(tmp_path: Path) -> None:
    archive = tmp_path / ".postmortem" / "archive.sqlite"  # where a run without a project looks
    Archive.open(archive).__exit__()
    holder = _holding_write_lock(archive)
    run = subprocess.Popen(  # a separate process, as a second cron run would be
        [sys.executable, "-m", "postmortem", "archive", "import", str(DUMP), "--vendor", "Acme"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stderr is not None
    try:
        said = run.stderr.readline()  # the run tells us it waits: our signal to let go
        assert "another process is writing to the archive; waiting up to 10 minutes" in said, (
            said + run.stderr.read()
        )
        assert str(archive.relative_to(tmp_path)) in said
    finally:
        holder.execute("COMMIT")
        holder.close()
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    assert "new updates" in out
    with Archive.open(archive) as store:
        assert store.vendors() == ("Acme",)


def test_a_lock_held_too_long_is_one_clear_error(tmp_path: Path) -> None:
    archive = tmp_path / "archive.sqlite"
    Archive.open(archive).__exit__()
    holder = _holding_write_lock(archive)
    try:
        with (
            Archive.open(archive, lock_wait=0.1) as store,
            pytest.raises(PostmortemError, match=r"still locked by another process after 0\.1 s"),
        ):
            store.store("Acme", [])
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _damaged_archive(tmp_path: Path) -> Path:
    project = tmp_path / "postmortem.yaml"
    project.write_text("title: Test\n", encoding="utf-8")
    archive = tmp_path / ".postmortem" / "archive.sqlite"
    import_dump(archive, DUMP, "Acme")
    with sqlite3.connect(archive) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = db.execute("PRAGMA page_size").fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    assert pages >= 3
    data = bytearray(archive.read_bytes())
    data[page + 1 : 2 * page] = b"\xa5" * (page - 1)  # page 2 overwritten, as a bad disk would
    archive.write_bytes(bytes(data))
    return project


def test_a_damaged_archive_is_refused_and_never_written(tmp_path: Path) -> None:
    project = _damaged_archive(tmp_path)
    archive = tmp_path / ".postmortem" / "archive.sqlite"
    before = archive.read_bytes()
    runner = CliRunner()
    for args in (
        ["archive", "import", str(DUMP), "--vendor", "Other", "--project", str(project)],
        ["review", "--project", str(project), "--week", "2026-W12", "-f", "md", "-o", "-"],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        (line,) = result.stderr.splitlines()
        assert "archive.sqlite: the archive is damaged" in line
        assert "nothing was written" in line and "Restore it from a backup" in line
    assert archive.read_bytes() == before
    wal = archive.with_name("archive.sqlite-wal")
    assert not wal.exists() or not wal.stat().st_size


def test_archive_update_survives_a_server_with_non_ascii_validators(tmp_path: Path) -> None:
    from tests.fetch_server import running

    feed = Path(__file__).parent / "data" / "statuspage" / "acme-truncated.atom"
    with running() as server:
        project = tmp_path / "postmortem.yaml"
        project.write_text(
            "allow_hosts: [127.0.0.1]\nvendors:\n"
            f"  - {{name: Odd, kind: statuspage, url: '{server.base}/non-ascii-validators'}}\n"
            f"  - {{name: Acme, kind: statuspage, path: '{feed}'}}\n",
            encoding="utf-8",
        )
        runs = [
            CliRunner().invoke(cli, ["archive", "update", "--project", str(project)])
            for _ in range(2)
        ]
        assert server.hits["/non-ascii-validators"] == 2
    for run in runs:
        assert run.exit_code == 0, run.output
        assert "Odd: 0 incidents" in run.stdout  # fetched, not refused for a sent validator
    assert "new updates" in runs[1].stdout.splitlines()[1]
