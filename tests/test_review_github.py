"""The review's figures on the real GitHub history, checked against the provider JSON."""

from __future__ import annotations

import gzip
import json
import statistics
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from postmortem.errors import PostmortemError
from postmortem.render.review import render_review_markdown
from postmortem.review.archive import Archive
from postmortem.review.assemble import build_review
from postmortem.review.dump import import_dump
from postmortem.review.inputs import load_coverage, load_vendor
from postmortem.review.periods import date_range, iso_week, month, quarter

HISTORY = "statuspage/github/incidents-json/all-github-incidents-2010-2023.jsonl.gz"


@pytest.fixture(scope="module")
def archive(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "archive.sqlite"
    result = import_dump(path, corpus / HISTORY, "GitHub")
    assert (result.incidents, result.new_incidents) == (1282, 1282)
    return path


@pytest.fixture(scope="module")
def provider(corpus: Path) -> list[dict[str, str]]:
    with gzip.open(corpus / HISTORY, "rt", encoding="utf-8") as lines:
        return [json.loads(line)["incident"] for line in lines]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_import_is_idempotent(archive: Path, corpus: Path) -> None:
    again = import_dump(archive, corpus / HISTORY, "GitHub")
    assert (again.new_incidents, again.new_updates) == (0, 0)


def test_september_2023(archive: Path) -> None:
    period = date_range(date(2023, 9, 1), date(2023, 9, 30), "UTC")
    review = build_review([], load_vendor(archive, period), period)
    assert len(review.incidents) == 20
    stats = review.vendor_durations
    assert stats.count == 20
    assert stats.median is not None and stats.mean is not None
    # The provider's created->resolved figures; started_at equals created_at this month.
    assert abs(stats.median.total_seconds() / 60 - 35.7) < 0.1
    assert abs(stats.mean.total_seconds() / 60 - 91.5) < 0.1


def test_weekly_medians_and_p90_match_an_independent_computation(
    archive: Path, provider: list[dict[str, str]]
) -> None:
    checked = 0
    for week in range(1, 40):
        period = iso_week(f"2023-W{week:02d}", "UTC")
        review = build_review([], load_vendor(archive, period), period)
        minutes = []
        problems = 0
        for item in provider:
            started, resolved = _at(item["started_at"]), _at(item["resolved_at"])
            if not period.start <= started < period.end:
                continue
            if resolved <= started:
                problems += 1
            else:
                minutes.append((resolved - started).total_seconds() / 60)
        assert review.vendor_durations.count == len(minutes), period.label
        assert len(review.problems) == problems, period.label
        if not minutes:
            continue
        checked += 1
        median = review.vendor_durations.median
        p90 = review.vendor_durations.p90
        assert median is not None and p90 is not None
        expected_p90 = (
            statistics.quantiles(minutes, n=10, method="inclusive")[8]
            if len(minutes) > 1
            else minutes[0]
        )
        assert median / timedelta(minutes=1) == pytest.approx(statistics.median(minutes))
        assert p90 / timedelta(minutes=1) == pytest.approx(expected_p90)
    assert checked > 30


def test_zero_and_negative_durations_are_listed_not_averaged(
    archive: Path, provider: list[dict[str, str]]
) -> None:
    period = date_range(date(2010, 1, 1), date(2023, 12, 31), "UTC")
    review = build_review([], load_vendor(archive, period), period)
    negative = [p for p in review.problems if p.message.startswith("negative")]
    zero = [p for p in review.problems if p.message.startswith("zero")]
    assert len(negative) == 3
    expected_zero = sum(_at(i["resolved_at"]) == _at(i["started_at"]) for i in provider)
    assert len(zero) == expected_zero
    assert review.vendor_durations.count == 1282 - 3 - expected_zero
    assert all(s.count >= 0 for s in (review.vendor_durations,))
    assert datetime(2023, 1, 1, tzinfo=UTC) > review.incidents[0].started_at


def test_calendar_month_compares_with_the_previous_month(archive: Path) -> None:
    period = month("2023-09", "UTC")
    review = build_review([], load_vendor(archive, period), period)
    assert review.previous.label == "2023-08"
    assert [(c.key, c.current, c.previous) for c in review.by_source] == [("GitHub", 20, 17)]
    assert [t.label for t in review.trend][-2:] == ["2023-08", "2023-09"]
    assert review.trend[-1].vendor_count == 20 and review.trend[-2].vendor_count == 17
    markdown = render_review_markdown(review)
    assert "| Month | your incidents" in markdown
    assert "Compared with the previous month, 2023-08 (2023-08-01 to 2023-08-31)" in markdown


def test_quarter_trend_is_monthly(archive: Path, provider: list[dict[str, str]]) -> None:
    period = quarter("2023-Q3", "UTC")
    review = build_review([], load_vendor(archive, period), period)
    by_month: dict[str, int] = {}
    for item in provider:
        label = item["started_at"][:7]
        by_month[label] = by_month.get(label, 0) + 1
    q3 = by_month["2023-07"] + by_month["2023-08"] + by_month["2023-09"]
    q2 = by_month["2023-04"] + by_month["2023-05"] + by_month["2023-06"]
    assert [(c.current, c.previous) for c in review.by_source] == [(q3, q2)]
    assert [(t.label, t.vendor_count) for t in review.trend] == [
        (label, by_month.get(label, 0))
        for label in [f"2022-{m:02d}" for m in range(10, 13)]
        + [f"2023-{m:02d}" for m in range(1, 10)]
    ]


def test_before_the_first_data_periods_say_no_data(archive: Path) -> None:
    coverage = load_coverage(archive)
    assert coverage == {"GitHub": datetime(2010, 2, 7, 6, 0, tzinfo=UTC)}
    period = month("2010-02", "UTC")  # the archive's first month: January is unknown
    review = build_review([], load_vendor(archive, period), period, coverage=coverage)
    assert [(c.key, c.current, c.previous) for c in review.by_source] == [("GitHub", 11, None)]
    assert [(c.vendor, c.period) for c in review.coverage] == [("GitHub", "partial")]
    assert [t.vendor_count for t in review.trend] == [None] * 11 + [11]
    markdown = render_review_markdown(review)
    assert "| Incidents, GitHub | 11 | no data |" in markdown
    assert "| 2010-01 | 0 | n/a | n/a | no data | no data | no data |" in markdown
    assert "| GitHub | 2010-02-07 06:00 UTC | partly covered |" in markdown
    later = month("2010-03", "UTC")
    review = build_review([], load_vendor(archive, later), later, coverage=coverage)
    assert [(c.current, c.previous) for c in review.by_source] == [(13, 11)]
    assert review.coverage[0].period == "full"


def test_json_lines_dump_streams_to_the_same_archive(
    archive: Path, corpus: Path, tmp_path: Path
) -> None:
    plain = tmp_path / "history.jsonl"
    plain.write_bytes(gzip.decompress((corpus / HISTORY).read_bytes()))
    copy = tmp_path / "copy.sqlite"
    result = import_dump(copy, plain, "GitHub")
    assert (result.incidents, result.new_incidents) == (1282, 1282)
    period = month("2023-09", "UTC")
    assert load_vendor(copy, period) == load_vendor(archive, period)
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(plain.read_bytes()[:5000] + b"\n{not json\n")
    with pytest.raises(
        PostmortemError, match=r"broken.jsonl: not a Statuspage JSON dump: JSON line \d+"
    ):
        import_dump(tmp_path / "other.sqlite", broken, "GitHub")
    with Archive.open(tmp_path / "other.sqlite") as store:
        assert store.incidents() == ()  # one transaction: nothing of a damaged dump is kept
