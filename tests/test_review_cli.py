"""The review and archive commands on the bundled sample project."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from postmortem.commands import cli

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "review"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "review"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns(".postmortem"))
    return copy / "postmortem.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_archive_update_then_weekly_review(project: Path, tmp_path: Path) -> None:
    code, out, _ = run("archive", "update", "--project", str(project), "--offline")
    assert (code, out) == (0, "Acme Cloud (fictional): 9 incidents, 9 new, 27 new updates\n")
    again = run("archive", "update", "--project", str(project), "--offline")
    assert again[1] == "Acme Cloud (fictional): 9 incidents, 0 new, 0 new updates\n"
    code, out, err = run(
        "review",
        "--project",
        str(project),
        "--week",
        "2026-W12",
        "-f",
        "md,json",
        "-o",
        str(tmp_path / "out"),
    )
    assert code == 0, err
    markdown = (tmp_path / "out" / "review-2026-W12.md").read_text("utf-8")
    assert "Period 2026-03-16 to 2026-03-22, both days included" in markdown
    assert "| Incidents, yours | 2 | 1 |" in markdown
    assert "[NW-2026-014](incidents/NW-2026-014_support-assistant-returned-errors" in markdown
    data = json.loads((tmp_path / "out" / "review-2026-W12.json").read_text("utf-8"))
    assert data["own_durations"]["count"] == 2
    assert data["own_durations"]["median"] == 84.5 * 60  # 52 min and 117 min
    assert [a["title"] for a in data["overdue_actions"]] == [
        "Alert on email queue age, not only queue length",
        "Page the on-call engineer on vendor error-rate alerts",
    ]
    assert {p["incident_id"] for p in data["problems"]} == {"fx8h9i0j1k2l"}


def test_bad_incident_files_are_reported_and_skipped(project: Path, tmp_path: Path) -> None:
    (project.parent / "incidents" / "broken.yaml").write_text("id: X\ntitle: T\nseverity: 9\n")
    args = [
        "review",
        "--project",
        str(project),
        "--since",
        "2026-03-16",
        "--until",
        "2026-03-22",
        "-f",
        "md",
        "-o",
        str(tmp_path),
    ]
    code, _, err = run(*args)
    assert code == 0
    assert "broken.yaml: skipped: " in err
    strict = run(*args, "--strict")
    assert strict[0] == 1 and "broken.yaml" in strict[2]


def test_period_must_be_named() -> None:
    code, _, err = run("review", "--project", str(SAMPLE / "postmortem.yaml"))
    assert code == 1
    assert err == (
        "Error: say which period to review: --week 2026-W12, --month 2026-03, "
        "--quarter 2026-Q1, or --since and --until\n"
    )
    code, _, err = run(
        "review",
        "--project",
        str(SAMPLE / "postmortem.yaml"),
        "--week",
        "2026-W12",
        "--month",
        "2026-03",
    )
    assert (code, err) == (1, "Error: give one period, not --week and --month\n")


def test_unknown_zone_is_one_clear_error() -> None:
    code, _, err = run(
        "review",
        "--project",
        str(SAMPLE / "postmortem.yaml"),
        "--week",
        "2026-W12",
        "--tz",
        "Mars/Base",
    )
    assert (code, err) == (
        1,
        "Error: time zone 'Mars/Base': not an IANA name (e.g. Europe/Berlin, UTC)\n",
    )


def test_csv_spreadsheets_follow_rfc_4180(project: Path, tmp_path: Path) -> None:
    import csv

    run("archive", "update", "--project", str(project), "--offline")
    out = tmp_path / "out"
    args = ["review", "--project", str(project), "--week", "2026-W12", "-f", "csv,json"]
    code, printed, err = run(*args, "-o", str(out))
    assert code == 0, err
    assert printed.splitlines()[:2] == [
        str(out / "review-2026-W12-incidents.csv"),
        str(out / "review-2026-W12-components.csv"),
    ]
    data = json.loads((out / "review-2026-W12.json").read_text("utf-8"))
    raw = (out / "review-2026-W12-incidents.csv").read_bytes()
    assert raw.count(b"\r\n") == len(data["incidents"]) + 1  # CRLF after every record
    rows = list(csv.DictReader(raw.decode().splitlines()))
    assert [r["id"] for r in rows] == [i["id"] for i in data["incidents"]]
    first = rows[0]
    assert first["started_utc"].endswith("Z")
    assert first["started_utc"][:19] == data["incidents"][0]["started_at"][:19]
    components = list(
        csv.DictReader((out / "review-2026-W12-components.csv").read_text().splitlines())
    )
    support = next(c for c in components if c["component"] == "support-assistant")
    assert (support["whose"], support["slo_target_percent"]) == ("yours", "99.5")
    assert float(support["down_min"]) == pytest.approx(112, abs=1)
    refused = run("build", "x.yaml", "-f", "csv")
    assert refused[0] == 2 and "choose from md,html,json,pdf" in refused[2]
