"""Deterministic first drafts of empty sections, every sentence cited.

No language model: each rule is a keyword test on what a source said, and a drafted
sentence either states a time or component change the source gave, or quotes the source.
Sentences from news that hedge ("may have", "potential") are marked as speculation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from postmortem.display import duration, local_and_utc
from postmortem.model import Sentence, VendorIncident
from postmortem.report.evidence import Evidence, vendor_incidents
from postmortem.report.windows import component_windows

QUOTE_LIMIT = 320
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'\u201c])")
_CAUSE = re.compile(
    r"\b(caused by|due to|root cause|because|triggered|result of|stemm\w* from|traced to"
    r"|traced|the cause|was identified|we identified|have identified|failure of|misconfigur\w*"
    r"|to blame|blamed|culprit|responsible for)\b",
    re.IGNORECASE,
)
_FIX = re.compile(
    r"\b(fix\w*|mitigat\w*|roll\w*(?: \w+)? ?back|revert\w*|restor\w*|deploy\w*|scal\w* up"
    r"|added capacity|recover\w*|failover|failed over|patch\w*|reconfigur\w*)\b",
    re.IGNORECASE,
)
_WORKAROUND = re.compile(
    r"\b(workaround|work around|fallback|fall back|switch\w* to|alternative|manual\w*)\b",
    re.IGNORECASE,
)
_SCOPE = re.compile(
    r"\b(global\w*|worldwide|all regions|across (?:the )?(?:world|regions)|North America|Europe"
    r"|Asia|web interface|the API|mobile app)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(may have|might have|could have|may be|might be|potential\w*|possibl\w*|speculat\w*"
    r"|reportedly|likely|perhaps|unclear|suspect\w*|believed)\b",
    re.IGNORECASE,
)
# A remediation statement says what was done: "may still fail until…" is a forecast.
_MODAL = re.compile(r"\b(may|might|could|would)\b", re.IGNORECASE)
# "has not published a root cause" names no cause: such sentences are left out.
_NO_CAUSE = re.compile(
    r"\b(?:not|no|yet to)\b[^.]{0,30}\b(?:publish|disclos|confirm|share|given|announc)\w*"
    r"[^.]{0,20}\b(?:cause|reason)",
    re.IGNORECASE,
)
# Words that make a hedged news sentence a guess about the cause.
_CAUSE_WORD = re.compile(
    r"\b(change|bug|overload\w*|attack|ddos|failure|update|deploy\w*|rollout|capacity)\b",
    re.IGNORECASE,
)
_STATES = {
    "degraded_performance": "degraded performance",
    "partial_outage": "a partial outage",
    "major_outage": "a major outage",
    "full_outage": "a full outage",
    "under_maintenance": "maintenance",
}


def sentences(text: str) -> list[str]:
    """Split prose into sentences (good enough for status updates and news copy).

    Line breaks end a sentence too: extracted articles put headings on lines of their own.
    """
    found = []
    for line in text.splitlines():
        found += [s.strip() for s in _SPLIT.split(" ".join(line.split())) if s.strip()]
    return found


def _quote(text: str) -> str:
    text = (
        text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rsplit(" ", 1)[0] + "\u2026"
    )
    return f"\u201c{text}\u201d"


def _unique(found: Iterable[Sentence]) -> tuple[Sentence, ...]:
    seen: set[str] = set()
    kept = []
    for sentence in found:
        if sentence.text not in seen:
            seen.add(sentence.text)
            kept.append(sentence)
    return tuple(kept)


def draft_summary(evidence: Evidence, zone: str) -> tuple[Sentence, ...]:
    """What the vendor reported, when, for how long, and what it touched."""
    found: list[Sentence] = []
    for numbers, vendor in vendor_incidents(evidence):
        found.extend(_vendor_summary(numbers, vendor, zone))
    for number, article in evidence.articles:
        reported = sorted((e for e in evidence.events if e.source == number), key=lambda e: e.at)
        if reported:
            title = article.title or article.site or article.url
            found.append(
                Sentence(
                    f"News coverage ({title}) puts the first reports at about "
                    f"{local_and_utc(reported[0].at, zone)}.",
                    (number,),
                )
            )
    return _unique(found)


def _vendor_summary(cite: tuple[int, ...], vendor: VendorIncident, zone: str) -> Iterator[Sentence]:
    affected = f", affecting {', '.join(vendor.components)}" if vendor.components else ""
    yield Sentence(f"The vendor posted \u201c{vendor.title}\u201d{affected}.", cite)
    if vendor.started_at is not None and vendor.resolved_at is not None:
        yield Sentence(
            f"It began at {local_and_utc(vendor.started_at, zone)} and was resolved at "
            f"{local_and_utc(vendor.resolved_at, zone)}, "
            f"{duration(vendor.resolved_at - vendor.started_at)} later.",
            cite,
        )
    elif vendor.started_at is not None:
        yield Sentence(
            f"It began at {local_and_utc(vendor.started_at, zone)} and was still open "
            "when last collected.",
            cite,
        )


def draft_impact(evidence: Evidence, zone: str) -> tuple[Sentence, ...]:
    """Component windows, the vendor's impact rating and scope statements from the news."""
    found = []
    for numbers, vendor in vendor_incidents(evidence):
        # components with the same window and state make one sentence, not one each
        spans: dict[tuple[datetime, datetime | None, str], list[str]] = {}
        for window in component_windows(vendor):
            key = (window.start, window.end, _STATES.get(window.state or "", "an impact"))
            spans.setdefault(key, []).append(window.component or window.label)
        for (start, stop, state), names in spans.items():
            end = f"to {local_and_utc(stop, zone)}" if stop else "and was still affected"
            verb = "had" if len(names) == 1 else "each had"
            found.append(
                Sentence(
                    f"{', '.join(names)} {verb} {state} from {local_and_utc(start, zone)} {end}.",
                    numbers,
                )
            )
    for numbers, vendor in vendor_incidents(evidence):
        if vendor.impact and vendor.impact != "none":
            found.append(Sentence(f"The vendor rated the impact as {vendor.impact}.", numbers))
    for number, article in evidence.articles:
        for line in sentences(article.text):
            if _SCOPE.search(line):
                found.append(Sentence(f"News coverage reported: {_quote(line)}", (number,)))
    return _unique(found)


def draft_root_cause(evidence: Evidence) -> tuple[Sentence, ...]:
    """The vendor's own cause statements first, then the news, hedges marked as such."""
    statuses = {"identified", "resolved", "postmortem", "update", "monitoring"}
    found = _vendor_lines(evidence, "The vendor stated", statuses, _CAUSE.search)
    found += _news(evidence, _CAUSE)
    return _unique(found)


def draft_remediation(evidence: Evidence) -> tuple[Sentence, ...]:
    """What the vendor says restored service, and workarounds users reported."""
    statuses = {"identified", "monitoring", "resolved", "postmortem"}
    found = _vendor_lines(
        evidence,
        "The vendor reported",
        statuses,
        lambda line: bool(_FIX.search(line) and not _MODAL.search(line)),
    )
    for number, article in evidence.articles:
        for line in sentences(article.text):
            if _WORKAROUND.search(line):
                found.append(
                    Sentence(f"A workaround reported in the news: {_quote(line)}", (number,))
                )
    return _unique(found)


def _vendor_lines(
    evidence: Evidence, label: str, statuses: set[str], keep: Callable[[str], object]
) -> list[Sentence]:
    """Quoted sentences of vendor updates with one of `statuses` that `keep` accepts."""
    return [
        Sentence(f"{label}: {_quote(line)}", numbers)
        for numbers, vendor in vendor_incidents(evidence)
        for update in vendor.updates
        if update.status in statuses
        for line in sentences(update.text)
        if keep(line)
    ]


def _news(evidence: Evidence, pattern: re.Pattern[str]) -> list[Sentence]:
    found = []
    for number, article in evidence.articles:
        for line in sentences(article.text):
            guess = _HEDGE.search(line) and _CAUSE_WORD.search(line)
            if (pattern.search(line) or guess) and not _NO_CAUSE.search(line):
                label = (
                    "News coverage speculated" if _HEDGE.search(line) else "News coverage reported"
                )
                found.append(Sentence(f"{label}: {_quote(line)}", (number,)))
    return found
