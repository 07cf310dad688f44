"""Merged timeline, derived milestones, metrics, flags, drafts and changes, on real feeds."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import report_of

from postmortem import build_files
from postmortem.collectors.fetch.client import read_file
from postmortem.collectors.statuspage import collect
from postmortem.commands import cli
from postmortem.report.build import ReportOptions

ATOMS = "statuspage/github/atom-snapshots"
MATCHING = "statuspage/github/incidents-json/matching-2023-10-06-snapshot"


def write_incident(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "incident.yaml"
    path.write_text("id: T-1\ntitle: Vendor outage\ntimezone: Europe/Berlin\n" + body, "utf-8")
    return path


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_github_incident_milestones_metrics_and_root_cause(corpus: Path, tmp_path: Path) -> None:
    atom = corpus / ATOMS / "githubstatus-history_2023-10-06.atom"
    texts = {i.id: " ".join(u.text for u in i.updates) for i in collect(read_file(atom)).incidents}
    checked = 0
    for provider in sorted((corpus / MATCHING).glob("*.json")):
        truth = json.loads(provider.read_text(encoding="utf-8"))
        truth = truth.get("incident", truth)
        source = f"sources:\n  - kind: statuspage\n    path: {atom}\n    incident: {truth['id']}\n"
        report = report_of(write_incident(tmp_path, source), ReportOptions(allow_paths=(corpus,)))
        found = {m.name: m for m in report.milestones}
        first = min(at(u["display_at"]) for u in truth["incident_updates"])
        assert abs(found["acknowledged"].at - first) <= timedelta(seconds=60), truth["id"]
        assert abs(found["resolved"].at - at(truth["resolved_at"])) <= timedelta(seconds=60)
        assert found["resolved"].origin == "derived"
        assert found["resolved"].basis == "derived from the vendor's resolution [1]"
        duration = next(m for m in report.metrics if m.key == "duration").value
        expected = at(truth["resolved_at"]) - first
        assert duration is not None and abs(duration - expected) <= timedelta(seconds=120)
        cause = next(s for s in report.sections if s.key == "root_cause")
        bodies = texts[truth["id"]]
        for sentence in cause.draft:
            assert sentence.citations == (1,)
            quoted = sentence.text.split("\u201c", 1)[1].rstrip("\u201d\u2026")
            assert quoted[:40] in " ".join(bodies.split())
        checked += bool(cause.draft)
    assert checked >= 3  # incidents whose updates state a cause get a cited draft


def test_prose_date_contradicting_the_stamp_is_flagged(corpus: Path, tmp_path: Path) -> None:
    atom = corpus / ATOMS / "githubstatus-history_2026-08-22.atom"
    incidents = collect(read_file(atom)).incidents
    suspect = next(i for i in incidents if any("February 18, 2026" in u.text for u in i.updates))
    source = f"sources:\n  - kind: statuspage\n    path: {atom}\n    incident: {suspect.id}\n"
    report = report_of(write_incident(tmp_path, source), ReportOptions(allow_paths=(corpus,)))
    flags = [f for f in report.flags if f.code == "prose-date"]
    assert flags and "mentions February 18, 2026" in flags[0].message


def test_open_vendor_incident_is_never_closed(corpus: Path, tmp_path: Path) -> None:
    atom = corpus / ATOMS / "githubstatus-history_2026-02-27.atom"
    open_one = next(i for i in collect(read_file(atom)).incidents if i.ongoing)
    source = f"sources:\n  - kind: statuspage\n    path: {atom}\n    incident: {open_one.id}\n"
    body = "milestones:\n  resolved: 2026-02-28T12:00:00Z\n" + source
    report = report_of(write_incident(tmp_path, body), ReportOptions(allow_paths=(corpus,)))
    assert "vendor-still-open" in {f.code for f in report.flags}
    assert report.component_windows == () or any(w.end is None for w in report.component_windows)
    report2 = report_of(write_incident(tmp_path, source), ReportOptions(allow_paths=(corpus,)))
    assert "resolved" not in {m.name for m in report2.milestones}
    assert next(m for m in report2.metrics if m.key == "duration").value is None


ARTICLE = """<html><head><title>Example outage</title>
<meta property="article:published_time" content="2026-03-20T10:00:00Z"></head>
<body><article><h1>Example outage</h1>
<p>Readers first saw failures around 1:10 AM UTC on Friday, long before any notice.</p>
<p>The status page only acknowledged the problem later that morning.</p>
</article></body></html>"""

FEED = (Path(__file__).parent / "data" / "timeline" / "acme-short.atom").read_text("utf-8")


def test_sources_disagreeing_on_the_start_are_flagged(tmp_path: Path) -> None:
    (tmp_path / "news.html").write_text(ARTICLE, "utf-8")
    (tmp_path / "feed.atom").write_text(FEED, "utf-8")
    body = (
        "milestones:\n  detected: 2026-03-20T02:40:00Z\n"
        "sources:\n  - kind: statuspage\n    path: feed.atom\n"
        "  - kind: article\n    path: news.html\n"
        "curate:\n  - match: looking into\n    star: true\n  - match: all good\n    hide: true\n"
    )
    report = report_of(write_incident(tmp_path, body), ReportOptions())
    (flag,) = [f for f in report.flags if f.code == "source-disagreement"]
    assert flag.message == (
        "Sources disagree on when it began: [2] says 2026-03-20 01:10 UTC, "
        "[1] 2026-03-20 02:30 UTC (1 h 20 min apart)"
    )
    started = next(m for m in report.milestones if m.name == "started")
    assert started.basis == "derived from the earliest reported time [2]"
    texts = {r.text: r for r in report.timeline}
    assert texts["Looking into API errors."].star
    assert "All good now." not in texts  # hidden by the file, still the resolution
    assert any(m.name == "resolved" for m in report.milestones)


def test_action_items_and_placeholders_are_flagged_and_lint_exits(tmp_path: Path) -> None:
    body = "action_items:\n  - title: Fix it\n  - title: Done\n    status: done\n"
    path = write_incident(tmp_path, body)
    result = CliRunner().invoke(cli, ["lint", str(path)])
    assert result.exit_code == 0
    assert (
        f"{path}: warning: Action item 'Fix it' has no owner or due date [action-incomplete]"
        in (result.stdout)
    )
    strict = CliRunner().invoke(cli, ["lint", "--strict", str(path)])
    assert strict.exit_code == 1
    bad = CliRunner().invoke(cli, ["lint", str(tmp_path / "missing.yaml")])
    assert bad.exit_code == 1


def test_changes_since_the_last_build(tmp_path: Path) -> None:
    path = write_incident(tmp_path, "milestones:\n  started: 2026-03-20T03:00:00Z\n")
    out, formats = tmp_path / "out", ("md", "json")
    (first,) = build_files([path], formats=formats, out_dir=out)
    again = build_files([path], formats=formats, out_dir=out)[0].outputs[0].read_bytes()
    assert first.outputs[0].read_bytes() == again  # an unchanged rebuild is identical
    path.write_text(
        path.read_text("utf-8")
        + "  resolved: 2026-03-20T04:00:00Z\nsections:\n  summary: It broke.\n",
        "utf-8",
    )
    (second,) = build_files([path], formats=formats, out_dir=out)
    text = second.outputs[0].read_text("utf-8")
    assert "## Changes since the last build" in text
    assert "- milestone resolved is now known (2026-03-20T04:00:00Z)" in text
    assert "- section Summary was edited" in text


@pytest.mark.parametrize("style", ["default", "sre"])
def test_both_styles_render_every_section(style: str, tmp_path: Path) -> None:
    path = write_incident(tmp_path, "milestones:\n  started: 2026-03-20T03:00:00Z\n")
    (result,) = build_files([path], ReportOptions(style=style), out_dir=tmp_path, formats=("md",))
    text = result.outputs[0].read_text("utf-8")
    for heading in ("## Timeline", "## Action items", "## Sources"):
        assert heading in text
    assert ("## Detection" in text) == (style == "sre")


def test_google_cloud_outage_drafts_cite_the_vendor(corpus: Path, tmp_path: Path) -> None:
    gcp = corpus / "cloud-status/gcp/gcp-incidents_2021-07_to_2022-07.json"
    source = f"sources:\n  - kind: gcp\n    path: {gcp}\n    incident: 1xkAB1KmLrh5g3v9ZEZ7\n"
    report = report_of(write_incident(tmp_path, source), ReportOptions(allow_paths=(corpus,)))
    started = next(m for m in report.milestones if m.name == "started")
    assert started.at == at("2021-11-12T08:30:00Z")  # Google's begin, before its first update
    assert started.basis == "derived from the vendor's start time [1]"
    sections = {s.key: s for s in report.sections}
    cause = [s.text for s in sections["root_cause"].draft]
    fix = [s.text for s in sections["remediation"].draft]
    assert any("root cause" in text and "load balancer" in text for text in cause)
    # Google's "From preliminary analysis" is shown as its preliminary view, and the future
    # "root cause fix" is what it will change, not a cause
    assert all(t.startswith("The vendor's preliminary view: ") for t in cause if "prelim" in t)
    assert not any("going forward" in text for text in cause)
    assert any(
        t.startswith("The vendor said it will change: ") and "going forward" in t for t in fix
    )
    assert any(
        t.startswith("The vendor reported what restored service: ") and "mitigated" in t
        for t in fix
    )
    (impact, rating, *said) = sections["impact"].draft
    leads = ("The vendor described the impact: ", "The vendor states the impact lasted ")
    assert all(t.text.startswith(leads) for t in said)
    assert impact.text.count(",") >= 8 and " each had an impact from " in impact.text
    assert rating.text == "The vendor rated the impact as major."
