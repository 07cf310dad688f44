"""Month names as sources write them: in full, in three letters, and "Sept"."""

from __future__ import annotations

_NAMES = (
    ("January", "Jan"),
    ("February", "Feb"),
    ("March", "Mar"),
    ("April", "Apr"),
    ("May",),
    ("June", "Jun"),
    ("July", "Jul"),
    ("August", "Aug"),
    ("September", "Sept", "Sep"),
    ("October", "Oct"),
    ("November", "Nov"),
    ("December", "Dec"),
)

#: Every written form, capitalised as in prose, to its number (1-12).
MONTHS: dict[str, int] = {
    name: number for number, names in enumerate(_NAMES, start=1) for name in names
}
_BY_PREFIX = {names[0][:3].lower(): number for number, names in enumerate(_NAMES, start=1)}


def month_number(word: str) -> int | None:
    """1-12 for a month name in any case or length ("mar", "March", "SEPT"), else None."""
    return _BY_PREFIX.get(word[:3].lower()) if len(word) >= 3 else None
