"""Drafts, vendor matching and citations on real incidents the drafting issue named."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import report_of

from postmortem.commands import cli
from postmortem.model import Report
from postmortem.report.build import ReportOptions

pytestmark = pytest.mark.corpus

GCP = "cloud-status/gcp/gcp-incidents_2021-07_to_2022-07.json"
ATOMS = "statuspage/github/atom-snapshots"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "incident.yaml"
    path.write_text(f"id: T-1\ntitle: Outage\ntimezone: UTC\n{body}", "utf-8")
    return path


def _report(path: Path, corpus: Path) -> Report:
    return report_of(path, ReportOptions(allow_paths=(corpus,)))


def _drafts(report: Report, key: str) -> list[str]:
    return [s.text for s in next(s for s in report.sections if s.key == key).draft]


def test_a_long_overlapping_vendor_incident_is_left_out_and_listed(
    corpus: Path, tmp_path: Path
) -> None:
    body = (
        "milestones:\n  started: 2021-11-12T08:45:00Z\n  detected: 2021-11-12T08:50:00Z\n"
        f"sources:\n  - kind: gcp\n    path: {corpus / GCP}\n"
    )
    path = _write(tmp_path, body)
    report = _report(path, corpus)
    resolved = next(m for m in report.milestones if m.name == "resolved")
    assert f"{resolved.at:%Y-%m-%d %H:%M}" == "2021-11-12 10:14"  # not the Cloud SQL 2021-12-16
    assert not any("MySQL" in t for t in _drafts(report, "root_cause"))
    (warning,) = [w for w in report.warnings if "left out" in w]
    assert "aCXLk4u6GJoLn9PqSMm1 (2021-11-02 12:13 \u2192 2021-12-16 20:25 UTC)" in warning
    assert "Cloud SQL for MySQL" in warning
    flags = [f for f in report.flags if f.code == "vendor-match-doubtful"]
    assert len(flags) == 1 and "aCXLk4u6GJoLn9PqSMm1" in flags[0].message
    lint = ["lint", str(path), "--offline", "--allow-path", str(corpus)]
    linted = CliRunner().invoke(cli, lint)
    assert "[vendor-match-doubtful]" in linted.output
    assert CliRunner().invoke(cli, [*lint, "--strict"]).exit_code == 1


def test_github_actions_incident_reads_right(corpus: Path, tmp_path: Path) -> None:
    atom = corpus / ATOMS / "githubstatus-history_2026-08-22.atom"
    path = _write(
        tmp_path, f"sources:\n  - kind: statuspage\n    path: {atom}\n    incident: qcvjkzcs7j74\n"
    )
    report = _report(path, corpus)
    cause = " ".join(_drafts(report, "root_cause"))
    fix = _drafts(report, "remediation")
    assert "triggered by a routine deployment" in cause
    assert "actively working on a mitigation" not in cause
    assert "gradually restoring throughput" not in cause
    assert not any("triggered by a routine deployment" in t for t in fix)
    restored = [t for t in fix if t.startswith("The vendor reported what restored service")]
    will = [t for t in fix if t.startswith("The vendor said it will change")]
    assert restored and will and fix.index(restored[-1]) < fix.index(will[0])


def test_github_graphql_root_cause_is_a_cause(corpus: Path, tmp_path: Path) -> None:
    atom = corpus / ATOMS / "githubstatus-history_2026-08-22.atom"
    path = _write(
        tmp_path, f"sources:\n  - kind: statuspage\n    path: {atom}\n    incident: vm1w8zq95wkt\n"
    )
    cause = _drafts(_report(path, corpus), "root_cause")
    assert cause and "identified and mitigated" not in cause[0]
    assert "increased utilization" in cause[0]


def _atom_and_json(corpus: Path, tmp_path: Path) -> Report:
    """zjchv3zvfg50 read from the 2023-10-06 Atom feed and from its provider JSON."""
    atom = corpus / ATOMS / "githubstatus-history_2023-10-06.atom"
    json = (
        corpus / "statuspage/github/incidents-json/matching-2023-10-06-snapshot/zjchv3zvfg50.json"
    )
    body = (
        f"sources:\n  - kind: statuspage\n    path: {atom}\n    incident: zjchv3zvfg50\n"
        f"  - kind: statuspage\n    path: {json}\n    incident: zjchv3zvfg50\n"
    )
    return _report(_write(tmp_path, body), corpus)


def test_atom_and_json_of_one_incident_cite_only_the_sources_holding_a_sentence(
    corpus: Path, tmp_path: Path
) -> None:
    report = _atom_and_json(corpus, tmp_path)
    sections = {s.key: s for s in report.sections}
    cause = sections["root_cause"].draft
    assert any("while migrating the primary datastore" in s.text for s in cause)
    assert not any("As a result of this incident" in s.text for s in cause)
    drafted = [s for s in sections["remediation"].draft if "As a result of this incident" in s.text]
    assert [s.citations for s in drafted] == [(1,)]  # the JSON lacks this paragraph


def test_atom_and_json_updates_merge_into_rows_citing_both(corpus: Path, tmp_path: Path) -> None:
    rows = _atom_and_json(corpus, tmp_path).timeline
    texts = [" ".join(r.text.split()) for r in rows]
    assert len(texts) == len(set(texts))  # no update twice
    both = [r for r in rows if r.citations == (1, 2)]
    assert len(both) >= 18 and all(r.raw_status != "Update" for r in both)
    assert all(r.citations in ((1,), (2,), (1, 2)) for r in rows)


def test_google_repeated_report_is_one_row_with_its_count(corpus: Path, tmp_path: Path) -> None:
    body = (
        f"sources:\n  - kind: gcp\n    path: {corpus / GCP}\n    incident: 1xkAB1KmLrh5g3v9ZEZ7\n"
    )
    rows = _report(_write(tmp_path, body), corpus).timeline
    texts = [r.text for r in rows]
    assert len(texts) == len(set(texts))
    report = [r for r in rows if r.text.startswith("We apologize") and "Incident Start" in r.text]
    assert len(report) == 1 and report[0].repeats > 1 and report[0].last_at is not None


def test_the_vendors_stated_window_is_drafted_and_compared(corpus: Path, tmp_path: Path) -> None:
    atom = corpus / ATOMS / "githubstatus-history_2026-08-22.atom"
    path = _write(
        tmp_path, f"sources:\n  - kind: statuspage\n    path: {atom}\n    incident: qcvjkzcs7j74\n"
    )
    report = _report(path, corpus)
    (stated,) = [s for s in _drafts(report, "impact") if "states the impact lasted" in s]
    assert "from 2026-08-06 15:05 UTC to 2026-08-07 00:14 UTC (9 h 9 min)" in stated
    assert "\u201cOn August 6, 2026, between 15:05 UTC and 00:14 UTC on August 7" in stated
    (flag,) = [f for f in report.flags if f.code == "stated-window"]
    assert "from 2026-08-06 15:05 to 2026-08-07 00:14 UTC" in flag.message
    assert "from 2026-08-06 15:22 to 2026-08-07 02:04 UTC" in flag.message


def test_google_report_window_is_read_in_its_stated_zone(corpus: Path, tmp_path: Path) -> None:
    body = (
        f"sources:\n  - kind: gcp\n    path: {corpus / GCP}\n    incident: 1xkAB1KmLrh5g3v9ZEZ7\n"
    )
    report = _report(_write(tmp_path, body), corpus)
    (stated,) = [s for s in _drafts(report, "impact") if "states the impact lasted" in s]
    # "Incident Start: 12 November 2021 00:30" under "(All Times US/Pacific)"
    assert "from 2021-11-12 08:30 UTC to 2021-11-12 10:14 UTC (1 h 44 min)" in stated
    assert not [f for f in report.flags if f.code == "stated-window"]  # it agrees with the feed
