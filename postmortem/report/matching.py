"""Which vendor incidents of a source belong to the user's incident.

A source that names its incident (`incident:`) gets exactly that one. Otherwise a candidate
is taken only when it fits: its window overlaps the incident's, it began not long before
the incident's first time, and it did not last far longer (a five-week Cloud SQL incident
that happens to overlap a two-hour networking outage is another outage). Candidates that
overlap but do not fit are left out and listed, so the user can name one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from postmortem.model import VendorIncident
from postmortem.spec.incident import Incident, SourceSpec

#: How far around the incident's own times a vendor incident may start or end and still
#: be taken as the same outage, when the file does not name the vendor incident.
MARGIN = timedelta(hours=12)
#: How much longer than the incident's own span a fitting vendor incident may last,
#: and how long before its first time it may have begun.
SLACK = timedelta(hours=24)
#: A fitting vendor incident lasts at most this many times the incident's own span (+SLACK).
LENGTH_FACTOR = 3


def author_span(incident: Incident) -> tuple[datetime, datetime] | None:
    """The first and last time the author gave; None without any."""
    times = [at for _, at in incident.milestones.items()]
    times += [t for t in (incident.impact.start, incident.impact.end) if t is not None]
    times += [entry.at for entry in incident.timeline]
    return (min(times), max(times)) if times else None


def select_incidents(
    found: Sequence[VendorIncident], spec: SourceSpec, span: tuple[datetime, datetime] | None
) -> tuple[tuple[VendorIncident, ...], tuple[VendorIncident, ...]]:
    """The vendor incidents a source contributes, and those that overlap but do not fit."""
    if spec.incident:
        wanted = spec.incident.rstrip("/").rsplit("/", 1)[-1]
        named = (i for i in found if wanted in (i.id, *i.aliases, _last_part(i.url)))
        return tuple(named), ()
    picked: list[VendorIncident] = []
    doubtful: list[VendorIncident] = []
    for candidate in found:
        if candidate.scheduled or candidate.started_at is None:
            continue  # maintenances are never outages unless named explicitly
        if spec.match and not _matches(candidate, spec):
            continue
        if span is None:
            if spec.match is not None:
                picked.append(candidate)  # chosen by the user's filter alone
            continue  # nothing to choose by: taking every incident would be a guess
        if not candidate.overlaps(span[0] - MARGIN, span[1] + MARGIN):
            continue
        (picked if fits(candidate, span) else doubtful).append(candidate)
    return tuple(picked), tuple(doubtful)


def fits(candidate: VendorIncident, span: tuple[datetime, datetime]) -> bool:
    """Whether an overlapping candidate is comparable to the incident in start and length."""
    start = candidate.started_at
    if start is None:
        return False
    end = candidate.resolved_at or (candidate.updates[-1].at if candidate.updates else start)
    longest = (span[1] - span[0]) * LENGTH_FACTOR + SLACK
    return start >= span[0] - SLACK and end - start <= longest


def doubtful_warning(left_out: Sequence[VendorIncident]) -> str:
    """One line listing the candidates left out, with ids, windows and titles."""
    listed = "; ".join(describe(i) for i in left_out)
    return (
        f"left out {len(left_out)} vendor incident(s) that overlap this incident but do not "
        f"fit its times: {listed}; name one with `incident:` to use it"
    )


def describe(candidate: VendorIncident) -> str:
    """`id (start → end) “title”` for warnings and flags."""
    start = f"{candidate.started_at:%Y-%m-%d %H:%M}" if candidate.started_at else "?"
    end = f"{candidate.resolved_at:%Y-%m-%d %H:%M}" if candidate.resolved_at else "open"
    return f"{candidate.id} ({start} \u2192 {end} UTC) \u201c{candidate.title}\u201d"


def _last_part(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def _matches(candidate: VendorIncident, spec: SourceSpec) -> bool:
    match = spec.match
    if match is None:
        return True
    if match.title and match.title.casefold() not in candidate.title.casefold():
        return False
    wanted = {c.casefold() for c in match.components}
    return not wanted or bool(wanted & {c.casefold() for c in candidate.components})
