"""The incident file's schema: the one door through which user input enters.

Fields are typed as `str` wherever YAML 1.1 would silently coerce (`no`, `on`, `3:00`),
so pydantic rejects the coerced value and the loader points at the line to quote.
Timestamps are `fieldtypes.When`: naive ones take the zone the loader passes in the
validation context (the file's `timezone:` key) and every result is aware UTC.

Annotations are real objects here (no `from __future__ import annotations`), so pydantic
need not evaluate a string per field at every start-up; mutable defaults are safe, as
pydantic copies them for each instance.
"""

from datetime import date, datetime
from itertools import pairwise
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from postmortem.limits import MAX_OWN_TIMELINE, MAX_SOURCES, MAX_TABLE_ROWS
from postmortem.model import MILESTONE_ORDER, MilestoneName, SourceKind
from postmortem.spec.fieldtypes import Day, Host, HttpUrl, Number, Ticket, When, Zone
from postmortem.spec.kinds import KIND_EXAMPLES

RoleStr = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
IdStr = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+$", min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


def _desc(title: str, description: str, **kwargs: Any) -> Any:
    return Field(title=title, description=description, **kwargs)


class Milestones(_Strict):
    """Incident milestones; any subset may be given, in this order."""

    started: When | None = _desc("Started", "When the problem began.", default=None)
    detected: When | None = _desc("Detected", "When it was first noticed.", default=None)
    acknowledged: When | None = _desc("Acknowledged", "When someone took it on.", default=None)
    identified: When | None = _desc("Identified", "When the cause was known.", default=None)
    mitigated: When | None = _desc("Mitigated", "When customer impact stopped.", default=None)
    resolved: When | None = _desc("Resolved", "When it was fully fixed.", default=None)

    def items(self) -> list[tuple[MilestoneName, datetime]]:
        """The milestones that are set, in canonical order."""
        found = ((name, getattr(self, name)) for name in MILESTONE_ORDER)
        return [(name, at) for name, at in found if at is not None]

    @model_validator(mode="after")
    def _in_order(self, info: ValidationInfo) -> "Milestones":
        seen = self.items()
        for (early, early_at), (late, late_at) in pairwise(seen):
            if late_at < early_at:
                raise PydanticCustomError(
                    "milestone_order",
                    "{late} ({late_at}) is before {early} ({early_at}); milestones go "
                    + " → ".join(MILESTONE_ORDER),
                    {
                        "field": late,
                        "late": late,
                        "early": early,
                        "late_at": _shown(late_at, _zone(info)),
                        "early_at": _shown(early_at, _zone(info)),
                    },
                )
        return self


class ImpactSpec(_Strict):
    """The customer-impact window, separate from the incident window."""

    start: When | None = _desc(
        "Impact start", "When customers started to be affected.", default=None
    )
    end: When | None = _desc("Impact end", "When customers stopped being affected.", default=None)
    metrics: dict[str, Number] = _desc(
        "Impact metrics", "Free-form numbers, e.g. {failed_requests: 18000}.", default={}
    )

    @model_validator(mode="after")
    def _start_first(self, info: ValidationInfo) -> "ImpactSpec":
        if self.start and self.end and self.end < self.start:
            raise PydanticCustomError(
                "impact_order",
                "end ({end}) is before start ({start})",
                {
                    "field": "end",
                    "end": _shown(self.end, _zone(info)),
                    "start": _shown(self.start, _zone(info)),
                },
            )
        return self


class TimelineEntry(_Strict):
    """A hand-written timeline entry."""

    at: When = _desc("At", "When it happened: 2026-03-20T03:05:00Z, or naive in `timezone`.")
    text: Text = _desc("Text", "What happened, one line of Markdown.")
    milestone: MilestoneName | None = _desc(
        "Milestone", "The milestone this entry marks.", default=None
    )
    star: bool = _desc("Star", "Highlight this entry in the report.", default=False)


class Curation(_Strict):
    """Star or hide collected timeline rows whose text contains `match` (any case)."""

    match: Text = _desc("Match", "A piece of the row's text, any case.")
    star: bool = _desc("Star", "Highlight the matching rows.", default=False)
    hide: bool = _desc("Hide", "Leave the matching rows out of the report.", default=False)


class Match(_Strict):
    """Filters that pick the vendor incident(s) out of a feed."""

    title: str | None = _desc(
        "Title contains", "Keep incidents whose title contains this text.", default=None
    )
    components: list[str] = _desc(
        "Components", "Keep incidents touching any of these components.", default=[]
    )


class SourceSpec(_Strict):
    """A source of evidence: a status feed, a cloud status API or a news article."""

    name: str | None = _desc("Name", "Label shown in the report.", default=None)
    kind: SourceKind = _desc(
        "Kind",
        "Collector to use; each reads, for example: "
        + "; ".join(f"{kind} {url}" for kind, url in KIND_EXAMPLES.items()),
    )
    url: HttpUrl | None = _desc(
        "URL", "http(s) address to fetch; give this or `path`.", default=None
    )
    path: str | None = _desc(
        "Path", "Local file, relative to the incident file; or `url`.", default=None
    )
    incident: str | None = _desc(
        "Vendor incident", "Id or URL of the one vendor incident to follow.", default=None
    )
    match: Match | None = _desc("Match", "Filters that select vendor incidents.", default=None)
    published: date | None = _desc(
        "Published",
        "An article's publication date, when the page does not carry one; times its text "
        "states without a date are read on this day.",
        default=None,
    )

    @model_validator(mode="after")
    def _one_location(self) -> "SourceSpec":
        if (self.url is None) == (self.path is None):
            raise PydanticCustomError("source_location", "give exactly one of `url:` or `path:`")
        return self

    @property
    def location(self) -> str:
        """The URL or path, whichever was given."""
        return self.url or self.path or ""


class Sections(_Strict):
    """Prose sections in Markdown; an empty one is drafted from evidence."""

    summary: str | None = _desc("Summary", "What happened, in a few sentences.", default=None)
    impact: str | None = _desc("Impact", "Who was affected and how.", default=None)
    root_cause: str | None = _desc("Root cause", "Why it happened.", default=None)
    remediation: str | None = _desc("Remediation", "What was done to fix it.", default=None)
    lessons: str | None = _desc("Lessons", "What went well, what did not.", default=None)


class ActionItemSpec(_Strict):
    """A follow-up action."""

    title: Text = _desc("Title", "What will be done.")
    owner: str | None = _desc("Owner", "Person or team responsible.", default=None)
    due: Day | None = _desc("Due", "Due date, e.g. 2026-04-03.", default=None)
    priority: Literal["P0", "P1", "P2", "P3"] | None = _desc(
        "Priority", "P0 (highest) to P3.", default=None
    )
    kind: Literal["mitigate", "prevent", "process"] | None = _desc(
        "Kind", "mitigate, prevent or process.", default=None
    )
    link: HttpUrl | None = _desc("Link", "Tracker URL (http or https).", default=None)
    status: Literal["open", "done", "wontfix"] = _desc(
        "Status", "open, done or wontfix.", default="open"
    )
    closed: Day | None = _desc(
        "Closed", "When it was done; reviews list items closed in their period.", default=None
    )

    def overdue_on(self, day: date) -> bool:
        """Still open after its due date, as judged on `day` (reports and reviews alike)."""
        return self.status == "open" and self.due is not None and self.due < day


class Incident(_Strict):
    """A validated incident file."""

    id: IdStr = _desc("Id", "Letters, digits, '.', '_' and '-', e.g. INC-2026-0320.")
    title: Text = _desc("Title", "One line naming the incident.")
    severity: Literal["SEV1", "SEV2", "SEV3", "SEV4", "SEV5"] = _desc(
        "Severity", "SEV1 (worst) to SEV5.", default="SEV3"
    )
    status: Literal["draft", "in-review", "published"] = _desc(
        "Status", "draft, in-review or published.", default="draft"
    )
    timezone: Zone = _desc(
        "Display time zone",
        "IANA zone for display; naive timestamps in this file are read in it. Stored as UTC.",
        default="UTC",
    )
    owner: str | None = _desc("Owner", "Person or team owning the post-mortem.", default=None)
    authors: list[str] = _desc("Authors", "People who wrote it.", default=[])
    roles: dict[RoleStr, Text] = _desc(
        "Roles",
        "Who held each incident role, e.g. commander: Dana Whitfield, communications, scribe.",
        default={},
    )
    components: list[str] = _desc(
        "Components", "Your services that were affected (used by reviews).", default=[]
    )
    report_date: Day | None = _desc(
        "Report date", "The 'as of' date; defaults to the latest date in the file.", default=None
    )
    style: Literal["default", "sre"] = _desc(
        "Style", "Built-in layout: default or sre.", default="default"
    )
    templates: list[str] = _desc(
        "Template directories",
        "Directories with section overrides, relative to this file.",
        default=[],
    )
    allow_hosts: list[Host] = _desc(
        "Allowed hosts",
        "Private host names or IPs sources may be fetched from; honoured only when "
        "postmortem.yaml (allow_hosts:) or --allow-host also allows them.",
        default=[],
    )
    milestones: Milestones = _desc(
        "Milestones", "Key moments of the incident.", default_factory=Milestones
    )
    impact: ImpactSpec = _desc(
        "Impact", "The customer-impact window and metrics.", default_factory=ImpactSpec
    )
    timeline: list[TimelineEntry] = _desc(
        "Timeline", "Hand-written timeline entries.", default=[], max_length=MAX_OWN_TIMELINE
    )
    curate: list[Curation] = _desc(
        "Curation", "Star or hide collected timeline rows by their text.", default=[]
    )
    sources: list[SourceSpec] = _desc(
        "Sources", "Status feeds and articles to collect.", default=[], max_length=MAX_SOURCES
    )
    sections: Sections = _desc("Sections", "Prose sections in Markdown.", default_factory=Sections)
    action_items: list[ActionItemSpec] = _desc(
        "Action items", "Follow-up actions.", default=[], max_length=MAX_TABLE_ROWS
    )
    tickets: list[Ticket] = _desc(
        "Tickets",
        "Where `postmortem publish` sends the report, e.g. jira:OPS-123, "
        "gitlab:group/project#45, github:owner/repo#67, servicenow:INC0012345, "
        "confluence:SPACE or confluence:SPACE/Parent page title.",
        default=[],
    )
    _time_notes: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _keep_time_notes(self, info: ValidationInfo) -> "Incident":
        self._time_notes = tuple((info.context or {}).get("twice", ()))
        return self

    @property
    def time_notes(self) -> tuple[str, ...]:
        """Warnings about how the file was read: a local time that happens twice, a cut value."""
        return self._time_notes


def check_incident(incident: Incident) -> tuple[str, ...]:
    """Warnings about a valid incident: `field.path: message` lines, nothing fatal."""
    bounds = {"started": incident.milestones.started, "resolved": incident.milestones.resolved}
    zone = incident.timezone
    warnings = list(incident.time_notes)
    for name in ("start", "end"):
        at: datetime | None = getattr(incident.impact, name)
        if at is None:
            continue
        for milestone, bound in bounds.items():
            if bound is None:
                continue
            if at < bound if milestone == "started" else at > bound:
                side = "before" if milestone == "started" else "after"
                warnings.append(
                    f"impact.{name}: {_shown(at, zone)} is {side} milestones.{milestone} "
                    f"({_shown(bound, zone)}); the impact window usually lies inside the incident"
                )
    return tuple(warnings)


def _zone(info: ValidationInfo) -> ZoneInfo | None:
    zone = (info.context or {}).get("zone")
    return zone if isinstance(zone, ZoneInfo) else None


def _stamp(at: datetime | None) -> str:
    return f"{at:%Y-%m-%dT%H:%M:%SZ}"


def _shown(at: datetime, zone: ZoneInfo | str | None) -> str:
    """A time as the file writes it: in the file's zone, named, else in UTC."""
    if zone is None or str(zone) in ("UTC", "Etc/UTC"):
        return _stamp(at)
    local = at.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone)
    return f"{local:%Y-%m-%dT%H:%M:%S} {local.tzname()}"
