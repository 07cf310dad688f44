"""Benchmark: collect 200 Statuspage feeds from a loopback server vs feedparser alone.

measured = Fetcher.fetch_many over 200 gzip-served copies of a real githubstatus Atom feed
           (concurrent, through the snapshot store), then the entity check and
           feedparser.parse on each body, the way the statuspage collector reads a feed;
floor    = feedparser.parse on the same 200 bodies, nothing else.
Target: measured / floor <= 1.5. Run alone with `python bench/cases_fetch.py [COUNT]`.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.registry import PYTHON, Case, register  # noqa: E402
from postmortem.collectors.fetch import Fetcher, reject_entities  # noqa: E402

FEED = Path("statuspage/github/atom-snapshots/githubstatus-history_2023-10-06.atom")
TARGET = 1.5


@dataclass(frozen=True, slots=True)
class Result:
    """One benchmark case: measured time against the floor measured in the same run."""

    name: str
    seconds: float
    floor_seconds: float
    target: float
    note: str

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds

    def line(self) -> str:
        verdict = "ok" if self.ratio <= self.target else "SLOWER THAN TARGET"
        return (
            f"{self.name}: {self.seconds:.2f} s vs floor {self.floor_seconds:.2f} s = "
            f"{self.ratio:.2f}x (target <= {self.target}x) {verdict}; {self.note}"
        )


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


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def case_statuspage_feeds(count: int = 200) -> Result:
    """Fetch + parse `count` feeds vs parsing them alone."""
    body = (corpus_dir() / FEED).read_bytes()
    parse(body)  # import feedparser outside the timings

    def floor() -> None:
        for _ in range(count):
            parse(body)

    with serving(body) as base, tempfile.TemporaryDirectory() as store:
        urls = [f"{base}/feeds/{n}/history.atom" for n in range(count)]

        def collect() -> None:
            with Fetcher(Path(store), allow_hosts=["127.0.0.1"], refresh=True) as fetcher:
                results = fetcher.fetch_many(urls)
            for url in urls:
                snapshot = results[url]
                assert not isinstance(snapshot, Exception), snapshot
                reject_entities(snapshot.body)
                parse(snapshot.body)

        measured = timed(collect)
    return Result(
        name=f"fetch: {count} Statuspage feeds over loopback",
        seconds=measured,
        floor_seconds=timed(floor),
        target=TARGET,
        note=f"{len(body) // 1024} KiB Atom ({FEED.name}), gzip, 8 workers, snapshot store on",
    )


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


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("collect", "parse"):
        run_part(sys.argv[1], int(sys.argv[2]))
    else:
        print(case_statuspage_feeds(int(sys.argv[1]) if len(sys.argv) > 1 else 200).line())
