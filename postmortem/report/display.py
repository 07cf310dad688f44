"""How times and durations are written for readers: one format in every output.

Reports, drafts, consistency notes, reviews and the `collect` table all write a duration
as `1 h 44 min` and an instant in the display zone with UTC alongside.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


def local_time(value: datetime, zone: str) -> str:
    """`2026-03-20 04:05 CET`: the instant in the display zone, the zone named (DST-correct)."""
    here = value.astimezone(ZoneInfo(zone))
    return f"{here:%Y-%m-%d %H:%M} {here.tzname()}"


def local_and_utc(value: datetime, zone: str) -> str:
    """`2026-03-20 04:05 CET (03:05 UTC)`; the UTC date too when it is another day."""
    if is_utc(zone):
        return utc_time(value)
    here, utc = value.astimezone(ZoneInfo(zone)), value.astimezone(UTC)
    same_day = here.date() == utc.date()
    return (
        f"{local_time(value, zone)} ({utc:%H:%M} UTC)"
        if same_day
        else (f"{local_time(value, zone)} ({utc:%Y-%m-%d %H:%M} UTC)")
    )


def is_utc(zone: str) -> bool:
    """True for the zone names that are UTC itself: one time column is then enough."""
    return zone in ("UTC", "Etc/UTC", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu")


def utc_time(value: datetime) -> str:
    """`2026-03-20 03:05 UTC`."""
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def duration(value: timedelta | None, missing: str = "not known") -> str:
    """`1 h 47 min`, `12 min`, `2 d 3 h`; `missing` for None. The one duration format."""
    if value is None:
        return missing
    minutes = round(value.total_seconds() / 60)
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    if minutes < 60:
        return f"{sign}{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{sign}{hours} h {rest} min" if rest else f"{sign}{hours} h"
    days, hours = divmod(hours, 24)
    return f"{sign}{days} d {hours} h" if hours else f"{sign}{days} d"
