"""The writers: each output format is a named writer that turns a document into files.

`build`, `review` and `publish` look writers up here by name; a new output (a file format,
or something that is not a file at all) is one more entry, not another if-chain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from postmortem.errors import ExportError
from postmortem.storage.atomic import write_together


class Document(Protocol):
    """A report or a review, rendered lazily and at most once per form."""

    stem: str  #: the file name every output shares, without extension

    @property
    def markdown(self) -> str: ...

    @property
    def html(self) -> str: ...

    @property
    def json(self) -> str: ...

    def pdf(self) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Writer:
    """One output format: its name on the command line and the files it makes."""

    name: str
    files: Callable[[Document], Mapping[str, bytes]]  #: file-name suffix -> content


def _review_tables(doc: Document) -> Mapping[str, bytes]:
    from postmortem.export.documents import ReviewDocument
    from postmortem.export.review_csv import components_csv, incidents_csv

    if not isinstance(doc, ReviewDocument):
        raise ExportError("csv: only reviews are written as spreadsheets")
    return {
        "-incidents.csv": incidents_csv(doc.review),
        "-components.csv": components_csv(doc.review),
    }


WRITERS: dict[str, Writer] = {
    writer.name: writer
    for writer in (
        Writer("md", lambda doc: {".md": doc.markdown.encode()}),
        Writer("html", lambda doc: {".html": doc.html.encode()}),
        Writer("json", lambda doc: {".json": doc.json.encode()}),
        Writer("pdf", lambda doc: {".pdf": doc.pdf()}),
        Writer("csv", _review_tables),  # reviews only: the incident list, per-component figures
    )
}


def get_writer(name: str) -> Writer:
    """The writer registered as `name`, or an error naming the known ones."""
    try:
        return WRITERS[name]
    except KeyError:
        raise ExportError(f"unknown format {name!r}; choose from {', '.join(WRITERS)}") from None


def render_outputs(document: Document, formats: Sequence[str]) -> dict[str, bytes]:
    """Every requested format in memory, keyed by file name, in the order asked."""
    rendered: dict[str, bytes] = {}
    for name in formats:
        for suffix, data in get_writer(name).files(document).items():
            rendered[document.stem + suffix] = data
    return rendered


def write_outputs(document: Document, formats: Sequence[str], out_dir: Path) -> tuple[Path, ...]:
    """Render every format first, then commit all files together into `out_dir`.

    Nothing is written unless everything rendered, and the files are replaced together:
    a template error, a full disk or a directory in the way leaves every previous output
    as it was.
    """
    rendered = render_outputs(document, formats)
    files = {out_dir / name: data for name, data in rendered.items()}
    write_together(files)
    return tuple(files)
