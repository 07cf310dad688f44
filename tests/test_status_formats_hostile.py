"""Hostile status payloads (fictional): each ends in one CollectError for its source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from postmortem.collectors import get_collector
from postmortem.collectors.payload import MAX_DEPTH, MAX_VALUES
from postmortem.collectors.source import detect_kind
from postmortem.commands import cli
from postmortem.errors import CollectError
from postmortem.model import Snapshot, SourceKind

URL = "https://status.example.com/feed"
T = "2026-03-20T03:00:00Z"

#: Bodies every JSON kind refuses.
ANY_JSON: tuple[bytes, ...] = (
    b"",
    b"<html>not json</html>",
    b"{",
    b'"a string"',
    b"42",
    b"null",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1),
    b"[" + b"0," * MAX_VALUES + b"0]",
    b"\xff\xfe\x00\xd8",
)

#: Per kind: payloads of the right family with wrong types, missing fields, bad dates.
HOSTILE: dict[SourceKind, tuple[object, ...]] = {
    "slack": (
        {"status": "active"},
        {"active_incidents": "several"},
        {"active_incidents": [{"title": "no id"}]},
        [{"id": 1, "date_created": "yesterday"}],
        [{"id": 1, "date_created": T, "notes": {"body": "x"}}],
        [{"id": 1, "notes": [{"date_created": 1e300, "body": "x"}]}],
        [{"id": 1, "date_created": ["2026"]}],
        [{"id": {"nested": 1}, "date_created": T}],
    ),
    "heroku": (
        {"status": []},
        {"incidents": "x"},
        {"incidents": [{"title": "no id"}]},
        {"incidents": [{"id": 1, "created_at": "noon"}]},
        {"scheduled": [{"id": 1, "updates": [{"created_at": []}]}]},
        {"incidents": [{"id": 1, "updates": "none"}]},
        {"incidents": [{"id": [], "created_at": T}]},
    ),
    "statusio": (
        {"result": []},
        {"status_overall": {}},
        {"result": {"incidents": [{"name": "no id"}]}},
        {"result": {"incidents": [{"_id": "a", "messages": [{"datetime": "late"}]}]}},
        {"result": {"incidents": [{"_id": "a", "messages": [{"datetime": T, "state": []}]}]}},
        {"result": {"maintenance": {"active": 5}}},
    ),
    "instatus": (
        {"activeIncidents": {}},
        {"unrelated": 1},
        {"activeIncidents": [{"name": "no id"}]},
        {"activeIncidents": [{"id": "a", "started": "soon"}]},
        {"page": {}, "activeMaintenances": [{"id": "m", "start": True}]},
    ),
    "betterstack": (
        {"data": []},
        {"data": {"type": "widget"}},
        {"data": {"type": "status_page"}, "included": "x"},
        {
            "data": {
                "type": "status_page",
                "relationships": {"status_reports": {"data": [{"id": "1"}]}},
            },
            "included": [{"type": "status_report", "id": "1"}],
        },
        {
            "data": {
                "type": "status_page",
                "relationships": {"status_reports": {"data": [{"id": "1"}]}},
            },
            "included": [{"type": "status_report", "id": "1", "attributes": {"starts_at": "?"}}],
        },
    ),
    "aws": (
        {"archive": "x"},
        [{"date": "x", "event_log": []}],
        [{"arn": "a", "date": "1", "event_log": "x"}],
        [{"arn": "a", "date": "99999999999999999999", "event_log": []}],
        [{"arn": "a", "date": "1", "impacted_services": "all"}],
        [1, 2],
    ),
    "cachet": (
        {"data": "x"},
        {"meta": {}},
        {"data": [{"is_resolved": True}]},
        {"data": [{"id": 1, "is_resolved": False, "status": "bad", "occurred_at": T}]},
        {"data": [{"id": 1, "scheduled_at": "32/13/2026"}]},
        {"data": [{"id": 1, "is_resolved": True, "status": 1, "occurred_at": {}}]},
    ),
    "upptime": (
        {"sites": []},
        [{"slug": "a"}],
        [{"slug": "a", "status": "sideways"}],
        {"schemaVersion": 1, "label": "uptime", "message": "99%"},
    ),
    "uptimekuma": (
        {"heartbeatList": []},
        {"heartbeatList": {"1": "x"}},
        {"heartbeatList": {"1": [{"status": "0", "time": "2026-01-01 00:00:00"}]}},
        {"heartbeatList": {"1": [{"status": 0, "time": "bad"}]}},
        {"config": {}, "incident": {"id": 1, "createdDate": "x"}},
        {"config": {}, "maintenanceList": [{"id": 1, "timeslotList": [{"startDate": "x"}]}]},
        {"config": {}, "maintenanceList": "x"},
    ),
}

UPPTIME_FILES: tuple[bytes, ...] = (
    b"url: https://a.example\nstatus: down\nlastUpdated: yesterday\n",
    b"url: https://a.example\n  nested: y\nstatus: down\n",
    b"status: down\n",
    b"url: https://a.example\nstatus: sideways\n",
    b"url: x\n" + b"k: v\n" * 20_000,
)

CASES = [
    *((kind, json.dumps(body).encode()) for kind, bodies in HOSTILE.items() for body in bodies),
    *((kind, body) for kind in HOSTILE for body in ANY_JSON),
    *(("upptime", body) for body in UPPTIME_FILES),
]


def snap(body: bytes) -> Snapshot:
    return Snapshot(URL, URL, body, "application/json", None, "0" * 64)


@pytest.mark.parametrize(
    ("kind", "body"), CASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CASES)]
)
def test_hostile_payload_is_one_line_collect_error(kind: SourceKind, body: bytes) -> None:
    with pytest.raises(CollectError) as caught:
        get_collector(kind)(snap(body))
    message = str(caught.value)
    assert message.startswith(f"{URL}: ") and "\n" not in message and len(message) < 400


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("slack", {"status": "ok", "active_incidents": []}),
        ("slack", []),
        ("heroku", {"status": [{"system": "Apps", "status": "green"}], "incidents": []}),
        ("statusio", {"result": {"incidents": [], "maintenance": {"active": [], "upcoming": []}}}),
        ("instatus", {"page": {"status": "UP"}}),
        ("betterstack", {"data": {"type": "status_page"}}),
        ("aws", []),
        ("cachet", {"data": []}),
        ("upptime", [{"slug": "a", "status": "up"}]),
        ("uptimekuma", {"heartbeatList": {"1": [{"status": 1, "time": T}]}}),
        ("uptimekuma", {"config": {}, "incident": None, "maintenanceList": []}),
    ],
)
def test_a_healthy_payload_is_no_incidents(kind: SourceKind, body: object) -> None:
    collected = get_collector(kind)(snap(json.dumps(body).encode()))
    assert collected.incidents == () and collected.warnings == ()


def test_one_bad_entry_is_skipped_with_a_warning_naming_it() -> None:
    good = {"id": 7, "status": "resolved", "date_created": T, "notes": [{"date_created": T}]}
    body = json.dumps([{"id": 6, "date_created": "later"}, good]).encode()
    collected = get_collector("slack")(snap(body))
    assert [i.id for i in collected.incidents] == ["7"]
    (warning,) = collected.warnings
    assert warning.startswith(f"{URL}: Slack incident #1 skipped: ") and "later" in warning


def test_kuma_down_spells_close_at_the_next_up_beat() -> None:
    beats = [(0, "00:00"), (0, "00:01"), (2, "00:02"), (1, "00:03"), (0, "00:04")]
    body = {"heartbeatList": {"9": [{"status": s, "time": f"2026-03-20 {t}:00"} for s, t in beats]}}
    closed, still_down = get_collector("uptimekuma")(snap(json.dumps(body).encode())).incidents
    assert (closed.started_at.minute, closed.resolved_at.minute) == (0, 3)  # type: ignore[union-attr]
    assert still_down.resolved_at is None and still_down.status == "investigating"


def test_unknown_payload_names_every_kind_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "mystery.json"
    path.write_text('{"hello": "world"}')
    result = CliRunner().invoke(cli, ["collect", str(path)])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert "uptimekuma" in line and "betterstack" in line and "--kind" in line


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_collect_command_reports_a_hostile_source_in_one_line(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 50_000 + b"]" * 50_000)
    result = CliRunner().invoke(cli, ["collect", str(path), "--kind", kind])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: {path}: ") and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://health.aws.amazon.com/public/currentevents", "aws"),
        ("https://slack-status.com/api/v2.0.0/history", "slack"),
        ("https://status.heroku.com/api/v4/current-status", "heroku"),
        ("https://api.status.io/1.0/status/5b36dc6502d06804c08349f7", "statusio"),
        ("https://raw.githubusercontent.com/o/r/HEAD/history/summary.json", "upptime"),
        ("https://status.example.com/summary.json", "instatus"),
        ("https://status.example.com/index.json", "betterstack"),
        ("https://status.example.com/api/v1/incidents", "cachet"),
        ("https://kuma.example.com/api/status-page/heartbeat/main", "uptimekuma"),
    ],
)
def test_an_empty_payload_is_placed_by_its_address(url: str, kind: SourceKind) -> None:
    snapshot = Snapshot(url, url, b"[]", "application/json", None, "0" * 64)
    assert detect_kind(snapshot) == kind
    if kind in ("aws", "slack", "upptime"):
        assert get_collector(kind)(snapshot).incidents == ()


def test_detection_reads_utf16_without_a_byte_order_mark() -> None:
    body = json.dumps([{"arn": "arn:aws:health:x", "date": "1", "event_log": []}])
    assert detect_kind(snap(body.encode("utf-16-le"))) == "aws"
