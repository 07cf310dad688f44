from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from postmortem import build_report, load_incident
from postmortem.model import Report
from postmortem.report.build import ReportOptions

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared real-world corpus, read in place; tests skip when it is absent."""
    path = Path(os.environ.get("POSTMORTEM_CORPUS", ROOT.parent / "shared" / "corpus"))
    if not (path / "README.md").is_file():
        pytest.skip(f"real-world corpus not found at {path} (set POSTMORTEM_CORPUS)")
    return path


@pytest.fixture
def loopback() -> Iterator[tuple[int, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every path requested of it."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


def report_of(path: Path, options: ReportOptions | None = None) -> Report:
    """The report `postmortem build` makes of an incident file, through the library API."""
    return build_report(load_incident(path), base_dir=path.parent, options=options)
