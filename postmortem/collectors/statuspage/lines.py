"""The update lines inside a Statuspage feed entry, read into dated updates.

Each update is one paragraph, newest first:
`<p><small>Oct <var>6</var>, <var>02:59</var> UTC</small><br><strong>Resolved</strong> - text</p>`.
The stamp has no year and is written in the page's own zone as an abbreviation. The year
comes from the entry's dates (every update precedes the entry's newest date, so a December
stamp in a January entry belongs to the year before); the zone comes from the page's IANA
zone when the caller knows it, else from the abbreviation table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from postmortem.collectors.statuspage.words import normalise_status
from postmortem.collectors.text.html import element_text, parse_fragment
from postmortem.collectors.text.months import month_number
from postmortem.collectors.text.zones import AMBIGUOUS, page_zone, zone_for_abbreviation
from postmortem.limits import checked_utc
from postmortem.model import Update

_STAMP = re.compile(
    r"^(?P<month>[A-Za-z]{3})[A-Za-z]*\.?\s+(?P<day>\d{1,2})(?:\s*,?\s+(?P<year>\d{4}))?\s*,?\s*-?\s*"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
    r"\s*(?P<zone>[A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?$"
)
_SCHEDULED = "THIS IS A SCHEDULED EVENT"
_SEPARATORS = "-\u2013\u2014 "  # hyphen, en and em dash between status word and text
# Every update precedes the entry's newest date; the slack covers edits and zone edges.
_SLACK = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class EntryContent:
    """The updates found in one entry (oldest first), and whether it is a maintenance."""

    updates: tuple[Update, ...]
    scheduled: bool
    warnings: tuple[str, ...]


@dataclass(slots=True)
class _Draft:
    at: datetime
    word: str
    parts: list[str] = field(default_factory=list)


def read_entry_content(
    html: str, *, anchor: datetime, zone_name: str | None = None
) -> EntryContent:
    """Dated updates from an entry's content HTML; `anchor` is the entry's newest date.

    `zone_name` is the page's IANA zone (Statuspage JSON `page.time_zone`) when known; it
    beats the abbreviation printed in each stamp.
    """
    known_zone = page_zone(zone_name)
    drafts: list[_Draft] = []
    warnings: list[str] = []
    scheduled = False
    for paragraph in parse_fragment(html).iter("p"):
        strong = paragraph.find(".//strong")
        small = paragraph.find(".//small")
        if strong is not None and element_text(strong).upper().startswith(_SCHEDULED):
            scheduled = True
            continue
        match = _STAMP.match(" ".join(element_text(small).split())) if small is not None else None
        at = _stamp_time(match, anchor, known_zone, warnings) if match else None
        if at is None:
            if drafts:  # a body paragraph of its own belongs to the update above it
                drafts[-1].parts.append(element_text(paragraph))
            continue
        word = element_text(strong) if strong is not None else ""
        body = element_text(paragraph, skip=(small, strong))
        drafts.append(_Draft(at, word, [body.lstrip(_SEPARATORS)]))
    updates = sorted((_update(draft) for draft in reversed(drafts)), key=lambda u: u.at)
    return EntryContent(tuple(updates), scheduled, tuple(dict.fromkeys(warnings)))


def _update(draft: _Draft) -> Update:
    return Update(
        at=draft.at,
        status=normalise_status(draft.word),
        raw_status=draft.word,
        text="\n\n".join(part for part in draft.parts if part),
    )


def _stamp_time(
    match: re.Match[str], anchor: datetime, known_zone: tzinfo | None, warnings: list[str]
) -> datetime | None:
    month = month_number(match["month"])
    if month is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    if match["ampm"]:
        hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
    try:
        zone = known_zone or _abbreviation_zone(match["zone"], warnings)
    except ValueError:  # an offset past ±23:59
        warnings.append(f"update time offset {match['zone']} is not a UTC offset; skipped")
        return None
    years = (
        (int(match["year"]),) if match["year"] else (anchor.year + 1, anchor.year, anchor.year - 1)
    )
    for year in years:
        try:
            at = checked_utc(datetime(year, month, int(match["day"]), hour, minute, tzinfo=zone))
        except ValueError:  # no such day or hour, or a year out of range
            continue
        if match["year"] or at <= anchor + _SLACK:
            return at
    return None


def _abbreviation_zone(abbreviation: str | None, warnings: list[str]) -> tzinfo:
    if abbreviation is None:
        warnings.append("update times carry no time zone; read as UTC")
        return UTC
    if abbreviation[0] in "+-":
        digits = abbreviation.replace(":", "")
        offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
        return timezone(-offset if digits[0] == "-" else offset)
    zone = zone_for_abbreviation(abbreviation)
    if zone is None:
        warnings.append(f"unknown time-zone abbreviation {abbreviation!r}; its times read as UTC")
        return UTC
    if abbreviation.upper() in AMBIGUOUS:
        warnings.append(f"time-zone abbreviation {abbreviation}: {AMBIGUOUS[abbreviation.upper()]}")
    return zone
