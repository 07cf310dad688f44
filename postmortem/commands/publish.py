"""`postmortem publish`: hand the built post-mortem to Jira, GitLab, GitHub, ServiceNow and
Confluence."""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import click

from postmortem.commands.options import LazyPath, options_from, pdf_renderer, report_options

if TYPE_CHECKING:
    from pathlib import Path

    from postmortem.publish.outcome import Published


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
@report_options
@click.option("-v", "--verbose", is_flag=True, help="Show each request on stderr.")
def publish(
    file: Path,
    targets: tuple[str, ...],
    dry_run: bool,
    replace: bool,
    pdf_url: str | None,
    verbose: bool,
    **report: Any,
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
    from postmortem import publish_report
    from postmortem.publish.run import PublishOptions

    echo = _to_stdout if dry_run else _to_stderr if verbose else None
    prefix = "dry run, nothing sent: " if dry_run else ""

    def show(result: Published) -> None:
        if result.ok:
            click.echo(f"{result.target}: {prefix}{result.message}")
        else:
            click.echo(f"{result.target}: failed: {result.message}", err=True)

    with ExitStack() as stack:
        pdf = pdf_renderer(stack, ("pdf",))
        options = PublishOptions(
            report=options_from(**report),
            targets=targets,
            dry_run=dry_run,
            replace=replace,
            pdf_url=pdf_url,
        )
        done = publish_report(file, options, pdf=pdf, echo=echo, progress=show)
    for warning in done.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not done.ok:
        raise click.exceptions.Exit(1)


def _to_stdout(line: str) -> None:
    click.echo(line)


def _to_stderr(line: str) -> None:
    click.echo(line, err=True)
