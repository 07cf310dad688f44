"""Times stated in prose ("around 3:00 AM UTC"), resolved against the article's date.

Rules, conservative on purpose (a wrong time is worse than none):
- a time needs a colon or am/pm ("3:00", "9:45pm"); "5 minutes" or "2019" never match;
- a time needs a zone ("UTC", "PDT", "PT", ...), its own or one shared by a range
  ("from 9:45pm to 2:55am PST"); a time with no zone yields nothing;
- its day is the last date written before it, or one later in the same sentence
  ("Friday, March 20, 2026", "March 20", "20 March", "on Friday"), else the article's
  date; a date without a year takes the article's year, stepping back a year when that
  would put it after the article;
  a weekday is the most recent such day on or before the article's date;
- the end of a range that is earlier than its start falls on the next day.
Generic zones (PT, ET, CT, MT) take the offset in force on that day; "IST" is read as India
and reported as ambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from postmortem.model import ReportedTime

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

ZONES: dict[str, tzinfo] = {
    "utc": UTC,
    "gmt": UTC,
    "z": UTC,
    "pst": timezone(timedelta(hours=-8)),
    "pdt": timezone(timedelta(hours=-7)),
    "mst": timezone(timedelta(hours=-7)),
    "mdt": timezone(timedelta(hours=-6)),
    "cst": timezone(timedelta(hours=-6)),
    "cdt": timezone(timedelta(hours=-5)),
    "est": timezone(timedelta(hours=-5)),
    "edt": timezone(timedelta(hours=-4)),
    "pt": ZoneInfo("America/Los_Angeles"),
    "mt": ZoneInfo("America/Denver"),
    "ct": ZoneInfo("America/Chicago"),
    "et": ZoneInfo("America/New_York"),
    "cet": timezone(timedelta(hours=1)),
    "cest": timezone(timedelta(hours=2)),
    "bst": timezone(timedelta(hours=1)),
    "ist": ZoneInfo("Asia/Kolkata"),
    "jst": timezone(timedelta(hours=9)),
    "aest": timezone(timedelta(hours=10)),
    "aedt": timezone(timedelta(hours=11)),
}
AMBIGUOUS = {"ist": "IST read as India Standard Time (it can also mean Irish or Israel time)"}

_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY = "|".join(_WEEKDAYS)
_ZONE = "|".join(sorted(ZONES, key=len, reverse=True))
_CLOCK = r"\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)(?![a-z])|\d{1,2}:\d{2}(?!\d)"
_DATE = re.compile(
    rf"\b(?:(?P<wd>{_DAY}),?\s+)?(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH})\.?)(?:,?\s+(?P<y>\d{{4}}))?\b"
    rf"|\b(?:on|last|this)\s+(?P<wd2>{_DAY})\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    rf"(?P<hedge>\b(?:around|about|approximately|roughly|shortly (?:after|before)|at|by|near)\s+)?"
    rf"(?P<clock>{_CLOCK})(?:\s+(?P<zone>{_ZONE})\b)?",
    re.IGNORECASE,
)
_RANGE = re.compile(
    rf"\b(?:from|between)\s+(?P<a>{_CLOCK})\s+(?:to|and|until|-)\s+(?P<b>{_CLOCK})"
    rf"(?:\s+(?P<zone>{_ZONE})\b)?",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'\u201c])")


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    day: date


def _clock(text: str) -> time | None:
    found = re.match(r"(\d{1,2})(?::(\d{2}))?\s*([ap])?", text.strip(), re.IGNORECASE)
    if not found:
        return None
    hour, minute = int(found[1]), int(found[2] or 0)
    half = (found[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _day_of(found: re.Match[str], dateline: date) -> date | None:
    weekday = found["wd2"]
    if weekday and not found["m1"] and not found["m2"]:
        back = (dateline.weekday() - _WEEKDAYS.index(weekday.lower())) % 7
        return dateline - timedelta(days=back)
    month = _MONTHS[(found["m1"] or found["m2"]).lower()]
    day = int(found["d1"] or found["d2"])
    year = int(found["y"]) if found["y"] else dateline.year
    try:
        resolved = date(year, month, day)
    except ValueError:
        return None
    if not found["y"] and resolved > dateline + timedelta(days=1):
        resolved = resolved.replace(year=year - 1)
    return resolved


def _at(day: date, clock: time, zone: str) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZONES[zone.lower()]).astimezone(UTC)


def reported_times(
    text: str, dateline: date | None
) -> tuple[tuple[ReportedTime, ...], tuple[str, ...]]:
    """Every resolvable time in `text`, with the sentence it came from, plus warnings."""
    if dateline is None:
        return (), ()
    found: list[ReportedTime] = []
    warnings: set[str] = set()
    current = dateline
    for paragraph in text.split("\n"):
        for sentence in _SENTENCE.split(" ".join(paragraph.split())):
            current, items = _sentence_times(sentence, current, dateline, warnings)
            found += items
    unique = {(r.at, r.sentence): r for r in found}
    return tuple(sorted(unique.values(), key=lambda r: r.at)), tuple(sorted(warnings))


def _sentence_times(
    sentence: str, current: date, dateline: date, warnings: set[str]
) -> tuple[date, list[ReportedTime]]:
    dates = [
        _Found(m.start(), day) for m in _DATE.finditer(sentence) if (day := _day_of(m, dateline))
    ]

    def day_at(offset: int) -> date:
        # the last date written before the time, else one later in the same sentence
        # ("at 10:00 am PT on January 12"), else the date carried from earlier text
        before = [d.day for d in dates if d.start <= offset]
        return before[-1] if before else (dates[0].day if dates else current)

    items: list[ReportedTime] = []
    covered: list[tuple[int, int]] = []
    for match in _RANGE.finditer(sentence):
        zone = match["zone"]
        start, end = _clock(match["a"]), _clock(match["b"])
        if not zone or start is None or end is None:
            continue
        day = day_at(match.start())
        first = _at(day, start, zone)
        second = _at(day + timedelta(days=1) if end < start else day, end, zone)
        phrase = match.group(0)
        items += [ReportedTime(first, sentence, phrase), ReportedTime(second, sentence, phrase)]
        covered.append(match.span())
        _note(zone, warnings)
    for match in _TIME.finditer(sentence):
        if any(a <= match.start("clock") < b for a, b in covered) or not match["zone"]:
            continue
        clock = _clock(match["clock"])
        if clock is None:
            continue
        day = day_at(match.start())
        items.append(ReportedTime(_at(day, clock, match["zone"]), sentence, match.group(0).strip()))
        _note(match["zone"], warnings)
    return (dates[-1].day if dates else current), items


def _note(zone: str, warnings: set[str]) -> None:
    if zone.lower() in AMBIGUOUS:
        warnings.add(AMBIGUOUS[zone.lower()])
