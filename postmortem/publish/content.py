"""What every target receives: the PDF under a versioned name, the Markdown report, and the
short summary (severity, duration, key metrics) that comments and notes carry.

The PDF's name carries the first hex digits of its SHA-256, so a later run recognises an
unchanged file by name alone and tells older versions apart (`Versions`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from postmortem.model import Report

HASH_DIGITS = 10
_SUMMARY_LIMIT = 1500  #: characters of the summary section quoted in comments


@dataclass(frozen=True, slots=True)
class Package:
    """One incident, ready to publish."""

    incident_id: str
    title: str
    summary: str  #: plain text of the summary section
    facts: tuple[tuple[str, str], ...]  #: (label, value): severity, status, durations, metrics
    markdown: str  #: the full Markdown report
    pdf: bytes
    pdf_name: str  #: `<stem>-<hash>.pdf`
    pdf_url: str | None = None  #: where the PDF can be downloaded, when the user says

    @property
    def marker(self) -> str:
        """The text that finds this incident's comment or note again on a later run."""
        return f"postmortem:{self.incident_id}"

    @property
    def heading(self) -> str:
        """`Post-mortem NW-2026-0320: Order assistant failed …`."""
        return f"Post-mortem {self.incident_id}: {self.title}"

    def is_version(self, filename: str) -> bool:
        """Whether `filename` is some version of this incident's PDF (this one or older)."""
        # the slug never holds "_", so another incident's id can never match here
        pattern = rf"{re.escape(self.incident_id)}_[a-z0-9-]*-[0-9a-f]{{{HASH_DIGITS}}}\.pdf"
        return re.fullmatch(pattern, filename) is not None


def make_package(
    report: Report, stem: str, markdown: str, pdf: bytes, pdf_url: str | None
) -> Package:
    """The package for `report`; `stem` is the outputs' shared file name."""
    from postmortem.render.filters import duration, number

    digest = hashlib.sha256(pdf).hexdigest()[:HASH_DIGITS]
    facts = [("Severity", report.severity), ("Status", report.status)]
    facts += [(m.label, duration(m.value)) for m in report.metrics if m.value is not None]
    facts += [(f.name.replace("_", " "), number(f.value)) for f in report.impact_figures]
    return Package(
        incident_id=report.id,
        title=report.title,
        summary=_summary(report),
        facts=tuple(facts),
        markdown=markdown,
        pdf=pdf,
        pdf_name=f"{stem}-{digest}.pdf",
        pdf_url=pdf_url,
    )


def _summary(report: Report) -> str:
    for section in report.sections:
        if section.key != "summary":
            continue
        if section.markdown:
            text = " ".join(section.markdown.split())
        else:
            text = " ".join(s.text for s in section.draft)
        if len(text) > _SUMMARY_LIMIT:
            text = text[: _SUMMARY_LIMIT - 1].rsplit(" ", 1)[0] + "…"
        return text or "No summary written yet."
    return "No summary written yet."


@dataclass(frozen=True, slots=True)
class Versions:
    """The PDFs already on a target: whether this one is there, and the older ones."""

    present: bool
    older: tuple[str, ...]  #: ids of attachments holding earlier versions


def versions(package: Package, found: Iterable[tuple[str, str]]) -> Versions:
    """Sort `(id, filename)` pairs found on a target into this PDF and older versions."""
    present, older = False, []
    for ident, name in found:
        if name == package.pdf_name:
            present = True
        elif package.is_version(name):
            older.append(ident)
    return Versions(present, tuple(older))


def upload_message(seen: Versions, replace: bool) -> str:
    """What happened to the PDF, in the words of the outcome line (with `replace`, every
    older version has been removed)."""
    count = len(seen.older)
    removed = f"{count} older version{'s' * (count != 1)} removed"
    if seen.present:
        return f"PDF unchanged ({removed})" if replace and count else "PDF unchanged"
    if not count:
        return "PDF attached"
    if replace:
        return f"PDF replaced ({removed})"
    return (
        f"changed PDF added next to {count} older version{'s' * (count != 1)} "
        "(--replace removes them)"
    )


def summary_markdown(package: Package, pdf_link: str | None) -> str:
    """The summary comment in Markdown (GitLab notes), with the hidden marker."""
    lines = [f"### {package.heading}", ""]
    lines += [f"- **{label}:** {value}" for label, value in package.facts]
    lines += ["", package.summary, ""]
    if pdf_link:
        lines += [f"PDF: {pdf_link}", ""]
    lines.append(f"<!-- {package.marker} -->")
    return "\n".join(lines)
