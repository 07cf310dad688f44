"""`python -m postmortem`."""

from postmortem.cli import cli

cli()
