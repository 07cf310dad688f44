"""Impact windows vendors state in prose: "between 15:05 UTC and 00:14 UTC on August 7".

A vendor's closing summary often gives its own impact window, which differs from the first
and last update of its feed (updates start after detection and end after a quiet period).
The window is read from the vendor's impact sentences with the same prose-time scanner
used for news, each time resolved against the update's date; a time with no zone is
never read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from postmortem.report.evidence import Evidence
from postmortem.report.quotes import vendor_roles

# A sentence that states a span, not a single moment.
_SPAN = re.compile(r"\bbetween\b|\bfrom\b[^.]*\b(?:to|through|until)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class StatedWindow:
    """A window the vendor wrote in prose, the sentence saying it and its sources."""

    vendor_id: str
    start: datetime
    end: datetime
    sentence: str
    citations: tuple[int, ...]
    feed_start: datetime | None
    feed_end: datetime | None


def stated_windows(evidence: Evidence) -> Iterator[StatedWindow]:
    """The first stated window of each vendor incident, final updates first."""
    from postmortem.collectors.text.prose_times import extract_times

    merged = {v.id: v for _, v in evidence.vendors}
    owner = {id(u): v for v in merged.values() for u in v.updates}
    owner.update({id(u): merged[i.id] for _, i in evidence.incidents for u in i.updates})
    said = [q for q in vendor_roles(evidence) if q.role == "impact" and _SPAN.search(q.text)]
    said.sort(key=lambda q: q.update is None or q.update.status not in ("resolved", "postmortem"))
    done: set[str] = set()
    for q in said:
        vendor = owner.get(id(q.update)) if q.update else None
        if vendor is None or q.update is None or vendor.id in done:
            continue
        times, _ = extract_times(q.text, q.update.at.date())
        if len(times) < 2 or times[-1].at <= times[0].at:
            continue
        done.add(vendor.id)
        yield StatedWindow(
            vendor.id,
            times[0].at,
            times[-1].at,
            q.text,
            q.citations,
            vendor.started_at,
            vendor.resolved_at,
        )
