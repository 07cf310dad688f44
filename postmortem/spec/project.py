"""The project file (`postmortem.yaml`): vendor feeds to archive and where incidents live."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from postmortem.spec.fieldtypes import HttpUrl
from postmortem.spec.incident import SourceSpec

PROJECT_FILE = "postmortem.yaml"
Tracker = Literal["jira", "gitlab", "github", "servicenow", "confluence"]


class VendorFeed(SourceSpec):
    """A vendor status source to archive; `name` identifies the vendor in reviews."""

    name: str  # required here, optional on incident sources


class Project(BaseModel):
    """A validated project file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = "Reliability review"
    timezone: str = "UTC"
    archive: str = ".postmortem/archive.sqlite"  #: relative to the project file
    incidents: list[str] = Field(default_factory=lambda: ["."])  #: directories of incident files
    reports: str | None = None  #: where built incident reports live, for links
    allow_hosts: list[str] = Field(default_factory=list)
    vendors: list[VendorFeed] = Field(default_factory=list)
    #: base URL of each tracker `postmortem publish` talks to (the environment may override)
    trackers: dict[Tracker, HttpUrl] = Field(default_factory=dict)


def find_project(start: Path) -> Path | None:
    """The project file in `start` or the nearest parent directory, if any."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None
