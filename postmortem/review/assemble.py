"""Roll a period's incidents, yours and your vendors', into a reliability review."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import cast

from postmortem.errors import PostmortemError
from postmortem.model import VendorIncident, Window
from postmortem.report.windows import overlap, state_spells
from postmortem.review.accountability import LATE_POST, find_overlaps, vendor_accounts
from postmortem.review.actions import action_rows, owner_load
from postmortem.review.coverage import covered_count, describe, without_data
from postmortem.review.model import (
    ComponentImpact,
    Count,
    OwnInput,
    Problem,
    Review,
    ReviewedIncident,
    SloBucket,
    TrendPoint,
)
from postmortem.review.periods import Period
from postmortem.review.slo import Targets, slo_status
from postmortem.review.stats import DurationStats, summarise

SCHEMA_VERSION = "1"
#: incident.io's convention: partial and full outages count as down, degraded as up.
DOWN_STATES = frozenset({"partial_outage", "major_outage", "full_outage"})
WEIGHTING = (
    "Availability counts a component as down while its vendor reports a partial or major "
    "outage (degraded performance counts as up), and a whole-incident window as down for "
    "your own incidents; minutes are weighted equally"
)


def own_incident(own: OwnInput) -> ReviewedIncident | None:
    """Your incident as its post-mortem has it; None when it has no start time.

    Start, end, duration and milestones come from the report `postmortem build` assembles,
    so an end derived from vendor evidence is the same in both.
    """
    report, incident = own.report, own.incident
    at = {m.name: m.at for m in report.milestones}
    started = at.get("started") or incident.impact.start
    if started is None:
        return None
    resolved = at.get("resolved")
    components = tuple(incident.components) or ("(unspecified)",)
    impact = report.impact_window
    start = impact.start if impact else started
    end = impact.end if impact and impact.end else resolved
    windows = tuple(Window("customer impact", start, end, component=c) for c in components)
    return ReviewedIncident(
        origin="own",
        source=str(own.path),
        id=report.id,
        title=report.title,
        link=own.link,
        severity=report.severity,
        status=report.status,
        started_at=started,
        resolved_at=resolved,
        components=components,
        windows=windows,
        milestones=report.milestones,
    )


def vendor_incident(vendor: str, incident: VendorIncident) -> ReviewedIncident | None:
    """A vendor incident as the review sees it; None for maintenances and undated ones."""
    if incident.scheduled or incident.started_at is None:
        return None
    return ReviewedIncident(
        origin="vendor",
        source=vendor,
        id=incident.id,
        title=incident.title,
        link=incident.url or None,
        severity=incident.impact or "unknown",
        status="ongoing" if incident.ongoing else "resolved",
        started_at=incident.started_at,
        resolved_at=incident.resolved_at,
        components=incident.components,
        windows=state_spells(incident),
        first_post=min((u.at for u in incident.updates), default=None),
    )


def _in(period: Period, incident: ReviewedIncident) -> bool:
    return period.contains(incident.started_at)


def _durations(incidents: Iterable[ReviewedIncident], origin: str) -> DurationStats:
    durations = [i.duration for i in incidents if i.origin == origin and i.duration is not None]
    return summarise([d for d in durations if d > timedelta(0)])


def find_problems(incidents: Iterable[ReviewedIncident]) -> tuple[Problem, ...]:
    """Zero-length, negative and open durations: listed, never averaged or dropped."""
    problems = []
    for item in incidents:
        duration = item.duration
        if duration is None:
            message = "still open: no end time, left out of duration statistics"
        elif duration < timedelta(0):
            message = f"negative duration ({duration}): resolved before it started"
        elif duration == timedelta(0):
            message = "zero duration: resolved at the instant it was opened"
        else:
            continue
        problems.append(Problem(item.source, item.id, message))
    return tuple(problems)


def _counts(
    current: Sequence[ReviewedIncident],
    previous: Sequence[ReviewedIncident],
    key: Callable[[ReviewedIncident], Iterable[str]],
    always: Iterable[str] = (),
) -> tuple[Count, ...]:
    now = Counter(k for i in current for k in key(i))
    before = Counter(k for i in previous for k in key(i))
    keys = sorted(set(now) | set(before) | set(always), key=lambda k: (-now[k], k))
    return tuple(Count(k, now[k], before[k]) for k in keys)


def _source_keys(item: ReviewedIncident) -> list[str]:
    return ["own" if item.origin == "own" else item.source]


def trend(
    reviewed: Sequence[ReviewedIncident], period: Period, coverage: Mapping[str, datetime]
) -> tuple[TrendPoint, ...]:
    """One point per bucket of the period's trend; vendors without data yet say so."""
    points = []
    for step in period.buckets():
        inside = [r for r in reviewed if _in(step, r)]
        missing = without_data(coverage, step)
        vendors = sum(r.origin == "vendor" for r in inside)
        points.append(
            TrendPoint(
                step.label,
                _durations(inside, "own"),
                _durations(inside, "vendor"),
                sum(r.origin == "own" for r in inside),
                None if coverage and len(missing) == len(coverage) else vendors,
                missing,
            )
        )
    return tuple(points)


def component_impact(
    incidents: Iterable[ReviewedIncident], period: Period
) -> tuple[ComponentImpact, ...]:
    """Impact and downtime per (source, component), clipped to the period.

    Every incident overlapping the period counts for the part inside it, wherever it began.
    """
    impact: dict[tuple[str, str], float] = defaultdict(float)
    down: dict[tuple[str, str], float] = defaultdict(float)
    for item in incidents:
        source = item.source if item.origin == "vendor" else "own"
        for window in item.windows:
            key = (source, window.component or "(unspecified)")
            seconds = overlap(window, period.start, period.end).total_seconds()
            impact[key] += seconds
            if item.origin == "own" or window.state in DOWN_STATES:
                down[key] += seconds
    length = (period.end - period.start).total_seconds()
    return tuple(
        ComponentImpact(
            source=key[0],
            component=key[1],
            impact=timedelta(seconds=impact[key]),
            downtime=timedelta(seconds=down[key]),
            availability=1 - down[key] / length,
        )
        for key in sorted(impact, key=lambda k: (-down[k], -impact[k], k))
        if impact[key] > 0
    )


def build_review(
    own: Sequence[OwnInput],
    vendors: Sequence[tuple[str, VendorIncident]],
    period: Period,
    *,
    title: str = "Reliability review",
    warnings: Sequence[str] = (),
    coverage: Mapping[str, datetime] | None = None,
    targets: Targets | None = None,
) -> Review:
    """Compute every figure of the review from already-loaded incidents.

    `coverage` gives, per archived vendor, its first data (`Archive.coverage`): periods
    before it say "no data" instead of counting zero. `targets` are the availability
    targets, (source, component) -> percent (`Slo.targets`).
    """
    targets = targets or {}
    if not own and not vendors and not warnings:
        raise PostmortemError(
            "nothing to review: no incident files and no archived incidents; list incident "
            "folders and vendors in postmortem.yaml (or pass DIRS or --project FILE)"
        )
    reviewed = [r for o in own if (r := own_incident(o))]
    reviewed += [r for v, i in vendors if (r := vendor_incident(v, i))]
    reviewed.sort(key=lambda r: (r.started_at, r.origin, r.source, r.id))
    previous = period.previous()
    current = [r for r in reviewed if _in(period, r)]
    before = [r for r in reviewed if _in(previous, r)]
    known = dict(coverage or {})
    missing_now, missing_before = without_data(known, period), without_data(known, previous)
    by_source = [
        Count(
            c.key,
            covered_count(cast(int, c.current), c.key, missing_now),
            covered_count(cast(int, c.previous), c.key, missing_before),
        )
        for c in _counts(current, before, _source_keys, known)
    ]
    components = component_impact(reviewed, period)
    overlaps = find_overlaps(
        [r for r in current if r.origin == "own"], [r for r in reviewed if r.origin == "vendor"]
    )
    actions = action_rows((o.incident, period) for o in own)
    return Review(
        schema_version=SCHEMA_VERSION,
        title=title,
        period=period,
        previous=previous,
        timezone=period.zone,
        incidents=tuple(current),
        by_severity=_counts(current, before, lambda r: [r.severity]),
        by_source=tuple(by_source),
        by_component=_counts(current, before, lambda r: r.components),
        own_durations=_durations(current, "own"),
        vendor_durations=_durations(current, "vendor"),
        previous_own_durations=_durations(before, "own"),
        previous_vendor_durations=_durations(before, "vendor"),
        coverage=describe(known, period),
        previous_no_data=missing_before,
        components=components,
        slos=slo_status(targets, components, period, missing_now),
        slo_trend=tuple(
            SloBucket(
                step.label,
                slo_status(
                    targets, component_impact(reviewed, step), step, without_data(known, step)
                ),
            )
            for step in (period.buckets() if targets else ())
        ),
        weighting=WEIGHTING,
        trend=trend(reviewed, period, known),
        overlaps=overlaps,
        accounts=vendor_accounts(overlaps),
        late_post=LATE_POST,
        open_actions=tuple(a for a in actions if a.status == "open"),
        overdue_actions=tuple(a for a in actions if a.overdue),
        done_actions=tuple(
            a
            for a in actions
            if a.status == "done" and a.closed and period.first <= a.closed <= period.last
        ),
        owners=owner_load(actions),
        problems=find_problems(current),
        warnings=tuple(warnings),
    )
