"""Reading a feed's entries one by one: an unreadable entry is skipped with a warning."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from postmortem.errors import CollectError

T = TypeVar("T")


def read_entries(
    entries: Sequence[Any],
    read: Callable[[dict[str, Any]], T],
    *,
    url: str,
    noun: str,
    shape: str,
    required: tuple[str, ...] = (),
) -> tuple[list[T], tuple[str, ...]]:
    """`read` each entry that is a JSON object with the `required` keys.

    An entry that is not (`shape` describes what it should be) or that `read` cannot read
    becomes a warning naming its number; when entries exist but none is readable, that is
    an error for the whole source.
    """
    items, warnings = [], []
    for number, entry in enumerate(entries, 1):
        try:
            if not isinstance(entry, dict) or any(key not in entry for key in required):
                raise TypeError(f"not {shape}")
            items.append(read(entry))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError) as exc:
            warnings.append(f"{url}: {noun} #{number} skipped: {exc}")
    if entries and not items:
        raise CollectError(f"{url}: no readable {noun} ({warnings[0]})")
    return items, tuple(warnings)
