"""Generic per-update RSS/Atom feeds (Betterstack, Observer, Kener style)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from postmortem.collectors import rss
from postmortem.collectors.fetch.client import read_file
from postmortem.errors import CollectError
from postmortem.model import Snapshot

DATA = Path(__file__).parent / "data" / "rss"


def snap(body: bytes) -> Snapshot:
    return Snapshot("feed.xml", "feed.xml", body, "", None, "0" * 64)


def test_rss_items_group_by_guid_and_read_status_from_categories() -> None:
    collected = rss.collect(read_file(DATA / "gadgets-updates.rss"))
    assert collected.warnings == ()
    backlog, charts = collected.incidents
    assert (backlog.id, backlog.url) == ("77", "https://status.gadgets.example/incidents/77")
    assert backlog.title == "Queue backlog in the EU region"
    assert [(u.at, u.status, u.raw_status) for u in backlog.updates] == [
        (datetime(2026, 3, 20, 3, 5, tzinfo=UTC), "investigating", "Investigating"),
        (datetime(2026, 3, 20, 3, 30, tzinfo=UTC), "monitoring", "Monitoring"),  # +0100
        (datetime(2026, 3, 20, 4, 55, tzinfo=UTC), "resolved", "Resolved"),
    ]
    assert backlog.resolved_at == datetime(2026, 3, 20, 4, 55, tzinfo=UTC)
    # no guid or link: the title is the incident
    assert charts.title == "Dashboard charts load slowly" and len(charts.updates) == 2
    assert charts.ongoing and [u.status for u in charts.updates] == ["update", "update"]


def test_feed_html_leaves_only_text() -> None:
    incidents = rss.collect(read_file(DATA / "gadgets-updates.rss")).incidents
    text = "\n".join(u.text for i in incidents for u in i.updates)
    assert "Workers were added; the backlog is shrinking." in text
    for leak in ("169.254.169.254", "file://", "document.write", "alert", "onerror", "<"):
        assert leak not in text


def test_a_declared_latin1_feed_is_decoded() -> None:
    (incident,) = rss.collect(read_file(DATA / "cafe-latin1.atom")).incidents
    assert incident.title == "Réseau lent à Zürich"
    assert incident.updates[0].text == "Le réseau est lent. Café § naïve."
    assert incident.started_at == datetime(2026, 3, 20, 6, tzinfo=UTC)


def test_a_malformed_feed_keeps_what_parsed_with_a_warning() -> None:
    collected = rss.collect(read_file(DATA / "sprockets-broken.rss"))
    (warning,) = collected.warnings
    assert "not well-formed" in warning and "sprockets-broken.rss" in warning
    (incident,) = collected.incidents
    assert [u.status for u in incident.updates] == ["investigating", "identified"]
    assert incident.ongoing


def test_status_words_in_titles() -> None:
    assert rss.status_word("Resolved: all good") == ("resolved", "Resolved")
    assert rss.status_word("Identified - bad deploy") == ("identified", "Identified")
    assert rss.status_word("Monitoring") == ("monitoring", "Monitoring")
    assert rss.status_word("Slow pages")[0] == "update"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "not a readable feed|no feed items"),
        (b"<html><body>Hello</body></html>", "no feed items|not a readable feed"),
        (b"<rss><channel><item><title>Undated</title></item></channel></rss>", "no dated items"),
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss><channel/></rss>',
            "declares XML entities",
        ),
    ],
)
def test_unusable_feeds_are_refused_clearly(body: bytes, message: str) -> None:
    with pytest.raises(CollectError, match=f"feed.xml: .*({message})"):
        rss.collect(snap(body))


@pytest.mark.parametrize(
    "body",
    [
        b"<rss><channel><title>Empty</title></channel></rss>",
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>All good</title></feed>',
    ],
)
def test_a_feed_without_items_is_no_incidents(body: bytes) -> None:
    assert rss.collect(snap(body)).incidents == ()


def test_a_statuspage_history_feed_is_read_one_entry_per_incident(corpus: Path) -> None:
    path = corpus / "statuspage/github/atom-snapshots/githubstatus-history_2026-02-27.atom"
    incidents = rss.collect(read_file(path)).incidents
    assert len(incidents) == 25
    assert all(re.fullmatch(r"[a-z0-9]{12}", i.id) for i in incidents)
    assert sum(i.ongoing for i in incidents) == 1


def test_a_statuspage_history_rss_with_escaped_markup_is_delegated() -> None:
    path = Path(__file__).parent / "data" / "statuspage" / "acme-history-pacific.rss"
    incidents = {i.id: i for i in rss.collect(read_file(path)).incidents}
    signin = incidents["acmesignin01"]
    assert signin.title == "Dashboard sign-in loops back to the login form"
    assert [u.status for u in signin.updates] == ["investigating", "identified", "resolved"]
    assert incidents["acmemaint001"].scheduled


ITEM = (
    "<item><title>{title}</title><guid>https://s.example/incidents/{n}#update-1</guid>"
    "<pubDate>Fri, 20 Mar 2026 03:00:00 +0000</pubDate><description>x</description></item>"
)


@pytest.mark.parametrize(
    ("title", "expected", "status"),
    [
        ("Sign-in fails for some users", "Sign-in fails for some users", "update"),
        ("Investigating - Sign-in fails", "Sign-in fails", "investigating"),
        ("Resolved: Slow &lt;b&gt;exports&lt;/b&gt;", "Slow exports", "resolved"),
        ("Re-indexing &amp; search delays", "Re-indexing & search delays", "update"),
    ],
)
def test_titles_lose_only_a_status_prefix_and_markup(
    title: str, expected: str, status: str
) -> None:
    body = f"<rss><channel>{ITEM.format(title=title, n=1)}</channel></rss>".encode()
    (incident,) = rss.collect(snap(body)).incidents
    assert (incident.title, incident.status) == (expected, status)


def test_an_aws_feed_given_as_rss_is_read_per_service() -> None:
    path = Path(__file__).parent / "data" / "aws" / "all-fictional.rss"
    incidents = rss.collect(read_file(path)).incidents
    assert [i.components for i in incidents] == [("widgets-us-west-2",), ("gizmos-ap-northeast-1",)]


@pytest.mark.parametrize(
    "inner",
    [
        b"<feed><entry><id>tag:x,2005:Incident/1</id><title>&a;</title></entry></feed>",
        b"<rss><channel><item><guid>https://status.aws.amazon.com/#x-y_1773975600</guid>"
        b"<title>&a;</title></item></channel></rss>",
    ],
)
def test_entities_are_refused_on_the_delegated_paths_too(inner: bytes) -> None:
    body = b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "b">]>' + inner
    with pytest.raises(CollectError, match="declares XML entities"):
        rss.collect(snap(body))
