"""The incident file's schema: the one door through which user input enters.

Fields are typed as `str` wherever YAML 1.1 would silently coerce (`no`, `on`, `3:00`),
so pydantic rejects the coerced value and the loader points at the line to quote.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from postmortem.model import MILESTONE_ORDER, MilestoneName, SourceKind

IdStr = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+$", min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1)]


def _instant(value: object) -> object:
    """Refuse what pydantic would otherwise turn into a wrong instant.

    YAML 1.1 reads `3:00` as the number 180 and pydantic reads numbers as Unix times; a bare
    date would silently become midnight.
    """
    if isinstance(value, bool | int | float):
        raise ValueError(f"{value!r} is not a date and time; write it like 2026-03-20T03:00:00Z")
    if isinstance(value, date) and not isinstance(value, datetime):
        raise ValueError(f"{value} has no time of day; add one, e.g. {value}T03:00:00Z")
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        raise ValueError(
            f"{value.strip()} has no time of day; add one, e.g. {value.strip()}T03:00:00Z"
        )
    return value


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise ValueError("must be an http:// or https:// URL")
    return value


Url = Annotated[str, AfterValidator(_http_url)]

#: A point in time. Naive values are read in the file's `timezone` by the loader.
When = Annotated[datetime, BeforeValidator(_instant)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Milestones(_Strict):
    """Incident milestones; any subset may be given."""

    started: When | None = None
    detected: When | None = None
    acknowledged: When | None = None
    identified: When | None = None
    mitigated: When | None = None
    resolved: When | None = None

    def items(self) -> list[tuple[MilestoneName, datetime]]:
        """The milestones that are set, in canonical order."""
        found = ((name, getattr(self, name)) for name in MILESTONE_ORDER)
        return [(name, at) for name, at in found if at is not None]


class ImpactSpec(_Strict):
    """The customer-impact window, separate from the incident window."""

    start: When | None = None
    end: When | None = None
    metrics: dict[str, float] = Field(default_factory=dict)


class TimelineEntry(_Strict):
    """A hand-written timeline entry."""

    at: When
    text: Text
    milestone: MilestoneName | None = None
    star: bool = False


class Curation(_Strict):
    """Star or hide collected timeline rows whose text contains `match` (any case)."""

    match: Text
    star: bool = False
    hide: bool = False


class Match(_Strict):
    """Filters that pick the vendor incident(s) out of a feed."""

    title: str | None = None
    components: list[str] = Field(default_factory=list)


class SourceSpec(_Strict):
    """A source of evidence: a status feed, a cloud status API or a news article."""

    name: str | None = None
    kind: SourceKind
    url: Url | None = None
    path: str | None = None
    incident: str | None = None  #: id or URL of the one vendor incident to follow
    match: Match | None = None

    @model_validator(mode="after")
    def _one_location(self) -> SourceSpec:
        if (self.url is None) == (self.path is None):
            raise ValueError("give exactly one of `url` or `path`")
        return self

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
    link: Url | None = None
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
    components: list[str] = Field(default_factory=list)  #: your services that were affected
    report_date: date | None = None  #: "as of" date; defaults to the latest date in the file
    style: Literal["default", "sre"] = "default"
    templates: list[str] = Field(default_factory=list)
    allow_hosts: list[str] = Field(default_factory=list)
    milestones: Milestones = Field(default_factory=Milestones)
    impact: ImpactSpec = Field(default_factory=ImpactSpec)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    curate: list[Curation] = Field(default_factory=list)
    sources: list[SourceSpec] = Field(default_factory=list)
    sections: Sections = Field(default_factory=Sections)
    action_items: list[ActionItemSpec] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        import difflib
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            names = sorted(zoneinfo.available_timezones())
            close = difflib.get_close_matches(value, names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ", e.g. Europe/Berlin or UTC"
            raise ValueError(f"unknown time zone {value!r}: use an IANA name{hint}") from None
        return value
