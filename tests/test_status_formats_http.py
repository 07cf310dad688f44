"""`postmortem collect URL` on the newer kinds, served by the loopback server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from postmortem.commands import cli
from tests.fetch_server import Server

EVENT = {
    "date": "1773975600",
    "arn": "arn:aws:health:eu-west-9::event/EC2/OPERATIONAL_ISSUE/FICTIONAL_1",
    "region_name": "Fictional",
    "status": "2",
    "service": "ec2-eu-west-9",
    "service_name": "Amazon EC2",
    "summary": "Increased launch latencies",
    "event_log": [
        {"summary": "x", "message": "We are investigating.", "status": 2, "timestamp": 1773975600}
    ],
    "impacted_services": {"ec2-eu-west-9": {"service_name": "Amazon EC2", "max": "2"}},
}


def collect(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path)
    args = ["collect", url, "--allow-host", "127.0.0.1", "--format", "json"]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("events", [[EVENT], []])
def test_aws_current_events_in_utf16_over_http(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, events: list[object]
) -> None:
    body = json.dumps(events).encode("utf-16")  # with a byte-order mark, as AWS sends it
    server.routes["/public/currentevents"] = lambda h: h.send(
        200, body, Content_Type="application/json"
    )
    code, out, err = collect(f"{server.base}/public/currentevents", tmp_path, monkeypatch)
    assert code == 0, err
    incidents = json.loads(out)["incidents"]
    assert [i["title"] for i in incidents] == [e["summary"] for e in events]  # type: ignore[index]
    if incidents:
        assert incidents[0]["impact"] == "major" and incidents[0]["resolved_at"] is None


def test_an_unknown_payload_over_http_lists_the_kinds(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.routes["/status"] = lambda h: h.send(200, b'{"ok": true}', Content_Type="text/plain")
    code, _, err = collect(f"{server.base}/status", tmp_path, monkeypatch)
    assert code == 1
    (line,) = err.splitlines()
    assert "cachet, upptime, uptimekuma" in line and "--kind" in line
