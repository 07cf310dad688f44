"""The limits themselves: documented, applied, and one deadline for all sources together."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from postmortem import limits
from postmortem.collectors.fetch.client import Fetcher
from postmortem.errors import CollectError
from postmortem.model import Update, VendorIncident
from postmortem.report.evidence import cap_updates
from tests.fetch_server import Server
from tests.hostile import run_cli

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
RFC822 = "%a, %d %b %Y %H:%M:%S GMT"


def test_readme_lists_every_limit() -> None:
    names = [
        name
        for name, value in vars(limits).items()
        if re.fullmatch(r"[A-Z][A-Z_]+", name) and isinstance(value, int | float)
    ]
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Limits", 1)[1]
    section = section.split("\n## ", 1)[0]
    assert names
    assert [n for n in names if f"`{n}`" not in section] == []


def _incident(code: str, minutes: range) -> VendorIncident:
    updates = tuple(
        Update(START + timedelta(minutes=m), "update", "Update", f"step {m}") for m in minutes
    )
    return VendorIncident(code, code, "", "update", None, START, None, (), updates)


def test_updates_per_source_keep_the_earliest() -> None:
    found = (_incident("late", range(500, 1500)), _incident("early", range(600)))
    kept, cut = cap_updates(found, limit=1000)
    assert cut == 600
    assert sum(len(i.updates) for i in kept) == 1000
    assert max(u.at for i in kept for u in i.updates) == START + timedelta(minutes=899)


def test_updates_with_equal_times_never_pass_the_limit() -> None:
    same = VendorIncident(
        "same",
        "same",
        "",
        "update",
        None,
        START,
        None,
        (),
        tuple(Update(START, "update", "Update", f"copy {n}") for n in range(50)),
    )
    kept, cut = cap_updates((same,), limit=10)
    assert (len(kept[0].updates), cut) == (10, 40)


def test_one_deadline_for_all_sources(tmp_path: Path, server: Server) -> None:
    urls = [f"{server.base}/drip?n={n}" for n in range(24)]
    fetcher = Fetcher(tmp_path, allow_hosts=["127.0.0.1"], deadline=30.0, sources_deadline=1.0)
    with fetcher:
        outcomes = fetcher.fetch_many(urls)
    assert all(isinstance(o, CollectError) for o in outcomes.values())
    # 8 at a time: those still waiting when the shared second is spent are never started
    skipped = [o for o in outcomes.values() if "all sources together had 1 s" in str(o)]
    assert len(skipped) >= 16
    cut = [o for o in outcomes.values() if "the 1 s deadline shared by all sources" in str(o)]
    assert len(skipped) + len(cut) == len(urls)  # the started ones name the shared deadline


@pytest.mark.parametrize(
    ("own", "shared", "named"),
    [
        (30.0, 0.5, "the 0.5 s deadline shared by all sources"),
        (0.5, 30.0, "the 0.5 s deadline"),
    ],
)
def test_a_cut_download_names_the_deadline_that_fired(
    tmp_path: Path, server: Server, own: float, shared: float, named: str
) -> None:
    url = f"{server.base}/hold"
    fetcher = Fetcher(tmp_path, allow_hosts=["127.0.0.1"], deadline=own, sources_deadline=shared)
    try:
        with fetcher:
            outcome = fetcher.fetch_many([url])[url]
    finally:
        server.release.set()  # the held request may answer now, to nobody
    assert server.arrived.is_set()  # it was in flight, not skipped
    assert isinstance(outcome, CollectError)
    assert str(outcome).endswith(f": no complete response within {named}")


def test_long_vendor_feed_is_capped_with_a_note(tmp_path: Path) -> None:
    items = "".join(
        f"<item><title>Widgets degraded: step {n}</title><guid>w-{n}</guid>"
        f"<link>https://status.widgets.example/w</link>"
        f"<pubDate>{(START + timedelta(seconds=7 * n)).strftime(RFC822)}</pubDate>"
        f"<description>Still working on it, step {n}.</description></item>"
        for n in range(1500)
    )
    (tmp_path / "feed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Widgets (fictional)</title>'
        f"{items}</channel></rss>"
    )
    (tmp_path / "incident.yaml").write_text(
        "id: HX-L\ntitle: Long feed\ntimezone: UTC\nmilestones:\n  started: 2026-03-20T03:00:00Z\n"
        "sources:\n  - path: feed.rss\n    kind: rss\n    match: {title: Widgets}\n"
    )
    outcome = run_cli("build", "incident.yaml", "-f", "md,json", "-o", "out", cwd=tmp_path)
    assert outcome.code == 0, outcome.err
    assert "500 more update(s) ignored" in outcome.err


def test_long_timeline_is_cut_with_a_note(tmp_path: Path) -> None:
    rows = "".join(
        f"  - at: 2026-03-20T03:{n // 60:02d}:{n % 60:02d}Z\n    text: Widgets step {n}\n"
        for n in range(400)
    )
    (tmp_path / "incident.yaml").write_text(
        "id: HX-N\ntitle: Long timeline\ntimezone: UTC\nmilestones:\n"
        "  started: 2026-03-20T03:00:00Z\ntimeline:\n" + rows
    )
    outcome = run_cli("build", "incident.yaml", "-f", "md,json", "-o", "out", cwd=tmp_path)
    assert outcome.code == 0, outcome.err
    markdown = next((tmp_path / "out").glob("*.md")).read_text()
    assert f"Only the first {limits.MAX_TIMELINE_ROWS} of 400 rows" in markdown
    assert markdown.count("Widgets step") == limits.MAX_TIMELINE_ROWS
    assert next((tmp_path / "out").glob("*.json")).read_text().count("Widgets step") == 400
