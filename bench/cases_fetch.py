"""Benchmark: collect 200 Statuspage feeds from a loopback server vs feedparser alone.

measured = Fetcher.fetch_many over 200 gzip-served copies of a real githubstatus Atom feed
           (concurrent, through the snapshot store), then the entity check and
           feedparser.parse on each body, the way the statuspage collector reads a feed;
floor    = feedparser.parse on the same 200 bodies, nothing else.
Target: measured / floor <= 1.5. The harness runs each half as its own process.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.registry import PYTHON, Case, register  # noqa: E402
from postmortem.collectors.fetch.client import Fetcher, reject_entities  # noqa: E402

FEED = Path("statuspage/github/atom-snapshots/githubstatus-history_2023-10-06.atom")
TARGET = 1.5


def corpus_dir() -> Path:
    return Path(os.environ.get("POSTMORTEM_CORPUS", ROOT.parent / "shared" / "corpus"))


@contextmanager
def serving(body: bytes) -> Iterator[str]:
    """Serve `body` gzip-compressed at every path, as status pages do, on 127.0.0.1."""
    packed = gzip.compress(body)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real CDN would

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(packed)))
            self.end_headers()
            self.wfile.write(packed)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def parse(body: bytes) -> int:
    import feedparser

    parsed = feedparser.parse(
        io.BytesIO(body), response_headers={"content-type": "application/atom+xml"}
    )
    return len(parsed.entries)


def run_part(part: str, count: int) -> None:
    """One half of the case in its own process, for the harness to time."""
    body = (corpus_dir() / FEED).read_bytes()
    if part == "parse":
        for _ in range(count):
            parse(body)
        return
    with serving(body) as base, tempfile.TemporaryDirectory() as store:
        urls = [f"{base}/feeds/{n}/history.atom" for n in range(count)]
        with Fetcher(Path(store), allow_hosts=["127.0.0.1"], refresh=True) as fetcher:
            results = fetcher.fetch_many(urls)
        for url in urls:
            snapshot = results[url]
            assert not isinstance(snapshot, Exception), snapshot
            reject_entities(snapshot.body)
            parse(snapshot.body)


def _no_corpus() -> str | None:
    return None if (corpus_dir() / FEED).is_file() else f"corpus not found at {corpus_dir()}"


register(
    Case(
        name="collect 200 Statuspage feeds over loopback",
        command=((PYTHON, __file__, "collect", "200"),),
        floor=((PYTHON, __file__, "parse", "200"),),
        target=TARGET,
        skip=_no_corpus,
    )
)


if __name__ == "__main__":  # the harness runs `python cases_fetch.py collect|parse COUNT`
    run_part(sys.argv[1], int(sys.argv[2]))
