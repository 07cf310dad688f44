"""JSON status payloads from strangers: bounded loading and defensive reading of fields.

A payload is parsed once, then checked for depth and size so a hostile page (ten thousand
nested lists, a million-element array) ends in one CollectError rather than a traceback
or minutes of work. Collectors read fields through `objects`, `text` and `utc_time`, and
build each incident through `each`, so one bad entry is skipped with a warning while the
rest of the source is still read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from postmortem.errors import CollectError
from postmortem.model import Snapshot

#: Nesting no status payload needs (Better Stack, the deepest, uses about 8 levels).
MAX_DEPTH = 64
#: Values (objects, lists, strings, numbers) in one payload.
MAX_VALUES = 1_000_000
#: What a malformed field raises while an entry is read.
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError)

T = TypeVar("T")
R = TypeVar("R")


def load_json(snapshot: Snapshot, what: str) -> Any:
    """The parsed payload (UTF-8, or UTF-16/32 with or without a BOM), within the limits."""
    try:
        data = json.loads(snapshot.body)
    except RecursionError:
        raise CollectError(f"{snapshot.url}: {what} nests deeper than {MAX_DEPTH} levels") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CollectError(f"{snapshot.url}: not {what} (invalid JSON: {exc})") from None
    _check_shape(data, snapshot.url, what)
    return data


def _check_shape(data: Any, url: str, what: str) -> None:
    # iterative, so the check itself cannot exhaust the stack
    pending: list[tuple[Any, int]] = [(data, 1)]
    count = 0
    while pending:
        value, depth = pending.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise CollectError(f"{url}: {what} nests deeper than {MAX_DEPTH} levels")
        if count > MAX_VALUES:
            raise CollectError(f"{url}: {what} holds more than {MAX_VALUES} values; refused")
        if isinstance(value, dict):
            pending.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            pending.extend((v, depth + 1) for v in value)


@contextmanager
def malformed(snapshot: Snapshot, what: str) -> Iterator[None]:
    """Turn a field of the wrong type or shape into one CollectError naming the source."""
    try:
        yield
    except MALFORMED as exc:
        raise CollectError(f"{snapshot.url}: malformed {what}: {_reason(exc)}") from None


def each(
    items: Iterable[T], build: Callable[[T], R], url: str, what: str
) -> tuple[list[R], list[str]]:
    """`build(item)` for every item; a failing item is skipped with a warning naming it.

    When every item fails the source itself is unreadable: CollectError with the first reason.
    """
    built: list[R] = []
    reasons: list[str] = []
    for number, item in enumerate(items, 1):
        try:
            built.append(build(item))
        except MALFORMED as exc:
            reasons.append(f"{what} #{number} skipped: {_reason(exc)}")
    if reasons and not built:
        raise CollectError(f"{url}: no readable {what} ({reasons[0].split(': ', 1)[1]})")
    warnings = [f"{url}: {reason}" for reason in reasons]
    return built, warnings


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
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    if not isinstance(value, str):
        raise ValueError(f"{field} {value!r} is not a date")
    if value.strip().isdigit():
        return datetime.fromtimestamp(int(value), tz=UTC)
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{field} {value!r} is not an ISO 8601 date") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


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
