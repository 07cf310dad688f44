"""Snapshots: conditional requests, offline replay, refresh, and two writers at once."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from postmortem.collectors.fetch.client import Fetcher
from postmortem.collectors.fetch.snapshots import SnapshotStore
from postmortem.errors import CollectError
from tests.fetch_server import FEED, Server, running

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server() -> Iterator[Server]:
    with running() as live:
        yield live


class Clock:
    """A clock the test moves by hand: each call is one hour after the previous."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(hours=1)
        return self.now


def make(store: Path, *, refresh: bool = False, clock: Clock | None = None) -> Fetcher:
    return Fetcher(store, allow_hosts=["127.0.0.1"], refresh=refresh, clock=clock or Clock())


def test_etag_revalidation_reuses_body_and_first_fetch_time(tmp_path: Path, server: Server) -> None:
    url = f"{server.base}/feed"
    clock = Clock()
    first = make(tmp_path, clock=clock).fetch(url)
    again = make(tmp_path, clock=clock).fetch(url)
    assert server.not_modified == 1
    assert again == first  # same bytes, same fetched_at: outputs stay identical
    checked = json.loads((tmp_path / "index.json").read_text())["entries"][url]["checked_at"]
    assert checked == "2026-03-20T05:00:00+00:00"
    index = json.loads((tmp_path / "index.json").read_text())["entries"][url]
    assert index["etag"] == '"v1"'
    assert (tmp_path / "snapshots" / first.sha256).read_bytes() == FEED


def test_last_modified_revalidation(tmp_path: Path, server: Server) -> None:
    url = f"{server.base}/last-modified"
    clock = Clock()
    first = make(tmp_path, clock=clock).fetch(url)
    assert make(tmp_path, clock=clock).fetch(url) == first
    assert server.not_modified == 1


def test_changed_body_gets_new_hash_and_time(tmp_path: Path, server: Server) -> None:
    url = f"{server.base}/changing"
    clock = Clock()
    first = make(tmp_path, clock=clock).fetch(url)
    second = make(tmp_path, clock=clock).fetch(url)
    assert second.sha256 != first.sha256
    assert second.fetched_at != first.fetched_at
    assert (tmp_path / "snapshots" / first.sha256).is_file()  # old bytes stay citable


def test_refresh_fetches_unconditionally(tmp_path: Path, server: Server) -> None:
    url = f"{server.base}/feed"
    make(tmp_path).fetch(url)
    make(tmp_path, refresh=True).fetch(url)
    assert server.not_modified == 0
    assert server.hits["/feed"] == 2


def test_offline_replays_the_snapshot_without_network(tmp_path: Path, server: Server) -> None:
    url = f"{server.base}/chain/2"
    online = make(tmp_path).fetch(url)
    hits = sum(server.hits.values())
    offline = Fetcher(tmp_path, offline=True).fetch(url)
    assert offline == online
    assert offline.final_url == f"{server.base}/feed"
    assert sum(server.hits.values()) == hits


def test_offline_without_snapshot_names_url_and_fix(tmp_path: Path) -> None:
    url = "https://status.example.com/history.atom"
    with pytest.raises(CollectError) as caught:
        Fetcher(tmp_path, offline=True).fetch(url)
    assert str(caught.value) == (
        f"{url}: no snapshot in {tmp_path.name}; run once online or drop --offline"
    )


def test_damaged_snapshot_is_an_error(tmp_path: Path, server: Server) -> None:
    url = f"{server.base}/feed"
    snap = make(tmp_path).fetch(url)
    (tmp_path / "snapshots" / snap.sha256).write_bytes(b"tampered")
    with pytest.raises(CollectError, match="is damaged"):
        Fetcher(tmp_path, offline=True).fetch(url)


def test_no_store_still_fetches(server: Server) -> None:
    assert Fetcher(None, allow_hosts=["127.0.0.1"]).fetch(f"{server.base}/feed").body == FEED
    with pytest.raises(CollectError, match="no snapshot store"):
        Fetcher(None, offline=True).fetch(f"{server.base}/feed")


_WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from postmortem.collectors.fetch.snapshots import SnapshotStore

store, name = SnapshotStore(Path(sys.argv[1])), sys.argv[2]
when = datetime(2026, 3, 20, tzinfo=UTC)
for n in range(60):
    url = f"https://{name}.example.com/{n}"
    store.save(url, f"{name} {n}".encode(), status=200, etag=None, last_modified=None,
               final_url=url, content_type="text/plain", now=when)
"""


def test_two_processes_writing_the_index_keep_every_entry(tmp_path: Path) -> None:
    script = textwrap.dedent(_WRITER)
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), name], cwd=ROOT)
        for name in ("alpha", "beta")
    ]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    entries = json.loads((tmp_path / "index.json").read_text())["entries"]
    assert len(entries) == 120
    store = SnapshotStore(tmp_path)
    loaded = store.load("https://beta.example.com/59")
    assert loaded is not None and loaded.body == b"beta 59"


def test_validators_that_are_not_valid_http_are_never_stored_or_sent(
    tmp_path: Path, server: Server
) -> None:
    url = f"{server.base}/non-ascii-validators"
    first = make(tmp_path).fetch(url)
    entry = json.loads((tmp_path / "index.json").read_text())["entries"][url]
    assert (entry["etag"], entry["last_modified"]) == (None, None)
    assert make(tmp_path).fetch(url).body == first.body == FEED  # the server got no validator


def test_a_poisoned_index_entry_loses_only_its_validators(tmp_path: Path, server: Server) -> None:
    url = f"{server.base}/non-ascii-validators"
    make(tmp_path).fetch(url)
    index = json.loads((tmp_path / "index.json").read_text())
    # as older runs left it
    index["entries"][url] |= {"etag": '"\u00e9"', "last_modified": "Fri, 20 M\u00e4r 2026"}
    (tmp_path / "index.json").write_text(json.dumps(index), encoding="utf-8")
    assert make(tmp_path).fetch(url).body == FEED


@pytest.mark.parametrize(
    "damage",
    [
        b"\x00\xff not json",
        b'{"version": 1, "entries": []}',
        b"[" * 100_000,
        b'{"version": 7}',
    ],
)
def test_a_damaged_index_is_rebuilt(tmp_path: Path, server: Server, damage: bytes) -> None:
    url = f"{server.base}/feed"
    make(tmp_path).fetch(url)
    (tmp_path / "index.json").write_bytes(damage)
    assert make(tmp_path).fetch(url).body == FEED
    rebuilt = json.loads((tmp_path / "index.json").read_text())
    assert list(rebuilt["entries"]) == [url]


def test_damaged_entries_are_dropped_and_fetched_again(tmp_path: Path, server: Server) -> None:
    url = f"{server.base}/feed"
    make(tmp_path).fetch(url)
    index = json.loads((tmp_path / "index.json").read_text())
    good = index["entries"][url]
    index["entries"] = {
        url: good | {"sha256": "../../../etc/hostname"},  # never read outside the store
        "https://status.example.test/a": good | {"fetched_at": "yesterday"},
        "https://status.example.test/b": "not an entry",
    }
    (tmp_path / "index.json").write_text(json.dumps(index), encoding="utf-8")
    offline = Fetcher(tmp_path, offline=True)
    with pytest.raises(CollectError, match="no snapshot"):
        offline.fetch(url)
    assert make(tmp_path).fetch(url).body == FEED
    assert offline.fetch(url).body == FEED
