"""Hostile incident files and review arguments: one line naming the file and line, never a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile import assert_one_line_error, run_cli

HEAD = "id: HX-1\ntitle: Hostile input outage\nseverity: SEV2\ntimezone: UTC\n"
WITH_START = HEAD + "milestones:\n  started: {}\n"

CASES = {
    "no 30 February": (WITH_START.format("2026-02-30T03:00:00Z"), "day is out of range"),
    "no month 13": (WITH_START.format("2026-13-01T03:00:00Z"), "month must be in 1..12"),
    "no hour 25": (WITH_START.format("2026-03-20T25:00:00Z"), "hour must be in 0..23"),
    "no leap second": (WITH_START.format("2026-03-20T23:59:60Z"), "second must be in 0..59"),
    "offset of a day": (WITH_START.format("2026-03-20T03:00:00+24:00"), "-23:59 and +23:59"),
    "year 1 with offset": (WITH_START.format("0001-01-01T00:00:00+01:00"), "year 1 is outside"),
    "year 9999 with offset": (
        WITH_START.format("9999-12-31T23:59:59-01:00"),
        "year 9999 is outside",
    ),
    "year 9999 local": (WITH_START.format("9999-12-31T23:30:00"), "year 9999 is outside"),
    "merge key": (HEAD + "<<: {owner: x}\n", "merge key (<<) is not allowed"),
    "5000 digits": (HEAD + "impact:\n  metrics: {n: " + "7" * 5000 + "}\n", "digits"),
    "sexagesimal": (WITH_START.format("190:20:30"), "base 60"),
    "int tag": (HEAD + "impact:\n  metrics: {n: !!int abc}\n", "cannot read 'abc' as int"),
    "float tag": (HEAD + "impact:\n  metrics: {n: !!float abc}\n", "cannot read 'abc' as float"),
    "bool tag": (HEAD + "impact:\n  metrics: {n: !!bool maybe}\n", "cannot read 'maybe' as bool"),
    "date as key": (HEAD + "2026-03-01: x\n", "YAML reads 2026-03-01 as a date"),
    "deep nesting": (HEAD + "sections: " + "[" * 5000 + "]" * 5000 + "\n", "nesting"),
    "report date year 1": (HEAD + "report_date: 0001-01-01\n", "year 1 is outside"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_incident_file_is_one_line(tmp_path: Path, name: str) -> None:
    text, expected = CASES[name]
    (tmp_path / "bad.yaml").write_text(text)
    outcome = run_cli("validate", "bad.yaml", cwd=tmp_path)
    assert "Traceback" not in outcome.err + outcome.out
    assert outcome.code == 1
    lines = (outcome.out + outcome.err).strip().splitlines()
    assert any(line.startswith("bad.yaml:") and expected in line for line in lines), lines


def test_a_bad_file_does_not_stop_the_next(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(WITH_START.format("9999-12-31T23:59:59-01:00"))
    (tmp_path / "b.yaml").write_text(
        "id: HX-2\ntitle: Fine\ntimezone: UTC\nmilestones:\n  started: 2026-03-20T03:00:00Z\n"
    )
    outcome = run_cli("build", "a.yaml", "b.yaml", "-f", "md", "-o", "out", cwd=tmp_path)
    assert_one_line_error(outcome, "a.yaml")
    assert [p.suffix for p in (tmp_path / "out").glob("HX-2*")] == [".md"]


def test_fifo_incident_file_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    outcome = run_cli("build", "pipe.yaml", "-f", "md", cwd=tmp_path)
    assert_one_line_error(outcome, "pipe.yaml", "not a regular file")


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01"])
def test_review_weeks_outside_the_years_are_refused(tmp_path: Path, week: str) -> None:
    outcome = run_cli("review", "--week", week, "-f", "md", "-o", "out", cwd=tmp_path)
    assert_one_line_error(outcome, week, "1970-2999")


def test_full_stdout_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text(
        "id: HX-3\ntitle: Fine\ntimezone: UTC\nmilestones:\n  started: 2026-03-20T03:00:00Z\n"
    )
    with Path("/dev/full").open("w") as full:
        outcome = run_cli("build", "ok.yaml", "-o", "-", cwd=tmp_path, stdout=full)
    assert_one_line_error(outcome, "cannot write to standard output")


def test_many_own_timeline_entries_are_refused(tmp_path: Path) -> None:
    rows = "".join(
        f"  - at: 2026-03-20T03:{i // 60 % 60:02d}:{i % 60:02d}Z\n    text: step {i}\n"
        for i in range(2001)
    )
    (tmp_path / "long.yaml").write_text(
        WITH_START.format("2026-03-20T03:00:00Z") + "timeline:\n" + rows
    )
    outcome = run_cli("validate", "long.yaml", cwd=tmp_path)
    assert outcome.code == 1
    assert "at most 2000 items" in outcome.out + outcome.err
