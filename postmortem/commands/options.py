"""The commands, one module per area; `postmortem.commands` puts them in one group."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from pathlib import Path

    from postmortem.export.pdf import RenderPdf


class LazyPath(click.Path):
    """click.Path giving pathlib.Path, without importing pathlib before a command runs."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pathlib import Path

        return Path(str(super().convert(value, param, ctx)))


def format_list(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    """A click callback: `md,pdf` -> ("md", "pdf"), each format once, in the order given."""
    from postmortem.export import COMMAND_FORMATS, FORMATS

    known = COMMAND_FORMATS.get(ctx.command.name or "", FORMATS)
    chosen = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in known]
    if unknown or not chosen:
        raise click.BadParameter(f"{','.join(unknown) or value!r}: choose from {','.join(known)}")
    return chosen


def pdf_renderer(stack: ExitStack, formats: Sequence[str]) -> RenderPdf | None:
    """When a PDF is wanted, a helper importing WeasyPrint (closed with `stack`), else None.

    The entry point may have started one already (`postmortem.cli`) and passed it as
    the context object; otherwise it starts here. Call this before loading anything else,
    so WeasyPrint's import overlaps the rest.
    """
    if "pdf" not in formats:
        return None
    from postmortem.export.pdf_worker import PdfWorker

    started = click.get_current_context().obj
    worker = started if isinstance(started, PdfWorker) else PdfWorker()
    return stack.enter_context(worker).render


def allow_path_option(function: Any) -> Any:
    """`--allow-path DIR`: a folder `path:` sources may read besides their file's own."""
    return click.option(
        "--allow-path",
        "allow_paths",
        multiple=True,
        type=LazyPath(file_okay=False),
        help="Let path: sources read this folder too (default: only the file's own folder).",
    )(function)


def archival_default() -> bool:
    """`pdf_a:` of the project file found here: archival PDFs unless the command says not."""
    from pathlib import Path

    from postmortem.spec.project import find_project, pdf_a_default

    return pdf_a_default(find_project(Path()))


def trusted_places(
    hosts: Sequence[str], paths: Sequence[Path]
) -> tuple[tuple[str, ...], tuple[Path, ...]]:
    """Hosts and folders allowed on the command line and in the project file found here."""
    from pathlib import Path

    from postmortem.spec.project import find_project, trusted

    return trusted(find_project(Path()), hosts, paths)
