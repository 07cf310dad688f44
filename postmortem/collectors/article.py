"""News articles: main text, title, site, author and date, then the times the prose states.

trafilatura extracts the body (the best measured open-source extractor) and htmldate the
publication date; both are imported only when an article is collected. Plain-text
snapshots (a pasted article) are accepted too: first line the title, the rest the body.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from postmortem.collectors.prose_times import reported_times
from postmortem.errors import CollectError
from postmortem.model import Article, Collected, Snapshot

MAX_BYTES = 5 * 2**20
_FULL_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+(\d{1,2}),\s+(\d{4})\b"
)
_MONTH_NUMBERS = {name: n for n, name in enumerate(calendar.month_name) if name}


def collect(snapshot: Snapshot) -> Collected:
    """An Article and the times its prose states, anchored on its publication date."""
    if len(snapshot.body) > MAX_BYTES:
        raise CollectError(f"{snapshot.url}: article larger than 5 MiB; refused")
    if _is_plain_text(snapshot):
        article = _plain_article(snapshot)
    else:
        article = _html_article(snapshot)
    found, warnings = reported_times(article.text, article.published)
    if article.published is None:
        warnings += ("no publication date found: times in the text cannot be placed",)
    return Collected(article=article, reported=found, warnings=tuple(warnings))


def _is_plain_text(snapshot: Snapshot) -> bool:
    if snapshot.content_type.startswith("text/plain"):
        return True
    head = snapshot.body[:2048].lstrip().lower()
    return not head.startswith((b"<", b"\xef\xbb\xbf<")) and b"<html" not in head


def _plain_article(snapshot: Snapshot) -> Article:
    if b"\x00" in snapshot.body[:4096]:
        raise CollectError(f"{snapshot.url}: binary data, not an article")
    text = snapshot.body.decode("utf-8", errors="replace").replace("\r\n", "\n")
    title, _, body = text.strip().partition("\n")
    if not body.strip():
        raise CollectError(f"{snapshot.url}: no article text found")
    return Article(
        url=snapshot.final_url,
        title=title.strip() or None,
        site=None,
        author=None,
        published=first_full_date(body[:2000]),
        text=body.strip(),
    )


def first_full_date(text: str) -> date | None:
    """The first "March 20, 2026"-style date in `text`, if any."""
    for month, day, year in _FULL_DATE.findall(text):
        try:
            return date(int(year), _MONTH_NUMBERS[month], int(day))
        except ValueError:
            continue
    return None


def _html_article(snapshot: Snapshot) -> Article:
    try:
        import trafilatura
        from htmldate import find_date
    except ImportError as exc:  # pragma: no cover - both are dependencies
        raise CollectError(f"article extraction needs trafilatura: {exc}") from None
    document = trafilatura.bare_extraction(
        snapshot.body,
        url=snapshot.final_url if snapshot.final_url.startswith("http") else None,
        favor_precision=True,
        include_comments=False,
        with_metadata=True,
    )
    text = (getattr(document, "text", None) or "").strip() if document else ""
    if not text:
        raise CollectError(f"{snapshot.url}: no article text found")
    return Article(
        url=snapshot.final_url,
        title=getattr(document, "title", None) or None,
        site=getattr(document, "sitename", None) or None,
        author=getattr(document, "author", None) or None,
        published=_published(snapshot.body, find_date, getattr(document, "date", None)),
        text=text,
    )


def _published(body: bytes, find_date: object, fallback: str | None) -> date | None:
    found = None
    try:
        found = find_date(body, extensive_search=False, original_date=True)  # type: ignore[operator]
    except (ValueError, TypeError):
        found = None
    for candidate in (found, fallback):
        if candidate:
            try:
                return date.fromisoformat(str(candidate)[:10])
            except ValueError:
                continue
    return None
