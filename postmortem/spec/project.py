"""The project file (`postmortem.yaml`): vendor feeds to archive and where incidents live."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from postmortem.spec.fieldtypes import HttpUrl
from postmortem.spec.incident import SourceSpec

PROJECT_FILE = "postmortem.yaml"
Tracker = Literal["jira", "gitlab", "github", "servicenow", "confluence"]


class VendorFeed(SourceSpec):
    """A vendor status source to archive; `name` identifies the vendor in reviews."""

    name: str  # required here, optional on incident sources


#: an availability target in percent, e.g. 99.9; 100 would leave no error budget at all
Target = Annotated[float, Field(gt=0, lt=100)]


class Slo(BaseModel):
    """Availability targets: per component of yours, and per vendor and vendor component."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    components: dict[str, Target] = Field(default_factory=dict)
    vendors: dict[str, dict[str, Target]] = Field(default_factory=dict)

    def targets(self) -> dict[tuple[str, str], float]:
        """(source, component) -> target percent; source is "own" or the vendor's name."""
        found = {("own", name): target for name, target in self.components.items()}
        for vendor, components in self.vendors.items():
            found |= {(vendor, name): target for name, target in components.items()}
        return found


class Project(BaseModel):
    """A validated project file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = "Reliability review"
    timezone: str = "UTC"
    archive: str = ".postmortem/archive.sqlite"  #: relative to the project file
    incidents: list[str] = Field(default_factory=lambda: ["."])  #: directories of incident files
    reports: str | None = None  #: where built incident reports live, for links
    allow_hosts: list[str] = Field(default_factory=list)  #: private hosts sources may use
    allow_paths: list[str] = Field(default_factory=list)  #: folders `path:` sources may read
    vendors: list[VendorFeed] = Field(default_factory=list)
    slo: Slo = Field(default_factory=Slo)
    pdf_a: bool = False  #: write archival PDF/A-3b unless `--no-pdf-a` says otherwise
    #: base URL of each tracker `postmortem publish` talks to (the environment may override)
    trackers: dict[Tracker, HttpUrl] = Field(default_factory=dict)

    def allowed_folders(self, base: Path) -> tuple[Path, ...]:
        """`allow_paths`, relative to `base` (the project file's folder)."""
        return tuple(base / folder for folder in self.allow_paths)


def find_project(start: Path) -> Path | None:
    """The project file in `start` or the nearest parent directory, if any."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def pdf_a_default(project_file: Path | None) -> bool:
    """The project's `pdf_a:` setting; False without a project file."""
    if project_file is None:
        return False
    from postmortem.spec.loader import load_model

    return load_model(project_file, Project).pdf_a


def trusted(
    project_file: Path | None, hosts: Sequence[str] = (), paths: Sequence[Path] = ()
) -> tuple[tuple[str, ...], tuple[Path, ...]]:
    """Hosts and folders the user allows: the command line's plus the project file's.

    Project folders are relative to the project file. Incident files cannot add to these.
    """
    if project_file is None:
        return tuple(hosts), tuple(paths)
    from postmortem.spec.loader import load_model

    project = load_model(project_file, Project)
    return (
        (*hosts, *project.allow_hosts),
        (*paths, *project.allowed_folders(project_file.parent)),
    )
