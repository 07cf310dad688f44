"""Consistency flags: where sources disagree, contradict themselves, or the file is unfinished."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

from postmortem.model import Flag, Milestone, Section
from postmortem.report.display import duration, local_and_utc
from postmortem.report.evidence import Evidence
from postmortem.spec.incident import Incident

#: Sources more than this far apart on when the outage began are flagged.
DISAGREEMENT = timedelta(minutes=30)
#: A window the vendor states in prose this far from its feed's times is noted.
STATED_SLACK = timedelta(minutes=5)
#: A date written in an update's text this far from the update's own date is flagged.
PROSE_DATE_SLACK = timedelta(days=3)

#: English month names, as vendors write them; `calendar.month_name` would follow the locale.
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_PROSE_DATE = re.compile(
    r"\b(" + "|".join(m.capitalize() for m in _MONTHS) + r")\s+(\d{1,2}),\s+(\d{4})\b"
)


def find_flags(
    incident: Incident,
    evidence: Evidence,
    milestones: Sequence[Milestone],
    sections: Sequence[Section],
) -> tuple[Flag, ...]:
    """Every flag, most serious first, in a stable order."""
    flags = [
        *_source_failures(evidence),
        *_disagreements(evidence),
        *_prose_dates(evidence),
        *_undated_articles(evidence),
        *_open_vendor_incidents(incident, evidence),
        *_doubtful_matches(evidence),
        *_stated_windows(evidence),
        *_impact_outside(incident, milestones),
        *_placeholders(sections),
        *_unowned_actions(incident),
    ]
    order = {"error": 0, "warning": 1, "info": 2}
    return tuple(sorted(flags, key=lambda f: order[f.level]))


def _source_failures(evidence: Evidence) -> Iterator[Flag]:
    for record in evidence.sources:
        if not record.ok:
            yield Flag(
                "warning", "source-failed", f"Source [{record.number}] failed: {record.note}"
            )


def _undated_articles(evidence: Evidence) -> Iterator[Flag]:
    for number, article in evidence.articles:
        if article.published is None:
            yield Flag(
                "warning",
                "article-undated",
                f"Source [{number}] gives no publication date, so only times written with "
                "a full date were read from it; add `published:` to its source entry",
            )


def _disagreements(evidence: Evidence) -> Iterator[Flag]:
    firsts: dict[int, datetime] = {}
    for event in evidence.events:
        if event.source is not None and event.origin in ("vendor", "article"):
            current = firsts.get(event.source)
            firsts[event.source] = event.at if current is None else min(current, event.at)
    numbers = sorted(firsts, key=lambda n: firsts[n])
    if len(numbers) >= 2:
        first, last = numbers[0], numbers[-1]
        gap = firsts[last] - firsts[first]
        if gap > DISAGREEMENT:
            yield Flag(
                "warning",
                "source-disagreement",
                f"Sources disagree on when it began: [{first}] says {firsts[first]:%Y-%m-%d %H:%M} "
                f"UTC, [{last}] {firsts[last]:%Y-%m-%d %H:%M} UTC "
                f"({duration(gap)} apart)",
            )


def prose_dates(text: str) -> list[date]:
    """Full dates written in prose, such as "February 18, 2026"."""
    found = []
    for month, day, year in _PROSE_DATE.findall(text):
        try:
            found.append(date(int(year), _MONTHS.index(month.lower()) + 1, int(day)))
        except ValueError:
            continue
    return found


def _cite(numbers: Sequence[int]) -> str:
    return " ".join(f"[{n}]" for n in numbers)


def _prose_dates(evidence: Evidence) -> Iterator[Flag]:
    for numbers, vendor in evidence.vendors:
        for update in vendor.updates:
            stamp = update.at.astimezone(UTC).date()
            for written in prose_dates(update.text):
                if abs(written - stamp) > PROSE_DATE_SLACK:
                    yield Flag(
                        "warning",
                        "prose-date",
                        f"An update of {vendor.id} {_cite(numbers)} stamped {stamp} mentions "
                        f"{written:%B} {written.day}, {written.year} in its text",
                    )


def _open_vendor_incidents(incident: Incident, evidence: Evidence) -> Iterator[Flag]:
    for numbers, vendor in evidence.vendors:
        if vendor.ongoing and incident.milestones.resolved is not None:
            yield Flag(
                "warning",
                "vendor-still-open",
                f"The vendor has not resolved {vendor.id} {_cite(numbers)}, but the file gives a "
                "resolved time: check it, or rebuild once the vendor closes it",
            )
        elif vendor.ongoing:
            yield Flag(
                "info", "ongoing", f"{vendor.id} {_cite(numbers)} is still open at the vendor"
            )


def _doubtful_matches(evidence: Evidence) -> Iterator[Flag]:
    from postmortem.report.matching import describe

    for number, vendor in evidence.doubtful:
        yield Flag(
            "warning",
            "vendor-match-doubtful",
            f"Source [{number}] has a vendor incident that overlaps this one but does not fit "
            f"its times, so it was left out: {describe(vendor)}; name it with `incident:` "
            "if it is the same outage",
        )


def _impact_outside(incident: Incident, milestones: Sequence[Milestone]) -> Iterator[Flag]:
    at = {m.name: m.at for m in milestones}
    impact = incident.impact
    zone = incident.timezone
    if impact.start and "started" in at and impact.start < at["started"]:
        yield Flag(
            "warning",
            "impact-outside",
            f"The customer impact starts at {local_and_utc(impact.start, zone)}, before the "
            f"incident started at {local_and_utc(at['started'], zone)}",
        )
    if impact.end and "resolved" in at and impact.end > at["resolved"]:
        yield Flag(
            "warning",
            "impact-outside",
            f"The customer impact ends at {local_and_utc(impact.end, zone)}, after the "
            f"incident was resolved at {local_and_utc(at['resolved'], zone)}",
        )


def _placeholders(sections: Sequence[Section]) -> Iterator[Flag]:
    for section in sections:
        if section.state == "placeholder":
            yield Flag(
                "info",
                "placeholder",
                f"Section \u201c{section.title}\u201d is still a placeholder",
            )


def _unowned_actions(incident: Incident) -> Iterator[Flag]:
    for item in incident.action_items:
        if item.status != "open":
            continue
        missing = [
            word for word, value in (("owner", item.owner), ("due date", item.due)) if not value
        ]
        if missing:
            yield Flag(
                "warning",
                "action-incomplete",
                f"Action item {item.title!r} has no {' or '.join(missing)}",
            )


def _stated_windows(evidence: Evidence) -> Iterator[Flag]:
    from postmortem.report.stated import stated_windows

    for w in stated_windows(evidence):
        if w.feed_start is None or w.feed_end is None:
            continue
        if max(abs(w.start - w.feed_start), abs(w.end - w.feed_end)) > STATED_SLACK:
            yield Flag(
                "info",
                "stated-window",
                f"{w.vendor_id} {_cite(w.citations)}: the vendor's summary states the impact "
                f"from {w.start:%Y-%m-%d %H:%M} to {w.end:%Y-%m-%d %H:%M} UTC, its feed runs "
                f"from {w.feed_start:%Y-%m-%d %H:%M} to {w.feed_end:%Y-%m-%d %H:%M} UTC "
                f"(start {_minutes(w.start - w.feed_start)}, end {_minutes(w.end - w.feed_end)})",
            )


def _minutes(delta: timedelta) -> str:
    if abs(delta) < timedelta(minutes=1):
        return "same"
    return f"{duration(abs(delta))} {'earlier' if delta < timedelta(0) else 'later'}"
