"""Requests that carry a body (POST, PUT, PATCH) or change things (DELETE), under the guard.

Publishing talks to trackers with the same client as the collectors: addresses are vetted
by `guard.py`, every redirect hop is checked again, and one deadline covers each attempt.
On top of that, plain HTTP is refused unless the host is allowed (credentials would travel
in clear text), credentials are dropped when a redirect leaves the origin, and 429/503
answers are retried a bounded number of times, waiting as `Retry-After` asks within a cap.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from postmortem.collectors.fetch.body import Deadline, read_body
from postmortem.errors import CollectError

if TYPE_CHECKING:
    from postmortem.collectors.fetch.client import Fetcher

ATTEMPTS = 3  #: tries per request when the server answers 429 or 503
MAX_WAIT = 30.0  #: the longest Retry-After honoured, in seconds; longer fails at once
_RETRY = frozenset({429, 503})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CREDENTIAL_HEADERS = frozenset({"authorization", "private-token", "cookie", "proxy-authorization"})


@dataclass(frozen=True, slots=True)
class Reply:
    """The final answer to a request, whatever its status."""

    status: int
    reason: str
    headers: Mapping[str, str]  #: lower-case names
    body: bytes
    url: str  #: the URL that answered, after redirects


def send(
    fetcher: Fetcher,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    content: bytes | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Reply:
    """Send one request, retrying 429/503 as `Retry-After` asks; the last reply is returned."""
    for attempt in range(1, ATTEMPTS + 1):
        reply = _follow(fetcher, method, url, headers, content)
        if reply.status not in _RETRY or attempt == ATTEMPTS:
            return reply
        wait = retry_after(reply.headers.get("retry-after"), default=float(attempt))
        if wait > MAX_WAIT:
            return reply
        sleep(wait)
    raise AssertionError("unreachable: the last attempt always returns")


def retry_after(value: str | None, *, default: float) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); `default` if absent."""
    if value is None or not value.strip():
        return default
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _follow(
    fetcher: Fetcher,
    method: str,
    url: str,
    headers: Mapping[str, str],
    content: bytes | None,
) -> Reply:
    """Follow redirects by hand, checking every hop as the GET path does."""
    from postmortem.collectors.fetch import guard
    from postmortem.collectors.fetch.client import MAX_REDIRECTS

    current, seen, sent = url, {url}, dict(headers)
    with guard.deadline(fetcher.deadline) as end:
        deadline = Deadline(end, f"the {fetcher.deadline:g} s deadline")
        for _hop in range(MAX_REDIRECTS + 1):
            reply = fetcher.hop(
                url,
                current,
                deadline,
                partial(_once, fetcher, method, current, sent, content, deadline),
            )
            location = reply.headers.get("location")
            if reply.status not in _REDIRECTS or not location:
                return reply
            target = _join(current, location)
            if target in seen:
                raise CollectError(f"{url}: redirect loop at {target}")
            if reply.status in (301, 302, 303) and method not in ("GET", "HEAD"):
                method, content = "GET", None  # what every HTTP client does with these
            if _origin(target) != _origin(current):
                sent = {k: v for k, v in sent.items() if k.lower() not in _CREDENTIAL_HEADERS}
            current = target
            seen.add(target)
    raise CollectError(f"{url}: more than {MAX_REDIRECTS} redirects (last: {current})")


def _once(
    fetcher: Fetcher,
    method: str,
    url: str,
    headers: Mapping[str, str],
    content: bytes | None,
    deadline: Deadline,
) -> Reply:
    """One request; plain http only to an allowed host, checked before anything is sent."""
    _require_https(url, fetcher.allow_hosts)
    client = fetcher.http()
    with client.stream(method, url, headers=headers, content=content) as response:
        body = read_body(response, fetcher.max_bytes, deadline)
        return Reply(
            status=response.status_code,
            reason=response.reason_phrase,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=body,
            url=url,
        )


def _require_https(url: str, allow_hosts: tuple[str, ...]) -> None:
    from postmortem.collectors.fetch.guard import Refused, normalise_host

    parts = urlsplit(url)
    if parts.scheme.lower() == "https":
        return
    host = normalise_host(parts.hostname or "")
    if host not in {normalise_host(h) for h in allow_hosts}:
        raise Refused(
            f"plain http to {host} would send credentials in clear text; use https "
            f"(or --allow-host {host} for a host you trust)"
        )


def _join(base: str, location: str) -> str:
    from urllib.parse import urljoin

    scheme = urlsplit(location).scheme.lower()
    if scheme and scheme not in ("http", "https"):
        raise CollectError(f"redirect to {location} refused (only http and https)")
    return urljoin(base, location)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
