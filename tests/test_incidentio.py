"""incident.io status pages: widget `/api/v1/summary` and Statuspage-compatible summary.json."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from postmortem.collectors import incidentio
from postmortem.collectors.fetch.client import read_file
from postmortem.errors import CollectError
from postmortem.model import ComponentChange, Snapshot

DATA = Path(__file__).parent / "data" / "incidentio"


def snap(body: bytes) -> Snapshot:
    return Snapshot("summary", "summary", body, "", None, "0" * 64)


def test_widget_summary_maps_impacts_components_and_maintenances() -> None:
    outage, exports, upgrade = incidentio.collect(
        read_file(DATA / "doohickey-widget.json")
    ).incidents
    assert (outage.id, outage.status, outage.impact) == (
        "01JQ8Z0000DOOHICKEY0000001", "investigating", "critical"
    )  # fmt: skip
    assert outage.ongoing and outage.resolved_at is None
    # the widget shows only the latest update, so that is all we know of the start
    assert outage.started_at == datetime(2026, 3, 20, 2, 12, tzinfo=UTC)
    assert outage.components == ("Public API", "Web console")
    assert outage.updates[0].components == (
        ComponentChange("Public API", None, "full_outage"),
        ComponentChange("Web console", None, "degraded_performance"),
    )
    assert outage.updates[0].text == "Every API call fails."
    assert (exports.status, exports.impact) == ("monitoring", "minor")
    assert upgrade.scheduled and upgrade.status == "scheduled" and upgrade.impact == "none"
    assert upgrade.started_at == datetime(2026, 3, 28, 22, tzinfo=UTC)
    assert not upgrade.ongoing or upgrade.resolved_at is None


def test_statuspage_compatible_summary_keeps_every_update() -> None:
    (incident,) = incidentio.collect(read_file(DATA / "doohickey-summary.json")).incidents
    assert incident.id == "01JQ8Z0000DOOHICKEY0000009"
    assert [u.status for u in incident.updates] == ["investigating", "identified", "resolved"]
    assert incident.updates[1].text == "An expired certificate on the identity service was found."
    assert incident.impact == "critical"
    assert incident.started_at == datetime(2026, 3, 20, 3, 1, tzinfo=UTC)
    assert incident.resolved_at == datetime(2026, 3, 20, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "body",
    [
        b'{"ongoing_incidents": "many"}',
        b'{"ongoing_incidents": [{"name": "no id"}]}',
        b'{"ongoing_incidents": [{"id": "a", "last_update_at": "noon"}]}',
        b'{"ongoing_incidents": [], "scheduled_maintenances": [{"id": 1, "starts_at": 7}]}',
        b'{"ongoing_incidents": [5, null]}',
    ],
)
def test_hostile_widget_payloads_are_clear_errors_or_skipped(body: bytes) -> None:
    try:
        collected = incidentio.collect(snap(body))
    except CollectError as exc:
        said = str(exc)
        assert said.startswith(("summary: malformed incident.io widget summary", "summary: no "))
    else:
        assert all(i.started_at is None or i.started_at.tzinfo is UTC for i in collected.incidents)


def test_one_unreadable_widget_entry_is_skipped_and_named() -> None:
    good = {"id": "b", "name": "Slow exports", "last_update_at": "2026-03-20T02:12:00Z"}
    body = {
        "ongoing_incidents": [{"id": "a", "last_update_at": "noon"}, good],
        "scheduled_maintenances": [{"name": "no id"}, {"id": "m", "starts_at": None}],
    }
    collected = incidentio.collect(snap(json.dumps(body).encode()))
    assert [i.id for i in collected.incidents] == ["b", "m"]
    assert collected.warnings == (
        "summary: incident.io incident #1 skipped: last_update_at 'noon' is not an ISO 8601 date",
        "summary: incident.io maintenance #1 skipped: an entry has no `id` (got None)",
    )


@pytest.mark.parametrize("body", [b"[1, 2]", b'{"page": {}}', b"<html>", b""])
def test_other_documents_are_refused(body: bytes) -> None:
    with pytest.raises(
        CollectError, match=r"^summary: not (an incident\.io summary|incident\.io JSON)"
    ):
        incidentio.collect(snap(body))


def test_a_widget_summary_is_detected_as_incidentio_despite_its_maintenances() -> None:
    from postmortem.collectors.source import collect_source

    collected = collect_source(str(DATA / "doohickey-widget.json"))
    assert [i.status for i in collected.incidents] == ["investigating", "monitoring", "scheduled"]
