"""The command line: each command maps flags onto one library call.

`PostmortemError` becomes "Error: …" and exit status 1 here, in one place; any other
exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import click

from postmortem import __version__
from postmortem.errors import PostmortemError
from postmortem.kinds import SOURCE_KINDS

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path


# Our own pydantic models use no plugins; skipping the plugin scan saves start-up time.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


class _LazyPath(click.Path):
    """click.Path giving pathlib.Path, without importing pathlib before a command runs."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pathlib import Path

        return Path(str(super().convert(value, param, ctx)))


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PostmortemError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="postmortem")
def cli() -> None:
    """Turn an outage into a finished post-mortem."""


# collect: one source's vendor incidents, normalised
def _time_bound(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from postmortem.collect import parse_bound

    try:
        return None if value is None else parse_bound(value, end=param.name == "until")
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command()
@click.argument("source")
@click.option(
    "--kind",
    type=click.Choice(SOURCE_KINDS),
    help="Source kind; detected from the content when omitted.",
)
@click.option(
    "--since",
    callback=_time_bound,
    help="Keep incidents still open at or after this UTC date/time.",
)
@click.option(
    "--until",
    callback=_time_bound,
    help="Keep incidents started by this UTC date/time (a date includes the whole day).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "yaml"]),
    default="table",
    show_default=True,
)
@click.option("--offline", is_flag=True, help="Use the snapshot in ./.postmortem/ only.")
@click.option("--allow-host", "allow_hosts", multiple=True, help="Allow a private/intranet host.")
def collect(
    source: str,
    kind: Any,
    since: Any,
    until: Any,
    output_format: str,
    offline: bool,
    allow_hosts: tuple[str, ...],
) -> None:
    """Print the incidents in SOURCE (a status feed or JSON, by path or URL).

    Fetched URLs are kept in ./.postmortem/ so `--offline` can replay them.

    Example:

    \b
        postmortem collect evidence/history.atom --since 2026-03-20 --format yaml
    """
    from pathlib import Path

    from postmortem.collect import collect_source, within
    from postmortem.collect_output import FORMATTERS
    from postmortem.collectors.fetch import Fetcher
    from postmortem.collectors.snapshots import STORE_DIR

    with Fetcher(Path(STORE_DIR), offline=offline, allow_hosts=allow_hosts) as fetcher:
        collected = collect_source(source, kind=kind, fetcher=fetcher)
    collected = within(collected, since=since, until=until)
    for warning in collected.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(FORMATTERS[output_format](collected), nl=False)


# build: incident files into Markdown, HTML, JSON and PDF
def _format_list(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    from postmortem.build import FORMATS

    chosen = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"{','.join(unknown) or value!r}: choose from {','.join(FORMATS)}")
    return chosen


@cli.command()
@click.argument("files", nargs=-1, required=True, type=_LazyPath())
@click.option("-o", "--output", help="Output directory, or - for Markdown on stdout.")
@click.option(
    "-f",
    "--format",
    "formats",
    default="md,pdf",
    callback=_format_list,
    show_default=True,
    help="Comma-separated: md,html,json,pdf.",
)
@click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=_LazyPath(file_okay=False),
    help="Template override dir.",
)
@click.option("--style", type=click.Choice(["default", "sre"]), help="Built-in layout.")
@click.option("--tz", help="Display time zone (IANA), instead of the file's.")
@click.option(
    "--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Judge overdue items on this date."
)
@click.option("--page-size", type=click.Choice(["A4", "Letter"]), default="A4", show_default=True)
@click.option("--offline", is_flag=True, help="Build from stored snapshots only.")
@click.option("--refresh", is_flag=True, help="Fetch every source again, unconditionally.")
@click.option("--allow-host", "allow_hosts", multiple=True, help="Allow a private/intranet host.")
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. a failing source) as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Report progress (sources, outputs) on stderr.")
def build(
    files: tuple[Path, ...],
    output: str | None,
    formats: tuple[str, ...],
    template_dirs: tuple[Path, ...],
    style: str | None,
    tz: str | None,
    as_of: datetime | None,
    page_size: str,
    offline: bool,
    refresh: bool,
    allow_hosts: tuple[str, ...],
    strict: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build post-mortems from incident files.

    Example:

    \b
        postmortem build incident.yaml -f md,html,pdf -o out/
    """
    from pathlib import Path

    from postmortem.build import BuildOptions
    from postmortem.build import build as build_all

    if verbose:
        import logging

        logging.basicConfig(level=logging.INFO, format="%(message)s", force=True)  # to stderr

    to_stdout = output == "-"
    if to_stdout and formats != ("md",):
        formats = ("md",)
    options = BuildOptions(
        out_dir=None if to_stdout or output is None else Path(output),
        formats=formats,
        template_dirs=template_dirs,
        timezone=tz,
        style=style,
        as_of=as_of.date() if as_of else None,
        page_size=page_size,
        offline=offline,
        refresh=refresh,
        allow_hosts=allow_hosts,
        strict=strict,
    )
    results = _build_to_stdout(files, options) if to_stdout else build_all(files, options)
    for result in results:
        for warning in () if quiet else result.warnings:
            click.echo(f"warning: {warning}", err=True)
        if result.error:
            click.echo(f"Error: {result.error}", err=True)
        for path in () if quiet or to_stdout else result.outputs:
            click.echo(path)
    if any(r.error for r in results):
        raise click.exceptions.Exit(1)


def _build_to_stdout(files: tuple[Path, ...], options: Any) -> tuple[Any, ...]:
    from postmortem.build import Built, make_report
    from postmortem.render import render_markdown

    results = []
    for path in files:
        try:
            report, incident, warnings = make_report(path, options)
            dirs = (*options.template_dirs, *(path.parent / d for d in incident.templates))
            click.echo(render_markdown(report, template_dirs=dirs), nl=False)
            results.append(Built(path, warnings=warnings))
        except PostmortemError as exc:
            results.append(Built(path, error=str(exc)))
    return tuple(results)


# --- review and archive ---------------------------------------------------------------------


def _project_option(function: Any) -> Any:
    return click.option(
        "--project",
        "project_file",
        type=_LazyPath(dir_okay=False),
        help="Project file (default: postmortem.yaml here or in a parent directory).",
    )(function)


@cli.command()
@click.argument("dirs", nargs=-1, type=_LazyPath(exists=True))
@click.option("--week", help="ISO week to review, e.g. 2026-W12.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day reviewed.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day reviewed (inclusive).")
@click.option("-f", "--format", "formats", default="md,html", help="Any of md,html,json,pdf.")
@click.option("-o", "--output", type=_LazyPath(file_okay=False), default=".")
@click.option("--tz", help="IANA zone whose calendar days and weeks are reviewed.")
@click.option("--strict", is_flag=True, help="Stop at the first unreadable incident file.")
@_project_option
def review(
    dirs: tuple[Path, ...],
    week: str | None,
    since: datetime | None,
    until: datetime | None,
    formats: str,
    output: Path,
    tz: str | None,
    strict: bool,
    project_file: Path | None,
) -> None:
    """Roll a period's incidents, yours and your vendors', into a reliability review.

    Example: postmortem review incidents/ --week 2026-W12 -f md,pdf -o out/
    """
    from pathlib import Path

    from postmortem.export.review import write_review
    from postmortem.project import find_project
    from postmortem.review_inputs import review_from_disk

    report = review_from_disk(
        dirs,
        project_file=project_file or find_project(Path()),
        week=week,
        since=since.date() if since else None,
        until=until.date() if until else None,
        zone=tz,
        strict=strict,
    )
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for path in write_review(report, output, _formats(formats, ("md", "html", "json", "pdf"))):
        click.echo(path)


def _formats(value: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in allowed]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {','.join(allowed)}", param_hint="--format")
    return chosen


@cli.group()
def archive() -> None:
    """Keep every vendor incident ever seen in an SQLite archive.

    Example:

    \b
        postmortem archive update && postmortem review --week 2026-W12
    """


@archive.command("update")
@_project_option
@click.option("--offline", is_flag=True, help="Use stored snapshots only; no network.")
@click.option("--allow-host", "allow_hosts", multiple=True, help="Allow a private host.")
def archive_update(project_file: Path | None, offline: bool, allow_hosts: tuple[str, ...]) -> None:
    """Collect the project's vendor feeds and add new incidents and updates to the archive.

    Safe to run from cron every few minutes; overlapping runs wait for each other.

    Example: postmortem archive update --project postmortem.yaml
    """
    from postmortem.review_inputs import update_project_archive

    for line in update_project_archive(project_file, offline=offline, allow_hosts=allow_hosts):
        click.echo(line)


@archive.command("import")
@click.argument("dump", type=_LazyPath(exists=True, dir_okay=False))
@click.option("--vendor", required=True, help="Vendor name to file the incidents under.")
@_project_option
def archive_import(dump: Path, vendor: str, project_file: Path | None) -> None:
    """Backfill the archive from a Statuspage JSON dump (JSON, JSON lines, or gzipped).

    Example: postmortem archive import github-incidents.jsonl.gz --vendor GitHub
    """
    from postmortem.review_inputs import archive_path, import_dump

    result = import_dump(archive_path(project_file), dump, vendor)
    click.echo(
        f"{dump}: {result.incidents} incidents read, {result.new_incidents} new, "
        f"{result.new_updates} new updates"
    )


# templates: the built-in styles, files and the variables templates receive
@cli.command()
def templates() -> None:
    """List the built-in styles, their template files and every template variable.

    Copy a file into a directory of your own, pass it with --templates DIR, and that one
    section is yours. Start it with {% extends "default:sections/summary.md.j2" %} to
    change one block and keep the rest.

    Example:

    \b
        postmortem templates
    """
    from postmortem.render.catalog import describe

    click.echo(describe(), nl=False)


# lint: consistency flags, for CI
@cli.command()
@click.argument("files", nargs=-1, required=True, type=_LazyPath())
@click.option("--offline", is_flag=True, help="Check against stored snapshots only.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
def lint(files: tuple[Path, ...], offline: bool, strict: bool) -> None:
    """Check incident files and their evidence for inconsistencies.

    Prints one line per flag: sources that disagree, prose dates that contradict their
    stamps, unresolved vendor incidents, placeholders, action items without owner or due
    date. Exits 1 when a file is invalid or has an error (or, with --strict, a warning).

    Example:

    \b
        postmortem lint incidents/*.yaml --offline
    """
    from postmortem.build import BuildOptions, make_report

    failed = False
    for path in files:
        try:
            report, _, _ = make_report(path, BuildOptions(offline=offline))
        except PostmortemError as exc:
            click.echo(f"{path}: error: {exc}", err=True)
            failed = True
            continue
        for flag in report.flags:
            click.echo(f"{path}: {flag.level}: {flag.message} [{flag.code}]")
            failed |= flag.level == "error" or (strict and flag.level == "warning")
        if not report.flags:
            click.echo(f"{path}: ok")
    if failed:
        raise click.exceptions.Exit(1)


# --- validate, schema, init: the incident file ---------------------------------------------


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
def validate(files: tuple[str, ...]) -> None:
    """Check incident files and report every problem, with line and column.

    Prints `FILE: ok` (and `FILE: warning: ...` lines) or one line per problem.
    Every file is checked; the exit status is 1 if any is invalid.

    Example:

        postmortem validate incidents/*.yaml
    """
    from pathlib import Path

    from postmortem.loader import validate_file

    failed = False
    for path in files:
        ok, lines = validate_file(Path(path))
        failed = failed or not ok
        click.echo("\n".join(lines))
    if failed:
        raise SystemExit(1)


@cli.command()
def schema() -> None:
    """Print the incident file's JSON Schema (for editors).

    Example:

        postmortem schema > incident.schema.json
    """
    from postmortem.schema import schema_json

    click.echo(schema_json(), nl=False)


@cli.command()
@click.argument("path", default="incident.yaml", type=click.Path())
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: str, force: bool) -> None:
    """Write a commented, valid starter incident file (and its schema next to it).

    Example:

        postmortem init incidents/2026-05-12.yaml
    """
    from pathlib import Path

    from postmortem.starter import write_starter

    for written in write_starter(Path(path), force=force):
        click.echo(f"wrote {written}")
