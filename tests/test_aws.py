"""AWS: legacy dashboard JSON (Pacific prose times) and per-service RSS (one item per update)."""

from __future__ import annotations

import json
import statistics
from datetime import UTC, datetime
from pathlib import Path

import pytest

from postmortem.collectors import aws
from postmortem.collectors.fetch.client import read_file
from postmortem.errors import CollectError
from postmortem.model import Snapshot

DATA = Path(__file__).parent / "data" / "aws"
AWS = "cloud-status/aws/aws-shd-data_2021-2022.json"


def snap(body: bytes) -> Snapshot:
    return Snapshot("mem", "mem", body, "", None, "0" * 64)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_first_update_agrees_with_the_epoch_to_the_minute(corpus: Path) -> None:
    events = json.loads((corpus / AWS).read_text(encoding="utf-8"))["archive"]
    collected = aws.collect(read_file(corpus / AWS))
    assert collected.warnings == ()  # every PDT/PST label matches Los Angeles on its day
    offsets = []
    for event, incident in zip(events, collected.incidents, strict=True):
        assert incident.started_at is not None
        offsets.append(incident.started_at - datetime.fromtimestamp(int(event["date"]), UTC))
    seconds = [o.total_seconds() for o in offsets]
    # stamps are to the minute, the epoch to the second: never more than a minute apart
    assert min(seconds) > -60 and max(seconds) < 60
    assert abs(statistics.median(seconds)) < 60


def test_both_pacific_offsets_are_used(corpus: Path) -> None:
    incidents = aws.collect(read_file(corpus / AWS)).incidents
    by_zone: dict[str, set[int]] = {}
    for incident in incidents:
        for update in incident.updates:
            assert update.at.tzinfo is UTC
            by_zone.setdefault(update.raw_status, set()).add(update.at.month)
    assert set(by_zone) == {"PDT", "PST"}
    assert by_zone["PST"] & {12, 1, 2} and by_zone["PDT"] & {6, 7, 8}


def test_text_is_plain_and_resolved_events_close(corpus: Path) -> None:
    incidents = aws.collect(read_file(corpus / AWS)).incidents
    for incident in incidents:
        assert incident.updates, incident.id
        assert not any("<" in u.text or "&nbsp;" in u.text for u in incident.updates)
        assert incident.resolved_at == incident.updates[-1].at
        assert [u.at for u in incident.updates] == sorted(u.at for u in incident.updates)
        assert not incident.title.startswith("[RESOLVED]")


def test_updates_after_midnight_move_to_the_next_day() -> None:
    collected = aws.collect(read_file(DATA / "fictional-legacy.json"))
    latency, delayed, errors = collected.incidents
    assert [u.at for u in latency.updates] == [
        utc(2026, 1, 16, 7, 40),  # 11:40 PM PST on the 15th
        utc(2026, 1, 16, 8, 25),  # 12:25 AM PST on the 16th
        utc(2026, 1, 16, 9, 5),
    ]
    assert latency.resolved_at == utc(2026, 1, 16, 9, 5) and latency.status == "resolved"
    assert "replaced" in latency.updates[1].text and "alert" not in delayed.updates[0].text
    assert errors.ongoing and errors.started_at == utc(2026, 3, 20, 9, 10)


def test_a_wrong_zone_label_is_kept_and_warned_about() -> None:
    collected = aws.collect(read_file(DATA / "fictional-legacy.json"))
    (warning,) = collected.warnings
    assert "labelled PST" in warning and "PDT" in warning
    delayed = collected.incidents[1]
    assert delayed.resolved_at == utc(2026, 7, 4, 18, 15)  # 10:15 AM taken as PST


def test_rss_items_become_incidents_per_service_and_region() -> None:
    widgets, gizmos = aws.collect(read_file(DATA / "all-fictional.rss")).incidents
    assert widgets.components == ("widgets-us-west-2",)
    assert [(u.at, u.status) for u in widgets.updates] == [
        (utc(2026, 1, 14, 6, 10), "investigating"),  # 10:10 PM PST
        (utc(2026, 1, 14, 6, 50), "update"),  # given in GMT
        (utc(2026, 1, 14, 7, 20), "resolved"),
    ]
    assert widgets.title == "Widget uploads failing" and widgets.resolved_at == utc(
        2026, 1, 14, 7, 20
    )
    assert gizmos.ongoing and gizmos.components == ("gizmos-ap-northeast-1",)
    assert "日本時間" in gizmos.updates[0].text and "Gizmo lookups" in gizmos.updates[0].text


@pytest.mark.parametrize(
    "body",
    [
        b'{"archive": [{"service": "x", "date": "99999999999999999999", "description": ""}]}',
        b'{"archive": [{"service": "x", "date": "soon"}]}',
        b'{"archive": "nope"}',
        b'{"archive": 5}',
        b"[]",
        b"\xff\xfe{",
    ],
)
def test_hostile_legacy_json_is_a_clear_error_or_empty(body: bytes) -> None:
    try:
        collected = aws.collect(snap(body))
    except CollectError as exc:
        assert str(exc).startswith("mem: ") and "AWS" in str(exc)
    else:
        assert collected.incidents == ()


def test_rss_dates_fall_back_to_the_guid_epoch_else_the_item_is_left_out() -> None:
    dated = (
        "<item><title>Informational message: Slow sprockets</title>"
        "<guid>https://status.aws.amazon.com/#sprockets-eu-west-1_1773975600</guid></item>"
    )
    undated = (
        "<item><title>Informational message: Slow sprockets</title>"
        "<pubDate>someday</pubDate><guid>https://status.aws.amazon.com/#sprockets</guid></item>"
    )
    collected = aws.collect(snap(f"<rss><channel>{dated}{undated}</channel></rss>".encode()))
    (incident,) = collected.incidents
    assert incident.started_at == utc(2026, 3, 20, 3, 0)
    assert incident.updates[0].raw_status == "Informational message"
    assert collected.warnings == ("mem: 1 item(s) without a readable date left out",)
    with pytest.raises(CollectError, match="no RSS item has a readable date"):
        aws.collect(snap(f"<rss><channel>{undated}</channel></rss>".encode()))
    assert aws.collect(snap(b"<rss><channel><title>Quiet</title></channel></rss>")).incidents == ()


def test_an_event_without_stamped_lines_is_one_update_at_its_epoch() -> None:
    body = b'{"archive": [{"service": "x-us-east-1", "summary": "[RESOLVED] Blip",'
    body += b' "date": "1773975600", "description": "<p>Short <i>blip</i>.</p>"}]}'
    (incident,) = aws.collect(snap(body)).incidents
    assert incident.started_at == incident.resolved_at == utc(2026, 3, 20, 3, 0)
    assert [(u.status, u.text) for u in incident.updates] == [("resolved", "Short blip.")]


def test_one_unreadable_legacy_event_is_skipped_with_a_warning() -> None:
    body = (
        b'{"archive": [{"service": "a", "date": "soon"}, {"service": "b", "date": "1773975600"}]}'
    )
    collected = aws.collect(snap(body))
    assert [i.id for i in collected.incidents] == ["b-1773975600"]
    (warning,) = collected.warnings
    assert warning.startswith("mem: AWS event #1 skipped: invalid literal for int()")


def test_a_title_without_a_known_state_is_all_subject() -> None:
    item = (
        "<item><title>Errors: widget API</title><pubDate>Fri, 20 Mar 2026 03:00:00 GMT</pubDate>"
        "<guid>https://status.aws.amazon.com/#widgets-us-east-1_1773975600</guid></item>"
    )
    (incident,) = aws.collect(snap(f"<rss><channel>{item}</channel></rss>".encode())).incidents
    assert incident.title == "Errors: widget API"
    assert (incident.status, incident.updates[0].raw_status) == ("update", "Update")
