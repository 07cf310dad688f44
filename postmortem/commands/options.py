"""The commands, one module per area; `postmortem.commands` puts them in one group."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path
    from typing import Literal

    from postmortem.export.pdf import RenderPdf
    from postmortem.report.build import ReportOptions


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
    """`--allow-path DIR`: a folder `path:` sources and `templates:` may use besides their own."""
    return click.option(
        "--allow-path",
        "allow_paths",
        multiple=True,
        type=LazyPath(file_okay=False),
        help="Let path: sources and templates: use this folder too (default: the file's own).",
    )(function)


#: The options that shape a report, shared by `build` and `publish`, outermost first.
_REPORT_OPTIONS = (
    click.option(
        "--templates",
        "template_dirs",
        multiple=True,
        type=LazyPath(file_okay=False),
        help="Template override dir.",
    ),
    click.option("--style", type=click.Choice(["default", "sre"]), help="Built-in layout."),
    click.option("--tz", help="Display time zone (IANA), instead of the file's."),
    click.option(
        "--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Judge overdue items on this date."
    ),
    click.option(
        "--page-size", type=click.Choice(["A4", "Letter"]), default="A4", show_default=True
    ),
    click.option(
        "--pdf-a/--no-pdf-a",
        default=None,
        help="Archival PDF/A-3b (default: `pdf_a:` in postmortem.yaml, else plain tagged PDF).",
    ),
    click.option("--offline", is_flag=True, help="Build from stored snapshots only."),
    click.option("--refresh", is_flag=True, help="Fetch every source again, unconditionally."),
    click.option(
        "--allow-host",
        "allow_hosts",
        multiple=True,
        help="Allow a private/intranet host (and plain http to it).",
    ),
    allow_path_option,
    click.option(
        "--strict", is_flag=True, help="Treat warnings (e.g. a failing source) as errors."
    ),
)


def report_options(function: Any) -> Any:
    """Add the report-shaping options; the command reads them with `options_from`."""
    for option in reversed(_REPORT_OPTIONS):
        function = option(function)
    return function


def options_from(
    *,
    template_dirs: tuple[Path, ...],
    style: str | None,
    tz: str | None,
    as_of: datetime | None,
    page_size: Literal["A4", "Letter"],
    pdf_a: bool | None,
    offline: bool,
    refresh: bool,
    allow_hosts: tuple[str, ...],
    allow_paths: tuple[Path, ...],
    strict: bool,
) -> ReportOptions:
    """The `ReportOptions` that the `report_options` flags ask for."""
    from postmortem.report.build import ReportOptions

    hosts, folders = trusted_places(allow_hosts, allow_paths)
    return ReportOptions(
        template_dirs=template_dirs,
        timezone=tz,
        style=style,
        as_of=as_of.date() if as_of else None,
        page_size=page_size,
        pdf_a=archival_default() if pdf_a is None else pdf_a,
        offline=offline,
        refresh=refresh,
        allow_hosts=hosts,
        allow_paths=folders,
        strict=strict,
    )


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
