"""The command line: each command maps flags onto one library call.

`PostmortemError` becomes "Error: …" and exit status 1 here, in one place; any other
exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, get_args

import click

from postmortem import __version__
from postmortem.errors import PostmortemError
from postmortem.model import SourceKind


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
    type=click.Choice(get_args(SourceKind)),
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
def collect(source: str, kind: Any, since: Any, until: Any, output_format: str) -> None:
    """Print the incidents in SOURCE (a status feed or JSON, by path or URL).

    Example:

    \b
        postmortem collect evidence/history.atom --since 2026-03-20 --format yaml
    """
    from postmortem.collect import collect_source, within
    from postmortem.collect_output import FORMATTERS

    collected = within(collect_source(source, kind=kind), since=since, until=until)
    for warning in collected.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(FORMATTERS[output_format](collected), nl=False)


# --- review and archive ---------------------------------------------------------------------


def _project_option(function: Any) -> Any:
    return click.option(
        "--project",
        "project_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Project file (default: postmortem.yaml here or in a parent directory).",
    )(function)


@cli.command()
@click.argument("dirs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--week", help="ISO week to review, e.g. 2026-W12.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day reviewed.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day reviewed (inclusive).")
@click.option("-f", "--format", "formats", default="md,html", help="Any of md,html,json,pdf.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=".")
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
    """Keep every vendor incident ever seen in an SQLite archive."""


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
@click.argument("dump", type=click.Path(exists=True, dir_okay=False, path_type=Path))
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
