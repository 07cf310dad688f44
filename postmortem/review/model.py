"""Typed records of a reliability review: what the review templates receive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from postmortem.model import Milestone, Report, Window
from postmortem.review.periods import Period
from postmortem.review.stats import DurationStats
from postmortem.spec.incident import Incident


@dataclass(frozen=True, slots=True)
class OwnInput:
    """One of your incidents: its file, and the post-mortem `postmortem build` makes of it."""

    path: Path
    incident: Incident
    report: Report  #: the single source of its times: milestones, end and duration
    link: str | None = None  #: where the built report lives, when the project says


@dataclass(frozen=True, slots=True)
class ReviewedIncident:
    """One incident in a review, yours or a vendor's, reduced to what a review compares."""

    origin: Literal["own", "vendor"]
    source: str  #: vendor name, or the incident file's path for your own incidents
    id: str
    title: str
    link: str | None  #: the vendor's incident page, or your incident's report file
    severity: str  #: SEV1..SEV5 for yours; the vendor's impact word for vendors
    status: str  #: your review status, or ongoing/resolved/scheduled for vendors
    started_at: datetime
    resolved_at: datetime | None
    components: tuple[str, ...]
    windows: tuple[Window, ...]  #: impact spells: one per component and state
    milestones: tuple[Milestone, ...] = ()  #: yours: exactly those of the post-mortem
    first_post: datetime | None = None  #: vendors: their first status update

    @property
    def duration(self) -> timedelta | None:
        """Resolved minus started; None while ongoing."""
        return None if self.resolved_at is None else self.resolved_at - self.started_at


@dataclass(frozen=True, slots=True)
class Count:
    """How many incidents fell under `key` in this period and the one before.

    None means "no data": the archive holds nothing of that vendor from so early.
    """

    key: str
    current: int | None
    previous: int | None


@dataclass(frozen=True, slots=True)
class Coverage:
    """From when the archive holds a vendor's incidents; it knows nothing before `since`."""

    vendor: str
    since: datetime  #: the earliest start archived for the vendor
    period: Literal["full", "partial", "none"]  #: how much of the reviewed period it covers


@dataclass(frozen=True, slots=True)
class ComponentImpact:
    """Impact minutes of one component within the period, and its availability."""

    source: str  #: vendor name, or "own"
    component: str
    impact: timedelta  #: customer-impact time inside the period (all states)
    downtime: timedelta  #: time counted as down under the stated weighting
    availability: float  #: 1 - downtime / period length


@dataclass(frozen=True, slots=True)
class SloStatus:
    """One availability target over one period: availability and error budget used.

    budget = (1 - target) x period length; used = downtime / budget (over 1: missed).
    """

    source: str  #: "own" or the vendor's name
    component: str
    target: float  #: percent, e.g. 99.9
    availability: float | None  #: None: no data for the vendor this early
    downtime: timedelta
    budget: timedelta
    used: float | None  #: fraction of the error budget spent; None: no data

    @property
    def met(self) -> bool | None:
        """Whether availability reached the target; None without data."""
        return None if self.availability is None else self.availability * 100 >= self.target


@dataclass(frozen=True, slots=True)
class SloBucket:
    """Every target's status in one trend bucket."""

    label: str
    statuses: tuple[SloStatus, ...]


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One period of the trend, oldest first."""

    label: str
    own: DurationStats
    vendor: DurationStats
    own_count: int
    vendor_count: int | None  #: None: no vendor has data this early
    no_data: tuple[str, ...] = ()  #: vendors the archive holds nothing of for this bucket


@dataclass(frozen=True, slots=True)
class Overlap:
    """A vendor incident overlapping one of yours, and how promptly the vendor told you.

    Formulas (named in the report): posting lag = vendor's first post - your detection
    (negative: the vendor posted first); to resolution = vendor's resolution - its first
    post; backdated by = its first post - its stated start, when it states an earlier one.
    """

    own_id: str
    own_title: str
    vendor: str
    vendor_id: str
    vendor_title: str
    vendor_link: str | None
    overlap: timedelta
    detected: datetime  #: your detection (your start when the file has no detection)
    first_post: datetime | None
    posting_lag: timedelta | None
    to_resolution: timedelta | None
    stated_start: datetime | None  #: the vendor's stated impact start, if before its first post
    stated_end: datetime | None  #: the vendor's stated end (its resolution)
    backdated: timedelta | None
    late: bool  #: first post more than `LATE_POST` after your detection


@dataclass(frozen=True, slots=True)
class VendorAccount:
    """Per vendor: how many of your incidents it overlapped, and how promptly it posted."""

    vendor: str
    overlapped: int  #: distinct incidents of yours overlapped by one of its incidents
    median_posting_lag: timedelta | None
    late_posts: int


@dataclass(frozen=True, slots=True)
class ActionRow:
    """An action item from one of your incidents, as the review lists it."""

    incident_id: str
    title: str
    owner: str | None
    due: date | None
    priority: str | None
    status: str
    overdue: bool
    closed: date | None


@dataclass(frozen=True, slots=True)
class OwnerLoad:
    """Open and overdue action items per owner."""

    owner: str
    open: int
    overdue: int


@dataclass(frozen=True, slots=True)
class Problem:
    """A data problem: listed, never silently dropped or averaged."""

    source: str
    incident_id: str
    message: str


@dataclass(frozen=True, slots=True)
class Review:
    """A reliability review of one period."""

    schema_version: str
    title: str
    period: Period
    previous: Period
    timezone: str
    incidents: tuple[ReviewedIncident, ...]  #: in the period, oldest first
    by_severity: tuple[Count, ...]
    by_source: tuple[Count, ...]
    by_component: tuple[Count, ...]
    own_durations: DurationStats
    vendor_durations: DurationStats
    previous_own_durations: DurationStats
    previous_vendor_durations: DurationStats
    coverage: tuple[Coverage, ...]
    previous_no_data: tuple[str, ...]  #: vendors with no data for the previous period
    components: tuple[ComponentImpact, ...]
    slos: tuple[SloStatus, ...]  #: in the period, in the order of the project file
    slo_trend: tuple[SloBucket, ...]  #: per trend bucket, oldest first
    weighting: str  #: how downtime is counted for availability, stated in the report
    trend: tuple[TrendPoint, ...]
    overlaps: tuple[Overlap, ...]
    accounts: tuple[VendorAccount, ...]
    late_post: timedelta  #: the threshold: a first post later than this after your detection
    open_actions: tuple[ActionRow, ...]
    overdue_actions: tuple[ActionRow, ...]
    done_actions: tuple[ActionRow, ...]  #: closed within this period
    owners: tuple[OwnerLoad, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[str, ...]  #: files that could not be read, and why
