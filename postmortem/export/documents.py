"""What the writers write: a report or a review, each rendered at most once per form.

A document renders its Markdown once; HTML is made from that Markdown and the PDF from that
HTML, so asking for md, html and pdf together costs one pass through the templates.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem.model import Report
from postmortem.storage.serialize import to_json

if TYPE_CHECKING:
    from postmortem.export.pdf import RenderPdf
    from postmortem.review.model import Review


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe, lower-case ASCII rendering of a title."""
    if text.isascii():
        ascii_text = text
    else:  # imported only here: loading unicodedata costs a plain-ASCII build ~5 ms
        import unicodedata

        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-") or "incident"


def report_stem(report: Report) -> str:
    """`<id>-<slug>`, the name every output of one incident shares."""
    return f"{report.id}-{slug(report.title)}"


class ReportDocument:
    """A post-mortem to write: its report, and the incident file to embed in the PDF."""

    def __init__(
        self, report: Report, *, incident_file: Path | None = None, pdf: RenderPdf | None = None
    ) -> None:
        self.report = report
        self.stem = report_stem(report)
        self._incident_file = incident_file
        self._pdf = pdf

    @cached_property
    def markdown(self) -> str:
        """The report through its templates."""
        from postmortem.render import render_markdown

        return render_markdown(self.report)

    @cached_property
    def html(self) -> str:
        """A standalone HTML page made from the Markdown."""
        from postmortem.render.html import render_html

        return render_html(self.report, self.markdown)

    @cached_property
    def json(self) -> str:
        """The report as JSON."""
        return to_json(self.report)

    def pdf(self) -> bytes:
        """The HTML printed, with the incident file and the JSON embedded."""
        from postmortem.export.pdf import Attachment, render_pdf

        attachments = [Attachment("report.json", self.json.encode(), "The report as JSON")]
        if self._incident_file is not None:
            source = self._incident_file
            attachments.insert(0, Attachment(source.name, source.read_bytes(), "The incident file"))
        render = self._pdf or render_pdf
        return render(
            self.html,
            created=self.report.report_date,
            page_size=self.report.render.page_size,
            attachments=attachments,
        )


class ReviewDocument:
    """A reliability review to write."""

    def __init__(self, review: Review, *, pdf: RenderPdf | None = None) -> None:
        self.review = review
        self.stem = "review-" + review.period.label.replace(" to ", "_")
        self._pdf = pdf

    @cached_property
    def markdown(self) -> str:
        """The review through its templates."""
        from postmortem.render.review import render_review_markdown

        return render_review_markdown(self.review)

    @cached_property
    def html(self) -> str:
        """A standalone HTML page made from the Markdown, with the trend charts."""
        from postmortem.render.review import render_review_html

        return render_review_html(self.review, self.markdown)

    @cached_property
    def json(self) -> str:
        """The review as JSON: UTC ISO-8601 times, durations in seconds."""
        return to_json(self.review)

    def pdf(self) -> bytes:
        """The HTML printed, with the JSON embedded."""
        from postmortem.export.pdf import Attachment, render_pdf

        attachment = Attachment("review.json", self.json.encode(), "The review as JSON")
        render = self._pdf or render_pdf
        return render(self.html, created=self.review.period.last, attachments=[attachment])
