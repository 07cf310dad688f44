"""`Fetcher.send`: requests with bodies under the same guard as GET, against loopback."""

from __future__ import annotations

import json

import pytest

from postmortem.collectors.fetch.client import Fetcher
from postmortem.collectors.fetch.send import retry_after
from postmortem.errors import CollectError
from tests.fetch_server import Server, _Handler


def _echo(h: _Handler) -> None:
    seen = {
        "method": h.command,
        "body": h.body.decode(),
        "auth": h.headers.get("Authorization"),
        "token": h.headers.get("PRIVATE-TOKEN"),
    }
    h.send(200, json.dumps(seen).encode(), Content_Type="application/json")


def _busy(h: _Handler) -> None:
    first = h.server.hits["/busy"] == 1
    h.send(429, Retry_After="0") if first else h.send(200, b"done")


@pytest.fixture
def fetcher() -> Fetcher:
    return Fetcher(None, allow_hosts=("127.0.0.1", "localhost"))


@pytest.fixture
def routes(server: Server) -> Server:
    port = server.server_address[1]
    server.routes |= {
        "/echo": _echo,
        "/busy": _busy,
        "/slow-down": lambda h: h.send(429, Retry_After="120"),
        "/307": lambda h: h.redirect("/echo", 307),
        "/303": lambda h: h.redirect("/echo", 303),
        "/to-metadata-tls": lambda h: h.redirect("https://169.254.169.254/latest/", 307),
        "/elsewhere": lambda h: h.redirect(f"http://localhost:{port}/echo", 307),
    }
    return server


def _sent(fetcher: Fetcher, url: str) -> dict[str, str | None]:
    headers = {"Authorization": "Bearer tok", "PRIVATE-TOKEN": "tok"}
    reply = fetcher.send("POST", url, headers=headers, content=b"payload")
    assert reply.status == 200
    return dict(json.loads(reply.body))


def test_307_resends_the_body_and_303_turns_into_a_get(fetcher: Fetcher, routes: Server) -> None:
    kept = _sent(fetcher, f"{routes.base}/307")
    assert kept == {"method": "POST", "body": "payload", "auth": "Bearer tok", "token": "tok"}
    changed = _sent(fetcher, f"{routes.base}/303")
    assert (changed["method"], changed["body"]) == ("GET", "")


def test_credentials_are_dropped_when_a_redirect_leaves_the_origin(
    fetcher: Fetcher, routes: Server
) -> None:
    moved = _sent(fetcher, f"{routes.base}/elsewhere")
    assert moved == {"method": "POST", "body": "payload", "auth": None, "token": None}


def test_redirects_are_checked_like_any_url(fetcher: Fetcher, routes: Server) -> None:
    with pytest.raises(CollectError, match=r"redirect to http://169\.254\.169\.254/.*: refused"):
        fetcher.send("POST", f"{routes.base}/to-metadata", headers={}, content=b"x")
    with pytest.raises(CollectError, match=r"169\.254\.169\.254 is a link-local address"):
        fetcher.send("POST", f"{routes.base}/to-metadata-tls", headers={}, content=b"x")


def test_429_is_retried_when_retry_after_is_short_and_returned_when_long(
    fetcher: Fetcher, routes: Server
) -> None:
    assert fetcher.send("PUT", f"{routes.base}/busy", headers={}).body == b"done"
    assert routes.hits["/busy"] == 2
    assert fetcher.send("PUT", f"{routes.base}/slow-down", headers={}).status == 429
    assert routes.hits["/slow-down"] == 1


def test_plain_http_only_to_allowed_hosts(routes: Server) -> None:
    strict = Fetcher(None)
    with pytest.raises(CollectError, match=r"plain http to 127\.0\.0\.1 would send credentials"):
        strict.send("POST", f"{routes.base}/echo", headers={}, content=b"x")
    assert routes.hits["/echo"] == 0


@pytest.mark.parametrize(
    ("header", "seconds"),
    [(None, 2.0), ("0", 0.0), ("7", 7.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("soon", 2.0)],
)
def test_retry_after_reads_seconds_and_dates(header: str | None, seconds: float) -> None:
    assert retry_after(header, default=2.0) == seconds
