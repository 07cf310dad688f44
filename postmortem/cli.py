"""The command line: each command maps flags onto one library call.

`PostmortemError` becomes "Error: …" and exit status 1 here, in one place; any other
exception is a bug and keeps its traceback.
"""

from __future__ import annotations

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


# validate / schema / init: the incident file
@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check incident files; print every problem with its line and column.

    Example:

    \b
        postmortem validate incidents/*.yaml
    """
    from postmortem.loader import check_incident, load_incident, problems_of

    failed = 0
    for path in files:
        try:
            incident = load_incident(path)
        except PostmortemError as exc:
            failed += 1
            click.echo("\n".join(problems_of(exc)), err=True)
            continue
        for warning in check_incident(incident):
            click.echo(f"{path}: warning: {warning}", err=True)
        click.echo(f"{path}: ok")
    if failed:
        raise click.exceptions.Exit(1)


@cli.command()
def schema() -> None:
    """Print the incident file's JSON Schema (for editors and CI).

    Example:

    \b
        postmortem schema > incident.schema.json
    """
    from postmortem.starter import schema_text

    click.echo(schema_text(), nl=False)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default="incident.yaml")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: Path, force: bool) -> None:
    """Write a commented, valid starter incident file.

    Example:

    \b
        postmortem init incidents/2026-03-20-vendor-outage.yaml
    """
    from postmortem.starter import write_starter

    for written in write_starter(path, force=force):
        click.echo(written)
