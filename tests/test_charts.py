"""The timeline charts: span the incident, never cut a label, never invent an end."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import report_of

from postmortem.model import Report
from postmortem.render.charts import CHAR_W, WIDTH, gantt, timeline_svg
from postmortem.report.build import ReportOptions

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GCP = "cloud-status/gcp/gcp-incidents_2021-07_to_2022-07.json"
_TEXT = re.compile(r'<text x="([\d.]+)" y="([\d.]+)"(?: text-anchor="(\w+)")?[^>]*>([^<]*)')


def texts(svg: str) -> list[tuple[float, float, float, str]]:
    """(left, right, y, text) of every label, measured as the chart measures them."""
    found = []
    for x, y, anchor, text in _TEXT.findall(svg):
        width = len(text.replace("&amp;", "&")) * CHAR_W
        left = {"middle": float(x) - width / 2, "end": float(x) - width}.get(anchor, float(x))
        found.append((left, left + width, float(y), text))
    return found


def gcp_report(corpus: Path, tmp_path: Path) -> Report:
    path = tmp_path / "incident.yaml"
    path.write_text(
        "id: T-1\ntitle: Google Cloud outage\ntimezone: UTC\nsources:\n  - kind: gcp\n"
        f"    path: {corpus / GCP}\n    incident: 1xkAB1KmLrh5g3v9ZEZ7\n",
        "utf-8",
    )
    return report_of(path, ReportOptions(allow_paths=(corpus,)))


@pytest.mark.corpus
def test_axis_spans_the_incident_not_the_late_updates(corpus: Path, tmp_path: Path) -> None:
    report = gcp_report(corpus, tmp_path)
    assert max(r.at for r in report.timeline).hour == 0  # the write-up came 14 hours later
    svg = timeline_svg(report)
    ticks = [t for *_, t in texts(svg) if t.endswith(" UTC")]
    assert ticks[0] == "08:30 UTC" and ticks[-1] == "10:15 UTC"
    # one time row when the zone is UTC, and the thirteen identical windows are one lane
    assert len(ticks) == len(set(ticks))
    assert "13 components" in svg and svg.count("<rect") == 2


@pytest.mark.corpus
def test_no_label_cut_and_milestone_labels_apart(corpus: Path, tmp_path: Path) -> None:
    reports = [gcp_report(corpus, tmp_path)]
    reports += [report_of(path) for path in sorted(SAMPLES.glob("*.yaml"))]
    for report in reports:
        labels = texts(timeline_svg(report))
        assert all(left >= 0 and right <= WIDTH for left, right, _, _ in labels), report.id
        rows: dict[float, list[tuple[float, float]]] = {}
        for left, right, y, _ in labels:
            rows.setdefault(y, []).append((left, right))
        for spans in rows.values():
            spans.sort()
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), report.id
        names = " ".join(t for *_, t in labels)
        for milestone in report.milestones:
            assert milestone.name in names.lower()


def test_long_component_name_abbreviated_with_full_text_kept() -> None:
    report = report_of(SAMPLES / "acme-2026-03-20.yaml")
    long_name = "Acme Cloud Infrastructure Components in every European region"
    window = replace(report.component_windows[0], component=long_name)
    svg = timeline_svg(replace(report, component_windows=(window,)))
    assert re.search(r">Acme Cloud Infrastructure \w*…<", svg)


def test_open_incident_stays_open_in_both_charts() -> None:
    report = report_of(SAMPLES / "claude-2026-03-20.yaml")
    assert report.incident_window is not None and report.incident_window.end is None
    block = gantt(report)
    line = next(line for line in block.splitlines() if line.strip().startswith("incident"))
    assert ":milestone," in line and "still open" in line
    assert line.endswith(", 0m")  # a marker at its start: no end is drawn
    assert "Incident (ongoing)" in timeline_svg(report)


def test_vendor_text_keeps_its_bullets_and_stays_inert() -> None:
    from postmortem.render.filters import md_block

    text = "Affected:\n* Cloud SQL - errors\n* [x](javascript:alert(1)) <b>\n\n# Not a heading\n---"
    block = md_block(text)
    assert block.splitlines() == [
        "Affected:",
        "",
        "- Cloud SQL - errors",
        "- \\[x\\](javascript:alert(1)) \\<b\\>",
        "",
        "\\# Not a heading\\",
        "\\---",
    ]
