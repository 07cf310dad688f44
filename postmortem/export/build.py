"""Incident files to written outputs: load, build the report, render once, write together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from postmortem.errors import ExportError, unit_failure
from postmortem.export.documents import ReportDocument
from postmortem.export.writers import render_outputs, write_outputs
from postmortem.model import Report
from postmortem.report.build import ReportOptions, build_report
from postmortem.report.changes import diff_reports, previous_report
from postmortem.spec.loader import load_incident

if TYPE_CHECKING:
    from postmortem.export.pdf import RenderPdf


@dataclass(frozen=True, slots=True)
class Built:
    """The outcome for one incident file."""

    source: Path
    outputs: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None
    report: Report | None = field(default=None, compare=False)


def build_files(
    paths: Sequence[Path],
    options: ReportOptions | None = None,
    *,
    formats: Sequence[str] = ("md", "pdf"),
    out_dir: Path | None = None,
    stdout: IO[bytes] | None = None,
    pdf: RenderPdf | None = None,
) -> tuple[Built, ...]:
    """Build each incident file; one failure is reported and the others still build.

    `pdf` renders the PDFs (default: `render_pdf`, in this process); the CLI passes a
    `PdfWorker`'s, which has been importing WeasyPrint while the reports were built.
    """
    results = []
    claimed: dict[str, Path] = {}  # output name (case-folded) -> the incident file it is for
    for path in paths:
        try:
            results.append(
                build_file(path, options or ReportOptions(), formats, out_dir, stdout, pdf, claimed)
            )
        except Exception as exc:  # one file fails alone, whatever went wrong
            results.append(Built(path, error=_named(path, unit_failure(exc, str(path)))))
    return tuple(results)


def _named(path: Path, line: str) -> str:
    """`line`, starting with the incident file it is about (every file's lines look alike)."""
    return line if line.startswith((f"{path}:", f"{path} ")) else f"{path}: {line}"


def build_file(
    path: Path,
    options: ReportOptions,
    formats: Sequence[str],
    out_dir: Path | None = None,
    stdout: IO[bytes] | None = None,
    pdf: RenderPdf | None = None,
    claimed: dict[str, Path] | None = None,
) -> Built:
    """One incident file into every requested format, written together or not at all.

    `claimed` holds the outputs already written in this run: an incident that would
    overwrite another one's outputs is an error naming both files.
    """
    report = build_report(load_incident(path), base_dir=path.parent, options=options)
    warnings = tuple(_named(path, warning) for warning in report.warnings)
    if stdout is not None:
        try:
            for data in render_outputs(ReportDocument(report), formats).values():
                stdout.write(data)
            stdout.flush()
        except OSError as exc:  # e.g. `> /dev/full`, or a closed pipe
            raise ExportError(f"cannot write to standard output: {exc.strerror}") from None
        return Built(path, warnings=warnings, report=report)
    folder = out_dir or path.parent
    document = ReportDocument(report, incident_file=path, pdf=pdf)
    if claimed is not None:
        _claim(claimed, folder / document.stem, path)
    previous = previous_report(folder / f"{document.stem}.json")
    if previous is not None:
        report = replace(report, changes=diff_reports(previous, report))
        document = ReportDocument(report, incident_file=path, pdf=pdf)
    return Built(path, write_outputs(document, formats, folder), warnings, report=report)


def _claim(claimed: dict[str, Path], stem: Path, source: Path) -> None:
    key = str(stem.absolute()).casefold()  # case-insensitive file systems collide too
    first = claimed.setdefault(key, source)
    if first.absolute() != source.absolute():
        raise ExportError(
            f"{source} and {first} would both be written as {stem}.*; give one of them "
            "another id or title, or build them into different folders (-o)"
        )
