"""One role for every sentence a vendor or a news article wrote.

Roles: cause, preliminary cause (`hedged_cause`), mitigation (what restored service),
prevention (what will change), impact, status (progress with no content) and other.
The classifier is a fixed, ordered set of wording cues (`postmortem.report.cues`) plus the
heading a line sits under; it runs offline, well under a millisecond per sentence, with no model.
When a sentence mixes roles the more informative wins, in the order above, except that a
sentence about the future is never what restored service.
`make eval` scores it against hand labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal

from postmortem.report import cues

Role = Literal["cause", "hedged_cause", "mitigation", "prevention", "impact", "status", "other"]
ROLES: tuple[Role, ...] = (
    "cause",
    "hedged_cause",
    "mitigation",
    "prevention",
    "impact",
    "status",
    "other",
)

# After . ! ? and whitespace, before a capital or quote: a new sentence, unless the dot
# ends an abbreviation or a single initial.
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'\u201c(])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|vs|U\.S|a\.m|p\.m|Inc|Ltd|No|approx|St|Dr|Mr|Ms)|\b[A-Z]|^\d+)\.$"
)
_BULLET = re.compile(r"^(?:[-\u2022*]\s+|\d+[.)]\s*(?=[A-Za-z]))")
_LINE_BULLET = re.compile(r"\s+(?=(?:[\u2022*]\s|\d+\)\s?)[A-Z])")


def split_sentences(text: str) -> list[str]:
    """Sentences of prose: each line is a unit, bullets start units, then split at . ! ?"""
    found: list[str] = []
    for line in text.splitlines():
        for unit in _LINE_BULLET.split(" ".join(line.split())):
            found += _split_unit(unit)
    return [s for s in found if s]


def _split_unit(unit: str) -> list[str]:
    parts: list[str] = []
    for piece in _SPLIT.split(unit):
        if parts and _ABBREVIATION.search(parts[-1]):
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece.strip())
    return parts


def strip_bullet(sentence: str) -> str:
    """The sentence without its leading bullet or step number ("2. ", "- ", "* ")."""
    return _BULLET.sub("", sentence).strip()


def is_heading(line: str) -> bool:
    """A title line, not a sentence: "Root Cause", "Customer Impact:", "INCIDENT REPORT"."""
    words = line.split()
    if not words or len(words) > 8 or line.rstrip()[-1:] in ".!?" or _BULLET.match(line):
        return False
    if line.endswith(":"):
        return True
    if cues.LABEL.match(line) or re.search(r"\d", line):
        return False
    capitals = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitals >= max(1, len(words) - 2)


def sentence_roles(text: str) -> Iterator[tuple[str, Role]]:
    """Each sentence of a vendor update or article with its role; headings are skipped.

    A heading sets the context of the lines under it; a sentence ending in ":" sets the
    context of the bullets that follow it.
    """
    heading: str | None = None
    lead: Role | None = None
    for sentence in split_sentences(text):
        if is_heading(sentence):
            heading, lead = sentence, None
            continue
        bullet = bool(_BULLET.match(sentence))
        role = classify(sentence, heading, lead if bullet else None)
        if sentence.endswith(":"):
            lead = role
        elif not bullet:
            lead = None
        yield sentence, role


@lru_cache(maxsize=8192)
def classify(sentence: str, heading: str | None = None, lead: Role | None = None) -> Role:
    """The role of one sentence, given its heading and, for a bullet, its lead-in's role.

    Pure, so cached: vendors repeat lines across updates and every draft reads them again.
    """
    text = strip_bullet(sentence)
    labelled = cues.LABEL.match(text)
    if labelled:
        role = _labelled(labelled.group(1).strip().lower(), labelled.group(2))
        if role == "impact":
            # "Incident End: …, mitigated by pausing upgrades": a stated cause or fix outranks
            within = _by_cues(labelled.group(2), None)
            return within if within in ("cause", "hedged_cause", "mitigation") else role
        if role is not None:
            return role
        text = labelled.group(2)
    return _by_cues(text, lead or _heading_role(heading), bullet=lead is not None)


def _labelled(name: str, rest: str) -> Role | None:
    if name in (
        "workaround",
        "workarounds",
        "customer action required",
        "action",
        "action required",
    ):
        return "status" if cues.STATUS.search(f"{name}: {rest}") else "mitigation"
    if re.match(
        r"(?:incident |first |second )?(?:start|end|duration|impact)|regions?|affected", name
    ):
        return "impact"
    if "root cause" in name:
        return "hedged_cause" if "suspect" in name or cues.HEDGE.search(rest) else "cause"
    return None


def _heading_role(heading: str | None) -> Role | None:
    if heading is None:
        return None
    for pattern, role in cues.HEADING_ROLES:
        if pattern.search(heading):
            return role
    return None


def _by_cues(text: str, under: Role | None, *, bullet: bool = False) -> Role:
    future = bool(cues.FUTURE.search(text))
    if cues.OTHER.search(text) and not cues.PREVENTION.search(text):
        return "other"
    if bullet and under in ("prevention", "mitigation") and cues.ACTION_BULLET.match(text):
        return "prevention"
    if cues.GENERIC_FIX.search(text):
        return "status"
    forecast = bool(cues.FORECAST.search(text))
    mitigation = bool(cues.MITIGATION.search(text)) and not future and not forecast
    mitigation = mitigation or bool(cues.WORKAROUND.search(text))
    mitigation = mitigation and not cues.AFFECTED_SUBJECT.search(text)
    named = cues.MECHANISM.search(text) and not cues.ACTOR.search(text)
    stated = (cues.CAUSE.search(text) or named) and not cues.NO_CAUSE.search(text) and not future
    stated = stated and not forecast
    if stated and not (mitigation and cues.BACK_REFERENCE.search(text)):
        return "hedged_cause" if cues.HEDGE.search(text) else "cause"
    if mitigation:
        return "mitigation"
    if cues.PREVENTION.search(text):
        return "prevention"
    if under in ("mitigation", "prevention", "impact") and (bullet or not cues.STATUS.search(text)):
        return under
    if under == "cause" and (cues.CAUSE.search(text) or cues.MECHANISM.search(text)):
        return "cause"
    if cues.LINK.search(text):
        return "other"
    if cues.STATUS.search(text):
        return "status"
    if cues.IMPACT.search(text):
        return "impact"
    return "other"
