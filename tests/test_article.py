"""Article collection: the sample page, hostile pages, and accuracy on the real corpus."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from postmortem.collectors.article import collect
from postmortem.collectors.fetch import read_file
from postmortem.errors import CollectError
from postmortem.model import Snapshot

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "evidence" / "acme-article.html"


def snap(body: bytes, content_type: str = "text/html") -> Snapshot:
    return Snapshot("page", "page", body, content_type, None, "0" * 64)


def test_sample_article_metadata_text_and_times() -> None:
    collected = collect(read_file(SAMPLE))
    article = collected.article
    assert article is not None
    assert article.title == "Acme Cloud outage knocks out AI helpers across Europe (fictional)"
    assert (article.site, article.author, article.published) == (
        "The Example Ledger (fictional)",
        "Morgan Vale",
        date(2026, 3, 20),
    )
    assert [(r.at, r.phrase) for r in collected.reported] == [
        (datetime(2026, 3, 20, 3, 5, tzinfo=UTC), "around 3:05 AM UTC"),
        (datetime(2026, 3, 20, 6, 20, tzinfo=UTC), "by 7:20 AM CET"),
    ]
    for hostile in ("<", "file://", "169.254.169.254", "javascript:", "window.tracking"):
        assert hostile not in article.text


def test_plain_text_article(tmp_path: Path) -> None:
    path = tmp_path / "pasted.txt"
    path.write_text(
        "Widget API down for hours\nOn Friday, March 20, 2026, the widget API failed.\n"
        "Engineers first saw errors at 02:40 UTC and restored service at 05:10 UTC.\n",
        encoding="utf-8",
    )
    collected = collect(read_file(path))
    assert collected.article is not None
    assert collected.article.title == "Widget API down for hours"
    assert collected.article.published == date(2026, 3, 20)
    assert [r.at.hour for r in collected.reported] == [2, 5]


def test_empty_and_oversized_pages_are_refused() -> None:
    with pytest.raises(CollectError, match="no article text found"):
        collect(snap(b"<html><head><title>t</title></head><body></body></html>"))
    with pytest.raises(CollectError, match="larger than 5 MiB"):
        collect(snap(b"<html>" + b"x" * (5 * 2**20)))


def test_garbage_bytes_do_not_crash() -> None:
    with pytest.raises(CollectError, match="binary data, not an article"):
        collect(snap(bytes(range(256)) * 50, "text/plain"))
    for body in (bytes(range(256)) * 50, b"<html>\xff\xfe<p>" * 100, b"<<<>>>" * 1000):
        try:
            collected = collect(snap(body))
        except CollectError:
            continue
        assert collected.article is not None and "<" not in (collected.article.title or "")


def test_seed_article_gives_the_first_report_time(corpus: Path) -> None:
    seed = corpus.parent / "seeds" / "claude-outage-article-2026-03-20.txt"
    if not seed.is_file():
        pytest.skip(f"seed article not found at {seed}")
    collected = collect(read_file(seed))
    assert collected.article is not None
    assert collected.article.published == date(2026, 3, 20)
    assert [r.at for r in collected.reported] == [datetime(2026, 3, 20, 3, 0, tzinfo=UTC)]


# --- accuracy on the corpus, measured as upstream measures it --------------------------------


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """Token 4-gram shingles, as the article-extraction-benchmark scores bodies."""
    tokens = re.findall(r"\w+", text.lower())
    return Counter(tuple(tokens[i : i + size]) for i in range(max(len(tokens) - size + 1, 1)))


def precision_recall(expected: str, actual: str) -> tuple[float, float]:
    truth, found = shingles(expected), shingles(actual)
    overlap = sum((truth & found).values())
    precision = overlap / sum(found.values()) if found else 0.0
    recall = overlap / sum(truth.values()) if truth else 1.0
    return precision, recall


def test_body_text_f1_on_the_scrapinghub_subset(corpus: Path) -> None:
    root = corpus / "articles" / "scrapinghub-aeb"
    truth = json.loads((root / "ground-truth-subset.json").read_text(encoding="utf-8"))
    precisions, recalls = [], []
    for key, item in sorted(truth.items()):
        body = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        try:
            text = collect(Snapshot(item["url"], item["url"], body, "text/html", None, key)).article
            actual = text.text if text else ""
        except CollectError:
            actual = ""
        p, r = precision_recall(item["articleBody"], actual)
        precisions.append(p)
        recalls.append(r)
    precision, recall = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    f1 = 2 * precision * recall / (precision + recall)
    assert len(truth) == 43
    assert f1 >= 0.90, f"F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f})"


def test_publication_day_on_the_htmldate_set(corpus: Path) -> None:
    root = corpus / "articles" / "htmldate-eval"
    expected = json.loads((root / "expected-dates.json").read_text(encoding="utf-8"))
    right = 0
    for url, item in expected.items():
        body = (root / "html" / item["file"]).read_bytes()
        try:
            article = collect(Snapshot(url, url, body, "text/html", None, "x")).article
            found = article.published if article else None
        except CollectError:
            found = None
        right += (found.isoformat() if found else None) == item["date"]
    assert len(expected) == 45
    assert right / len(expected) >= 0.85, f"{right}/{len(expected)} days right"
