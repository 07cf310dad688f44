"""The command line: each command maps flags onto one library call.

`PostmortemError` becomes "Error: …" and exit status 1 here, in one place. Any other
exception becomes one line too; POSTMORTEM_DEBUG=1 (or `build -vv`) keeps its traceback.
"""

from __future__ import annotations

import os
from typing import Any

import click

from postmortem import __version__
from postmortem.errors import PostmortemError, debugging, describe

# Our own pydantic models use no plugins; skipping the plugin scan saves start-up time.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PostmortemError as exc:
            raise click.ClickException(str(exc)) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if debugging():
                raise
            raise click.ClickException(describe(exc)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="postmortem")
def cli() -> None:
    """Turn an outage into a finished post-mortem."""


def _add_commands() -> None:
    from postmortem.commands import build, collect, incident, publish, review

    for command in (
        build.build,
        build.lint,
        collect.collect,
        incident.validate,
        incident.schema,
        incident.init,
        incident.templates,
        publish.publish,
        review.review,
        review.archive,
    ):
        cli.add_command(command)


_add_commands()
