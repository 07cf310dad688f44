"""Collected results cached beside their snapshots come back exactly as collected."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from postmortem.collectors import get_collector
from postmortem.collectors.fetch.cache import load_collected, save_collected
from postmortem.collectors.fetch.client import read_file

ROOT = Path(__file__).resolve().parent.parent
EVIDENCE = ROOT / "samples" / "evidence"


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("statuspage", "acme-history.atom"),
        ("statuspage", "acme-incident.json"),
        ("article", "acme-article.html"),
    ],
)
def test_round_trip_is_exact(kind: str, name: str, tmp_path: Path) -> None:
    snapshot = read_file(EVIDENCE / name)
    fresh = get_collector(kind)(snapshot)  # type: ignore[arg-type]
    assert load_collected(tmp_path, kind, snapshot.sha256) is None
    save_collected(tmp_path, kind, snapshot.sha256, fresh)
    assert load_collected(tmp_path, kind, snapshot.sha256) == fresh
    assert load_collected(tmp_path, "rss", snapshot.sha256) is None  # kind is part of the key


def test_damaged_entries_are_ignored(tmp_path: Path) -> None:
    snapshot = read_file(EVIDENCE / "acme-incident.json")
    save_collected(tmp_path, "statuspage", snapshot.sha256, get_collector("statuspage")(snapshot))
    (entry,) = (tmp_path / "collected").iterdir()
    entry.write_text("{not json", encoding="utf-8")
    assert load_collected(tmp_path, "statuspage", snapshot.sha256) is None


def test_offline_rebuild_from_the_cache_imports_no_parser(tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "evidence").mkdir()
    for path in EVIDENCE.iterdir():
        (sample / "evidence" / path.name).write_bytes(path.read_bytes())
    incident = sample / "incident.yaml"
    incident.write_bytes((ROOT / "samples" / "acme-2026-03-20.yaml").read_bytes())
    build = ["build", str(incident), "--offline", "-f", "md", "-q", "-o", str(tmp_path / "out")]
    code = (
        "import sys; from postmortem.commands import cli\n"
        f"try: cli({build!r})\n"
        "except SystemExit: pass\n"
        "heavy = {'feedparser', 'trafilatura', 'lxml', 'httpx2'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert first.stdout.strip() != "[]"  # the first build parses the snapshots
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert again.stdout.strip() == "[]"
