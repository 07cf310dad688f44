"""What the writers write: a report or a review, each rendered at most once per form.

A document renders its Markdown once; HTML is made from that Markdown and the PDF from that
HTML, so asking for md, html and pdf together costs one pass through the templates.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem.model import Report
from postmortem.storage.names import output_stem
from postmortem.storage.serialize import to_json

if TYPE_CHECKING:
    from postmortem.export.pdf import PdfJob, RenderPdf
    from postmortem.review.model import Review


class _Document:
    """Markdown rendered once, HTML made from it, JSON; the PDF printed from the HTML."""

    stem: str  #: the file name every output shares, without extension

    def __init__(self, record: object, pdf: RenderPdf | None) -> None:
        self._record = record
        self._pdf = pdf

    @cached_property
    def markdown(self) -> str:
        """The record through its templates."""
        return self._render_markdown()

    @cached_property
    def html(self) -> str:
        """A standalone HTML page made from the Markdown."""
        return self._render_html(self.markdown)

    @cached_property
    def json(self) -> str:
        """The record as JSON: UTC ISO-8601 times, durations in seconds."""
        return to_json(self._record)

    def pdf(self) -> bytes:
        """The HTML printed, with the JSON (and any source file) embedded."""
        from postmortem.export.pdf import render_pdf

        return (self._pdf or render_pdf)(self._job())

    def _render_markdown(self) -> str:
        raise NotImplementedError

    def _render_html(self, markdown: str) -> str:
        raise NotImplementedError

    def _job(self) -> PdfJob:
        raise NotImplementedError


class ReportDocument(_Document):
    """A post-mortem to write: its report, and the incident file to embed in the PDF."""

    def __init__(
        self, report: Report, *, incident_file: Path | None = None, pdf: RenderPdf | None = None
    ) -> None:
        super().__init__(report, pdf)
        self.report = report
        self.stem = output_stem(report.id, report.title)
        self._incident_file = incident_file

    def _render_markdown(self) -> str:
        from postmortem.render import render_markdown

        return render_markdown(self.report)

    def _render_html(self, markdown: str) -> str:
        from postmortem.render.html import render_html

        return render_html(self.report, markdown)

    def _job(self) -> PdfJob:
        from postmortem.export.pdf import Attachment, PdfJob

        attachments = [Attachment("report.json", self.json.encode(), "The report as JSON")]
        if self._incident_file is not None:
            source = self._incident_file
            attachments.insert(0, Attachment(source.name, source.read_bytes(), "The incident file"))
        return PdfJob(
            self.html,
            created=self.report.report_date,
            attachments=tuple(attachments),
            page_size=self.report.render.page_size,
            archival=self.report.render.pdf_a,
        )


class ReviewDocument(_Document):
    """A reliability review to write."""

    def __init__(
        self, review: Review, *, pdf: RenderPdf | None = None, archival: bool = False
    ) -> None:
        super().__init__(review, pdf)
        self.review = review
        self._archival = archival
        self.stem = "review-" + review.period.label.replace(" to ", "_")

    def _render_markdown(self) -> str:
        from postmortem.render.review import render_review_markdown

        return render_review_markdown(self.review)

    def _render_html(self, markdown: str) -> str:
        from postmortem.render.review import render_review_html

        return render_review_html(self.review, markdown)

    def _job(self) -> PdfJob:
        from postmortem.export.pdf import Attachment, PdfJob

        attachment = Attachment("review.json", self.json.encode(), "The review as JSON")
        return PdfJob(
            self.html,
            created=self.review.period.last,
            attachments=(attachment,),
            archival=self._archival,
        )
