"""feedparser behind our own guards: bytes we fetched, entities refused, bozo as a warning."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from postmortem.collectors.fetch.entities import reject_entities
from postmortem.errors import CollectError
from postmortem.limits import MAX_FEED_ENTRIES


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """feedparser's feed-level data, its entries, and what was wrong with the document."""

    feed: Any
    entries: list[Any]
    warnings: tuple[str, ...]
    version: str = ""  #: "rss20", "atom10"…; empty when the document is no known feed


def parse_feed(body: bytes, *, content_type: str = "", location: str = "") -> ParsedFeed:
    """Parse RSS or Atom bytes; CollectError when nothing readable is left."""
    import feedparser

    where = location or "feed"
    try:
        reject_entities(body, content_type)
    except CollectError as exc:
        raise CollectError(f"{where}: {exc}") from None
    # feedparser needs about half a millisecond per entry: count before it starts
    markup = body.replace(b"\x00", b"")  # UTF-16/32 markup is ASCII with NULs in between
    entries = markup.count(b"<item") + markup.count(b"<entry")
    if entries > MAX_FEED_ENTRIES:
        raise CollectError(
            f"{where}: {entries} entries; a feed may have at most {MAX_FEED_ENTRIES}"
        )
    # Lower-case header names: feedparser ignores `Content-Location` spelled otherwise.
    headers = {"content-type": content_type or "application/xml"}
    if location.startswith(("http://", "https://")):
        headers["content-location"] = location
    # Always a file object: feedparser treats a str or bytes argument as a URL or path.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    warnings = []
    if parsed.bozo and not isinstance(parsed.bozo_exception, feedparser.CharacterEncodingOverride):
        if not parsed.entries:
            raise CollectError(f"{where}: not a readable feed: {parsed.bozo_exception}")
        warnings.append(
            f"{where}: feed is not well-formed ({parsed.bozo_exception}); kept what parsed"
        )
    version = str(parsed.get("version") or "")
    return ParsedFeed(parsed.feed, list(parsed.entries), tuple(warnings), version)
