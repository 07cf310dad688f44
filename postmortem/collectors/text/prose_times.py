"""Times stated in news prose, resolved against the article's dateline.

A small, deterministic scanner instead of a general date parser: general parsers read
"may", "a second" or the "a" after "4:15" as dates (see DEPENDENCIES.md section 3). Rules:

* A time needs a colon or am/pm ("3:00 AM", "9:45pm", "15:30"); bare numbers never count.
* Its zone is the one written after it (or after the end of its range); failing that, the
  last zone written earlier in the same paragraph (after a time, or alone as UTC, GMT or
  "Pacific Time"). A time with no zone at all is skipped: no zone is assumed, not even UTC.
* Its day is the last date written before it in the sentence, else the first one after it
  in the sentence, else the last date of the paragraph, else the dateline itself.
* Year-less dates take the dateline's year, one year earlier when that would put them after
  the dateline; weekday names mean the latest such day on or before the dateline.
* "from 9:45pm to 2:55am PST" gives two times; the end moves to the next day when it is
  earlier than the start.
* A time more than a day after the dateline is dropped: it is a plan, not a report.
* Generic zones (PT, ET, CT, MT) follow daylight saving on that day through zoneinfo;
  explicit ones (PST, PDT, ...) are taken as written. IST, CST and BST mean several zones;
  they are read as India, US Central and British Summer Time and a warning says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from postmortem.collectors.text.months import MONTHS
from postmortem.collectors.text.zones import AMBIGUOUS, zone_for_abbreviation
from postmortem.limits import checked_utc
from postmortem.model import ReportedTime

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


#: Abbreviations read after a clock time; offsets come from `zones`, one table for all.
_ABBREVIATIONS = (
    *("UTC", "GMT", "Z", "PST", "PDT", "MST", "MDT", "CST", "CDT", "EST", "EDT"),
    *("WET", "WEST", "BST", "CET", "CEST", "EET", "EEST", "IST"),
    *("SGT", "HKT", "JST", "KST", "AEST", "AEDT"),
)
#: US zone names without "standard" or "daylight": the reading follows the date's DST.
_GENERIC = {
    "PT": ZoneInfo("America/Los_Angeles"),
    "MT": ZoneInfo("America/Denver"),
    "CT": ZoneInfo("America/Chicago"),
    "ET": ZoneInfo("America/New_York"),
}
_ZONES: dict[str, tzinfo] = {
    **{name: zone_for_abbreviation(name) or UTC for name in _ABBREVIATIONS},
    **_GENERIC,
}
_ZONE_WORDS = {"Pacific": "PT", "Mountain": "MT", "Central": "CT", "Eastern": "ET"}

_ZONE = (
    r"(?:(?P<{g}name>UTC|GMT)(?P<{g}off>[+-]\d{{1,2}}(?::?\d\d)?)?(?![\w+-])"
    r"|(?P<{g}abbr>"
    + "|".join(sorted((z for z in _ZONES if z != "Z"), key=len, reverse=True))
    + r")\b|(?P<{g}word>Pacific|Mountain|Central|Eastern)\s+(?:(?:Standard|Daylight)\s+)?Time\b)"
)
_CLOCK = (
    r"(?<![\d:.,])(?P<{g}h>\d{{1,2}})(?!\d)(?::(?P<{g}m>[0-5]\d)(?::[0-5]\d)?(?!\d))?"
    r"(?:\s?(?P<{g}ap>[aApP])\.?\s?[mM]\.?(?![A-Za-z]))?(?P<{g}zulu>Z\b)?"
)
_HEDGE = (
    r"(?:(?:at\s+)?(?:around|about|approximately|roughly|circa|nearly|some\s?time\s+(?:after|before)"
    r"|shortly\s+(?:after|before)|just\s+(?:after|before))\s+)"
)


def _clock_zone(group: str) -> str:
    return _CLOCK.format(g=group) + r"(?:\s+" + _ZONE.format(g=group + "z") + ")?"


# Dates come first so "20 March" is not read as the bare number 20.
_TOKENS = re.compile(
    r"(?P<date>(?:(?P<wd>" + "|".join(_WEEKDAYS) + r"),?\s+)?(?:"
    r"(?P<mon1>" + "|".join(MONTHS) + r")\.?\s+(?P<day1>\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
    r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon2>" + "|".join(MONTHS) + r")\b)"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?)"
    r"|(?P<iso>\b(?P<iy>20\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b)"
    r"|(?P<range>(?:from\s+|between\s+)?"
    + _HEDGE
    + "?"
    + _clock_zone("a")
    + r"\s*(?:to|until|till|and|-|\u2013|\u2014)\s*"
    + _clock_zone("b")
    + ")"
    r"|(?P<time>" + _HEDGE + "?" + _clock_zone("t") + ")"
    r"|(?P<weekday>\b(?:" + "|".join(_WEEKDAYS) + r")\b)"
    # Alone (not after a time) only unmistakable zones count: "CT" or "IST" may be acronyms.
    r"|(?P<zone>\b(?:(?P<sname>UTC|GMT)(?P<soff>[+-]\d{1,2}(?::?\d\d)?)?(?![\w+-])"
    r"|(?P<sword>Pacific|Mountain|Central|Eastern)\s+(?:(?:Standard|Daylight)\s+)?Time\b))"
)
#: Cheap test for "could hold a time": most paragraphs fail it and skip the full scan.
_MAYBE_CLOCK = re.compile(r":[0-5]\d|\d\s?[aApP]\.?\s?[mM]")
_SENTENCE_END = re.compile(r"(?<![ap]\.m\.)(?<=[.!?])\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class _Clock:
    hour: int
    minute: int
    ap: str | None
    zone: str | None


@dataclass(frozen=True, slots=True)
class _Context:
    """What a paragraph has stated so far, carried into its later sentences."""

    day: date | None
    zone: str | None


def extract_times(
    text: str, dateline: date | None
) -> tuple[tuple[ReportedTime, ...], tuple[str, ...]]:
    """Every resolvable time in `text`, oldest first, and warnings about ambiguous zones."""
    found: dict[tuple[datetime, str, str], ReportedTime] = {}
    warnings: dict[str, str] = {}
    for paragraph in re.split(r"\n\s*\n|\n(?=\S)", text):
        if not _MAYBE_CLOCK.search(paragraph):
            continue
        context = _Context(day=None, zone=None)
        for sentence in _SENTENCE_END.split(" ".join(paragraph.split())):
            hits, context = _times_in(sentence, dateline, context)
            for hit, zone in hits:
                found.setdefault((hit.at, hit.phrase, hit.sentence), hit)
                if zone in AMBIGUOUS:
                    warnings[zone] = f"time zone {zone} in {hit.phrase!r}: {AMBIGUOUS[zone]}"
    # An article reports what happened; a time well after its dateline is a plan or a
    # misreading (the day allows for zones ahead of UTC).
    latest = dateline + timedelta(days=1) if dateline else None
    kept = [r for r in found.values() if latest is None or r.at.date() <= latest]
    ordered = sorted(kept, key=lambda r: (r.at, r.sentence, r.phrase))
    return tuple(ordered), tuple(warnings.values())


def _times_in(
    sentence: str, dateline: date | None, context: _Context
) -> tuple[list[tuple[ReportedTime, str]], _Context]:
    tokens = list(_TOKENS.finditer(sentence))
    dates = [
        (m.start(), d)
        for m in tokens
        if m["date"] or m["iso"] or m["weekday"]
        for d in [_date_of(m, dateline)]
        if d is not None
    ]
    hits: list[tuple[ReportedTime, str]] = []
    zone = context.zone
    for match in tokens:
        if match["zone"]:
            zone = _zone_key(match, "s")
        elif match["range"] or match["time"]:
            group = _clocks(match)
            zone = next((c.zone for c in reversed(group) if c.zone), zone)
            when = _day_for(match.start(), dates) or context.day or dateline
            if group and zone is not None and when is not None:
                hits.extend((hit, zone) for hit in _resolve(group, when, zone, sentence, match[0]))
    last_day = dates[-1][1] if dates else context.day
    return hits, _Context(day=last_day, zone=zone)


def _clocks(match: re.Match[str]) -> list[_Clock]:
    """The valid clock readings of a time or range token ("5 to 10 minutes" has none)."""
    if not match["range"]:
        single = _clock(match, "t", None)
        return [single] if single else []
    end = _clock(match, "b", None)
    start = _clock(match, "a", end.ap if end else None)
    return [c for c in (start, end) if c is not None]


def _clock(match: re.Match[str], g: str, inherited_ap: str | None) -> _Clock | None:
    hour, minute, ap = int(match[g + "h"]), match[g + "m"], match[g + "ap"]
    ap = ap.lower() if ap else (inherited_ap if minute is None else None)
    if minute is None and ap is None:
        return None  # a bare number is a count, not a time
    if ap:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ap == "p" else 0)
    elif hour > 23:
        return None
    zone = "Z" if match[g + "zulu"] else _zone_key(match, g + "z")
    return _Clock(hour=hour, minute=int(minute or 0), ap=ap, zone=zone)


def _zone_key(match: re.Match[str], g: str) -> str | None:
    if match[g + "word"]:
        return _ZONE_WORDS[match[g + "word"]]
    if match[g + "name"]:
        return "UTC" + (match[g + "off"] or "")
    return match.groupdict().get(g + "abbr")


def _tz(key: str) -> tzinfo:
    if key in _ZONES:
        return _ZONES[key]
    sign, hours, minutes = re.fullmatch(r"UTC([+-])(\d{1,2}):?(\d\d)?", key).groups()  # type: ignore[union-attr]  # keys come from _ZONE
    offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return timezone(-offset if sign == "-" else offset)


def _date_of(match: re.Match[str], dateline: date | None) -> date | None:
    try:
        if match["iso"]:
            return date(int(match["iy"]), int(match["im"]), int(match["id"]))
        if match["weekday"]:
            if dateline is None:
                return None
            back = (dateline.weekday() - _WEEKDAYS.index(match["weekday"])) % 7
            return dateline - timedelta(days=back)
        month = MONTHS[match["mon1"] or match["mon2"]]
        day = int(match["day1"] or match["day2"])
        if match["year"]:
            return date(int(match["year"]), month, day)
        if dateline is None:
            return None
        stated = date(dateline.year, month, day)
        return stated if stated <= dateline else date(dateline.year - 1, month, day)
    except ValueError:
        return None  # "February 30": not a date


def _resolve(
    group: list[_Clock], when: date, zone: str, sentence: str, phrase: str
) -> Iterator[ReportedTime]:
    previous: datetime | None = None
    for clock in group:
        try:  # "UTC+99:99" is no offset, and a year past the known range no time
            local = datetime.combine(when, time(clock.hour, clock.minute), tzinfo=_tz(zone))
            if previous is not None and local < previous:
                local += timedelta(days=1)  # "from 9:45pm to 2:55am": the end is the next day
            at = checked_utc(local)
        except (ValueError, OverflowError):
            return
        previous = local
        yield ReportedTime(at=at, sentence=sentence, phrase=phrase.strip())


def _day_for(position: int, dates: list[tuple[int, date]]) -> date | None:
    before = [when for start, when in dates if start < position]
    if before:
        return before[-1]
    return dates[0][1] if dates else None


def first_full_date(text: str) -> date | None:
    """The first date written with its year ("March 20, 2026", "2026-03-20"), if any."""
    for match in _TOKENS.finditer(text):
        if match["iso"] or (match["date"] and match["year"]):
            found = _date_of(match, None)
            if found is not None:
                return found
    return None
