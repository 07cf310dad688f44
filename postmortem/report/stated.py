"""Impact windows vendors state in prose: "between 15:05 UTC and 00:14 UTC on August 7".

A vendor's closing summary often gives its own impact window, which differs from the first
and last update of its feed (updates start after detection and end after a quiet period).
The window is read from the vendor's impact sentences with the same prose-time scanner
used for news, each time resolved against the update's date; a time with no zone is
never read. Google's incident reports state it as "Incident Start: 12 November 2021 00:30"
and "Incident End: …" lines under "(All Times US/Pacific)", read in that zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from postmortem.model import Update, VendorIncident
from postmortem.report.evidence import Evidence
from postmortem.report.quotes import vendor_roles

_REPORT_TIME = re.compile(
    r"^Incident (Start|End):\s*(\d{1,2} [A-Z][a-z]+ \d{4},? \d{1,2}:\d{2})\b", re.M
)
_REPORT_ZONE = re.compile(r"\(All Times ([A-Za-z]+/[A-Za-z_]+)\)")
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
    for numbers, merged_vendor in evidence.vendors:
        for update in merged_vendor.updates:
            found = _report_window(update, merged_vendor, numbers)
            if found is not None and merged_vendor.id not in done:
                done.add(merged_vendor.id)
                yield found
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


def _report_window(
    update: Update, vendor: VendorIncident, numbers: tuple[int, ...]
) -> StatedWindow | None:
    """The "Incident Start:"/"Incident End:" lines of an incident report, in its stated zone."""
    zone = _REPORT_ZONE.search(update.text)
    times = dict(_REPORT_TIME.findall(update.text))
    if zone is None or set(times) != {"Start", "End"}:
        return None
    try:
        where = ZoneInfo(zone.group(1))
        start, end = (
            datetime.strptime(times[k].replace(",", ""), "%d %B %Y %H:%M")
            .replace(tzinfo=where)
            .astimezone(UTC)
            for k in ("Start", "End")
        )
    except (ValueError, KeyError):
        return None  # an unknown zone or a date that is not one: nothing is guessed
    if end <= start:
        return None
    lines = [line for line in update.text.splitlines() if _REPORT_TIME.match(line)]
    return StatedWindow(
        vendor.id, start, end, " ".join(lines), numbers, vendor.started_at, vendor.resolved_at
    )
