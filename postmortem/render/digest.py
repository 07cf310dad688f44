"""Key facts first, evidence after: the timeline rows a reader needs, and an appendix.

The body's timeline keeps status changes, starred rows, the author's own entries and
milestone rows, each cut to a line or two. Every text not shown in full there goes to a
numbered evidence appendix, once: rows with the same text share one entry, and a long line
already given in an earlier entry is referred to rather than repeated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from postmortem.model import Report, TimelineRow, Window

#: about two lines of the timeline's event column on A4
SHORT = 150
#: lines at least this long are given once in the appendix, then referred to
REPEAT_MIN = 40


@dataclass(frozen=True, slots=True)
class KeyRow:
    """A timeline row as the body shows it; `entry` names the appendix entry, if any."""

    row: TimelineRow
    text: str
    entry: int | None


@dataclass(frozen=True, slots=True)
class Entry:
    """One evidence appendix entry: the full text and every row that carried it."""

    number: int
    rows: tuple[TimelineRow, ...]
    text: str  #: the full text but for lines given in the `repeats` entries already
    repeats: tuple[int, ...] = ()  #: earlier entries holding lines left out here

    @property
    def citations(self) -> tuple[int, ...]:
        """Every source cited by any of the rows, once, in order."""
        return tuple(sorted({n for row in self.rows for n in row.citations}))


@dataclass(frozen=True, slots=True)
class Digest:
    """The body's key rows and the appendix entries."""

    rows: tuple[KeyRow, ...]
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class ComponentGroup:
    """Components that share one window: the same start, end and state."""

    names: tuple[str, ...]
    window: Window


def is_key(row: TimelineRow, previous: str | None) -> bool:
    """Starred, the author's, a milestone, or a change of the vendor's status word."""
    status = row.raw_status.lower()
    return bool(row.star or row.origin == "author" or row.milestone or status != previous)


def shorten(text: str, limit: int = SHORT) -> str:
    """The text on one line, cut at a word boundary with "…" when longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


def key_facts(report: Report) -> Digest:
    """Split the timeline into key rows for the body and full texts for the appendix."""
    last_status: dict[int | None, str] = {}
    shown: list[tuple[TimelineRow, bool]] = []
    for row in report.timeline:
        source = row.citations[0] if row.citations else None
        key = is_key(row, last_status.get(source))
        last_status[source] = row.raw_status.lower()
        shown.append((row, key))
    entries, entry_of = _entries(
        [row for row, key in shown if not key or shorten(row.text) != " ".join(row.text.split())]
    )
    rows = tuple(KeyRow(row, shorten(row.text), entry_of.get(id(row))) for row, key in shown if key)
    return Digest(rows, entries)


def _entries(rows: Sequence[TimelineRow]) -> tuple[tuple[Entry, ...], dict[int, int]]:
    """Group rows by text; lines already given in an earlier entry are not repeated."""
    by_text: dict[str, list[TimelineRow]] = {}
    for row in rows:
        by_text.setdefault(_normal(row.text), []).append(row)
    entries: list[Entry] = []
    entry_of: dict[int, int] = {}
    seen: dict[str, int] = {}
    for number, group in enumerate(by_text.values(), start=1):
        kept: list[str] = []
        repeats: set[int] = set()
        for line in group[0].text.strip().splitlines():
            flat = _normal(line)
            if len(flat) >= REPEAT_MIN and flat in seen:
                repeats.add(seen[flat])
                continue
            seen.setdefault(flat, number)
            kept.append(line)
        text = re.sub(r"\n\s*\n(\s*\n)+", "\n\n", "\n".join(kept)).strip()
        entries.append(Entry(number, tuple(group), text, tuple(sorted(repeats))))
        entry_of.update((id(row), number) for row in group)
    return tuple(entries), entry_of


def _normal(text: str) -> str:
    return " ".join(text.split())


def component_groups(windows: Sequence[Window]) -> tuple[ComponentGroup, ...]:
    """Component windows with identical start, end and state collapsed into one group."""
    groups: dict[tuple[object, ...], list[Window]] = {}
    for w in windows:
        groups.setdefault((w.start, w.end, w.state), []).append(w)
    return tuple(
        ComponentGroup(tuple(w.component or w.label for w in group), group[0])
        for group in groups.values()
    )
