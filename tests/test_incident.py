from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from postmortem.cli import cli
from postmortem.errors import IncidentFileError
from postmortem.loader import check_incident, load_incident, load_incident_text
from postmortem.starter import schema_text

ROOT = Path(__file__).resolve().parent.parent

BASE = """\
id: INC-1
title: Vendor outage
timezone: Europe/Berlin
"""


def problems(text: str) -> tuple[str, ...]:
    with pytest.raises(IncidentFileError) as caught:
        load_incident_text(text, "inc.yaml")
    return caught.value.problems or (str(caught.value),)


def test_minimal_file_loads_with_defaults() -> None:
    incident = load_incident_text("id: INC-1\ntitle: Outage\n", "inc.yaml")
    assert (incident.severity, incident.status, incident.timezone) == ("SEV3", "draft", "UTC")


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    found = problems(BASE + "serverity: SEV1\nseverity: SEV9\nowner: no\n")
    assert found == (
        "inc.yaml:4:1: serverity: unknown key 'serverity' (did you mean 'severity'?)",
        "inc.yaml:5:11: severity: Input should be 'SEV1', 'SEV2', 'SEV3', 'SEV4' or 'SEV5'",
        'inc.yaml:6:8: owner: Input should be a valid string; YAML read "no" as False, '
        'so quote it: "no"',
    )


def test_unknown_nested_key_suggests_the_nearest_field() -> None:
    found = problems(BASE + "milestones:\n  resolvd: 2026-03-20T05:00:00Z\n")
    assert found == (
        "inc.yaml:5:3: milestones.resolvd: unknown key 'resolvd' (did you mean 'resolved'?)",
    )


def test_sexagesimal_time_and_bare_date_are_refused() -> None:
    found = problems(BASE + "milestones:\n  started: 3:00\n  resolved: 2026-03-20\n")
    assert found == (
        "inc.yaml:5:12: milestones.started: 180 is not a date and time; write it like "
        '2026-03-20T03:00:00Z (YAML read "3:00" as 180)',
        "inc.yaml:6:13: milestones.resolved: 2026-03-20 has no time of day; add one, "
        "e.g. 2026-03-20T03:00:00Z",
    )


def test_duplicate_keys_are_errors() -> None:
    assert problems(BASE + "title: Again\n") == (
        "inc.yaml:4:1: duplicate key 'title' (first on line 2)",
    )


def test_aliases_are_refused() -> None:
    text = BASE + "owner: &who Ana\nauthors: [*who]\n"
    assert problems(text) == ("inc.yaml:5:11: aliases (*who) are not allowed; write the value out",)


def test_yaml_syntax_error_keeps_line_and_column() -> None:
    (message,) = problems(BASE + "authors: [a, b\n")
    assert message.startswith("inc.yaml:5:1: invalid YAML: ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "inc.yaml: the file is empty; run `postmortem init` for a start"),
        ("- a\n- b\n", "inc.yaml:1:1: expected a mapping of keys"),
    ],
)
def test_files_that_are_not_incidents(text: str, expected: str) -> None:
    assert problems(text) == (expected,)


def test_naive_times_are_read_in_the_file_zone_dst_correct() -> None:
    text = BASE + (
        "milestones:\n  started: 2026-03-20T03:58:00\n  resolved: 2026-07-20T03:58:00\n"
        "timeline:\n  - at: '2026-03-29 03:30'\n    text: after the spring change\n"
    )
    incident = load_incident_text(text, "inc.yaml")
    assert incident.milestones.started == datetime(2026, 3, 20, 2, 58, tzinfo=UTC)  # CET
    assert incident.milestones.resolved == datetime(2026, 7, 20, 1, 58, tzinfo=UTC)  # CEST
    assert incident.timeline[0].at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_naive_times_without_a_zone_are_errors() -> None:
    text = "id: INC-1\ntitle: T\nmilestones:\n  started: 2026-03-20T03:58:00\n"
    assert problems(text) == (
        "inc.yaml:4:12: milestones.started: 2026-03-20T03:58:00 has no UTC offset; add "
        "`timezone:` to the file or write it with Z or +hh:mm",
    )


def test_aware_times_are_stored_in_utc() -> None:
    text = "id: INC-1\ntitle: T\nmilestones:\n  started: 2026-03-20T04:58:00+02:00\n"
    started = load_incident_text(text, "inc.yaml").milestones.started
    assert started == datetime(2026, 3, 20, 2, 58, tzinfo=UTC)
    assert started is not None and started.utcoffset() is not None


def test_milestones_out_of_order_are_errors() -> None:
    text = BASE + (
        "milestones:\n  started: 2026-03-20T03:00:00Z\n  resolved: 2026-03-20T02:00:00Z\n"
    )
    assert problems(text) == (
        "inc.yaml:6:13: milestones.resolved: 2026-03-20 02:00 UTC is before started "
        "(2026-03-20 03:00 UTC); milestones run started, detected, acknowledged, identified, "
        "mitigated, resolved",
    )


def test_impact_outside_the_incident_is_a_warning() -> None:
    text = BASE + (
        "milestones:\n  started: 2026-03-20T03:00:00Z\n  resolved: 2026-03-20T05:00:00Z\n"
        "impact:\n  start: 2026-03-20T02:00:00Z\n  end: 2026-03-20T06:00:00Z\n"
    )
    warnings = check_incident(load_incident_text(text, "inc.yaml"))
    assert warnings == (
        "impact.start is before milestones.started: impact outside the incident",
        "impact.end is after milestones.resolved: impact outside the incident",
    )


def test_unknown_time_zone_suggests_a_name() -> None:
    assert problems("id: A\ntitle: T\ntimezone: Europe/Berln\n") == (
        "inc.yaml:3:11: timezone: unknown time zone 'Europe/Berln': use an IANA name "
        "(did you mean 'Europe/Berlin'?)",
    )


def test_sources_need_exactly_one_location_and_http_urls() -> None:
    text = BASE + "sources:\n  - kind: rss\n  - kind: statuspage\n    url: file:///etc/passwd\n"
    assert problems(text) == (
        "inc.yaml:5:5: sources.0: give exactly one of `url` or `path`",
        "inc.yaml:7:10: sources.1.url: must be an http:// or https:// URL",
    )


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(IncidentFileError, match="no such file"):
        load_incident(tmp_path / "missing.yaml")
    with pytest.raises(IncidentFileError, match="is a directory"):
        load_incident(tmp_path)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"id: A\ntitle: caf\xe9\n")
    with pytest.raises(IncidentFileError, match=r"not UTF-8 \(byte 16\); save the file as UTF-8"):
        load_incident(latin)


def test_validate_command_checks_every_file(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("id: A\ntitle: T\n", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: A\ntitle: T\nseverity: high\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(bad), str(good)])
    assert result.exit_code == 1
    assert result.stdout == f"{good}: ok\n"
    assert result.stderr == (
        f"{bad}:3:11: severity: Input should be 'SEV1', 'SEV2', 'SEV3', 'SEV4' or 'SEV5'\n"
    )


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "incident.yaml"
    runner = CliRunner()
    first = runner.invoke(cli, ["init", str(target)])
    assert first.exit_code == 0, first.output
    assert (tmp_path / "incident.schema.json").is_file()
    assert runner.invoke(cli, ["validate", str(target)]).exit_code == 0
    again = runner.invoke(cli, ["init", str(target)])
    assert again.exit_code == 1
    assert again.stderr == f"Error: {target}: already exists; pick another name or pass --force\n"
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")


def test_schema_is_draft_07_compatible_and_committed_copy_is_current() -> None:
    text = schema_text()
    assert "prefixItems" not in text
    schema = json.loads(text)
    assert schema["additionalProperties"] is False
    assert {"id", "title"} <= set(schema["required"])
    committed = (ROOT / "incident.schema.json").read_text(encoding="utf-8")
    assert committed == text, "run `make golden` to refresh incident.schema.json"
