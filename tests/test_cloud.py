"""Google Cloud, AWS, generic RSS/Atom and incident.io collectors."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from postmortem.collectors import aws, gcp, incidentio, rss
from postmortem.collectors.fetch.client import read_file
from postmortem.errors import CollectError
from postmortem.model import Snapshot

DATA = Path(__file__).parent / "data" / "cloud"
GCP = "cloud-status/gcp/gcp-incidents_2021-07_to_2022-07.json"
AWS = "cloud-status/aws/aws-shd-data_2021-2022.json"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def snap(body: bytes) -> Snapshot:
    return Snapshot("mem", "mem", body, "", None, "0" * 64)


# --- Google Cloud ---------------------------------------------------------------------------


def test_gcp_incidents_and_sibling_grouping(corpus: Path) -> None:
    snapshot = read_file(corpus / GCP)
    assert len(gcp.parse_incidents(snapshot)) == 157
    grouped = gcp.collect(snapshot).incidents
    cluster = [i for i in grouped if "1xkAB1KmLrh5g3v9ZEZ7" in (i.id, *i.aliases)]
    assert len(cluster) == 1
    (outage,) = cluster
    assert len(outage.aliases) >= 8
    assert (outage.started_at, outage.resolved_at) == (
        at("2021-11-12T08:30:00Z"),
        at("2021-11-12T10:14:00Z"),
    )
    assert len(grouped) == 157 - sum(len(i.aliases) for i in grouped)
    for incident in grouped:
        assert all(u.at.tzinfo is UTC for u in incident.updates)
        assert not any(re.search(r"<[a-zA-Z/!]", u.text) for u in incident.updates)


def test_gcp_matches_the_annotated_postmortems(corpus: Path) -> None:
    incidents = gcp.collect(read_file(corpus / GCP)).incidents
    by_id = {alias: i for i in incidents for alias in (i.id, *i.aliases)}
    with (corpus / "postmortems" / "icco-postmortems-start-end.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if "status.cloud.google.com/incidents/" in r[2]]
    checked = 0
    for row in rows:
        code = row[2].rstrip("/").rsplit("/", 1)[-1]
        if code in by_id:
            found = by_id[code]
            assert found.started_at is not None and found.resolved_at is not None
            assert abs(found.started_at - at(row[3])) <= timedelta(minutes=1), code
            assert abs(found.resolved_at - at(row[4])) <= timedelta(minutes=1), code
            checked += 1
    assert checked == 3


def test_gcp_refuses_other_json() -> None:
    with pytest.raises(CollectError, match=r"not a Google Cloud incidents\.json"):
        gcp.collect(snap(b'{"incidents": []}'))


# --- AWS ------------------------------------------------------------------------------------


def test_aws_legacy_times_agree_with_the_epoch(corpus: Path) -> None:
    data = json.loads((corpus / AWS).read_text(encoding="utf-8"))
    incidents = aws.collect(read_file(corpus / AWS)).incidents
    assert len(incidents) == len(data["archive"]) == 86
    zones = set()
    for event, incident in zip(data["archive"], incidents, strict=True):
        epoch = datetime.fromtimestamp(int(event["date"]), tz=UTC)
        assert incident.started_at is not None
        # the epoch is the first update, to the second; stamps are to the minute
        assert abs(incident.started_at - epoch) < timedelta(minutes=1), incident.id
        times = [u.at for u in incident.updates]
        assert times == sorted(times)
        assert incident.resolved_at == times[-1]
        zones |= {u.raw_status for u in incident.updates}
        assert all("<" not in u.text and "&nbsp;" not in u.text for u in incident.updates)
    assert zones == {"PDT", "PST"}


def test_aws_rss_groups_items_and_reads_pacific_stamps() -> None:
    incidents = aws.collect(read_file(DATA / "aws-ec2-tokyo.rss")).incidents
    assert [(i.title, i.status) for i in incidents] == [
        ("Slow API calls", "investigating"),
        ("Increased launch errors", "resolved"),
    ]
    slow, launch = incidents
    assert slow.started_at == datetime(2026, 1, 12, 17, 0, tzinfo=UTC)  # PST
    assert slow.resolved_at is None
    assert launch.started_at == datetime(2026, 3, 20, 6, 55, tzinfo=UTC)  # PDT
    assert launch.resolved_at == datetime(2026, 3, 20, 7, 40, tzinfo=UTC)
    assert "日本時間" in launch.updates[-1].text


# --- generic RSS/Atom -----------------------------------------------------------------------


def test_per_update_feed_groups_by_incident() -> None:
    collected = rss.collect(read_file(DATA / "widgets-updates.atom"))
    slow, login = collected.incidents
    assert slow.id == "481" and slow.title == "Slow widget rendering"
    assert [u.status for u in slow.updates] == ["investigating", "identified", "resolved"]
    assert slow.resolved_at == datetime(2026, 3, 20, 5, 10, tzinfo=UTC)
    assert login.ongoing and login.status == "investigating"
    texts = " ".join(u.text for u in slow.updates)
    assert "A cache node ran out of memory." in texts
    assert "file://" not in texts and "alert(1)" not in texts


def test_statuspage_history_feeds_are_read_as_statuspage(corpus: Path) -> None:
    path = corpus / "statuspage/github/atom-snapshots/githubstatus-history_2023-10-06.atom"
    assert len(rss.collect(read_file(path)).incidents) == 25


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<rss><channel><item><title>x", "not a readable feed|no dated items"),
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><rss/>', "declares XML entities"),
    ],
)
def test_broken_and_hostile_feeds_are_refused(body: bytes, message: str) -> None:
    with pytest.raises(CollectError, match=message):
        rss.collect(snap(body))


# --- incident.io ----------------------------------------------------------------------------


def test_incidentio_widget_summary() -> None:
    incidents = incidentio.collect(read_file(DATA / "incidentio-widget.json")).incidents
    ongoing, running, planned = incidents
    assert (ongoing.status, ongoing.impact, ongoing.ongoing) == ("identified", "major", True)
    assert ongoing.updates[0].components[0].new == "partial_outage"
    assert running.scheduled and planned.scheduled
    assert planned.started_at == datetime(2026, 3, 27, 1, tzinfo=UTC)


def test_incidentio_statuspage_compatible_summary() -> None:
    (incident,) = incidentio.collect(read_file(DATA / "incidentio-summary.json")).incidents
    assert incident.id == "01JQ0000000000000000000001"
    assert [u.status for u in incident.updates] == ["investigating", "monitoring"]
    assert incident.resolved_at is None


def test_incidentio_refuses_other_json() -> None:
    with pytest.raises(CollectError, match=r"not an incident\.io summary"):
        incidentio.collect(snap(b"[1, 2]"))


def test_berlin_display_of_a_gcp_time_is_dst_correct(corpus: Path) -> None:
    incidents = gcp.collect(read_file(corpus / GCP)).incidents
    summer = next(i for i in incidents if i.started_at and i.started_at.month == 7)
    assert summer.started_at is not None
    offset = summer.started_at.astimezone(ZoneInfo("Europe/Berlin")).utcoffset()
    assert offset == timedelta(hours=2)
    assert re.match(r"^\[", summer.title) or summer.title
