from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from postmortem import build_report, load_incident
from postmortem.model import Report
from postmortem.report.build import ReportOptions
from tests.fetch_server import Server, running

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared real-world corpus, read in place; tests skip when it is absent."""
    path = Path(os.environ.get("POSTMORTEM_CORPUS", ROOT.parent / "shared" / "corpus"))
    if not (path / "README.md").is_file():
        pytest.skip(f"real-world corpus not found at {path} (set POSTMORTEM_CORPUS)")
    return path


@pytest.fixture
def server() -> Iterator[Server]:
    """A real HTTP server on 127.0.0.1 (tests/fetch_server.py) that records every request."""
    with running() as live:
        yield live


def report_of(path: Path, options: ReportOptions | None = None) -> Report:
    """The report `postmortem build` makes of an incident file, through the library API."""
    return build_report(load_incident(path), base_dir=path.parent, options=options)
