"""The merged timeline: one row per fact, milestones, windows and metrics. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from postmortem.model import (
    MILESTONE_ORDER,
    Event,
    Metric,
    Milestone,
    MilestoneName,
    TimelineRow,
    VendorIncident,
    Window,
)
from postmortem.report.windows import component_windows, state_spells
from postmortem.spec.incident import Incident

#: Two sources reporting the same update rarely agree to the second (feeds round to the
#: minute); within this tolerance the same words make one row, whatever status word each
#: source gives (an Atom feed says "Update" where the JSON says "investigating").
SAME_FACT = timedelta(seconds=60)
#: Texts this alike (after Markdown links became their labels) are the same statement.
SAME_WORDS = 0.9


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _same_fact(row: TimelineRow, event: Event) -> bool:
    if row.origin == "author" or event.origin == "author" or row.origin != event.origin:
        return False
    if abs(row.at - event.at) > SAME_FACT:
        return False
    a, b = _words(row.text), _words(event.text)
    if a == b or (min(len(a), len(b)) >= 20 and (a in b or b in a)):
        return True
    from difflib import SequenceMatcher

    return min(len(a), len(b)) >= 20 and SequenceMatcher(None, a, b).ratio() >= SAME_WORDS


def _joined(row: TimelineRow, event: Event) -> TimelineRow:
    """The row citing one more source; a specific status word wins over a generic "update"."""
    cited = row.citations if event.source in row.citations else (*row.citations, event.source)
    joined = replace(row, citations=tuple(n for n in cited if n is not None))
    if row.status == "update" and event.status != "update":
        joined = replace(joined, status=event.status, raw_status=event.raw_status)
    return joined


def _collapse_repeats(rows: list[TimelineRow]) -> list[TimelineRow]:
    """A vendor text posted again later (Google repeats its report per sibling) stays one
    row, with the count and the last time shown."""
    first: dict[str, int] = {}
    kept: list[TimelineRow] = []
    for row in rows:
        words = _words(row.text)
        index = first.get(words) if row.origin == "vendor" and words else None
        if index is None or row.star or row.milestone:
            if row.origin == "vendor" and words:
                first.setdefault(words, len(kept))
            kept.append(row)
            continue
        seen = kept[index]
        cited = tuple(dict.fromkeys((*seen.citations, *row.citations)))
        kept[index] = replace(seen, citations=cited, repeats=seen.repeats + 1, last_at=row.at)
    return kept


def merge_events(events: Sequence[Event], incident: Incident) -> tuple[TimelineRow, ...]:
    """Sort by time; the same fact from several sources becomes one row citing all of them."""
    stars = {(e.at, e.text) for e in incident.timeline if e.star}
    marks = {(e.at, e.text): e.milestone for e in incident.timeline if e.milestone}
    rows: list[TimelineRow] = []
    for event in sorted(events, key=lambda e: (e.at, e.origin != "author", e.source or 0)):
        twin = next((r for r in reversed(rows[-8:]) if _same_fact(r, event)), None)
        if twin is not None and event.source is not None:
            rows[rows.index(twin)] = _joined(twin, event)
            continue
        key = (event.at, event.text)
        rows.append(
            TimelineRow(
                at=event.at,
                text=event.text,
                status=event.status,
                raw_status=event.raw_status,
                origin=event.origin,
                citations=() if event.source is None else (event.source,),
                star=key in stars,
                milestone=marks.get(key),
                approximate=event.approximate,
                components=event.components,
            )
        )
    return curate(tuple(_collapse_repeats(rows)), incident)


def curate(rows: tuple[TimelineRow, ...], incident: Incident) -> tuple[TimelineRow, ...]:
    """Apply the file's `curate:` rules: star rows, or hide them from the report."""
    kept = []
    for row in rows:
        text = row.text.casefold()
        rules = [rule for rule in incident.curate if rule.match.casefold() in text]
        if any(rule.hide for rule in rules):
            continue
        kept.append(replace(row, star=True) if any(r.star for r in rules) else row)
    return tuple(kept)


def author_events(incident: Incident) -> list[Event]:
    """The hand-written timeline entries as events."""
    return [
        Event(at=e.at, text=e.text, status="note", raw_status="", origin="author", source=None)
        for e in incident.timeline
    ]


@dataclass(frozen=True, slots=True)
class _Candidate:
    name: MilestoneName
    at: datetime
    basis: str


def derive_milestones(
    incident: Incident,
    vendors: Sequence[tuple[int, VendorIncident]],
    events: Sequence[Event],
) -> tuple[Milestone, ...]:
    """The author's milestones, completed from the evidence where the author gave none.

    A derived milestone that would run backwards against the others is left out rather
    than guessed at.
    """
    given = dict(incident.milestones.items())
    found: dict[MilestoneName, Milestone] = {
        name: Milestone(name, at, "author", "incident file") for name, at in given.items()
    }
    for candidate in _candidates(vendors, events):
        if candidate.name in found:
            continue
        trial = {**{k: v.at for k, v in found.items()}, candidate.name: candidate.at}
        ordered = [trial[n] for n in MILESTONE_ORDER if n in trial]
        if ordered == sorted(ordered):
            found[candidate.name] = Milestone(
                candidate.name, candidate.at, "derived", candidate.basis
            )
    return tuple(found[n] for n in MILESTONE_ORDER if n in found)


def _candidates(
    vendors: Sequence[tuple[int, VendorIncident]], events: Sequence[Event]
) -> list[_Candidate]:
    found: list[_Candidate] = []
    updates = sorted(
        ((u, n) for n, vendor in vendors for u in vendor.updates), key=lambda pair: pair[0].at
    )
    reports = sorted((e for e in events if e.origin == "article"), key=lambda e: e.at)
    earliest = sorted(
        [(u.at, f"derived from the first vendor update [{n}]") for u, n in updates[:1]]
        + [(e.at, f"derived from the earliest reported time [{e.source}]") for e in reports[:1]]
        # a vendor's own start (Google's `begin`) can precede its first update
        + [
            (v.started_at, f"derived from the vendor's start time [{n}]")
            for n, v in vendors
            if v.started_at is not None and not v.scheduled
        ]
    )
    if earliest:
        found.append(_Candidate("started", *earliest[0]))
        found.append(_Candidate("detected", *earliest[0]))
    if updates:
        first, number = updates[0]
        found.append(
            _Candidate("acknowledged", first.at, f"derived from the first vendor update [{number}]")
        )
    steps: tuple[tuple[MilestoneName, str], ...] = (
        ("identified", "identified"),
        ("mitigated", "monitoring"),
    )
    for name, status in steps:
        hit = next(((u, n) for u, n in updates if u.status == status), None)
        if hit:
            word = hit[0].raw_status or status
            found.append(
                _Candidate(
                    name,
                    hit[0].at,
                    f"derived from the first \u201c{word}\u201d update [{hit[1]}]",
                )
            )
    resolved = [(v.resolved_at, n) for n, v in vendors if v.resolved_at is not None]
    if resolved and all(not v.ongoing for _, v in vendors):
        at, number = max(resolved)
        found.append(_Candidate("resolved", at, f"derived from the vendor's resolution [{number}]"))
    return found


def windows_of(
    milestones: Sequence[Milestone],
    incident: Incident,
    vendors: Sequence[tuple[int, VendorIncident]],
) -> tuple[Window | None, Window | None, tuple[Window, ...]]:
    """The incident window, the customer-impact window and per-component windows."""
    at = {m.name: m.at for m in milestones}
    incident_window = (
        Window("incident", at["started"], at.get("resolved")) if "started" in at else None
    )
    impact = incident.impact
    impact_window = Window("customer impact", impact.start, impact.end) if impact.start else None
    components = tuple(
        sorted(
            (w for _, vendor in vendors for w in component_windows(vendor)),
            key=lambda w: (w.start, w.component or ""),
        )
    )
    return incident_window, impact_window, components


#: (key, label, from, to): each metric is `to - from`, known only when both exist.
METRICS: tuple[tuple[str, str, MilestoneName, MilestoneName], ...] = (
    ("duration", "Duration", "started", "resolved"),
    ("ttd", "Time to detect (TTD)", "started", "detected"),
    ("tta", "Time to acknowledge (TTA)", "detected", "acknowledged"),
    ("ttm", "Time to mitigate (TTM)", "started", "mitigated"),
    ("ttr", "Time to resolve (TTR)", "detected", "resolved"),
)


def metrics_of(milestones: Sequence[Milestone]) -> tuple[Metric, ...]:
    """Durations between milestones; "not known" (None) when either end is missing."""
    at = {m.name: m.at for m in milestones}
    return tuple(
        Metric(
            key,
            label,
            f"{end} - {start}",
            at[end] - at[start] if start in at and end in at else None,
        )
        for key, label, start, end in METRICS
    )


_STATE_WORDS = {
    "full_outage": "full outage",
    "major_outage": "major outage",
    "partial_outage": "partial outage",
    "degraded_performance": "degraded performance",
}


def state_metrics(vendors: Sequence[tuple[int, VendorIncident]]) -> tuple[Metric, ...]:
    """Time at each component state the vendor reported, any component counting once."""
    spells = [w for _, vendor in vendors for w in state_spells(vendor) if w.state and w.end]
    found = []
    for state, words in _STATE_WORDS.items():
        spans = sorted((w.start, w.end) for w in spells if w.state == state and w.end)
        total, reach = timedelta(0), None
        for start, end in spans:
            if reach is None or start > reach:
                total += end - start
                reach = end
            elif end > reach:
                total += end - reach
                reach = end
        if total:
            found.append(
                Metric(
                    f"time_{state}", f"Time at {words}", "union of component state spells", total
                )
            )
    return tuple(found)
