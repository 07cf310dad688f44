"""Typed, immutable records passed between the pipeline stages.

collect -> (Snapshot -> Collected) -> timeline -> Report -> render/export.
Every datetime here is timezone-aware UTC; display zones are applied only when rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from postmortem.spec.kinds import SourceKind as SourceKind  # re-exported for the stages

#: Normalised status of an update. Vendor words are kept verbatim in `raw_status`.
#: incident statuses: investigating, identified, monitoring, update, resolved, postmortem;
#: maintenance statuses: scheduled, in_progress, verifying, completed;
#: `reported` is a time stated in prose (news); `note` is a hand-written entry.
Status = Literal[
    "investigating",
    "identified",
    "monitoring",
    "update",
    "resolved",
    "postmortem",
    "scheduled",
    "in_progress",
    "verifying",
    "completed",
    "reported",
    "note",
]

#: Normalised impact across vendors (Statuspage none/minor/major/critical, GCP
#: SERVICE_INFORMATION/DISRUPTION/OUTAGE, incident.io degraded/partial/full outage).
Impact = Literal["none", "minor", "major", "critical"]

MilestoneName = Literal[
    "started", "detected", "acknowledged", "identified", "mitigated", "resolved"
]
MILESTONE_ORDER: tuple[MilestoneName, ...] = (
    "started",
    "detected",
    "acknowledged",
    "identified",
    "mitigated",
    "resolved",
)


# --- fetch -> collectors -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The exact bytes one source was built from, and where they came from."""

    url: str  #: URL or path as the user gave it
    final_url: str  #: after redirects (same as `url` for files)
    body: bytes
    content_type: str  #: lower-case media type, "" when unknown
    fetched_at: datetime | None  #: None for a local file
    sha256: str  #: hex digest of `body`


@dataclass(frozen=True, slots=True)
class ComponentChange:
    """A component's state change carried by one update (Statuspage affected_components)."""

    name: str
    old: str | None  #: e.g. "operational"; None when the source does not say
    new: str  #: e.g. "major_outage"


@dataclass(frozen=True, slots=True)
class Update:
    """One vendor status update, as published."""

    at: datetime
    status: Status
    raw_status: str  #: the vendor's own word, e.g. "Investigating", "SERVICE_OUTAGE"
    text: str  #: plain text; never HTML
    components: tuple[ComponentChange, ...] = ()


@dataclass(frozen=True, slots=True)
class VendorIncident:
    """One vendor incident (or maintenance) with its updates, oldest first."""

    id: str  #: the vendor's id, e.g. Statuspage's 12-character code
    title: str
    url: str
    status: Status  #: status of the newest update
    impact: Impact | None
    started_at: datetime | None
    resolved_at: datetime | None  #: None while the incident is still open
    components: tuple[str, ...]
    updates: tuple[Update, ...]
    scheduled: bool = False  #: a maintenance, never an outage
    aliases: tuple[str, ...] = ()  #: other ids filed for the same outage (grouped siblings)

    @property
    def ongoing(self) -> bool:
        """True while the vendor has not resolved it; no end time is ever invented."""
        return self.resolved_at is None

    def overlaps(self, since: datetime | None, until: datetime | None) -> bool:
        """Whether [start, resolved] meets [since, until]; open ends and None bounds run on.

        The start is `started_at`, else the first update; with neither, nothing overlaps.
        """
        start = self.started_at or min((u.at for u in self.updates), default=None)
        if start is None or (until is not None and start > until):
            return False
        return since is None or self.resolved_at is None or self.resolved_at >= since


@dataclass(frozen=True, slots=True)
class Article:
    """A news article's metadata and main text."""

    url: str
    title: str | None
    site: str | None
    author: str | None
    published: date | None
    text: str


@dataclass(frozen=True, slots=True)
class ReportedTime:
    """A time stated in prose, resolved against the article's date. Approximate by nature."""

    at: datetime
    sentence: str  #: the sentence it came from, quoted in the report
    phrase: str  #: the matched words, e.g. "around 3:00 AM UTC"


@dataclass(frozen=True, slots=True)
class Collected:
    """What one collector made of one snapshot."""

    incidents: tuple[VendorIncident, ...] = ()
    article: Article | None = None
    reported: tuple[ReportedTime, ...] = ()
    page_zone: str | None = None  #: IANA zone the status page displays in, if known
    warnings: tuple[str, ...] = ()


# --- timeline and report -------------------------------------------------------------------

Origin = Literal["vendor", "article", "author"]


@dataclass(frozen=True, slots=True)
class Event:
    """One dated fact, from a vendor update, an article sentence or the author."""

    at: datetime
    text: str
    status: Status
    raw_status: str
    origin: Origin
    source: int | None  #: 1-based number of the source in the report; None when hand-written
    incident_id: str | None = None
    components: tuple[ComponentChange, ...] = ()
    approximate: bool = False  #: True for times read from prose
    quote: str | None = None  #: the sentence an article event came from


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A source as listed in the report: what it is, what was taken, whether it worked."""

    number: int  #: 1-based; citations use it
    name: str
    kind: SourceKind
    location: str  #: URL or path
    fetched_at: datetime | None
    sha256: str | None
    ok: bool
    note: str  #: what was taken from it, or why it failed


@dataclass(frozen=True, slots=True)
class Milestone:
    """A milestone time and where it came from."""

    name: MilestoneName
    at: datetime
    origin: Literal["author", "derived"]
    basis: str  #: "incident file" or "derived from …" with the source number


@dataclass(frozen=True, slots=True)
class Window:
    """A time window. `end` is None while it is still open (ongoing)."""

    label: str
    start: datetime
    end: datetime | None
    component: str | None = None
    state: str | None = None  #: worst component state within the window, if known

    @property
    def duration(self) -> timedelta | None:
        """Length of the window, or None while it is open."""
        return None if self.end is None else self.end - self.start


@dataclass(frozen=True, slots=True)
class Metric:
    """A derived duration with its formula; `value` None means "not known"."""

    key: str  #: duration, ttd, tta, ttm, ttr
    label: str
    formula: str  #: e.g. "resolved - started"
    value: timedelta | None


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One row of the report's timeline; several sources may cite the same fact."""

    at: datetime
    text: str
    status: Status
    raw_status: str
    origin: Origin
    citations: tuple[int, ...]
    star: bool = False
    milestone: MilestoneName | None = None
    approximate: bool = False
    components: tuple[ComponentChange, ...] = ()
    repeats: int = 1  #: how many times the vendor posted this same text
    last_at: datetime | None = None  #: when it last posted it, if more than once


@dataclass(frozen=True, slots=True)
class Sentence:
    """A drafted sentence and the sources that back it; every draft sentence has one."""

    text: str
    citations: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A prose section: what the author wrote, else a cited draft, else a placeholder."""

    key: str  #: summary, impact, root_cause, remediation, lessons
    title: str
    markdown: str | None  #: the author's Markdown, which always wins
    draft: tuple[Sentence, ...] = ()

    @property
    def state(self) -> Literal["written", "drafted", "placeholder"]:
        """Which of the three the report shows."""
        if self.markdown:
            return "written"
        return "drafted" if self.draft else "placeholder"


@dataclass(frozen=True, slots=True)
class ActionItem:
    """A follow-up with its owner, due date and tracker link."""

    title: str
    owner: str | None
    due: date | None
    priority: str | None
    kind: str | None
    link: str | None
    status: str
    overdue: bool


@dataclass(frozen=True, slots=True)
class ImpactFigure:
    """One author-supplied impact number, e.g. failed_requests = 18000."""

    name: str
    value: float


@dataclass(frozen=True, slots=True)
class Flag:
    """A consistency problem found in the evidence or the incident file."""

    level: Literal["error", "warning", "info"]
    code: str  #: stable identifier, e.g. "source-disagreement"
    message: str


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render a report, beyond its content: where templates are, which page size."""

    template_dirs: tuple[Path, ...] = ()  #: override folders, searched before the built-ins
    page_size: Literal["A4", "Letter"] = "A4"
    pdf_a: bool = False  #: archival PDF/A-3b instead of plain (tagged) PDF


#: Field metadata for what rendering needs but the report's JSON leaves out.
NOT_IN_JSON = {"json": False}


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the templates receive. Documented field by field in the README."""

    schema_version: str
    id: str
    title: str
    severity: str
    status: str
    owner: str | None
    authors: tuple[str, ...]
    timezone: str  #: IANA display zone
    report_date: date  #: "as of" date: overdue actions are judged against it
    milestones: tuple[Milestone, ...]
    incident_window: Window | None
    impact_window: Window | None
    component_windows: tuple[Window, ...]
    impact_figures: tuple[ImpactFigure, ...]
    timeline: tuple[TimelineRow, ...]
    metrics: tuple[Metric, ...]
    sections: tuple[Section, ...]
    action_items: tuple[ActionItem, ...]
    sources: tuple[SourceRecord, ...]
    flags: tuple[Flag, ...]
    style: str  #: built-in template style, "default" or "sre"
    changes: tuple[str, ...] = ()  #: what changed since the previous build's JSON, if any
    roles: tuple[tuple[str, str], ...] = ()  #: (role, who), e.g. ("commander", "Dana Whitfield")
    render: RenderOptions = field(default=RenderOptions(), metadata=NOT_IN_JSON)
    warnings: tuple[str, ...] = field(default=(), metadata=NOT_IN_JSON)  #: said while building
