"""Times stated in prose, on sentences written for these tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from postmortem.collectors.prose_times import reported_times

FRIDAY = date(2026, 3, 20)


def times(text: str, dateline: date | None = FRIDAY) -> list[tuple[datetime, str]]:
    found, _ = reported_times(text, dateline)
    return [(r.at, r.phrase) for r in found]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_hedged_utc_time_on_the_dateline() -> None:
    assert times("Problems were first noticed around 3:00 AM UTC by several teams.") == [
        (utc(2026, 3, 20, 3, 0), "around 3:00 AM UTC")
    ]


def test_a_range_shares_its_zone_and_rolls_over_midnight() -> None:
    found = times("Errors ran from 9:45pm to 2:55am PST, the company said.")
    assert found == [
        (utc(2026, 3, 21, 5, 45), "from 9:45pm to 2:55am PST"),
        (utc(2026, 3, 21, 10, 55), "from 9:45pm to 2:55am PST"),
    ]


def test_generic_pacific_time_follows_daylight_saving() -> None:
    assert times("On January 12 the queue stalled at 10:00 am PT.")[0][0] == utc(2026, 1, 12, 18)
    assert times("On March 10 the queue stalled at 10:00 am PT.")[0][0] == utc(2026, 3, 10, 17)


def test_dates_carry_forward_and_weekdays_resolve_backwards() -> None:
    text = (
        "On Wednesday, March 18, the first alert fired at 14:10 UTC. It fired again at 16:00 UTC."
    )
    assert [t for t, _ in times(text)] == [utc(2026, 3, 18, 14, 10), utc(2026, 3, 18, 16)]
    assert times("The fix landed on Tuesday at 08:30 UTC.")[0][0] == utc(2026, 3, 17, 8, 30)


def test_a_date_later_in_the_sentence_counts() -> None:
    assert times("It began at 10:00 am ET on February 2.")[0][0] == utc(2026, 2, 2, 15)


def test_year_less_dates_after_the_dateline_step_back_a_year() -> None:
    found = times("The last outage, on December 30, began at 11:00 pm UTC.", date(2026, 1, 5))
    assert found[0][0] == utc(2025, 12, 30, 23)


def test_no_time_is_ever_invented() -> None:
    text = (
        "A 2019 study took 5 minutes. Users may see errors for a second. "
        "At 4:15 a quarter of requests failed. The alert fired at 3:00 with no zone given. "
        "In May it happened again."
    )
    assert times(text) == []
    assert times("It began at 3:00 AM UTC.", None) == []


def test_ambiguous_zone_is_reported() -> None:
    found, warnings = reported_times("Trouble began at 9:30 am IST.", FRIDAY)
    assert found[0].at == utc(2026, 3, 20, 4, 0)
    assert warnings == ("IST read as India Standard Time (it can also mean Irish or Israel time)",)


def test_each_time_keeps_its_sentence() -> None:
    text = "Nothing happened overnight.\nThen, at about 06:15 UTC, checkouts failed. More later."
    (found,), _ = reported_times(text, FRIDAY)
    assert found.sentence == "Then, at about 06:15 UTC, checkouts failed."
    assert found.phrase == "about 06:15 UTC"
