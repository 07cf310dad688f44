"""Times stated in prose: every rule of postmortem.collectors.text.prose_times, in our own words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from postmortem.collectors.text.prose_times import extract_times, first_full_date

FRIDAY = date(2026, 3, 20)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def times(text: str, dateline: date | None = FRIDAY) -> list[tuple[datetime, str]]:
    return [(r.at, r.phrase) for r in extract_times(text, dateline)[0]]


@pytest.mark.parametrize(
    "phrase",
    ["about 9:10 UTC", "approximately 9:10 UTC", "roughly 9:10 UTC", "shortly after 9:10 UTC"],
)
def test_every_hedge_word_is_kept(phrase: str) -> None:
    assert times(f"Alerts fired {phrase} in two regions.") == [(utc(2026, 3, 20, 9, 10), phrase)]


def test_hedged_time_keeps_the_hedge_in_the_phrase() -> None:
    found = extract_times("Trouble started around 3:00 AM UTC for most users.", FRIDAY)[0]
    assert [(r.at, r.phrase) for r in found] == [(utc(2026, 3, 20, 3, 0), "around 3:00 AM UTC")]
    assert found[0].sentence == "Trouble started around 3:00 AM UTC for most users."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The dashboard died at 9:45pm GMT.", utc(2026, 3, 20, 21, 45)),
        ("Logins failed at 15:30 UTC.", utc(2026, 3, 20, 15, 30)),
        ("Queues drained by 6 a.m. EST.", utc(2026, 3, 20, 11, 0)),
        ("The mirror synced at 04:12Z.", utc(2026, 3, 20, 4, 12)),
        ("Tokyo users saw it at 9:00 JST.", utc(2026, 3, 20, 0, 0)),
        ("Berlin noticed it at 10:15 CET.", utc(2026, 3, 20, 9, 15)),
        ("Sydney was hit at 7:30pm AEST.", utc(2026, 3, 20, 9, 30)),
        ("The rollback ran at 12:00 UTC+2.", utc(2026, 3, 20, 10, 0)),
        ("A fix shipped at 1:00 PM Eastern Time.", utc(2026, 3, 20, 17, 0)),
    ],
)
def test_time_and_zone_tokens(text: str, expected: datetime) -> None:
    assert [at for at, _ in times(text)] == [expected]


def test_generic_pacific_time_follows_daylight_saving() -> None:
    assert times("Builds stalled at 9:45 a.m. PT.") == [(utc(2026, 3, 20, 16, 45), "9:45 a.m. PT")]
    january = times("Builds stalled on January 9 at 9:45 a.m. PT.")
    assert january == [(utc(2026, 1, 9, 17, 45), "9:45 a.m. PT")]


def test_explicit_abbreviation_is_taken_as_written() -> None:
    assert times("Builds stalled at 9:45 a.m. PST.") == [
        (utc(2026, 3, 20, 17, 45), "9:45 a.m. PST")
    ]


def test_range_gives_two_times_and_the_end_rolls_to_the_next_day() -> None:
    phrase = "from 9:45pm to 2:55am PST"
    found = times(f"Uploads broke {phrase} on Wednesday.")
    assert found == [(utc(2026, 3, 19, 5, 45), phrase), (utc(2026, 3, 19, 10, 55), phrase)]


def test_range_start_borrows_am_pm_from_its_end() -> None:
    found = times("Checkout was flaky between 9 and 11 p.m. ET.")
    assert [at for at, _ in found] == [utc(2026, 3, 21, 1, 0), utc(2026, 3, 21, 3, 0)]


def test_weekday_means_the_latest_such_day_on_or_before_the_dateline() -> None:
    assert times("On Friday at 8:00 UTC it recovered.")[0][0] == utc(2026, 3, 20, 8, 0)
    assert times("It began on Thursday at 23:10 UTC.")[0][0] == utc(2026, 3, 19, 23, 10)
    assert times("On Saturday at 8:00 UTC the mirror lagged.")[0][0] == utc(2026, 3, 14, 8, 0)


@pytest.mark.parametrize(
    "text",
    [
        "Friday, March 20, 2026: engineers paged at 2:10 AM UTC.",
        "On 20 March 2026 engineers paged at 2:10 AM UTC.",
        "Engineers paged at 2:10 AM UTC on 2026-03-20.",
    ],
)
def test_full_dates_before_or_after_the_time(text: str) -> None:
    assert [at for at, _ in times(text, date(2026, 4, 2))] == [utc(2026, 3, 20, 2, 10)]


def test_year_less_date_after_the_dateline_steps_back_a_year() -> None:
    found = times("The previous scare, on December 30 at 10:00 UTC, was shorter.", date(2026, 1, 4))
    assert found[0][0] == utc(2025, 12, 30, 10, 0)
    assert times("On March 2 at 10:00 UTC it flickered.")[0][0] == utc(2026, 3, 2, 10, 0)


def test_dates_and_zones_carry_forward_within_a_paragraph_only() -> None:
    text = (
        "Trouble began on March 18 at 6:00 UTC. Engineers rolled back at 7:30.\n\n"
        "A later fix landed at 9:00."
    )
    assert [at for at, _ in times(text)] == [utc(2026, 3, 18, 6, 0), utc(2026, 3, 18, 7, 30)]


def test_a_time_without_any_zone_is_skipped() -> None:
    assert times("The team met at 10:30 and again at 4pm.") == []


def test_a_stated_zone_earlier_in_the_paragraph_applies() -> None:
    assert times("All times here are UTC. Restarts began at 14:05.") == [
        (utc(2026, 3, 20, 14, 5), "14:05")
    ]


def test_no_dateline_and_no_date_means_no_time() -> None:
    assert times("Errors peaked at 3:00 AM UTC.", None) == []
    assert times("On March 3, 2026 errors peaked at 3:00 AM UTC.", None) == [
        (utc(2026, 3, 3, 3, 0), "3:00 AM UTC")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Recovery took 5 minutes for most tenants.",
        "Each retry waited a second before giving up.",
        "The outage may have been caused by a bad deploy.",
        "A 2019 study found outages cost money.",
        "The final status came at 4:15 a",
        "Scores were 3:2 and 10:5 at half time, 2019 UTC.",
        "Nothing happened on February 30 at 25:00 UTC.",
        "Revenue rose 12, 000 dollars, said the March report.",
    ],
)
def test_noise_yields_nothing(text: str) -> None:
    assert times(text) == []


def test_ambiguous_zone_is_read_one_way_and_warned_about() -> None:
    found, warnings = extract_times("Mumbai users lost access at 12:30 IST.", FRIDAY)
    assert [r.at for r in found] == [utc(2026, 3, 20, 7, 0)]
    assert len(warnings) == 1
    assert "IST" in warnings[0]
    assert "India" in warnings[0]


def test_first_full_date_needs_a_year() -> None:
    assert first_full_date("Posted Friday, March 20, 2026 by staff") == date(2026, 3, 20)
    assert first_full_date("Posted on March 20 by staff") is None


def test_a_stray_abbreviation_alone_does_not_set_the_zone() -> None:
    assert times("The CT scanner team met at 10:30 on site.") == []
    assert times("Times below are Pacific Time. The purge ran at 6:15.")[0][0] == utc(
        2026, 3, 20, 13, 15
    )


def test_times_well_after_the_dateline_are_plans_and_dropped() -> None:
    text = (
        "A fix is planned for March 27, 2026 at 10:00 UTC. "
        "A patch went out at 1:00 AM UTC on March 21, 2026."
    )
    assert times(text) == [(utc(2026, 3, 21, 1, 0), "1:00 AM UTC")]
