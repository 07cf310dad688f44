"""The fetch layer against a real loopback server: statuses, redirects, encodings, limits."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from postmortem.collectors.fetch.client import Fetcher
from postmortem.errors import CollectError
from tests.fetch_server import FEED, NOT_UTF8, Server, running


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running() as live:
        yield live


@pytest.fixture
def fetcher(tmp_path: Path) -> Iterator[Fetcher]:
    with Fetcher(tmp_path / ".postmortem", allow_hosts=["127.0.0.1"]) as live:
        yield live


def refusal(fetcher: Fetcher, url: str) -> str:
    with pytest.raises(CollectError) as caught:
        fetcher.fetch(url)
    return str(caught.value)


def test_fetches_body_type_hash_and_time(fetcher: Fetcher, server: Server) -> None:
    snap = fetcher.fetch(f"{server.base}/feed")
    assert snap.body == FEED
    assert snap.content_type == "application/atom+xml"
    assert snap.final_url == f"{server.base}/feed"
    assert len(snap.sha256) == 64
    assert snap.fetched_at is not None and snap.fetched_at.utcoffset() is not None


def test_http_errors_name_status_and_phrase(fetcher: Fetcher, server: Server) -> None:
    assert (
        refusal(fetcher, f"{server.base}/missing") == f"{server.base}/missing: HTTP 404 Not Found"
    )
    assert refusal(fetcher, f"{server.base}/500").endswith(": HTTP 500 Internal Server Error")


def test_connection_refused_is_named(fetcher: Fetcher) -> None:
    assert (
        refusal(fetcher, "http://127.0.0.1:1/feed") == "http://127.0.0.1:1/feed: connection refused"
    )


def test_unresolvable_host_is_named(fetcher: Fetcher) -> None:
    message = refusal(fetcher, "https://status.nonexistent.invalid/history.atom")
    assert message.endswith(": cannot resolve host status.nonexistent.invalid")


def test_loopback_refused_without_allow_host(tmp_path: Path, server: Server) -> None:
    before = server.hits["/feed"]
    message = refusal(Fetcher(tmp_path), f"{server.base}/feed")
    assert message == (
        f"{server.base}/feed: refused: 127.0.0.1 is a loopback address "
        "(allow it with --allow-host 127.0.0.1)"
    )
    assert server.hits["/feed"] == before


def test_redirect_chain_followed_to_final_url(fetcher: Fetcher, server: Server) -> None:
    snap = fetcher.fetch(f"{server.base}/chain/5")
    assert snap.body == FEED
    assert snap.final_url == f"{server.base}/feed"
    assert snap.url == f"{server.base}/chain/5"
    assert fetcher.fetch(f"{server.base}/relative").final_url == f"{server.base}/feed"


def test_more_than_five_redirects_refused(fetcher: Fetcher, server: Server) -> None:
    assert "more than 5 redirects" in refusal(fetcher, f"{server.base}/chain/6")


def test_redirect_loop_refused(fetcher: Fetcher, server: Server) -> None:
    message = refusal(fetcher, f"{server.base}/loop-a")
    assert message == f"{server.base}/loop-a: redirect loop at {server.base}/loop-a"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-metadata", "169.254.169.254 is a link-local address"),
        ("/to-private", "10.0.0.5 is a private address (allow it with --allow-host 10.0.0.5)"),
        ("/to-ipv6-loopback", "::1 is a loopback address (allow it with --allow-host ::1)"),
        ("/to-localhost", "localhost resolves to"),
    ],
)
def test_redirect_to_non_public_address_refused_at_the_hop(
    fetcher: Fetcher, server: Server, path: str, reason: str
) -> None:
    before = server.hits["/feed"]
    message = refusal(fetcher, f"{server.base}{path}")
    assert message.startswith(f"{server.base}{path}: redirect to http://")
    assert ": refused: " in message
    assert reason in message
    assert server.hits["/feed"] == before  # refused before connecting


@pytest.mark.parametrize("path", ["/to-file", "/to-ftp"])
def test_redirect_to_other_schemes_refused(fetcher: Fetcher, server: Server, path: str) -> None:
    message = refusal(fetcher, f"{server.base}{path}")
    assert message.endswith(" refused (only http and https)")
    assert ": redirect to file:///etc/passwd" in message or "ftp://" in message


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.com/feed",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http:///no-host",
        "http://[::1/",
    ],
)
def test_unsafe_urls_refused(tmp_path: Path, url: str) -> None:
    assert ": refused: " in refusal(Fetcher(tmp_path, allow_hosts=["127.0.0.1"]), url)


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/raw-deflate"])
def test_compressed_bodies_are_inflated(fetcher: Fetcher, server: Server, path: str) -> None:
    assert fetcher.fetch(f"{server.base}{path}").body == FEED


def test_unrequested_encoding_refused(fetcher: Fetcher, server: Server) -> None:
    assert "unsupported Content-Encoding 'br'" in refusal(fetcher, f"{server.base}/brotli")


def test_gzip_bomb_stops_at_the_cap(fetcher: Fetcher, server: Server) -> None:
    started = time.monotonic()
    assert refusal(fetcher, f"{server.base}/bomb").endswith(": response larger than 5 MiB")
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("path", ["/big-length", "/big-stream"])
def test_fifty_mib_body_refused(fetcher: Fetcher, server: Server, path: str) -> None:
    assert refusal(fetcher, f"{server.base}{path}").endswith(": response larger than 5 MiB")


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_slow_drip_stopped_by_the_deadline(tmp_path: Path, server: Server, path: str) -> None:
    fetcher = Fetcher(tmp_path, allow_hosts=["127.0.0.1"], deadline=2.0)
    started = time.monotonic()
    message = refusal(fetcher, f"{server.base}{path}")
    assert time.monotonic() - started < 3.5
    assert message.endswith("no complete response within the 2 s deadline")


def test_read_timeout_is_named(tmp_path: Path, server: Server) -> None:
    fetcher = Fetcher(tmp_path, allow_hosts=["127.0.0.1"], read_timeout=0.3)
    assert refusal(fetcher, f"{server.base}/slow-start").endswith(": timed out after 0.3 s")


def test_truncated_response_refused(fetcher: Fetcher, server: Server) -> None:
    assert "broke off the response" in refusal(fetcher, f"{server.base}/truncated")


def test_non_utf8_body_returned_unchanged(fetcher: Fetcher, server: Server) -> None:
    snap = fetcher.fetch(f"{server.base}/latin1")
    assert snap.body == NOT_UTF8
    assert b"\x96" in snap.body  # cp1252 dash: not valid UTF-8, kept as sent
    assert snap.content_type == "text/html"


def test_fetch_many_keeps_order_and_isolates_failures(fetcher: Fetcher, server: Server) -> None:
    urls = [f"{server.base}/chain/{n}" for n in range(1, 6)] + [f"{server.base}/missing"]
    seen: list[str] = []
    results = fetcher.fetch_many([*urls, urls[0]], progress=lambda url, _: seen.append(url))
    assert list(results) == urls
    assert sorted(seen) == sorted(urls)
    failed = results[f"{server.base}/missing"]
    assert isinstance(failed, CollectError) and "HTTP 404" in str(failed)
    assert all(not isinstance(results[url], CollectError) for url in urls[:5])
