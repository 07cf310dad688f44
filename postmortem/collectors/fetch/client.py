"""The only network code: fetch a URL safely, keep what came back, replay it offline.

Every limit is enforced while reading, not after: the Content-Length is checked before the
body, compressed bodies are inflated in bounded steps (a gzip bomb never allocates past the
cap), and one deadline covers connecting, redirects, headers and body. Addresses are checked
in `guard.py`. httpx2 is imported only when something is actually fetched, so offline builds
and local files never load it.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar
from urllib.parse import urlsplit

from postmortem import __version__
from postmortem.collectors.fetch.body import Deadline, read_body
from postmortem.collectors.fetch.entities import reject_entities
from postmortem.collectors.fetch.snapshots import SnapshotStore
from postmortem.errors import CollectError, unit_failure
from postmortem.limits import MAX_SOURCE_BYTES, SOURCES_DEADLINE_SECONDS
from postmortem.model import Snapshot
from postmortem.spec.files import read_bounded

T = TypeVar("T")

if TYPE_CHECKING:
    import httpx2

    from postmortem.collectors.fetch.send import Reply

__all__ = ["Fetcher", "read_file", "reject_entities"]

MAX_BYTES = MAX_SOURCE_BYTES
MAX_REDIRECTS = 5
WORKERS = 8
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_FILE_TYPES = {
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".xml": "application/xml",
    ".json": "application/json",
    ".jsonl": "application/jsonl",
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
}

#: called as each URL of `fetch_many` finishes, e.g. to print progress on stderr
Progress = Callable[[str, Snapshot | CollectError], None]


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class _Download:
    status: int
    final_url: str
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str


class Fetcher:
    """Fetches sources over HTTP(S) within fixed limits, through a snapshot store.

    `store` is the snapshot directory (None: keep nothing). `offline` reads only the store;
    `refresh` skips conditional requests; `allow_hosts` lists host names or IP literals that
    may be loopback, private or link-local (intranet status pages, tests).
    """

    def __init__(
        self,
        store: Path | None,
        *,
        offline: bool = False,
        refresh: bool = False,
        allow_hosts: Sequence[str] = (),
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        deadline: float = 30.0,
        sources_deadline: float = SOURCES_DEADLINE_SECONDS,
        max_bytes: int = MAX_BYTES,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.store = None if store is None else SnapshotStore(store)
        self.offline = offline
        self.refresh = refresh
        self.allow_hosts = tuple(allow_hosts)
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.deadline = deadline
        self.sources_deadline = sources_deadline
        self.max_bytes = max_bytes
        self.clock = clock
        self._client: httpx2.Client | None = None
        self._client_lock = threading.Lock()
        self._all_end = math.inf  # set by fetch_many: one deadline for every source together

    def fetch(self, url: str) -> Snapshot:
        """The snapshot of `url`: fetched (conditionally when one is stored), or from the store."""
        if self.offline:
            return self._stored(url)
        known = None if self.refresh or self.store is None else self.store.entry(url)
        headers = {}
        if known is not None and known.etag:
            headers["If-None-Match"] = known.etag
        if known is not None and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        got = self._download(url, headers)
        if got is None:
            assert self.store is not None  # a 304 only answers a conditional request
            return self.store.confirm(url, self.clock())
        if self.store is None:
            sha256 = hashlib.sha256(got.body).hexdigest()
            return Snapshot(url, got.final_url, got.body, got.content_type, self.clock(), sha256)
        return self.store.save(
            url,
            got.body,
            status=got.status,
            etag=got.etag,
            last_modified=got.last_modified,
            final_url=got.final_url,
            content_type=got.content_type,
            now=self.clock(),
        )

    def fetch_many(
        self, urls: Sequence[str], *, progress: Progress | None = None
    ) -> dict[str, Snapshot | CollectError]:
        """Fetch `urls` concurrently; each maps to its snapshot or the error that stopped it."""
        unique = list(dict.fromkeys(urls))
        results: dict[str, Snapshot | CollectError] = {}
        if not unique:
            return results
        self._all_end = time.monotonic() + self.sources_deadline
        with ThreadPoolExecutor(max_workers=min(WORKERS, len(unique))) as pool:
            futures = {pool.submit(self.fetch, url): url for url in unique}
            for future in as_completed(futures):
                url = futures[future]
                try:
                    outcome: Snapshot | CollectError = future.result()
                except CollectError as exc:
                    outcome = exc
                except Exception as exc:  # e.g. a read-only snapshot folder: this URL fails alone
                    outcome = CollectError(unit_failure(exc, url))
                results[url] = outcome
                if progress is not None:
                    progress(url, outcome)
        return {url: results[url] for url in unique}

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        content: bytes | None = None,
    ) -> Reply:
        """Send a request with a body (publishing); see `send.py` for retries and HTTPS."""
        from postmortem.collectors.fetch.send import send

        return send(self, method, url, headers=headers, content=content)

    def close(self) -> None:
        """Close pooled connections."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _stored(self, url: str) -> Snapshot:
        found = None if self.store is None else self.store.load(url)
        if found is None:
            # the folder name only: reports must not carry absolute local paths
            where = "no snapshot store" if self.store is None else self.store.root.name
            raise CollectError(f"{url}: no snapshot in {where}; run once online or drop --offline")
        return found

    def _download(self, url: str, headers: Mapping[str, str]) -> _Download | None:
        """Follow redirects by hand, checking every hop; None means 304 Not Modified."""
        from postmortem.collectors.fetch import guard

        current, seen = url, {url}
        left = self._all_end - time.monotonic()
        if left <= 0:
            raise CollectError(
                f"{url}: not fetched: all sources together had {self.sources_deadline:g} s"
            )
        seconds, limit = self.deadline, f"the {self.deadline:g} s deadline"
        if left < seconds:  # the deadline shared by all sources comes first: name that one
            seconds, limit = left, f"the {self.sources_deadline:g} s deadline shared by all sources"
        with guard.deadline(seconds) as end:
            deadline = Deadline(end, limit)
            for _hop in range(MAX_REDIRECTS + 1):
                got = self.hop(
                    url, current, deadline, partial(self._request, current, headers, deadline)
                )
                if not isinstance(got, str):
                    return got
                if urlsplit(got).scheme.lower() not in ("http", "https"):
                    raise CollectError(f"{url}: redirect to {got} refused (only http and https)")
                if got in seen:
                    raise CollectError(f"{url}: redirect loop at {got}")
                current = got
                seen.add(got)
        raise CollectError(f"{url}: more than {MAX_REDIRECTS} redirects (last: {current})")

    def _request(
        self, url: str, headers: Mapping[str, str], deadline: Deadline
    ) -> _Download | str | None:
        """One hop: the download, the absolute redirect target, or None for 304."""
        with self.http().stream("GET", url, headers=headers) as response:
            location = response.headers.get("location")
            if response.status_code in _REDIRECTS and location:
                scheme = urlsplit(location).scheme.lower()
                if scheme and scheme not in ("http", "https"):
                    return location  # refused by the caller, named as the server wrote it
                return str(response.url.join(location))
            if response.status_code == 304 and headers:
                return None
            if not 200 <= response.status_code < 300:
                phrase = response.reason_phrase or _phrase(response.status_code)
                raise CollectError(f"HTTP {response.status_code} {phrase}".rstrip())
            return _Download(
                status=response.status_code,
                final_url=url,
                body=read_body(response, self.max_bytes, deadline),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                content_type=_media_type(response.headers.get("content-type", "")),
            )

    def hop(self, url: str, current: str, deadline: Deadline, request: Callable[[], T]) -> T:
        """One request of a redirect chain from `url`: `current` is checked first, and a
        failure is named with the chain; GET downloads and `send` go through here alike."""
        from postmortem.collectors.fetch import guard

        try:
            guard.check_url(current)
            return request()
        except CollectError as exc:
            raise hop_error(url, current, str(exc)) from exc
        except Exception as exc:
            reason = self.explain(exc, deadline)
            if reason is None:
                raise
            raise hop_error(url, current, reason) from exc

    def explain(self, exc: Exception, deadline: Deadline) -> str | None:
        """A user-facing reason for a network failure; None for anything that is a bug."""
        import httpx2

        from postmortem.collectors.fetch.guard import Refused

        if isinstance(exc, Refused):
            return f"refused: {exc}"
        if isinstance(exc, httpx2.TimeoutException) and time.monotonic() >= deadline.end - 0.05:
            return deadline.missed()
        if isinstance(exc, httpx2.ConnectTimeout):
            return f"timed out connecting after {self.connect_timeout:g} s"
        if isinstance(exc, httpx2.TimeoutException):
            return f"timed out after {self.read_timeout:g} s"
        if isinstance(exc, httpx2.ConnectError):
            text = str(exc)
            if "refused" in text.lower():
                return "connection refused"
            return text if text.startswith("cannot resolve") else f"cannot connect: {text}"
        if isinstance(exc, httpx2.RemoteProtocolError):
            return f"the server broke off the response ({exc})"
        if isinstance(exc, httpx2.InvalidURL):
            return f"not a valid URL ({exc})"
        if isinstance(exc, httpx2.HTTPError):
            return f"{type(exc).__name__}: {exc}"
        return None

    def http(self) -> httpx2.Client:
        """The pooled client, made on first use."""
        with self._client_lock:
            if self._client is None:
                self._client = _make_client(self)
            return self._client


def _make_client(fetcher: Fetcher) -> httpx2.Client:
    import httpx2

    from postmortem.collectors.fetch.guard import GuardedTransport

    return httpx2.Client(
        transport=GuardedTransport(fetcher.allow_hosts, max_connections=2 * WORKERS),
        # trust_env=False: an HTTP(S)_PROXY from the environment would bypass the address check
        trust_env=False,
        follow_redirects=False,
        timeout=httpx2.Timeout(fetcher.read_timeout, connect=fetcher.connect_timeout),
        headers={
            "User-Agent": f"postmortem/{__version__}",
            "Accept-Encoding": "gzip, deflate",
        },
    )


def hop_error(url: str, current: str, reason: str) -> CollectError:
    where = url if current == url else f"{url}: redirect to {current}"
    return CollectError(f"{where}: {reason}")


def read_file(path: Path, *, max_bytes: int = MAX_BYTES) -> Snapshot:
    """A local source file as a snapshot (`fetched_at` None)."""
    body = read_bounded(path, max_bytes, error=CollectError, what="a source file")
    content_type = _FILE_TYPES.get(path.suffix.lower(), "")
    sha256 = hashlib.sha256(body).hexdigest()
    return Snapshot(str(path), str(path), body, content_type, None, sha256)


def _media_type(header: str) -> str:
    return header.split(";", 1)[0].strip().lower()


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
