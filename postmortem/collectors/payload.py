"""JSON status payloads from strangers: bounded loading and defensive reading of fields.

A payload is parsed once, then checked for depth and size so a hostile page (ten thousand
nested lists, a million-element array) ends in one CollectError rather than a traceback
or minutes of work. Collectors read fields through `objects`, `text`, `ident` and `utc_time`,
and build each incident through `postmortem.collectors.entries.read_entries` (or
`read_sections` for payloads with several lists), so one bad entry is skipped with a
warning while the rest of the source is still read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

from postmortem.errors import CollectError
from postmortem.limits import MAX_JSON_DEPTH, MAX_JSON_VALUES, checked_utc
from postmortem.model import Snapshot

# Nesting no status payload needs (Better Stack, the deepest, uses about 8 levels).
MAX_DEPTH = MAX_JSON_DEPTH
MAX_VALUES = MAX_JSON_VALUES
#: What a malformed field raises while an entry is read.
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError)

K = TypeVar("K")
R = TypeVar("R")


def load_json(snapshot: Snapshot, what: str) -> Any:
    """The parsed payload (UTF-8, or UTF-16/32 with or without a BOM), within the limits."""
    try:
        return parse_json(snapshot.body, snapshot.url, what)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        raise CollectError(f"{snapshot.url}: not {what} (invalid JSON: {exc})") from None


def parse_json(data: str | bytes, where: str, what: str) -> Any:
    """`json.loads` within MAX_JSON_DEPTH and MAX_JSON_VALUES (CollectError past them).

    Invalid JSON stays a ValueError, so a caller can try another reading (JSON lines).
    """
    # pydantic's Rust parser (pydantic-core, installed with pydantic) reads a dump's lines
    # about 1.5x faster than json. Whatever it refuses goes to json, which has the last
    # word: a BOM, UTF-16, a lone surrogate, nesting past its limit are json's to accept
    # or refuse, with json's messages. What both accept, they read the same (tested).
    from pydantic_core import from_json

    try:
        try:
            parsed = from_json(data, cache_strings="keys")
        except ValueError:
            parsed = json.loads(data)
    except RecursionError:
        raise CollectError(f"{where}: {what} nests deeper than {MAX_DEPTH} levels") from None
    if _could_exceed(data):
        _check_shape(parsed, where, what)
    return parsed


def _could_exceed(data: str | bytes) -> bool:
    """False when `data` is too short or has too few brackets to break a limit.

    Every value takes at least one character and every level of nesting an opening
    bracket, in any encoding, so most payloads (a dump's line of a few KiB) skip the walk
    over their values, which costs more than parsing them.
    """
    if isinstance(data, bytes):
        opening = data.count(b"[") + data.count(b"{")
    else:
        opening = data.count("[") + data.count("{")
    return len(data) > MAX_VALUES or opening >= MAX_DEPTH


def _check_shape(data: Any, url: str, what: str) -> None:
    # Iterative, so the check itself cannot exhaust the stack. Only containers are visited
    # and the values of each are counted at once: a large flat list is one step, not one
    # per value. A container at depth d holds values at depth d + 1.
    if not isinstance(data, dict | list):
        return
    pending: list[tuple[Any, int]] = [(data, 1)]
    count = 1
    while pending:
        value, depth = pending.pop()
        items = value.values() if isinstance(value, dict) else value
        if depth > MAX_DEPTH or (items and depth == MAX_DEPTH):
            raise CollectError(f"{url}: {what} nests deeper than {MAX_DEPTH} levels")
        count += len(items)
        if count > MAX_VALUES:
            raise CollectError(f"{url}: {what} holds more than {MAX_VALUES} values; refused")
        pending.extend((v, depth + 1) for v in items if isinstance(v, dict | list))


@contextmanager
def malformed(snapshot: Snapshot, what: str) -> Iterator[None]:
    """Turn a field of the wrong type or shape into one CollectError naming the source."""
    try:
        yield
    except MALFORMED as exc:
        raise CollectError(f"{snapshot.url}: malformed {what}: {_reason(exc)}") from None


def read_sections(
    url: str,
    sections: Iterable[tuple[K, str, list[dict[str, Any]]]],
    read: Callable[[dict[str, Any], K], R],
) -> tuple[list[R], tuple[str, ...]]:
    """`read_entries` over the lists of one payload (incidents, maintenances…), in order.

    Each section is `(key, noun, entries)`: `read(entry, key)` builds one record and the
    noun names a skipped entry ("Heroku maintenance #2 skipped: …").
    """
    from postmortem.collectors.entries import read_entries

    records: list[R] = []
    warnings: list[str] = []
    for key, noun, entries in sections:
        found, skipped = read_entries(
            entries, partial(_read_as, read, key), url=url, noun=noun, shape="an object"
        )
        records += found
        warnings += skipped
    return records, tuple(warnings)


def _read_as(read: Callable[[dict[str, Any], K], R], key: K, entry: dict[str, Any]) -> R:
    return read(entry, key)


def objects(container: Any, key: str) -> list[dict[str, Any]]:
    """The JSON objects listed under `key`; missing means none, any other type is an error."""
    if not isinstance(container, dict):
        raise TypeError(f"expected an object around `{key}`, not {type(container).__name__}")
    value = container.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"`{key}` should be a list, not {type(value).__name__}")
    return [item for item in value if isinstance(item, dict)]


def text(value: Any) -> str:
    """A string field as text; numbers are written out, null and containers are empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def ident(item: dict[str, Any], key: str = "id") -> str:
    """An entry's id (string or number); ValueError when missing or of another type."""
    code = text(item.get(key)).strip()
    if not code:
        raise ValueError(f"an entry has no `{key}` (got {item.get(key)!r})"[:120])
    return code


def utc_time(value: Any, *, field: str = "time") -> datetime | None:
    """An ISO 8601 string or epoch seconds (number or digits) as aware UTC; None when empty.

    A time without an offset is read as UTC. Anything else unreadable raises ValueError.
    """
    if value is None or value == "":
        return None
    # checked_utc: a year outside FIRST_YEAR..LAST_YEAR is a ValueError, never an overflow
    if isinstance(value, int | float) and not isinstance(value, bool):
        return checked_utc(datetime.fromtimestamp(value, tz=UTC))
    if not isinstance(value, str):
        raise ValueError(f"{field} {value!r} is not a date")
    if value.strip().isdigit():
        return checked_utc(datetime.fromtimestamp(int(value), tz=UTC))
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{field} {value!r} is not an ISO 8601 date") from None
    return checked_utc(parsed)


def has_offset(value: Any) -> bool:
    """True when an ISO time string states its zone (Z or an offset)."""
    if not isinstance(value, str):
        return True
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return True


def _reason(exc: BaseException) -> str:
    # KeyError's str() is the bare quoted key; say what it means
    reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
    return " ".join(reason.split())[:200] or type(exc).__name__
