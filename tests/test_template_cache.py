"""Compiled templates are kept in the user's cache, and never change what is rendered."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import report_of

from postmortem.render import render_markdown
from postmortem.render.review import render_review_markdown
from postmortem.report.build import ReportOptions
from postmortem.review.assemble import build_review
from postmortem.review.periods import iso_week
from tests.test_review_archive import make_incident

ACME = Path(__file__).resolve().parent.parent / "samples" / "acme-2026-03-20.yaml"


def _report() -> str:
    report = report_of(ACME, ReportOptions(offline=True))
    return render_markdown(report)


def _review() -> str:
    vendor = make_incident("a1", datetime(2026, 3, 17, 10, tzinfo=UTC), 30)
    return render_review_markdown(build_review([], [("Acme", vendor)], iso_week("2026-W12", "UTC")))


def test_reports_and_reviews_store_compiled_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "postmortem" / "templates"
    review = _review()
    after_review = set(folder.glob("*.cache"))
    assert after_review
    report = _report()
    assert len(set(folder.glob("*.cache")) - after_review) > 10  # one per section template
    assert (_review(), _report()) == (review, report)  # read back: the same text


def test_an_unwritable_cache_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _report().startswith("# ")
    assert _review().startswith("# ")
