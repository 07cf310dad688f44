"""From a loaded incident file to the typed Report: check, collect the evidence, assemble."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from postmortem.errors import PostmortemError
from postmortem.model import RenderOptions, Report
from postmortem.report.assemble import assemble_report
from postmortem.report.evidence import Evidence, gather_evidence
from postmortem.spec.incident import Incident, check_incident

if TYPE_CHECKING:
    from postmortem.report.evidence import Fetch


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How to build one report: display, drafting and collecting choices."""

    template_dirs: tuple[Path, ...] = ()  #: searched before the file's own `templates:`
    timezone: str | None = None  #: display zone instead of the file's
    style: str | None = None  #: built-in layout instead of the file's
    as_of: date | None = None  #: judge overdue actions on this day
    page_size: Literal["A4", "Letter"] = "A4"
    pdf_a: bool = False  #: archival PDF/A-3b
    offline: bool = False  #: stored snapshots only (when no fetcher is given)
    refresh: bool = False  #: fetch every source again (when no fetcher is given)
    #: private hosts sources may use; an incident file's own `allow_hosts` count only
    #: when listed here too (the user's and the project file's word, not the file's)
    allow_hosts: tuple[str, ...] = ()
    #: folders `path:` sources and `templates:` may read besides their file's own
    allow_paths: tuple[Path, ...] = ()
    strict: bool = False  #: warnings are errors


def build_report(
    incident: Incident,
    *,
    base_dir: Path = Path(),
    fetch: Fetch | None = None,
    options: ReportOptions = ReportOptions(),
) -> Report:
    """Check the incident, collect its evidence and assemble the report.

    `base_dir` is the incident file's folder: relative `path:` sources, `templates:` and the
    snapshot store (`.postmortem/`) are found from it. `fetch` reads the sources (default:
    a guarded `Fetcher` with `options`' offline, refresh and allow_hosts).
    """
    if options.timezone:
        incident = incident.model_copy(update={"timezone": _checked_zone(options.timezone)})
    from postmortem.collectors.fetch.paths import template_folders

    own_templates = template_folders(incident, base_dir, options.allow_paths)  # before any fetch
    warnings = [*check_incident(incident), *_untrusted_hosts(incident, options)]
    evidence = Evidence.empty()
    if incident.sources:
        evidence = _evidence(incident, base_dir, fetch, options)
        warnings += evidence.warnings
    if options.strict and warnings:
        raise PostmortemError("\n".join(["warnings are errors with --strict:", *warnings]))
    report = assemble_report(incident, evidence, as_of=options.as_of, style=options.style)
    render = RenderOptions(
        template_dirs=(*options.template_dirs, *own_templates),
        page_size=options.page_size,
        pdf_a=options.pdf_a,
    )
    return replace(report, render=render, warnings=tuple(warnings))


def _checked_zone(zone: str) -> str:
    from postmortem.spec.fieldtypes import zone_info

    if zone_info(zone) is None:
        raise PostmortemError(f"--tz {zone!r}: not an IANA time zone (e.g. Europe/Berlin, UTC)")
    return zone


def _evidence(
    incident: Incident, base_dir: Path, fetch: Fetch | None, options: ReportOptions
) -> Evidence:
    from postmortem.collectors.fetch.snapshots import STORE_DIR

    store = base_dir / STORE_DIR
    if fetch is not None:
        return gather_evidence(
            incident,
            base_dir=base_dir,
            fetcher=fetch,
            cache_dir=store,
            allow_paths=options.allow_paths,
        )
    from postmortem.collectors.fetch.client import Fetcher

    with Fetcher(
        store, offline=options.offline, refresh=options.refresh, allow_hosts=options.allow_hosts
    ) as fetcher:
        return gather_evidence(
            incident,
            base_dir=base_dir,
            fetcher=fetcher,
            cache_dir=store,
            allow_paths=options.allow_paths,
        )


def _untrusted_hosts(incident: Incident, options: ReportOptions) -> list[str]:
    """A warning for each host the incident file allows but the user does not."""
    if not incident.allow_hosts:
        return []
    from postmortem.collectors.fetch.guard import normalise_host

    trusted = {normalise_host(host) for host in options.allow_hosts}
    return [
        f"allow_hosts[{n}]: {host} is not allowed: an incident file cannot allow a host by "
        "itself; allow it with --allow-host or allow_hosts: in postmortem.yaml"
        for n, host in enumerate(incident.allow_hosts)
        if normalise_host(host) not in trusted
    ]
