"""The command line: each command maps flags onto one library call.

`PostmortemError` becomes "Error: …" and exit status 1 here, in one place; any other
exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from typing import Any

import click

from postmortem import __version__
from postmortem.errors import PostmortemError


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
