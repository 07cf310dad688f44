"""`postmortem build` and `postmortem lint`."""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import click

from postmortem.commands.options import (
    LazyPath,
    allow_path_option,
    format_list,
    options_from,
    pdf_renderer,
    report_options,
    trusted_places,
)
from postmortem.errors import unit_failure
from postmortem.export import DEFAULT_FORMATS

if TYPE_CHECKING:
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
@report_options
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
    quiet: bool,
    verbose: int,
    **report: Any,
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

        if verbose > 1:
            import os

            os.environ["POSTMORTEM_DEBUG"] = "1"  # read by postmortem.errors.debugging
        if verbose:
            import logging

            logging.basicConfig(level=logging.INFO, format="%(message)s", force=True)  # stderr

        options = options_from(**report)
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
