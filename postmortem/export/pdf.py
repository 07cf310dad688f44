"""PDF export through WeasyPrint, which is imported only here and only when needed.

WeasyPrint may fetch whatever URLs a document names, and its default fetcher reads local
files and the network and follows redirects. Ours serves `data:` URIs and nothing else, so
no text that came from a feed, an article or an incident file can pull a local file or an
internal URL into the PDF.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any

from postmortem.errors import ExportError

PAGE_SIZES = ("A4", "Letter")
INSTALL_HINT = (
    "PDF export needs WeasyPrint and Pango: pip install weasyprint; sudo apt-get install "
    "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file embedded in the PDF, such as the incident file or the JSON report."""

    filename: str
    data: bytes
    description: str


@dataclass(frozen=True, slots=True)
class PdfJob:
    """Everything one PDF is made from; the same job gives the same bytes."""

    html: str
    created: date  #: the document's date, in its metadata (never the clock)
    attachments: tuple[Attachment, ...] = ()
    page_size: str = "A4"
    archival: bool = False  #: PDF/A-3b, which keeps the attachments as associated files


#: What renders a PDF: `render_pdf` itself, or a `PdfWorker`'s `render`.
RenderPdf = Callable[[PdfJob], bytes]


@cache
def load_weasyprint() -> tuple[Any, Any, Any]:
    """The WeasyPrint module, one font configuration for the process, and our fetcher."""
    try:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:
        raise ExportError(f"{INSTALL_HINT} ({exc})") from None

    class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]  # untyped base class
        """Serves `data:` URIs; refuses files, the network and everything else."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"postmortem refuses to fetch {url[:80]!r}")
            return super().fetch(url, headers)

    return weasyprint, FontConfiguration(), DataOnlyFetcher()


def _identifier(job: PdfJob) -> bytes:
    """The file identifier PDF/A requires, from the job itself: rebuilds stay identical."""
    digest = hashlib.sha256(job.html.encode())
    for item in job.attachments:
        digest.update(item.data)
    return digest.hexdigest()[:32].encode()


def render_pdf(job: PdfJob) -> bytes:
    """The job's PDF bytes; the same job gives the same bytes."""
    if job.page_size not in PAGE_SIZES:
        raise ExportError(f"page size {job.page_size!r}: choose {' or '.join(PAGE_SIZES)}")
    weasyprint, fonts, fetcher = load_weasyprint()
    stamp = datetime.combine(job.created, time(0), tzinfo=UTC)
    document = weasyprint.HTML(string=job.html, base_url="data:,", url_fetcher=fetcher)
    page = weasyprint.CSS(
        string=f"@page {{ size: {job.page_size}; }}", url_fetcher=fetcher, font_config=fonts
    )
    files = [
        weasyprint.Attachment(
            string=item.data,
            base_url="data:,",
            url_fetcher=fetcher,
            name=item.filename,
            description=item.description,
            created=stamp,
            modified=stamp,
            relationship="Source",  # PDF/A-3 names each embedded file's role
        )
        for item in job.attachments
    ]
    try:
        # Tagged: a structure tree in reading order, headings, tables and the chart's alt
        # text, for screen readers and reflow. PDF/A-3b adds the archival metadata.
        data: bytes = document.write_pdf(
            stylesheets=[page],
            font_config=fonts,
            attachments=files,
            uncompressed_pdf=False,
            pdf_tags=True,
            pdf_variant="pdf/a-3b" if job.archival else None,
            pdf_identifier=_identifier(job),
        )
    except Exception as exc:  # WeasyPrint raises many kinds; all mean "no PDF"
        raise ExportError(f"PDF rendering failed: {exc}") from exc
    return data
