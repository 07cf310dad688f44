"""Assemble the report: the incident file plus the evidence, into the typed Report."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from postmortem.model import ActionItem, ImpactFigure, Report, Section, Sentence
from postmortem.report.draft import draft_impact, draft_remediation, draft_root_cause, draft_summary
from postmortem.report.evidence import Evidence
from postmortem.report.flags import find_flags
from postmortem.report.timeline import (
    author_events,
    derive_milestones,
    merge_events,
    metrics_of,
    state_metrics,
    windows_of,
)
from postmortem.spec.incident import Incident

SCHEMA_VERSION = "1"

SECTION_TITLES = {
    "summary": "Summary",
    "impact": "Impact",
    "root_cause": "Root cause",
    "remediation": "Remediation",
    "lessons": "Lessons learned",
}


def report_date(incident: Incident, as_of: date | None, evidence: Evidence) -> date:
    """The "as of" date: given, or the file's `report_date`, else the latest time known.

    The latest of the file's times and the evidence's (an update, a fetch), as a date in
    the display zone. Never the clock: the same inputs must give the same report any day.
    """
    if as_of is not None:
        return as_of
    if incident.report_date is not None:
        return incident.report_date
    times = [at for _, at in incident.milestones.items()]
    times += [t for t in (incident.impact.start, incident.impact.end) if t is not None]
    times += [entry.at for entry in incident.timeline]
    times += [event.at for event in evidence.events]
    times += [s.fetched_at for s in evidence.sources if s.fetched_at is not None]
    if not times:
        return date(1970, 1, 1)
    return max(times).astimezone(ZoneInfo(incident.timezone)).date()


def assemble_report(
    incident: Incident, evidence: Evidence, *, as_of: date | None = None, style: str | None = None
) -> Report:
    """Merge the author's file with the evidence; author text and times always win."""
    events = [*author_events(incident), *evidence.events]
    # one entry per vendor incident, merged across the sources that carried it
    vendors = [(numbers[0], vendor) for numbers, vendor in evidence.vendors]
    milestones = derive_milestones(incident, vendors, evidence.events)
    incident_window, impact_window, components = windows_of(milestones, incident, vendors)
    sections = _sections(incident, evidence)
    today = report_date(incident, as_of, evidence)
    return Report(
        schema_version=SCHEMA_VERSION,
        id=incident.id,
        title=incident.title,
        severity=incident.severity,
        status=incident.status,
        owner=incident.owner,
        authors=tuple(incident.authors),
        roles=tuple(incident.roles.items()),
        timezone=incident.timezone,
        report_date=today,
        milestones=milestones,
        incident_window=incident_window,
        impact_window=impact_window,
        component_windows=components,
        impact_figures=tuple(ImpactFigure(k, v) for k, v in incident.impact.metrics.items()),
        timeline=merge_events(events, incident),
        metrics=metrics_of(milestones) + state_metrics(vendors),
        sections=sections,
        action_items=tuple(
            ActionItem(
                title=item.title,
                owner=item.owner,
                due=item.due,
                priority=item.priority,
                kind=item.kind,
                link=item.link,
                status=item.status,
                overdue=item.overdue_on(today),
            )
            for item in incident.action_items
        ),
        sources=evidence.sources,
        flags=find_flags(incident, evidence, milestones, sections),
        style=style or incident.style,
    )


def _sections(incident: Incident, evidence: Evidence) -> tuple[Section, ...]:
    zone = incident.timezone
    drafts: dict[str, tuple[Sentence, ...]] = {
        "summary": draft_summary(evidence, zone),
        "impact": draft_impact(evidence, zone),
        "root_cause": draft_root_cause(evidence),
        "remediation": draft_remediation(evidence),
        "lessons": (),
    }
    written = incident.sections
    return tuple(
        Section(
            key=key,
            title=title,
            markdown=(getattr(written, key) or "").strip() or None,
            draft=() if getattr(written, key) else drafts[key],
        )
        for key, title in SECTION_TITLES.items()
    )
