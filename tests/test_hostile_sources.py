"""Hostile feeds, JSON, articles and dumps: a one-line error or a correct result, bounded.

Every document here is fictional and written for the case it tests.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from tests.fetch_server import Server
from tests.hostile import assert_no_crash, assert_one_line_error, run_cli

ENTRY_HTML = (
    "&lt;p&gt;&lt;small&gt;{stamp}&lt;/small&gt;&lt;br&gt;"
    "&lt;strong&gt;Resolved&lt;/strong&gt; - The widget API is back.&lt;/p&gt;"
)


def statuspage_atom(stamp: str, updated: str = "2026-03-20T05:00:00Z") -> str:
    """A one-incident Statuspage history feed of the fictional Widgets Inc."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>tag:status.widgets.example,2005:/history</id>
  <title>Widgets (fictional) Status</title>
  <updated>{updated}</updated>
  <entry>
    <id>tag:status.widgets.example,2005:Incident/4242</id>
    <published>{updated}</published>
    <updated>{updated}</updated>
    <link rel="alternate" type="text/html" href="https://status.widgets.example/incidents/w1dg3tw1dg3t"/>
    <title>Widget API errors</title>
    <content type="html">{ENTRY_HTML.format(stamp=stamp)}</content>
  </entry>
</feed>
"""


FEEDS = {
    "offset +99:99": statuspage_atom(
        "Mar &lt;var&gt;20&lt;/var&gt;, &lt;var&gt;03:00&lt;/var&gt; +99:99"
    ),
    "year 1 anchor": statuspage_atom(
        "Jan &lt;var&gt;1&lt;/var&gt;, &lt;var&gt;00:30&lt;/var&gt; +05:00", "0001-01-01T00:00:00Z"
    ),
    "year 9999 anchor": statuspage_atom(
        "Dec &lt;var&gt;31&lt;/var&gt;, &lt;var&gt;23:30&lt;/var&gt; -05:00", "9999-12-31T23:59:00Z"
    ),
    "stated year 9999": statuspage_atom(
        "Dec &lt;var&gt;31&lt;/var&gt;, 9999 &lt;var&gt;23:30&lt;/var&gt; -05:00"
    ),
    "atom year 0": statuspage_atom(
        "Mar &lt;var&gt;20&lt;/var&gt;, &lt;var&gt;03:00&lt;/var&gt; UTC", "0000-01-01T00:00:00Z"
    ),
}


@pytest.mark.parametrize("name", list(FEEDS))
def test_statuspage_feed_dates_out_of_range(tmp_path: Path, name: str) -> None:
    (tmp_path / "history.atom").write_text(FEEDS[name])
    assert_no_crash(run_cli("collect", "--kind", "statuspage", "history.atom", cwd=tmp_path))


def test_statuspage_json_created_at_year_1(tmp_path: Path) -> None:
    (tmp_path / "incidents.json").write_text(
        '{"page": {"id": "w", "name": "Widgets (fictional)", "url": "https://status.widgets.example",'
        ' "time_zone": "Etc/UTC"}, "incidents": [{"id": "w1dg3tw1dg3t", "name": "API errors",'
        ' "status": "resolved", "impact": "minor", "created_at": "0001-01-01T00:00:00+14:00",'
        ' "resolved_at": "9999-12-31T23:59:59-12:00", "incident_updates": [{"status": "resolved",'
        ' "body": "Back.", "created_at": "0001-01-01T00:00:00+14:00"}]}]}'
    )
    assert_no_crash(run_cli("collect", "--kind", "statuspage", "incidents.json", cwd=tmp_path))


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("kind", "document"),
    [
        ("statuspage", '{"incidents": ' + DEEP + ', "incident_updates": []}'),
        ("gcp", DEEP),
        ("aws", '{"archive": ' + DEEP + "}"),
        ("incidentio", '{"ongoing_incidents": ' + DEEP + "}"),
    ],
)
def test_json_nested_100000_deep(tmp_path: Path, kind: str, document: str) -> None:
    (tmp_path / "deep.json").write_text(document)
    outcome = run_cli("collect", "--kind", kind, "deep.json", cwd=tmp_path)
    assert_one_line_error(outcome, "deeper than 64 levels")


@pytest.mark.parametrize("offset", ["UTC+99:99", "UTC+24", "UTC-25:00"])
def test_article_with_impossible_offsets(tmp_path: Path, offset: str) -> None:
    (tmp_path / "story.html").write_text(
        "<html><head><title>Widgets outage</title></head><body><article>"
        "<h1>Widgets (fictional) went down</h1><p>Published March 20, 2026.</p>"
        f"<p>The widget API failed at 3:05 {offset} on March 20, 2026 and came back at "
        f"4:10 {offset}, the fictional company said.</p></article></body></html>"
    )
    assert_no_crash(run_cli("collect", "--kind", "article", "story.html", cwd=tmp_path))


ENTITIES = '<!DOCTYPE rss [<!ENTITY a "widgetswidgets"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
RSS = '<rss version="2.0"><channel><title>&b;</title><item><title>x</title></item></channel></rss>'


@pytest.mark.parametrize(
    ("encoding", "declared"),
    [
        ("cp037", "cp037"),
        ("utf-32-le", "utf-32le"),
        ("utf-32-be", "utf-32be"),
        ("utf-16-le", "utf-16"),
    ],
)
def test_entities_in_any_encoding_are_refused(tmp_path: Path, encoding: str, declared: str) -> None:
    document = f'<?xml version="1.0" encoding="{declared}"?>{ENTITIES}{RSS}'
    (tmp_path / "feed.rss").write_bytes(document.encode(encoding))
    outcome = run_cli("collect", "--kind", "rss", "feed.rss", cwd=tmp_path)
    assert_one_line_error(outcome, "declares XML entities")


def test_gzip_bomb_dump_stops_at_the_limit(tmp_path: Path) -> None:
    (tmp_path / "postmortem.yaml").write_text("vendors: []\n")
    with gzip.open(tmp_path / "dump.json.gz", "wb", compresslevel=9) as bomb:
        for _ in range(40):  # 400 MiB of spaces, about 400 KB compressed
            bomb.write(b" " * (10 * 2**20))
    outcome = run_cli("archive", "import", "dump.json.gz", "--vendor", "Widgets", cwd=tmp_path)
    assert_one_line_error(outcome, "dump.json.gz", "unpacks to more than 64 MiB")


def test_a_line_past_the_limit_in_a_json_lines_dump_stops_the_import(tmp_path: Path) -> None:
    (tmp_path / "postmortem.yaml").write_text("vendors: []\n")
    with gzip.open(tmp_path / "dump.jsonl.gz", "wb", compresslevel=9) as dump:
        dump.write(b'{"incident": {"id": "w1", "incident_updates": []}}\n' * 3)
        dump.write(b'{"incident": {"id": "w2", "name": "')  # a fourth line of 70 MiB
        for _ in range(7):
            dump.write(b"x" * (10 * 2**20))
        dump.write(b'"}}\n')
    outcome = run_cli("archive", "import", "dump.jsonl.gz", "--vendor", "Widgets", cwd=tmp_path)
    assert_one_line_error(outcome, "dump.jsonl.gz", "unpacks to more than 64 MiB")


def test_fifo_source_is_refused_and_the_build_goes_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.atom")
    (tmp_path / "incident.yaml").write_text(
        "id: HX-9\ntitle: Piped\ntimezone: UTC\nmilestones:\n  started: 2026-03-20T03:00:00Z\n"
        "sources:\n  - path: pipe.atom\n    kind: statuspage\n"
    )
    outcome = run_cli("build", "incident.yaml", "-f", "md", "-o", "out", cwd=tmp_path)
    assert outcome.code == 0, outcome.err
    assert "not a regular file" in outcome.err
    assert_one_line_error(run_cli("collect", "pipe.atom", cwd=tmp_path), "not a regular file")


def test_unclosed_ipv6_url(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("collect", "http://[::1", cwd=tmp_path), "not a valid URL")


def test_feed_with_too_many_entries_is_refused_before_parsing(tmp_path: Path) -> None:
    items = "".join(f"<item><title>Widgets {n}</title></item>" for n in range(22_000))
    (tmp_path / "feed.rss").write_text(f'<rss version="2.0"><channel>{items}</channel></rss>')
    outcome = run_cli("collect", "--kind", "rss", "feed.rss", cwd=tmp_path)
    assert_one_line_error(outcome, "22000 entries; a feed may have at most 5000")


def test_unwritable_snapshot_folder_fails_the_source_alone(tmp_path: Path, server: Server) -> None:
    (tmp_path / ".postmortem").write_text("a file where the snapshot folder should be\n")
    (tmp_path / "incident.yaml").write_text(
        "id: HX-R\ntitle: Store\ntimezone: UTC\nmilestones:\n  started: 2026-03-20T03:00:00Z\n"
        f"sources:\n  - url: {server.base}/feed\n    kind: statuspage\n"
    )
    outcome = run_cli(
        "build",
        "incident.yaml",
        "-f",
        "md",
        "-o",
        "out",
        "--allow-host",
        "127.0.0.1",
        cwd=tmp_path,
    )
    assert outcome.code == 0, outcome.err
    assert "Traceback" not in outcome.err
    assert f"{server.base}/feed" in outcome.err
    assert list((tmp_path / "out").glob("HX-R*.md"))


@pytest.mark.parametrize(
    ("flag", "value"), [("--until", "9999-12-31"), ("--since", "0001-01-01T00:00:00+05:00")]
)
def test_collect_bounds_outside_the_years(tmp_path: Path, flag: str, value: str) -> None:
    (tmp_path / "history.atom").write_text(FEEDS["offset +99:99"])
    outcome = run_cli("collect", "history.atom", flag, value, cwd=tmp_path)
    assert outcome.code == 2, outcome.err  # click's usage error: one line, no traceback
    assert "Traceback" not in outcome.err
    assert "is outside 1970-2999" in outcome.err
