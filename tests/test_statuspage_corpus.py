"""The Statuspage collector against real GitHub Status data, read in place from the corpus."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from postmortem.collectors.fetch.client import read_file
from postmortem.collectors.statuspage import collect, incidents_from_json, merge_incidents
from postmortem.model import VendorIncident

pytestmark = pytest.mark.corpus
MINUTE = timedelta(seconds=60)


def github(corpus: Path) -> Path:
    return corpus / "statuspage" / "github"


def atom(corpus: Path, day: str) -> tuple[VendorIncident, ...]:
    path = github(corpus) / "atom-snapshots" / f"githubstatus-history_{day}.atom"
    collected = collect(read_file(path))
    assert collected.warnings == ()
    return collected.incidents


def when(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def displayed_words(updates: list[dict[str, Any]]) -> list[str]:
    """The status words a history feed prints: "Update" when the status did not change."""
    words, previous = [], None
    for update in updates:
        status = update["status"]
        words.append("update" if status == previous else status)
        previous = status
    return words


def test_atom_2023_10_06_matches_provider_json_for_all_25(corpus: Path) -> None:
    incidents = atom(corpus, "2023-10-06")
    folder = github(corpus) / "incidents-json" / "matching-2023-10-06-snapshot"
    assert len(incidents) == 25
    for incident in incidents:
        truth = json.loads((folder / f"{incident.id}.json").read_text())["incident"]
        expected = sorted(truth["incident_updates"], key=lambda u: u["display_at"])
        assert [u.status for u in incident.updates] == displayed_words(expected), incident.id
        for update, want in zip(incident.updates, expected, strict=True):
            assert abs(update.at - when(want["display_at"])) < MINUTE, incident.id
        assert incident.started_at is not None and incident.resolved_at is not None
        assert abs(incident.started_at - when(truth["created_at"])) < MINUTE
        assert abs(incident.resolved_at - when(truth["resolved_at"])) < MINUTE
        assert incident.url == f"https://www.githubstatus.com/incidents/{incident.id}"
        assert all("<" not in u.text for u in incident.updates)


def test_atom_published_is_the_newest_update_not_the_start(corpus: Path) -> None:
    incident = {i.id: i for i in atom(corpus, "2023-10-06")}["w554d74dv18j"]
    assert incident.started_at == datetime(2023, 10, 6, 1, 12, tzinfo=UTC)
    assert incident.resolved_at == datetime(2023, 10, 6, 2, 59, tzinfo=UTC)
    assert [u.raw_status for u in incident.updates] == ["Investigating"] + ["Update"] * 3 + [
        "Resolved"
    ]


def follow_march_incidents(corpus: Path) -> dict[str, VendorIncident]:
    folder = github(corpus) / "summary-json-snapshots"
    summaries = [collect(read_file(path)) for path in sorted(folder.glob("*.json"))]
    assert len(summaries) == 8 and {s.page_zone for s in summaries} == {"Etc/UTC"}
    groups = [
        atom(corpus, "2026-03-03"),
        *(s.incidents for s in summaries),
        atom(corpus, "2026-03-04"),
    ]
    return {incident.id: incident for incident in merge_incidents(*groups)}


def minutes(incident: VendorIncident) -> int:
    assert incident.started_at is not None and incident.resolved_at is not None
    return round((incident.resolved_at - incident.started_at) / timedelta(minutes=1))


def test_incident_followed_through_atom_summaries_and_next_atom(corpus: Path) -> None:
    incident = follow_march_incidents(corpus)["0yjbtp1d2cpc"]
    assert incident.started_at is not None and incident.resolved_at is not None
    assert incident.started_at.strftime("%Y-%m-%dT%H:%M") == "2026-03-02T23:10"
    assert incident.resolved_at.strftime("%Y-%m-%dT%H:%M") == "2026-03-03T05:54"
    assert minutes(incident) == 404
    assert len(incident.updates) == 13
    keys = [(u.at.replace(second=0, microsecond=0), u.text) for u in incident.updates]
    assert len(set(keys)) == 13
    assert incident.status == "resolved" and incident.components == ("Issues",)
    # The JSON's precise times and component changes survive the merge with the Atom.
    first_change = incident.updates[1].components[0]
    assert (first_change.name, first_change.old, first_change.new) == (
        "Issues",
        "operational",
        "partial_outage",
    )
    assert incident.updates[0].at == datetime(2026, 3, 2, 23, 10, 28, 181000, tzinfo=UTC)


def test_pull_requests_incident_followed_through_snapshots(corpus: Path) -> None:
    incident = follow_march_incidents(corpus)["vhpmx9vc93m0"]
    assert incident.title == "Incident with Pull Requests /pulls"
    assert incident.started_at is not None and incident.resolved_at is not None
    assert incident.started_at.strftime("%H:%M") == "19:11"
    assert incident.resolved_at.strftime("%H:%M") == "22:04"
    assert minutes(incident) == 173
    assert len({(u.at.replace(second=0, microsecond=0), u.text) for u in incident.updates}) == len(
        incident.updates
    )


def test_open_incident_stays_open_until_a_later_snapshot_closes_it(corpus: Path) -> None:
    before = {i.id: i for i in atom(corpus, "2026-02-27")}["kv1lzpgzr9yp"]
    assert before.title.startswith("Code view fails to load")
    assert before.resolved_at is None and before.ongoing
    assert before.updates[-1].raw_status == "Update"
    merged = {
        i.id: i for i in merge_incidents(atom(corpus, "2026-02-27"), atom(corpus, "2026-02-28"))
    }
    after = merged["kv1lzpgzr9yp"]
    assert after.resolved_at == datetime(2026, 2, 27, 6, 4, tzinfo=UTC) and not after.ongoing
    assert after.status == "resolved"


def test_bulk_json_lines_dump_matches_each_incident_json(corpus: Path) -> None:
    path = github(corpus) / "incidents-json" / "all-github-incidents-2010-2023.jsonl.gz"
    lines = gzip.decompress(path.read_bytes()).splitlines()
    incidents = incidents_from_json(b"\n".join(lines))
    assert len(incidents) == len(lines) == 1282
    for incident, line in zip(incidents, lines, strict=True):
        truth = json.loads(line)["incident"]
        assert incident.id == truth["id"]
        assert incident.started_at == when(truth["started_at"] or truth["created_at"])
        assert incident.resolved_at == when(truth["resolved_at"])
        expected = sorted(truth["incident_updates"], key=lambda u: u["display_at"])
        assert [(u.at, u.raw_status) for u in incident.updates] == [
            (when(u["display_at"]), u["status"]) for u in expected
        ]
        assert incident.scheduled == bool(truth.get("scheduled_for"))
    # The gzipped file itself also goes through the collector.
    assert len(collect(read_file(path)).incidents) == 1282


def test_agreement_with_peer_parser_on_start_and_resolve(corpus: Path) -> None:
    snapshots = sorted((github(corpus) / "atom-snapshots").glob("*.atom"))
    ours = {i.id: i for i in merge_incidents(*(collect(read_file(p)).incidents for p in snapshots))}
    peer_path = github(corpus) / "peer-output-mrshu" / "incidents.jsonl.gz"
    peer = [json.loads(line) for line in gzip.decompress(peer_path.read_bytes()).splitlines()]
    overlap = [(ours[code], p) for p in peer if (code := p["url"].rsplit("/", 1)[-1]) in ours]
    agree = sum(
        o.started_at == when(p["started_at"])
        and o.resolved_at == (when(p["resolved_at"]) if p["resolved_at"] else None)
        for o, p in overlap
    )
    print(f"peer agreement on start and resolve: {agree}/{len(overlap)}")
    assert len(overlap) >= 75
    assert agree / len(overlap) >= 0.98
