from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from postmortem.errors import PostmortemError
from postmortem.render.review import render_review_markdown
from postmortem.report.assemble import assemble_report
from postmortem.report.evidence import Evidence
from postmortem.review.assemble import build_review
from postmortem.review.inputs import post_mortem
from postmortem.review.model import OwnInput
from postmortem.review.periods import iso_week
from postmortem.spec.incident import Incident
from tests.test_review_archive import make_incident

WEEK = iso_week("2026-W12", "Europe/Berlin")  # Mon 16 to Sun 22 March 2026


def own(id_: str, start: str, end: str | None, **extra: object) -> OwnInput:
    data: dict[str, object] = {
        "id": id_,
        "title": f"Own {id_}",
        "severity": "SEV2",
        "timezone": "Europe/Berlin",
        "components": ["support-assistant"],
        "milestones": {"started": start, **({"resolved": end} if end else {})},
        **extra,
    }
    incident = Incident.model_validate(data)
    report = assemble_report(incident, Evidence.empty())
    return OwnInput(Path(f"incidents/{id_}.yaml"), incident, report)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def test_counts_durations_overlaps_and_problems() -> None:
    mine = [
        own("INC-1", "2026-03-20T02:58:00Z", "2026-03-20T04:43:00Z"),
        own("INC-2", "2026-03-18T10:00:00Z", "2026-03-18T10:00:00Z"),  # zero length
        own("INC-0", "2026-03-11T10:00:00Z", "2026-03-11T10:30:00Z"),  # previous week
    ]
    vendors = [
        ("Acme", make_incident("a1", at(20, 3, 5), 90)),
        ("Acme", make_incident("a2", at(17, 12), None)),  # still open
        ("Acme", make_incident("a3", at(22, 23, 30), 10)),  # Monday 23 in Berlin: next week
    ]
    review = build_review(mine, vendors, WEEK)
    assert [i.id for i in review.incidents] == ["a2", "INC-2", "INC-1", "a1"]
    assert review.own_durations.count == 1
    assert review.own_durations.median == timedelta(minutes=105)
    assert review.vendor_durations.count == 1
    assert review.previous_own_durations.median == timedelta(minutes=30)
    assert {(c.key, c.current, c.previous) for c in review.by_source} == {
        ("own", 2, 1),
        ("Acme", 2, 0),
    }
    problems = {(p.incident_id, p.message.split(":")[0]) for p in review.problems}
    assert problems == {("INC-2", "zero duration"), ("a2", "still open")}
    overlaps = {(o.own_id, o.vendor_id, o.overlap) for o in review.overlaps}
    assert overlaps == {
        ("INC-1", "a1", timedelta(minutes=90)),
        ("INC-1", "a2", timedelta(minutes=105)),
    }
    assert [t.label for t in review.trend][-2:] == ["2026-W11", "2026-W12"]
    assert review.trend[-1].own_count == 2 and review.trend[-2].own_count == 1


def test_component_availability_is_clipped_to_the_period() -> None:
    vendors = [("Acme", make_incident("open", at(21, 23), None))]  # Sunday 22 00:00 Berlin
    review = build_review([], vendors, WEEK)
    (row,) = review.components
    assert row.impact == timedelta(hours=24)  # Sunday 00:00 to 24:00 Berlin
    assert row.downtime == timedelta(0)  # no component state: impact, not downtime
    assert row.availability == 1.0


def test_action_items_overdue_relative_to_period_end() -> None:
    items = [
        {"title": "Fallback model", "owner": "ana", "due": "2026-03-21", "status": "open"},
        {"title": "Runbook", "owner": "ana", "due": "2026-03-22", "status": "open"},
        {
            "title": "Alert",
            "owner": "bo",
            "due": "2026-03-01",
            "status": "done",
            "closed": "2026-03-19",
        },
        {"title": "Old", "due": "2026-03-01", "status": "done", "closed": "2026-03-02"},
    ]
    mine = [own("INC-1", "2026-03-20T02:58:00Z", "2026-03-20T04:43:00Z", action_items=items)]
    review = build_review(mine, [], WEEK)
    assert [a.title for a in review.overdue_actions] == ["Fallback model"]
    assert [a.title for a in review.open_actions] == ["Fallback model", "Runbook"]
    assert [a.title for a in review.done_actions] == ["Alert"]
    assert [(o.owner, o.open, o.overdue) for o in review.owners] == [("ana", 2, 1)]
    assert review.done_actions[0].closed == date(2026, 3, 19)


def test_nothing_to_review_is_an_error() -> None:
    with pytest.raises(PostmortemError, match="nothing to review"):
        build_review([], [], WEEK)


def test_own_incident_times_are_those_of_its_post_mortem() -> None:
    path = Path(__file__).resolve().parent.parent / "samples" / "acme-2026-03-20.yaml"
    incident, report = post_mortem(path)
    resolved = next(m for m in report.milestones if m.name == "resolved")
    assert resolved.origin == "derived"  # the file gives no end: the vendor's feed does
    duration = next(m.value for m in report.metrics if m.key == "duration")
    assert duration is not None and round(duration / timedelta(minutes=1)) == 196  # 3 h 16 min
    review = build_review([OwnInput(path, incident, report)], [], WEEK)
    (item,) = review.incidents
    assert item.resolved_at == resolved.at
    assert item.duration == duration
    assert item.milestones == report.milestones
    assert review.problems == ()
    assert "| 3 h 16 min |" in render_review_markdown(review)


def test_slo_budget_in_the_period_and_the_trend() -> None:
    mine = [own("INC-1", "2026-03-20T02:58:00Z", "2026-03-20T04:43:00Z")]  # 105 min down
    targets = {("own", "support-assistant"): 99.5, ("Acme", "API"): 99.9}
    coverage = {"Acme": at(18, 0)}  # the archive knows Acme from Wednesday of W12 on
    review = build_review(mine, [], WEEK, targets=targets, coverage=coverage)
    yours, acme = review.slos
    week = timedelta(days=7)
    assert yours.budget == week * 0.005  # 50.4 min
    assert yours.used == pytest.approx(105 / 50.4)
    assert yours.availability == pytest.approx(1 - 105 / (7 * 24 * 60))
    assert yours.met is False
    assert (acme.availability, acme.used, acme.met) == (1.0, 0.0, True)
    assert [b.label for b in review.slo_trend][-2:] == ["2026-W11", "2026-W12"]
    before = review.slo_trend[-2].statuses
    assert before[0].used == 0.0 and before[1].used is None  # no Acme data in W11
    markdown = render_review_markdown(review)
    assert (
        "| yours | support-assistant | 99.5 % | 98.958 % | 1 h 45 min | 50 min "
        "| 208 % **missed** |" in markdown
    )
    assert "| 2026-W11 | 0 % | no data |" in markdown


def test_slo_targets_are_validated() -> None:
    from pydantic import ValidationError

    from postmortem.spec.project import Project

    project = Project.model_validate({"slo": {"vendors": {"GitHub": {"Git Operations": 99.95}}}})
    assert project.slo.targets() == {("GitHub", "Git Operations"): 99.95}
    with pytest.raises(ValidationError):
        Project.model_validate({"slo": {"components": {"api": 100}}})


def test_csv_quotes_commas_and_defuses_formulas() -> None:
    import csv
    from dataclasses import replace

    from postmortem.export.review_csv import incidents_csv

    title = '=HYPERLINK("https://evil.example"), "quoted"\nnext line'
    vendor = replace(make_incident("a1", at(20, 3, 5), 90), title=title)
    review = build_review([], [("Acme", vendor)], WEEK)
    (row,) = list(csv.DictReader(incidents_csv(review).decode().splitlines(keepends=True)))
    assert row["title"] == "'" + title
    assert (row["started_utc"], row["resolved_utc"]) == (
        "2026-03-20T03:05:00Z",
        "2026-03-20T04:35:00Z",
    )
    assert row["duration_min"] == "90.00"
