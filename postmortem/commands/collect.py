"""`postmortem collect`: one source, normalised."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from postmortem.spec.kinds import SOURCE_KINDS

if TYPE_CHECKING:
    pass


# collect: one source's vendor incidents, normalised
def _time_bound(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from postmortem.collectors.source import parse_bound

    try:
        return None if value is None else parse_bound(value, end=param.name == "until")
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
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

    from postmortem.collectors.fetch.client import Fetcher
    from postmortem.collectors.fetch.snapshots import STORE_DIR
    from postmortem.collectors.source import collect_source, within
    from postmortem.export.collected import FORMATTERS

    with Fetcher(Path(STORE_DIR), offline=offline, allow_hosts=allow_hosts) as fetcher:
        collected = collect_source(source, kind=kind, fetcher=fetcher)
    collected = within(collected, since=since, until=until)
    for warning in collected.warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(FORMATTERS[output_format](collected), nl=False)
