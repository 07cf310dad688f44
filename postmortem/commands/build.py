"""`postmortem build` and `postmortem lint`."""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING

import click

from postmortem.commands.options import (
    LazyPath,
    allow_path_option,
    archival_default,
    format_list,
    pdf_renderer,
    trusted_places,
)
from postmortem.errors import unit_failure
from postmortem.export import DEFAULT_FORMATS

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path


# build: incident files into Markdown, HTML, JSON and PDF
@click.command()
@click.argument("files", nargs=-1, required=True, type=LazyPath())
@click.option("-o", "--output", help="Output directory, or - for Markdown on stdout.")
@click.option(
    "-f",
    "--format",
    "formats",
    default=DEFAULT_FORMATS["build"],
    callback=format_list,
    show_default=True,
    help="Comma-separated: md,html,json,pdf.",
)
@click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=LazyPath(file_okay=False),
    help="Template override dir.",
)
@click.option("--style", type=click.Choice(["default", "sre"]), help="Built-in layout.")
@click.option("--tz", help="Display time zone (IANA), instead of the file's.")
@click.option(
    "--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Judge overdue items on this date."
)
@click.option("--page-size", type=click.Choice(["A4", "Letter"]), default="A4", show_default=True)
@click.option(
    "--pdf-a/--no-pdf-a",
    default=None,
    help="Archival PDF/A-3b (default: `pdf_a:` in postmortem.yaml, else plain tagged PDF).",
)
@click.option("--offline", is_flag=True, help="Build from stored snapshots only.")
@click.option("--refresh", is_flag=True, help="Fetch every source again, unconditionally.")
@click.option("--allow-host", "allow_hosts", multiple=True, help="Allow a private/intranet host.")
@allow_path_option
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. a failing source) as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Report progress (sources, outputs) on stderr; -vv also shows tracebacks.",
)
def build(
    files: tuple[Path, ...],
    output: str | None,
    formats: tuple[str, ...],
    template_dirs: tuple[Path, ...],
    style: str | None,
    tz: str | None,
    as_of: datetime | None,
    page_size: str,
    pdf_a: bool | None,
    offline: bool,
    refresh: bool,
    allow_hosts: tuple[str, ...],
    allow_paths: tuple[Path, ...],
    strict: bool,
    quiet: bool,
    verbose: int,
) -> None:
    """Build post-mortems from incident files.

    Example:

    \b
        postmortem build incident.yaml -f md,html,pdf -o out/
    """
    to_stdout = output == "-"
    if to_stdout:
        formats = ("md",)
    with ExitStack() as stack:
        pdf = pdf_renderer(stack, formats)  # first, so WeasyPrint loads meanwhile

        import sys
        from pathlib import Path

        from postmortem import build_files
        from postmortem.report.build import ReportOptions

        if verbose > 1:
            import os

            os.environ["POSTMORTEM_DEBUG"] = "1"  # read by postmortem.errors.debugging
        if verbose:
            import logging

            logging.basicConfig(level=logging.INFO, format="%(message)s", force=True)  # stderr

        hosts, folders = trusted_places(allow_hosts, allow_paths)
        options = ReportOptions(
            template_dirs=template_dirs,
            timezone=tz,
            style=style,
            as_of=as_of.date() if as_of else None,
            page_size=page_size,  # type: ignore[arg-type]  # click.Choice checked it
            pdf_a=archival_default() if pdf_a is None else pdf_a,
            offline=offline,
            refresh=refresh,
            allow_hosts=hosts,
            allow_paths=folders,
            strict=strict,
        )
        results = build_files(
            files,
            options,
            formats=formats,
            out_dir=Path(output) if output and not to_stdout else None,
            stdout=sys.stdout.buffer if to_stdout else None,
            pdf=pdf,
        )
    for result in results:
        for warning in () if quiet else result.warnings:
            click.echo(f"warning: {warning}", err=True)
        if result.error:
            click.echo(f"Error: {result.error}", err=True)
        for path in () if quiet or to_stdout else result.outputs:
            click.echo(path)
    if any(r.error for r in results):
        raise click.exceptions.Exit(1)


# lint: consistency flags, for CI
@click.command()
@click.argument("files", nargs=-1, required=True, type=LazyPath())
@click.option("--offline", is_flag=True, help="Check against stored snapshots only.")
@click.option("--allow-host", "allow_hosts", multiple=True, help="Allow a private/intranet host.")
@allow_path_option
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
def lint(
    files: tuple[Path, ...],
    offline: bool,
    allow_hosts: tuple[str, ...],
    allow_paths: tuple[Path, ...],
    strict: bool,
) -> None:
    """Check incident files and their evidence for inconsistencies.

    Prints one line per flag: sources that disagree, prose dates that contradict their
    stamps, unresolved vendor incidents, placeholders, action items without owner or due
    date. Exits 1 when a file is invalid or has an error (or, with --strict, a warning).

    Example:

    \b
        postmortem lint incidents/*.yaml --offline
    """
    from postmortem import build_report, load_incident
    from postmortem.report.build import ReportOptions

    hosts, folders = trusted_places(allow_hosts, allow_paths)
    options = ReportOptions(offline=offline, allow_hosts=hosts, allow_paths=folders)
    failed = False
    for path in files:
        try:
            incident = load_incident(path)
            report = build_report(incident, base_dir=path.parent, options=options)
        except Exception as exc:  # one file fails alone, whatever went wrong
            click.echo(f"{path}: error: {unit_failure(exc, str(path))}", err=True)
            failed = True
            continue
        for flag in report.flags:
            click.echo(f"{path}: {flag.level}: {flag.message} [{flag.code}]")
            failed |= flag.level == "error" or (strict and flag.level == "warning")
        if not report.flags:
            click.echo(f"{path}: ok")
    if failed:
        raise click.exceptions.Exit(1)
