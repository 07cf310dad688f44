"""Review periods: ISO weeks, calendar months and quarters, and inclusive date ranges.

Every period is a run of calendar days in the review's display zone. A period knows its
predecessor (the previous week, month or quarter; for a date range, the equal-length range
just before) and the buckets its trend is drawn in (weeks for a week, months for a month or
a quarter, equal-length ranges for a date range).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from postmortem.errors import PostmortemError
from postmortem.limits import FIRST_YEAR, LAST_YEAR

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q(\d)$")

Kind = Literal["week", "month", "quarter", "range"]
#: how many buckets the trend shows, by the kind of period reviewed
TREND_BUCKETS: dict[Kind, int] = {"week": 8, "month": 12, "quarter": 12, "range": 8}
#: the trend's bucket name, singular, by the kind of period reviewed
BUCKET_NAMES: dict[Kind, str] = {
    "week": "week",
    "month": "month",
    "quarter": "month",
    "range": "period",
}


@dataclass(frozen=True, slots=True)
class Period:
    """Days `first`..`last`, both inclusive, in `zone`."""

    first: date
    last: date
    zone: str
    label: str
    kind: Kind = "range"

    @property
    def start(self) -> datetime:
        """Start of the first day in the zone, as UTC."""
        return _midnight_utc(self.first, self.zone)

    @property
    def end(self) -> datetime:
        """Start of the day after the last day (exclusive bound), as UTC."""
        return _midnight_utc(self.last + timedelta(days=1), self.zone)

    @property
    def days(self) -> int:
        """Number of calendar days covered."""
        return (self.last - self.first).days + 1

    @property
    def noun(self) -> str:
        """What the period is called in prose: week, month, quarter or period."""
        return "period" if self.kind == "range" else self.kind

    @property
    def bucket_name(self) -> str:
        """What one trend bucket of this period is called: week, month or period."""
        return BUCKET_NAMES[self.kind]

    def contains(self, at: datetime) -> bool:
        """Whether an aware instant falls inside the period."""
        return self.start <= at < self.end

    def previous(self) -> Period:
        """The previous week, month or quarter; for a range, the equal-length range before."""
        if self.kind == "week":
            return iso_week_of(self.first - timedelta(days=7), self.zone)
        if self.kind == "month":
            return month_of(self.first - timedelta(days=1), self.zone)
        if self.kind == "quarter":
            return quarter_of(self.first - timedelta(days=1), self.zone)
        length = timedelta(days=self.days)
        return date_range(self.first - length, self.first - timedelta(days=1), self.zone)

    def trailing(self, count: int) -> tuple[Period, ...]:
        """This period and the `count - 1` before it, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return tuple(reversed(periods))

    def buckets(self) -> tuple[Period, ...]:
        """The trend's buckets, oldest first, the last one ending with this period."""
        count = TREND_BUCKETS[self.kind]
        if self.kind == "quarter":
            return month_of(self.last, self.zone).trailing(count)
        return self.trailing(count)


def check_year(year: int, what: str) -> None:
    """Refuse a period outside FIRST_YEAR..LAST_YEAR before any date arithmetic on it."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PostmortemError(f"{what}: the year must lie in {FIRST_YEAR}-{LAST_YEAR}")


def _midnight_utc(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def iso_week(label: str, zone: str) -> Period:
    """Parse `2026-W12` into Monday..Sunday of that ISO week."""
    found = _WEEK.match(label.strip())
    if not found:
        raise PostmortemError(f"--week {label!r}: expected an ISO week such as 2026-W12")
    year, week = int(found[1]), int(found[2])
    check_year(year, f"--week {label!r}")
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PostmortemError(f"--week {label!r}: {year} has no ISO week {week}") from None
    return Period(monday, monday + timedelta(days=6), zone, f"{year}-W{week:02d}", "week")


def iso_week_of(day: date, zone: str) -> Period:
    """The ISO week containing `day`."""
    year, week, _ = day.isocalendar()
    return iso_week(f"{year}-W{week:02d}", zone)


def _months(year: int, first_month: int, count: int) -> tuple[date, date]:
    first = date(year, first_month, 1)
    after = date(year + (first_month + count - 1) // 12, (first_month + count - 1) % 12 + 1, 1)
    return first, after - timedelta(days=1)


def month(label: str, zone: str) -> Period:
    """Parse `2023-09` into the first to the last day of that calendar month."""
    found = _MONTH.match(label.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise PostmortemError(f"--month {label!r}: expected a month such as 2023-09")
    year, number = int(found[1]), int(found[2])
    check_year(year, f"--month {label!r}")
    first, last = _months(year, number, 1)
    return Period(first, last, zone, f"{year}-{number:02d}", "month")


def month_of(day: date, zone: str) -> Period:
    """The calendar month containing `day`."""
    return month(f"{day.year}-{day.month:02d}", zone)


def quarter(label: str, zone: str) -> Period:
    """Parse `2023-Q3` into July 1 to September 30 of 2023."""
    found = _QUARTER.match(label.strip().upper())
    if not found or not 1 <= int(found[2]) <= 4:
        raise PostmortemError(f"--quarter {label!r}: expected a quarter such as 2023-Q3")
    year, number = int(found[1]), int(found[2])
    check_year(year, f"--quarter {label!r}")
    first, last = _months(year, 3 * number - 2, 3)
    return Period(first, last, zone, f"{year}-Q{number}", "quarter")


def quarter_of(day: date, zone: str) -> Period:
    """The calendar quarter containing `day`."""
    return quarter(f"{day.year}-Q{(day.month - 1) // 3 + 1}", zone)


def date_range(since: date, until: date, zone: str) -> Period:
    """An explicit range; `until` is inclusive, so its whole day is reviewed."""
    if until < since:
        raise PostmortemError(f"--until {until} is before --since {since}")
    return Period(since, until, zone, f"{since.isoformat()} to {until.isoformat()}")
