from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta

import pytest

from postmortem.errors import PostmortemError
from postmortem.review.periods import date_range, iso_week, iso_week_of, month, quarter
from postmortem.review.stats import percentile, summarise


def test_percentile_matches_statistics_inclusive_method() -> None:
    values = [3.0, 1.0, 4.0, 1.5, 9.0, 2.6, 5.0]
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    assert percentile(values, 90) == pytest.approx(deciles[8])
    assert percentile(values, 50) == pytest.approx(statistics.median(values))
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 9.0
    assert percentile([7.0], 90) == 7.0


def test_percentile_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="empty"):
        percentile([], 50)
    with pytest.raises(ValueError, match=r"0\.\.100"):
        percentile([1.0], 101)


def test_summarise_refuses_zero_and_negative_durations() -> None:
    with pytest.raises(ValueError, match="reported"):
        summarise([timedelta(minutes=5), timedelta(0)])
    with pytest.raises(ValueError, match="reported"):
        summarise([timedelta(minutes=-1)])


def test_summarise_skewed_durations() -> None:
    minutes = [10, 12, 15, 20, 600]
    stats = summarise([timedelta(minutes=m) for m in minutes])
    assert stats.count == 5
    assert stats.median == timedelta(minutes=15)
    assert stats.maximum == timedelta(minutes=600)
    assert stats.mean == timedelta(minutes=sum(minutes) / 5)
    assert stats.p90 == timedelta(minutes=percentile([float(m) for m in minutes], 90))
    empty = summarise([])
    assert (empty.count, empty.median, empty.mean) == (0, None, None)


def test_iso_week_in_a_zone_across_dst() -> None:
    week = iso_week("2026-W13", "Europe/Berlin")  # DST starts Sunday 29 March 2026
    assert (week.first, week.last) == (date(2026, 3, 23), date(2026, 3, 29))
    assert week.start == datetime(2026, 3, 22, 23, 0, tzinfo=UTC)
    assert week.end == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    assert week.contains(datetime(2026, 3, 29, 21, 59, tzinfo=UTC))
    assert not week.contains(datetime(2026, 3, 29, 22, 0, tzinfo=UTC))
    assert week.previous().label == "2026-W12"
    assert [p.label for p in week.trailing(3)] == ["2026-W11", "2026-W12", "2026-W13"]


def test_week_53_and_year_boundaries() -> None:
    assert iso_week("2026-W53", "UTC").first == date(2026, 12, 28)
    assert iso_week("2027-W01", "UTC").previous().label == "2026-W53"
    assert iso_week_of(date(2027, 1, 1), "UTC").label == "2026-W53"
    with pytest.raises(PostmortemError, match="has no ISO week 53"):
        iso_week("2025-W53", "UTC")
    with pytest.raises(PostmortemError, match="expected an ISO week"):
        iso_week("2026-12", "UTC")


def test_until_is_inclusive() -> None:
    period = date_range(date(2023, 9, 1), date(2023, 9, 30), "UTC")
    assert period.contains(datetime(2023, 9, 30, 23, 59, 59, tzinfo=UTC))
    assert period.days == 30
    assert period.previous().first == date(2023, 8, 2)
    with pytest.raises(PostmortemError, match="before --since"):
        date_range(date(2023, 9, 2), date(2023, 9, 1), "UTC")


def test_months_and_quarters_follow_the_zone_calendar() -> None:
    september = month("2023-09", "America/New_York")
    assert (september.first, september.last) == (date(2023, 9, 1), date(2023, 9, 30))
    assert september.start == datetime(2023, 9, 1, 4, 0, tzinfo=UTC)
    assert september.previous().label == "2023-08"
    assert september.previous().days == 31
    assert month("2024-01", "UTC").previous().label == "2023-12"
    assert month("2024-03", "UTC").previous().days == 29
    buckets = september.buckets()
    assert [b.label for b in buckets][-3:] == ["2023-07", "2023-08", "2023-09"]
    assert len(buckets) == 12 and september.bucket_name == "month"
    q3 = quarter("2023-Q3", "UTC")
    assert (q3.first, q3.last) == (date(2023, 7, 1), date(2023, 9, 30))
    assert q3.previous().label == "2023-Q2"
    assert quarter("2024-q1", "UTC").previous().label == "2023-Q4"
    assert [b.label for b in q3.buckets()][-1] == "2023-09"
    assert q3.bucket_name == "month"
    assert iso_week("2023-W36", "UTC").bucket_name == "week"
    for bad, fn in (("2023-13", month), ("2023-9", month), ("2023-Q5", quarter)):
        with pytest.raises(PostmortemError, match="expected a"):
            fn(bad, "UTC")
