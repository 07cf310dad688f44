"""Hostile bodies and local files: entity declarations, gzip bomb memory, read_file limits."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from postmortem.collectors.fetch.client import read_file, reject_entities
from postmortem.collectors.fetch.guard import GuardedBackend, Refused
from postmortem.errors import CollectError
from tests.fetch_server import running

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "fetch"

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE feed [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + str(n - 1 or "") + ";") * 10}">\n' for n in range(1, 10)
    )
    + "]>\n<feed><title>&lol9;</title></feed>\n"
)
QUADRATIC = (
    '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY big "'
    + "x" * 200_000
    + '">]>\n<feed><title>'
    + "&big;" * 2000
    + "</title></feed>\n"
)
HIDDEN_AFTER_COMMENT = (
    '<!DOCTYPE feed [ <!-- <decoy> ]> --> <!ATTLIST feed x CDATA "]>" > '
    '<!entity e "boom"> ]><feed>&e;</feed>'
)


@pytest.mark.parametrize(
    "document",
    [
        BILLION_LAUGHS,
        QUADRATIC,
        HIDDEN_AFTER_COMMENT,
        '<!DOCTYPE x SYSTEM "x.dtd" [<!ENTITY a SYSTEM "file:///etc/passwd">]><x/>',
    ],
    ids=["billion-laughs", "quadratic-blowup", "hidden-after-comment", "external"],
)
def test_entity_declarations_refused(document: str) -> None:
    with pytest.raises(CollectError, match="declares XML entities"):
        reject_entities(document.encode())


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_entity_declarations_refused_in_other_encodings(encoding: str) -> None:
    with pytest.raises(CollectError, match="declares XML entities"):
        reject_entities(BILLION_LAUGHS.encode(encoding))


def test_bom_is_what_decides_utf16() -> None:
    assert BILLION_LAUGHS.encode("utf-16").startswith(codecs.BOM_UTF16_LE)


@pytest.mark.parametrize(
    "body",
    [
        (DATA / "widgets-status.atom").read_bytes(),
        b'{"incidents": []}',
        b"<feed><entry><content><![CDATA[how <!ENTITY attacks work]]></content></entry></feed>",
        b'<!DOCTYPE html><html><body>"<!ENTITY" in prose</body></html>',
        b"",
    ],
    ids=["fictional-feed", "json", "cdata-after-root", "html-after-root", "empty"],
)
def test_ordinary_documents_pass(body: bytes) -> None:
    reject_entities(body)


def test_real_status_feeds_pass(corpus: Path) -> None:
    feeds = sorted(corpus.rglob("*.atom"))[:20] + sorted(corpus.rglob("*.rss"))[:20]
    assert feeds, "the corpus has Atom/RSS feeds"
    for feed in feeds:
        reject_entities(feed.read_bytes())


_BOMB_CLIENT = """
import resource, sys
from postmortem.collectors.fetch.client import Fetcher
from postmortem.errors import CollectError

fetcher = Fetcher(None, allow_hosts=["127.0.0.1"])
fetcher.fetch(sys.argv[1] + "/feed")  # warm up: imports, first connection
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    fetcher.fetch(sys.argv[1] + "/bomb")
except CollectError as exc:
    print(exc, file=sys.stderr)
else:
    sys.exit("the bomb was accepted")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_gzip_bomb_memory_stays_bounded() -> None:
    with running() as server:
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(_BOMB_CLIENT), server.base],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    assert "response larger than 5 MiB" in done.stderr
    growth_kib = int(done.stdout)
    assert growth_kib < 32 * 1024  # the cap is 5 MiB; inflating the whole bomb would be 200 MiB


def test_read_file_gives_snapshot_without_fetch_time() -> None:
    snap = read_file(DATA / "widgets-status.atom")
    assert snap.fetched_at is None
    assert snap.content_type == "application/atom+xml"
    assert snap.url == snap.final_url == str(DATA / "widgets-status.atom")
    assert snap.body.startswith(b"<?xml")


def test_read_file_errors(tmp_path: Path) -> None:
    with pytest.raises(CollectError, match=r"history\.atom: no such file"):
        read_file(tmp_path / "history.atom")
    with pytest.raises(CollectError, match="is a directory"):
        read_file(tmp_path)
    big = tmp_path / "big.json"
    big.write_bytes(b"[" + b" " * 2048 + b"]")
    with pytest.raises(CollectError, match=r"big\.json: larger than 1 KiB"):
        read_file(big, max_bytes=1024)


def test_pipes_and_devices_are_refused_before_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "feed.atom"
    os.mkfifo(fifo)  # no writer: reading it would block forever
    with pytest.raises(CollectError, match=r"feed\.atom: not a regular file"):
        read_file(fifo)
    with pytest.raises(CollectError, match="not a regular file"):
        read_file(Path("/dev/zero"))


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("::ffff:10.1.2.3", "a private address"),
        ("10.0.0.5", "a private address"),
        ("192.168.1.1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("224.0.0.251", "a multicast address"),
        ("0.0.0.0", "the unspecified address"),
        ("100.64.0.1", "not a public address"),
        # IPv6 forms that embed, map or tunnel to a non-public IPv4 address
        ("64:ff9b::a9fe:a9fe", "a link-local address"),  # NAT64 well-known prefix
        ("64:ff9b::a00:1", "a private address"),
        ("64:ff9b:1::a9fe:a9fe", "a local-use NAT64 address"),
        ("2002:a9fe:a9fe::1", "a link-local address"),  # 6to4
        ("2002:7f00:1::1", "a loopback address"),
        ("::169.254.169.254", "a link-local address"),  # IPv4-compatible
        ("::127.0.0.1", "a loopback address"),
        ("::ffff:0:a9fe:a9fe", "a link-local address"),  # IPv4-translated
        ("::ffff:169.254.169.254", "a link-local address"),
        ("fec0::1", "a site-local address"),
        ("feff:ffff::1", "a site-local address"),
    ],
)
def test_non_public_addresses_refused_before_connecting(address: str, problem: str) -> None:
    with pytest.raises(Refused) as caught:
        GuardedBackend().vet(address, 80)
    assert str(caught.value).startswith(f"{address} is {problem}")
    assert str(caught.value).endswith(f" (allow it with --allow-host {address})")


def test_public_and_allowed_addresses_pass() -> None:
    assert GuardedBackend().vet("8.8.8.8", 443) == ["8.8.8.8"]
    for public in ("64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111"):
        assert GuardedBackend().vet(public, 443) == [public]
    assert GuardedBackend(["LOCALHOST."]).vet("localhost", 80)[0] in ("127.0.0.1", "::1")
    assert GuardedBackend(["10.0.0.5"]).vet("10.0.0.5", 80) == ["10.0.0.5"]


def test_offline_and_local_files_never_import_the_http_client(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from postmortem.collectors.fetch.client import Fetcher, read_file, reject_entities
        from postmortem.errors import CollectError
        read_file(Path({str(DATA / "widgets-status.atom")!r}))
        reject_entities(b"<feed/>")
        try:
            Fetcher(Path({str(tmp_path)!r}), offline=True).fetch("https://example.com/feed")
        except CollectError:
            pass
        print(sorted(m for m in ("httpx2", "httpcore2", "feedparser") if m in sys.modules))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
