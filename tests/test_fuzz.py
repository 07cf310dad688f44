"""Fuzzing the incident loader and every collector: our own error, or a result, never a crash.

Examples are derandomized (the same inputs on every run and in CI) and bounded in number.
Inputs are built from the shapes each reader expects with hostile values put in: dates,
offsets and numbers out of range, wrong types, odd encodings.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortem.collectors import get_collector
from postmortem.errors import CollectError, IncidentFileError
from postmortem.model import Collected, Snapshot
from postmortem.spec.incident import Incident
from postmortem.spec.kinds import SOURCE_KINDS
from postmortem.spec.loader import load_incident_text

# feedparser warns about its own date-field fallback on feeds that have only one of them
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:feedparser")

FUZZ = settings(
    max_examples=80,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

TRICKY = st.sampled_from(
    [
        "2026-02-30T03:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-03-20T25:00:00Z",
        "2026-03-20T23:59:60Z",
        "2026-03-20T03:00:00+24:00",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "0000-01-01T00:00:00Z",
        "2026-03-20T03:00:00Z",
        "2026-03-20",
        "190:20:30",
        "!!int abc",
        "!!float abc",
        "!!bool maybe",
        "~",
        "null",
        "yes",
        "no",
        ".nan",
        ".inf",
        "0755",
        "1e400",
        "9" * 5000,
        "<<",
        "*x",
        "&x",
        "'",
        '"',
        "{",
        "[",
        "}",
        "]",
        "- ",
        ": ",
        "\t",
        "\x00",
        "\ufeff",
        "Mar 20, 03:00 +99:99",
        "UTC+99:99",
        "UTC+24",
        "[" * 200,
        "é",
        "\U0001f600",
    ]
)
TEXT = st.one_of(TRICKY, st.text(max_size=30))
KEYS = st.sampled_from(
    [
        "id",
        "title",
        "severity",
        "status",
        "timezone",
        "milestones",
        "started",
        "resolved",
        "impact",
        "start",
        "end",
        "metrics",
        "timeline",
        "at",
        "text",
        "sources",
        "url",
        "path",
        "kind",
        "incident",
        "match",
        "sections",
        "action_items",
        "report_date",
        "allow_hosts",
        "templates",
        "<<",
        "2026-03-01",
        "7",
    ]
)


def _yaml_value(depth: int = 3) -> st.SearchStrategy[str]:
    if depth == 0:
        return TEXT
    nested = _yaml_value(depth - 1)
    mapping = st.dictionaries(KEYS, nested, max_size=4).map(
        lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
    )
    sequence = st.lists(nested, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
    return st.one_of(TEXT, mapping, sequence)


INCIDENT_TEXT = st.one_of(
    st.text(max_size=200),
    st.dictionaries(KEYS, _yaml_value(), max_size=8).map(
        lambda d: "".join(f"{k}: {v}\n" for k, v in d.items())
    ),
)


@FUZZ
@given(INCIDENT_TEXT)
def test_incident_loader(text: str) -> None:
    try:
        incident = load_incident_text(text, "fuzz.yaml")
    except IncidentFileError as exc:
        assert all(line.strip() for line in str(exc).splitlines())
        return
    assert isinstance(incident, Incident)


def _snapshot(body: bytes, content_type: str = "") -> Snapshot:
    return Snapshot("fuzz", "fuzz", body, content_type, None, hashlib.sha256(body).hexdigest())


def _collect(kind: str, body: bytes, content_type: str = "") -> None:
    try:
        collected = get_collector(kind)(_snapshot(body, content_type))  # type: ignore[arg-type]
    except CollectError:
        return
    assert isinstance(collected, Collected)


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.one_of(KEYS, TEXT), inner, max_size=4)
    ),
    max_leaves=20,
)
UPDATE = st.fixed_dictionaries(
    {"status": TEXT, "body": TEXT, "created_at": TEXT, "display_at": TEXT},
    optional={"affected_components": JSON_VALUE},
)
STATUSPAGE_INCIDENT = st.fixed_dictionaries(
    {
        "id": TEXT,
        "name": TEXT,
        "status": TEXT,
        "impact": TEXT,
        "created_at": TEXT,
        "started_at": TEXT,
        "resolved_at": TEXT,
        "shortlink": TEXT,
        "incident_updates": st.lists(UPDATE, max_size=3),
    },
    optional={"components": JSON_VALUE},
)
SHAPES: dict[str, Any] = {
    "statuspage": st.fixed_dictionaries(
        {
            "page": st.fixed_dictionaries({"time_zone": TEXT, "url": TEXT}),
            "incidents": st.lists(STATUSPAGE_INCIDENT, max_size=3),
        }
    ),
    "gcp": st.lists(
        st.fixed_dictionaries(
            {
                "id": TEXT,
                "begin": TEXT,
                "end": TEXT,
                "external_desc": TEXT,
                "severity": TEXT,
                "updates": st.lists(
                    st.fixed_dictionaries(
                        {"created": TEXT, "when": TEXT, "text": TEXT, "status": TEXT}
                    ),
                    max_size=3,
                ),
            },
            optional={"affected_products": JSON_VALUE},
        ),
        max_size=3,
    ),
    "aws": st.fixed_dictionaries(
        {
            "archive": st.lists(
                st.fixed_dictionaries(
                    {
                        "date": st.one_of(st.integers(), TEXT),
                        "summary": TEXT,
                        "description": TEXT,
                        "service": TEXT,
                        "service_name": TEXT,
                    }
                ),
                max_size=3,
            ),
            "current": JSON_VALUE,
        }
    ),
    "incidentio": st.fixed_dictionaries(
        {
            "ongoing_incidents": st.lists(
                st.fixed_dictionaries(
                    {
                        "id": TEXT,
                        "name": TEXT,
                        "status": TEXT,
                        "last_update_at": TEXT,
                        "last_update_message": TEXT,
                        "current_worst_impact": TEXT,
                    }
                ),
                max_size=3,
            ),
            "in_progress_maintenances": JSON_VALUE,
            "scheduled_maintenances": JSON_VALUE,
        }
    ),
}


@FUZZ
@pytest.mark.parametrize("kind", list(SHAPES))
@given(data=st.data())
def test_json_collectors(kind: str, data: st.DataObject) -> None:
    document = data.draw(st.one_of(SHAPES[kind], JSON_VALUE))
    _collect(kind, json.dumps(document).encode(), "application/json")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


FEED_ENTRY = st.tuples(TEXT, TEXT, TEXT, TEXT).map(
    lambda t: (
        f"<entry><id>tag:status.widgets.example,2005:Incident/{_xml(t[0])}</id>"
        f"<published>{_xml(t[1])}</published><updated>{_xml(t[1])}</updated>"
        '<link rel="alternate" href="https://status.widgets.example/incidents/w1dg3tw1dg3t"/>'
        f'<title>{_xml(t[2])}</title><content type="html">'
        f"{_xml(f'<p><small>{t[3]}</small><br><strong>Resolved</strong> - ok</p>')}"
        "</content></entry>"
    )
)
RSS_ITEM = st.tuples(TEXT, TEXT, TEXT).map(
    lambda t: (
        f"<item><title>{_xml(t[0])}</title><pubDate>{_xml(t[1])}</pubDate>"
        f"<description>{_xml(t[2])}</description><guid>{_xml(t[0])}</guid></item>"
    )
)
FEEDS: dict[str, Any] = {
    "statuspage": st.lists(FEED_ENTRY, max_size=3).map(
        lambda entries: (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<id>tag:status.widgets.example,2005:/history</id><title>Widgets</title>"
            "<updated>2026-03-20T05:00:00Z</updated>" + "".join(entries) + "</feed>"
        )
    ),
    "rss": st.lists(RSS_ITEM, max_size=3).map(
        lambda items: (
            '<rss version="2.0"><channel><title>Widgets</title>'
            + "".join(items)
            + "</channel></rss>"
        )
    ),
    "aws": st.lists(RSS_ITEM, max_size=3).map(
        lambda items: (
            '<rss version="2.0"><channel><title>AWS (fictional)</title>'
            + "".join(items)
            + "</channel></rss>"
        )
    ),
    "article": st.lists(TEXT, max_size=5).map(
        lambda parts: (
            "<html><head><title>Widgets down</title></head><body><article>"
            + "".join(f"<p>At 3:05 {_xml(p)} on March 20, 2026 {_xml(p)}.</p>" for p in parts)
            + "</article></body></html>"
        )
    ),
}


@FUZZ
@pytest.mark.parametrize("kind", list(FEEDS))
@given(data=st.data())
def test_text_collectors(kind: str, data: st.DataObject) -> None:
    text = data.draw(st.one_of(FEEDS[kind], st.text(max_size=300)))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-16", "latin-1"]))
    _collect(kind, text.encode(encoding, "replace"))


@FUZZ
@pytest.mark.parametrize("kind", SOURCE_KINDS)
@given(body=st.binary(max_size=500))
def test_collectors_on_arbitrary_bytes(kind: str, body: bytes) -> None:
    _collect(kind, body)


@FUZZ
@pytest.mark.parametrize("kind", SOURCE_KINDS)
@given(document=JSON_VALUE)
def test_every_collector_on_arbitrary_json(kind: str, document: Any) -> None:
    _collect(kind, json.dumps(document).encode(), "application/json")
