"""Google Cloud incidents.json: real corpus counts, sibling grouping, hostile shapes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from postmortem.collectors import gcp
from postmortem.collectors.fetch.client import read_file
from postmortem.collectors.text.markdown import markdown_text
from postmortem.errors import CollectError
from postmortem.model import Snapshot

GCP = "cloud-status/gcp/gcp-incidents_2021-07_to_2022-07.json"
NOV_12 = (datetime(2021, 11, 12, 8, 30, tzinfo=UTC), datetime(2021, 11, 12, 10, 14, tzinfo=UTC))


def snap(data: object) -> Snapshot:
    return Snapshot("mem.json", "mem.json", json.dumps(data).encode(), "", None, "0" * 64)


def test_every_incident_without_grouping(corpus: Path) -> None:
    incidents = gcp.collect(read_file(corpus / GCP), group=False).incidents
    assert len(incidents) == 157
    assert sum(len(i.updates) for i in incidents) == 770
    assert not any(i.aliases for i in incidents)
    for incident in incidents:
        times = [incident.started_at, incident.resolved_at, *(u.at for u in incident.updates)]
        assert all(t is None or t.utcoffset() == timedelta(0) for t in times)
        assert incident.url == f"https://status.cloud.google.com/incidents/{incident.id}"
        assert incident.impact in ("minor", "major", "critical")


def test_the_networking_outage_is_one_incident(corpus: Path) -> None:
    raw = json.loads((corpus / GCP).read_text(encoding="utf-8"))
    members = {i["id"] for i in raw if (i["begin"], i["end"])[0].startswith("2021-11-12T08:30")}
    grouped = gcp.collect(read_file(corpus / GCP)).incidents
    (outage,) = [i for i in grouped if members & {i.id, *i.aliases}]
    assert {outage.id, *outage.aliases} == members and len(members) >= 8
    # the member Google kept updating leads: the one its post-mortem names
    assert (outage.id, outage.title) == (
        "1xkAB1KmLrh5g3v9ZEZ7",
        f"We are experiencing Networking issues (+{len(members) - 1} related incidents)",
    )
    assert (outage.started_at, outage.resolved_at) == NOV_12
    assert outage.title.endswith(f"(+{len(members) - 1} related incidents)")
    # products of every member, each once; updates merged in order without repeats
    assert len(outage.components) == len(set(outage.components)) >= len(members) - 1
    keys = [(u.at, u.raw_status, u.text) for u in outage.updates]
    assert len(keys) == len(set(keys)) and keys == sorted(keys, key=lambda k: k[0])
    assert outage.status == "resolved" and outage.updates[-1].raw_status == "AVAILABLE"
    assert len(grouped) == 157 - sum(len(i.aliases) for i in grouped)


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("1xkAB1KmLrh5g3v9ZEZ7", "2021-11-12T08:30:00Z", "2021-11-12T10:14:00Z"),
        ("6PM5mNd43NbMqjCZ5REh", "2021-11-16T17:34:00Z", "2021-11-16T19:28:00Z"),
        ("eo76pxZiDgWVz4z3kmUv", "2022-05-20T13:47:00-07:00", "2022-05-20T14:07:00-07:00"),
    ],
)
def test_windows_match_the_annotated_postmortems(
    corpus: Path, code: str, start: str, end: str
) -> None:
    incidents = gcp.collect(read_file(corpus / GCP)).incidents
    (found,) = [i for i in incidents if code in (i.id, *i.aliases)]
    assert found.started_at is not None and found.resolved_at is not None
    assert abs(found.started_at - datetime.fromisoformat(start)) <= timedelta(minutes=1)
    assert abs(found.resolved_at - datetime.fromisoformat(end)) <= timedelta(minutes=1)


def test_update_text_is_plain_and_names_locations(corpus: Path) -> None:
    raw = json.loads((corpus / GCP).read_text(encoding="utf-8"))
    located = sum(bool(u.get("affected_locations")) for i in raw for u in i["updates"])
    incidents = gcp.collect(read_file(corpus / GCP), group=False).incidents
    texts = [u.text for i in incidents for u in i.updates]
    assert not any(re.search(r"<[a-zA-Z/!]|\*\*|\]\(", t) for t in texts)
    assert sum("Locations: " in t for t in texts) == located > 200
    statuses = {(u.raw_status, u.status) for i in incidents for u in i.updates}
    assert ("AVAILABLE", "resolved") in statuses
    assert {raw for raw, _ in statuses} == {
        "SERVICE_INFORMATION", "SERVICE_DISRUPTION", "SERVICE_OUTAGE", "AVAILABLE"
    }  # fmt: skip


def test_markdown_becomes_words() -> None:
    assert markdown_text("**Summary:** see [the report](https://x.example/r) and `gcloud`") == (
        "Summary: see the report and gcloud"
    )


def incident(number: int, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": f"id{number}",
        "begin": "2026-03-20T03:00:00+00:00",
        "end": None,
        "external_desc": f"Fictional product {number} errors",
        "severity": "high",
        "updates": [],
    }
    return base | fields


def test_open_or_undated_incidents_are_never_merged_or_lost() -> None:
    found = gcp.collect(snap([incident(1), incident(2), incident(3, begin=None)])).incidents
    assert sorted(i.id for i in found) == ["id1", "id2", "id3"]
    assert all(i.ongoing and not i.aliases for i in found)


@pytest.mark.parametrize(
    "data",
    [
        {"incidents": []},
        [1, 2],
        [{"id": "x"}],
        [incident(1, begin="yesterday")],
        [incident(1, begin="2026-03-20T03:00:00")],
        [incident(1, updates=["not an update", {"when": 12}], affected_products="all")],
    ],
)
def test_hostile_shapes_end_in_a_clear_error_or_are_skipped(data: object) -> None:
    try:
        collected = gcp.collect(snap(data))
    except CollectError as exc:
        assert "mem.json" in str(exc) and "Google Cloud" in str(exc)
    else:
        (only,) = collected.incidents
        assert only.updates == () and only.components == ()


def test_not_json_is_refused() -> None:
    bad = Snapshot("x.json", "x.json", b"\xff<html>", "", None, "0" * 64)
    with pytest.raises(CollectError, match=r"x\.json: not JSON"):
        gcp.collect(bad)


def test_impact_falls_back_to_the_status_impact() -> None:
    data = [incident(1, severity=None, status_impact="SERVICE_OUTAGE"), incident(2, severity="x")]
    impacts = sorted((i.id, i.impact) for i in gcp.collect(snap(data)).incidents)
    assert impacts == [("id1", "critical"), ("id2", None)]


def test_one_unreadable_incident_is_skipped_with_a_warning() -> None:
    collected = gcp.collect(snap([incident(1), incident(2, begin="soon"), "junk"]))
    assert [i.id for i in collected.incidents] == ["id1"]
    assert collected.warnings == (
        "mem.json: Google Cloud incident #2 skipped: Invalid isoformat string: 'soon'",
        "mem.json: Google Cloud incident #3 skipped: not an incident object with 'begin'",
    )
