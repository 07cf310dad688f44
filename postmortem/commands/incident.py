"""`postmortem validate`, `schema`, `init` and `templates`: the incident file and its templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from postmortem.commands.options import allow_path_option, trusted_places

if TYPE_CHECKING:
    from pathlib import Path


# --- validate, schema, init: the incident file ---------------------------------------------


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@allow_path_option
def validate(files: tuple[str, ...], allow_paths: tuple[Path, ...]) -> None:
    """Check incident files and report every problem, with line and column.

    Prints `FILE: ok` (and `FILE: warning: ...` lines) or one line per problem.
    Every file is checked; the exit status is 1 if any is invalid.

    Example:

        postmortem validate incidents/*.yaml
    """
    from pathlib import Path

    from postmortem.collectors.fetch.paths import path_problems
    from postmortem.spec.loader import load_incident, validate_file

    _, folders = trusted_places((), allow_paths)
    failed = False
    for path in files:
        ok, lines = validate_file(Path(path))
        if ok and (
            problems := path_problems(load_incident(Path(path)), Path(path).parent, folders)
        ):
            ok, lines = False, tuple(f"{path}: {problem}" for problem in problems)
        failed = failed or not ok
        click.echo("\n".join(lines))
    if failed:
        raise SystemExit(1)


@click.command()
def schema() -> None:
    """Print the incident file's JSON Schema (for editors).

    Example:

        postmortem schema > incident.schema.json
    """
    from postmortem.spec.schema import schema_json

    click.echo(schema_json(), nl=False)


@click.command()
@click.argument("path", default="incident.yaml", type=click.Path())
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: str, force: bool) -> None:
    """Write a commented, valid starter incident file (and its schema next to it).

    Example:

        postmortem init incidents/2026-05-12.yaml
    """
    from pathlib import Path

    from postmortem.spec.starter import write_starter

    for written in write_starter(Path(path), force=force):
        click.echo(f"wrote {written}")


# templates: the built-in styles, files and the variables templates receive
@click.command()
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
