"""The real status payloads of `status-formats/`, read in place with PROVENANCE.md's counts."""

from __future__ import annotations

import copy
import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from postmortem.collectors import get_collector
from postmortem.collectors.fetch.client import read_file
from postmortem.collectors.source import collect_source, detect_kind
from postmortem.errors import CollectError
from postmortem.model import Collected, Snapshot, SourceKind

FORMATS = "status-formats"


@dataclass(frozen=True)
class Counts:
    incidents: int  #: outages, not maintenances
    still_open: int  #: outages with no end
    scheduled: int  #: maintenances
    updates: int  #: over outages and maintenances


CASES: dict[str, tuple[SourceKind, Counts]] = {
    "slack/statuscheck-slack-current-2-active-incidents-compact-2020-07.json": (
        "slack", Counts(2, 2, 0, 2)
    ),
    "slack/isitdown-slack-current-active-1-incident-10-notes-html.json": (
        "slack", Counts(1, 1, 0, 10)
    ),
    "slack/isitdown-slack-history-8-incidents-truncated.json": ("slack", Counts(8, 1, 0, 36)),
    "heroku/statuscheck-heroku-current-status-open-incident-ORIGIN-EDITED.json": (
        "heroku", Counts(1, 1, 0, 2)
    ),
    "heroku/statuscheck-heroku-current-status-scheduled-maintenance.json": (
        "heroku", Counts(0, 0, 1, 4)
    ),
    "statusio/statuscheck-gitlab-statusio-planned-maintenance.json": (
        "statusio", Counts(1, 1, 1, 4)
    ),
    "statusio/statuscheck-gitlab-statusio-security-issue.json": ("statusio", Counts(1, 1, 0, 2)),
    "statusio/statuscheck-docker-statusio-partial-disruption.json": (
        "statusio", Counts(1, 1, 0, 1)
    ),
    "instatus/isitdown-instatus-demo-summary-2-open-incidents.json": (
        "instatus", Counts(2, 2, 0, 2)
    ),
    "instatus/isitdown-gcore-summary-up-2-scheduled-maintenances.json": (
        "instatus", Counts(0, 0, 2, 2)
    ),
    "instatus/aistatus-perplexity-summary-up.json": ("instatus", Counts(0, 0, 0, 0)),
    "instatus/aistatus-perplexity-components.json": ("instatus", Counts(0, 0, 0, 0)),
    "betterstack/isitdown-betterstack-index-json-trimmed-3-reports-4-updates.json": (
        "betterstack", Counts(2, 0, 1, 4)
    ),
    "betterstack/aistatus-together-ai-index-json-22-resources-1-maintenance-report.json": (
        "betterstack", Counts(0, 0, 1, 2)
    ),
    "aws/aistatus-aws-health-public-currentevents-3-events.json": ("aws", Counts(3, 2, 0, 3)),
    # the updates Cachet lists (3 and 1); each incident's own message is its body
    "cachet/isitdown-cachet-demo-api-v1-incidents.json": ("cachet", Counts(2, 1, 0, 4)),
    "cachet/isitdown-cachet-demo-api-v1-components.json": ("cachet", Counts(0, 0, 0, 0)),
    "cachet/isitdown-cachet-demo-api-v1-schedules.json": ("cachet", Counts(0, 0, 1, 1)),
    "uptime-kuma/isitdown-kuma-status-page-demo.json": ("uptimekuma", Counts(1, 1, 1, 2)),
    "uptime-kuma/isitdown-kuma-status-page-heartbeat-demo.json": (
        "uptimekuma", Counts(1, 1, 0, 1)
    ),
    "upptime/manticore-history-catalog-search-down-504.yml": ("upptime", Counts(1, 1, 0, 1)),
    "upptime/manticore-history-catalog-search-up.yml": ("upptime", Counts(0, 0, 0, 0)),
    # the summary states no time: the sites down are open incidents without updates
    "upptime/manticore-history-summary-3-down.json": ("upptime", Counts(3, 3, 0, 0)),
    "upptime/manticore-history-summary-all-up.json": ("upptime", Counts(0, 0, 0, 0)),
    # cumulative items: each repeats its service's earlier updates
    "google-workspace/legacy-appsstatus-rss-2020-04-08-gmail-3-updates.xml": (
        "rss", Counts(1, 0, 0, 3)
    ),
    "google-workspace/legacy-appsstatus-rss-2020-03-04-31-items.xml": ("rss", Counts(7, 0, 0, 31)),
    "google-workspace/legacy-appsstatus-rss-2014-11-25-gmail.xml": ("rss", Counts(1, 1, 0, 1)),
    "google-workspace/legacy-appsstatus-rss-empty-normal.xml": ("rss", Counts(0, 0, 0, 0)),
    "azure/isitdown-azure-status-feed-empty-2026-09-07.xml": ("rss", Counts(0, 0, 0, 0)),
}  # fmt: skip


@pytest.mark.corpus
def test_every_payload_of_the_folder_is_covered(corpus: Path) -> None:
    badges = {"uptime.json", "uptime-day.json", "response-time.json"}
    names = {
        str(p.relative_to(corpus / FORMATS))
        for p in (corpus / FORMATS).rglob("*.*")
        if p.suffix != ".md" and not any(p.name.endswith(b) for b in badges)
    }
    assert names == set(CASES)


def counts(collected: Collected) -> Counts:
    outages = [i for i in collected.incidents if not i.scheduled]
    return Counts(
        incidents=len(outages),
        still_open=sum(i.resolved_at is None for i in outages),
        scheduled=len(collected.incidents) - len(outages),
        updates=sum(len(i.updates) for i in collected.incidents),
    )


def assert_clean(collected: Collected) -> None:
    for incident in collected.incidents:
        times = [incident.started_at, incident.resolved_at, *(u.at for u in incident.updates)]
        assert all(t is None or t.tzinfo is UTC for t in times), incident.id
        assert not any(re.search(r"<[a-zA-Z/!]|&nbsp;|&amp;", u.text) for u in incident.updates)
        assert all(u.text == u.text.strip() for u in incident.updates)
        if incident.resolved_at is None:
            assert incident.status not in ("resolved", "completed")
        assert incident.title == incident.title.strip()


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_payload_is_detected_and_read_with_its_counts(corpus: Path, name: str) -> None:
    kind, expected = CASES[name]
    path = corpus / FORMATS / name
    assert detect_kind(read_file(path)) == kind
    collected = collect_source(str(path))
    assert counts(collected) == expected
    assert_clean(collected)
    # the same bytes twice give the same records
    assert collect_source(str(path), kind=kind) == collected


@pytest.mark.corpus
def test_slack_history_html_notes_become_text(corpus: Path) -> None:
    path = corpus / FORMATS / "slack/isitdown-slack-history-8-incidents-truncated.json"
    incidents = {i.id: i for i in collect_source(str(path)).incidents}
    search = incidents["1575"]
    assert search.started_at == datetime(2026, 8, 6, 22, 22, 35, tzinfo=UTC)  # -07:00 read
    assert search.resolved_at == datetime(2026, 8, 7, 1, 7, 4, tzinfo=UTC)
    assert [u.status for u in search.updates] == ["investigating", "update", "resolved"]
    assert {u.raw_status for u in search.updates} == {""}  # Slack's notes have no status word
    assert "Admin dashboard is restored" in search.updates[-1].text
    assert incidents["1576"].resolved_at is None and incidents["1576"].components == (
        "Messaging", "Workspace/Org Administration"
    )  # fmt: skip
    assert incidents["1571"].components == ()
    assert sum("\u2019" in u.text for i in incidents.values() for u in i.updates) > 0


@pytest.mark.corpus
def test_heroku_maintenance_is_apart_and_begins_when_the_work_does(corpus: Path) -> None:
    path = corpus / FORMATS / "heroku/statuscheck-heroku-current-status-scheduled-maintenance.json"
    (work,) = collect_source(str(path)).incidents
    assert work.scheduled and work.status == "completed" and work.impact == "none"
    assert work.started_at == datetime(2020, 11, 9, 19, 1, 10, 522000, tzinfo=UTC)
    assert work.resolved_at == datetime(2020, 11, 9, 19, 47, 23, 669000, tzinfo=UTC)
    assert [u.raw_status for u in work.updates] == [
        "scheduled", "maintenance", "maintenance", "resolved"
    ]  # fmt: skip
    assert "\r" not in "".join(u.text for u in work.updates)


@pytest.mark.corpus
def test_statusio_names_components_with_their_containers(corpus: Path) -> None:
    path = corpus / FORMATS / "statusio/statuscheck-gitlab-statusio-planned-maintenance.json"
    outage, work = collect_source(str(path)).incidents
    assert outage.components == ("Website (Google Compute Engine)",)
    assert outage.status == "identified" and outage.impact == "major"
    assert [u.raw_status for u in outage.updates] == ["Identified", "Identified"]
    assert work.scheduled and work.started_at == datetime(2020, 9, 2, 17, 55, tzinfo=UTC)


@pytest.mark.corpus
def test_better_stack_resolves_included_objects_and_warns_of_dangling_ones(corpus: Path) -> None:
    path = (
        corpus
        / FORMATS
        / ("betterstack/isitdown-betterstack-index-json-trimmed-3-reports-4-updates.json")
    )
    collected = collect_source(str(path))
    report = next(i for i in collected.incidents if i.id == "1050825")
    assert report.resolved_at == datetime(2026, 9, 6, 19, 13, tzinfo=UTC)
    assert [u.status for u in report.updates] == ["investigating", "update", "update", "resolved"]
    assert "hello@betterstack.com" in report.updates[2].text and "](" not in report.updates[2].text
    assert any("3 status report(s) referenced but not included" in w for w in collected.warnings)
    bare = next(i for i in collected.incidents if i.id == "1049150")
    assert bare.resolved_at == bare.started_at == datetime(2026, 9, 3, 2, 15, tzinfo=UTC)
    assert any("1049150 are resolved" in w for w in collected.warnings)
    path = (
        corpus
        / FORMATS
        / ("betterstack/aistatus-together-ai-index-json-22-resources-1-maintenance-report.json")
    )
    (work,) = collect_source(str(path)).incidents
    assert len(work.components) == 8 and "GLM 5.2" in work.components


@pytest.mark.corpus
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-be", "utf-16-le"])
def test_aws_current_events_in_utf16_and_utf8(corpus: Path, encoding: str) -> None:
    path = corpus / FORMATS / "aws/aistatus-aws-health-public-currentevents-3-events.json"
    text = path.read_text(encoding="utf-8")
    body = ("\ufeff" + text if encoding == "utf-16-be" else text).encode(encoding)
    snapshot = Snapshot(str(path), str(path), body, "application/json", None, "0" * 64)
    assert detect_kind(snapshot) == "aws"
    events = get_collector("aws")(snapshot).incidents
    closed = [e for e in events if e.resolved_at is not None]
    assert len(events) == 3 and len(closed) == 1
    (sts,) = closed
    assert sts.status == "resolved" and sts.title == "Increased API Error Rates"
    assert (sts.started_at, sts.resolved_at) == (
        datetime.fromtimestamp(1788472198, UTC), datetime.fromtimestamp(1788480474, UTC)
    )  # fmt: skip
    assert sts.components == ("AWS Security Token Service", "AWS Sign-In")
    assert sts.updates[0].raw_status == "Informational message"
    assert {e.impact for e in events if e.resolved_at is None} == {"critical"}


@pytest.mark.corpus
def test_cachet_updates_in_lifecycle_order(corpus: Path) -> None:
    path = corpus / FORMATS / "cachet/isitdown-cachet-demo-api-v1-incidents.json"
    collected = collect_source(str(path))
    monkeys, unresolved = collected.incidents
    assert [len(monkeys.updates), len(unresolved.updates)] == [3, 1]  # as PROVENANCE.md counts
    assert [u.raw_status for u in monkeys.updates] == ["Identified", "Watching", "Fixed"]
    assert monkeys.status == "resolved" and unresolved.resolved_at is None
    assert [u.raw_status for u in unresolved.updates] == ["Watching"]
    assert unresolved.status == "monitoring"
    assert any("no zone; read as UTC" in w for w in collected.warnings)


def test_a_cachet_incident_is_its_own_update_only_while_it_lists_none() -> None:
    # on a live instance posting an update also sets the incident's status: 4 is the latest
    listed = {"id": 1, "status": 4, "created_at": "2026-03-20 03:40:00", "human_status": "Fixed"}
    incidents = [
        {"id": 1, "is_resolved": True, "status": 4, "human_status": "Fixed", "message": "Down.",
         "occurred_at": "2026-03-20 03:00:00", "updates": [{**listed, "message": "Back up."}]},
        {"id": 2, "is_resolved": False, "status": 2, "human_status": "Identified",
         "message": "A **bad** deploy.", "occurred_at": "2026-03-20 03:00:00", "updates": []},
    ]  # fmt: skip
    url = "https://status.example.com/api/v1/incidents"
    body = json.dumps({"data": incidents}).encode()
    fixed, identified = get_collector("cachet")(
        Snapshot(url, url, body, "application/json", None, "0" * 64)
    ).incidents
    assert [(u.at.minute, u.status, u.text) for u in fixed.updates] == [
        (40, "resolved", "Back up.")
    ]
    assert (fixed.started_at.minute, fixed.resolved_at.minute) == (0, 40)  # type: ignore[union-attr]
    assert [(u.at.minute, u.raw_status, u.text) for u in identified.updates] == [
        (0, "Identified", "A bad deploy.")
    ]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("upptime/manticore-api-catalog-search-uptime.json", "uptime: 97.76%"),
        ("upptime/manticore-api-catalog-search-uptime-day.json", "uptime 24h: 94%"),
        ("upptime/manticore-api-catalog-search-response-time.json", "response time: 2104 ms"),
    ],
)
def test_upptime_badges_are_refused_with_their_figure(corpus: Path, name: str, said: str) -> None:
    with pytest.raises(CollectError, match=re.escape(f"an Upptime badge ({said}), not a history")):
        collect_source(str(corpus / FORMATS / name))


@pytest.mark.corpus
def test_apps_status_items_merge_into_one_outage_per_service(corpus: Path) -> None:
    path = corpus / FORMATS / "google-workspace/legacy-appsstatus-rss-2020-03-04-31-items.xml"
    incidents = collect_source(str(path)).incidents
    assert sorted(i.title for i in incidents) == [
        "Gmail", "Google Docs", "Google Drive", "Google Sheets", "Google Sites", "Google Slides",
        "Hangouts Chat",
    ]  # fmt: skip
    gmail = next(i for i in incidents if i.title == "Gmail")
    # "March 3, 2020 9:01:00 PM PST" to "11:42:00 PM PST"
    assert gmail.started_at == datetime(2020, 3, 4, 5, 1, tzinfo=UTC)
    assert gmail.resolved_at == datetime(2020, 3, 4, 7, 42, tzinfo=UTC)
    assert [u.status for u in gmail.updates][::4] == ["investigating", "resolved"]


@pytest.mark.corpus
def test_uptime_kuma_down_spell_and_pinned_incident(corpus: Path) -> None:
    beats = corpus / FORMATS / "uptime-kuma/isitdown-kuma-status-page-heartbeat-demo.json"
    (spell,) = collect_source(str(beats)).incidents
    assert spell.components == ("monitor 2",) and spell.resolved_at is None
    assert spell.started_at == datetime(2026, 9, 12, 12, 24, 39, 719000, tzinfo=UTC)
    page = corpus / FORMATS / "uptime-kuma/isitdown-kuma-status-page-demo.json"
    pinned, work = collect_source(str(page)).incidents
    assert pinned.title == "Elevated error rates" and pinned.impact == "minor"
    assert work.scheduled and work.status == "in_progress"
    assert work.started_at == datetime(2026, 9, 12, 11, 26, tzinfo=UTC)


#: Values put in place of a real one: impossible dates, huge numbers, wrong types, markup.
ODD_VALUES: tuple[object, ...] = (
    "2026-02-30T03:00:00Z", "2026-03-20T03:00:00+24:00", "0001-01-01T00:00:00+01:00",
    "9" * 5000, "1e400", "", "<p>x", None, True, -5, 1.5, 10**30, 1e308, [], {}, [1], {"a": 1},
    99999999999999,
)  # fmt: skip


def _paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [path]
    if isinstance(value, dict):
        found += [p for key, item in value.items() for p in _paths(item, (*path, key))]
    elif isinstance(value, list):
        found += [p for index, item in enumerate(value) for p in _paths(item, (*path, index))]
    return found


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(n for n in CASES if n.endswith(".json")))
def test_real_payloads_with_odd_values_put_in_are_read_or_refused(corpus: Path, name: str) -> None:
    kind = CASES[name][0]
    original = json.loads((corpus / FORMATS / name).read_bytes())
    paths = [p for p in _paths(original) if p]
    chance = random.Random(name)  # the same mutations on every run
    for _ in range(40):
        mutated = copy.deepcopy(original)
        for _ in range(chance.randint(1, 4)):
            *parents, last = chance.choice(paths)
            holder = mutated
            try:
                for key in parents:
                    holder = holder[key]
                holder[last] = copy.deepcopy(chance.choice(ODD_VALUES))
            except (KeyError, IndexError, TypeError):
                continue  # an earlier mutation replaced a parent
        body = json.dumps(mutated).encode()
        try:
            collected = get_collector(kind)(Snapshot(name, name, body, "", None, "0" * 64))
        except CollectError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(f"{name}: ")
        else:
            assert all(
                t.tzinfo is UTC for i in collected.incidents for t in (u.at for u in i.updates)
            )
