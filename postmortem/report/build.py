"""The whole pipeline, top to bottom: incident file -> evidence -> report -> outputs.

Every output of one incident is rendered in memory first and written only when all of them
rendered, each file atomically: a failed build leaves the previous outputs untouched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem.errors import PostmortemError, unit_failure
from postmortem.model import Report
from postmortem.render import render_markdown
from postmortem.report.assemble import assemble_report
from postmortem.report.changes import diff_reports, previous_report
from postmortem.report.evidence import Evidence, gather_evidence
from postmortem.spec.incident import Incident, check_incident
from postmortem.spec.loader import load_incident
from postmortem.storage.atomic import write_atomic
from postmortem.storage.serialize import to_json

if TYPE_CHECKING:
    from postmortem.export.pdf import RenderPdf


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How to build: everything the command line can change."""

    out_dir: Path | None = None  #: None: next to each incident file
    formats: tuple[str, ...] = ("md", "pdf")
    template_dirs: tuple[Path, ...] = ()
    timezone: str | None = None
    style: str | None = None
    as_of: date | None = None
    page_size: str = "A4"
    offline: bool = False
    refresh: bool = False
    allow_hosts: tuple[str, ...] = ()
    strict: bool = False


@dataclass(frozen=True, slots=True)
class Built:
    """The outcome for one incident file."""

    source: Path
    outputs: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None
    report: Report | None = field(default=None, compare=False)


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe, lower-case ASCII rendering of a title."""
    if text.isascii():
        ascii_text = text
    else:  # imported only here: loading unicodedata costs a plain-ASCII build ~5 ms
        import unicodedata

        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-") or "incident"


def output_stem(report: Report) -> str:
    """`<id>-<slug>`, the name every output of one incident shares."""
    return f"{report.id}-{slug(report.title)}"


def build(
    paths: Sequence[Path], options: BuildOptions, *, pdf: RenderPdf | None = None
) -> tuple[Built, ...]:
    """Build each incident file; one failure is reported and the others still build.

    `pdf` renders the PDFs (default: `render_pdf`, in this process); the CLI passes a
    `PdfWorker`'s, which has been importing WeasyPrint while the reports were built.
    """
    results = []
    for path in paths:
        try:
            results.append(build_one(path, options, pdf=pdf))
        except Exception as exc:  # one file fails alone, whatever went wrong
            results.append(Built(path, error=unit_failure(exc, str(path))))
    return tuple(results)


def make_report(path: Path, options: BuildOptions) -> tuple[Report, Incident, tuple[str, ...]]:
    """Load, collect and assemble: the report, the incident and the warnings on the way."""
    incident = load_incident(path)
    if options.timezone:
        from postmortem.spec.fieldtypes import zone_info

        if zone_info(options.timezone) is None:
            raise PostmortemError(
                f"--tz {options.timezone!r}: not an IANA time zone (e.g. Europe/Berlin, UTC)"
            )
        incident = incident.model_copy(update={"timezone": options.timezone})
    warnings = [f"{path}: {w}" for w in check_incident(incident)]
    evidence = Evidence.empty()
    if incident.sources:
        from postmortem.collectors.fetch.client import Fetcher
        from postmortem.collectors.fetch.snapshots import store_for

        hosts = (*incident.allow_hosts, *options.allow_hosts)
        with Fetcher(
            store_for(path), offline=options.offline, refresh=options.refresh, allow_hosts=hosts
        ) as fetcher:
            evidence = gather_evidence(
                incident, base_dir=path.parent, fetcher=fetcher, cache_dir=store_for(path)
            )
        warnings += [f"{path}: {w}" for w in evidence.warnings]
    if options.strict and warnings:
        raise PostmortemError("\n".join(["warnings are errors with --strict:", *warnings]))
    report = assemble_report(incident, evidence, as_of=options.as_of, style=options.style)
    return report, incident, tuple(warnings)


def render_outputs(
    report: Report,
    incident: Incident,
    source: Path,
    options: BuildOptions,
    *,
    pdf: RenderPdf | None = None,
) -> dict[str, bytes]:
    """Every requested format rendered in memory, keyed by file extension."""
    dirs = (*options.template_dirs, *(source.parent / d for d in incident.templates))
    rendered: dict[str, bytes] = {}
    if "md" in options.formats:
        rendered["md"] = render_markdown(report, template_dirs=dirs).encode()
    if "json" in options.formats or "pdf" in options.formats:
        rendered["json"] = to_json(report).encode()
    if "html" in options.formats or "pdf" in options.formats:
        from postmortem.render.html import render_html

        html = render_html(report, template_dirs=dirs)
        rendered["html"] = html.encode()
        if "pdf" in options.formats:
            from postmortem.export.pdf import Attachment, render_pdf

            rendered["pdf"] = (pdf or render_pdf)(
                html,
                created=report.report_date,
                page_size=options.page_size,
                attachments=(
                    Attachment(source.name, source.read_bytes(), "The incident file"),
                    Attachment("report.json", rendered["json"], "The report as JSON"),
                ),
            )
    return {fmt: rendered[fmt] for fmt in options.formats}


def build_one(path: Path, options: BuildOptions, *, pdf: RenderPdf | None = None) -> Built:
    """Build one incident file into every requested format."""
    report, incident, warnings = make_report(path, options)
    folder = options.out_dir or path.parent
    previous = previous_report(folder / f"{output_stem(report)}.json")
    if previous is not None:
        report = replace(report, changes=diff_reports(previous, report))
    rendered = render_outputs(report, incident, path, options, pdf=pdf)
    outputs = []
    for fmt, data in rendered.items():
        target = folder / f"{output_stem(report)}.{fmt}"
        write_atomic(target, data)
        outputs.append(target)
    return Built(path, tuple(outputs), warnings, report=report)
