"""Timestamps in the incident file: aware input kept, naive input read in `timezone:`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from postmortem.errors import IncidentFileError
from postmortem.spec.incident import Incident, check_incident
from postmortem.spec.loader import load_incident, load_incident_text

HEAD = "id: INC-1\ntitle: Checkout search failed\n"


def started(text: str) -> datetime | None:
    return load_incident_text(HEAD + text, "incident.yaml").milestones.started


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("2026-07-15 03:00:00", datetime(2026, 7, 15, 1, 0, tzinfo=UTC)),  # CEST, UTC+2
        ("2026-01-15 03:00:00", datetime(2026, 1, 15, 2, 0, tzinfo=UTC)),  # CET, UTC+1
        ("'2026-03-29T03:30'", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # quoted ISO, after DST
        ("2026-03-28 03:30:00", datetime(2026, 3, 28, 2, 30, tzinfo=UTC)),  # the day before
    ],
)
def test_naive_times_are_read_in_the_file_zone(written: str, utc: datetime) -> None:
    at = started(f"timezone: Europe/Berlin\nmilestones:\n  started: {written}\n")
    assert at == utc
    assert at is not None and at.tzinfo is UTC


def test_a_local_time_that_happens_twice_is_the_first_with_a_warning() -> None:
    text = HEAD + (
        "timezone: Europe/Berlin\nmilestones:\n  started: 2026-10-25 02:30:00\n"
        "timeline:\n  - at: 2026-10-25 02:45:00+01:00\n    text: Offset given, no warning\n"
    )
    incident = load_incident_text(text, "incident.yaml")
    assert incident.milestones.started == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # CEST
    assert check_incident(incident) == (
        "started: 2026-10-25 02:30 happens twice in Europe/Berlin (clocks go back); read as "
        "the first, 2026-10-25T02:30:00+02:00; write 2026-10-25T02:30:00+01:00 for the second",
    )
    one_hour_later = load_incident_text(text.replace("02:30:00", "03:30:00"), "incident.yaml")
    assert check_incident(one_hour_later) == ()


@pytest.mark.parametrize(
    "written",
    ["2026-03-20T05:58:00+03:00", "'2026-03-20T02:58:00Z'", "2026-03-20T02:58:00Z"],
)
def test_aware_times_convert_to_utc(written: str) -> None:
    at = started(f"timezone: America/New_York\nmilestones:\n  started: {written}\n")
    assert at == datetime(2026, 3, 20, 2, 58, tzinfo=UTC)
    assert at is not None and at.tzinfo is UTC


def test_every_datetime_is_utc_after_loading(tmp_path: Path) -> None:
    path = tmp_path / "incident.yaml"
    path.write_text(
        HEAD + "timezone: Asia/Tokyo\n"
        "milestones:\n  started: 2026-03-20 12:00:00\n  resolved: 2026-03-20T04:00:00+01:00\n"
        "impact:\n  start: 2026-03-20 12:10:00\n  end: 2026-03-20 12:50:00\n"
        "timeline:\n  - at: 2026-03-20 12:05:00\n    text: Pager fired\n"
        "action_items:\n  - title: Add a fallback\n    due: 2026-04-03\n",
        encoding="utf-8",
    )
    incident = load_incident(path)
    stamps: list[datetime | None] = [at for _, at in incident.milestones.items()]
    stamps += [incident.impact.start, incident.impact.end, incident.timeline[0].at]
    assert [at.isoformat() if at else None for at in stamps] == [
        "2026-03-20T03:00:00+00:00",
        "2026-03-20T03:00:00+00:00",
        "2026-03-20T03:10:00+00:00",
        "2026-03-20T03:50:00+00:00",
        "2026-03-20T03:05:00+00:00",
    ]
    assert incident.action_items[0].due == date(2026, 4, 3)


def test_error_carries_every_problem_line() -> None:
    with pytest.raises(IncidentFileError) as caught:
        load_incident_text("id: INC-1\nowner: no\n", "x.yaml")
    assert str(caught.value).splitlines()[0] == "x.yaml: 2 problems"
    assert caught.value.problems == (
        "x.yaml:1:1: title: missing required key 'title'",
        'x.yaml:2:8: owner: YAML reads no as the boolean false; quote it: "no"',
    )


def test_model_validate_without_a_file_needs_aware_times() -> None:
    aware = {"id": "INC-1", "title": "T", "milestones": {"started": "2026-03-20T03:00:00+01:00"}}
    assert Incident.model_validate(aware).milestones.started == datetime(
        2026, 3, 20, 2, 0, tzinfo=UTC
    )
    naive = {"id": "INC-1", "title": "T", "milestones": {"started": "2026-03-20T03:00:00"}}
    with pytest.raises(ValueError, match="add `timezone:` or a Z/"):
        Incident.model_validate(naive)


def test_quoted_values_keep_their_text() -> None:
    incident = load_incident_text(
        HEAD + 'owner: \'no\'\nauthors: ["on", "0755", "3:00"]\n', "incident.yaml"
    )
    assert incident.owner == "no"
    assert incident.authors == ["on", "0755", "3:00"]
