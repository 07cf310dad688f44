"""Review periods: ISO weeks and inclusive date ranges, in the review's display zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from postmortem.errors import PostmortemError
from postmortem.limits import FIRST_YEAR, LAST_YEAR

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, slots=True)
class Period:
    """Days `first`..`last`, both inclusive, in `zone`."""

    first: date
    last: date
    zone: str
    label: str

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

    def contains(self, at: datetime) -> bool:
        """Whether an aware instant falls inside the period."""
        return self.start <= at < self.end

    def previous(self) -> Period:
        """The period of equal length just before this one."""
        if _WEEK.match(self.label):
            return iso_week_of(self.first - timedelta(days=7), self.zone)
        length = timedelta(days=self.days)
        first, last = self.first - length, self.first - timedelta(days=1)
        return Period(first, last, self.zone, f"{first.isoformat()} to {last.isoformat()}")

    def trailing(self, count: int) -> tuple[Period, ...]:
        """This period and the `count - 1` before it, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return tuple(reversed(periods))


def _midnight_utc(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def iso_week(label: str, zone: str) -> Period:
    """Parse `2026-W12` into Monday..Sunday of that ISO week."""
    found = _WEEK.match(label.strip())
    if not found:
        raise PostmortemError(f"--week {label!r}: expected an ISO week such as 2026-W12")
    year, week = int(found[1]), int(found[2])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PostmortemError(f"--week {label!r}: the year must lie in {FIRST_YEAR}-{LAST_YEAR}")
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PostmortemError(f"--week {label!r}: {year} has no ISO week {week}") from None
    return Period(monday, monday + timedelta(days=6), zone, f"{year}-W{week:02d}")


def iso_week_of(day: date, zone: str) -> Period:
    """The ISO week containing `day`."""
    year, week, _ = day.isocalendar()
    return iso_week(f"{year}-W{week:02d}", zone)


def date_range(since: date, until: date, zone: str) -> Period:
    """An explicit range; `until` is inclusive, so its whole day is reviewed."""
    if until < since:
        raise PostmortemError(f"--until {until} is before --since {since}")
    for day in (since, until):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise PostmortemError(f"{day}: the year must lie in {FIRST_YEAR}-{LAST_YEAR}")
    return Period(since, until, zone, f"{since.isoformat()} to {until.isoformat()}")
