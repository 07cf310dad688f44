"""`postmortem publish`: hand the built post-mortem to Jira, GitLab, GitHub, ServiceNow and
Confluence."""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING

import click

from postmortem.commands.options import (
    LazyPath,
    allow_path_option,
    pdf_renderer,
    trusted_places,
)

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path


@click.command()
@click.argument("file", type=LazyPath(exists=True, dir_okay=False))
@click.option(
    "--to",
    "targets",
    multiple=True,
    help="Target, e.g. jira:OPS-123, gitlab:group/project#45, github:owner/repo#67, "
    "servicenow:INC0012345, confluence:SPACE[/Parent title]. Default: the file's tickets:.",
)
@click.option("--dry-run", is_flag=True, help="Print each request instead of sending it.")
@click.option("--replace", is_flag=True, help="Remove older versions of the PDF.")
@click.option("--pdf-url", help="Where the PDF can be downloaded, linked from GitHub comments.")
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
@click.option("--offline", is_flag=True, help="Build from stored snapshots only.")
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    help="Allow a private/intranet host (and plain http to it).",
)
@allow_path_option
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. a failing source) as errors.")
@click.option("-v", "--verbose", is_flag=True, help="Show each request on stderr.")
def publish(
    file: Path,
    targets: tuple[str, ...],
    dry_run: bool,
    replace: bool,
    pdf_url: str | None,
    template_dirs: tuple[Path, ...],
    style: str | None,
    tz: str | None,
    as_of: datetime | None,
    page_size: str,
    offline: bool,
    allow_hosts: tuple[str, ...],
    allow_paths: tuple[Path, ...],
    strict: bool,
    verbose: bool,
) -> None:
    """Build a post-mortem and publish it to tickets and wiki pages.

    Credentials come only from environment variables (see the README): JIRA_USER and
    JIRA_API_TOKEN or JIRA_PAT, GITLAB_TOKEN, GITHUB_TOKEN, SERVICENOW_USER and
    SERVICENOW_PASSWORD, CONFLUENCE_USER and CONFLUENCE_API_TOKEN or CONFLUENCE_PAT.
    Running it again changes nothing that is already there. Prints one line per target
    and exits 1 if any failed.

    Example:

    \b
        postmortem publish incident.yaml --to jira:OPS-123 --dry-run
    """
    import os

    from postmortem.publish.run import Outcome, PublishOptions, prepare
    from postmortem.publish.run import publish as publish_all
    from postmortem.report.build import ReportOptions

    with ExitStack() as stack:
        pdf = pdf_renderer(stack, ("pdf",))
        hosts, folders = trusted_places(allow_hosts, allow_paths)
        options = PublishOptions(
            report=ReportOptions(
                template_dirs=template_dirs,
                timezone=tz,
                style=style,
                as_of=as_of.date() if as_of else None,
                page_size=page_size,  # type: ignore[arg-type]  # click.Choice checked it
                offline=offline,
                allow_hosts=hosts,
                allow_paths=folders,
                strict=strict,
            ),
            targets=targets,
            dry_run=dry_run,
            replace=replace,
            pdf_url=pdf_url,
        )
        prepared = prepare(file, options, pdf=pdf)
    for warning in prepared.warnings:
        click.echo(f"warning: {warning}", err=True)
    echo = _to_stdout if dry_run else _to_stderr if verbose else None
    prefix = "dry run, nothing sent: " if dry_run else ""

    def show(outcome: Outcome) -> None:
        if outcome.ok:
            click.echo(f"{outcome.target}: {prefix}{outcome.message}")
        else:
            click.echo(f"{outcome.target}: failed: {outcome.message}", err=True)

    outcomes = publish_all(prepared, options, env=os.environ, echo=echo, progress=show)
    if any(not o.ok for o in outcomes):
        raise click.exceptions.Exit(1)


def _to_stdout(line: str) -> None:
    click.echo(line)


def _to_stderr(line: str) -> None:
    click.echo(line, err=True)
