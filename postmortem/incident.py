"""The incident file's schema: the one door through which user input enters.

Fields are typed as `str` wherever YAML 1.1 would silently coerce (`no`, `on`, `3:00`),
so pydantic rejects the coerced value and the loader points at the line to quote.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from postmortem.model import MILESTONE_ORDER, MilestoneName, SourceKind

IdStr = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+$", min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Milestones(_Strict):
    """Incident milestones; any subset may be given."""

    started: datetime | None = None
    detected: datetime | None = None
    acknowledged: datetime | None = None
    identified: datetime | None = None
    mitigated: datetime | None = None
    resolved: datetime | None = None

    def items(self) -> list[tuple[MilestoneName, datetime]]:
        """The milestones that are set, in canonical order."""
        found = ((name, getattr(self, name)) for name in MILESTONE_ORDER)
        return [(name, at) for name, at in found if at is not None]


class ImpactSpec(_Strict):
    """The customer-impact window, separate from the incident window."""

    start: datetime | None = None
    end: datetime | None = None
    metrics: dict[str, float] = Field(default_factory=dict)


class TimelineEntry(_Strict):
    """A hand-written timeline entry."""

    at: datetime
    text: Text
    milestone: MilestoneName | None = None
    star: bool = False


class Match(_Strict):
    """Filters that pick the vendor incident(s) out of a feed."""

    title: str | None = None
    components: list[str] = Field(default_factory=list)


class SourceSpec(_Strict):
    """A source of evidence: a status feed, a cloud status API or a news article."""

    name: str | None = None
    kind: SourceKind
    url: str | None = None
    path: str | None = None
    incident: str | None = None  #: id or URL of the one vendor incident to follow
    match: Match | None = None

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http:// or https:// URL (use `path:` for a local file)")
        return value

    def model_post_init(self, _context: object) -> None:
        """Exactly one of `url` and `path`."""
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of `url` or `path`")

    @property
    def location(self) -> str:
        """The URL or path, whichever was given."""
        return self.url or self.path or ""


class Sections(_Strict):
    """Prose sections in Markdown; an empty one is drafted from evidence."""

    summary: str | None = None
    impact: str | None = None
    root_cause: str | None = None
    remediation: str | None = None
    lessons: str | None = None


class ActionItemSpec(_Strict):
    """A follow-up action."""

    title: Text
    owner: str | None = None
    due: date | None = None
    priority: Literal["P0", "P1", "P2", "P3"] | None = None
    kind: Literal["mitigate", "prevent", "process"] | None = None
    link: str | None = None
    status: Literal["open", "done", "wontfix"] = "open"
    closed: date | None = None  #: when it was done; reviews list items closed in the period


class Incident(_Strict):
    """A validated incident file."""

    id: IdStr
    title: Text
    severity: Literal["SEV1", "SEV2", "SEV3", "SEV4", "SEV5"] = "SEV3"
    status: Literal["draft", "in-review", "published"] = "draft"
    timezone: str = "UTC"
    owner: str | None = None
    authors: list[str] = Field(default_factory=list)
    components: list[str] = Field(default_factory=list)  #: your affected services
    report_date: date | None = None  #: "as of" date; defaults to the latest date in the file
    style: Literal["default", "sre"] = "default"
    templates: list[str] = Field(default_factory=list)
    allow_hosts: list[str] = Field(default_factory=list)
    milestones: Milestones = Field(default_factory=Milestones)
    impact: ImpactSpec = Field(default_factory=ImpactSpec)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    sources: list[SourceSpec] = Field(default_factory=list)
    sections: Sections = Field(default_factory=Sections)
    action_items: list[ActionItemSpec] = Field(default_factory=list)
