"""News articles: main text and metadata from a page, then the times its prose states.

trafilatura extracts the body (F1 0.975 on the scrapinghub subset with `favor_precision`)
and htmldate the publication date (42/45 on the htmldate set); both are imported only here,
inside the function, because they are slow to import. A `.txt` snapshot is read as a pasted
article: first line the title, the rest the text.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import urlsplit

from postmortem.collectors.text.prose_times import extract_times, first_full_date
from postmortem.errors import CollectError
from postmortem.model import Article, Collected, Snapshot

MAX_ARTICLE_BYTES = 5 * 2**20
#: How many leading lines of a pasted article may hold its date.
_DATELINE_LINES = 5


def collect(snapshot: Snapshot) -> Collected:
    """Read one article snapshot into an Article and the times its prose states."""
    if len(snapshot.body) > MAX_ARTICLE_BYTES:
        raise CollectError(
            f"{snapshot.url}: article is {len(snapshot.body)} bytes, over the "
            f"{MAX_ARTICLE_BYTES // 2**20} MiB limit; save its text to a .txt file and use path:"
        )
    article = _from_text(snapshot) if is_plain_text(snapshot) else _from_html(snapshot)
    return _with_times(article)


def with_published(collected: Collected, published: date) -> Collected:
    """The article read again as published on `published` (the source entry's date wins)."""
    if collected.article is None or collected.article.published == published:
        return collected
    return _with_times(replace(collected.article, published=published))


def _with_times(article: Article) -> Collected:
    reported, warnings = extract_times(article.text, article.published)
    if article.published is None:
        warnings = (
            f"{article.url}: no publication date found; only times next to a date with its "
            "year were read; give `published:` in the source entry",
            *warnings,
        )
    return Collected(article=article, reported=reported, warnings=warnings)


def is_plain_text(snapshot: Snapshot) -> bool:
    """A `.txt` file or a text/plain response: an article pasted as text."""
    path = urlsplit(snapshot.final_url).path
    return snapshot.content_type == "text/plain" or path.lower().endswith(".txt")


def _from_text(snapshot: Snapshot) -> Article:
    lines = snapshot.body.decode("utf-8", errors="replace").strip().splitlines()
    if not lines or not "".join(lines[1:]).strip():
        raise CollectError(
            f"{snapshot.url}: no article text found; a text article is its title on the "
            "first line, then the text"
        )
    return Article(
        url=snapshot.final_url,
        title=lines[0].strip(),
        site=None,
        author=None,
        published=first_full_date("\n".join(lines[:_DATELINE_LINES])),
        text="\n".join(lines[1:]).strip(),
    )


def _from_html(snapshot: Snapshot) -> Article:
    import trafilatura  # slow to import: only when an article is collected
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(
        # Bytes, never str: trafilatura detects the charset itself, and a str that looks
        # like a URL would be downloaded by trafilatura and htmldate.
        snapshot.body,
        url=snapshot.final_url,
        favor_precision=True,
        include_comments=False,
        with_metadata=True,
    )
    text = (document.text or "").strip() if isinstance(document, Document) else ""
    if not isinstance(document, Document) or not text:
        raise CollectError(f"{snapshot.url}: no article text found (is it an HTML article?)")
    return Article(
        url=snapshot.final_url,
        title=document.title or None,
        site=document.sitename or None,
        author=document.author or None,
        published=_published(snapshot),
        text=text,
    )


def _published(snapshot: Snapshot) -> date | None:
    from htmldate import find_date

    # htmldate rejects dates after max_date, which defaults to the clock; a fixed bound
    # keeps the result the same on every run.
    latest = snapshot.fetched_at.date() if snapshot.fetched_at else date(2099, 12, 31)
    found = find_date(
        snapshot.body,
        extensive_search=False,
        original_date=True,
        max_date=latest.isoformat(),
    )
    return date.fromisoformat(found) if found else None
