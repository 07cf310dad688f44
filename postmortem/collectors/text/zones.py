"""Time-zone abbreviations as status pages print them ("PDT", "CET"), mapped to offsets.

Abbreviations are ambiguous in general; this table holds the reading a status page almost
always means, and `AMBIGUOUS` names the ones worth a warning. A known IANA page zone
(Statuspage JSON `page.time_zone`) always beats the table.
"""

from __future__ import annotations

from datetime import UTC, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_HOURS: dict[str, float] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "WET": 0,
    "WEST": 1,
    "BST": 1,
    "IST": 5.5,
    "CET": 1,
    "CEST": 2,
    "MET": 1,
    "MEST": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "GST": 4,
    "PKT": 5,
    "ICT": 7,
    "WIB": 7,
    "SGT": 8,
    "HKT": 8,
    "AWST": 8,
    "JST": 9,
    "KST": 9,
    "ACST": 9.5,
    "ACDT": 10.5,
    "AEST": 10,
    "AEDT": 11,
    "NZST": 12,
    "NZDT": 13,
    "HST": -10,
    "AKST": -9,
    "AKDT": -8,
    "PST": -8,
    "PDT": -7,
    "MST": -7,
    "MDT": -6,
    "CST": -6,
    "CDT": -5,
    "EST": -5,
    "EDT": -4,
    "AST": -4,
    "ADT": -3,
    "NST": -3.5,
    "NDT": -2.5,
    "BRT": -3,
    "ART": -3,
}

#: Abbreviations with more than one common meaning, and the other meanings.
AMBIGUOUS: dict[str, str] = {
    "IST": "India +05:30 assumed; Irish Summer Time is +01:00, Israel +02:00",
    "CST": "US Central -06:00 assumed; China Standard Time is +08:00",
    "BST": "British Summer +01:00 assumed; Bangladesh is +06:00",
    "AST": "Atlantic -04:00 assumed; Arabia Standard Time is +03:00",
    "GST": "Gulf +04:00 assumed",
}


def zone_for_abbreviation(abbreviation: str) -> tzinfo | None:
    """The fixed offset an abbreviation stands for, or None when it is unknown."""
    hours = _HOURS.get(abbreviation.upper())
    if hours is None:
        return None
    return UTC if hours == 0 else timezone(timedelta(hours=hours), abbreviation.upper())


def page_zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone named by a status page, or None when absent or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
