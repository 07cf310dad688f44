"""`postmortem collect URL` against a real HTTP server on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from postmortem.commands import cli
from tests.fetch_server import Server

FEED = (Path(__file__).parent.parent / "samples" / "evidence" / "acme-history.atom").read_bytes()


@pytest.fixture
def feed_server(server: Server) -> str:
    server.routes["/history.atom"] = lambda h: h.send(
        200, FEED, Content_Type="application/atom+xml; charset=utf-8"
    )
    return server.base


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["collect", *args])
    return result.exit_code, result.stdout, result.stderr


def test_collect_url_from_an_allowed_loopback_host(
    feed_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"{feed_server}/history.atom"
    code, out, err = invoke(url, "--allow-host", "127.0.0.1", "--format", "json")
    assert code == 0, err
    ids = [i["id"] for i in json.loads(out)["incidents"]]
    assert ids[0] == "acmq7x20mr26" and len(ids) == 4
    # The snapshot was kept, so the same URL now works offline.
    code, out, err = invoke(url, "--offline", "--format", "json")
    assert code == 0, err
    assert [i["id"] for i in json.loads(out)["incidents"]] == ids


def test_loopback_is_refused_unless_allowed(
    feed_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke(f"{feed_server}/history.atom")
    assert code == 1
    assert err.startswith("Error: ") and "127.0.0.1" in err


def test_offline_without_a_snapshot_names_the_missing_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("https://status.acme-cloud.example/history.atom", "--offline")
    assert code == 1
    assert "https://status.acme-cloud.example/history.atom" in err
