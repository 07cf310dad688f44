"""Deterministic first drafts of empty sections, every sentence cited.

No language model: every vendor and news sentence gets one role from
`postmortem.report.roles`, and a drafted sentence either states a time or component change
a source gave, or quotes the source under a lead-in that says whose view it is. Causes go
to Root cause (preliminary ones marked as the vendor's preliminary view), what restored
service and what will change to Remediation, and status lines nowhere. News keeps its
attribution: hedged sentences are marked as speculation, a cause not disclosed is said so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from postmortem.model import Sentence, VendorIncident
from postmortem.report import cues
from postmortem.report.display import duration, local_and_utc
from postmortem.report.evidence import Evidence
from postmortem.report.quotes import news_roles, quote, vendor_roles
from postmortem.report.stated import stated_windows
from postmortem.report.windows import component_windows

_SCOPE = re.compile(
    r"\b(global\w*|worldwide|all regions|across (?:the )?(?:world|regions)|North America|Europe"
    r"|Asia|web interface|the API|mobile app)\b",
    re.IGNORECASE,
)
# A sentence worth quoting reads as prose: a few words, not a "Duration: …" label line
# or a bulleted product name (the component windows already list those).
_PROSE = re.compile(
    r"^(?!(?:incident |first |second )?(?:start|end|duration|regions?|affected)\S*[^:]{0,20}:)"
    r"(?:\S+\s+){5,}",
    re.IGNORECASE,
)
#: At most this many of the vendor's own impact sentences are quoted in Impact.
IMPACT_QUOTES = 5
_STATES = {
    "degraded_performance": "degraded performance",
    "partial_outage": "a partial outage",
    "major_outage": "a major outage",
    "full_outage": "a full outage",
    "under_maintenance": "maintenance",
}


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
    for numbers, vendor in evidence.vendors:
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
    for numbers, vendor in evidence.vendors:
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
    for numbers, vendor in evidence.vendors:
        if vendor.impact and vendor.impact != "none":
            found.append(Sentence(f"The vendor rated the impact as {vendor.impact}.", numbers))
    stated = list(stated_windows(evidence))
    found += [
        Sentence(
            f"The vendor states the impact lasted from {local_and_utc(w.start, zone)} to "
            f"{local_and_utc(w.end, zone)} ({duration(w.end - w.start)}): {quote(w.sentence)}",
            w.citations,
        )
        for w in stated
    ]
    found += _vendor_impact(evidence, {w.sentence for w in stated})
    found += [
        Sentence(f"News coverage reported: {quote(q.text)}", q.citations)
        for q in news_roles(evidence)
        if q.role == "impact" and _SCOPE.search(q.text)
    ]
    return _unique(found)


def _vendor_impact(evidence: Evidence, used: set[str]) -> list[Sentence]:
    """The vendor's own impact statements, final ones (resolved, postmortem) first."""
    said = [
        q
        for q in vendor_roles(evidence)
        if q.role == "impact" and q.text not in used and _PROSE.match(q.text) and _plain(q.text)
    ]
    final = [q for q in said if q.update and q.update.status in ("resolved", "postmortem")]
    return [
        Sentence(f"The vendor described the impact: {quote(q.text)}", q.citations)
        for q in (final or said)[:IMPACT_QUOTES]
    ]


def draft_root_cause(evidence: Evidence) -> tuple[Sentence, ...]:
    """The vendor's causes, preliminary ones marked, then what the news said of the cause."""
    found = []
    for q in vendor_roles(evidence):
        if q.role == "cause":
            found.append(Sentence(f"The vendor stated: {quote(q.text)}", q.citations))
        elif q.role == "hedged_cause":
            found.append(Sentence(f"The vendor's preliminary view: {quote(q.text)}", q.citations))
    for q in news_roles(evidence):
        if q.undisclosed:
            found.append(
                Sentence(
                    f"News coverage said the cause was not disclosed: {quote(q.text)}", q.citations
                )
            )
        elif q.role in ("cause", "hedged_cause"):
            label = "speculated" if q.hedged or q.role == "hedged_cause" else "reported"
            found.append(Sentence(f"News coverage {label}: {quote(q.text)}", q.citations))
    return _unique(found)


def draft_remediation(evidence: Evidence) -> tuple[Sentence, ...]:
    """What restored service first, then what the vendor will change; news last."""
    said = list(vendor_roles(evidence))
    found = [
        Sentence(f"{_vendor_fix(q.text)}: {quote(q.text)}", q.citations)
        for q in said
        if q.role == "mitigation"
    ]
    found += [
        Sentence(f"The vendor said it will change: {quote(q.text)}", q.citations)
        for q in said
        if q.role == "prevention"
    ]
    found += [
        Sentence(f"{_news_fix(q.text)}: {quote(q.text)}", q.citations)
        for q in news_roles(evidence)
        if q.role == "mitigation" and not q.undisclosed
    ]
    return _unique(found)


def _news_fix(text: str) -> str:
    """How a news sentence about a fix is introduced: a workaround, or what restored service."""
    if "workaround" in text.lower() or "work around" in text.lower():
        return "A workaround reported in the news"
    return "News coverage reported what restored service"


def _vendor_fix(text: str) -> str:
    """How a vendor mitigation is introduced: a workaround for users, or what restored service."""
    if text.lower().startswith(("workaround", "as a workaround")):
        return "The vendor gave a workaround"
    return "The vendor reported what restored service"


def _plain(text: str) -> bool:
    """An impact sentence quoted on its own names a symptom itself and says nothing of progress."""
    return bool(cues.IMPACT.search(text)) and not cues.STATUS.search(text)
