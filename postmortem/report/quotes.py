"""Every vendor and news sentence once, with its role and exactly the sources that contain it.

A merged vendor incident cites every source that carried it, but one sentence may exist
in only some of them (an Atom feed keeps a postmortem paragraph the JSON lacks): a quote
cites only the sources whose own copy of the incident holds that sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from postmortem.model import Update
from postmortem.report.evidence import Evidence
from postmortem.report.roles import Role, sentence_roles, split_sentences, strip_bullet

QUOTE_LIMIT = 320
# "did not disclose the cause": the news states that the cause is not known.
_NOT_DISCLOSED = re.compile(
    r"\b(?:not|no|yet to|declined to|without)\b[^.]{0,40}\b(?:disclos|publish|confirm|share|"
    r"given|announc|explain|specif|detail)\w*[^.]{0,40}\b(?:cause[sd]?|reason|why)\b",
    re.IGNORECASE,
)
_PROSE_END = re.compile("[.!?][\"'\u201d)]?$")
# Words that make a hedged news sentence a guess about the cause.
_HEDGE = re.compile(
    r"\b(may have|might have|could have|may be|might be|potential\w*|possibl\w*|speculat\w*"
    r"|reportedly|likely|perhaps|unclear|suspect\w*|believed)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Quoted:
    """One sentence a source wrote, its role, the sources holding it and its update."""

    text: str
    role: Role
    citations: tuple[int, ...]
    update: Update | None = None  #: None for news
    hedged: bool = False  #: news wording that guesses ("may have", "reportedly")
    undisclosed: bool = False  #: news saying the cause was not disclosed


def key(text: str) -> str:
    """A sentence reduced to lower-case letters and digits: the same words, the same key."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def quote(text: str) -> str:
    """The text in curly quotes, shortened at a word boundary past QUOTE_LIMIT."""
    if len(text) > QUOTE_LIMIT:
        text = text[: QUOTE_LIMIT - 1].rsplit(" ", 1)[0] + "\u2026"
    return f"\u201c{text}\u201d"


def vendor_roles(evidence: Evidence) -> Iterator[Quoted]:
    """Each distinct sentence of every vendor incident, oldest update first.

    Sentences are read from every source's own copy of the incident, not only from the
    merged record: when two sources disagree on one update's words (the Atom feed holds
    the postmortem the JSON lacks), no statement is lost.
    """
    holding: dict[int, set[str]] = {}
    copies: dict[str, list[tuple[int, Update]]] = {}
    for number, found in evidence.incidents:
        keys = holding.setdefault(number, set())
        for update in found.updates:
            keys.update(key(sentence) for sentence in split_sentences(update.text))
            copies.setdefault(found.id, []).append((number, update))
    seen: set[str] = set()
    for numbers, vendor in evidence.vendors:
        said = sorted(copies.get(vendor.id, ()), key=lambda c: (c[1].at, c[0]))
        for _, update in said or [(0, u) for u in vendor.updates]:
            for sentence, role in sentence_roles(update.text):
                k = key(sentence)
                if not k or k in seen:
                    continue
                seen.add(k)
                cites = tuple(n for n in numbers if k in holding.get(n, ())) or numbers
                yield Quoted(strip_bullet(sentence), role, cites, update)


def news_roles(evidence: Evidence) -> Iterator[Quoted]:
    """Each distinct sentence of every article, with hedges and non-disclosure noted."""
    seen: set[str] = set()
    for number, article in evidence.articles:
        for sentence, role in sentence_roles(article.text):
            k = key(sentence)
            if not k or k in seen or not _PROSE_END.search(sentence):
                continue  # a line that does not end like a sentence is a headline or caption
            seen.add(k)
            yield Quoted(
                strip_bullet(sentence),
                role,
                (number,),
                hedged=bool(_HEDGE.search(sentence)),
                undisclosed=bool(_NOT_DISCLOSED.search(sentence)),
            )
