"""Gather what a review reads: your incident files and the vendor archive."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem.errors import CollectError, PostmortemError, unit_failure
from postmortem.model import Report, VendorIncident
from postmortem.review.archive import Archive, StoreResult
from postmortem.review.periods import Period, check_year, date_range, iso_week, month, quarter
from postmortem.spec.project import PROJECT_FILE, Project, VendorFeed

if TYPE_CHECKING:
    from postmortem.collectors.fetch.client import Fetcher
    from postmortem.review.model import Review
    from postmortem.spec.incident import Incident


@dataclass(frozen=True, slots=True)
class OwnIncidents:
    """Incident files that loaded, and one warning per file that did not."""

    loaded: tuple[tuple[Path, Incident, Report], ...]
    warnings: tuple[str, ...]


#: reads one incident file into the incident and its report, as `postmortem build` does
Load = Callable[[Path], "tuple[Incident, Report]"]


def find_incident_files(dirs: Sequence[Path]) -> tuple[Path, ...]:
    """Every YAML file below `dirs`, skipping project files and hidden directories."""
    found: set[Path] = set()
    for folder in dirs:
        if folder.is_file():
            found.add(folder)
            continue
        if not folder.is_dir():
            raise PostmortemError(f"{folder}: no such directory")
        for path in folder.rglob("*"):
            hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
            if path.suffix in {".yaml", ".yml"} and path.name != PROJECT_FILE and not hidden:
                found.add(path)
    return tuple(sorted(found))


def load_own(dirs: Sequence[Path], load: Load, *, strict: bool) -> OwnIncidents:
    """Load every incident file; a bad one is a warning (an error with `strict`)."""
    loaded, warnings = [], []
    for path in find_incident_files(dirs):
        try:
            incident, report = load(path)
        except Exception as exc:  # one file is skipped alone, whatever went wrong
            problem = unit_failure(exc, str(path))
            if strict:
                raise PostmortemError(problem) from None
            warnings.append(f"{path}: skipped: {problem.splitlines()[0]}")
            continue
        loaded.append((path, incident, report))
        warnings += [f"{path}: {w}" for w in report.warnings]
    return OwnIncidents(tuple(loaded), tuple(warnings))


def post_mortem(path: Path, allow_paths: Sequence[Path] = ()) -> tuple[Incident, Report]:
    """The post-mortem `postmortem build` makes of one file, from stored snapshots only.

    `allow_paths` are the folders outside the file's own that its `path:` sources and
    `templates:` may read (the project's `allow_paths:`).
    """
    from postmortem.report.build import ReportOptions, build_report
    from postmortem.spec.loader import load_incident

    incident = load_incident(path)
    options = ReportOptions(offline=True, allow_paths=tuple(allow_paths))
    return incident, build_report(incident, base_dir=path.parent, options=options)


def load_vendor(archive: Path, period: Period) -> tuple[tuple[str, VendorIncident], ...]:
    """Archived vendor incidents from the first period of the trend to the end of `period`."""
    if not archive.is_file():
        return ()
    first = min(period.buckets()[0].start, period.previous().start)
    with Archive.open(archive, check=False) as store:
        return store.incidents(start=first, end=period.end)


def load_coverage(archive: Path) -> dict[str, datetime]:
    """Per archived vendor, its first data (empty without an archive)."""
    if not archive.is_file():
        return {}
    with Archive.open(archive, check=False) as store:
        return store.coverage()


@dataclass(frozen=True, slots=True)
class VendorUpdate:
    """The outcome of archiving one vendor feed."""

    vendor: str
    location: str
    result: StoreResult | None  #: None when the feed failed
    problem: str | None


def update_archive(
    archive: Path, vendors: Sequence[VendorFeed], *, base_dir: Path, fetcher: Fetcher
) -> tuple[VendorUpdate, ...]:
    """Collect every vendor feed once and add what is new to the archive.

    A failing feed is reported and the others are still archived.
    """
    from postmortem.collectors import get_collector
    from postmortem.collectors.fetch.client import read_file

    fetched = fetcher.fetch_many([v.url for v in vendors if v.url])
    outcomes = []
    with Archive.open(archive) as store:
        for vendor in vendors:
            try:
                if vendor.url:
                    snapshot = fetched[vendor.url]
                    if isinstance(snapshot, CollectError):
                        raise snapshot
                else:
                    snapshot = read_file(base_dir / (vendor.path or ""))
                collected = get_collector(vendor.kind)(snapshot)
                result = store.store(vendor.name, collected.incidents)
                outcomes.append(VendorUpdate(vendor.name, vendor.location, result, None))
            except Exception as exc:  # one feed fails alone, whatever went wrong
                problem = unit_failure(exc, vendor.location)
                outcomes.append(VendorUpdate(vendor.name, vendor.location, None, problem))
    return tuple(outcomes)


def load_project(path: Path) -> Project:
    """Read and validate a project file."""
    from postmortem.spec.loader import load_model

    return load_model(path, Project)


def choose_period(
    zone: str,
    *,
    week: str | None = None,
    month_label: str | None = None,
    quarter_label: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Period:
    """The period named on the command line: a week, month, quarter or date range."""
    from postmortem.spec.fieldtypes import zone_info

    if zone_info(zone) is None:
        raise PostmortemError(f"time zone {zone!r}: not an IANA name (e.g. Europe/Berlin, UTC)")
    named = [
        n
        for n, v in (("--week", week), ("--month", month_label), ("--quarter", quarter_label))
        if v
    ]
    if since or until:
        named.append("--since/--until")
    if len(named) > 1:
        raise PostmortemError(f"give one period, not {' and '.join(named)}")
    if week:
        return iso_week(week, zone)
    if month_label:
        return month(month_label, zone)
    if quarter_label:
        return quarter(quarter_label, zone)
    if since and until:
        check_year(since.year, f"--since {since}")
        check_year(until.year, f"--until {until}")
        return date_range(since, until, zone)
    raise PostmortemError(
        "say which period to review: --week 2026-W12, --month 2026-03, --quarter 2026-Q1, "
        "or --since and --until"
    )


def review_period(
    dirs: Sequence[Path],
    *,
    project_file: Path | None,
    week: str | None = None,
    month: str | None = None,
    quarter: str | None = None,
    since: date | None = None,
    until: date | None = None,
    zone: str | None = None,
    strict: bool = False,
) -> Review:
    """A review of a week (`2026-W12`), month (`2026-03`), quarter (`2026-Q1`) or date
    range: your incident files (as their post-mortems) and the vendor archive."""
    # imported here: `archive import` and `archive update` need none of the review's models
    from postmortem.review.assemble import build_review
    from postmortem.review.model import OwnInput

    project = load_project(project_file) if project_file else Project()
    base = project_file.parent if project_file else Path()
    period = choose_period(
        zone or project.timezone,
        week=week,
        month_label=month,
        quarter_label=quarter,
        since=since,
        until=until,
    )
    folders = list(dirs) or [base / d for d in project.incidents]
    allowed = project.allowed_folders(base)
    own = load_own(folders, partial(post_mortem, allow_paths=allowed), strict=strict)
    vendors = load_vendor(base / project.archive, period)
    return build_review(
        [OwnInput(p, i, r, _report_link(project, i)) for p, i, r in own.loaded],
        vendors,
        period,
        title=project.title,
        warnings=own.warnings,
        coverage=load_coverage(base / project.archive),
        targets=project.slo.targets(),
    )


def _report_link(project: Project, incident: Incident) -> str | None:
    """Where `postmortem build` put this incident's HTML report, when the project says."""
    if project.reports is None:
        return None
    from postmortem.storage.names import output_stem

    return f"{project.reports.rstrip('/')}/{output_stem(incident.id, incident.title)}.html"


def _project(project_file: Path | None) -> tuple[Project, Path]:
    from postmortem.spec.project import find_project

    path = project_file or find_project(Path())
    if path is None:
        return Project(), Path()
    return load_project(path), path.parent


def archive_path(project_file: Path | None) -> Path:
    """Where the archive lives: the project's setting, else `.postmortem/archive.sqlite`."""
    project, base = _project(project_file)
    return base / project.archive


def update_project_archive(
    project_file: Path | None, *, offline: bool, allow_hosts: Sequence[str]
) -> tuple[str, ...]:
    """Archive every vendor feed of the project; one summary line per feed."""
    from postmortem.collectors.fetch.client import Fetcher

    project, base = _project(project_file)
    if not project.vendors:
        raise PostmortemError(
            "no vendor feeds to archive: list them under `vendors:` in postmortem.yaml "
            "(or pass --project FILE)"
        )
    fetcher = Fetcher(
        base / ".postmortem",
        offline=offline,
        allow_hosts=(*project.allow_hosts, *allow_hosts),
    )
    outcomes = update_archive(
        base / project.archive, project.vendors, base_dir=base, fetcher=fetcher
    )
    return tuple(
        f"{o.vendor}: {o.problem}"
        if o.result is None
        else f"{o.vendor}: {o.result.incidents} incidents, {o.result.new_incidents} new, "
        f"{o.result.new_updates} new updates"
        for o in outcomes
    )
