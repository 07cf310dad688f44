"""The Statuspage collector on hand-written fixtures for the fictional vendor Acme Cloud."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from postmortem.collectors.fetch.client import read_file
from postmortem.collectors.statuspage import (
    collect,
    incidents_from_json,
    looks_like_statuspage,
    merge_incidents,
)
from postmortem.collectors.statuspage.feed import read_feed
from postmortem.collectors.statuspage.lines import read_entry_content
from postmortem.collectors.statuspage.words import resolution_time
from postmortem.collectors.text.html import html_to_text, looks_like_html
from postmortem.errors import CollectError
from postmortem.model import VendorIncident

DATA = Path(__file__).parent / "data" / "statuspage"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def by_id(path: Path) -> dict[str, VendorIncident]:
    return {incident.id: incident for incident in collect(read_file(path)).incidents}


def test_rss_pacific_times_convert_with_daylight_saving() -> None:
    signin = by_id(DATA / "acme-history-pacific.rss")["acmesignin01"]
    assert [(u.at, u.status) for u in signin.updates] == [
        (utc(2026, 6, 20, 17, 2), "investigating"),
        (utc(2026, 6, 20, 17, 55), "identified"),
        (utc(2026, 6, 20, 18, 30), "resolved"),
    ]
    assert signin.started_at == utc(2026, 6, 20, 17, 2)
    assert signin.resolved_at == utc(2026, 6, 20, 18, 30)
    assert signin.url == "https://status.acme-cloud.example/incidents/acmesignin01"
    assert signin.updates[-1].text == (
        "Sign-in works again for everyone.\n\nWe will publish a short write-up next week."
    )
    console = by_id(DATA / "acme-history-pacific.rss")["acmeconsole1"]
    assert console.updates[0].at == utc(2025, 11, 18, 22, 20)  # PST is -08:00


def test_december_updates_in_a_january_entry_belong_to_the_year_before() -> None:
    incident = by_id(DATA / "acme-history-pacific.rss")["acmenewyear1"]
    assert [u.at for u in incident.updates] == [
        utc(2026, 1, 1, 7, 40),
        utc(2026, 1, 1, 7, 58),
        utc(2026, 1, 1, 9, 10),
    ]


def test_year_steps_back_when_the_stamp_would_follow_the_entry() -> None:
    html = (
        "<p><small>Jan 2, 00:10 UTC</small><br><strong>Resolved</strong> - done</p>"
        "<p><small>Dec 30, 22:00 UTC</small><br><strong>Investigating</strong> - slow</p>"
    )
    content = read_entry_content(html, anchor=utc(2027, 1, 2, 0, 10))
    assert [u.at for u in content.updates] == [utc(2026, 12, 30, 22, 0), utc(2027, 1, 2, 0, 10)]


def test_page_zone_beats_the_abbreviation_and_ambiguous_ones_warn() -> None:
    html = "<p><small>Mar 20, 08:30 IST</small><br><strong>Investigating</strong> - slow</p>"
    guessed = read_entry_content(html, anchor=utc(2026, 3, 20, 12))
    assert guessed.updates[0].at == utc(2026, 3, 20, 3, 0)
    assert any("IST" in w and "India" in w for w in guessed.warnings)
    known = read_entry_content(html, anchor=utc(2026, 3, 20, 12), zone_name="Europe/Dublin")
    assert known.updates[0].at == utc(2026, 3, 20, 8, 30)
    assert known.warnings == ()


def test_unknown_abbreviation_is_read_as_utc_with_a_warning() -> None:
    html = "<p><small>May 4, 10:00 XYZT</small><br><strong>Update</strong> - text</p>"
    content = read_entry_content(html, anchor=utc(2026, 5, 4, 12))
    assert content.updates[0].at == utc(2026, 5, 4, 10)
    assert content.warnings == ("unknown time-zone abbreviation 'XYZT'; its times read as UTC",)


def test_rss_zone_hint_gives_the_same_times_as_the_abbreviations() -> None:
    body = (DATA / "acme-history-pacific.rss").read_bytes()
    hinted = read_feed(body, zone_name="America/Los_Angeles").incidents
    plain = read_feed(body).incidents
    assert [[u.at for u in i.updates] for i in hinted] == [[u.at for u in i.updates] for i in plain]


def test_scheduled_maintenance_is_flagged_and_closed_by_completed() -> None:
    maintenance = by_id(DATA / "acme-history-pacific.rss")["acmemaint001"]
    assert maintenance.scheduled
    assert [u.status for u in maintenance.updates] == ["scheduled", "in_progress", "completed"]
    assert maintenance.resolved_at == utc(2026, 6, 14, 8, 48)
    assert maintenance.started_at == utc(2026, 6, 14, 8, 0)  # work began, not the announcement
    others = by_id(DATA / "acme-history-pacific.rss")
    assert [i.id for i in others.values() if i.scheduled] == ["acmemaint001"]


def test_free_form_entry_becomes_one_update_at_published_and_stays_open() -> None:
    notice = by_id(DATA / "acme-history-pacific.rss")["acmenotice01"]
    assert [(u.at, u.status, u.raw_status) for u in notice.updates] == [
        (utc(2025, 12, 2, 17), "update", "")
    ]
    assert notice.updates[0].text.startswith("Invoices for November")
    assert notice.resolved_at is None


def test_hostile_markup_in_content_never_reaches_the_text() -> None:
    console = by_id(DATA / "acme-history-pacific.rss")["acmeconsole1"]
    assert console.title == "Console errors for some regions"
    text = console.updates[0].text
    assert text == "The console fails for some regions. See our notes and this link."
    for bad in ("<", "script", "alert", "file:", "169.254", "javascript", "display:none"):
        assert bad not in text


def test_entity_declarations_are_refused_before_parsing() -> None:
    path = DATA / "acme-entity-bomb.atom"
    expected = r"acme-entity-bomb\.atom: the document declares XML entities \(<!ENTITY\); refused"
    with pytest.raises(CollectError, match=expected):
        collect(read_file(path))


def test_truncated_feed_keeps_complete_entries_and_warns() -> None:
    collected = collect(read_file(DATA / "acme-truncated.atom"))
    assert [i.id for i in collected.incidents] == ["acmequeue001"]
    assert collected.incidents[0].resolved_at == utc(2026, 2, 10, 9, 41)
    assert any("not well-formed" in w for w in collected.warnings)
    assert any("acmedns00001" in w and "skipped" in w for w in collected.warnings)


def test_feed_truncated_before_any_entry_is_an_error() -> None:
    with pytest.raises(CollectError, match="not a readable feed"):
        collect(read_file(DATA / "acme-truncated-early.atom"))


def test_json_with_local_offsets_components_and_maintenance() -> None:
    collected = collect(read_file(DATA / "acme-incidents-pacific.json"))
    assert collected.page_zone == "America/Los_Angeles"
    signin, maintenance = collected.incidents
    assert signin.started_at == utc(2026, 6, 20, 16, 58)
    assert signin.resolved_at == datetime(2026, 6, 20, 18, 30, 11, 190000, tzinfo=UTC)
    assert signin.impact == "major" and signin.components == ("Dashboard",)
    change = signin.updates[0].components[0]
    assert (change.old, change.new) == ("operational", "major_outage")
    assert signin.updates[-1].text.endswith("short write-up next week.")
    assert maintenance.scheduled and maintenance.impact == "none"
    assert not signin.scheduled


def test_incidentio_summary_without_optional_fields() -> None:
    incidents = incidents_from_json((DATA / "acme-incidentio-summary.json").read_bytes())
    open_one, closed = incidents
    assert open_one.id == "01JQ3ACME5XKQ1Z8T0W4M2B7RN"
    assert open_one.url == "https://status.acme-cloud.example/incidents/01JQ3ACME5XKQ1Z8T0W4M2B7RN"
    assert open_one.started_at == utc(2026, 3, 20, 3, 4, 47)
    assert open_one.resolved_at is None and open_one.ongoing
    assert open_one.components == ()
    # Without a resolved_at field the vendor's own Resolved update closes it.
    assert closed.resolved_at == utc(2026, 3, 18, 10, 40)


def test_json_lines_and_single_incident_payloads() -> None:
    line = (
        b'{"incident": {"id": "acmeline0001", "name": "One", "status": "resolved", '
        b'"created_at": "2026-01-05T10:00:00Z", "resolved_at": "2026-01-05T10:30:00Z", '
        b'"incident_updates": [{"status": "resolved", "body": "<b>Fixed</b>", '
        b'"display_at": "2026-01-05T10:30:00Z"}]}}'
    )
    second = line.replace(b"acmeline0001", b"acmeline0002")
    incidents = incidents_from_json(line + b"\n" + second + b"\n")
    assert [i.id for i in incidents] == ["acmeline0001", "acmeline0002"]
    assert incidents[0].updates[0].text == "Fixed"
    assert incidents[0].url == ""


def test_invalid_json_is_a_collect_error() -> None:
    with pytest.raises(CollectError, match="not valid JSON"):
        incidents_from_json(b'{"incidents": [')


def test_unrecognised_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some words")
    with pytest.raises(CollectError, match=r"could not recognise .*notes\.txt as a Statuspage"):
        collect(read_file(path))


def test_statuspage_detection() -> None:
    assert looks_like_statuspage(read_file(DATA / "acme-history-pacific.rss"))
    assert looks_like_statuspage(read_file(DATA / "acme-incidentio-summary.json"))


def test_merge_atom_then_json_prefers_precise_times_and_components() -> None:
    feed = by_id(DATA / "acme-history-pacific.rss")
    json_incidents = incidents_from_json((DATA / "acme-incidents-pacific.json").read_bytes())
    merged = {i.id: i for i in merge_incidents(feed.values(), json_incidents)}
    signin = merged["acmesignin01"]
    assert len(signin.updates) == 3
    assert signin.updates[0].at == datetime(2026, 6, 20, 17, 2, 31, 540000, tzinfo=UTC)
    assert signin.updates[0].components[0].new == "major_outage"
    assert signin.started_at == utc(2026, 6, 20, 16, 58)
    assert signin.resolved_at == datetime(2026, 6, 20, 18, 30, 11, 190000, tzinfo=UTC)
    assert signin.impact == "major"
    assert len(merged) == 5


def test_merge_keeps_two_same_minute_updates_of_one_snapshot() -> None:
    html = (
        "<p><small>Mar 1, 10:00 UTC</small><br><strong>Update</strong> - Still looking.</p>"
        "<p><small>Mar 1, 10:00 UTC</small><br><strong>Update</strong> - Still looking.</p>"
    )
    updates = read_entry_content(html, anchor=utc(2026, 3, 1, 11)).updates
    incident = VendorIncident(
        id="acmetwice001",
        title="Twice",
        url="",
        status="update",
        impact=None,
        started_at=updates[0].at,
        resolved_at=None,
        components=(),
        updates=updates,
    )
    (merged,) = merge_incidents([incident], [incident])
    assert len(merged.updates) == 2


def test_sample_evidence_feed_and_incident_json_agree() -> None:
    samples = Path(__file__).parent.parent / "samples" / "evidence"
    feed = collect(read_file(samples / "acme-history.atom"))
    detail = collect(read_file(samples / "acme-incident.json"))
    assert feed.warnings == () and detail.page_zone == "Etc/UTC"
    assert [i.scheduled for i in feed.incidents] == [False, False, True, False]
    merged = {i.id: i for i in merge_incidents(feed.incidents, detail.incidents)}
    outage = merged["acmq7x20mr26"]
    assert [u.status for u in outage.updates] == [
        "investigating",
        "identified",
        "monitoring",
        "resolved",
    ]
    assert outage.started_at is not None and outage.started_at.date().isoformat() == "2026-03-20"
    assert outage.components == ("Acme API", "Acme Console")
    assert all(u.components for u in outage.updates)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("", ""),
        ("plain words", "plain words"),
        ("<p>one</p>between<p>two</p>", "one\n\nbetween\n\ntwo"),
        ("a<br>b<br><br>c", "a\nb\n\nc"),
        ("<p>x<!-- hidden --> y</p>", "x y"),
        ("<p>a<script>steal()</script> b <style>p{}</style>c</p>", "a b c"),
        ("<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"),
        ("\x00nul\x01 <b>bold</b>", "nul bold"),
        ("a &amp; b &lt;c&gt;", "a & b <c>"),
        ('<img src="file:///etc/passwd"><a href="http://169.254.169.254/">link</a>', "link"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("Requests with a <tenant-id> header failed.", False),
        ("Latency < 200 ms and > 50 ms.", False),
        ("Use <PROJECT> as the prefix", False),
        ("<p>Fixed.</p>", True),
        ("line<br/>break", True),
        ("<STRONG>Loud</STRONG>", True),
        ('x <img src="file:///etc/hostname"> y', True),
        ("<!-- note --> text", True),
        ("<script>alert(1)</script>", True),
    ],
)
def test_only_real_tags_make_a_body_html(body: str, html: bool) -> None:
    assert looks_like_html(body) is html


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("Calls with an <api-key> header fail.", "Calls with an <api-key> header fail."),
        (
            "Calls with an <api-key> header fail; <b>retry</b>.",
            "Calls with an <api-key> header fail; retry.",
        ),
        (
            '<p>Fixed <img src="file:///etc/hostname"></p><p>for <tenant></p>',
            "Fixed\n\nfor <tenant>",
        ),
    ],
)
def test_json_body_keeps_angle_bracket_placeholders(body: str, text: str) -> None:
    update = {"status": "resolved", "body": body, "display_at": "2026-01-05T10:30:00Z"}
    incident = {
        "id": "acmebody0001",
        "name": "Body",
        "status": "resolved",
        "created_at": "2026-01-05T10:00:00Z",
        "incident_updates": [update],
    }
    (found,) = incidents_from_json(json.dumps({"incident": incident}).encode())
    assert found.updates[0].text == text


def test_postmortem_after_resolution_keeps_the_resolution_time() -> None:
    html = (
        "<p><small>Apr 9, 16:00 UTC</small><br><strong>Postmortem</strong> - What happened.</p>"
        "<p><small>Apr 8, 12:30 UTC</small><br><strong>Resolved</strong> - Fixed.</p>"
        "<p><small>Apr 8, 12:00 UTC</small><br><strong>Investigating</strong> - Errors.</p>"
    )
    updates = read_entry_content(html, anchor=utc(2026, 4, 9, 16)).updates
    assert [u.status for u in updates] == ["investigating", "resolved", "postmortem"]
    assert resolution_time(updates) == utc(2026, 4, 8, 12, 30)


def test_an_update_after_resolved_reopens_the_incident() -> None:
    html = (
        "<p><small>Apr 8, 13:00 UTC</small><br><strong>Investigating</strong> - Back again.</p>"
        "<p><small>Apr 8, 12:30 UTC</small><br><strong>Resolved</strong> - Fixed.</p>"
    )
    updates = read_entry_content(html, anchor=utc(2026, 4, 8, 13)).updates
    assert resolution_time(updates) is None


def test_json_incident_without_id_is_skipped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "incidents.json"
    path.write_text(
        '{"incidents": [{"name": "Nameless", "incident_updates": []},'
        ' {"id": "acmegood0001", "name": "Fine", "incident_updates": []}]}'
    )
    collected = collect(read_file(path))
    assert [i.id for i in collected.incidents] == ["acmegood0001"]
    assert collected.warnings == (
        "JSON document 1: skipped an incident: an incident has no id (name 'Nameless')",
    )
