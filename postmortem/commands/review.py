"""`postmortem review` and `postmortem archive`."""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import click

from postmortem.commands.options import LazyPath, format_list, pdf_renderer
from postmortem.export import DEFAULT_FORMATS

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path


# --- review and archive ---------------------------------------------------------------------


def _project_option(function: Any) -> Any:
    return click.option(
        "--project",
        "project_file",
        type=LazyPath(dir_okay=False),
        help="Project file (default: postmortem.yaml here or in a parent directory).",
    )(function)


@click.command()
@click.argument("dirs", nargs=-1, type=LazyPath(exists=True))
@click.option("--week", help="ISO week to review, e.g. 2026-W12.")
@click.option("--month", "month_label", help="Calendar month to review, e.g. 2026-03.")
@click.option("--quarter", "quarter_label", help="Calendar quarter to review, e.g. 2026-Q1.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day reviewed.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day reviewed (inclusive).")
@click.option(
    "-f",
    "--format",
    "formats",
    default=DEFAULT_FORMATS["review"],
    callback=format_list,
    show_default=True,
    help="Comma-separated: md,html,json,pdf,csv.",
)
@click.option("-o", "--output", type=LazyPath(file_okay=False), default=".")
@click.option("--tz", help="IANA zone whose calendar days and weeks are reviewed.")
@click.option("--strict", is_flag=True, help="Stop at the first unreadable incident file.")
@click.option(
    "--pdf-a/--no-pdf-a",
    default=None,
    help="Archival PDF/A-3b (default: `pdf_a:` in postmortem.yaml, else plain tagged PDF).",
)
@_project_option
def review(
    dirs: tuple[Path, ...],
    week: str | None,
    month_label: str | None,
    quarter_label: str | None,
    since: datetime | None,
    until: datetime | None,
    formats: tuple[str, ...],
    output: Path,
    tz: str | None,
    strict: bool,
    pdf_a: bool | None,
    project_file: Path | None,
) -> None:
    """Roll a period's incidents, yours and your vendors', into a reliability review.

    Example: postmortem review incidents/ --week 2026-W12 -f md,pdf -o out/
    """
    with ExitStack() as stack:
        pdf = pdf_renderer(stack, formats)  # first, so WeasyPrint loads meanwhile

        from pathlib import Path

        from postmortem import review_period, write_outputs
        from postmortem.spec.project import find_project, pdf_a_default

        project_file = project_file or find_project(Path())
        report = review_period(
            dirs,
            project_file=project_file,
            week=week,
            month=month_label,
            quarter=quarter_label,
            since=since.date() if since else None,
            until=until.date() if until else None,
            zone=tz,
            strict=strict,
        )
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        archival = pdf_a_default(project_file) if pdf_a is None else pdf_a
        for path in write_outputs(report, formats, output, pdf=pdf, archival=archival):
            click.echo(path)


@click.group()
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
    from postmortem.review.inputs import update_project_archive

    for line in update_project_archive(project_file, offline=offline, allow_hosts=allow_hosts):
        click.echo(line)


@archive.command("import")
@click.argument("dump", type=LazyPath(exists=True, dir_okay=False))
@click.option("--vendor", required=True, help="Vendor name to file the incidents under.")
@_project_option
def archive_import(dump: Path, vendor: str, project_file: Path | None) -> None:
    """Backfill the archive from a Statuspage JSON dump (JSON, JSON lines, or gzipped).

    Example: postmortem archive import github-incidents.jsonl.gz --vendor GitHub
    """
    from postmortem.review.dump import import_dump

    def archive_file() -> Path:
        # imported only now: the project file's models load while workers read the dump
        from postmortem.review.inputs import archive_path

        return archive_path(project_file)

    result = import_dump(archive_file, dump, vendor)
    click.echo(
        f"{dump}: {result.incidents} incidents read, {result.new_incidents} new, "
        f"{result.new_updates} new updates"
    )
