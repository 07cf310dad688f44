"""The one loopback HTTP server of the tests: scripted answers, recorded requests.

`conftest.server` gives each test a fresh one; a test adds its own answers to `routes`.
`app`, when set, answers every other request of any method (the tracker APIs of
tests/tracker_apis.py). Each request's body is read into `h.body`.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FEED = b'<?xml version="1.0"?><feed><title>Fictional Widgets status</title></feed>'
ETAG = '"v1"'
LAST_MODIFIED = "Fri, 20 Mar 2026 03:00:00 GMT"
BIG = 50 * 2**20
NOT_UTF8 = "Caf\u00e9 \u2013 stra\u00dfe".encode("cp1252")


@cache
def gzip_bomb() -> bytes:
    """About 200 KB of gzip that inflates to 200 MB of zeros."""
    return gzip.compress(bytes(200 * 2**20), compresslevel=9)


class Server(ThreadingHTTPServer):
    """Counts requests per path and how many 304s it sent; `routes` maps path to handler.

    `log` lists every request as `(method, path with query)`, in order of arrival.
    """

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: Counter[str] = Counter()
        self.not_modified = 0
        self.routes: dict[str, Callable[[_Handler], None]] = dict(ROUTES)
        self.app: Callable[[_Handler], None] | None = None
        self.log: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        #: `/hold` sets `arrived` when a request reaches it, and answers once `release` is set
        self.arrived = threading.Event()
        self.release = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Server
    body = b""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        length = self.headers.get("Content-Length", "")
        self.body = self.rfile.read(int(length)) if length.isdigit() else b""
        with self.server.lock:
            self.server.hits[path] += 1
            self.server.log.append((self.command, self.path))
        route = self.server.routes.get(path)
        if route is None and path.startswith("/chain/"):
            route = _chain
        if route is None:
            route = self.server.app
        # the client hangs up on purpose when it hits the size cap or the deadline
        with suppress(BrokenPipeError, ConnectionResetError):
            (route or _not_found)(self)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if "Content_Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send(status, Location=location)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _not_found(h: _Handler) -> None:
    h.send(404, b"nothing here")


def _feed(h: _Handler) -> None:
    if h.headers.get("If-None-Match") == ETAG:
        with h.server.lock:
            h.server.not_modified += 1
        h.send(304, ETag=ETAG)
        return
    h.send(200, FEED, Content_Type="application/atom+xml; charset=utf-8", ETag=ETAG)


def _last_modified(h: _Handler) -> None:
    if h.headers.get("If-Modified-Since") == LAST_MODIFIED:
        with h.server.lock:
            h.server.not_modified += 1
        h.send(304)
        return
    h.send(200, FEED, Last_Modified=LAST_MODIFIED)


def _changing(h: _Handler) -> None:
    """A body that changes on every request and never answers 304."""
    h.send(200, f"version {h.server.hits['/changing']}".encode(), ETag=ETAG)


def _non_ascii_validators(h: _Handler) -> None:
    """Validators that are not valid HTTP; sending either back is answered with 400."""
    if "If-None-Match" in h.headers or "If-Modified-Since" in h.headers:
        h.send(400, b"unexpected validator")
        return
    h.send(200, FEED, ETag='"\u00e9"', Last_Modified="Fri, 20 M\u00e4r 2026 03:00:00 GMT")


def _chain(h: _Handler) -> None:
    left = int(h.path.rsplit("/", 1)[1])
    h.redirect("/feed" if left <= 1 else f"/chain/{left - 1}")


def _drip(h: _Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", "100")
    h.end_headers()
    for _ in range(100):
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(0.3)


def _drip_headers(h: _Handler) -> None:
    h.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for _ in range(100):
        h.wfile.write(b"X-Slow: 1\r\n")
        h.wfile.flush()
        time.sleep(0.3)


def _stream_big(h: _Handler, with_length: bool) -> None:
    h.send_response(200)
    if with_length:
        h.send_header("Content-Length", str(BIG))
    else:
        h.close_connection = True  # HTTP/1.0 close-delimited body
    h.end_headers()
    chunk = b"y" * 2**16
    for _ in range(BIG // len(chunk)):
        h.wfile.write(chunk)


def _bomb(h: _Handler) -> None:
    h.send(200, gzip_bomb(), Content_Encoding="gzip")


def _truncated(h: _Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", "1000")
    h.end_headers()
    h.wfile.write(b"<feed><entry>cut off")
    h.close_connection = True


def _raw_deflate(h: _Handler) -> None:
    squeeze = zlib.compressobj(wbits=-15)
    h.send(200, squeeze.compress(FEED) + squeeze.flush(), Content_Encoding="deflate")


def _slow_start(h: _Handler) -> None:
    time.sleep(1.5)
    h.send(200, FEED)


def _hold(h: _Handler) -> None:
    """Answer only when the test says so: a request that is surely in flight."""
    h.server.arrived.set()
    h.server.release.wait(timeout=60)
    h.send(200, FEED)


ROUTES: dict[str, Callable[[_Handler], None]] = {
    "/hold": _hold,
    "/feed": _feed,
    "/last-modified": _last_modified,
    "/changing": _changing,
    "/non-ascii-validators": _non_ascii_validators,
    "/500": lambda h: h.send(500, b"oops"),
    "/loop-a": lambda h: h.redirect("/loop-b"),
    "/loop-b": lambda h: h.redirect("/loop-a", 301),
    "/to-metadata": lambda h: h.redirect("http://169.254.169.254/latest/meta-data/"),
    "/to-private": lambda h: h.redirect("http://10.0.0.5/status.atom"),
    "/to-ipv6-loopback": lambda h: h.redirect(f"http://[::1]:{h.server.server_address[1]}/feed"),
    "/to-localhost": lambda h: h.redirect(f"http://localhost:{h.server.server_address[1]}/feed"),
    "/to-file": lambda h: h.redirect("file:///etc/passwd"),
    "/to-ftp": lambda h: h.redirect("ftp://ftp.example.com/feed"),
    "/relative": lambda h: h.redirect("feed", 307),
    "/gzip": lambda h: h.send(200, gzip.compress(FEED), Content_Encoding="gzip"),
    "/deflate": lambda h: h.send(200, zlib.compress(FEED), Content_Encoding="deflate"),
    "/raw-deflate": _raw_deflate,
    "/brotli": lambda h: h.send(200, b"\x1b\x00", Content_Encoding="br"),
    "/bomb": _bomb,
    "/big-length": lambda h: _stream_big(h, with_length=True),
    "/big-stream": lambda h: _stream_big(h, with_length=False),
    "/drip": _drip,
    "/drip-headers": _drip_headers,
    "/truncated": _truncated,
    "/latin1": lambda h: h.send(200, NOT_UTF8, Content_Type="text/html"),
    "/slow-start": _slow_start,
}


@contextmanager
def running() -> Iterator[Server]:
    """Serve on 127.0.0.1, a free port, in a background thread."""
    server = Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
