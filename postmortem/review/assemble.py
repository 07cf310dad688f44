"""Roll a period's incidents, yours and your vendors', into a reliability review."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from postmortem.errors import PostmortemError
from postmortem.model import VendorIncident, Window
from postmortem.report.windows import overlap, state_spells
from postmortem.review.model import (
    ActionRow,
    ComponentImpact,
    Count,
    Overlap,
    OwnerLoad,
    Problem,
    Review,
    ReviewedIncident,
    TrendPoint,
)
from postmortem.review.periods import Period
from postmortem.review.stats import DurationStats, summarise
from postmortem.spec.incident import Incident

SCHEMA_VERSION = "1"
TREND_PERIODS = 8
#: incident.io's convention: partial and full outages count as down, degraded as up.
DOWN_STATES = frozenset({"partial_outage", "major_outage", "full_outage"})
WEIGHTING = (
    "Availability counts a component as down while its vendor reports a partial or major "
    "outage (degraded performance counts as up), and a whole-incident window as down for "
    "your own incidents; minutes are weighted equally"
)

Loader = Callable[[Path], Incident]


def own_incident(path: Path, incident: Incident, link: str | None) -> ReviewedIncident | None:
    """Your incident as the review sees it; None when it has no start time."""
    started = incident.milestones.started or incident.impact.start
    if started is None:
        return None
    resolved = incident.milestones.resolved
    components = tuple(incident.components) or ("(unspecified)",)
    start = incident.impact.start or started
    end = incident.impact.end or resolved
    windows = tuple(Window("customer impact", start, end, component=c) for c in components)
    return ReviewedIncident(
        origin="own",
        source=str(path),
        id=incident.id,
        title=incident.title,
        link=link,
        severity=incident.severity,
        status=incident.status,
        started_at=started,
        resolved_at=resolved,
        components=components,
        windows=windows,
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
) -> tuple[Count, ...]:
    now = Counter(k for i in current for k in key(i))
    before = Counter(k for i in previous for k in key(i))
    keys = sorted(set(now) | set(before), key=lambda k: (-now[k], k))
    return tuple(Count(k, now[k], before[k]) for k in keys)


def component_impact(
    incidents: Iterable[ReviewedIncident], period: Period
) -> tuple[ComponentImpact, ...]:
    """Impact and downtime per (source, component), clipped to the period."""
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
    )


def find_overlaps(incidents: Sequence[ReviewedIncident]) -> tuple[Overlap, ...]:
    """Vendor incidents whose window overlaps one of yours."""
    found = []
    for own in (i for i in incidents if i.origin == "own"):
        own_end = own.resolved_at or datetime.max.replace(tzinfo=UTC)
        for other in (i for i in incidents if i.origin == "vendor"):
            window = Window("vendor", other.started_at, other.resolved_at)
            shared = overlap(window, own.started_at, own_end)
            if shared > timedelta(0):
                found.append(
                    Overlap(
                        own.id, own.title, other.source, other.id, other.title, other.link, shared
                    )
                )
    return tuple(found)


def action_rows(incidents: Iterable[tuple[Incident, Period]]) -> tuple[ActionRow, ...]:
    """Every action item of your incidents, with `overdue` judged at the period's last day."""
    rows = []
    for incident, period in incidents:
        for item in incident.action_items:
            overdue = item.overdue_on(period.last)
            rows.append(
                ActionRow(
                    incident.id,
                    item.title,
                    item.owner,
                    item.due,
                    item.priority,
                    item.status,
                    overdue,
                    item.closed,
                )
            )
    return tuple(sorted(rows, key=lambda r: (r.due or date.max, r.incident_id, r.title)))


def _owners(rows: Iterable[ActionRow]) -> tuple[OwnerLoad, ...]:
    open_by: Counter[str] = Counter()
    late_by: Counter[str] = Counter()
    for row in rows:
        if row.status == "open":
            open_by[row.owner or "(no owner)"] += 1
            late_by[row.owner or "(no owner)"] += row.overdue
    return tuple(
        OwnerLoad(owner, open_by[owner], late_by[owner])
        for owner in sorted(open_by, key=lambda o: (-late_by[o], -open_by[o], o))
    )


def build_review(
    own: Sequence[tuple[Path, Incident, str | None]],
    vendors: Sequence[tuple[str, VendorIncident]],
    period: Period,
    *,
    title: str = "Reliability review",
    warnings: Sequence[str] = (),
) -> Review:
    """Compute every figure of the review from already-loaded incidents."""
    if not own and not vendors and not warnings:
        raise PostmortemError("nothing to review: no incident files and no archived incidents")
    reviewed = [r for p, i, link in own if (r := own_incident(p, i, link))]
    reviewed += [r for v, i in vendors if (r := vendor_incident(v, i))]
    reviewed.sort(key=lambda r: (r.started_at, r.origin, r.source, r.id))
    previous = period.previous()
    current = [r for r in reviewed if _in(period, r)]
    before = [r for r in reviewed if _in(previous, r)]
    trend = []
    for step in period.trailing(TREND_PERIODS):
        inside = [r for r in reviewed if _in(step, r)]
        trend.append(
            TrendPoint(
                step.label,
                _durations(inside, "own"),
                _durations(inside, "vendor"),
                sum(r.origin == "own" for r in inside),
                sum(r.origin == "vendor" for r in inside),
            )
        )
    actions = action_rows((incident, period) for _, incident, _ in own)
    return Review(
        schema_version=SCHEMA_VERSION,
        title=title,
        period=period,
        previous=previous,
        timezone=period.zone,
        incidents=tuple(current),
        by_severity=_counts(current, before, lambda r: [r.severity]),
        by_source=_counts(current, before, lambda r: ["own" if r.origin == "own" else r.source]),
        by_component=_counts(current, before, lambda r: r.components),
        own_durations=_durations(current, "own"),
        vendor_durations=_durations(current, "vendor"),
        previous_own_durations=_durations(before, "own"),
        previous_vendor_durations=_durations(before, "vendor"),
        components=component_impact(current, period),
        weighting=WEIGHTING,
        trend=tuple(trend),
        overlaps=find_overlaps(current),
        open_actions=tuple(a for a in actions if a.status == "open"),
        overdue_actions=tuple(a for a in actions if a.overdue),
        done_actions=tuple(
            a
            for a in actions
            if a.status == "done" and a.closed and period.first <= a.closed <= period.last
        ),
        owners=_owners(actions),
        problems=find_problems(current),
        warnings=tuple(warnings),
    )
