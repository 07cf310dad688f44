"""Every bound on input a stranger controls, in one place; README's "Limits" lists each.

A value past a limit is refused with an error naming the limit (or, for rows in a report,
cut with a note saying so), never left to exhaust memory or time.
"""

from __future__ import annotations

from datetime import UTC, datetime

MiB = 2**20

#: An incident or project file (YAML); real ones are a few KB.
MAX_INCIDENT_FILE_BYTES = 2 * MiB
#: Nesting of YAML mappings and lists in an incident file.
MAX_YAML_DEPTH = 32
#: Entries in an incident file's own `timeline:`.
MAX_OWN_TIMELINE = 2000
#: Sources in one incident file.
MAX_SOURCES = 100
#: One source's body, fetched or read from disk (after HTTP decompression).
MAX_SOURCE_BYTES = 5 * MiB
#: What a gzipped file (a dump, a snapshot) may unpack to.
MAX_UNZIPPED_BYTES = 64 * MiB
#: Entries (RSS items, Atom entries) in one feed; status feeds carry 25 to a few hundred.
MAX_FEED_ENTRIES = 5000
#: Nesting of JSON objects and arrays in a source or dump.
MAX_JSON_DEPTH = 64
#: Values (objects, lists, strings, numbers) in one JSON payload.
MAX_JSON_VALUES = 1_000_000
#: Updates one source may contribute to one report; the earliest are kept.
MAX_UPDATES_PER_SOURCE = 1000
#: Rows of the timeline shown in Markdown, HTML and PDF (JSON keeps every row).
MAX_TIMELINE_ROWS = 300
#: Sentences of one drafted section shown (JSON keeps every one).
MAX_DRAFT_SENTENCES = 40
#: Rows of any other table in a report (sources, action items, metrics).
MAX_TABLE_ROWS = 200
#: Seconds for fetching every URL source of one build together, however many there are.
SOURCES_DEADLINE_SECONDS = 60.0
#: Seconds one template may run.
TEMPLATE_SECONDS = 10.0
#: Characters one template may produce, and the largest string or list it may build.
TEMPLATE_OUTPUT_CHARS = 20 * MiB
#: Items all `range()` calls of one template run may produce together.
TEMPLATE_RANGE_ITEMS = 1_000_000
#: Years a time may have anywhere: files, feeds, articles, review periods.
FIRST_YEAR, LAST_YEAR = 1970, 2999


class OutOfRange(ValueError):
    """A time outside FIRST_YEAR..LAST_YEAR."""


def checked_utc(moment: datetime) -> datetime:
    """`moment` as aware UTC (naive is read as UTC); OutOfRange outside the known years.

    The year is checked before converting, so no offset can push a time past what
    `datetime` holds (an OverflowError otherwise, near years 1 and 9999).
    """
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise OutOfRange(f"year {moment.year} is outside {FIRST_YEAR}-{LAST_YEAR}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
