"""Scoring helpers for the article accuracy tests (not a test module itself).

Body text is scored the way the scrapinghub Article Extraction Benchmark scores it:
each document becomes a set of 4-token shingles over lower-cased word tokens; precision
and recall are computed per document, averaged over the documents, and F1 is the
harmonic mean of those two averages (not the mean of per-document F1s).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable

SHINGLE = 4


def shingles(text: str) -> set[tuple[str, ...]]:
    """The 4-token shingles of `text`; a text shorter than 4 tokens is one shingle."""
    tokens = re.findall(r"\w+", text.lower())
    return (
        {tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))}
        if tokens
        else set()
    )


def precision_recall(predicted: str, expected: str) -> tuple[float, float]:
    """Shingle precision and recall of one document; two empty texts agree fully."""
    got, want = shingles(predicted), shingles(expected)
    if not got and not want:
        return 1.0, 1.0
    common = len(got & want)
    return (common / len(got) if got else 0.0), (common / len(want) if want else 0.0)


def shingle_f1(pairs: Iterable[tuple[str, str]]) -> tuple[float, float, float]:
    """Mean precision, mean recall and the F1 of those means over (predicted, expected)."""
    scores = [precision_recall(predicted, expected) for predicted, expected in pairs]
    precision = statistics.mean(p for p, _ in scores)
    recall = statistics.mean(r for _, r in scores)
    return precision, recall, 2 * precision * recall / (precision + recall)


def same_title(got: str | None, want: str) -> bool:
    """Titles agree when one contains the other after whitespace and case folding."""
    if not got:
        return False
    a, b = (" ".join(t.split()).casefold() for t in (got, want))
    return a in b or b in a
