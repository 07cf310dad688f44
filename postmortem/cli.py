"""The command line: each command maps flags onto one library call."""

from __future__ import annotations

import click

from postmortem import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="postmortem")
def cli() -> None:
    """Turn an outage into a finished post-mortem."""
